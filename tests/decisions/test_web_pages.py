"""Decision pages: permissions for the four parties, form errors, reminders and windows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from parsoc.web.decisions.models import Ballot, Delegation, Proposal
from tests.fixtures_web import ROLES
from tests.html import alerts, by_test_id, statuses

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def opened(council_world):
    from parsoc.web.comments import services as discussion
    from parsoc.web.decisions import services

    w = council_world
    p = services.create_proposal(w.member, w.chapter, title="Paint the door", body="Red.")
    services.set_stage(w.member, p, "discussion")
    discussion.post(w.member, p, body="Which red?", tag="question")
    return services.open_decision(w.facilitator, p, rule="full_consensus")


@pytest.mark.parametrize("role", ROLES)
def test_pages_by_role(council_world, opened, client_as, role):
    client = client_as(council_world.person(role))
    url = opened.get_absolute_url()
    page = client.get(url)
    assert page.status_code == 200  # a public council's decisions are public to read
    assert ("Cast my stance" in page.content.decode()) == (role in ("member", "facilitator"))
    assert ("Close and record the outcome" in page.content.decode()) == (role == "facilitator")
    act = client.post(url + "stance/", {"kind": "agree"})
    assert act.status_code == {"anonymous": 302, "outsider": 403, "member": 302, "facilitator": 302}[role]
    new = client.get("/c/test-chapter/decisions/new/")
    assert new.status_code == {"anonymous": 302, "outsider": 403, "member": 200, "facilitator": 200}[role]


@pytest.mark.parametrize("role", ROLES)
def test_members_only_council_pages_are_404_to_outsiders(council_world, client_as, role):
    from parsoc.web.decisions import services

    p = services.create_proposal(council_world.member, council_world.group, title="Quiet", body="Hush")
    services.set_stage(council_world.member, p, "discussion")
    client = client_as(council_world.person(role))
    expected = {"anonymous": 404, "outsider": 404, "member": 200, "facilitator": 200}[role]
    assert client.get("/c/quiet-group/decisions/").status_code == expected
    assert client.get(p.get_absolute_url()).status_code == expected


def test_bad_input_comes_back_as_a_form_error(council_world, opened, client_as):
    client = client_as(council_world.member)
    url = opened.get_absolute_url()
    proposals = Proposal.objects.count()
    page = client.post(url + "stance/", {"kind": "block", "reason": ""})
    assert page.status_code == 400 and alerts(page) == [page.context["error"]]
    assert "a block needs a reason" in page.context["error"]
    page = client.post(url + "stance/", {"kind": "yes"})
    assert page.status_code == 400 and len(alerts(page)) == 1 and "yes is not allowed now" in alerts(page)[0]
    assert not opened.stances.exists()  # neither stance was recorded
    page = client.post("/c/test-chapter/decisions/new/", {"title": "", "body": "x"})
    assert page.status_code == 400 and len(alerts(page)) == 1 and "a proposal needs a title" in alerts(page)[0]
    assert Proposal.objects.count() == proposals
    page = client.post("/c/test-chapter/decisions/delegation/", {"to": council_world.member.pk})
    assert page.status_code == 400 and len(alerts(page)) == 1 and "cannot delegate to yourself" in alerts(page)[0]
    assert not Delegation.objects.exists()
    fac = client_as(council_world.facilitator)
    assert fac.post(url + "close/", {"statement": "Done"}).status_code == 302
    page = client.post(url + "stance/", {"kind": "agree"})
    assert page.status_code == 400 and len(alerts(page)) == 1 and "the decision is closed" in alerts(page)[0]
    assert not opened.stances.exists()


def test_secret_ballot_page_gives_a_receipt_that_checks(council_world, client_as):
    from parsoc.web.decisions import services

    w = council_world
    p = services.create_proposal(w.member, w.chapter, title="Elect a spoke", body="Ana")
    services.set_stage(w.member, p, "discussion")
    services.open_decision(w.facilitator, p, rule="simple_majority", secret=True)
    client = client_as(w.member)
    page = client.post(p.get_absolute_url() + "ballot/take/")
    token = page.context["token"]
    assert token and by_test_id(page, "receipt") == [token]  # shown as the receipt, not only in the form
    page = client.post(p.get_absolute_url() + "ballot/cast/", {"token": token, "kind": "yes"})
    assert statuses(page)[0].startswith("Your ballot is cast.") and alerts(page) == []
    assert Ballot.objects.filter(proposal=p).count() == 1
    page = client.post(p.get_absolute_url() + "ballot/take/")
    assert page.status_code == 400 and len(alerts(page)) == 1 and "already taken" in alerts(page)[0]
    assert by_test_id(page, "receipt") == []  # no second ballot handed out
    services.close(w.facilitator, p)
    page = client.get(p.get_absolute_url() + "ballot/", {"check": token})
    assert statuses(page) == ["Counted: Yes."] and alerts(page) == []
    page = client.get(p.get_absolute_url() + "ballot/", {"check": "not.a.receipt"})
    assert alerts(page) == ["That receipt is not in the published ballots."] and statuses(page) == []


def test_tick_closes_due_windows_and_sends_reminders(council_world, opened):
    from parsoc.web.decisions import services
    from parsoc.web.decisions.models import Proposal
    from parsoc.web.notifications.models import Notice

    w = council_world
    soon = services.create_proposal(w.member, w.chapter, title="Soon", body="x")
    services.set_stage(w.member, soon, "discussion")
    services.open_decision(w.facilitator, soon, rule="consent", closes_at=timezone.now() + timedelta(hours=2))
    services.cast(w.member, soon, kind="agree")
    Proposal.objects.filter(pk=opened.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    from parsoc.errors import InputError
    with pytest.raises(InputError, match="the decision is closed"):
        services.cast(w.member, Proposal.objects.get(pk=opened.pk), kind="agree")
    mail.outbox.clear()
    assert services.tick() == {"closed": 1, "closing": 1, "review": 0}
    assert Proposal.objects.get(pk=opened.pk).status == "failed"  # no one agreed
    closing = Notice.objects.filter(event__kind="decision_closing", event__context__proposal=soon.pk)
    assert {n.recipient for n in closing} == {w.facilitator}  # the member already took a stance
    assert services.tick() == {"closed": 0, "closing": 0, "review": 0}  # idempotent
    Proposal.objects.filter(pk=opened.pk).update(review_on=timezone.localdate())
    assert services.tick()["review"] == 1
    assert Notice.objects.filter(event__kind="decision_review", recipient=w.facilitator).exists()


def test_competing_proposals_close_together(council_world):
    from parsoc.web.decisions import services

    w = council_world
    made = []
    for title, kind in (("Paint it red", "agree"), ("Paint it blue", "stand_aside")):
        p = services.create_proposal(w.member, w.chapter, title=title, body=title, question="Door colour")
        services.set_stage(w.member, p, "discussion")
        services.open_decision(w.facilitator, p, rule="full_consensus", stand_aside_limit="1")
        services.cast(w.member, p, kind="agree")
        services.cast(w.facilitator, p, kind=kind)
        made.append(p)
    ranked = services.close_question(w.facilitator, w.chapter, "Door colour")
    assert [p.title for p in ranked] == ["Paint it red", "Paint it blue"]
    assert all(p.stage == "closed" and p.status == "passed" for p in ranked)
    from parsoc.errors import InputError
    with pytest.raises(InputError, match="no open proposals"):
        services.close_question(w.facilitator, w.chapter, "Door colour")


def test_cli_tick_closes_what_is_due(council_world, opened):
    from typer.testing import CliRunner

    from parsoc.cli.main import app
    from parsoc.web.decisions.models import Proposal

    Proposal.objects.filter(pk=opened.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    result = CliRunner().invoke(app, ["decide", "tick"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "closed 1, closing-soon reminders 0, review reminders 0"
    assert Proposal.objects.get(pk=opened.pk).stage == "closed"


def test_demo_decisions_load_once_and_their_record_verifies(db):
    from parsoc.decisions.record import verify
    from parsoc.web.councils.models import Council
    from parsoc.web.decisions import services
    from parsoc.web.decisions.models import Proposal
    from parsoc.web.demo import load_demo_world

    load_demo_world()
    load_demo_world()  # idempotent
    glasgow = Council.objects.get(slug="demo-glasgow")
    kitchen = Proposal.objects.get(council=glasgow, title="Move the kitchen to the north tent")
    assert kitchen.status == "passed" and kitchen.outcome["round"] == 2
    assert Proposal.objects.filter(council=glasgow).count() == 3
    assert verify(services.export_log(glasgow.memberships.first().user, glasgow)).ok


def test_notices_in_the_app_and_by_email(council_world, opened, client_as, django_capture_on_commit_callbacks):
    from parsoc.web.decisions import services

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # mail leaves when the stance is committed
        services.cast(council_world.member, opened, kind="block", reason="Red clashes with the brick.")
    assert [m.to for m in mail.outbox] == [[council_world.facilitator.email]]
    assert "blocked" in mail.outbox[0].subject
    # The old page of decision notices leads to the one inbox, which has them.
    assert client_as(council_world.facilitator).get("/notifications/decisions/")["Location"] == "/notifications/"
    text = client_as(council_world.facilitator).get("/notifications/").content.decode()
    assert "Mo Member blocked: Paint the door" in text
    assert "Decision open: Paint the door" not in text  # the facilitator opened it: nobody is told what they did
    assert "Decision open: Paint the door" in client_as(council_world.member).get("/notifications/").content.decode()
    assert client_as(None).get("/notifications/")["Location"].startswith("/accounts/login/")


@pytest.fixture
def secret_with_delegation(council_world):
    """A secret decision on which the member handed their vote to the facilitator."""
    from parsoc.web.decisions import services

    w = council_world
    p = services.create_proposal(w.member, w.chapter, title="Elect a spoke", body="Ana")
    services.set_stage(w.member, p, "discussion")
    services.delegate(w.member, w.chapter, to=w.facilitator, proposal=p)
    return services.open_decision(w.facilitator, p, rule="simple_majority", secret=True)


@pytest.mark.parametrize("role", ROLES)
def test_delegated_secret_ballot_page_by_role(council_world, secret_with_delegation, client_as, role):
    w, p = council_world, secret_with_delegation
    client = client_as(w.person(role))
    url = p.get_absolute_url() + "ballot/"
    page = client.get(url)
    assert page.status_code == {"anonymous": 302, "outsider": 200, "member": 200, "facilitator": 200}[role]
    offered = f"Take a ballot for {w.member.display_name}"
    assert (offered in page.content.decode()) == (role == "facilitator")
    page = client.post(url + "take/", {"for_member": w.member.pk})
    assert page.status_code == {"anonymous": 302, "outsider": 403, "member": 200, "facilitator": 200}[role]
    if role == "member":  # taking a ballot "for" yourself is taking your own
        assert page.context["token"] and page.context["for_member"] is None
    if role == "facilitator":
        token = page.context["token"]
        assert token in page.content.decode() and page.context["for_member"] == w.member
        assert "give it to Mo Member" in page.content.decode()
        page = client.post(url + "cast/", {"token": token, "kind": "yes"})
        assert "Your ballot is cast" in page.content.decode()
        assert "already taken in their name" in client.get(url).content.decode()
        from parsoc.web.decisions import services

        closed = services.close(w.facilitator, p)
        assert closed.outcome["counts"][0]["yes"]["head"] == 1
        assert client.get(url, {"check": token}).content.decode().count("Counted: Yes.") == 1
        delegation = client.get("/c/test-chapter/decisions/delegation/").content.decode()
        assert "Mo Member hands you their vote on “Elect a spoke”" in delegation


def test_delegated_secret_ballot_bad_input_is_a_400(council_world, secret_with_delegation, client_as):
    w, p = council_world, secret_with_delegation
    url = p.get_absolute_url() + "ballot/"
    member = client_as(w.member)
    for value, message in [("abc", "is not a member of this council"),
                           ("999999", "is not a member of this council"),
                           (w.facilitator.pk, "has not handed you their vote")]:
        page = member.post(url + "take/", {"for_member": value})
        assert page.status_code == 400 and message in page.content.decode(), value
    fac = client_as(w.facilitator)
    assert fac.post(url + "take/", {"for_member": w.member.pk}).status_code == 200
    page = fac.post(url + "take/", {"for_member": w.member.pk})
    assert page.status_code == 400 and "already taken in this name" in page.content.decode()
    page = member.post(url + "take/")  # the member's own ballot was taken by their delegate
    assert page.status_code == 400 and "already taken in this name" in page.content.decode()
