"""A missing optional dependency is answered with one line naming the extra, not a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ECONOMY = Path(__file__).resolve().parent / "data" / "pequod" / "dep1ex01.clj.gz"


def run_without(module: str, *args: str) -> subprocess.CompletedProcess:
    """Run the ``parsoc`` command in a Python where importing ``module`` fails, as in an
    install without that extra."""
    code = f"import sys; sys.modules[{module!r}] = None; from parsoc.cli.main import run; sys.argv = ['parsoc', *sys.argv[1:]]; run()"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("module, args, extra", [
    ("ray", ("plan", "run", str(ECONOMY), "--ray", "local", "--max-rounds", "1"), "parsoc[ray]"),
    ("matplotlib", ("plan", "run", str(ECONOMY), "--max-rounds", "1", "--plot", "PLOT"), "parsoc[plot]"),
])
def test_missing_extra_is_one_line_naming_it(module, args, extra, tmp_path):
    args = tuple(str(tmp_path / "p.png") if a == "PLOT" else a for a in args)
    result = run_without(module, *args)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert lines[0].startswith("parsoc: error:") and extra in lines[0] and module in lines[0]
