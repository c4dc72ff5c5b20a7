"""The exact reference: balancing prices by a root-finder on log prices."""

from __future__ import annotations

import numpy as np

from parsoc.planning.board import RULES
from parsoc.planning.councils import CouncilBlock
from parsoc.planning.equilibrium import distance, excess_and_jacobian, solve_equilibrium
from parsoc.planning.procedure import run_plan


def test_analytic_jacobian_matches_finite_differences(small_economy):
    block = CouncilBlock.of(small_economy)
    y = np.log(np.random.default_rng(0).uniform(400, 1000, small_economy.n_commodities))
    f, jac = excess_and_jacobian(block, y)
    h = 1e-6
    numeric = np.empty_like(jac)
    for i in range(y.size):
        step = np.zeros_like(y)
        step[i] = h
        numeric[:, i] = (excess_and_jacobian(block, y + step)[0] - excess_and_jacobian(block, y - step)[0]) / (2 * h)
    assert np.max(np.abs(jac - numeric)) < 1e-6 * np.max(np.abs(jac))


def test_balancing_prices_balance_every_commodity_and_the_procedure_approaches_them(experiments):
    economy = experiments["dep1ex01"][0]
    reference = solve_equilibrium(economy)
    assert reference.converged and reference.max_imbalance_pct < 1e-8
    answer = CouncilBlock.of(economy).answer(reference.prices)
    np.testing.assert_allclose(answer.supply, answer.demand, rtol=1e-10)
    gaps = [
        distance(economy, run_plan(economy, RULES["hahnel2021"], threshold).years[0].prices, reference)
        for threshold in (10.0, 5.0, 3.0)
    ]
    assert gaps[0]["max_output_gap_pct"] > gaps[2]["max_output_gap_pct"]
    # broyden, run to a tight threshold, ends at the balancing prices themselves
    tight = run_plan(economy, RULES["broyden"], 1e-6, max_rounds=60).years[0]
    assert tight.converged
    np.testing.assert_allclose(tight.prices, reference.prices, rtol=1e-7)
