"""Fixtures of the planning tests: the five real experiments and small generated economies."""

from __future__ import annotations

import csv
import gzip

import numpy as np
import pytest

EXPERIMENTS = [f"dep1ex0{n}" for n in range(1, 6)]


@pytest.fixture(scope="session")
def pequod(shared_data):
    folder = shared_data / "pequod"
    if not folder.is_dir():
        pytest.skip(f"planning experiments not found at {folder}")
    return folder


def original_year_one(path) -> tuple[list[str], list[list[str]]]:
    """Header and year-one rows of an original program's CSV."""
    with gzip.open(path, "rt", newline="") as handle:
        rows = list(csv.reader(handle))
    header, year_one = rows[0], []
    for row in rows[1:]:
        if row[0] == "exponent-sum":
            break
        year_one.append(row)
    return header, year_one


def _columns(header, rows, prefixes) -> np.ndarray:
    index = [i for i, name in enumerate(header) if name.startswith(prefixes)]
    return np.array([[float(row[i]) for i in index] for row in rows])


@pytest.fixture(scope="session")
def columns():
    """columns(header, rows, prefixes): the numeric columns whose names start with one of
    ``prefixes``, in header order, as a rounds × columns array."""
    return _columns


@pytest.fixture(scope="session")
def experiments(pequod):
    """name → (economy, header, year-one rows of the original output)."""
    from parsoc.planning.edn import read_edn

    out = {}
    for name in EXPERIMENTS:
        header, rows = original_year_one(pequod / f"{name}.csv.gz")
        out[name] = (read_edn(pequod / f"{name}.clj.gz"), header, rows)
    return out


@pytest.fixture(scope="session")
def small_economy():
    from parsoc.planning.generator import generate

    return generate(ccs=600, wcs=600, per_category=10, seed=11)
