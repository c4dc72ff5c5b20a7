"""``parsoc vote tally`` and ``parsoc budget run``: flags, JSON keys, errors as one line."""

from __future__ import annotations

import json

from tests.choice.conftest import run_cli


def test_vote_tally_json(shared_data):
    path = shared_data / "preflib" / "00002-debian" / "00002-00000001.soi"
    done = run_cli("vote", "tally", str(path), "--method", "schulze", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["winners"] == ["3"]
    assert result["tied"] is False
    assert result["margins"]["3"]["1"] > 0


def test_vote_tally_stv_seats(shared_data):
    path = shared_data / "preflib" / "00008-glasgow" / "00008-00000006.soi"
    done = run_cli("vote", "tally", str(path), "--method", "stv", "--seats", "3", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert len(result["winners"]) == 3
    assert all(isinstance(w, str) for w in result["winners"])
    assert result["scores"]["quota"] == 8680 // 4 + 1


def test_vote_tally_reports_ties(shared_data):
    path = shared_data / "preflib" / "00031-vermont" / "00031-00000010.toc"
    done = run_cli("vote", "tally", str(path), "--method", "approval", "--seats", "2", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["winners"] == ["1", "4"]


def test_vote_tally_human_output(shared_data):
    path = shared_data / "preflib" / "00002-debian" / "00002-00000001.soi"
    done = run_cli("vote", "tally", str(path), "--method", "borda")
    assert done.returncode == 0
    assert "Bdale Garbee" in done.stdout


def test_stv_human_output_shows_the_count_round_by_round(shared_data):
    path = shared_data / "preflib" / "00028-apa" / "00028-00000006.toc"
    done = run_cli("vote", "tally", str(path), "--method", "stv", "--seats", "3", env={"COLUMNS": "200"})
    assert done.returncode == 0, done.stderr
    assert "The count, round by round" in done.stdout
    decided = [line for line in done.stdout.splitlines() if "decided" in line][0]
    # the same decisions, in the same order, as the JSON rounds
    rounds = json.loads(run_cli("vote", "tally", str(path), "--method", "stv", "--seats", "3", "--json").stdout)["rounds"]
    assert [r.get("excluded") for r in rounds if r.get("excluded")] == ["1", "5"]
    assert decided.index("elected 4") < decided.index("surplus of 4") < decided.index("excluded 1") < decided.index("excluded 5")


def test_budget_run_equal_shares_json(shared_data):
    path = shared_data / "pabulib" / "Poland_Warszawa_2019_Grochow_Centrum.pb"
    done = run_cli("budget", "run", str(path), "--rule", "equal-shares", "--satisfaction", "cost", "--completion", "none", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["selected"] and all(isinstance(p, str) for p in result["selected"])
    assert set(result["payments"]) == set(result["selected"])
    assert result["cost"] <= result["budget"]
    for project, paid in result["payments"].items():
        assert all(amount > 0 for amount in paid.values())


def test_budget_run_greedy_and_phragmen(shared_data):
    path = shared_data / "pabulib" / "Poland_Krakow_2018_Bienczyce.pb"
    for rule in ("greedy", "phragmen"):
        done = run_cli("budget", "run", str(path), "--rule", rule, "--json")
        assert done.returncode == 0, done.stderr
        result = json.loads(done.stdout)
        assert result["cost"] <= result["budget"]
        assert 0 < result["measures"]["share_of_voters_with_funded_project"] <= 1


def test_bad_input_is_one_line_and_status_2(tmp_path):
    bad = tmp_path / "bad.soi"
    bad.write_text("# NUMBER ALTERNATIVES: 2\n3: 1,7\n")
    done = run_cli("vote", "tally", str(bad), "--method", "irv")
    assert done.returncode == 2
    assert done.stderr.strip() == "parsoc: error: bad.soi line 2: alternative 7 is not among 1..2"
    done = run_cli("budget", "run", str(tmp_path / "missing.pb"), "--rule", "greedy")
    assert done.returncode == 2
    assert "no such file" in done.stderr and "Traceback" not in done.stderr
    done = run_cli("vote", "tally", str(bad), "--method", "irv", "--seats", "2")
    assert done.returncode == 2


def test_pav_by_mip_prints_only_json(tmp_path):
    """Six seats out of 30 projects is past the enumeration limit, so HiGHS solves it; its
    start-up banner (written by C++ to the process's standard output) must not get in."""
    from fractions import Fraction
    from math import comb

    import numpy as np

    from parsoc.choice import PBElection, write_pabulib
    from parsoc.choice.approval_committee import ENUMERATION_LIMIT

    rng = np.random.default_rng(3)
    m, n = 30, 80
    ballots = tuple(tuple(int(p) for p in np.flatnonzero(rng.random(m) < 0.2)) or (0,) for _ in range(n))
    election = PBElection({"description": "wide"}, tuple(str(p) for p in range(m)), tuple(Fraction(10) for _ in range(m)),
                          Fraction(100), "approval", tuple(str(v) for v in range(n)), ballots, tuple((1.0,) * len(b) for b in ballots),
                          {}, "wide")
    path = tmp_path / "wide.pb"
    path.write_text(write_pabulib(election))
    assert comb(m, 6) * n > ENUMERATION_LIMIT
    done = run_cli("vote", "tally", str(path), "--method", "pav", "--seats", "6", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert len(result["winners"]) == 6 and result["scores"]["pav_score"] > 0
