"""The generator draws from the published distributions, and hahnel2021 behaves as published."""

from __future__ import annotations

import numpy as np
import pytest

from parsoc.errors import InputError
from parsoc.planning.board import RULES
from parsoc.planning.generator import generate
from parsoc.planning.procedure import run_plan


def test_parameters_follow_the_published_distributions():
    g = 20
    e = generate(ccs=2000, wcs=3000, per_category=g, seed=4)
    assert e.sizes == (g,) * 5
    # a third each of private, intermediate, public, spread evenly over the products
    assert np.bincount(e.wc_industry).tolist() == [1000, 1000, 1000]
    for industry in range(3):
        assert np.bincount(e.wc_product[e.wc_industry == industry], minlength=g).tolist() == [50] * g
    off = e.offsets
    owner = e.wc_input_owner
    for cat, (lo, hi) in zip((1, 2, 3), ((1, 4), (1, 2), (1, 2))):
        in_cat = (e.wc_input_commodity >= off[cat]) & (e.wc_input_commodity < off[cat + 1])
        count = np.bincount(owner[in_cat], minlength=e.n_wcs)
        assert count.min() == lo and count.max() == hi
        assert set(np.unique(count)) == set(range(lo, hi + 1))
    # distinct inputs within each council
    pairs = owner.astype(np.int64) * 1000 + e.wc_input_commodity
    assert np.unique(pairs).size == pairs.size
    n = np.diff(e.wc_indptr)[owner]
    scaled = e.wc_input_exponent * n
    assert scaled.min() >= 0.75 and scaled.max() < 0.85
    total = np.bincount(owner, weights=e.wc_input_exponent)
    assert total.min() >= 0.75 - 1e-12 and total.max() < 0.85
    for values, lo, hi in ((e.wc_c, 0.05, 0.1), (e.wc_k, 3, 4), (e.wc_a, 4, 6)):
        assert values.min() >= lo and values.max() < hi
        assert values.max() - values.min() > 0.9 * (hi - lo)
    assert np.all(e.wc_s == 1.0)
    z = 0.5 / (2 * g)
    for values in (e.cc_private, e.cc_public):
        assert values.min() >= z and values.max() < 2 * z
    assert np.all(e.cc_income == 5000)
    # every natural resource and labour type: 1000 per 300 worker councils per commodity
    np.testing.assert_allclose(e.endowment, 1000 * 3000 / (300 * g))


def test_the_published_sizes_get_exactly_1000_and_a_seed_fixes_the_economy():
    a = generate(ccs=3000, wcs=3000, per_category=10, seed=9)
    b = generate(ccs=3000, wcs=3000, per_category=10, seed=9)
    c = generate(ccs=3000, wcs=3000, per_category=10, seed=10)
    assert np.all(a.endowment == 1000.0)
    assert np.array_equal(a.wc_input_exponent, b.wc_input_exponent) and np.array_equal(a.cc_private, b.cc_private)
    assert not np.array_equal(a.cc_private, c.cc_private)
    assert np.all(generate(ccs=30, wcs=30, per_category=2, seed=1, endowment=50.0).endowment == 50.0)


@pytest.mark.parametrize("ccs,wcs,g", [(600, 600, 10), (3000, 3000, 10), (30000, 30000, 100)])
def test_hahnel2021_reaches_five_percent_in_about_a_dozen_rounds_at_every_size(ccs, wcs, g):
    for seed in (1, 2):
        year = run_plan(generate(ccs, wcs, g, seed), RULES["hahnel2021"], threshold_pct=5.0).years[0]
        assert year.converged
        assert 9 <= year.round_reached()["5"] <= 15


def test_small_economies_still_use_every_input():
    e = generate(ccs=10, wcs=12, per_category=4, seed=3)
    used = np.bincount(e.wc_input_commodity, minlength=e.n_commodities)
    assert np.all(used[e.category_slice("intermediate")] > 0)
    assert np.all(used[e.category_slice("nature")] > 0) and np.all(used[e.category_slice("labor")] > 0)


def test_impossible_sizes_are_refused():
    with pytest.raises(InputError, match="--wcs"):
        generate(ccs=10, wcs=5, per_category=10)
    with pytest.raises(InputError, match="--per-category"):
        generate(ccs=10, wcs=5, per_category=0)
