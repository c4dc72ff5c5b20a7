"""Discussions through the pages: who may read, post, reply, edit and remove; threads, versions,
removal, mentions and their notices; every kind of target."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from parsoc.web.comments import services
from parsoc.web.comments.models import Comment
from tests.fixtures_web import ROLES

pytestmark = [pytest.mark.django_db]


def proposal_in(council, author, stage="discussion"):
    from parsoc.web.decisions import services as decisions

    p = decisions.create_proposal(author, council, title="Paint the door", body="Red.")
    if stage != "draft":
        decisions.set_stage(author, p, "discussion")
    return p


def mention_notices(user):
    from parsoc.web.notifications.models import Notice

    return list(Notice.objects.filter(recipient=user, event__kind="mention").select_related("event"))


@pytest.mark.parametrize("place", ["chapter", "group"])
@pytest.mark.parametrize("role", ROLES)
def test_read_and_post_by_role(council_world, client_as, role, place):
    w = council_world
    council = getattr(w, place)
    p = proposal_in(council, w.member)
    services.post(w.member, p, body="Which **red**?")
    client = client_as(w.person(role))
    page = client.get(p.get_absolute_url())
    sees = place == "chapter" or role in ("member", "facilitator")
    assert page.status_code == (200 if sees else 404)
    if sees:
        assert "Which <strong>red</strong>?" in page.content.decode()
        assert ("Post comment" in page.content.decode()) == (role in ("member", "facilitator"))
    response = client.post(f"/discussions/proposal/{p.pk}/", {"body": f"{role} says hi"})
    expected = {"anonymous": 302, "outsider": 403 if sees else 404, "member": 303, "facilitator": 303}[role]
    assert response.status_code == expected
    posted = Comment.objects.filter(body=f"{role} says hi").first()
    assert (posted is not None) == (role in ("member", "facilitator"))
    if posted:
        assert response["Location"] == f"{p.get_absolute_url()}#comment-{posted.pk}"
        assert posted.council == council and posted.target == p


@pytest.mark.parametrize("role", ROLES)
def test_edit_and_remove_by_role(council_world, client_as, role):
    w = council_world
    p = proposal_in(w.chapter, w.member)
    mine = services.post(w.member, p, body="First thought")
    client = client_as(w.person(role))
    form = client.get(f"/comments/{mine.pk}/edit")
    assert form.status_code == {"anonymous": 302, "outsider": 403, "member": 200, "facilitator": 403}[role]
    if role == "member":
        assert ">First thought</textarea>" in form.content.decode()
        refused = client.post(f"/comments/{mine.pk}/edit", {"body": "  "})
        assert refused.status_code == 400 and "Your edit was not saved: body: the comment is empty" in refused.content.decode()
    response = client.post(f"/comments/{mine.pk}/edit", {"body": f"Second thought by {role}"})
    assert response.status_code == {"anonymous": 302, "outsider": 403, "member": 303, "facilitator": 403}[role]
    mine.refresh_from_db()
    if role == "member":
        assert mine.body == "Second thought by member" and mine.edited_at is not None
        assert [v.body for v in mine.versions.all()] == ["First thought"]
    else:
        assert mine.body == "First thought" and not mine.versions.exists()
    response = client.post(f"/comments/{mine.pk}/remove")
    assert response.status_code == {"anonymous": 302, "outsider": 403, "member": 303, "facilitator": 303}[role]
    mine.refresh_from_db()
    assert mine.removed == (role in ("member", "facilitator"))


def test_another_member_may_neither_edit_nor_remove(council_world, client_as, make_user):
    from parsoc.web.councils.models import Membership

    w = council_world
    other = make_user("Olga Other")
    Membership.objects.create(council=w.chapter, user=other, role="member")
    p = proposal_in(w.chapter, w.member)
    mine = services.post(w.member, p, body="Mine")
    client = client_as(other)
    assert client.post(f"/comments/{mine.pk}/edit", {"body": "Hers"}).status_code == 403
    assert client.post(f"/comments/{mine.pk}/remove").status_code == 403
    mine.refresh_from_db()
    assert mine.body == "Mine" and not mine.removed


def test_threads_nest_to_a_sane_depth_and_removal_keeps_the_shape(council_world, client_as):
    w = council_world
    p = proposal_in(w.chapter, w.member)
    chain = [services.post(w.member, p, body="level 0")]
    for level in range(1, 7):
        author = w.facilitator if level % 2 else w.member
        chain.append(services.post(author, p, body=f"level {level}", parent=chain[-1]))
    shown = services.thread(w.member, p)
    assert [s.depth for s in shown] == [0, 1, 2, 3, 4, 4, 4]
    services.remove(w.facilitator, chain[0])
    page = client_as(w.outsider).get(p.get_absolute_url()).content.decode()
    assert "level 0" not in page and "This comment was removed by a facilitator." in page
    assert all(f"level {n}" in page for n in range(1, 7))
    assert 'class="comment depth-4"' in page and "in reply to" in page
    services.remove(w.member, chain[4])  # its author
    assert Comment.objects.get(pk=chain[4].pk).body == ""
    assert len(services.thread(w.member, p)) == 7


def test_a_reply_must_belong_to_the_same_discussion(council_world, client_as):
    w = council_world
    p, q = proposal_in(w.chapter, w.member), proposal_in(w.chapter, w.member)
    elsewhere = services.post(w.member, q, body="over there")
    client = client_as(w.member)
    response = client.post(f"/discussions/proposal/{p.pk}/", {"body": "reply", "parent": elsewhere.pk}, follow=True)
    assert "no such comment in this discussion" in response.content.decode()
    assert not Comment.objects.filter(body="reply").exists()
    with pytest.raises(Exception, match="another discussion"):
        services.post(w.member, p, body="reply", parent=elsewhere)


def test_empty_and_closed_discussions_are_refused_with_a_reason(council_world, client_as):
    from parsoc.web.decisions import services as decisions

    w = council_world
    p = proposal_in(w.chapter, w.member)
    client = client_as(w.member)
    page = client.post(f"/discussions/proposal/{p.pk}/", {"body": "   "}, follow=True).content.decode()
    assert "Your comment was not posted: body: the comment is empty" in page
    draft = proposal_in(w.chapter, w.member, stage="draft")
    page = client.post(f"/discussions/proposal/{draft.pk}/", {"body": "early"}, follow=True).content.decode()
    assert "comments are closed here now" in page
    decisions.open_decision(w.facilitator, p, rule="consent")
    decisions.close(w.facilitator, p, statement="done")
    page = client.post(f"/discussions/proposal/{p.pk}/", {"body": "late"}, follow=True).content.decode()
    assert "comments are closed here now" in page and "This discussion is closed." in page
    assert not Comment.objects.exists()
    assert client.post(f"/discussions/nothing/{p.pk}/", {"body": "x"}).status_code == 404
    assert client.post(f"/discussions/proposal/{p.pk + 99}/", {"body": "x"}).status_code == 404


def test_edits_are_kept_as_versions_and_shown_in_the_history(council_world, client_as):
    w = council_world
    p = proposal_in(w.chapter, w.member)
    c = services.post(w.member, p, body="alpha")
    services.edit(w.member, c, body="bravo")
    services.edit(w.member, c, body="bravo")  # no change: no version
    services.edit(w.member, c, body="charlie")
    assert [v.body for v in c.versions.all()] == ["alpha", "bravo"]
    anon = client_as()
    page = anon.get(p.get_absolute_url()).content.decode()
    assert "edited 2 times" in page
    history = anon.get(f"/comments/{c.pk}/history").content.decode()
    assert history.index("charlie") < history.index("bravo") < history.index("alpha")
    services.remove(w.member, c)
    history = anon.get(f"/comments/{c.pk}/history").content.decode()
    assert "alpha" not in history.split("<main")[1] and "its text and earlier versions are gone" in history
    assert not c.versions.exists()


def test_history_of_a_hidden_council_is_404(council_world, client_as):
    w = council_world
    c = services.post(w.member, proposal_in(w.group, w.member), body="quiet words")
    assert client_as(w.outsider).get(f"/comments/{c.pk}/history").status_code == 404
    assert "quiet words" in client_as(w.member).get(f"/comments/{c.pk}/history").content.decode()


def test_mentions_notify_who_may_see_once_never_the_author(council_world, make_user):
    from parsoc.web.councils.models import Membership

    w = council_world
    p = proposal_in(w.group, w.member)  # members only
    ben = make_user("Ben Bell")
    Membership.objects.create(council=w.group, user=ben, role="member")
    body = "@fay-facilitator and @ben-bell, twice @fay-facilitator; @mo-member (me); @oz-outsider is no member"
    c = services.post(w.member, p, body=body)
    assert set(c.mentioned.all()) == {w.facilitator, ben}
    [notice] = mention_notices(w.facilitator)
    assert notice.event.title == "Mo Member mentioned you on “Paint the door”"
    assert notice.event.url.endswith(f"{p.get_absolute_url()}#comment-{c.pk}")
    assert len(mention_notices(ben)) == 1
    assert mention_notices(w.member) == [] and mention_notices(w.outsider) == []
    html = str(services.thread(w.member, p)[0].html)
    assert f'href="/accounts/people/{ben.pk}/"' in html and "@oz-outsider" in html
    assert f"/accounts/people/{w.outsider.pk}/" not in html
    # an edit tells only the newly mentioned
    carl = make_user("Carl Case")
    Membership.objects.create(council=w.group, user=carl, role="member")
    services.edit(w.member, c, body=body + " and @carl-case")
    assert len(mention_notices(carl)) == 1 and len(mention_notices(w.facilitator)) == 1


def test_a_draft_is_mentioned_only_to_who_may_see_it(council_world):
    """Members who may not see a draft are not mentioned there (nor told)."""
    w = council_world
    draft = proposal_in(w.chapter, w.member, stage="draft")
    assert services.mentions(draft, "@fay-facilitator @mo-member", author=None) == [w.facilitator, w.member]
    from parsoc.web.councils.models import Membership

    Membership.objects.filter(council=w.chapter, user=w.facilitator).update(role="member")
    assert services.mentions(draft, "@fay-facilitator @mo-member", author=w.member) == []


def test_every_kind_of_target_has_its_discussion(council_world, client_as):
    from parsoc.web.budgeting.models import Process, Project
    from parsoc.web.councils.models import Announcement
    from parsoc.web.meetings.models import Meeting, Poll

    w = council_world
    process = Process.objects.create(council=w.chapter, title="Budget", budget=1000, phase="proposals")
    targets = {
        "proposal": proposal_in(w.chapter, w.member),
        "poll": Poll.objects.create(council=w.chapter, title="When?", created_by=w.member),
        "meeting": Meeting.objects.create(council=w.chapter, title="Assembly", start=datetime(2026, 5, 1, 18, tzinfo=UTC)),
        "announcement": Announcement.objects.create(council=w.chapter, author=w.facilitator, title="Hello", body="Hi"),
        "project": Project.objects.create(process=process, code="1", title="Garden", proposed_by=w.member),
    }
    client = client_as(w.member)
    for key, target in targets.items():
        response = client.post(f"/discussions/{key}/{target.pk}/", {"body": f"About the {key}"})
        assert response.status_code == 303, key
        page = client.get(response["Location"]).content.decode()
        assert f"About the {key}" in page, key
        assert f'id="comment-{Comment.objects.get(body=f"About the {key}").pk}"' in page, key
    # deleting a target takes its discussion with it
    targets["poll"].delete()
    assert not Comment.objects.filter(body="About the poll").exists()
    assert Comment.objects.count() == 4


def test_budget_comments_close_with_the_results(council_world, client_as):
    from parsoc.web.budgeting.models import Process, Project

    w = council_world
    process = Process.objects.create(council=w.chapter, title="Budget", budget=1000, phase="results")
    project = Project.objects.create(process=process, code="1", title="Garden", proposed_by=w.member)
    page = client_as(w.member).post(f"/discussions/project/{project.pk}/", {"body": "late"}, follow=True)
    assert "comments are closed here now" in page.content.decode()
    assert not Comment.objects.exists()


def test_stances_and_reasons_are_shown_with_the_proposal(council_world, client_as):
    from parsoc.web.decisions import services as decisions

    w = council_world
    p = proposal_in(w.chapter, w.member)
    decisions.open_decision(w.facilitator, p, rule="consent")
    decisions.cast(w.member, p, kind="agree", reason="Red is cheerful")
    decisions.cast(w.facilitator, p, kind="object", reason="Too loud")
    decisions.cast(w.member, p, kind="agree", reason="Red is cheerful, really")
    page = client_as().get(p.get_absolute_url()).content.decode()
    stances = page.split('data-testid="stances"')[1].split("</ul>")[0]
    assert stances.count('data-testid="stance-row"') == 2
    assert "Fay Facilitator" in stances and "Object" in stances and "Too loud" in stances
    assert "Red is cheerful, really" in stances and "Red is cheerful”" not in stances
