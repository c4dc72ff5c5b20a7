"""The live feed's fan-out, over an in-memory store of versioned meeting states."""

from __future__ import annotations

import asyncio
import json

from parsoc.meetings.feed import SSE_PREAMBLE, VersionFeed, sse_event
from parsoc.meetings.live import LiveMeeting
from tests.meetings.asyncrun import run_async


class Store:
    """Meetings by key, as the database keeps them: state JSON with its version."""

    def __init__(self):
        self.rows: dict[str, LiveMeeting] = {}
        self.version_reads = 0

    async def version(self, key):
        self.version_reads += 1
        row = self.rows.get(key)
        return None if row is None else row.version

    async def payload(self, key):
        row = self.rows.get(key)
        if row is None:
            return None
        return row.version, json.dumps(row.snapshot()).encode()


def _feed(store, interval=0.01):
    return VersionFeed(store.version, store.payload, interval=interval)


async def until(condition, timeout=5.0):
    """Wait for ``condition()`` to hold, checking between other tasks' steps, up to ``timeout`` s."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "timed out waiting for the feed"
        await asyncio.sleep(0.001)  # yield to the feed's tasks; not a wait for the event itself


async def _collect(feed, key, until_version, seen, close=True):
    stream = feed.listen(key)
    async for item in stream:
        version, payload = item
        seen.append(version)
        assert json.loads(payload)["version"] == version
        if version >= until_version:
            break
    if close:
        await stream.aclose()


def test_five_hundred_listeners_all_see_each_change_in_order():
    async def scenario():
        store = Store()
        live = store.rows["m1"] = LiveMeeting()
        live.join("ana", "Ana")
        feed = _feed(store)
        seen = [[] for _ in range(500)]
        target = live.version + 3
        start = live.version
        tasks = [asyncio.create_task(_collect(feed, "m1", target, s)) for s in seen]
        await until(lambda: feed.listening("m1") == 500 and all(s == [start] for s in seen))
        reads_before = store.version_reads
        for step in range(3):
            live.raise_hand("ana", ["new", "process", "direct"][step])
            await until(lambda: all(s[-1] == live.version for s in seen))
        await asyncio.wait_for(asyncio.gather(*tasks), 5)
        # one watcher for all 500 listeners: a handful of reads, not hundreds per tick
        assert store.version_reads - reads_before < 60
        return seen, target, feed

    seen, target, feed = run_async(scenario())
    for versions in seen:
        # each change, in order, once: never an older version after a newer one
        assert versions == [target - 3, target - 2, target - 1, target]
    assert feed.listening("m1") == 0


def test_late_joiner_and_reconnect_get_the_current_state_first():
    async def scenario():
        store = Store()
        live = store.rows["m1"] = LiveMeeting()
        live.join("ana", "Ana")
        live.raise_hand("ana", "new")
        feed = _feed(store)
        first = []
        # connect, get the state, drop without a goodbye (the old stream lingers)
        await _collect(feed, "m1", live.version, first, close=False)
        live.call_next()  # changed while the client was away
        again = []
        await _collect(feed, "m1", live.version, again)
        return first, again, live

    first, again, live = run_async(scenario())
    assert first == [2] and again == [live.version]


def test_unknown_meeting_ends_the_stream_and_heartbeats_come_when_idle():
    async def scenario():
        store = Store()
        feed = _feed(store)
        assert [item async for item in feed.listen("nope")] == []
        store.rows["m1"] = LiveMeeting()
        items = []
        async for item in feed.listen("m1", heartbeat=0.02):
            items.append(item)
            if len(items) == 3:
                break
        return items, feed

    items, feed = run_async(scenario())
    assert items[0][0] == 0 and items[1] is None and items[2] is None
    assert feed.listening("m1") == 0 and feed.listening("nope") == 0


def test_poke_delivers_before_the_next_tick():
    async def scenario():
        store = Store()
        live = store.rows["m1"] = LiveMeeting()
        feed = _feed(store, interval=30)  # the tick alone would take 30 s
        seen = []
        task = asyncio.create_task(_collect(feed, "m1", 1, seen))
        await until(lambda: seen == [0])  # listening, with the current state
        live.join("ana", "Ana")
        feed.poke("m1")
        await asyncio.wait_for(task, 2)
        return seen

    assert run_async(scenario()) == [0, 1]


def test_sse_event_format():
    assert sse_event(7, {"a": "ü"}) == 'id: 7\nevent: state\ndata: {"a":"ü"}\n\n'.encode()
    assert SSE_PREAMBLE.startswith(b"retry: ")


def test_poke_from_another_thread_wakes_the_watcher():
    import threading

    async def scenario():
        store = Store()
        live = store.rows["m1"] = LiveMeeting()
        feed = _feed(store, interval=30)
        seen = []
        task = asyncio.create_task(_collect(feed, "m1", 1, seen))
        await until(lambda: seen == [0])  # listening, with the current state
        live.join("ana", "Ana")
        thread = threading.Thread(target=feed.poke, args=("m1",))
        thread.start()
        thread.join()
        await asyncio.wait_for(task, 2)
        feed.poke("nobody-listens")  # a no-op
        return seen

    assert run_async(scenario()) == [0, 1]
