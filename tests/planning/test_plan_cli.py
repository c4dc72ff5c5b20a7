"""``parsoc plan``: run, generate, equilibrium, and refusals without tracebacks."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import numpy as np
import pytest


def plan(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "parsoc.cli.main", "plan", *args], capture_output=True, text=True)


def test_run_json_on_a_real_experiment(pequod, tmp_path):
    result = plan("run", str(pequod / "dep1ex01.clj.gz"), "--json", "--csv", str(tmp_path / "r.csv"), "--plot", str(tmp_path / "r.png"))
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["rounds"] == 19 and out["converged"] is True
    assert out["round_reached"]["10"] == 7 and out["round_reached"]["5"] == 11 and out["round_reached"]["3"] == 19
    assert out["max_imbalance_pct"] < 3
    assert len(out["prices"]) == 50 and out["commodities"][0] == "private-1" and out["commodities"][-1] == "public-10"
    assert out["seconds_per_round"] > 0
    with gzip_csv(pequod / "dep1ex01.csv.gz") as rows:
        original = [row for row in rows]
    with open(tmp_path / "r.csv", newline="") as handle:
        ours = list(csv.reader(handle))
    assert ours[0] == original[0]
    last = [float(x) for x in original[19][2:52]]
    np.testing.assert_allclose(out["prices"], last, rtol=1e-9)
    assert (tmp_path / "r.png").read_bytes()[:4] == b"\x89PNG"


class gzip_csv:
    def __init__(self, path):
        import gzip

        self.handle = gzip.open(path, "rt", newline="")

    def __enter__(self):
        return csv.reader(self.handle)

    def __exit__(self, *exc):
        self.handle.close()


def test_generate_then_run_two_years_with_our_rule(tmp_path):
    target = tmp_path / "g.npz"
    made = plan("generate", "--ccs", "900", "--wcs", "600", "--per-category", "10", "--seed", "4", "-o", str(target))
    assert made.returncode == 0, made.stderr
    result = plan("run", str(target), "--rule", "broyden", "--years", "2", "--seed", "8", "--threshold", "5", "--max-rounds", "40", "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert len(out["years"]) == 2 and all(y["converged"] for y in out["years"])
    assert out["rounds"] == out["years"][1]["rounds"]
    assert out["max_imbalance_pct"] < 5 and out["round_reached"]["5"] == out["rounds"]
    assert out["ccs"] == 900 and out["wcs"] == 600
    # the plan per council, at the final prices
    from parsoc.planning.compact import read_economy
    from parsoc.planning.procedure import change_exponents

    assert plan("run", str(target), "--threshold", "5", "--plan", str(tmp_path / "plan.npz")).returncode == 0
    economy = read_economy(target)
    with np.load(tmp_path / "plan.npz") as saved:
        prices, output, use = saved["prices"], saved["wc_output"], saved["wc_input_use"]
        assert saved["cc_private"].shape == (900, 10) and saved["wc_effort"].shape == (600,)
    supply = np.bincount(economy.wc_output_commodity, weights=output, minlength=50)
    demand = np.bincount(economy.wc_input_commodity, weights=use, minlength=50)
    inter = economy.category_slice("intermediate")
    assert np.max(2 * np.abs(supply - demand)[inter] / (supply + demand)[inter]) < 0.05
    assert prices.shape == (50,) and change_exponents(economy, 8).n_wcs == 600
    edn = tmp_path / "g.clj.gz"
    assert plan("generate", "--ccs", "900", "--wcs", "600", "--per-category", "10", "--seed", "4", "-o", str(edn)).returncode == 0
    again = json.loads(plan("run", str(edn), "--rule", "broyden", "--years", "2", "--seed", "8", "--threshold", "5", "--max-rounds", "40", "--json").stdout)
    assert again["prices"] == out["prices"]


def test_round_limit_and_threshold(pequod):
    out = json.loads(plan("run", str(pequod / "dep1ex02.clj.gz"), "--max-rounds", "4", "--json").stdout)
    assert out["rounds"] == 4 and out["converged"] is False and out["round_reached"]["5"] is None
    out = json.loads(plan("run", str(pequod / "dep1ex02.clj.gz"), "--threshold", "10", "--json").stdout)
    assert out["converged"] and out["rounds"] == out["round_reached"]["10"] == 8


def test_equilibrium_json(pequod):
    result = plan("equilibrium", str(pequod / "dep1ex05.clj.gz"), "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["converged"] and out["max_imbalance_pct"] < 1e-8 and len(out["prices"]) == 50
    assert out["procedure"]["rounds"] == 18
    assert 0 < out["distance"]["max_price_gap_pct"] < 20


@pytest.mark.parametrize(
    "args,message",
    [
        (["run", "MISSING"], "no such file"),
        (["run", "ECONOMY", "--rule", "nope"], "unknown rule 'nope'"),
        (["run", "ECONOMY", "--years", "3"], "--years must be 1 or 2"),
        (["run", "BAD"], "bad.clj: worker council 1: missing key :a"),
        (["generate", "--ccs", "5", "--wcs", "5", "--per-category", "10", "-o", "OUT"], "--wcs must be at least 3 × --per-category = 30"),
    ],
)
def test_user_errors_are_one_line_and_status_2(tmp_path, args, message):
    good = tmp_path / "e.npz"
    assert plan("generate", "--ccs", "30", "--wcs", "30", "--per-category", "3", "-o", str(good)).returncode == 0
    bad = tmp_path / "bad.clj"
    bad.write_text("(def ccs [{:income 1 :utility-exponents [1] :public-good-exponents [1]}])\n(def wcs [{:industry 0 :product 1}])")
    paths = {"MISSING": str(tmp_path / "missing.clj"), "ECONOMY": str(good), "BAD": str(bad), "OUT": str(tmp_path / "o.npz")}
    result = plan(*[paths.get(a, a) for a in args])
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert message in result.stderr
    assert result.stderr.strip().startswith("parsoc: error:")
