"""PARSOC_REQUIRE_ALL turns every skip into a failure: inside a test and at collection time."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

SKIPPING = '''
import pytest
{module_level}

def test_something():
    {in_test}
'''


def _run(tmp_path, require_all: bool, *, module_level="", in_test="pass"):
    (tmp_path / "conftest.py").write_text(
        "from tests.conftest import pytest_make_collect_report, pytest_runtest_makereport  # noqa: F401\n"
    )
    (tmp_path / "test_other.py").write_text("def test_runs():\n    pass\n")
    (tmp_path / "test_skipping.py").write_text(SKIPPING.format(module_level=module_level, in_test=in_test))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
           "PARSOC_REQUIRE_ALL": "1" if require_all else ""}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:django", "--rootdir", str(tmp_path),
         "-c", os.devnull, str(tmp_path)],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
    )


@pytest.mark.parametrize(
    ("module_level", "in_test"),
    [
        ('pytest.importorskip("parsoc_no_such_library")', "pass"),
        ('pytest.skip("no data here", allow_module_level=True)', "pass"),
        ("", 'pytest.skip("no browser here")'),
    ],
    ids=["importorskip at module level", "module-level skip", "skip in a test"],
)
def test_a_skip_fails_under_require_all_and_only_skips_without(tmp_path, module_level, in_test):
    relaxed = _run(tmp_path, False, module_level=module_level, in_test=in_test)
    assert relaxed.returncode == 0, relaxed.stdout + relaxed.stderr
    assert "1 passed, 1 skipped" in relaxed.stdout
    strict = _run(tmp_path, True, module_level=module_level, in_test=in_test)
    assert strict.returncode != 0, strict.stdout + strict.stderr
    assert "skipped under PARSOC_REQUIRE_ALL=1" in strict.stdout
