"""Load test of the live facilitation stream: N participants connected to one meeting.

Starts the real server (uvicorn, ASGI, one worker process) on a throwaway SQLite database
(or on ``DATABASE_URL``), connects N Server-Sent-Events clients to one meeting, then in each
round

- a participant raises a hand (JSON API) and we time until the stack keeper's stream shows it;
- the stack keeper calls the next speaker and we time until *every* participant's stream
  shows the new speaker.

Then it drops a tenth of the connections and reconnects them: each must first receive the
current state. Prints the median and 99th percentile of both latencies and the ratio of the
99th percentile to the one-second target (below 1 means the target is met).

    .venv/bin/python bench/meetings_live.py [--participants 500] [--rounds 20] [--port 8140]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_S = 1.0


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def server_cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux), to compare runs independently of load."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def setup_world(n: int):
    """Council, n members with sessions, a meeting everyone has joined; API keys for actors."""
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.utils import timezone

    from parsoc.councils.kinds import Role
    from parsoc.meetings.live import LiveMeeting
    from parsoc.web.accounts.models import ApiToken, User
    from parsoc.web.councils.models import Council, Membership
    from parsoc.web.meetings.models import Meeting

    call_command("migrate", verbosity=0)
    council = Council.objects.create(name="Bench Assembly", slug=f"bench-{time.time_ns()}",
                                     kind="general_assembly")
    users = User.objects.bulk_create([
        User(email=f"p{i}.{council.slug}@example.org", display_name=f"Participant {i}",
             email_confirmed=True, password="!")
        for i in range(n)
    ])
    Membership.objects.bulk_create([
        Membership(council=council, user=u, role=Role.FACILITATOR if i == 0 else Role.MEMBER)
        for i, u in enumerate(users)
    ])
    live = LiveMeeting()
    for u in users:
        live.join(str(u.pk), u.display_name)
    meeting = Meeting.objects.create(council=council, title="Bench", start=timezone.now(),
                                     live_state=live.to_json(), live_version=live.version)
    sessions = []
    for u in users:
        store = SessionStore()
        store[SESSION_KEY] = str(u.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = u.get_session_auth_hash()
        store.create()
        sessions.append(store.session_key)
    keys = [ApiToken.issue(u, "bench")[1] for u in users[: min(n, 64)]]
    return meeting.pk, [str(u.pk) for u in users], sessions, keys


class Listener:
    """One participant's SSE connection, parsed incrementally."""

    def __init__(self, port, path, session):
        self.port, self.path, self.session = port, path, session
        self.state = None
        self.changed = asyncio.Event()
        self.task = None
        self.writer = None

    async def open(self):
        reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        self.writer.write(
            f"GET {self.path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
            f"Cookie: sessionid={self.session}\r\n\r\n".encode()
        )
        await self.writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        if b" 200 " not in head.split(b"\r\n", 1)[0]:
            raise RuntimeError(f"stream refused: {head[:200]!r}")
        self.task = asyncio.create_task(self._read(reader))

    async def _read(self, reader):
        buffer = b""
        while True:
            line = await reader.readline()  # chunked encoding: size line, data, CRLF
            if not line:
                return
            size = int(line.strip() or b"0", 16)
            if size == 0:
                await reader.readline()
                return
            buffer += await reader.readexactly(size)
            await reader.readexactly(2)
            while b"\n\n" in buffer:
                block, buffer = buffer.split(b"\n\n", 1)
                for row in block.split(b"\n"):
                    if row.startswith(b"data: "):
                        self.state = json.loads(row[6:])
                        self.changed.set()

    async def wait_for(self, predicate, timeout=30.0):
        deadline = time.perf_counter() + timeout
        while not (self.state is not None and predicate(self.state)):
            self.changed.clear()
            if self.state is not None and predicate(self.state):
                break
            await asyncio.wait_for(self.changed.wait(), max(0.0, deadline - time.perf_counter()))
        return time.perf_counter()

    async def close(self):
        if self.task:
            self.task.cancel()
        if self.writer:
            self.writer.close()


async def post(port, path, key, body):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    data = json.dumps(body).encode()
    writer.write(
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {key}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n"
        f"Connection: close\r\n\r\n".encode() + data
    )
    await writer.drain()
    answer = await reader.read()
    writer.close()
    if b" 200 " not in answer.split(b"\r\n", 1)[0]:
        raise RuntimeError(f"{path} refused: {answer[:300]!r}")


async def run(port, meeting, people, sessions, keys, rounds, server_pid):
    path = f"/meetings/{meeting}/live/stream"
    listeners = [Listener(port, path, s) for s in sessions]
    started = time.perf_counter()
    for start in range(0, len(listeners), 50):  # connect in waves of 50
        await asyncio.gather(*(lis.open() for lis in listeners[start:start + 50]))
    await asyncio.gather(*(lis.wait_for(lambda s: True) for lis in listeners))
    connect_s = time.perf_counter() - started
    keeper = listeners[0]
    raise_lat, next_lat = [], []
    cpu_start = server_cpu_seconds(server_pid)
    for r in range(rounds):
        who = 1 + r % (len(keys) - 1)
        pid = people[who]
        t0 = time.perf_counter()
        await post(port, f"/api/meetings/{meeting}/live/raise", keys[who], {"kind": "new"})
        t1 = await keeper.wait_for(lambda s, pid=pid: any(q["id"] == pid for q in s["queue"]))
        raise_lat.append(t1 - t0)
        t0 = time.perf_counter()
        await post(port, f"/api/meetings/{meeting}/live/next", keys[0], {})
        done = await asyncio.gather(*(
            lis.wait_for(lambda s, pid=pid: s["speaking"] and s["speaking"]["id"] == pid) for lis in listeners
        ))
        next_lat.extend(t - t0 for t in done)
    rounds_cpu = server_cpu_seconds(server_pid) - cpu_start
    # drop a tenth of the connections and come back: the first thing seen is the current state
    current = keeper.state["version"]
    dropped = listeners[-max(1, len(listeners) // 10):]
    for lis in dropped:
        await lis.close()
    await post(port, f"/api/meetings/{meeting}/live/finish", keys[0], {})
    back = [Listener(port, path, lis.session) for lis in dropped]
    await asyncio.gather(*(lis.open() for lis in back))
    await asyncio.gather(*(lis.wait_for(lambda s: s["version"] > current) for lis in back))
    assert all(lis.state["speaking"] is None for lis in back), "a reconnected client saw old state"
    for lis in listeners[: -len(dropped)] + back:
        await lis.close()
    return connect_s, raise_lat, next_lat, len(back), rounds_cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--port", type=int, default=8140)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--http", default="auto", help="uvicorn's HTTP parser: auto, h11, httptools")
    args = parser.parse_args()

    home = tempfile.mkdtemp(prefix="parsoc-bench-meetings-")
    os.environ["PARSOC_HOME"] = home
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parsoc.web.settings")
    from rich.console import Console

    console = Console(stderr=True)
    with console.status(f"setting up {args.participants} participants"):
        meeting, people, sessions, keys = setup_world(args.participants)
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "parsoc.web.asgi:application", "--port", str(args.port),
         "--log-level", "warning", "--no-access-log", "--timeout-graceful-shutdown", "2",
         "--http", args.http, "--workers", str(args.workers)],
        env=dict(os.environ), cwd=Path(__file__).resolve().parent.parent,
    )
    try:
        for _ in range(200):
            try:
                import socket

                socket.create_connection(("127.0.0.1", args.port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        with console.status(f"{args.participants} streams, {args.rounds} rounds"):
            cpu_before = server_cpu_seconds(server.pid)  # with --workers > 1: the supervisor only
            connect_s, raise_lat, next_lat, reconnected, rounds_cpu = asyncio.run(
                run(args.port, meeting, people, sessions, keys, args.rounds, server.pid))
            cpu_used = server_cpu_seconds(server.pid) - cpu_before
    finally:
        server.terminate()
        server.wait(15)
    db = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    import importlib.util

    http = args.http if args.http != "auto" else (
        "httptools" if importlib.util.find_spec("httptools") else "h11")
    print(f"meetings live: {args.participants} participants on one meeting, {args.rounds} rounds, "
          f"uvicorn {args.workers} worker(s) ({http}), {db}, {os.cpu_count()} cores")
    print(f"  all {args.participants} connected with current state in {connect_s:.2f} s")
    for name, values in (("raised hand -> stack keeper", raise_lat),
                         ("next speaker -> every screen", next_lat)):
        p50, p99 = statistics.median(values), percentile(values, 99)
        print(f"  {name:30s} n={len(values):6d}  median {p50 * 1000:7.1f} ms  "
              f"p99 {p99 * 1000:7.1f} ms  p99/target {p99 / TARGET_S:.3f}")
    print(f"  {reconnected} dropped connections came back and saw the current state first")
    if args.workers == 1:
        print(f"  server CPU: {cpu_used:.2f} s in all, {rounds_cpu / args.rounds * 1000:.0f} ms a round "
              f"(one raised hand + one fan-out to {args.participants})")
    print(f"  load average {os.getloadavg()[0]:.1f} (other work on the machine inflates the latencies)")
    worst = max(percentile(raise_lat, 99), percentile(next_lat, 99))
    return 0 if worst < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
