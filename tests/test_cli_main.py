"""The ``parsoc`` command itself: version and help."""

import subprocess
import sys

import parsoc


def parsoc_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "parsoc.cli.main", *args], capture_output=True, text=True
    )


def test_version_prints_package_version():
    result = parsoc_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"parsoc {parsoc.__version__}"


def test_unknown_command_fails_without_traceback():
    result = parsoc_cli("no-such-command")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
