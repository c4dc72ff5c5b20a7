"""Property tests: first-order conditions, positive prices, invariance to the unit of account."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from parsoc.planning.board import RULES
from parsoc.planning.councils import CouncilBlock, consumer_proposals, worker_proposals
from parsoc.planning.generator import generate
from parsoc.planning.procedure import run_plan

ECONOMY = generate(ccs=90, wcs=60, per_category=4, seed=5)
N = ECONOMY.n_commodities
price_vectors = arrays(np.float64, N, elements=st.floats(1.0, 1e4))
positive_totals = arrays(np.float64, N, elements=st.floats(1e-3, 1e6))


@settings(max_examples=60, deadline=None)
@given(prices=price_vectors)
def test_worker_councils_satisfy_their_first_order_conditions(prices):
    e = ECONOMY
    w = worker_proposals(e, prices)
    out = e.wc_output_commodity
    owner = e.wc_input_owner
    p0 = prices[out]
    b = e.wc_input_exponent
    # marginal revenue product of each input equals its price: p0 b_j q / x_j = p_j
    np.testing.assert_allclose(p0[owner] * b * w.output[owner] / w.input_use, prices[e.wc_input_commodity], rtol=1e-9)
    # marginal revenue product of effort equals its marginal disutility: c p0 q / e = S k e^(k-1)
    np.testing.assert_allclose(e.wc_c * p0 * w.output / w.effort, e.wc_s * e.wc_k * w.effort ** (e.wc_k - 1), rtol=1e-9)
    # the proposal is feasible: q = A e^c prod x^b
    log_q = np.log(e.wc_a) + e.wc_c * np.log(w.effort) + np.bincount(owner, weights=b * np.log(w.input_use), minlength=e.n_wcs)
    np.testing.assert_allclose(np.log(w.output), log_q, rtol=1e-9, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(prices=price_vectors)
def test_consumer_councils_spend_their_income_in_proportion_to_their_exponents(prices):
    e = ECONOMY
    private, public = consumer_proposals(e, prices)
    share = prices[e.category_slice("public")] / e.n_ccs
    spent_private = private * prices[e.category_slice("private")]
    spent_public = public * share
    np.testing.assert_allclose(spent_private.sum(1) + spent_public.sum(1), e.cc_income, rtol=1e-12)
    total = e.cc_private.sum(1) + e.cc_public.sum(1)
    np.testing.assert_allclose(spent_private, e.cc_income[:, None] * e.cc_private / total[:, None], rtol=1e-12)
    # the totals the board sees are the sums of the councils' answers (public: the mean)
    answer = CouncilBlock.of(e).answer(prices)
    np.testing.assert_allclose(answer.demand[e.category_slice("private")], private.sum(0), rtol=1e-12)
    np.testing.assert_allclose(answer.demand[e.category_slice("public")], public.mean(0), rtol=1e-12)


@settings(max_examples=100, deadline=None)
@given(prices=price_vectors, supply=positive_totals, demand=positive_totals, rule=st.sampled_from(sorted(RULES)))
def test_rules_keep_prices_positive(prices, supply, demand, rule):
    board = RULES[rule]
    state = board.initial_state(N)
    for _ in range(3):
        answer = board.answer(prices, supply, demand, state)
        assert np.all(answer.prices > 0) and np.all(np.isfinite(answer.prices))
        prices, state = answer.prices, answer.state


@settings(max_examples=40, deadline=None)
@given(prices=price_vectors, factor=st.floats(0.01, 100.0))
def test_scaling_every_price_and_the_nominal_quantities_changes_no_quantity(prices, factor):
    """Incomes and disutility scales S are money too: scale them with the prices and every
    council proposes exactly the same quantities (degree-zero homogeneity)."""
    e, scaled = ECONOMY, ECONOMY.scaled_nominal(factor)
    a, b = worker_proposals(e, prices), worker_proposals(scaled, prices * factor)
    for x, y in ((a.output, b.output), (a.effort, b.effort), (a.input_use, b.input_use)):
        np.testing.assert_allclose(x, y, rtol=1e-9)
    for x, y in zip(consumer_proposals(e, prices), consumer_proposals(scaled, prices * factor)):
        np.testing.assert_allclose(x, y, rtol=1e-9)


def test_a_run_in_another_unit_of_account_gives_the_same_rounds_and_scaled_prices():
    from parsoc.planning.procedure import run_year

    e = generate(ccs=300, wcs=300, per_category=10, seed=2)
    for rule in RULES.values():
        base = run_plan(e, rule, 3.0).years[0]
        scaled = e.scaled_nominal(3.0)
        other = run_year(CouncilBlock.of(scaled).answer, e.n_commodities, rule, 3.0, prices=np.full(e.n_commodities, 2100.0))
        assert len(other.rounds) == len(base.rounds)
        np.testing.assert_allclose(other.prices, 3.0 * base.prices, rtol=1e-9)
