"""The data migration into the one discussion model: proposal comments (with their tags,
replies and an accepted amendment) and budget project comments are copied, then the old
tables go."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection

from tests.migrating import migrate

BEFORE = [("decisions", "0005_amendment_as_discussion_comment"), ("budgeting", "0004_bounded_numbers"),
          ("comments", "0001_discussions")]




@pytest.mark.django_db(transaction=True)
def test_old_comments_are_copied_into_the_discussions():
    old = migrate(BEFORE)
    try:
        User = old.get_model("accounts", "User")
        Council = old.get_model("councils", "Council")
        Proposal = old.get_model("decisions", "Proposal")
        ProposalVersion = old.get_model("decisions", "ProposalVersion")
        OldComment = old.get_model("decisions", "Comment")
        Process = old.get_model("budgeting", "Process")
        Project = old.get_model("budgeting", "Project")
        OldProjectComment = old.get_model("budgeting", "Comment")
        at = datetime(2026, 3, 1, 12, tzinfo=UTC)
        fay = User.objects.create(email="fay@example.org", display_name="Fay")
        mo = User.objects.create(email="mo@example.org", display_name="Mo")
        council = Council.objects.create(name="Chapter", slug="chapter", kind="chapter")
        proposal = Proposal.objects.create(council=council, title="Paint the door", body="Red.", stage="discussion")
        question = OldComment.objects.create(proposal=proposal, author=mo, tag="question", body="Which red?")
        OldComment.objects.filter(pk=question.pk).update(created_at=at)
        answer = OldComment.objects.create(proposal=proposal, author=fay, body="Post-box red.", parent=question)
        amendment = OldComment.objects.create(proposal=proposal, author=None, tag="amendment", body="Blue instead")
        ProposalVersion.objects.create(proposal=proposal, number=2, title="Paint the door", body="Blue.",
                                       amendment=amendment)
        process = Process.objects.create(council=council, title="Budget", budget=1000)
        garden = Project.objects.create(process=process, code="1", title="Garden")
        OldProjectComment.objects.create(project=garden, author=mo, body="We have volunteers.")
    finally:
        new = migrate()

    Comment = new.get_model("comments", "Comment")
    ContentType = new.get_model("contenttypes", "ContentType")
    ProposalVersion = new.get_model("decisions", "ProposalVersion")
    on_proposal = Comment.objects.filter(target_type=ContentType.objects.get(app_label="decisions", model="proposal"),
                                         target_id=proposal.pk).order_by("id")
    rows = [(c.author_id, c.tag, c.body, c.council_id) for c in on_proposal]
    assert rows == [(mo.pk, "question", "Which red?", council.pk), (fay.pk, "comment", "Post-box red.", council.pk),
                    (None, "amendment", "Blue instead", council.pk)]
    copied_question, copied_answer, copied_amendment = on_proposal
    assert copied_answer.parent_id == copied_question.pk and copied_question.created_at == at
    assert ProposalVersion.objects.get(number=2).amendment_id == copied_amendment.pk
    [on_project] = Comment.objects.filter(target_type=ContentType.objects.get(app_label="budgeting", model="project"))
    assert (on_project.target_id, on_project.author_id, on_project.body, on_project.council_id) == (
        garden.pk, mo.pk, "We have volunteers.", council.pk)
    tables = connection.introspection.table_names()
    assert "decisions_comment" not in tables and "budgeting_comment" not in tables
    assert answer.pk  # the old ids are not kept: replies and amendments follow the copies
