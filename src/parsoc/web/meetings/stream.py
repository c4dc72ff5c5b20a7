"""The live stream: Server-Sent Events from an async view (served by uvicorn, ASGI).

On connect the current snapshot is sent at once; then one event per new version. Each worker
process has one :class:`~parsoc.meetings.feed.VersionFeed`: one watcher per meeting with
listeners reads the version column every 100 ms and serialises a new snapshot once for all of
them. The browser's ``EventSource`` reconnects by itself after a drop and again starts from
the current snapshot; the event ``id`` is the version, and the page ignores anything not newer
than what it shows.

Served by a WSGI server instead (Django's test server, a threaded WSGI host), the same view
answers with a plain generator that polls the version in its own thread: correct, but a
thread per screen, so the ASGI path is the one to deploy.
"""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import sync_to_async
from django.core.handlers.wsgi import WSGIRequest
from django.db import close_old_connections, connections
from django.http import Http404, StreamingHttpResponse

from parsoc.meetings.feed import SSE_HEARTBEAT, SSE_PREAMBLE, VersionFeed, sse_event
from parsoc.web.meetings.models import Meeting
from parsoc.web.meetings.services import live_state

POLL_INTERVAL = 0.1
HEARTBEAT = 15.0
#: Under WSGI a dropped client is noticed only when a write fails: beat often, and end the
#: stream after a while (the browser reconnects by itself).
WSGI_HEARTBEAT = 2.0
WSGI_LIFETIME = 600.0
#: A stream asks again, at most this often (seconds), whether its viewer may still see the
#: meeting, and ends if not (removed from a members-only council, left it, council hidden).
RECHECK = 5.0


def _version(pk) -> int | None:
    close_old_connections()  # drop a connection the database closed (restart) or that aged out
    return Meeting.objects.filter(pk=pk).values_list("live_version", flat=True).first()


def _payload(pk) -> tuple[int, bytes] | None:
    meeting = Meeting.objects.select_related("council").filter(pk=pk).first()
    if meeting is None:
        return None
    live = live_state(meeting)
    return live.version, sse_event(live.version, live.snapshot())


#: All of the feed's reads run in this one thread: one database connection per process serves
#: every watcher, however many screens are connected.
_DB_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="parsoc-live-feed")


def _in_db_thread(function):
    async def call(pk):
        return await asyncio.get_running_loop().run_in_executor(_DB_THREAD, function, pk)

    return call


def close_feed_connection() -> None:
    """Close the feed thread's database connection (when nobody listens any more, and in tests)."""
    _DB_THREAD.submit(connections.close_all).result()


FEED = VersionFeed(_in_db_thread(_version), _in_db_thread(_payload), interval=POLL_INTERVAL)


def _allowed(user, pk) -> bool:
    meeting = Meeting.objects.select_related("council").filter(pk=pk).first()
    return meeting is not None and user.has_perm("meetings.view", meeting)


async def live_stream(request, pk: int):
    user = await request.auser()
    if not await sync_to_async(_allowed)(user, pk):
        raise Http404("No such meeting")
    # The stream may stay open for hours: give back this request's database connection now
    # (the feed reads through its own single connection), or 500 screens would hold 500.
    await sync_to_async(connections.close_all)()

    async def events():
        checked = time.monotonic()
        try:
            yield SSE_PREAMBLE
            async for item in FEED.listen(pk, heartbeat=HEARTBEAT):
                if time.monotonic() - checked >= RECHECK:
                    if not await asyncio.get_running_loop().run_in_executor(_DB_THREAD, _allowed, user, pk):
                        return  # no longer allowed to see it: the stream ends, nothing more is sent
                    checked = time.monotonic()
                yield SSE_HEARTBEAT if item is None else item[1]
        finally:
            if not FEED.busy():
                _DB_THREAD.submit(connections.close_all)

    stream = _polling_events(user, pk) if isinstance(request, WSGIRequest) else events()
    response = StreamingHttpResponse(stream, content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response


def _polling_events(user, pk):
    """The stream for WSGI servers: poll the version in this thread."""
    yield SSE_PREAMBLE
    shown, quiet, started = -1, 0.0, time.monotonic()
    checked = started
    while time.monotonic() - started < WSGI_LIFETIME:
        version = _version(pk)
        if version is None:
            return
        if time.monotonic() - checked >= RECHECK:
            if not _allowed(user, pk):
                return
            checked = time.monotonic()
        if version != shown:
            loaded = _payload(pk)
            if loaded is None:
                return
            shown, quiet = loaded[0], 0.0
            yield loaded[1]
        elif quiet >= WSGI_HEARTBEAT:
            quiet = 0.0
            yield SSE_HEARTBEAT
        time.sleep(POLL_INTERVAL)
        quiet += POLL_INTERVAL
