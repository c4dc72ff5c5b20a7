"""The decision rules: examples of each definition, and property tests."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsoc.decisions.outcome import Status, decide
from parsoc.decisions.rules import Rule, RuleKind
from parsoc.decisions.say import AffectedGroup, Say
from parsoc.decisions.stances import StanceKind as K
from parsoc.errors import InputError

MEMBERS = [f"m{i}" for i in range(10)]


def test_full_consensus_passes_with_agreement_and_few_stand_asides():
    out = decide(Rule("full_consensus"), [{"m0": K.AGREE, "m1": K.RESERVATIONS, "m2": K.STAND_ASIDE, "m3": K.AGREE}], MEMBERS)
    assert out.status is Status.PASSED
    assert "1/4" in out.reasons[0]
    assert out.counts[0].head == {K.AGREE: 2, K.RESERVATIONS: 1, K.STAND_ASIDE: 1}


def test_full_consensus_fails_when_stand_asides_reach_the_limit():
    # 1 of 3 stands aside: 1/3 is not *under* the default limit of 1/3
    out = decide(Rule("full_consensus"), [{"m0": K.AGREE, "m1": K.AGREE, "m2": K.STAND_ASIDE}], MEMBERS)
    assert out.status is Status.FAILED
    assert "not under the limit of 1/3" in out.reasons[0]
    out = decide(Rule("full_consensus", stand_aside_limit="1/2"), [{"m0": K.AGREE, "m1": K.AGREE, "m2": K.STAND_ASIDE}], MEMBERS)
    assert out.passed


def test_full_consensus_needs_someone_to_agree():
    assert decide(Rule("full_consensus"), [{}], MEMBERS).reasons == ("no one agreed",)
    assert not decide(Rule("full_consensus", stand_aside_limit=1), [{"m0": K.STAND_ASIDE}], MEMBERS).passed


def test_one_block_fails_full_consensus():
    stances = {m: K.AGREE for m in MEMBERS[:9]} | {"m9": K.BLOCK}
    out = decide(Rule("full_consensus"), [stances], MEMBERS)
    assert out.status is Status.FAILED and out.final
    assert out.reasons == ("blocked: 1 block under full consensus",)


def test_modified_consensus_block_goes_to_second_round_then_nine_tenths_vote():
    rule = Rule("modified_consensus")
    first = {m: K.AGREE for m in MEMBERS[:9]} | {"m9": K.BLOCK}
    assert decide(rule, [first], MEMBERS).status is Status.SECOND_ROUND
    # the block is withdrawn in the second round: judged as consensus
    second_ok = dict(first, m9=K.STAND_ASIDE)
    assert decide(rule, [first, second_ok], MEMBERS).status is Status.PASSED
    # the block stands: a supermajority vote decides
    assert decide(rule, [first, first], MEMBERS).status is Status.SUPERMAJORITY_VOTE
    vote = {m: K.YES for m in MEMBERS[:9]} | {"m9": K.NO}
    out = decide(rule, [first, first, vote], MEMBERS)
    assert out.status is Status.PASSED and out.round == 2
    assert "yes is 9/10 of the yes and no votes, at least 9/10" in out.reasons[0]
    vote8 = dict(vote, m8=K.NO)
    assert decide(rule, [first, first, vote8], MEMBERS).status is Status.FAILED
    # abstentions count for quorum only
    vote_abstain = dict(vote8, m8=K.ABSTAIN, m9=K.ABSTAIN)  # 8 yes, 0 no, 2 abstain
    assert decide(rule, [first, first, vote_abstain], MEMBERS).passed


def test_rounds_past_a_verdict_or_wrong_kinds_are_refused():
    rule = Rule("modified_consensus")
    with pytest.raises(InputError, match="already decided"):
        decide(rule, [{"m0": K.AGREE}, {"m0": K.AGREE}], MEMBERS)
    with pytest.raises(InputError, match="not allowed under modified_consensus"):
        decide(rule, [{"m0": K.YES}], MEMBERS)
    with pytest.raises(InputError, match="at most 1"):
        decide(Rule("consent"), [{}, {}], MEMBERS)
    with pytest.raises(InputError, match="not an eligible member"):
        decide(Rule("consent"), [{"stranger": K.AGREE}], MEMBERS)


def test_consent_fails_on_any_objection():
    assert decide(Rule("consent"), [{"m0": K.AGREE, "m1": K.STAND_ASIDE}], MEMBERS).passed
    out = decide(Rule("consent"), [{"m0": K.AGREE, "m1": K.OBJECT}], MEMBERS)
    assert out.status is Status.FAILED and out.reasons == ("1 objection: no consent",)
    assert not decide(Rule("consent"), [{}], MEMBERS).passed


def test_simple_and_qualified_majority():
    votes = {"m0": K.YES, "m1": K.YES, "m2": K.NO, "m3": K.ABSTAIN}
    assert decide(Rule("simple_majority"), [votes], MEMBERS).passed
    assert not decide(Rule("simple_majority"), [dict(votes, m1=K.NO)], MEMBERS).passed
    assert decide(Rule("qualified_majority"), [votes], MEMBERS).passed  # 2/3 exactly
    assert not decide(Rule("qualified_majority", threshold="3/4"), [votes], MEMBERS).passed


def test_quorum_is_a_head_count_share_of_members():
    rule = Rule("simple_majority", quorum="1/2")
    votes = {"m0": K.YES, "m1": K.YES, "m2": K.NO, "m3": K.ABSTAIN}
    out = decide(rule, [votes], MEMBERS)
    assert out.status is Status.FAILED
    assert out.reasons == ("quorum not met: 4 of 10 members took part, 1/2 of the members (5) needed",)
    assert decide(rule, [dict(votes, m4=K.ABSTAIN)], MEMBERS).passed


def test_weighted_say_counts_side_by_side_with_heads():
    # residents of the street weigh 3, the rest of the neighbourhood 1
    say = Say((AffectedGroup("street", 3, frozenset({"m0", "m1"})),))
    votes = {"m0": K.YES, "m1": K.YES, "m2": K.NO, "m3": K.NO, "m4": K.NO}
    out = decide(Rule("simple_majority"), [votes], MEMBERS, say)
    assert out.passed  # 6 weighted yes to 3 weighted no, although heads are 2 to 3
    c = out.counts[0]
    assert c.head == {K.YES: 2, K.NO: 3}
    assert c.weighted == {K.YES: 6, K.NO: 3}
    assert out.to_json()["counts"][0] == {"no": {"head": 3, "weighted": "3"}, "yes": {"head": 2, "weighted": "6"}}
    assert not decide(Rule("simple_majority"), [votes], MEMBERS).passed


def test_a_member_in_two_groups_counts_once_with_the_larger_weight():
    say = Say((AffectedGroup("street", 3, frozenset({"a"})), AffectedGroup("block", "5/2", frozenset({"a", "b"}))), default=0)
    assert say.weights(["a", "b", "c"]) == {"a": 3, "b": Fraction(5, 2), "c": 0}
    with pytest.raises(InputError, match="cannot be negative"):
        AffectedGroup("x", -1, frozenset())
    with pytest.raises(InputError, match="fraction"):
        Say(default=0.5)


def test_rule_parameters_are_exact_and_checked():
    assert Rule("modified_consensus").supermajority == Fraction(9, 10)
    with pytest.raises(InputError, match="not 0.9"):
        Rule("modified_consensus", supermajority=0.9)
    with pytest.raises(InputError, match="unknown kind"):
        Rule("dictatorship")
    with pytest.raises(InputError, match="between 0 and 1"):
        Rule("consent", quorum="3/2")
    assert Rule.from_json(Rule("qualified_majority", threshold="3/5").to_json()) == Rule("qualified_majority", threshold="3/5")


# ---- the reasons, word for word (each branch; found by the mutation run, docs/testing.md) -----


def test_reservations_alone_are_agreement_and_the_reason_counts_the_stand_asides():
    out = decide(Rule("full_consensus"), [{"m0": K.RESERVATIONS}], MEMBERS)
    assert out.reasons == ("no block; 1 agreed; 0 stand-asides weighing 0 of the stances cast, under the limit of 1/3",)
    out = decide(Rule("full_consensus", stand_aside_limit="1/2"), [{"m0": K.RESERVATIONS, "m1": K.AGREE, "m2": K.STAND_ASIDE}], MEMBERS)
    assert out.reasons == ("no block; 2 agreed; 1 stand-aside weighing 1/3 of the stances cast, under the limit of 1/2",)
    out = decide(Rule("full_consensus"), [{"m0": K.AGREE, "m1": K.STAND_ASIDE, "m2": K.STAND_ASIDE}], MEMBERS)
    assert out.reasons == ("no block, but 2 stand-asides weigh 2/3 of the stances cast, not under the limit of 1/3",)


def test_consensus_among_members_of_no_weight_passes():
    # every stance weighs 0: the stand-aside share is 0 (not a division by zero, not 1)
    out = decide(Rule("full_consensus"), [{"m0": K.AGREE}], MEMBERS, {m: Fraction(0) for m in MEMBERS})
    assert out.status is Status.PASSED
    assert out.reasons == ("no block; 1 agreed; 0 stand-asides weighing 0 of the stances cast, under the limit of 1/3",)
    assert out.counts[0].w(K.YES, K.NO) == 0


def test_a_tied_simple_majority_fails_and_the_reason_says_so():
    out = decide(Rule("simple_majority"), [{"m0": K.YES, "m1": K.NO, "m2": K.ABSTAIN}], MEMBERS)
    assert out.status is Status.FAILED
    assert out.reasons == ("simple majority: 1 yes, 1 no, 1 abstain (weighted 1 yes to 1 no); not more yes than no",)
    out = decide(Rule("simple_majority"), [{"m0": K.YES, "m1": K.YES, "m2": K.NO, "m3": K.ABSTAIN}], MEMBERS)
    assert out.reasons == ("simple majority: 2 yes, 1 no, 1 abstain (weighted 2 yes to 1 no); more yes than no",)


def test_qualified_majority_needs_a_yes_and_says_the_share():
    rule = Rule("qualified_majority")
    one_yes = decide(rule, [{"m0": K.YES}], MEMBERS)
    assert one_yes.passed
    assert one_yes.reasons == ("qualified majority: 1 yes, 0 no, 0 abstain (weighted 1 yes to 0 no); yes is 1 of the yes and no votes, at least 2/3",)
    only_abstain = decide(rule, [{"m0": K.ABSTAIN}], MEMBERS)
    assert only_abstain.status is Status.FAILED
    assert only_abstain.reasons == ("qualified majority: 0 yes, 0 no, 1 abstain (weighted 0 yes to 0 no); yes is 0 of the yes and no votes, under 2/3",)
    even = decide(rule, [{"m0": K.YES, "m1": K.NO}], MEMBERS)
    assert even.reasons == ("qualified majority: 1 yes, 1 no, 0 abstain (weighted 1 yes to 1 no); yes is 1/2 of the yes and no votes, under 2/3",)


def test_blocks_in_modified_consensus_say_how_many_and_what_follows():
    rule = Rule("modified_consensus")
    first = {"m0": K.AGREE, "m1": K.BLOCK, "m2": K.BLOCK}
    assert decide(rule, [first], MEMBERS).reasons == ("2 blocks in round 1: a second round of discussion follows",)
    assert decide(rule, [first, first], MEMBERS).reasons == (
        "2 blocks still standing after the second round: a vote decides, needing 9/10 of the yes and no votes",)
    one = {"m0": K.AGREE, "m1": K.BLOCK}
    assert decide(rule, [one], MEMBERS).reasons == ("1 block in round 1: a second round of discussion follows",)
    assert decide(rule, [one, one], MEMBERS).reasons[0].startswith("1 block still standing after the second round")


def test_consent_with_no_one_taking_part_says_so():
    out = decide(Rule("consent"), [{}], MEMBERS)
    assert out.status is Status.FAILED and out.reasons == ("no one took part",)
    assert decide(Rule("consent"), [{"m0": K.AGREE, "m1": K.STAND_ASIDE}], MEMBERS).reasons == ("no objection among 2 stances cast",)


def test_counts_in_json_are_sorted_by_kind():
    out = decide(Rule("full_consensus"), [{"m0": K.STAND_ASIDE, "m1": K.AGREE, "m2": K.RESERVATIONS}], MEMBERS)
    assert list(out.to_json()["counts"][0]) == ["agree", "reservations", "stand_aside"]


# ---- properties ----------------------------------------------------------------------------

RULES = st.builds(
    Rule,
    kind=st.sampled_from(list(RuleKind)),
    quorum=st.fractions(0, 1, max_denominator=10),
    stand_aside_limit=st.fractions(0, 1, max_denominator=10).filter(lambda f: f > 0),
    supermajority=st.fractions(Fraction(11, 20), 1, max_denominator=20),
    threshold=st.fractions(Fraction(11, 20), 1, max_denominator=20),
)
WEIGHTS = st.dictionaries(st.sampled_from(MEMBERS), st.fractions(0, 5, max_denominator=4))


@st.composite
def decisions(draw, rule_strategy=RULES):
    """A rule, rounds of stances consistent with it (each non-final round calls for the next),
    and weights; the last round leaves at least one member without a stance."""
    rule = draw(rule_strategy)
    weights = draw(WEIGHTS)
    rounds = []
    for i in range(rule.rounds):
        kinds = sorted(rule.allowed(i), key=lambda k: k.value)
        voters = draw(st.lists(st.sampled_from(MEMBERS[:-1]), unique=True))
        rounds.append({m: draw(st.sampled_from(kinds)) for m in voters})
        if decide(rule, rounds, MEMBERS, weights).final:
            break
    return rule, rounds, weights


# input generation calls decide() itself: not a speed test, so a busy machine must not fail it
SLOW_INPUT = settings(suppress_health_check=[HealthCheck.too_slow])


@SLOW_INPUT
@given(decisions())
def test_adding_an_agree_never_turns_a_pass_into_a_fail(case):
    rule, rounds, weights = case
    before = decide(rule, rounds, MEMBERS, weights)
    last = len(rounds) - 1
    more = rounds[:-1] + [dict(rounds[-1], m9=rule.assent(last))]
    after = decide(rule, more, MEMBERS, weights)
    if before.passed:
        assert after.passed, (before.reasons, after.reasons)


@given(decisions(st.builds(Rule, kind=st.just(RuleKind.FULL_CONSENSUS),
                           quorum=st.fractions(0, 1, max_denominator=10),
                           stand_aside_limit=st.fractions(0, 1, max_denominator=10).filter(bool))),
       st.sampled_from(MEMBERS))
@SLOW_INPUT
def test_a_block_under_full_consensus_always_fails(case, blocker):
    rule, rounds, weights = case
    out = decide(rule, [dict(rounds[0], **{blocker: K.BLOCK})], MEMBERS, weights)
    assert out.status is Status.FAILED


@SLOW_INPUT
@given(decisions())
def test_head_counts_add_up_to_the_stances_cast(case):
    rule, rounds, weights = case
    out = decide(rule, rounds, MEMBERS, weights)
    for stances, c in zip(rounds, out.counts):
        assert c.cast == len(stances)
        assert c.w(*c.weighted) == sum((Fraction(weights.get(m, 1)) for m in stances), Fraction(0))


def test_proposal_stages_move_forward_only():
    from parsoc.decisions.lifecycle import Stage, may_amend, move

    assert move("draft", "discussion") is Stage.DISCUSSION
    assert move("temperature", "discussion") is Stage.DISCUSSION
    with pytest.raises(InputError, match="cannot move to draft"):
        move("decision", "draft")
    with pytest.raises(InputError, match=r"possible: none \(it is closed\)"):
        move("closed", "decision")
    with pytest.raises(InputError, match="'voting' is not one of"):
        move("draft", "voting")
    assert may_amend("discussion") and not may_amend("decision")
