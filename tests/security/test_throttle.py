"""The login throttle counts an attempt before it checks a password, atomically.

Forty wrong passwords sent at once against one address, to a real ``parsoc serve`` (uvicorn,
two worker processes) on SQLite and on PostgreSQL: at most five passwords are checked (counted
by a real hasher that logs each check), the other 35 answer "too many failed attempts", and the
right password is refused too until the window has passed.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

from parsoc.web.accounts import throttle
from parsoc.web.accounts.models import LoginThrottle
from tests.fixtures_web import PASSWORD
from tests.security.counting_hasher import CountingMD5PasswordHasher

ROOT = Path(__file__).resolve().parents[2]
TARGET = "target@example.org"
CONCURRENT = 40
THROTTLED = "Too many failed attempts"
WRONG = "do not match"


# --- a real server ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_database_url() -> str:
    """The ``DATABASE_URL`` of the PostgreSQL test database this test runs on, for a server
    started in its own processes."""
    s = connection.settings_dict
    auth = urllib.parse.quote(s["USER"] or "") + (f":{urllib.parse.quote(s['PASSWORD'])}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


test_database_url.__test__ = False  # a helper, not a test


class Server:
    """``parsoc serve`` in its own processes, with the counting hasher."""

    def __init__(self, home: Path, database_url: str | None):
        self.home, self.port = home, free_port()
        self.checks_log = home / "password-checks.log"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("PARSOC_", "DATABASE_URL", "DJANGO_"))}
        self.env.update(
            PARSOC_HOME=str(home), DJANGO_SETTINGS_MODULE="tests.security.throttle_settings",
            PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
            PARSOC_TEST_PASSWORD_CHECKS=str(self.checks_log), PARSOC_ADMIN_PASSWORD=PASSWORD,
        )
        if database_url:
            self.env["DATABASE_URL"] = database_url
        self.process = None

    def cli(self, *args: str) -> None:
        subprocess.run([sys.executable, "-m", "parsoc.cli.main", *args], env=self.env, cwd=self.home,
                       check=True, capture_output=True, timeout=300)

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "parsoc.cli.main", "serve", "--port", str(self.port), "--workers", "2"],
            env=self.env, cwd=self.home, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:  # wait for the port to answer (polling, not a fixed sleep)
            if self.process.poll() is not None:
                raise RuntimeError(f"parsoc serve stopped: {self.process.stdout.read().decode()[-2000:]}")
            try:
                status, _, _ = self.request("GET", "/accounts/login/")
                if status == 200:
                    return
            except OSError:
                time.sleep(0.1)  # the poll interval of this deadline loop, not a wait for an event
        raise RuntimeError("parsoc serve did not answer within 120 s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def request(self, method: str, path: str, body: dict | None = None, cookie: str = ""):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            headers = {"Cookie": cookie} if cookie else {}
            data = None
            if body is not None:
                data = urllib.parse.urlencode(body)
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            return response.status, response.getheader("Set-Cookie") or "", response.read().decode()
        finally:
            conn.close()

    def password_checks(self) -> int:
        return len(self.checks_log.read_text().splitlines()) if self.checks_log.exists() else 0


def login_form(server: Server) -> tuple[str, str]:
    _, set_cookie, page = server.request("GET", "/accounts/login/")
    csrf_cookie = re.search(r"csrftoken=([^;]+)", set_cookie).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    return f"csrftoken={csrf_cookie}", token


def attack(server: Server) -> None:
    """The same scenario on any database."""
    server.cli("admin", "create", "--email", TARGET, "--name", "Target")  # confirmed, with PASSWORD
    server.start()
    cookie, token = login_form(server)
    assert server.password_checks() == 0

    barrier = threading.Barrier(CONCURRENT)
    answers: list[tuple[int, str]] = []
    lock = threading.Lock()

    def guess(n: int) -> None:
        barrier.wait(timeout=60)
        status, _, page = server.request("POST", "/accounts/login/", {
            "csrfmiddlewaretoken": token, "email": TARGET, "password": f"wrong guess {n}"}, cookie)
        verdict = THROTTLED if THROTTLED in page else WRONG if WRONG in page else page[-500:]
        with lock:
            answers.append((status, verdict))

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(CONCURRENT)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    statuses = {status for status, _ in answers}
    if 500 in statuses:
        pytest.fail(f"answers with status 500 (database locked?): {[a for a in answers if a[0] == 500][:3]}")
    verdicts = [verdict for _, verdict in answers]
    assert len(answers) == CONCURRENT and statuses == {400}, answers[:5]
    assert verdicts.count(WRONG) == throttle.MAX_PER_EMAIL, verdicts
    assert verdicts.count(THROTTLED) == CONCURRENT - throttle.MAX_PER_EMAIL
    assert server.password_checks() == throttle.MAX_PER_EMAIL  # the rest were refused unchecked

    # the right password now: refused as well, and not checked
    status, _, page = server.request("POST", "/accounts/login/", {
        "csrfmiddlewaretoken": token, "email": TARGET, "password": PASSWORD}, cookie)
    assert status == 400 and THROTTLED in page and "sessionid" not in page
    assert server.password_checks() == throttle.MAX_PER_EMAIL


@pytest.mark.slow
def test_40_concurrent_wrong_passwords_get_5_checks_on_sqlite(tmp_path):
    server = Server(tmp_path, database_url=None)  # the embedded default: a SQLite file
    try:
        attack(server)
    finally:
        server.stop()


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_40_concurrent_wrong_passwords_get_5_checks_on_postgresql(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")
    server = Server(tmp_path, database_url=test_database_url())
    try:
        attack(server)
    finally:
        server.stop()


# --- the rules, through the login page ----------------------------------------------------------


@pytest.fixture
def counting(settings):
    settings.PASSWORD_HASHERS = ["tests.security.counting_hasher.CountingMD5PasswordHasher"]
    CountingMD5PasswordHasher.checks = 0
    return CountingMD5PasswordHasher


def log_in(client: Client, email: str, password: str):
    response = client.post("/accounts/login/", {"email": email, "password": password})
    text = response.content.decode()
    return "in" if response.status_code == 302 else THROTTLED if THROTTLED in text else WRONG if WRONG in text else text


def time_passes(delta: timedelta) -> None:
    """Move every recorded attempt back in time (what waiting would do)."""
    for row in LoginThrottle.objects.all():
        row.last_at -= delta
        row.save(update_fields=["last_at"])


@pytest.mark.django_db
def test_the_right_password_is_refused_until_the_window_has_passed(make_user, counting):
    user = make_user("Target", email=TARGET)
    client = Client()
    assert [log_in(client, TARGET, "wrong") for _ in range(5)] == [WRONG] * 5
    assert log_in(client, TARGET, PASSWORD) == THROTTLED
    time_passes(throttle.WINDOW - timedelta(seconds=30))
    assert log_in(client, TARGET, PASSWORD) == THROTTLED  # not quite yet
    assert counting.checks == 5
    time_passes(timedelta(seconds=31))
    assert log_in(client, TARGET, PASSWORD) == "in"
    assert client.get("/api/me").json()["email"] == user.email


@pytest.mark.django_db
def test_refused_attempts_do_not_extend_the_wait(make_user, counting):
    make_user("Target", email=TARGET)
    client = Client()
    for _ in range(5):
        log_in(client, TARGET, "wrong")
    time_passes(throttle.WINDOW - timedelta(minutes=1))
    assert [log_in(client, TARGET, "wrong") for _ in range(10)] == [THROTTLED] * 10
    time_passes(timedelta(minutes=1))
    assert log_in(client, TARGET, PASSWORD) == "in"
    assert counting.checks == 6


@pytest.mark.django_db
def test_a_correct_password_starts_the_count_again_for_its_address(make_user, counting):
    make_user("Target", email=TARGET)
    client = Client()
    for _ in range(4):
        log_in(client, TARGET, "wrong")
    assert log_in(client, TARGET, PASSWORD) == "in"
    client.post("/accounts/logout/")
    assert [log_in(client, TARGET, "wrong") for _ in range(5)] == [WRONG] * 5
    assert log_in(client, TARGET, PASSWORD) == THROTTLED


@pytest.mark.django_db
def test_the_address_is_counted_however_it_is_spelled(make_user, counting):
    make_user("Target", email=TARGET)
    client = Client()
    spellings = [TARGET, TARGET.upper(), " " + TARGET, "Target@Example.org", TARGET + " "]
    assert [log_in(client, s, "wrong") for s in spellings] == [WRONG] * 5
    assert log_in(client, "TARGET@example.ORG", PASSWORD) == THROTTLED
    assert counting.checks == 5


@pytest.mark.django_db
def test_one_network_address_gets_at_most_30_checks_across_addresses(make_user, counting):
    people = [make_user(f"P{n}") for n in range(8)]
    client = Client(REMOTE_ADDR="203.0.113.9")
    answers = [log_in(client, people[n % 8].email, "wrong") for n in range(throttle.MAX_PER_IP + 5)]
    assert answers.count(WRONG) == throttle.MAX_PER_IP and counting.checks == throttle.MAX_PER_IP
    assert log_in(client, people[0].email, PASSWORD) == THROTTLED  # from that network address
    assert log_in(Client(REMOTE_ADDR="198.51.100.7"), people[0].email, PASSWORD) == "in"  # elsewhere


@pytest.mark.django_db
def test_unknown_addresses_are_throttled_the_same_way(db, counting):
    client = Client()
    assert [log_in(client, "nobody@example.org", "x") for _ in range(6)] == [WRONG] * 5 + [THROTTLED]


@pytest.mark.django_db
def test_the_table_holds_no_addresses(make_user, counting):
    make_user("Target", email=TARGET)
    log_in(Client(REMOTE_ADDR="203.0.113.9"), TARGET, "wrong")
    stored = " ".join(str(v) for v in LoginThrottle.objects.values_list("key", flat=True))
    assert "target" not in stored and "203.0.113.9" not in stored


def test_the_admin_site_logs_in_only_through_the_throttled_form(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"
