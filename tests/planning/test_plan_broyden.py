"""Our rule reaches 3% in fewer rounds than hahnel2021 on every real experiment."""

from __future__ import annotations

import numpy as np
import pytest

from parsoc.planning.board import RULES
from parsoc.planning.procedure import run_plan

EXPERIMENTS = [f"dep1ex0{n}" for n in range(1, 6)]


@pytest.mark.parametrize("name", EXPERIMENTS)
def test_fewer_rounds_to_three_percent(experiments, name):
    economy = experiments[name][0]
    ours = run_plan(economy, RULES["broyden"], threshold_pct=3.0).years[0]
    theirs = run_plan(economy, RULES["hahnel2021"], threshold_pct=3.0).years[0]
    assert ours.converged and theirs.converged
    assert ours.round_reached()["3"] < theirs.round_reached()["3"]
    assert ours.round_reached()["5"] <= theirs.round_reached()["5"]
    assert ours.max_imbalance_pct < 3.0


@pytest.mark.parametrize("size", [(600, 600, 10, 1), (3000, 3000, 10, 2), (30000, 30000, 100, 3)])
def test_converges_on_generated_economies_and_two_years(size):
    from parsoc.planning.generator import generate

    ccs, wcs, g, seed = size
    economy = generate(ccs, wcs, g, seed)
    run = run_plan(economy, RULES["broyden"], threshold_pct=3.0, years=2, seed=seed)
    for year in run.years:
        assert year.converged and year.max_imbalance_pct < 3.0
        assert np.all(year.prices > 0)
    assert len(run.years[1].rounds) <= len(run.years[0].rounds)
