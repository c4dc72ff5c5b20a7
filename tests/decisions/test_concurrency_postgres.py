"""200 members casting and changing stances at once, on PostgreSQL: the final counts equal
the database's truth, nothing is lost, and the council's log stays one unbroken chain."""

from __future__ import annotations

import random
import threading
from collections import Counter

import pytest
from django.db import connection

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

VOTERS = 200
CHANGES = 3  # each member casts, then changes their stance twice


def test_200_members_cast_and_change_stances_at_once(council_world):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")
    from parsoc.decisions.record import verify
    from parsoc.web.accounts.models import User
    from parsoc.web.councils.models import Membership
    from parsoc.web.decisions import services
    from parsoc.web.decisions.models import LogEvent, Stance

    w = council_world
    users = User.objects.bulk_create([User(email=f"voter{i}@example.org", display_name=f"Voter {i}",
                                           email_confirmed=True) for i in range(VOTERS)])
    Membership.objects.bulk_create([Membership(council=w.chapter, user=u, role="member") for u in users])
    proposal = services.create_proposal(w.facilitator, w.chapter, title="Budget", body="Spend it on the kitchen")
    services.set_stage(w.facilitator, proposal, "discussion")
    proposal = services.open_decision(w.facilitator, proposal, rule="simple_majority")

    rng = random.Random(5)
    plans = {u.pk: [rng.choice(["yes", "no", "abstain"]) for _ in range(CHANGES)] for u in users}
    barrier = threading.Barrier(VOTERS)
    errors: list[BaseException] = []

    def vote(user):
        try:
            barrier.wait(timeout=60)
            for kind in plans[user.pk]:
                services.cast(user, proposal, kind=kind)
        except BaseException as exc:  # reported below; a thread must not die silently
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=vote, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors[:3]

    # nothing lost: every version is a row and an event
    assert Stance.objects.filter(proposal=proposal).count() == VOTERS * CHANGES
    events = LogEvent.objects.filter(council=w.chapter)
    assert events.filter(kind="stance").count() == VOTERS * CHANGES
    assert sorted(events.values_list("seq", flat=True)) == list(range(1, events.count() + 1))
    # the final counts equal the database's truth and each member's last intended stance
    with connection.cursor() as cursor:
        cursor.execute("""SELECT kind, count(*) FROM (
                              SELECT DISTINCT ON (member_id) kind FROM decisions_stance
                              WHERE proposal_id = %s AND binding ORDER BY member_id, id DESC) last
                          GROUP BY kind""", [proposal.pk])
        truth = dict(cursor.fetchall())
    intended = Counter(plan[-1] for plan in plans.values())
    outcome, _ = services.live_result(proposal)
    counted = {k.value: n for k, n in outcome.counts[0].head.items()}
    assert counted == truth == dict(intended)
    closed = services.close(w.facilitator, proposal)
    assert {k: v["head"] for k, v in closed.outcome["counts"][0].items()} == truth
    report = verify(services.export_log(w.member, w.chapter))
    assert report.ok, report.problems[:3]


def test_closing_a_secret_decision_rewrites_roll_and_ballots_in_one_transaction(council_world, make_user):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")
    from parsoc.web.councils.models import Membership
    from parsoc.web.decisions import services

    w = council_world
    people = [make_user(f"Secret {i}") for i in range(4)]
    for p in people:
        Membership.objects.create(council=w.chapter, user=p, role="member")
    proposal = services.create_proposal(w.facilitator, w.chapter, title="Spoke", body="Ana")
    services.set_stage(w.facilitator, proposal, "discussion")
    proposal = services.open_decision(w.facilitator, proposal, rule="simple_majority", secret=True)
    for i, person in enumerate(people):  # each in its own transactions, one after another
        token = services.issue_ballot(person, proposal)
        services.cast_ballot(proposal, token=token, kind="yes" if i % 2 else "no")

    def xmins(table):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT DISTINCT xmin::text FROM {table} WHERE proposal_id = %s", [proposal.pk])
            return {row[0] for row in cursor.fetchall()}

    # each issue and each cast wrote its whole roll or box again: one xmin each, not one per voter
    assert len(xmins("decisions_ballot")) == 1 and len(xmins("decisions_voterroll")) == 1
    assert xmins("decisions_ballot") != xmins("decisions_voterroll")  # the last cast, the last issue
    services.close(w.facilitator, proposal)
    assert len(xmins("decisions_ballot")) == 1
    assert xmins("decisions_ballot") == xmins("decisions_voterroll")
    assert services.bulletin(proposal) and len(services.bulletin(proposal)) == 4
