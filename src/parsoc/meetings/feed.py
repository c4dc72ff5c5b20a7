"""Fan-out of a versioned value to many listeners in one process (the live transport's hub).

The live state of a meeting lives in the database with a version counter (see
:mod:`parsoc.meetings.live`). Each worker process keeps **one watcher per meeting that has
listeners**: it reads the version every ``interval`` seconds and, when it moved, loads and
serialises the snapshot once and wakes every listener of that meeting on this process with
the same bytes. So 500 screens on one meeting cost one small query per tick, and any number
of worker processes stay correct because the database is the only source of truth.

A listener receives the current value first (a late joiner, or a browser reconnecting after a
dropped connection, sees the current state at once), then each newer value. Values are full
snapshots, so a slow listener simply skips to the latest one; it never receives an older
version after a newer one. Pure asyncio: the web shell supplies the two loaders.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

VersionLoader = Callable[[Hashable], Awaitable[int | None]]
PayloadLoader = Callable[[Hashable], Awaitable[tuple[int, bytes] | None]]


def sse_event(version: int, data: Any, event: str = "state") -> bytes:
    """One Server-Sent Event whose ``id`` is the version and whose data is ``data`` as JSON."""
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return f"id: {version}\nevent: {event}\ndata: {text}\n\n".encode()


#: Sent first on every stream: the browser re-connects one second after a drop.
SSE_PREAMBLE = b"retry: 1000\n\n"
#: A comment line that keeps idle connections open through proxies.
SSE_HEARTBEAT = b": heartbeat\n\n"


@dataclass
class _Channel:
    version: int = -1
    payload: bytes | None = None
    changed: asyncio.Future[None] | None = None
    listeners: int = 0
    loop: asyncio.AbstractEventLoop | None = None
    watcher: asyncio.Task[None] | None = None
    poke: asyncio.Event = field(default_factory=asyncio.Event)


class VersionFeed:
    """Hands every listener of a key the newest ``(version, payload)`` of that key."""

    def __init__(
        self,
        load_version: VersionLoader,
        load_payload: PayloadLoader,
        interval: float = 0.1,
    ) -> None:
        self._load_version = load_version
        self._load_payload = load_payload
        self._interval = interval
        self._channels: dict[Hashable, _Channel] = {}

    def busy(self) -> bool:
        """Whether any key has a listener in this process."""
        return bool(self._channels)

    def listening(self, key: Hashable) -> int:
        """How many listeners this process has on ``key``."""
        channel = self._channels.get(key)
        return channel.listeners if channel else 0

    def poke(self, key: Hashable) -> None:
        """Check ``key`` now instead of at the next tick (after a change in this process).

        Safe to call from any thread; does nothing when this process has no listener on it.
        """
        channel = self._channels.get(key)
        if channel is None or channel.loop is None:
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is channel.loop:
            channel.poke.set()
        else:
            with contextlib.suppress(RuntimeError):  # the loop has closed meanwhile
                channel.loop.call_soon_threadsafe(channel.poke.set)

    async def _refresh(self, key: Hashable, channel: _Channel) -> None:
        version = await self._load_version(key)
        if version is None or version == channel.version:
            return
        loaded = await self._load_payload(key)
        if loaded is None or loaded[0] <= channel.version:
            return
        channel.version, channel.payload = loaded
        woken, channel.changed = channel.changed, asyncio.get_running_loop().create_future()
        if woken is not None and not woken.done():
            woken.set_result(None)

    async def _watch(self, key: Hashable, channel: _Channel) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(channel.poke.wait(), self._interval)
            channel.poke.clear()
            try:
                await self._refresh(key, channel)
            except asyncio.CancelledError:
                raise
            except Exception:  # a failed read is retried at the next tick
                await asyncio.sleep(self._interval)

    async def listen(
        self, key: Hashable, heartbeat: float | None = None
    ) -> AsyncIterator[tuple[int, bytes] | None]:
        """Yield ``(version, payload)``: the current one first, then each newer one.

        With ``heartbeat`` seconds, yields ``None`` after that long without a change.
        Ends (without yielding) when the key does not exist.
        """
        channel = self._channels.get(key)
        if channel is None:
            channel = self._channels[key] = _Channel(loop=asyncio.get_running_loop())
            channel.changed = channel.loop.create_future()
        channel.listeners += 1
        try:
            # Read afresh even when the channel is warm: a joiner must not start one tick stale.
            await self._refresh(key, channel)
            if channel.payload is None:
                return
            if channel.watcher is None or channel.watcher.done():
                # A fresh context: the watcher outlives the request that happened to start it.
                channel.watcher = asyncio.create_task(
                    self._watch(key, channel), context=contextvars.Context()
                )
            seen = -1
            while True:
                if channel.version > seen:
                    seen = channel.version
                    yield channel.version, channel.payload
                    continue
                try:
                    await asyncio.wait_for(asyncio.shield(channel.changed), heartbeat)
                except TimeoutError:
                    yield None
        finally:
            channel.listeners -= 1
            if channel.listeners == 0:
                if channel.watcher is not None:
                    channel.watcher.cancel()
                self._channels.pop(key, None)
