"""Load test of the decisions API: 200 concurrent voters on PostgreSQL against the production
server (``parsoc serve``: uvicorn, 2 workers), each casting and then changing their stance.

Prints stances per second and the latency percentiles, and checks that nothing was lost: the
final counts equal each voter's last stance, and the council's log verifies.

    DATABASE_URL=postgres://user@host:port/db .venv/bin/python bench/decisions_load.py

Without DATABASE_URL it starts a throwaway PostgreSQL cluster (as .ci/run does; needs the
PostgreSQL server binaries and root to run them as the postgres user). The database named in
DATABASE_URL is dropped and created again. Port: 8133 (PARSOC_BENCH_PORT to change).

``--no-persistent-connections`` serves with ``bench/decisions_load_settings.py`` (the same
settings with CONN_MAX_AGE = 0); without it the server runs with the project's settings as
they are.

There is no peer here: Loomio (the anchor) is a Rails application that cannot run in this
environment, so the figures stand alone.
"""

from __future__ import annotations

import glob
import http.client
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

VOTERS = int(os.environ.get("PARSOC_BENCH_VOTERS", 200))
CHANGES = int(os.environ.get("PARSOC_BENCH_CHANGES", 5))
PORT = int(os.environ.get("PARSOC_BENCH_PORT", 8133))
ROOT = Path(__file__).resolve().parent.parent
if "-h" in sys.argv[1:] or "--help" in sys.argv[1:]:
    print(__doc__)
    sys.exit(0)
NO_PERSISTENT = "--no-persistent-connections" in sys.argv[1:]


def _free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start_postgres(workdir: Path) -> tuple[str, callable]:
    """A throwaway cluster; returns its URL and a function that stops it."""
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    if not bins:
        sys.exit("decisions_load: no DATABASE_URL and no PostgreSQL server binaries; set DATABASE_URL")
    pgbin = bins[-1]
    data = workdir / "pg"
    data.mkdir()
    os.chmod(workdir, 0o755)  # the postgres user must reach its data folder
    shutil.chown(data, "postgres")
    port = _free_port()
    as_pg = ["runuser", "-u", "postgres", "--"]
    subprocess.run(as_pg + [f"{pgbin}/initdb", "-D", str(data / "data"), "--auth=trust", "-U", "postgres"],
                   check=True, capture_output=True)
    subprocess.run(as_pg + [f"{pgbin}/pg_ctl", "-D", str(data / "data"), "-l", str(data / "log"), "-w", "-o",
                            f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c max_connections=300 "
                            "-c fsync=off", "start"], check=True, capture_output=True)

    def stop() -> None:
        subprocess.run(as_pg + [f"{pgbin}/pg_ctl", "-D", str(data / "data"), "-m", "immediate", "stop"],
                       capture_output=True)

    return f"postgres://postgres@127.0.0.1:{port}/parsoc_bench", stop


def recreate_database(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup_world() -> tuple[int, list[tuple[int, str]]]:
    """Migrate; a council of VOTERS members with API tokens; an open simple-majority decision."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parsoc.web.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from parsoc.councils.kinds import CouncilKind
    from parsoc.web.accounts.models import ApiToken, User
    from parsoc.web.councils.models import Council, Membership
    from parsoc.web.decisions import services

    council = Council.objects.create(name="Load Assembly", slug="load-assembly", kind=CouncilKind.CHAPTER)
    facilitator = User.objects.create_user("fac@example.org", None, display_name="Facilitator", email_confirmed=True)
    Membership.objects.create(council=council, user=facilitator, role="facilitator")
    users = User.objects.bulk_create([User(email=f"v{i}@example.org", display_name=f"Voter {i}",
                                           email_confirmed=True) for i in range(VOTERS)])
    Membership.objects.bulk_create([Membership(council=council, user=u, role="member") for u in users])
    tokens = [(u.pk, ApiToken.issue(u, "load")[1]) for u in users]
    proposal = services.create_proposal(facilitator, council, title="Load", body="Many voters at once")
    services.set_stage(facilitator, proposal, "discussion")
    services.open_decision(facilitator, proposal, rule="simple_majority")
    from django.db import connections

    connections.close_all()
    return proposal.pk, tokens


def wait_for(port: int, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("decisions_load: the server stopped (see its log above)")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.3)
    sys.exit("decisions_load: the server did not answer")


def main() -> None:
    from rich.console import Console
    from rich.progress import Progress

    console = Console()
    work = Path(tempfile.mkdtemp(prefix="parsoc-bench-"))
    os.chmod(work, 0o755)
    stop_pg = None
    server = None
    try:
        url = os.environ.get("DATABASE_URL", "")
        if not url.startswith("postgres"):
            url, stop_pg = start_postgres(work)
        recreate_database(url)
        env = dict(os.environ, DATABASE_URL=url, PARSOC_HOME=str(work / "home"))
        if NO_PERSISTENT:
            env.update(DJANGO_SETTINGS_MODULE="decisions_load_settings",
                       PYTHONPATH=os.pathsep.join([str(ROOT / "bench"), env.get("PYTHONPATH", "")]))
        os.environ.update(DATABASE_URL=url, PARSOC_HOME=str(work / "home"))
        (work / "home").mkdir()
        pk, tokens = setup_world()
        server = subprocess.Popen([sys.executable, "-m", "parsoc.cli.main", "serve", "--port", str(PORT),
                                   "--workers", "2"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                  stderr=open(work / "server.log", "wb"))  # noqa: SIM115 -- kept open for the server's life
        wait_for(PORT, server)

        rng = random.Random(7)
        plans = {uid: [rng.choice(["yes", "no", "abstain"]) for _ in range(CHANGES)] for uid, _ in tokens}
        latencies: list[float] = []
        failures: list[str] = []
        lock = threading.Lock()
        barrier = threading.Barrier(VOTERS + 1)

        def voter(uid: int, key: str, progress, task) -> None:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
            headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
            barrier.wait()
            for kind in plans[uid]:
                started = time.perf_counter()
                try:
                    conn.request("POST", f"/api/decisions/proposals/{pk}/stances", json.dumps({"kind": kind}), headers)
                    response = conn.getresponse()
                    body = response.read()
                    ok = response.status == 201
                except OSError as exc:
                    ok, body = False, str(exc).encode()
                    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    if not ok:
                        failures.append(body.decode(errors="replace")[:200])
                progress.advance(task)

        with Progress(console=console, transient=True) as progress:
            task = progress.add_task(f"{VOTERS} voters × {CHANGES} stances", total=VOTERS * CHANGES)
            threads = [threading.Thread(target=voter, args=(uid, key, progress, task)) for uid, key in tokens]
            for t in threads:
                t.start()
            barrier.wait()
            began = time.perf_counter()
            for t in threads:
                t.join()
            wall = time.perf_counter() - began

        # check nothing was lost, through the API and the log
        def get_json(path: str) -> dict:
            for _ in range(30):  # the server may still be short of database connections
                conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
                conn.request("GET", path, headers={"Authorization": f"Bearer {tokens[0][1]}"})
                response = conn.getresponse()
                body = response.read()
                if response.status == 200:
                    return json.loads(body)
                time.sleep(1)
            sys.exit(f"decisions_load: GET {path} kept failing: {body[:200]!r}")

        state = get_json(f"/api/decisions/proposals/{pk}")
        counted = {k: v["head"] for k, v in state["result"]["counts"][0].items()}
        intended = dict(Counter(plan[-1] for plan in plans.values()))
        from parsoc.decisions.record import verify

        report = verify(get_json("/api/decisions/councils/load-assembly/log"))

        latencies.sort()
        n = len(latencies)
        pct = lambda q: latencies[min(n - 1, int(q * n))] * 1000  # noqa: E731
        console.print(f"decisions_load: {VOTERS} concurrent voters, {n} stances (cast then changed), "
                      f"PostgreSQL, parsoc serve (uvicorn, 2 workers), persistent connections "
                      f"{'off' if NO_PERSISTENT else 'as in settings'}")
        console.print(f"  stances per second: {n / wall:.1f}   wall: {wall:.2f} s")
        console.print(f"  latency ms: p50 {pct(0.50):.0f}  p90 {pct(0.90):.0f}  p99 {pct(0.99):.0f}  "
                      f"max {latencies[-1] * 1000:.0f}  mean {statistics.mean(latencies) * 1000:.0f}")
        console.print(f"  failures: {len(failures)}   counts {'equal' if counted == intended else 'DIFFER'} "
                      f"(api {counted} vs intended {intended})   log: "
                      f"{'verifies' if report.ok else 'BROKEN'} ({report.events} events)")
        console.print("  peer: none runnable here (Loomio is a Rails app); no ratio")
        if failures or counted != intended or not report.ok:
            for f in failures[:5]:
                console.print(f"  failure: {f}")
            console.print((work / "server.log").read_text(errors="replace")[-3000:])
            sys.exit(1)
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        if stop_pg is not None:
            stop_pg()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
