"""``parsoc lot draw`` and ``parsoc lot replay``: the JSON keys, the published figures, errors as one line."""

from __future__ import annotations

import json

import pytest

from parsoc.lot.panels import meets_quotas
from tests.choice.conftest import run_cli
from tests.lot.conftest import INSTANCES, SORTITION, published


def draw(name, *extra):
    folder = SORTITION / name
    k = name.rsplit("_", 1)[1]
    return run_cli("lot", "draw", str(folder / "categories.csv"), str(folder / "respondents.csv"), "--panel", k, *extra)


@pytest.mark.parametrize("name", INSTANCES)
def test_draw_json_on_both_instances(name):
    done = draw(name, "--seed", "2026-12-04", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    instance = published(name)
    assert len(result["probabilities"]) == len(instance.pool)
    assert result["minimum_probability"] == pytest.approx(0.10, abs=1e-9)
    assert all(p == pytest.approx(0.10, abs=1e-9) for p in result["probabilities"])
    assert meets_quotas(instance, result["panel"]) == []
    assert result["seed"] == "2026-12-04" and result["method"] == "leximin"
    assert isinstance(result["seconds"], float) and result["seconds"] >= 0
    # the same seed, the same panel
    assert json.loads(draw(name, "--seed", "2026-12-04", "--json").stdout)["panel"] == result["panel"]


def test_replay_a_published_result(tmp_path):
    done = draw("example_small_20", "--seed", "published in advance", "--json")
    path = tmp_path / "result.json"
    path.write_text(done.stdout)
    replay = run_cli("lot", "replay", str(path))
    assert replay.returncode == 0, replay.stderr
    assert json.loads(replay.stdout) == {"seed": "published in advance", "panel": json.loads(done.stdout)["panel"],
                                         "same_as_published": True}
    tampered = json.loads(done.stdout)
    tampered["panel"] = tampered["panel"][1:] + [199 if 199 not in tampered["panel"] else 198]
    path.write_text(json.dumps(tampered))
    replay = run_cli("lot", "replay", str(path))
    assert replay.returncode == 1
    assert json.loads(replay.stdout)["same_as_published"] is False


def test_legacy_json():
    done = draw("example_small_20", "--method", "legacy", "--seed", "x", "--runs", "200", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["method"] == "legacy" and result["runs"] == 200
    assert result["minimum_probability"] < 0.05  # the lone female conservative
    assert meets_quotas(published("example_small_20"), result["panel"]) == []


def test_human_output():
    done = draw("example_small_20", "--seed", "x")
    assert done.returncode == 0, done.stderr
    assert "smallest selection probability 10.0000%" in done.stdout
    assert "seed 'x' draws the panel" in done.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["--panel", "0"], "panel size 0 must be a whole number of at least 1"),
    (["--panel", "201"], "panel size 201 is larger than the pool (200 people"),
    (["--panel", "20", "--method", "random"], "--method 'random' is not one of leximin, legacy"),
    (["--panel", "45"], "category gender can fill at most 40 seats of the panel of 45"),
])
def test_bad_input_is_one_line(args, message):
    folder = SORTITION / "example_small_20"
    done = run_cli("lot", "draw", str(folder / "categories.csv"), str(folder / "respondents.csv"), *args, "--json")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("parsoc: error: ")
    assert message in done.stderr


def test_infeasible_quota_file_names_the_quota(tmp_path):
    folder = SORTITION / "example_small_20"
    (tmp_path / "categories.csv").write_text(
        "category,feature,min,max\ngender,female,9,20\ngender,male,9,20\nleaning,liberal,9,20\nleaning,conservative,15,20\n")
    done = run_cli("lot", "draw", str(tmp_path / "categories.csv"), str(folder / "respondents.csv"), "--panel", "20")
    assert done.returncode == 2
    assert "the minimums of category leaning add up to 24, more than the panel of 20" in done.stderr
    assert "quota leaning/conservative (min 15, max 20, row 5)" in done.stderr
    assert "Traceback" not in done.stderr
