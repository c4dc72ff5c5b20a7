"""``parsoc jobs balance`` end to end, through the real command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples" / "work"


def parsoc(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "parsoc.cli.main", *args], capture_output=True, text=True)


def test_balance_json_covers_every_task():
    result = parsoc("jobs", "balance", str(EXAMPLES / "tasks.csv"), str(EXAMPLES / "members.csv"), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["method"] == "exact" and report["optimal"]
    covered: dict[str, float] = {}
    for job in report["jobs"]:
        assert sum(job["tasks"].values()) == job["hours"]
        for task, hours in job["tasks"].items():
            covered[task] = covered.get(task, 0) + hours
    assert covered["bookkeeping"] == 8 and covered["barista"] == 14
    assert [j["member"] for j in report["jobs"] if "bookkeeping" in j["tasks"]] == ["Ana"]
    assert any("accounts" in limit["message"] for limit in report["limits"])


def test_balance_table_and_previous_jobs(tmp_path):
    jobs = tmp_path / "jobs.csv"
    jobs.write_text("member,task,hours\nAna,bookkeeping,8\nAna,shelving,12\n")
    result = parsoc("jobs", "balance", str(EXAMPLES / "tasks.csv"), str(EXAMPLES / "members.csv"), "--previous", str(jobs))
    assert result.returncode == 0, result.stderr
    assert "largest deviation" in result.stdout and "hours moved from last period" in result.stdout


def test_bad_csv_is_one_line_and_exit_2(tmp_path):
    tasks = tmp_path / "tasks.csv"
    tasks.write_text("task,hours,empowerment,desirability\ncook,ten,3,4\n")
    result = parsoc("jobs", "balance", str(tasks), str(EXAMPLES / "members.csv"))
    assert result.returncode == 2
    assert result.stderr.strip() == f"parsoc: error: {tasks} line 2: hours 'ten' is not a number"


def test_infeasible_input_is_refused_with_reason(tmp_path):
    members = tmp_path / "members.csv"
    members.write_text("member,hours\nChen,30\n")
    result = parsoc("jobs", "balance", str(EXAMPLES / "tasks.csv"), str(members), "--json")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "needs skill 'accounts' that no member has" in result.stderr
    assert "the tasks need 70 hours a week but the members work only 30" in result.stderr


def test_ratings_flags_disagreement_and_late_ratings():
    result = parsoc("jobs", "ratings", str(EXAMPLES / "ratings.csv"), "--deadline", "2026-11-25T00:00", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    by_task = {t["task"]: t for t in report["tasks"]}
    assert by_task["bookkeeping"]["empowerment"]["mean"] == 7.5 and not by_task["bookkeeping"]["flagged"]
    assert by_task["cleaning"]["flagged"] and by_task["cleaning"]["empowerment"]["count"] == 3
    assert [r["rater"] for r in report["late"]] == ["Dee"]


def test_effort_income_table_respects_the_cap():
    result = parsoc("jobs", "effort", str(EXAMPLES / "members.csv"), str(EXAMPLES / "effort.csv"),
                    "--scheme", "intensity", "--point-value", "2", "--council", "bookshop", "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert {r["council"] for r in rows} == {"bookshop"}
    assert sum(r["income"] for r in rows) == pytest.approx(2 * 70)  # capped at 1.0 × 70 hours
    assert rows[1]["member"] == "Bo" and rows[1]["income"] > rows[0]["income"]


def test_effort_bad_rating_is_one_line(tmp_path):
    bad = tmp_path / "effort.csv"
    bad.write_text("rater,ratee,rating\nAna,Bo,lots\n")
    result = parsoc("jobs", "effort", str(EXAMPLES / "members.csv"), str(bad), "--scheme", "intensity")
    assert result.returncode == 2
    assert result.stderr.strip() == "parsoc: error: 'Ana' rated 'Bo' 'lots': an intensity is a number"
