"""Secret ballots: one per voter, unlinkable rows, receipts that find the ballot."""

from __future__ import annotations

import dataclasses

import pytest

from parsoc.decisions import secret_ballot as sb
from parsoc.decisions.outcome import decide
from parsoc.decisions.rules import Rule
from parsoc.decisions.stances import StanceKind as K
from parsoc.errors import InputError

KEY = sb.ballot_key(b"server secret, not in the database", "d1")
ELIGIBLE = ["ana", "ben", "cai"]


def vote_all(choices):
    roll, box, receipts = frozenset(), {}, {}
    for member, kind in choices.items():
        roll, token = sb.issue(KEY, "d1", 0, roll, member, ELIGIBLE)
        box, _ = sb.cast(KEY, "d1", 0, box, len(roll), token, kind, "reason" if kind is K.NO else "")
        receipts[member] = token
    return roll, box, receipts


def test_each_voter_gets_one_ballot_and_a_receipt_that_finds_it():
    roll, box, receipts = vote_all({"ana": K.YES, "ben": K.NO, "cai": K.YES})
    board = sb.bulletin(box)
    assert [b["receipt"] for b in board] == sorted(b["receipt"] for b in board)
    for member, kind in {"ana": K.YES, "ben": K.NO, "cai": K.YES}.items():
        assert sb.check_receipt(board, receipts[member])["kind"] == kind.value
    assert sb.check_receipt(board, "made.1.up") is None
    assert sb.audit(roll, board, ELIGIBLE) == []
    with pytest.raises(InputError, match="ana already has a ballot in round 1"):
        sb.issue(KEY, "d1", 0, roll, "ana", ELIGIBLE)
    with pytest.raises(InputError, match="'zed' is not eligible"):
        sb.issue(KEY, "d1", 0, roll, "zed", ELIGIBLE)


def test_no_field_of_a_ballot_names_or_orders_its_voter():
    roll, box, receipts = vote_all({"ana": K.YES, "ben": K.NO})
    for ballot in box.values():
        values = [str(v) for v in dataclasses.asdict(ballot).values()]
        assert not any(m in v for v in values for m in ELIGIBLE)
    # the box is keyed by token digest, a random value: its order is no voting order
    assert set(box) == {sb.digest(t) for t in receipts.values()}
    # issuing stores nothing that knows the token: the roll is just the names
    assert roll == {"ana", "ben"}


def test_forged_or_foreign_tokens_and_stuffing_are_refused():
    roll, token = sb.issue(KEY, "d1", 0, frozenset(), "ana", ELIGIBLE)
    nonce, weight, tag = token.split(".")
    with pytest.raises(InputError, match="not issued for this decision"):
        sb.cast(KEY, "d1", 0, {}, 1, f"{nonce}.3.{tag}", K.YES)  # weight raised
    with pytest.raises(InputError, match="not issued for this decision"):
        sb.cast(KEY, "d2", 0, {}, 1, token, K.YES)
    with pytest.raises(InputError, match="not issued for this decision"):
        sb.cast(sb.ballot_key(b"another server", "d1"), "d1", 0, {}, 1, token, K.YES)
    with pytest.raises(InputError, match="not a ballot token"):
        sb.cast(KEY, "d1", 0, {}, 1, "garbage", K.YES)
    with pytest.raises(InputError, match="a block needs a reason"):
        sb.cast(KEY, "d1", 0, {}, 1, token, K.BLOCK)
    box, _ = sb.cast(KEY, "d1", 0, {}, 1, token, K.YES)
    _, other = sb.issue(KEY, "d1", 0, roll, "ben", ELIGIBLE)
    with pytest.raises(InputError, match="every ballot on the roll has been cast"):
        sb.cast(KEY, "d1", 0, box, 1, other, K.YES)  # a token whose name is not counted


def test_a_voter_may_change_their_secret_ballot_until_close_and_versions_are_kept():
    roll, box, receipts = vote_all({"ana": K.YES, "ben": K.NO})
    box, d = sb.cast(KEY, "d1", 0, box, len(roll), receipts["ana"], K.NO, "changed my mind")
    assert len(box) == 2
    assert box[d].versions == ((K.YES, ""), (K.NO, "changed my mind"))
    board = sb.bulletin(box)
    assert sb.check_receipt(board, receipts["ana"])["kind"] == "no"


def test_weight_travels_in_the_token_and_the_outcome_counts_it():
    roll, t1 = sb.issue(KEY, "d1", 0, frozenset(), "ana", ELIGIBLE, weight=3)
    roll, t2 = sb.issue(KEY, "d1", 0, roll, "ben", ELIGIBLE)
    roll, t3 = sb.issue(KEY, "d1", 0, roll, "cai", ELIGIBLE)
    box = {}
    for token, kind in ((t1, K.YES), (t2, K.NO), (t3, K.NO)):
        box, _ = sb.cast(KEY, "d1", 0, box, len(roll), token, kind)
    board = sb.bulletin(box)
    stances = {b["receipt"]: K(b["kind"]) for b in board}
    weights = {b["receipt"]: sb.Fraction(b["weight"]) for b in board}
    out = decide(Rule("simple_majority"), [stances], stances, weights, electorate=len(ELIGIBLE))
    assert out.passed and out.counts[0].head == {K.YES: 1, K.NO: 2}


def test_audit_finds_an_overfull_box():
    board = [{"receipt": "a" * 64}, {"receipt": "b" * 64}, {"receipt": "b" * 64}]
    assert sb.audit(["ana", "zed"], board, ELIGIBLE) == [
        "'zed' is on the roll but not eligible", "3 ballots for 2 names on the roll", "a receipt appears twice"]
