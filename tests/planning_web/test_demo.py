"""The demo world has a planning year in progress."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_demo_world_has_a_planning_year_in_progress(client_as):
    from parsoc.web.accounts.models import User
    from parsoc.web.demo import load_demo_world
    from parsoc.web.planning.models import PlanningYear

    load_demo_world()
    load_demo_world()  # idempotent
    year = PlanningYear.objects.get(federation__slug="demo-iops")
    assert year.participants.count() == 303
    assert year.rounds.filter(closed_at__isnull=False).count() == 4 and year.rounds.filter(closed_at=None).count() == 1
    page = client_as(None).get(f"/c/demo-iops/planning/{year.pk}/")
    assert page.status_code == 200 and b"Round <strong>5</strong> is open" in page.content and b"<polyline" in page.content
    # a Gràcia member sees their own request and budget
    person = User.objects.filter(memberships__council__slug="demo-barcelona-gracia").order_by("pk").first()
    page = client_as(person).get(f"/c/demo-iops/planning/{year.pk}/c/demo-barcelona-gracia/")
    assert b"Your personal request" in page.content and b"5000.00" in page.content
    coop = User.objects.filter(memberships__council__slug="demo-winnipeg-coop").first()
    page = client_as(coop).get(f"/c/demo-iops/planning/{year.pk}/c/demo-winnipeg-coop/")
    assert b"Proposal by hand for round 5" in page.content and b"books" in page.content
