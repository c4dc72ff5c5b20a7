"""``parsoc meetings ics COUNCIL`` against a real database file."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

from icalendar import Calendar


def _run(home, *args):
    env = dict(os.environ, PARSOC_HOME=str(home), DJANGO_SETTINGS_MODULE="parsoc.web.settings")
    env.pop("DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "parsoc.cli.main", *args], env=env,
                          capture_output=True, timeout=120)


SETUP = """
import django, datetime
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from parsoc.web.councils.models import Council
from parsoc.web.meetings.models import Meeting
c = Council.objects.create(name="Leith Chapter", slug="leith", kind="chapter")
Meeting.objects.create(council=c, title="Assembly", zone="Europe/London", location="Hall",
    start=datetime.datetime(2030, 1, 5, 18, 0, tzinfo=datetime.UTC), minutes_long=120)
"""


def test_ics_for_a_council_and_clear_errors(tmp_path):
    env = dict(os.environ, PARSOC_HOME=str(tmp_path), DJANGO_SETTINGS_MODULE="parsoc.web.settings")
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "-c", SETUP], env=env, check=True, timeout=120)
    out = _run(tmp_path, "meetings", "ics", "leith")
    assert out.returncode == 0, out.stderr
    (event,) = Calendar.from_ical(out.stdout).walk("VEVENT")
    assert str(event["summary"]) == "Assembly (Leith Chapter)"
    assert event.decoded("dtstart") == datetime(2030, 1, 5, 18, 0, tzinfo=UTC)
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(hours=2)
    target = tmp_path / "leith.ics"
    assert _run(tmp_path, "meetings", "ics", "leith", "-o", str(target)).returncode == 0
    (written,) = Calendar.from_ical(target.read_bytes()).walk("VEVENT")
    assert str(written["uid"]) == str(event["uid"]) and str(written["location"]) == "Hall"
    missing = _run(tmp_path, "meetings", "ics", "nowhere")
    assert missing.returncode == 2
    assert missing.stderr.decode().strip() == (
        "parsoc: error: no council called 'nowhere'; give its short name as in /c/SLUG/")
