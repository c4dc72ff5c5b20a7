"""A selection by lot: the pool, the quotas and the panel size, read from two CSV files.

``CATEGORIES.csv`` (header required, names case-insensitive, extra columns ignored):
``category, feature, min, max`` — the panel must hold at least ``min`` and at most ``max``
people whose ``category`` is ``feature`` (``gender, female, 9, 20``).

``POOL.csv`` (``respondents.csv``): one row per person, one column per category (extra columns,
such as names or addresses, are ignored). Each person's value in each category must be one of
that category's features. Values are compared without surrounding spaces and without case.

Both files may start with a byte-order mark. Blank lines are skipped. Every error is an
:class:`~parsoc.errors.InputError` naming the file, the row (the header is row 1) and what is
wrong.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from parsoc.errors import InputError
from parsoc.numbers import COUNT_MAX, parse_int, shown

MAX_POOL = 100_000
"""The most people a pool may hold."""


@dataclass(frozen=True)
class Quota:
    """At least ``min`` and at most ``max`` panel members whose ``category`` is ``feature``."""

    category: str
    feature: str
    min: int
    max: int
    row: int = 0
    """Row of the categories file it came from (0 when built in code)."""

    @property
    def name(self) -> str:
        return f"{self.category}/{self.feature}"

    def where(self) -> str:
        return f"quota {self.name} (min {self.min}, max {self.max}" + (f", row {self.row})" if self.row else ")")


@dataclass(frozen=True)
class Pool:
    """The people to draw from, in file order, each as their feature in each category."""

    categories: tuple[str, ...]
    people: tuple[tuple[str, ...], ...]
    rows: tuple[int, ...] = ()
    """File row of each person (for messages); empty when built in code."""

    def __len__(self) -> int:
        return len(self.people)


@dataclass(frozen=True)
class Instance:
    """A pool, its quotas and the number of people to select."""

    pool: Pool
    quotas: tuple[Quota, ...]
    panel_size: int
    source: str = "the pool"
    """How errors name the pool (its file name when read from a file)."""


def _key(text: str) -> str:
    return text.strip().casefold()


def _read(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a CSV file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not a UTF-8 text file") from None
    return _table(text, str(path))


def _table(text: str, path: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    text = text.removeprefix("\ufeff")
    try:
        lines = list(csv.reader(text.splitlines()))
    except csv.Error as exc:
        raise InputError(f"{path}: not a CSV file ({exc})") from None
    numbered = [(row, cells) for row, cells in enumerate(lines, start=1) if any(c.strip() for c in cells)]
    if not numbered:
        raise InputError(f"{path}: empty file — the first line must name the columns")
    _, header = numbered[0]
    return [h.strip() for h in header], numbered[1:]


def read_quotas(path: Path) -> tuple[Quota, ...]:
    """The quotas of a ``category,feature,min,max`` file."""
    return _quotas(*_read(path), path)


def parse_quotas(text: str, name: str = "quotas") -> tuple[Quota, ...]:
    """Quotas typed as CSV text (a header line is added when the first line is not one)."""
    first = text.strip().splitlines()[0].casefold() if text.strip() else ""
    if "min" not in first or "category" not in first:
        text = "category,feature,min,max\n" + text
        header, body = _table(text, name)
        body = [(row - 1, cells) for row, cells in body]  # rows as the person typed them
    else:
        header, body = _table(text, name)
    return _quotas(header, body, name)


def _quotas(header: list[str], body: list[tuple[int, list[str]]], path: Path | str) -> tuple[Quota, ...]:
    names = [h.casefold() for h in header]
    for column in ("category", "feature", "min", "max"):
        if names.count(column) != 1:
            what = "missing" if column not in names else "repeated"
            raise InputError(f"{path}: column {column!r} {what} (the header must name category, feature, min, max;"
                             f" it names {', '.join(header)})")
    at = {column: names.index(column) for column in ("category", "feature", "min", "max")}
    quotas: list[Quota] = []
    seen: dict[tuple[str, str], int] = {}
    for row, cells in body:
        cells = cells + [""] * (len(header) - len(cells))
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
            raise InputError(f"{path} row {row}: more values than columns")
        category, feature = cells[at["category"]].strip(), cells[at["feature"]].strip()
        if not category:
            raise InputError(f"{path} row {row}: the category is empty")
        if not feature:
            raise InputError(f"{path} row {row}: the feature of category {category!r} is empty")
        low = parse_int(cells[at["min"]], f"{path} row {row}: min", low=0, high=COUNT_MAX)
        high = parse_int(cells[at["max"]], f"{path} row {row}: max", low=0, high=COUNT_MAX)
        if low > high:
            raise InputError(f"{path} row {row}: quota {category}/{feature} has min {low} above max {high}")
        key = (_key(category), _key(feature))
        if key in seen:
            raise InputError(f"{path} row {row}: quota {category}/{feature} is already given on row {seen[key]}")
        seen[key] = row
        quotas.append(Quota(category, feature, low, high, row))
    if not quotas:
        raise InputError(f"{path}: no quotas (one row per category and feature: category,feature,min,max)")
    return tuple(quotas)


def categories_of(quotas: tuple[Quota, ...]) -> tuple[str, ...]:
    """The categories in the order they first appear."""
    seen: dict[str, str] = {}
    for q in quotas:
        seen.setdefault(_key(q.category), q.category)
    return tuple(seen.values())


def read_pool(path: Path, quotas: tuple[Quota, ...]) -> Pool:
    """The people of a pool file, each with their feature in every category the quotas name."""
    header, body = _read(path)
    names = [h.casefold() for h in header]
    categories = categories_of(quotas)
    columns = []
    for category in categories:
        matches = [i for i, n in enumerate(names) if n == _key(category)]
        if not matches:
            raise InputError(f"{path}: no column for category {category!r} (columns are {', '.join(header)})")
        if len(matches) > 1:
            raise InputError(f"{path}: column {category!r} appears {len(matches)} times")
        columns.append(matches[0])
    features = {
        _key(c): {_key(q.feature): q.feature for q in quotas if _key(q.category) == _key(c)} for c in categories
    }
    people: list[tuple[str, ...]] = []
    rows: list[int] = []
    for row, cells in body:
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
            raise InputError(f"{path} row {row}: more values than columns")
        cells = cells + [""] * (len(header) - len(cells))
        person = []
        for category, column in zip(categories, columns, strict=True):
            value = cells[column].strip()
            known = features[_key(category)]
            if _key(value) not in known:
                listed = ", ".join(known.values())
                if not value:
                    raise InputError(f"{path} row {row}: no {category} given (one of {listed})")
                raise InputError(f"{path} row {row}: {category} {shown(value)} has no quota "
                                 f"(the categories file lists {listed})")
            person.append(known[_key(value)])
        people.append(tuple(person))
        rows.append(row)
        if len(people) > MAX_POOL:
            raise InputError(f"{path}: more than {MAX_POOL} people in the pool")
    if not people:
        raise InputError(f"{path}: nobody in the pool (one row per person after the header)")
    return Pool(categories, tuple(people), tuple(rows))


def read_instance(categories: Path, pool: Path, panel_size: int) -> Instance:
    """Read both files; the panel size is checked against the pool here, the quotas when solving."""
    quotas = read_quotas(categories)
    people = read_pool(pool, quotas)
    return make_instance(people, quotas, panel_size, source=str(pool))


def make_instance(pool: Pool, quotas: tuple[Quota, ...], panel_size: int, source: str = "the pool") -> Instance:
    """An instance from data built in code (the web app's members and their features)."""
    if isinstance(panel_size, bool) or not isinstance(panel_size, int) or panel_size < 1:
        raise InputError(f"panel size {shown(panel_size)} must be a whole number of at least 1")
    if panel_size > len(pool):
        raise InputError(f"panel size {panel_size} is larger than the pool ({len(pool)} people in {source})")
    return Instance(pool, tuple(quotas), panel_size, source)
