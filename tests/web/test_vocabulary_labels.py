"""Pages, forms and models read the core's vocabulary: people see labels, never stored keys."""

from __future__ import annotations

import pytest
from django.template import Context, Template, TemplateSyntaxError

from parsoc.choice.budget_process import BallotKind, Phase
from parsoc.choice.methods import BudgetRule, Completion, Satisfaction
from parsoc.councils.kinds import CouncilKind, JoinPolicy, RequestStatus, Role, TermEnd, Visibility
from parsoc.decisions.lifecycle import CommentTag, Stage
from parsoc.decisions.outcome import Status
from parsoc.decisions.polls import PollKind
from parsoc.decisions.rules import RuleKind
from parsoc.decisions.stances import StanceKind
from parsoc.meetings.quorum import Attendance
from parsoc.meetings.rotation import MeetingRole
from parsoc.meetings.status import MeetingStatus
from parsoc.work.kinds import EffortKind
from tests.html import by_test_id, visible_text

RAW_KEYS = ("full_consensus", "modified_consensus", "simple_majority", "qualified_majority", "stand_aside",
            "second_round", "supermajority_vote", "dot_vote", "ranked_choice")


def test_model_and_form_choices_are_the_cores():
    from parsoc.web.budgeting.forms import ProcessForm
    from parsoc.web.budgeting.models import Process
    from parsoc.web.councils.forms import CouncilForm
    from parsoc.web.comments.models import Comment
    from parsoc.web.decisions.models import Poll, Proposal, Stance
    from parsoc.web.councils.models import Council, DelegateTerm, JoinRequest, Membership
    from parsoc.web.meetings.models import AttendanceRecord, Meeting, RoleAssignment
    from parsoc.web.work.models import EffortSettings

    fields = [(Proposal, "stage", Stage), (Proposal, "rule_kind", RuleKind), (Proposal, "status", Status),
              (Stance, "kind", StanceKind), (Comment, "tag", CommentTag), (Poll, "kind", PollKind),
              (Poll, "stage", Stage), (Process, "phase", Phase), (Process, "ballot_kind", BallotKind),
              (Process, "rule", BudgetRule), (Process, "satisfaction", Satisfaction),
              (Process, "completion", Completion), (AttendanceRecord, "status", Attendance),
              (RoleAssignment, "role", MeetingRole), (Meeting, "status", MeetingStatus),
              (JoinRequest, "status", RequestStatus), (DelegateTerm, "end_reason", TermEnd),
              (Council, "kind", CouncilKind), (Council, "visibility", Visibility), (Council, "join_policy", JoinPolicy),
              (Membership, "role", Role), (EffortSettings, "scheme", EffortKind)]
    for model, name, vocabulary in fields:
        assert model._meta.get_field(name).choices == vocabulary.choices(), (model, name)
    form = ProcessForm()
    for name, vocabulary in [("ballot_kind", BallotKind), ("rule", BudgetRule), ("satisfaction", Satisfaction),
                             ("completion", Completion)]:
        assert form.fields[name].choices == vocabulary.choices(), name
    assert CouncilForm.base_fields["kind"].choices == CouncilKind.choices()


def test_the_label_filter_and_tag():
    page = Template('{% load vocabulary %}{{ k|label:"stance" }}|{{ r|label:"rule" }}|{{ old|label:"stance" }}|'
                    '{{ none|label:"stance" }}|{% vocabulary "temperature" as t %}{% for v, l in t %}{{ v }}={{ l }},{% endfor %}')
    assert page.render(Context({"k": "stand_aside", "r": RuleKind.QUALIFIED_MAJORITY, "old": "retired"})) == (
        "Stand aside|Qualified majority|retired||agree=Agree,reservations=Agree with reservations,"
        "stand_aside=Stand aside,block=Block,")
    with pytest.raises(TemplateSyntaxError, match="no vocabulary 'mood'"):
        Template('{% load vocabulary %}{{ k|label:"mood" }}').render(Context({"k": "x"}))


@pytest.mark.django_db
def test_a_proposal_reads_in_words_from_discussion_to_outcome(council_world, client_as):
    from parsoc.web.decisions import services

    w = council_world
    fac = client_as(w.facilitator)
    p = services.create_proposal(w.member, w.chapter, title="Paint the door", body="Red.")
    services.set_stage(w.member, p, "discussion")
    from parsoc.web.comments import services as discussion

    discussion.post(w.member, p, body="Which red?", tag="question")
    page = fac.get(p.get_absolute_url())
    text = visible_text(page)
    assert by_test_id(page, "stage") == ["Discussion"]
    for words in ("Full consensus", "Modified consensus", "Simple majority", "Qualified majority", "Question",
                  "Amendment"):
        assert words in text, words
    assert not [key for key in RAW_KEYS if key in text]

    services.set_stage(w.facilitator, p, "temperature")
    services.temperature(w.member, p, kind="reservations")
    services.temperature(w.facilitator, p, kind="stand_aside")
    page = fac.get(p.get_absolute_url())
    assert by_test_id(page, "stage") == ["Temperature check"]
    assert sorted(by_test_id(page, "temperature")[0].split(" · ")) == ["Agree with reservations: 1", "Stand aside: 1"]
    assert "stand_aside" not in visible_text(page)

    services.open_decision(w.facilitator, p, rule="full_consensus")
    services.cast(w.member, p, kind="reservations")
    services.close(w.facilitator, p)
    page = fac.get(p.get_absolute_url())
    assert by_test_id(page, "stage") == ["Closed"] and by_test_id(page, "outcome") == ["Passed"]
    assert by_test_id(page, "result-status")[0].startswith("Passed — ")
    index = visible_text(fac.get("/c/test-chapter/decisions/"))
    assert "Paint the door Closed Passed" in index and "closed" not in index.split("Paint the door")[1][:20]
