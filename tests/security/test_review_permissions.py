"""Permissions hold for as long as a view is open, not only when it is opened.

The live meeting stream (``/meetings/<id>/live/stream``) may stay open for hours. Before, its
permission was checked once, at connection: a member removed from a members-only council (or
who left it) went on receiving every change of its live meetings — speakers, queue, notes — for
as long as their screen stayed open. Now the stream asks again as it goes on, and ends for
someone who may no longer see the meeting.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from django.utils import timezone

from parsoc.web.councils import services as council_services
from parsoc.web.meetings import services, stream
from parsoc.web.meetings.models import Meeting
from tests.meetings.asyncrun import run_async
from tests.meetings.test_meetings_stream import _async_client_as, _events

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _close_the_feed_connection():
    yield
    stream.close_feed_connection()


async def _next_item(chunks) -> dict | None:
    """The next event of the stream, or None when the stream has ended."""
    while True:
        try:
            chunk = await asyncio.wait_for(anext(chunks), 5)
        except StopAsyncIteration:
            return None
        events = _events(chunk)
        if events:
            return events[-1]


@pytest.mark.parametrize("how", ["removed", "left"])
def test_the_live_stream_ends_for_a_member_who_may_no_longer_see_it(council_world, monkeypatch, how):
    monkeypatch.setattr(stream, "RECHECK", 0.0)  # ask at every change (the server asks every few seconds)
    w = council_world
    meeting = Meeting.objects.create(council=w.group, title="Quiet", start=timezone.now() + timedelta(hours=1))
    client = _async_client_as(w.member)

    async def scenario():
        response = await client.get(f"/meetings/{meeting.pk}/live/stream")
        assert response.status_code == 200
        chunks = aiter(response.streaming_content)
        first = await _next_item(chunks)
        await sync_to_async(services.live_act)(w.facilitator, meeting.pk, "raise", kind="new")
        second = await _next_item(chunks)  # still a member: sees the change
        if how == "removed":
            await sync_to_async(council_services.remove_member)(w.facilitator, w.group, w.member)
        else:
            await sync_to_async(council_services.leave)(w.member, w.group)
        await sync_to_async(services.live_act)(w.facilitator, meeting.pk, "next")
        third = await _next_item(chunks)
        await chunks.aclose()
        return first, second, third

    first, second, third = run_async(scenario())
    assert first is not None and second["version"] > first["version"]
    assert third is None  # the change after the removal is not sent: the stream has ended
