"""Concurrent writers on the embedded SQLite default: nothing refused, nothing lost.

Starts ``parsoc serve`` (uvicorn, as users run it: 2 worker processes by default) on a fresh
SQLite database in a throwaway ``PARSOC_HOME``, listening on 127.0.0.1 only, and lets N
members write at once for D seconds, each picking at random among

- a stance on an open decision (JSON API, ``POST /api/decisions/proposals/<pk>/stances``; every
  change is a new row and an event in the council's hash chain),
- a comment on a proposal under discussion (JSON API),
- a participatory-budget ballot (the web form, with a session and a CSRF token; a member's
  ballot is replaced each time).

It prints the requests, the errors (anything but the expected answer, connection failures
included) and the latency percentiles, then counts in the database file that every
acknowledged write is there: stances and comments one row each, each member's ballot the
last one acknowledged.

Then the crash test: the load starts again, the server is killed with SIGKILL (``kill -9``, the
whole process group) in the middle of it, and started again. Every write acknowledged before
the kill must be in the database, and the council's decision record, exported through the API,
must pass ``parsoc decide verify``.

    .venv/bin/python bench/sqlite_writers.py                 # 50 writers, 60 s, then the kill
    .venv/bin/python bench/sqlite_writers.py --quick         # 20 writers, 5 s
    .venv/bin/python bench/sqlite_writers.py --writers 50 --duration 60 --workers 2 --no-kill

Exit status 0 when there were no errors and nothing acknowledged is missing. Imported by
``tests/security/test_embedded_sqlite.py``, which runs a small version (no timing asserted).
No Django in this process: the world is made, and the server runs, in child processes.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src"  # --src: serve another checkout's code (to measure it against the same load)
SLUG = "writers-assembly"
STANCES = ("yes", "no", "abstain")
PROJECTS = ("1", "2", "3", "4")


# ---- the world (run in a child process: ``sqlite_writers.py --make-world N``) ---------------

def make_world(writers: int) -> dict:
    """Migrate; a council of ``writers`` members (API token and logged-in session each), an
    open decision, a proposal under discussion, a budgeting process at its voting phase."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parsoc.web.settings")
    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from parsoc.councils.kinds import CouncilKind, Role
    from parsoc.web.accounts.models import ApiToken, User
    from parsoc.web.budgeting import services as budgeting
    from parsoc.web.budgeting.models import Phase
    from parsoc.web.councils.models import Council, Membership
    from parsoc.web.decisions import services as decisions

    call_command("migrate", verbosity=0)
    council = Council.objects.create(name="Writers Assembly", slug=SLUG, kind=CouncilKind.CHAPTER)
    facilitator = User.objects.create_user("fac@example.org", None, display_name="Facilitator", email_confirmed=True)
    Membership.objects.create(council=council, user=facilitator, role=Role.FACILITATOR)
    users = User.objects.bulk_create([User(email=f"w{i}@example.org", display_name=f"Writer {i}", password="!",
                                           email_confirmed=True) for i in range(writers)])
    Membership.objects.bulk_create([Membership(council=council, user=u, role=Role.MEMBER) for u in users])
    deciding = decisions.create_proposal(facilitator, council, title="Open late on Fridays", body="Until 22:00.")
    decisions.set_stage(facilitator, deciding, "discussion")
    decisions.open_decision(facilitator, deciding, rule="simple_majority")
    talking = decisions.create_proposal(facilitator, council, title="A new notice board", body="By the door.")
    decisions.set_stage(facilitator, talking, "discussion")
    process = budgeting.create_process(facilitator, council, title="Street fund", budget="1000")
    for code in PROJECTS:
        project = budgeting.propose(facilitator, process, title=f"Project {code}")
        assert project.code == code
    budgeting.advance_phase(facilitator, process)  # review
    for project in process.projects.all():
        budgeting.review(facilitator, project, feasible=True, cost="200")
    budgeting.advance_phase(facilitator, process)  # voting
    assert process.phase == Phase.VOTING
    people = []
    for user in users:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        people.append({"id": user.pk, "token": ApiToken.issue(user, "bench")[1], "session": store.session_key})
    return {"deciding": deciding.pk, "talking": talking.pk, "process": process.pk, "people": people,
            "reader": ApiToken.issue(facilitator, "bench")[1]}


# ---- running the server ----------------------------------------------------------------------

def child_env(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["PARSOC_HOME"] = str(home)
    env["PYTHONPATH"] = os.pathsep.join(p for p in [str(SOURCE), env.get("PYTHONPATH", "")] if p)
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``parsoc serve`` in its own process group (so ``kill -9`` takes its workers too)."""

    def __init__(self, home: Path, port: int, workers: int | None):
        self.home, self.port, self.workers = home, port, workers
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self, timeout: float = 120) -> None:
        self.starts += 1
        log = open(self.home.parent / f"server-{self.starts}.log", "wb")  # noqa: SIM115 - handed to the child, closed below
        self.process = subprocess.Popen(
            [sys.executable, "-m", "parsoc.cli.main", "serve", "--host", "127.0.0.1", "--port", str(self.port)]
            + ([] if self.workers is None else ["--workers", str(self.workers)]),
            env=child_env(self.home), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()  # the child holds its own copy
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped: {self.log_tail()}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/api/me")
                conn.getresponse().read()
                conn.close()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("the server did not answer")

    def kill9(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def log_tail(self) -> str:
        path = self.home.parent / f"server-{self.starts}.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""


# ---- the writers -----------------------------------------------------------------------------

@dataclass
class Ledger:
    """What one writer sent and what the server acknowledged, in order."""

    stances: list[tuple[str, bool]] = field(default_factory=list)   # (kind, acknowledged)
    comments: list[tuple[str, bool]] = field(default_factory=list)  # (body, acknowledged)
    ballots: list[tuple[tuple[str, ...], bool]] = field(default_factory=list)


@dataclass
class Load:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: int = 0
    wall: float = 0.0


def writer(world: dict, person: dict, port: int, ledger: Ledger, load: Load, lock: threading.Lock,
           stop: threading.Event, rng: random.Random, limit: int | None, start: threading.Barrier) -> None:
    csrf = secrets.token_hex(16)  # a 32-character CSRF secret, sent as cookie and header
    api = {"Authorization": f"Bearer {person['token']}", "Content-Type": "application/json"}
    form = {"Cookie": f"sessionid={person['session']}; csrftoken={csrf}", "X-CSRFToken": csrf,
            "Content-Type": "application/x-www-form-urlencoded"}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    start.wait()
    done = 0
    while not stop.is_set() and (limit is None or done < limit):
        done += 1
        what = rng.choice(("stance", "comment", "ballot"))
        if what == "stance":
            kind = rng.choice(STANCES)
            method, path, body, headers, expect = ("POST", f"/api/decisions/proposals/{world['deciding']}/stances",
                                                   json.dumps({"kind": kind}), api, 201)
        elif what == "comment":
            text = f"comment {person['id']}-{done}-{secrets.token_hex(3)}"
            method, path, body, headers, expect = ("POST", f"/api/decisions/proposals/{world['talking']}/comments",
                                                   json.dumps({"body": text}), api, 201)
        else:
            choice = tuple(sorted(rng.sample(PROJECTS, rng.randint(1, 3))))
            method, path, body, headers, expect = ("POST", f"/c/{SLUG}/budgeting/{world['process']}/vote",
                                                   urlencode([("project", c) for c in choice]), form, 302)
        began = time.perf_counter()
        try:
            conn.request(method, path, body, headers)
            response = conn.getresponse()
            answer = response.read()
            ok = response.status == expect
            problem = "" if ok else f"{what}: {response.status} {answer[:160]!r}"
        except (OSError, http.client.HTTPException) as exc:
            ok, problem = False, f"{what}: {type(exc).__name__}: {exc}"
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            time.sleep(0.05)  # the server is down (the crash test): do not spin
        elapsed = time.perf_counter() - began
        if what == "stance":
            ledger.stances.append((kind, ok))
        elif what == "comment":
            ledger.comments.append((text, ok))
        else:
            ledger.ballots.append((choice, ok))
        with lock:
            load.requests += 1
            if ok:
                load.latencies.append(elapsed)
            else:
                load.errors.append(problem)
                if stop.is_set() or len(load.errors) > 10_000:
                    break
    conn.close()


def run_load(world: dict, port: int, ledgers: list[Ledger], duration: float, seed: int,
             limit: int | None = None, during=None) -> Load:
    """All writers at once for ``duration`` seconds (or ``limit`` writes each); ``during``, if
    given, is called from this thread once the writers are going (the crash test kills there)."""
    load, lock, stop = Load(), threading.Lock(), threading.Event()
    start = threading.Barrier(len(world["people"]) + 1)
    threads = [threading.Thread(target=writer, args=(world, p, port, ledgers[i], load, lock, stop,
                                                     random.Random(seed * 100_003 + i), limit, start), daemon=True)
               for i, p in enumerate(world["people"])]
    for t in threads:
        t.start()
    start.wait()
    began = time.perf_counter()
    if during is not None:
        during()
    deadline = began + duration
    while any(t.is_alive() for t in threads) and time.perf_counter() < deadline:
        time.sleep(0.05)
    stop.set()
    for t in threads:
        t.join()
    load.wall = time.perf_counter() - began
    return load


# ---- checking the database -------------------------------------------------------------------

def stored(home: Path, world: dict) -> dict:
    """What the database file holds, per member: stances, comment bodies, ballot choices."""
    db = sqlite3.connect(f"file:{home / 'parsoc.sqlite3'}?mode=ro", uri=True, timeout=60)
    try:
        stances = {}
        for member, count in db.execute("SELECT member_id, COUNT(*) FROM decisions_stance WHERE proposal_id = ? "
                                        "GROUP BY member_id", (world["deciding"],)):
            stances[member] = count
        comments = {}
        for author, body in db.execute(
                "SELECT author_id, body FROM comments_comment WHERE target_id = ? AND target_type_id = "
                "(SELECT id FROM django_content_type WHERE app_label = 'decisions' AND model = 'proposal')",
                (world["talking"],)):
            comments.setdefault(author, set()).add(body)
        ballots = {voter: tuple(sorted(json.loads(choices))) for voter, choices in db.execute(
            "SELECT voter_id, choices FROM budgeting_ballot WHERE process_id = ?", (world["process"],))}
    finally:
        db.close()
    return {"stances": stances, "comments": comments, "ballots": ballots}


def missing_writes(home: Path, world: dict, ledgers: list[Ledger], crashed: bool = False) -> list[str]:
    """Where the database differs from what was acknowledged: a write acknowledged but not
    stored ("lost"), or, without a crash, a write stored although its answer was an error
    ("unacknowledged": a half-done request). After a crash a write whose answer was lost with
    the server may be stored."""
    found = stored(home, world)
    problems = []
    for person, ledger in zip(world["people"], ledgers, strict=False):
        uid = person["id"]
        acked = sum(ok for _, ok in ledger.stances)
        have = found["stances"].get(uid, 0)
        if have < acked or (not crashed and have != acked) or have > len(ledger.stances):
            kind = "lost" if have < acked else "unacknowledged"
            problems.append(f"{kind}: member {uid}: {acked} stances acknowledged ({len(ledger.stances)} sent), "
                            f"{have} stored")
        bodies = found["comments"].get(uid, set())
        lost = [text for text, ok in ledger.comments if ok and text not in bodies]
        extra = bodies - {text for text, _ in ledger.comments}
        unacked_kept = {text for text, ok in ledger.comments if not ok} & bodies
        if lost or extra or (unacked_kept and not crashed):
            problems.append(f"{'lost' if lost else 'unacknowledged'}: member {uid}: comments lost {len(lost)}, "
                            f"unknown {len(extra)}, unacknowledged kept "
                            f"{len(unacked_kept)}")
        acked_ballots = [i for i, (_, ok) in enumerate(ledger.ballots) if ok]
        if acked_ballots:
            last = acked_ballots[-1]
            allowed = {ledger.ballots[last][0]} | ({c for c, _ in ledger.ballots[last + 1:]} if crashed else set())
            if found["ballots"].get(uid) not in allowed:
                later = {c for c, _ in ledger.ballots[last + 1:]}  # sent after it, answered with an error
                kind = "unacknowledged" if found["ballots"].get(uid) in later else "lost"
                problems.append(f"{kind}: member {uid}: ballot {found['ballots'].get(uid)} stored, "
                                f"last acknowledged {ledger.ballots[last][0]}")
    return problems


def verify_record(home: Path, port: int, world: dict, workdir: Path) -> tuple[bool, str]:
    """Export the council's decision record through the API and run ``parsoc decide verify``."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("GET", f"/api/decisions/councils/{SLUG}/log", headers={"Authorization": f"Bearer {world['reader']}"})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    if response.status != 200:
        return False, f"export answered {response.status}"
    path = workdir / "record.json"
    path.write_bytes(body)
    done = subprocess.run([sys.executable, "-m", "parsoc.cli.main", "decide", "verify", str(path)],
                          env=child_env(home), cwd=ROOT, capture_output=True, text=True, check=False)
    lines = (done.stdout + done.stderr).strip().splitlines()
    return done.returncode == 0, lines[-1] if lines else ""


# ---- the whole run ---------------------------------------------------------------------------

def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def run(writers: int = 50, duration: float = 60.0, workers: int | None = None, kill: bool = True,
        port: int | None = None, limit: int | None = None, seed: int = 11, say=print,
        crash_seconds: float | None = None) -> dict:
    """Run the benchmark; returns its figures and what (if anything) went wrong.

    ``limit``: at most this many writes per writer (then the load ends before ``duration``);
    ``crash_seconds``: how long the crash test's load runs (the kill comes half way; default
    ``duration`` up to 20 s)."""
    workdir = Path(tempfile.mkdtemp(prefix="parsoc-sqlite-writers-"))
    home = workdir / "home"
    home.mkdir()
    server = Server(home, port or free_port(), workers)
    result: dict = {"writers": writers, "duration": duration, "workers": workers}
    try:
        made = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--make-world", str(writers)],
                              env=child_env(home), cwd=ROOT, capture_output=True, text=True, check=False)
        if made.returncode != 0:
            raise RuntimeError(f"making the world failed: {made.stderr[-3000:]}")
        world = json.loads(made.stdout.strip().splitlines()[-1])
        server.start()
        ledgers = [Ledger() for _ in world["people"]]
        # warm up: one write each (code loaded, connections made in every worker); not timed,
        # but checked with the rest
        warm = run_load(world, server.port, ledgers, 120.0, seed + 7, 1)
        load = run_load(world, server.port, ledgers, duration, seed, None if limit is None else limit - 1)
        load.errors[:0] = warm.errors
        load.requests += warm.requests
        result.update(requests=load.requests, errors=len(load.errors), error_samples=load.errors[:5],
                      wall=load.wall, per_second=load.requests / load.wall if load.wall else 0.0,
                      p50_ms=percentile(load.latencies, 0.50) * 1000, p99_ms=percentile(load.latencies, 0.99) * 1000,
                      max_ms=max(load.latencies, default=float("nan")) * 1000,
                      acknowledged=sum(ok for lg in ledgers for part in (lg.stances, lg.comments, lg.ballots)
                                       for _, ok in part))
        result["missing"] = missing_writes(home, world, ledgers)
        shown = "parsoc serve's default" if workers is None else workers
        say(f"sqlite_writers: {writers} concurrent writers (stances, comments, budget ballots), "
            f"{load.wall:.1f} s, parsoc serve (uvicorn, workers {shown}), embedded SQLite")
        say(f"  requests {load.requests}  errors {len(load.errors)}  ({result['per_second']:.1f} requests/s)")
        say(f"  latency ms: p50 {result['p50_ms']:.0f}  p99 {result['p99_ms']:.0f}  max {result['max_ms']:.0f}")
        lost = sum(p.startswith("lost") for p in result["missing"])
        say(f"  acknowledged writes {result['acknowledged']}; database differs: {lost} lost, "
            f"{len(result['missing']) - lost} stored although answered with an error")
        for sample in load.errors[:5]:
            say(f"  error: {sample}")
        for problem in result["missing"][:5]:
            say(f"  missing: {problem}")
        if kill:
            crash_ledgers = [Ledger() for _ in world["people"]]
            crash_time = crash_seconds or max(1.0, min(duration, 20.0))

            def kill_midway() -> None:
                time.sleep(crash_time / 2)
                server.kill9()

            crash = run_load(world, server.port, crash_ledgers, crash_time, seed + 1,
                             None if limit is None else 10 * limit, during=kill_midway)
            server.start()
            merged = [Ledger(a.stances + b.stances, a.comments + b.comments, a.ballots + b.ballots)
                      for a, b in zip(ledgers, crash_ledgers, strict=False)]
            result["crash_acknowledged"] = sum(ok for lg in crash_ledgers for part in (lg.stances, lg.comments,
                                                                                       lg.ballots) for _, ok in part)
            result["crash_requests"] = crash.requests
            result["crash_missing"] = missing_writes(home, world, merged, crashed=True)
            result["verify_ok"], result["verify_says"] = verify_record(home, server.port, world, workdir)
            say(f"  kill -9 of the server mid-load ({crash.requests} requests, {result['crash_acknowledged']} "
                f"acknowledged before the kill), restarted: acknowledged writes missing "
                f"{len(result['crash_missing'])}; parsoc decide verify: "
                f"{'passes' if result['verify_ok'] else 'FAILS'} ({result['verify_says']})")
            for problem in result["crash_missing"][:5]:
                say(f"  missing after the kill: {problem}")
        result["ok"] = (result["errors"] == 0 and not result["missing"]
                        and (not kill or (not result["crash_missing"] and result["verify_ok"])))
        if not result["ok"]:
            result["server_log"] = server.log_tail()
        return result
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--make-world":
        print(json.dumps(make_world(int(sys.argv[2]))))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writers", type=int, default=50, help="concurrent writers (default 50)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (default 60)")
    parser.add_argument("--workers", type=int, default=None,
                        help="server worker processes (default: parsoc serve's, 1 on SQLite)")
    parser.add_argument("--port", type=int, default=None, help="port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--no-kill", action="store_true", help="skip the kill -9 and restart")
    parser.add_argument("--quick", action="store_true", help="20 writers for 5 s")
    parser.add_argument("--src", type=Path, default=None,
                        help="serve the code in this src folder instead (e.g. an older checkout, to compare)")
    args = parser.parse_args()
    if args.src is not None:
        global SOURCE
        SOURCE = args.src.resolve()
    if args.quick:
        args.writers, args.duration = 20, 5.0
    result = run(args.writers, args.duration, args.workers, not args.no_kill, args.port)
    if not result["ok"]:
        print(result.get("server_log", ""))
        sys.exit(1)


if __name__ == "__main__":
    main()
