"""``parsoc demo``, ``parsoc admin create`` and ``parsoc serve`` on the embedded SQLite database."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys


def run(tmp_path, *args, env=None):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("PARSOC_", "DATABASE_URL"))}
    full_env.update({"PARSOC_HOME": str(tmp_path), **(env or {})})
    return subprocess.run([sys.executable, "-m", "parsoc.cli.main", *args], env=full_env,
                          capture_output=True, text=True, timeout=300)


def test_demo_loads_the_world_and_is_harmless_twice(tmp_path):
    first = run(tmp_path, "demo", "--no-serve")
    assert first.returncode == 0, first.stderr
    assert "amara@demo.parsoc.org" in first.stdout and "password:" in first.stdout
    second = run(tmp_path, "demo", "--no-serve")
    assert second.returncode == 0, second.stderr
    db = sqlite3.connect(tmp_path / "parsoc.sqlite3")
    kinds = {k for (k,) in db.execute("select distinct kind from councils_council")}
    assert {"federation", "chapter", "affinity_group", "working_group", "worker_council", "consumer_council"} <= kinds
    assert db.execute("select count(*) from accounts_user").fetchone()[0] == 30
    # 13 councils of people, and the planning year's 300 simulated councils
    assert db.execute("select count(*) from councils_council").fetchone()[0] == 13 + 300
    assert db.execute("select count(*) from councils_delegateterm").fetchone()[0] >= 7
    # four posted by people, one by the record when the kitchen decision closed (its head)
    assert db.execute("select count(*) from councils_announcement").fetchone()[0] == 5
    password = (tmp_path / "demo_password").read_text().strip()
    assert password in first.stdout and password in second.stdout


def test_admin_create_and_bad_input(tmp_path):
    bad = run(tmp_path, "admin", "create", "--email", "nonsense", "--password", "x")
    assert bad.returncode == 2 and bad.stderr.strip().count("\n") == 0 and "not an email" in bad.stderr
    weak = run(tmp_path, "admin", "create", "--email", "root@example.org", "--password", "123")
    assert weak.returncode == 2 and "password" in weak.stderr and "Traceback" not in weak.stderr
    ok = run(tmp_path, "admin", "create", "--email", "root@example.org", "--password", "a long admin passphrase 9")
    assert ok.returncode == 0, ok.stderr
    again = run(tmp_path, "admin", "create", "--email", "root@example.org", "--password", "a long admin passphrase 9")
    assert again.returncode == 2 and "exists already" in again.stderr


def test_serve_refuses_a_port_in_use(tmp_path):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run(tmp_path, "serve", "--port", str(port))
    assert result.returncode == 2 and "in use" in result.stderr and "Traceback" not in result.stderr
