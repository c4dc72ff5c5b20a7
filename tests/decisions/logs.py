"""A council's decision log written through the Recorder: the scenario several tests share."""

from __future__ import annotations

from parsoc.decisions import secret_ballot as sb
from parsoc.decisions.record import Recorder
from parsoc.decisions.rules import Rule

MEMBERS = [f"m{i:02d}" for i in range(10)]


def occupy_log() -> Recorder:
    """A modified-consensus decision with a block, a second round and a nine-tenths vote; a
    secret simple-majority decision; a consent decision with a delegated vote; a score poll
    with a changed ballot, an STV poll and a secret dot vote."""
    r = Recorder("assembly")
    t = iter(f"2026-11-23T10:{m:02d}:00Z" for m in range(60))
    r.append("d1", "opened", {"rule": Rule("modified_consensus").to_json(), "members": MEMBERS,
                              "say": None, "secret": False, "max_chain": 1}, next(t))
    for m in MEMBERS[:9]:
        r.append("d1", "stance", {"member": m, "kind": "agree", "reason": "", "round": 0}, next(t))
    r.append("d1", "stance", {"member": "m09", "kind": "block", "reason": "evicts the kitchen", "round": 0}, next(t))
    r.append("d1", "round", {"round": 1}, next(t))
    r.append("d1", "stance", {"member": "m09", "kind": "block", "reason": "still evicts it", "round": 1}, next(t))
    r.append("d1", "stance", {"member": "m00", "kind": "stand_aside", "reason": "", "round": 1}, next(t))
    r.append("d1", "stance", {"member": "m00", "kind": "agree", "reason": "", "round": 1}, next(t))
    r.append("d1", "round", {"round": 2}, next(t))
    for m in MEMBERS[:9]:
        r.append("d1", "stance", {"member": m, "kind": "yes", "reason": "", "round": 2}, next(t))
    r.append("d1", "stance", {"member": "m09", "kind": "no", "reason": "", "round": 2}, next(t))
    r.close("d1", next(t), statement="The kitchen moves to the north tent.", review="2027-01-15")

    r.append("d2", "opened", {"rule": Rule("simple_majority").to_json(), "members": MEMBERS,
                              "say": None, "secret": True, "max_chain": 1}, next(t))
    key = sb.ballot_key(b"test secret", "d2")
    roll, box = frozenset(), {}
    for i, m in enumerate(MEMBERS[:7]):
        roll, token = sb.issue(key, "d2", 0, roll, m, MEMBERS)
        box, _ = sb.cast(key, "d2", 0, box, len(roll), token, sb.StanceKind.YES if i % 3 else sb.StanceKind.NO)
    r.append("d2", "ballots", {"round": 0, "roll": sorted(roll), "bulletin": sb.bulletin(box)}, next(t))
    r.close("d2", next(t))

    r.append("d3", "opened", {"rule": Rule("consent", quorum="1/2").to_json(), "members": MEMBERS,
                              "say": {"default": "1", "groups": [{"name": "kitchen", "weight": "3", "members": ["m01"]}]},
                              "secret": False, "max_chain": 1}, next(t))
    r.append(None, "delegated", {"delegator": "m05", "delegate": "m01", "max_chain": 1}, next(t))
    r.append("d3", "delegated", {"delegator": "m06", "delegate": "m01", "max_chain": 1}, next(t))
    r.append("d3", "revoked", {"delegator": "m06"}, next(t))
    for m in MEMBERS[:4]:
        r.append("d3", "stance", {"member": m, "kind": "agree", "reason": "", "round": 0}, next(t))
    r.close("d3", next(t), statement="Consent given.")

    r.append("poll-1", "poll_opened", {"title": "Which day?", "kind": "score", "options": ["mon", "sat"],
                                       "params": {"low": 0, "high": 3}}, next(t))
    r.append("poll-1", "poll_vote", {"voter": "m01", "ballot": {"mon": 1, "sat": 3}}, next(t))
    r.append("poll-1", "poll_vote", {"voter": "m02", "ballot": {"mon": 2}}, next(t))
    r.append("poll-1", "poll_vote", {"voter": "m01", "ballot": {"mon": 3, "sat": 0}}, next(t))  # changed
    r.append("poll-1", "poll_closed", {}, next(t))
    r.append("poll-1", "poll_result", {"result": r.ledger.poll_result("poll-1")}, next(t))

    r.append("poll-2", "poll_opened", {"title": "Two delegates", "kind": "stv", "options": ["ana", "bo", "cy"],
                                       "params": {"seats": 2}}, next(t))
    for m, ranking in zip(MEMBERS, [["ana", "bo"], ["ana", "cy"], ["bo"], ["cy", "bo"], ["ana"]]):
        r.append("poll-2", "poll_vote", {"voter": m, "ballot": ranking}, next(t))
    r.append("poll-2", "poll_closed", {}, next(t))
    r.append("poll-2", "poll_result", {"result": r.ledger.poll_result("poll-2")}, next(t))

    r.append("poll-3", "poll_opened", {"title": "Snacks", "kind": "dot_vote", "options": ["tea", "cake"],
                                       "params": {"dots": 3}, "secret": True}, next(t))
    key = sb.ballot_key(b"test secret", "poll-3")
    roll, bulletin = frozenset(), []
    for m, dots in zip(MEMBERS, [{"tea": 3}, {"tea": 1, "cake": 2}, {"cake": 1}]):
        roll, token = sb.issue(key, "poll-3", 0, roll, m, MEMBERS)
        bulletin.append({"receipt": sb.digest(token), "ballot": dots})
    r.append("poll-3", "poll_ballots", {"roll": sorted(roll), "bulletin": sorted(bulletin, key=lambda b: b["receipt"])},
             next(t))
    r.append("poll-3", "poll_closed", {}, next(t))
    r.append("poll-3", "poll_result", {"result": r.ledger.poll_result("poll-3")}, next(t))
    return r
