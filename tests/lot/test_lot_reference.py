"""LEXIMIN equals the reference implementation's, to 1e-6, where the reference can run.

The reference is the Sortition Foundation's ``sortition-algorithms`` (PyPI, in the ``test``
extra); its LEXIMIN runs on Gurobi's free size-limited licence (``gurobipy``), which solves
``example_small_20`` and small random pools, not ``example_large_200`` ("Model too large for
size-limited license"; that one is checked against the published minimum in
test_lot_leximin.py). Each call takes it a few seconds, so the random pools are few and small.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings

from parsoc.lot.leximin import leximin
from tests.lot.conftest import instances, published
from tests.lot.reference import reference_leximin
from tests.lot.test_lot_leximin import feasible

pytest.importorskip("sortition_algorithms")
pytest.importorskip("gurobipy")


def test_equal_to_the_reference_on_example_small_20():
    instance = published("example_small_20")
    ours = leximin(instance).probabilities()
    theirs = reference_leximin(instance)
    assert len(ours) == len(theirs) == 200
    assert max(abs(a - b) for a, b in zip(ours, theirs, strict=True)) < 1e-6


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(instances(max_people=20, max_categories=3))
def test_equal_to_the_reference_on_random_pools(instance):
    assume(feasible(instance))
    ours = leximin(instance).probabilities()
    theirs = reference_leximin(instance)
    assert max(abs(a - b) for a, b in zip(ours, theirs, strict=True)) < 1e-6
