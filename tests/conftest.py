"""Suite-wide fixtures and the CI switch.

``PARSOC_REQUIRE_ALL=1`` (set by ``.ci/run``) turns every skip into a failure: in CI a missing
browser, database or data folder must not pass silently. Locally the same tests skip with a
message saying what is missing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# tools/mutation/run (HYPOTHESIS_PROFILE=mutation): every call into a mutated module goes through
# mutmut's trampoline, on a busy machine, so Hypothesis's time limits would fail a test for its
# speed alone; and the same examples every run, so that each mutant's verdict can be repeated.
settings.register_profile("mutation", deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

pytest_plugins = ["tests.fixtures_web", "tests.fixtures_browser"]

ROOT = Path(__file__).resolve().parent.parent
# The real data the tests read, copied from ../shared/data (see tests/data/README.md).
TEST_DATA = ROOT / "tests" / "data"
REQUIRE_ALL = os.environ.get("PARSOC_REQUIRE_ALL", "") not in ("", "0", "false")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if REQUIRE_ALL and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped under PARSOC_REQUIRE_ALL=1 (CI must run everything): {reason}"


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    """The same for a whole module skipped while it is collected (``pytest.importorskip`` at
    module level, ``pytest.skip(allow_module_level=True)``): under ``PARSOC_REQUIRE_ALL`` a
    missing optional library fails the run instead of silently dropping the module's tests."""
    outcome = yield
    report = outcome.get_result()
    if REQUIRE_ALL and report.skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"module skipped under PARSOC_REQUIRE_ALL=1 (CI must run everything): {reason}"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, test in a database FILE, as parsoc runs, not in Django's shared in-memory
    database: there every thread (the live server's, the live meeting stream's) shares one
    connection and its table locks, and a stream still reading when a browser test ends made
    the end-of-test flush fail with "database table is locked". In a file each thread has its
    own connection, and the embedded database's setup (IMMEDIATE transactions, busy timeout,
    queued writers) is the one under test."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        db.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / "test.sqlite3")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real data the tests read (PrefLib, Pabulib, the planning experiments): the copies in
    ``tests/data`` of the files in ``../shared/data``."""
    if not TEST_DATA.is_dir():
        pytest.skip(f"test data not found at {TEST_DATA}")
    return TEST_DATA


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests hash with MD5 (``test_security`` checks real settings)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _commit_callbacks_per_request(request):
    """Run each test-client request's ``on_commit`` callbacks (its mail) when it ends.

    Served for real, each writing request is one transaction, and its mail leaves when that
    transaction commits (``parsoc.web.core.mail``). Inside a test's transaction nothing ever
    commits, so without this no mail would leave. When a request ends inside a test's
    transaction, the callbacks it registered are run as its commit would run them; those of a
    request that was rolled back were already dropped by Django. Tests with real commits
    (``transaction=True``, live servers) are not touched, nor are tests marked
    ``commit_callbacks_by_hand`` (they capture the callbacks themselves, to see what happens
    before the commit).
    """
    if request.node.get_closest_marker("commit_callbacks_by_hand"):
        yield
        return
    from django.core.signals import request_finished, request_started
    from django.db import connections

    marks: dict[str, int] = {}

    def started(**_):
        for conn in connections.all(initialized_only=True):
            marks[conn.alias] = len(conn.run_on_commit)

    def finished(**_):
        for conn in connections.all(initialized_only=True):
            if not conn.in_atomic_block:
                continue
            start = min(marks.pop(conn.alias, 0), len(conn.run_on_commit))
            pending = conn.run_on_commit[start:]
            del conn.run_on_commit[start:]
            for _sids, callback, _robust in pending:
                callback()

    request_started.connect(started, weak=False, dispatch_uid="parsoc-test-commit-start")
    request_finished.connect(finished, weak=False, dispatch_uid="parsoc-test-commit-finish")
    yield
    request_started.disconnect(dispatch_uid="parsoc-test-commit-start")
    request_finished.disconnect(dispatch_uid="parsoc-test-commit-finish")
