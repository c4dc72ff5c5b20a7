"""The hash-chained record: chain, replay, outcome recomputation, tampering, the CLI."""

from __future__ import annotations

import copy
import json
import subprocess
import sys

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from parsoc.decisions.record import GENESIS, canonical, verify
from parsoc.errors import InputError
from tests.decisions.logs import occupy_log

LOG = occupy_log().export()


def test_the_occupy_log_verifies_and_its_outcomes_are_what_happened():
    report = verify(LOG)
    assert report.ok, report.problems
    assert (report.decisions, report.outcomes_checked) == (3, 3)
    outcomes = {e["decision"]: e["data"]["result"] for e in LOG["events"] if e["kind"] == "outcome"}
    assert outcomes["d1"]["status"] == "passed" and outcomes["d1"]["round"] == 2
    assert outcomes["d1"]["counts"][2] == {"no": {"head": 1, "weighted": "1"}, "yes": {"head": 9, "weighted": "9"}}
    assert outcomes["d2"]["counts"][0]["yes"]["head"] == 4 and outcomes["d2"]["eligible"] == 10
    # m05 is represented by m01 (council-wide delegation), weighted 1; m01 weighs 3
    assert outcomes["d3"]["counts"][0] == {"agree": {"head": 5, "weighted": "7"}}
    assert LOG["events"][0]["prev"] == GENESIS and LOG["head"] == LOG["events"][-1]["hash"]


def test_canonical_json_is_sorted_compact_utf8_and_refuses_floats():
    assert canonical({"b": 1, "a": "é"}) == '{"a":"é","b":1}'.encode()
    with pytest.raises(InputError, match="float"):
        canonical({"weight": 0.9})


def test_the_recorder_refuses_what_the_process_does_not_allow():
    r = occupy_log()
    with pytest.raises(InputError, match="already closed"):
        r.append("d1", "stance", {"member": "m01", "kind": "agree", "reason": "", "round": 2}, "t")
    r.append("d4", "opened", {"rule": {"kind": "full_consensus"}, "members": ["a", "b"], "say": None,
                              "secret": False, "max_chain": 1}, "t")
    with pytest.raises(InputError, match="a block needs a reason"):
        r.append("d4", "stance", {"member": "a", "kind": "block", "reason": " ", "round": 0}, "t")
    with pytest.raises(InputError, match="'zed' is not eligible"):
        r.append("d4", "stance", {"member": "zed", "kind": "agree", "reason": "", "round": 0}, "t")
    with pytest.raises(InputError, match="the rule says passed"):
        r.append("d4", "stance", {"member": "a", "kind": "agree", "reason": "", "round": 0}, "t")
        r.append("d4", "round", {"round": 1}, "t")
    with pytest.raises(InputError, match="yourself"):
        r.append(None, "delegated", {"delegator": "a", "delegate": "a"}, "t")


def test_a_recorded_outcome_that_differs_from_the_stances_is_caught_even_with_fresh_hashes():
    events = copy.deepcopy(LOG["events"])
    d1 = next(i for i, e in enumerate(events) if e["kind"] == "outcome")
    events[d1]["data"]["result"]["status"] = "failed"
    # re-chain every hash from there on, as a forger with write access would
    from parsoc.decisions.record import chain
    rebuilt, last = [], None
    for e in events:
        last = chain(last, e["council"], e["decision"], e["kind"], e["at"], e["data"])
        rebuilt.append(last)
    from parsoc.decisions.record import export
    report = verify(export("assembly", rebuilt))
    assert not report.ok
    assert "recorded outcome 'failed' differs from the recomputed 'passed'" in report.problems[0]


def _rechained(events):
    """The events with every hash computed again, as a forger with write access would."""
    from parsoc.decisions.record import chain, export
    rebuilt, last = [], None
    for e in events:
        last = chain(last, e["council"], e["decision"], e["kind"], e["at"], e["data"])
        rebuilt.append(last)
    return export("assembly", rebuilt)


def test_the_poll_results_in_the_log_are_what_the_ballots_give():
    results = {e["decision"]: e["data"]["result"] for e in LOG["events"] if e["kind"] == "poll_result"}
    score = {o["option"]: o["head"] for o in results["poll-1"]["options"]}
    assert score == {"mon": 5, "sat": 0}  # m01's changed ballot counts, not the first
    assert results["poll-2"]["elected"] == ["ana", "bo"] or results["poll-2"]["elected"] == ["ana", "cy"]
    report = verify(LOG)
    assert report.ok and report.polls == 3 and report.results_checked == 3
    assert {o["option"]: o["head"] for o in results["poll-3"]["options"]} == {"tea": 4, "cake": 3}


@pytest.mark.parametrize("forge", ["named vote in a secret poll", "stuffed secret box", "secret ballot"])
def test_a_forged_secret_poll_box_is_caught_even_with_fresh_hashes(forge):
    events = copy.deepcopy(LOG["events"])
    i = next(i for i, e in enumerate(events) if e["kind"] == "poll_ballots")
    box = events[i]["data"]
    if forge == "named vote in a secret poll":
        events.insert(i, {**events[i], "kind": "poll_vote", "data": {"voter": "m00", "ballot": {"tea": 1}}})
        expected = "poll-3 is secret: a named ballot is not allowed"
    elif forge == "stuffed secret box":
        box["bulletin"].append({"receipt": "f" * 64, "ballot": {"cake": 3}})
        expected = "4 ballots for 3 names on the roll"
    else:
        box["bulletin"][0]["ballot"] = {"cake": 3, "tea": 0} if box["bulletin"][0]["ballot"] != {"cake": 3, "tea": 0} else {"tea": 3}
        expected = "differs from the recomputed"
    report = verify(_rechained(events))
    assert any(expected in p for p in report.problems), report.problems


@pytest.mark.parametrize("forge", ["vote", "result", "late vote"])
def test_a_forged_poll_vote_or_result_is_caught_even_with_fresh_hashes(forge):
    events = copy.deepcopy(LOG["events"])
    if forge == "vote":
        i = next(i for i, e in enumerate(events) if e["kind"] == "poll_vote" and e["data"]["voter"] == "m02")
        events[i]["data"]["ballot"] = {"sat": 3}  # m02's only ballot: the count changes
    elif forge == "result":
        i = next(i for i, e in enumerate(events) if e["kind"] == "poll_result" and e["decision"] == "poll-2")
        events[i]["data"]["result"]["elected"] = ["cy", "bo"]
    else:
        i = next(i for i, e in enumerate(events) if e["kind"] == "poll_closed" and e["decision"] == "poll-1")
        events.insert(i + 1, {**events[i - 1], "kind": "poll_vote"})
    report = verify(_rechained(events))
    assert not report.ok
    expected = "poll poll-1 is already closed" if forge == "late vote" else "differs from the recomputed"
    assert any(expected in p for p in report.problems), report.problems


def test_a_poll_ballot_breaking_the_polls_rules_is_caught():
    events = copy.deepcopy(LOG["events"])
    i = next(i for i, e in enumerate(events) if e["kind"] == "poll_vote" and e["decision"] == "poll-1")
    events[i]["data"]["ballot"] = {"mon": 9}
    report = verify(_rechained(events))
    assert any("score 9 for 'mon' is not a whole number from 0 to 3" in p for p in report.problems)


def _mutations(value):
    """Ways to change one JSON value."""
    if isinstance(value, bool):
        return [not value]
    if isinstance(value, int):
        return [value + 1]
    if isinstance(value, str):
        return [value + "x", ""] if value else ["x"]
    if value is None:
        return ["x"]
    return []


def _paths(value, prefix=()):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, prefix + (i,))
    else:
        yield prefix


EVENT_PATHS = [(i, p) for i, e in enumerate(LOG["events"]) for p in _paths(e)]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(EVENT_PATHS), st.data())
def test_tampering_with_any_field_of_any_event_breaks_verification(where, data):
    index, path = where
    doc = copy.deepcopy(LOG)
    target = doc["events"][index]
    for key in path[:-1]:
        target = target[key]
    old = target[path[-1]]
    target[path[-1]] = data.draw(st.sampled_from(_mutations(old)))
    assert not verify(doc).ok


@given(st.integers(0, len(LOG["events"]) - 1), st.sampled_from(["drop", "duplicate", "swap"]))
# Dropping the last event leaves every link intact: only the head hash notices a truncated log.
@example(len(LOG["events"]) - 1, "drop")
@example(len(LOG["events"]) - 1, "duplicate")
@example(len(LOG["events"]) - 1, "swap")  # the last event swapped with the first
@example(0, "drop")
def test_removing_duplicating_or_reordering_events_breaks_verification(index, how):
    doc = copy.deepcopy(LOG)
    events = doc["events"]
    if how == "drop":
        del events[index]
    elif how == "duplicate":
        events.insert(index, copy.deepcopy(events[index]))
    else:
        j = (index + 1) % len(events)
        events[index], events[j] = events[j], events[index]
    assert not verify(doc).ok


@pytest.mark.parametrize("path", [("hash",), ("prev",), ("seq",), ("at",)])
def test_tampering_with_the_last_event_breaks_verification(path):
    """The last event has no successor whose ``prev`` would notice: the head must."""
    doc = copy.deepcopy(LOG)
    last = doc["events"][-1]
    last[path[0]] = _mutations(last[path[0]])[0]
    report = verify(doc)
    assert not report.ok
    assert any("event" in problem or "head" in problem for problem in report.problems)


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "parsoc.cli.main", "decide", *args],
                          capture_output=True, text=True, timeout=60)


def test_cli_verify_says_ok_for_an_intact_log_and_names_the_tampered_event(tmp_path):
    good = tmp_path / "assembly.json"
    good.write_text(json.dumps(LOG))
    run = _cli("verify", str(good))
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == (f"ok: {len(LOG['events'])} events, chain intact, 3 decisions, "
                                  "3 outcomes recomputed and matching, 3 polls, "
                                  "3 poll results recomputed and matching")
    doc = copy.deepcopy(LOG)
    doc["events"][5]["data"]["kind"] = "block"
    bad = tmp_path / "tampered.json"
    bad.write_text(json.dumps(doc))
    run = _cli("verify", str(bad))
    assert run.returncode == 1
    assert "event 6: hash does not match its content" in run.stderr
    assert "TAMPERED" in run.stderr


def test_cli_bad_files_are_one_line_and_exit_2(tmp_path):
    notjson = tmp_path / "x.json"
    notjson.write_text("{oops")
    for path, message in [(notjson, "line 1: not JSON"), (tmp_path / "missing.json", "cannot read")]:
        run = _cli("verify", str(path))
        assert run.returncode == 2 and message in run.stderr and "Traceback" not in run.stderr
    other = tmp_path / "other.json"
    other.write_text('{"format": "something else"}')
    run = _cli("verify", str(other))
    assert run.returncode == 2 and "not a decision log" in run.stderr


def test_cli_outcome_computes_from_a_stances_file(tmp_path):
    f = tmp_path / "stances.json"
    f.write_text(json.dumps({"rule": {"kind": "full_consensus"}, "members": ["a", "b", "c"],
                             "rounds": [{"a": "agree", "b": "block"}]}))
    run = _cli("outcome", str(f))
    assert run.returncode == 0 and json.loads(run.stdout)["status"] == "failed"
    f.write_text(json.dumps({"rule": {"kind": "full_consensus"}, "members": ["a"], "rounds": [{"a": "maybe"}]}))
    run = _cli("outcome", str(f))
    assert run.returncode == 2 and "round 1, a: unknown stance 'maybe'" in run.stderr


from hypothesis import HealthCheck  # noqa: E402

from parsoc.decisions.outcome import decide  # noqa: E402
from parsoc.decisions.record import Recorder  # noqa: E402
from parsoc.decisions.rules import Rule, RuleKind  # noqa: E402
from parsoc.decisions.stances import StanceKind  # noqa: E402

PEOPLE = [f"p{i}" for i in range(6)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(list(RuleKind)), st.data())
def test_any_process_written_through_the_recorder_verifies_and_recomputes(kind, data):
    """Random stances (changed at will) and delegations, rounds when the rule calls for them:
    the log verifies, and its outcome is decide() of each member's last stance per round."""
    rule = Rule(kind)
    r = Recorder("c")
    r.append("d", "opened", {"rule": rule.to_json(), "members": PEOPLE, "say": None, "secret": False,
                             "max_chain": 1}, "t")
    delegator, delegate_to = data.draw(st.permutations(PEOPLE))[:2]
    r.append("d", "delegated", {"delegator": delegator, "delegate": delegate_to, "max_chain": 1}, "t")
    rounds = []
    for round_ in range(rule.rounds):
        kinds = sorted(rule.allowed(round_), key=lambda k: k.value)
        last = {}
        for member, k in data.draw(st.lists(st.tuples(st.sampled_from(PEOPLE), st.sampled_from(kinds)), max_size=12)):
            reason = "because" if k in (StanceKind.BLOCK, StanceKind.OBJECT) else ""
            r.append("d", "stance", {"member": member, "kind": k.value, "reason": reason, "round": round_}, "t")
            last[member] = k
        if delegator not in last and delegate_to in last:
            last[delegator] = last[delegate_to]
        rounds.append(last)
        status = decide(rule, rounds, PEOPLE).status.value
        if status in ("second_round", "supermajority_vote"):
            r.append("d", "round", {"round": round_ + 1}, "t")
        else:
            break
    outcome = r.close("d", "t")
    assert verify(r.export()).ok
    assert outcome.data["result"] == decide(rule, rounds, PEOPLE).to_json()
