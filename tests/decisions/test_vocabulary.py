"""The fixed words of the decisions domain and the rules moved out of the web shell (pure)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from parsoc.decisions.lifecycle import COMMENT_TAGS, CommentTag, Stage
from parsoc.decisions.outcome import Status, decide, support_share
from parsoc.decisions.polls import KINDS, PARAMS, PollKind, check_ballot, check_options, check_params, poll_kind
from parsoc.decisions.rules import TEMPERATURE_KINDS, Rule, RuleKind, temperature_kind
from parsoc.decisions.stances import SUPPORT, StanceKind, in_order
from parsoc.errors import InputError
from parsoc.vocabulary import Vocabulary, choices, help_text

# The keys are stored in the database, the API and the hash-chained record: they never change.
STORED = {
    StanceKind: ("agree", "reservations", "stand_aside", "block", "object", "yes", "no", "abstain"),
    RuleKind: ("full_consensus", "modified_consensus", "consent", "simple_majority", "qualified_majority"),
    Stage: ("draft", "discussion", "temperature", "decision", "closed"),
    Status: ("passed", "failed", "second_round", "supermajority_vote"),
    CommentTag: ("comment", "question", "concern", "amendment"),
    PollKind: ("approval", "score", "dot_vote", "ranked_choice", "stv"),
}


@pytest.mark.parametrize("vocabulary", list(STORED), ids=lambda v: v.__name__)
def test_keys_stay_and_every_key_has_words(vocabulary: type[Vocabulary]) -> None:
    assert vocabulary.values() == STORED[vocabulary]
    for member in vocabulary:
        assert member == member.value and str(member) == member.value  # a StrEnum: stored as its key
        assert member.label and "_" not in member.label and member.label[0].isupper(), member
        assert vocabulary.parse(member.value) is member and vocabulary.label_of(member.value) == member.label
    assert len({m.label for m in vocabulary}) == len(vocabulary), "two members read the same"
    assert vocabulary.choices() == [(m.value, m.label) for m in vocabulary] == choices(vocabulary)


def test_labels_people_read() -> None:
    assert StanceKind.RESERVATIONS.label == "Agree with reservations"
    assert StanceKind.STAND_ASIDE.label == "Stand aside"
    assert RuleKind.FULL_CONSENSUS.label == "Full consensus"
    assert Status.SUPERMAJORITY_VOTE.label == "Supermajority vote"
    assert Stage.DECISION.label == "Decision open"
    assert PollKind.DOT_VOTE.label == "Dot vote"
    assert help_text(CommentTag) == "comment = Comment; question = Question; concern = Concern; amendment = Amendment"


def test_an_unknown_key_is_refused_by_parse_and_shown_as_stored_by_label_of() -> None:
    with pytest.raises(InputError, match=r"^tag: unknown value 'rant' \(one of: comment, question, concern, amendment\)$"):
        CommentTag.parse("rant", where="tag")
    with pytest.raises(InputError, match=r"^rule kind: unknown value"):
        RuleKind.parse("dictatorship")
    with pytest.raises(InputError, match=r"^kind: unknown stance 'shrug'"):
        StanceKind.parse("shrug", where="kind")
    assert StanceKind.label_of("retired_kind") == "retired_kind"
    assert COMMENT_TAGS == CommentTag.values() and KINDS == PollKind.values()


def test_stances_in_the_order_pages_list_them() -> None:
    assert in_order({StanceKind.BLOCK, StanceKind.AGREE, StanceKind.STAND_ASIDE, StanceKind.RESERVATIONS}) == [
        StanceKind.AGREE, StanceKind.RESERVATIONS, StanceKind.STAND_ASIDE, StanceKind.BLOCK]
    assert in_order(Rule(RuleKind.SIMPLE_MAJORITY).allowed()) == [StanceKind.YES, StanceKind.NO, StanceKind.ABSTAIN]


def test_a_temperature_check_asks_the_consensus_question() -> None:
    assert TEMPERATURE_KINDS == Rule(RuleKind.FULL_CONSENSUS).allowed()
    assert temperature_kind("stand_aside") is StanceKind.STAND_ASIDE
    assert temperature_kind(StanceKind.BLOCK) is StanceKind.BLOCK
    for kind in ("yes", "object", "abstain"):
        with pytest.raises(InputError, match=r"^kind: a temperature check takes agree, agree with reservations, "
                                             r"stand aside, block$"):
            temperature_kind(kind)
    with pytest.raises(InputError, match="unknown stance"):
        temperature_kind("warm")


def test_support_share_is_the_weighted_share_of_assent_in_the_deciding_round() -> None:
    assert SUPPORT == {StanceKind.AGREE, StanceKind.RESERVATIONS, StanceKind.YES}
    rule = Rule(RuleKind.FULL_CONSENSUS)
    members = ["a", "b", "c", "d"]
    stances = {"a": StanceKind.AGREE, "b": StanceKind.RESERVATIONS, "c": StanceKind.STAND_ASIDE}
    outcome = decide(rule, [stances], members).to_json()
    assert support_share(outcome) == Fraction(2, 3)
    weights = {"a": Fraction(1), "b": Fraction(3), "c": Fraction(4), "d": Fraction(1)}
    assert support_share(decide(rule, [stances], members, weights).to_json()) == Fraction(4, 8)
    # the deciding round is the last: here the supermajority vote (round 3), not the blocked rounds
    vote = decide(Rule(RuleKind.MODIFIED_CONSENSUS), [{"a": StanceKind.BLOCK}, {"a": StanceKind.BLOCK},
                                                     {"a": StanceKind.YES, "b": StanceKind.NO, "c": StanceKind.ABSTAIN}],
                  members).to_json()
    assert vote["round"] == 2 and support_share(vote) == Fraction(1, 3)
    assert support_share(None) == 0 and support_share({}) == 0
    assert support_share({"round": 0, "counts": [{}]}) == 0  # no stance cast


def test_poll_parameters_are_checked_in_the_core() -> None:
    assert set(PARAMS) == set(PollKind)
    assert check_params("score", {"low": 1, "high": 3}) == {"low": 1, "high": 3}
    assert check_params(PollKind.STV, {"seats": 2}) == {"seats": 2}
    assert check_params("approval", None) == {}
    for kind, params, message in [
        ("lottery", {}, r"^kind: 'lottery' is not one of approval, score, dot_vote, ranked_choice, stv$"),
        ("approval", {"dots": 3}, r"^params: dots do not apply to a approval poll$"),
        ("score", {"low": "1"}, r"^params.low: '1' is not a whole number$"),
        ("score", {"high": True}, r"is not a whole number"),
        ("score", {"high": 10**12}, r"params.high"),
        ("dot_vote", {}, r"^params.dots: say how many dots each voter has$"),
        ("dot_vote", {"dots": 0}, r"at least one dot"),
        ("score", {"low": 5, "high": 1}, r"lowest score 5 is above the highest 1"),
    ]:
        with pytest.raises(InputError, match=message):
            check_params(kind, params)
    assert poll_kind("dot_vote") is PollKind.DOT_VOTE


def test_poll_options_and_ballots_are_checked_in_the_core() -> None:
    assert check_options([" a ", "b"]) == ["a", "b"]
    for options in (["a"], ["a", " "], ["a", "a "]):
        with pytest.raises(InputError, match="at least two different, non-empty options"):
            check_options(options)
    opts = ["a", "b", "c"]
    check_ballot("approval", opts, {}, ["a", "c"], "mo")
    check_ballot("score", opts, {"high": 3}, {"a": 3}, "mo")
    check_ballot("ranked_choice", opts, {}, ["c", "a"], "mo")
    for kind, params, ballot, message in [
        ("approval", {}, {"a": 1}, r"^ballot: give a list of options$"),
        ("stv", {"seats": 1}, "a", r"^ballot: give a list of options$"),
        ("score", {}, ["a"], r"^ballot: give an object option → number$"),
        ("dot_vote", {"dots": 2}, {"a": "x"}, r"ballot.a"),
        ("approval", {"max_approvals": 1}, ["a", "b"], r"2 approvals, this poll allows 1"),
        ("score", {"high": 3}, {"z": 1}, r"'z' is not an option"),
        ("ranked_choice", {}, ["a", "a"], r"."),
    ]:
        with pytest.raises(InputError, match=message):
            check_ballot(kind, opts, params, ballot, "mo")
