"""Read the ballots of a Pabulib ``.pb`` file (only what the poll tallies need)."""

from __future__ import annotations

import csv
from pathlib import Path


def read_pb(path: Path) -> tuple[dict[str, str], dict[str, dict[str, str]], dict[str, dict[str, int]]]:
    """META, PROJECTS (id → row) and VOTES (voter → {project: points}; 1 point per approval)."""
    meta: dict[str, str] = {}
    projects: dict[str, dict[str, str]] = {}
    votes: dict[str, dict[str, int]] = {}
    section, header = "", []
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.reader(f, delimiter=";"):
            if not row:
                continue
            if row[0].strip().upper() in ("META", "PROJECTS", "VOTES") and len(row) == 1:
                section, header = row[0].strip().upper(), []
                continue
            if not header:
                header = [h.strip() for h in row]
                continue
            rec = dict(zip(header, (c.strip() for c in row)))
            if section == "META":
                meta[rec["key"]] = rec["value"]
            elif section == "PROJECTS":
                projects[rec["project_id"]] = rec
            elif section == "VOTES":
                chosen = [p for p in rec["vote"].split(",") if p]
                points = [int(p) for p in rec["points"].split(",")] if rec.get("points") else [1] * len(chosen)
                votes[rec["voter_id"]] = dict(zip(chosen, points))
    return meta, projects, votes
