"""Fixtures for the social choice tests: every real election file in tests/data."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
PREFLIB_FILES = sorted(p for kind in ("soc", "soi", "toc", "toi") for p in (DATA / "preflib").glob(f"*/*.{kind}"))
PABULIB_FILES = sorted((DATA / "pabulib").glob("*.pb"))


def file_id(path: Path) -> str:
    return path.name


@pytest.fixture(scope="session")
def preflib_dir(shared_data) -> Path:
    return shared_data / "preflib"


@pytest.fixture(scope="session")
def pabulib_dir(shared_data) -> Path:
    return shared_data / "pabulib"


def run_cli(*args: str, env: dict[str, str] | None = None):
    import os
    import subprocess

    return subprocess.run(
        [sys.executable, "-m", "parsoc.cli.main", *args], capture_output=True, text=True, cwd=ROOT, timeout=300,
        env={**os.environ, **(env or {})},
    )
