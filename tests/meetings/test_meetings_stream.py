"""The live stream through Django's ASGI handler: snapshot on connect, then each change."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from django.test import AsyncClient, Client
from django.utils import timezone

from parsoc.web.meetings import services
from parsoc.web.meetings.models import Meeting
from parsoc.web.meetings.stream import close_feed_connection
from tests.meetings.asyncrun import run_async

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _close_the_feed_connection():
    yield
    close_feed_connection()


def _async_client_as(user) -> AsyncClient:
    """Logged in from this thread (``aforce_login`` would keep a connection open elsewhere)."""
    sync = Client()
    sync.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    client = AsyncClient()
    client.cookies = sync.cookies
    return client


def _events(chunks: bytes) -> list[dict]:
    found = []
    for block in chunks.decode().split("\n\n"):
        data = [line[6:] for line in block.splitlines() if line.startswith("data: ")]
        if data:
            found.append(json.loads("".join(data)))
    return found


async def _next_event(stream) -> dict:
    while True:
        chunk = await asyncio.wait_for(anext(stream), 5)
        events = _events(chunk)
        if events:
            return events[-1]


def test_asgi_stream_sends_the_current_state_then_changes(council_world):
    meeting = Meeting.objects.create(council=council_world.chapter, title="Assembly",
                                     start=timezone.now() + timedelta(hours=1))
    services.live_act(council_world.member, meeting.pk, "raise", kind="new")

    client = _async_client_as(council_world.member)

    async def scenario():
        response = await client.get(f"/meetings/{meeting.pk}/live/stream")
        assert response["Content-Type"] == "text/event-stream"
        stream = aiter(response.streaming_content)
        first = await _next_event(stream)  # a late joiner gets the state at once
        await sync_to_async(services.live_act)(council_world.facilitator, meeting.pk, "next")
        second = await _next_event(stream)
        await stream.aclose()
        return first, second

    first, second = run_async(scenario())
    assert [q["name"] for q in first["queue"]] == ["Mo Member"] and first["speaking"] is None
    assert second["version"] == first["version"] + 1
    assert second["speaking"]["name"] == "Mo Member" and second["queue"] == []


def test_stream_of_a_hidden_meeting_is_404(council_world):
    meeting = Meeting.objects.create(council=council_world.group, title="Quiet",
                                     start=timezone.now() + timedelta(hours=1))

    client = _async_client_as(council_world.outsider)

    async def scenario():
        return (await client.get(f"/meetings/{meeting.pk}/live/stream")).status_code

    assert run_async(scenario()) == 404
