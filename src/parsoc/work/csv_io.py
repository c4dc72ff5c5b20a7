"""Reading a council's tasks, members and last period's jobs from CSV files.

``TASKS.csv`` columns (header row required, names case-insensitive):
``task`` (or ``name``), ``hours``, ``empowerment``, ``desirability``, optional ``skills``
(separated by ``;``), optional ``splittable`` (yes/no, true/false, 1/0; default yes).

``MEMBERS.csv``: ``member`` (or ``name``), ``hours``, optional ``skills`` (``;``-separated).

``JOBS.csv`` (last period's jobs): ``member``, ``task``, ``hours``.

Every error names the file, the line and the column.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING

from parsoc.errors import InputError
from parsoc.numbers import COUNT_MAX, parse_float, shown
from parsoc.work.tasks import Member, Task

if TYPE_CHECKING:
    from parsoc.work.effort import EffortRating
    from parsoc.work.rating_rounds import Rating

TRUE = {"yes", "y", "true", "t", "1", ""}
FALSE = {"no", "n", "false", "f", "0"}


def _rows(path: Path, required: list[str]) -> list[tuple[int, dict[str, str]]]:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not a UTF-8 text file") from None
    reader = csv.DictReader(text.splitlines())
    if reader.fieldnames is None:
        raise InputError(f"{path}: empty file — the first line must name the columns")
    fields = [(f or "").strip().lower() for f in reader.fieldnames]
    if "name" in fields and required[0] not in fields:
        fields[fields.index("name")] = required[0]
    missing = [c for c in required if c not in fields]
    if missing:
        raise InputError(f"{path}: missing column {', '.join(missing)} (columns are {', '.join(fields)})")
    rows = []
    for line, raw in enumerate(reader, start=2):
        values = list(raw.values())
        if raw.get(None):
            raise InputError(f"{path} line {line}: more values than columns")
        row = {f: (v or "").strip() for f, v in zip(fields, values, strict=False)}
        if any(row.values()):
            rows.append((line, row))
    return rows


def _number(path, line, row, column) -> float:
    """A cell through the one number parser: hours 0 to ``COUNT_MAX``, ratings within ±``COUNT_MAX``
    (the rating round checks its own scale)."""
    text = row.get(column, "")
    try:
        value = parse_float(text, f"{path} line {line}: {column}", low=None, high=None)
    except InputError:
        raise InputError(f"{path} line {line}: {column} {shown(text)} is not a number") from None
    low = 0 if column == "hours" else -COUNT_MAX
    return parse_float(value, f"{path} line {line}: {column}", low=low, high=COUNT_MAX)


def _skills(text: str) -> frozenset[str]:
    return frozenset(s.strip() for s in text.split(";") if s.strip())


def read_tasks(path: Path) -> list[Task]:
    tasks = []
    for line, row in _rows(path, ["task", "hours", "empowerment", "desirability"]):
        flag = row.get("splittable", "").lower()
        if flag not in TRUE | FALSE:
            raise InputError(f"{path} line {line}: splittable {row['splittable']!r} is not yes or no")
        if not row["task"]:
            raise InputError(f"{path} line {line}: the task has no name")
        tasks.append(Task(
            row["task"],
            _number(path, line, row, "hours"),
            _number(path, line, row, "empowerment"),
            _number(path, line, row, "desirability"),
            _skills(row.get("skills", "")),
            flag in TRUE,
        ))
    return tasks


def read_members(path: Path) -> list[Member]:
    members = []
    for line, row in _rows(path, ["member", "hours"]):
        if not row["member"]:
            raise InputError(f"{path} line {line}: the member has no name")
        members.append(Member(row["member"], _number(path, line, row, "hours"), _skills(row.get("skills", ""))))
    return members


def read_jobs(path: Path) -> dict[str, dict[str, float]]:
    jobs: dict[str, dict[str, float]] = {}
    for line, row in _rows(path, ["member", "task", "hours"]):
        job = jobs.setdefault(row["member"], {})
        job[row["task"]] = job.get(row["task"], 0.0) + _number(path, line, row, "hours")
    return jobs


def read_ratings(path: Path) -> list[Rating]:
    """``RATINGS.csv``: ``rater``, ``task``, ``empowerment``, ``desirability``, optional
    ``submitted`` (ISO date and time)."""
    from datetime import datetime

    from parsoc.work.rating_rounds import Rating

    ratings = []
    for line, row in _rows(path, ["rater", "task", "empowerment", "desirability"]):
        submitted = None
        if row.get("submitted"):
            try:
                submitted = datetime.fromisoformat(row["submitted"])
            except ValueError:
                raise InputError(f"{path} line {line}: submitted {row['submitted']!r} is not an ISO date and time") from None
        ratings.append(Rating(row["rater"], row["task"], _number(path, line, row, "empowerment"),
                              _number(path, line, row, "desirability"), submitted))
    return ratings


def read_effort(path: Path) -> list[EffortRating]:
    """``EFFORT.csv`` (co-workers' effort ratings): ``rater``, ``ratee``, ``rating`` (an
    intensity or an onerousness category)."""
    from parsoc.work.effort import EffortRating

    return [EffortRating(row["rater"], row["ratee"], row["rating"]) for _, row in _rows(path, ["rater", "ratee", "rating"])]
