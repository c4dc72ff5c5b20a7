"""A year run through the web services, every council answering from its function, gives the
prices of :mod:`parsoc.planning` on the year's exported economy, round by round."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsoc.planning.board import rule_named
from parsoc.planning.councils import CouncilBlock
from parsoc.planning.generator import generate
from parsoc.planning.procedure import run_year

pytestmark = pytest.mark.django_db


def _federation():
    from parsoc.councils.kinds import CouncilKind
    from parsoc.web.councils.models import Council

    fed = Council.objects.create(name="Fed", slug=Council.unique_slug("Fed"), kind=CouncilKind.FEDERATION)
    Council.objects.create(name="Hall", slug=Council.unique_slug("Hall"), kind=CouncilKind.CHAPTER, parent=fed)
    return fed


def _run(economy, rule: str, max_rounds: int):
    from parsoc.web.planning import services
    from parsoc.web.planning.models import unpack

    year = services.open_year(None, _federation(), title="Year", goods=services.goods_of_economy(economy),
                              rule=rule, threshold_pct=3.0)
    services.import_economy(None, year, economy)
    closed = []
    for _ in range(max_rounds):
        r = services.close_round(None, year)
        closed.append(r)
        if services.current_round(year) is None:
            break
    return year, [(unpack(r.prices), unpack(r.supply), unpack(r.demand), unpack(r.prices_after)) for r in closed]


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**31), per=st.integers(1, 3), extra_wcs=st.integers(0, 12), ccs=st.integers(1, 12),
       rule=st.sampled_from(["hahnel2021", "broyden"]))
def test_web_year_equals_engine(django_db_blocker, seed, per, extra_wcs, ccs, rule):
    economy = generate(ccs=ccs, wcs=3 * per + extra_wcs, per_category=per, seed=seed)
    with django_db_blocker.unblock():
        from django.db import transaction

        sid = transaction.savepoint()
        try:
            year, web = _run(economy, rule, max_rounds=40)
            from parsoc.web.planning import services

            exported = services.export_economy(year)
        finally:
            transaction.savepoint_rollback(sid)
    # the exported economy is the one imported
    for field in ("cc_income", "cc_private", "cc_public", "wc_a", "wc_input_exponent", "wc_input_commodity", "endowment"):
        assert np.array_equal(getattr(exported, field), getattr(economy, field)), field
    engine = run_year(CouncilBlock.of(exported).answer, exported.n_commodities, rule_named(rule), 3.0, max_rounds=40)
    assert len(engine.rounds) == len(web) > 1
    for record, (before, supply, demand, after) in zip(engine.rounds, web, strict=True):
        np.testing.assert_allclose(before, record.prices_before, rtol=1e-12, atol=0)
        np.testing.assert_allclose(supply, record.supply, rtol=1e-12, atol=0)
        np.testing.assert_allclose(demand, record.demand, rtol=1e-12, atol=0)
        np.testing.assert_allclose(after, record.prices_after, rtol=1e-12, atol=0)
