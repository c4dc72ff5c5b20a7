"""The copies in tests/data still equal their sources in ../shared/data (where that is present)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COPIES = ROOT / "tests" / "data"
SOURCES = ROOT.parent / "shared" / "data"


def _copied_files() -> list[Path]:
    return sorted(p for p in COPIES.rglob("*") if p.is_file() and p.relative_to(COPIES).parts[0] != "README.md")


def test_the_copies_are_there():
    names = {p.relative_to(COPIES).parts[0] for p in _copied_files()}
    assert {"preflib", "pabulib", "pequod"} <= names
    assert len(list((COPIES / "preflib").glob("*/*.to?"))) + len(list((COPIES / "preflib").glob("*/*.so?"))) >= 40
    assert len(list((COPIES / "pabulib").glob("*.pb"))) >= 15
    assert sorted(p.name for p in (COPIES / "pequod").glob("*.gz")) == sorted(
        f"dep1ex0{n}.{kind}.gz" for n in range(1, 6) for kind in ("clj", "csv"))


@pytest.mark.parametrize("copy", _copied_files(), ids=lambda p: str(p.relative_to(COPIES)))
def test_each_copy_equals_its_source(copy):
    source = SOURCES / copy.relative_to(COPIES)
    if not SOURCES.is_dir():
        pytest.skip(f"no ../shared/data beside this clone to compare with ({SOURCES})")
    assert source.is_file(), f"{copy} has no source at {source}"
    if copy.parent.name == "pequod" and copy.name.endswith(".csv.gz"):
        original = []
        with gzip.open(source, "rt", newline="") as handle:
            for line in handle:  # year one: up to and including the first `exponent-sum` line
                original.append(line)
                if line.startswith("exponent-sum"):
                    break
        with gzip.open(copy, "rt", newline="") as handle:
            ours = handle.readlines()
        assert ours == original
        assert ours[-1].startswith("exponent-sum")
    else:
        assert copy.read_bytes() == source.read_bytes()
