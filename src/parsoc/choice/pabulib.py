"""Reader and writer for Pabulib ``.pb`` files (participatory budgeting elections).

A ``.pb`` file is ``;``-separated text in three sections, each opened by its name and a header
row: ``META`` (``key;value``: ``budget``, ``vote_type``, ...), ``PROJECTS`` (``project_id;cost;...``)
and ``VOTES`` (``voter_id;vote;...``, ``vote`` a comma-separated list of project ids, with a
``points`` column for cumulative ballots; ordinal ballots list projects best first).
Ballot kinds: ``approval``, ``choose-1`` (read as approval), ``cumulative`` and ``ordinal``.

Amounts (budget, costs) are kept exactly as :class:`fractions.Fraction` and as floats for the
vectorised rules. A file with a missing section or column, an unknown ballot kind, a cost or
budget that is not a non-negative number, a duplicate project, a vote naming an unknown project
or points that do not match the vote is refused with an :class:`~parsoc.errors.InputError`
naming the line. A ballot naming a project twice (a few upstream files do) names it once; on
a cumulative ballot the points given to it are added up.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from pathlib import Path

import numpy as np

from parsoc.errors import InputError
from parsoc.numbers import COUNT_MAX, MONEY_MAX, parse_fraction, shown

VOTE_TYPES = ("approval", "choose-1", "cumulative", "ordinal")


@dataclass(frozen=True, eq=False)
class PBElection:
    """A participatory budgeting election: projects with costs, a budget, and the ballots.

    ``ballots[v]`` lists the project indices voter ``v`` named (best first for ordinal ballots);
    ``points[v]`` the matching points for cumulative ballots (1 each otherwise).
    """

    meta: dict[str, str]
    projects: tuple[str, ...]
    costs: tuple[Fraction, ...]
    budget: Fraction
    vote_type: str
    voters: tuple[str, ...]
    ballots: tuple[tuple[int, ...], ...]
    points: tuple[tuple[float, ...], ...]
    project_meta: dict[str, dict[str, str]] = field(default_factory=dict)
    source: str = ""

    @property
    def num_projects(self) -> int:
        return len(self.projects)

    @property
    def num_voters(self) -> int:
        return len(self.voters)

    @cached_property
    def cost_array(self) -> np.ndarray:
        return np.array([float(c) for c in self.costs], dtype=float)

    @cached_property
    def approvals(self) -> np.ndarray:
        """``approvals[v, p]``: voter ``v`` named project ``p`` on the ballot (any kind)."""
        matrix = np.zeros((self.num_voters, self.num_projects), dtype=bool)
        rows = np.repeat(np.arange(self.num_voters), [len(b) for b in self.ballots])
        cols = np.fromiter((p for b in self.ballots for p in b), dtype=np.int64, count=len(rows))
        matrix[rows, cols] = True
        return matrix

    @cached_property
    def point_matrix(self) -> np.ndarray:
        """``point_matrix[v, p]``: points voter ``v`` gave ``p`` (1 per named project unless cumulative)."""
        matrix = np.zeros((self.num_voters, self.num_projects), dtype=float)
        for v, (ballot, pts) in enumerate(zip(self.ballots, self.points, strict=False)):
            matrix[v, list(ballot)] = pts
        return matrix

    def name(self, project: str) -> str:
        return self.project_meta.get(project, {}).get("name", project)


def read_pabulib(path: str | Path, text: str | None = None) -> PBElection:
    """Read a ``.pb`` file (or its ``text``)."""
    path = Path(path)
    if text is None:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{path}: cannot read: {exc}") from exc
    return parse_pabulib(text, path.name)


def parse_pabulib(text: str, where: str = "pb file") -> PBElection:
    meta: dict[str, str] = {}
    projects: list[str] = []
    costs: list[Fraction] = []
    project_meta: dict[str, dict[str, str]] = {}
    index: dict[str, int] = {}
    voters: list[str] = []
    raw_votes: list[tuple[int, dict[str, str]]] = []
    section, header = "", []
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";")
    expect_header = False
    for row in reader:
        lineno = reader.line_num
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        first = row[0].strip().lower()
        if first in ("meta", "projects", "votes") and len(row) == 1:
            section, expect_header = first, True
            continue
        if expect_header:
            header = [h.strip() for h in row]
            expect_header = False
            needed = {"meta": ["key", "value"], "projects": ["project_id", "cost"], "votes": ["voter_id", "vote"]}[section]
            missing = [c for c in needed if c not in header]
            if missing:
                raise InputError(f"{where} line {lineno}: the {section.upper()} header lacks column(s) {', '.join(missing)}")
            continue
        if not section:
            raise InputError(f"{where} line {lineno}: data before the META section")
        if len(row) > len(header):
            raise InputError(f"{where} line {lineno}: {len(row)} fields but the {section.upper()} header has {len(header)}")
        record = {header[i]: row[i].strip() for i in range(len(row))}
        if section == "meta":
            meta[record["key"]] = record.get("value", "")
        elif section == "projects":
            pid = record["project_id"]
            if not pid:
                raise InputError(f"{where} line {lineno}: empty project_id")
            if pid in index:
                raise InputError(f"{where} line {lineno}: project {pid} is listed twice")
            cost = _amount(record.get("cost", ""), where, lineno, f"the cost of project {pid}")
            index[pid] = len(projects)
            projects.append(pid)
            costs.append(cost)
            project_meta[pid] = record
        else:
            voter = record["voter_id"]
            voters.append(voter)
            raw_votes.append((lineno, record))
    if "budget" not in meta:
        raise InputError(f"{where}: META has no budget")
    budget = _amount(meta["budget"], where, None, "the budget")
    vote_type = meta.get("vote_type", "approval").strip().lower()
    if vote_type not in VOTE_TYPES:
        raise InputError(f"{where}: vote_type {vote_type!r} is not one of {', '.join(VOTE_TYPES)}")
    if not projects:
        raise InputError(f"{where}: no projects")
    ballots, points = [], []
    for lineno, record in raw_votes:
        names = [p.strip() for p in record.get("vote", "").split(",") if p.strip()]
        ballot: list[int] = []
        for name in names:
            if name not in index:
                raise InputError(f"{where} line {lineno}: voter {record['voter_id']} votes for unknown project {name}")
            ballot.append(index[name])
        if vote_type == "cumulative":
            pts_text = [p.strip() for p in record.get("points", "").split(",") if p.strip()]
            if len(pts_text) != len(ballot):
                raise InputError(
                    f"{where} line {lineno}: voter {record['voter_id']} has {len(ballot)} projects but {len(pts_text)} points"
                )
            given = [float(_amount(p, where, lineno, "points")) for p in pts_text]
        else:
            given = [1.0] * len(ballot)
        # A project named twice (upstream data has a few) counts once; its points add up.
        merged: dict[int, float] = {}
        for project, pts in zip(ballot, given, strict=True):
            merged[project] = merged.get(project, 0.0) + pts if vote_type == "cumulative" else 1.0
        ballot, pts = list(merged), tuple(merged.values())
        ballots.append(tuple(ballot))
        points.append(pts)
    return PBElection(
        meta, tuple(projects), tuple(costs), budget, vote_type, tuple(voters), tuple(ballots), tuple(points),
        project_meta, where,
    )


def _amount(text: str, where: str, lineno: int | None, what: str) -> Fraction:
    """An amount (budget, cost: 0 to ``MONEY_MAX``; points: 0 to ``COUNT_MAX``) through the one number parser."""
    at = f"{where} line {lineno}" if lineno else where
    try:
        value = parse_fraction(text, f"{at}: {what}", low=None, high=None, max_denominator=10**12, comma=True)
    except InputError:
        raise InputError(f"{at}: {what} must be a number, got {shown(text)}") from None
    if value < 0:
        raise InputError(f"{at}: {what} must not be negative, got {shown(text)}")
    return parse_fraction(value, f"{at}: {what}", low=0, high=COUNT_MAX if what == "points" else MONEY_MAX,
                          max_denominator=10**12)


def write_pabulib(election: PBElection) -> str:
    """The election as ``.pb`` text (META, PROJECTS, VOTES), readable by :func:`read_pabulib`."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    meta = dict(election.meta)
    meta["budget"] = _plain(election.budget)
    meta["vote_type"] = election.vote_type
    meta["num_projects"] = str(election.num_projects)
    meta["num_votes"] = str(election.num_voters)
    writer.writerow(["META"])
    writer.writerow(["key", "value"])
    for key, value in meta.items():
        writer.writerow([key, value])
    writer.writerow(["PROJECTS"])
    extra = sorted({k for m in election.project_meta.values() for k in m} - {"project_id", "cost"})
    writer.writerow(["project_id", "cost", *extra])
    for pid, cost in zip(election.projects, election.costs, strict=True):
        info = election.project_meta.get(pid, {})
        writer.writerow([pid, _plain(cost), *(info.get(k, "") for k in extra)])
    writer.writerow(["VOTES"])
    cumulative = election.vote_type == "cumulative"
    writer.writerow(["voter_id", "vote", *(["points"] if cumulative else [])])
    for voter, ballot, pts in zip(election.voters, election.ballots, election.points, strict=False):
        row = [voter, ",".join(election.projects[p] for p in ballot)]
        if cumulative:
            row.append(",".join(_plain(Fraction(x)) for x in pts))
        writer.writerow(row)
    return out.getvalue()


def _plain(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    return repr(float(value))
