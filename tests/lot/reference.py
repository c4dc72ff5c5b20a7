"""The reference: the Sortition Foundation's ``sortition-algorithms`` package (PyPI), run on our instances.

Its LEXIMIN needs Gurobi (``gurobipy``; the free size-limited licence pip installs solves pools
of a few hundred people). Its categories file calls our ``category`` a *feature* and our
``feature`` a *value*; the rows are given to it as read, and each person gets their row index
as id, so its probabilities come back in pool order.
"""

from __future__ import annotations

import logging

from parsoc.lot.instance import Instance


def _inputs(instance: Instance):
    from sortition_algorithms.features import read_in_features
    from sortition_algorithms.people import read_in_people
    from sortition_algorithms.settings import Settings

    rows = [{"feature": q.category, "value": q.feature, "min": str(q.min), "max": str(q.max)} for q in instance.quotas]
    features, _, _ = read_in_features(["feature", "value", "min", "max"], rows, number_to_select=instance.panel_size)
    categories = list(instance.pool.categories)
    body = [{"id": str(i), **dict(zip(categories, person, strict=True))} for i, person in enumerate(instance.pool.people)]
    people, _ = read_in_people(["id", *categories], body, features, Settings(id_column="id", columns_to_keep=[]))
    return features, people


def reference_leximin(instance: Instance) -> list[float]:
    """The package's LEXIMIN selection probabilities, one per person in pool order."""
    from sortition_algorithms.committee_generation import find_distribution_leximin

    logging.getLogger("sortition_algorithms").setLevel(logging.WARNING)
    features, people = _inputs(instance)
    committees, probabilities, _ = find_distribution_leximin(features, people, instance.panel_size, [])
    marginals = [0.0] * len(instance.pool)
    for committee, p in zip(committees, probabilities, strict=True):
        for person in committee:
            marginals[int(person)] += float(p)
    return marginals
