"""Suite-wide fixtures and the CI switch.

``PARSOC_REQUIRE_ALL=1`` (set by ``.ci/run``) turns every skip into a failure: in CI a missing
browser, database or data folder must not pass silently. Locally the same tests skip with a
message saying what is missing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest_plugins = ["tests.fixtures_web", "tests.fixtures_browser"]

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"
REQUIRE_ALL = os.environ.get("PARSOC_REQUIRE_ALL", "") not in ("", "0", "false")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if REQUIRE_ALL and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped under PARSOC_REQUIRE_ALL=1 (CI must run everything): {reason}"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real data in ``../shared/data`` (PrefLib, Pabulib, the planning experiments)."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data not found at {SHARED_DATA}")
    return SHARED_DATA
