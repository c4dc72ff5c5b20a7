"""Delegated votes: who votes for whom, chain limits, loops, revocation."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from parsoc.decisions.delegation import Delegation, delegate, effective, resolve, revoke
from parsoc.decisions.outcome import decide
from parsoc.decisions.rules import Rule
from parsoc.decisions.say import AffectedGroup, Say
from parsoc.decisions.stances import StanceKind as K
from parsoc.errors import InputError

MEMBERS = {"ana", "ben", "cai", "dee", "eli"}


def test_delegating_to_yourself_is_refused():
    with pytest.raises(InputError, match="cannot delegate to yourself"):
        Delegation("ana", "ana")


def test_outsiders_and_loops_are_refused():
    with pytest.raises(InputError, match="'zed' is not a member"):
        delegate((), Delegation("ana", "zed"), members=MEMBERS)
    ds = delegate((), Delegation("ana", "ben"), members=MEMBERS, max_chain=3)
    ds = delegate(ds, Delegation("ben", "cai"), members=MEMBERS, max_chain=3)
    with pytest.raises(InputError, match=r"loop \(cai → ana → ben → cai\)"):
        delegate(ds, Delegation("cai", "ana"), members=MEMBERS, max_chain=3)


def test_chains_longer_than_the_council_allows_are_refused():
    ds = delegate((), Delegation("ana", "ben"), members=MEMBERS)
    with pytest.raises(InputError, match="chain of 2 hops; the council allows 1"):
        delegate(ds, Delegation("ben", "cai"), members=MEMBERS, max_chain=1)
    with pytest.raises(InputError, match="chain of 2 hops"):
        delegate(ds, Delegation("dee", "ana"), members=MEMBERS, max_chain=1)
    assert len(delegate(ds, Delegation("ben", "cai"), members=MEMBERS, max_chain=2)) == 2
    with pytest.raises(InputError, match="does not allow delegated votes"):
        delegate((), Delegation("ana", "ben"), members=MEMBERS, max_chain=0)


def test_a_council_wide_delegation_is_checked_against_each_decisions_own_delegations():
    ds = delegate((), Delegation("ben", "cai", "d1"), members=MEMBERS)
    # ana -> ben on all decisions would chain ana -> ben -> cai on d1
    with pytest.raises(InputError, match="on decision d1: this would make a chain of 2 hops"):
        delegate(ds, Delegation("ana", "ben"), members=MEMBERS)


def test_one_decision_overrides_council_wide_and_replaces_earlier():
    ds = delegate((), Delegation("ana", "ben"), members=MEMBERS)
    ds = delegate(ds, Delegation("ana", "cai", "d1"), members=MEMBERS)
    assert effective(ds, "d1") == {"ana": "cai"}
    assert effective(ds, "d2") == {"ana": "ben"}
    ds = delegate(ds, Delegation("ana", "dee", "d1"), members=MEMBERS)
    assert effective(ds, "d1") == {"ana": "dee"} and len(ds) == 2


def test_own_stance_beats_delegation_and_revocation_takes_the_vote_back():
    ds = delegate((), Delegation("ana", "ben"), members=MEMBERS)
    ds = delegate(ds, Delegation("cai", "ben"), members=MEMBERS)
    r = resolve({"ben": K.YES, "cai": K.NO}, ds, "d1", MEMBERS)
    assert r.votes == {"ana": K.YES, "ben": K.YES, "cai": K.NO}
    assert r.delegated() == {"ana": ("ana", "ben")}
    ds = revoke(ds, "ana")
    assert resolve({"ben": K.YES}, ds, "d1", MEMBERS).votes == {"ben": K.YES, "cai": K.YES}
    with pytest.raises(InputError, match="no delegation on all decisions to take back"):
        revoke(ds, "ana")


def test_chains_resolve_within_the_limit_and_report_what_did_not():
    ds = (Delegation("ana", "ben"), Delegation("ben", "cai"), Delegation("dee", "eli"))
    r = resolve({"cai": K.AGREE}, ds, None, MEMBERS, max_chain=1)
    assert r.votes == {"ben": K.AGREE, "cai": K.AGREE}
    assert r.unresolved == {"ana": "chain longer than 1 hops", "dee": "eli cast no stance"}
    r2 = resolve({"cai": K.AGREE}, ds, None, MEMBERS, max_chain=2)
    assert r2.votes == {"ana": K.AGREE, "ben": K.AGREE, "cai": K.AGREE}
    assert r2.via["ana"] == ("ana", "ben", "cai")


def test_a_delegated_vote_counts_with_the_delegators_weight():
    say = Say((AffectedGroup("street", 3, frozenset({"ana"})),))
    ds = delegate((), Delegation("ana", "ben"), members=MEMBERS)
    votes = resolve({"ben": K.YES, "cai": K.NO, "dee": K.NO}, ds, "d1", MEMBERS).votes
    out = decide(Rule("simple_majority"), [votes], MEMBERS, say)
    assert out.counts[0].weighted[K.YES] == 4 and out.passed


@given(st.lists(st.tuples(st.sampled_from(sorted(MEMBERS)), st.sampled_from(sorted(MEMBERS))), max_size=12),
       st.integers(1, 4))
# a chain of exactly max_chain hops, one hop too many, a two-member loop, oneself, and a member
# who delegates after two others delegated to them (their chains grow by one)
@example([("ana", "ben"), ("ben", "cai"), ("cai", "dee")], 3)
@example([("ana", "ben"), ("ben", "cai"), ("cai", "dee"), ("dee", "eli")], 3)
@example([("ana", "ben"), ("ben", "ana")], 4)
@example([("ana", "ana")], 1)
@example([("ana", "ben"), ("cai", "ben"), ("ben", "dee")], 1)
def test_accepted_delegations_never_hold_a_loop_or_an_overlong_chain(pairs, max_chain):
    ds: tuple[Delegation, ...] = ()
    for a, b in pairs:
        try:
            ds = delegate(ds, Delegation(a, b), members=MEMBERS, max_chain=max_chain)
        except InputError:
            pass
    graph = effective(ds, None)
    for start in graph:
        seen, cur, hops = {start}, start, 0
        while cur in graph:
            cur = graph[cur]
            hops += 1
            assert cur not in seen
            seen.add(cur)
        assert hops <= max_chain
    # whoever votes directly, each member's vote comes from within max_chain hops
    r = resolve({m: K.YES for m in MEMBERS if m not in graph}, ds, None, MEMBERS, max_chain)
    assert set(r.votes) == MEMBERS
