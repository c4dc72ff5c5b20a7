"""``parsoc plan year open|import|close-round|export`` against the test database."""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from parsoc.planning.compact import read_economy, write_economy
from parsoc.planning.generator import generate

pytestmark = pytest.mark.django_db


def invoke(*args):
    from parsoc.cli.main import app

    return CliRunner().invoke(app, ["plan", "year", *args])


def test_open_import_close_export(tmp_path):
    from parsoc.councils.kinds import CouncilKind
    from parsoc.web.councils.models import Council
    from parsoc.web.planning.models import PlanningYear

    fed = Council.objects.create(name="Fed", slug="fed", kind=CouncilKind.FEDERATION)
    Council.objects.create(name="Hall", slug="hall", kind=CouncilKind.CHAPTER, parent=fed)
    economy = generate(ccs=8, wcs=12, per_category=2, seed=5)
    write_economy(economy, tmp_path / "e.npz")
    opened = invoke("open", "fed", "--title", "Sim year", "--economy", str(tmp_path / "e.npz"), "--rule", "broyden")
    assert opened.exit_code == 0, opened.output
    year = PlanningYear.objects.get()
    assert f"year {year.pk}: Sim year in fed, 10 goods" in opened.output
    imported = invoke("import", str(year.pk), str(tmp_path / "e.npz"))
    assert "imported 12 worker councils and 8 consumer councils" in imported.output
    closed = invoke("close-round", str(year.pk), "--until-threshold")
    assert closed.exit_code == 0 and "threshold met" in closed.output, closed.output
    assert year.rounds.filter(closed_at__isnull=True).count() == 0
    assert invoke("export", str(year.pk), "-o", str(tmp_path / "out.clj")).exit_code == 0
    back = read_economy(tmp_path / "out.clj")
    np.testing.assert_allclose(back.wc_input_exponent, economy.wc_input_exponent, rtol=1e-15)
    np.testing.assert_array_equal(back.cc_income, economy.cc_income)
    assert invoke("export", str(year.pk), "-o", str(tmp_path / "rounds.csv")).exit_code == 0
    lines = (tmp_path / "rounds.csv").read_text().splitlines()
    assert lines[0].startswith("round,good,category") and len(lines) == 1 + 10 * year.rounds.count()


def test_errors_name_what_is_wrong(tmp_path):
    from parsoc.errors import InputError

    result = invoke("close-round", "999")
    assert isinstance(result.exception, InputError) and "no planning year 999" in str(result.exception)
    write_economy(generate(ccs=2, wcs=3, per_category=1, seed=1), tmp_path / "e.npz")
    result = invoke("open", "nowhere", "--title", "x", "--economy", str(tmp_path / "e.npz"))
    assert isinstance(result.exception, InputError) and "no council 'nowhere'" in str(result.exception)


def test_tick_closes_rounds_past_their_deadline():
    from datetime import timedelta

    from django.utils import timezone

    from parsoc.councils.kinds import CouncilKind
    from parsoc.web.councils.models import Council
    from parsoc.web.planning import services

    fed = Council.objects.create(name="Fed", slug="fed", kind=CouncilKind.FEDERATION)
    Council.objects.create(name="WC", slug="wc", kind=CouncilKind.WORKER_COUNCIL, parent=fed)
    year = services.open_year(None, fed, title="Y", goods=[{"category": "private", "name": "bread"}])
    assert "closed 0 round(s)" in invoke("tick").output
    year.rounds.update(deadline=timezone.now() - timedelta(minutes=1))
    assert "closed 1 round(s)" in invoke("tick").output
    assert year.rounds.get(number=1).closed_at is not None and services.current_round(year).number == 2
