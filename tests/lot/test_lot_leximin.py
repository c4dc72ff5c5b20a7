"""LEXIMIN against the published figures and brute force (the reference package: test_lot_reference.py)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from scipy.optimize import linprog

from parsoc.errors import InputError
from parsoc.lot.instance import Pool, Quota, make_instance
from parsoc.lot.leximin import leximin
from parsoc.lot.panels import check_feasible, meets_quotas
from tests.lot.conftest import INSTANCES, instances, published, published_minimum

def feasible(instance) -> bool:
    try:
        check_feasible(instance)
    except InputError:
        return False
    return True


@pytest.mark.parametrize("name", INSTANCES)
def test_the_published_minimum_on_both_instances(name):
    seen = []
    distribution = leximin(published(name), progress=lambda share, message: seen.append((share, message)))
    probabilities = distribution.probabilities()
    assert published_minimum(name) == pytest.approx(0.10)
    assert min(probabilities) == pytest.approx(published_minimum(name), abs=1e-9)
    # everyone exactly k/n, the lone female conservative (row 0) included
    assert max(abs(p - 0.1) for p in probabilities) < 1e-9
    assert probabilities[0] == pytest.approx(0.1, abs=1e-9)
    assert sum(distribution.weights) == pytest.approx(1.0)
    assert seen[-1][0] == 1.0 and "probabilities fixed" in seen[-1][1]


def _all_panels(instance):
    return [panel for panel in itertools.combinations(range(len(instance.pool)), instance.panel_size)
            if not meets_quotas(instance, panel)]


def _maximin_by_enumeration(instance) -> float:
    """max z s.t. every person's probability >= z, over a lottery on every valid panel (scipy's HiGHS)."""
    panels = _all_panels(instance)
    n, m = len(instance.pool), len(panels)
    member = np.zeros((n, m))
    for j, panel in enumerate(panels):
        member[list(panel), j] = 1
    # variables x_1..x_m, z: minimise -z; z - member x <= 0; sum x = 1
    cost = np.r_[np.zeros(m), -1.0]
    upper = np.hstack([-member, np.ones((n, 1))])
    result = linprog(cost, A_ub=upper, b_ub=np.zeros(n), A_eq=np.r_[np.ones(m), 0.0][None, :], b_eq=[1.0],
                     bounds=[(0, None)] * m + [(None, None)], method="highs")
    return -result.fun


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(instances(max_people=9, max_categories=3))
def test_minimum_equals_brute_force_and_probabilities_add_up_to_k(instance):
    assume(feasible(instance))
    distribution = leximin(instance)
    probabilities = distribution.probabilities()
    assert min(probabilities) == pytest.approx(_maximin_by_enumeration(instance), abs=1e-7)
    assert sum(probabilities) == pytest.approx(instance.panel_size, abs=1e-7)
    assert all(-1e-9 <= p <= 1 + 1e-9 for p in probabilities)
    # every panel in the lottery is valid, and the weights are a distribution
    for counts in distribution.compositions:
        members = [m for t, c in enumerate(counts) for m in distribution.profiles.members[t][:c]]
        assert meets_quotas(instance, members) == []
    assert sum(distribution.weights) == pytest.approx(1.0)


def test_someone_no_panel_can_hold_gets_zero_and_the_rest_are_still_leximin():
    # The feature "retired: yes" has max 0, so its one person is never selected.
    people = (("f", "no"), ("m", "no"), ("f", "no"), ("m", "yes"), ("m", "no"))
    quotas = (Quota("gender", "f", 1, 2), Quota("gender", "m", 1, 2), Quota("retired", "no", 0, 2),
              Quota("retired", "yes", 0, 0))
    instance = make_instance(Pool(("gender", "retired"), people), quotas, 2)
    probabilities = leximin(instance).probabilities()
    assert probabilities[3] == pytest.approx(0.0, abs=1e-9)
    # the two women share one seat, the two other men the other
    assert probabilities == pytest.approx([0.5, 0.5, 0.5, 0.0, 0.5], abs=1e-9)


def test_leximin_goes_beyond_the_minimum():
    # One person must sit on every panel (the only "a"); the others share the second seat equally.
    people = (("a",), ("b",), ("b",), ("b",))
    quotas = (Quota("kind", "a", 1, 1), Quota("kind", "b", 1, 1))
    probabilities = leximin(make_instance(Pool(("kind",), people), quotas, 2)).probabilities()
    assert probabilities == pytest.approx([1.0, 1 / 3, 1 / 3, 1 / 3], abs=1e-9)
