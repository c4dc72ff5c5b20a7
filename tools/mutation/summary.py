"""The kill table of the last mutation run (tools/mutation/run): per file, mutants, killed, survived.

Reads mutmut's results next to the mutated copies (mutants/src/**/*.py.meta) and cosmic-ray's
session (mutants/rules.sqlite). Survivors the docs explain as equivalent (docs/testing.md) are
listed in EQUIVALENT and counted apart; any other survivor is printed by name.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORES = ["decisions/outcome.py", "meetings/stack.py", "work/composer.py", "choice/equal_shares.py"]

# Survivors shown equivalent in docs/testing.md ("Mutation testing"): mutmut names, or
# cosmic-ray "path:operator:occurrence".
EQUIVALENT: set[str] = set()

KILLED = {1, 3, 36, 37, -24, 24, 152, 255, -11, -9}  # mutmut: tests failed, timed out or crashed


def cores() -> list[tuple[str, int, int, list[str]]]:
    rows = []
    for name in CORES:
        meta = ROOT / "mutants" / "src" / "parsoc" / f"{name}.meta"
        if not meta.exists():
            continue
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        killed = sum(code in KILLED for code in codes.values())
        left = sorted(key for key, code in codes.items() if code not in KILLED)
        rows.append((f"src/parsoc/{name}", len(codes), killed, left))
    return rows


def rules() -> list[tuple[str, int, int, list[str]]]:
    session = ROOT / "mutants" / "rules.sqlite"
    if not session.exists():
        return []
    db = sqlite3.connect(session)
    found = db.execute(
        "SELECT s.module_path, s.operator_name, s.occurrence, r.worker_outcome, r.test_outcome "
        "FROM mutation_specs s JOIN work_results r ON r.job_id = s.job_id"
    ).fetchall()
    per_file: dict[str, Counter[str]] = {}
    left: dict[str, list[str]] = {}
    for path, operator, occurrence, worker, test in found:
        path = str(Path(path).relative_to(ROOT)) if Path(path).is_absolute() else path
        if worker == "SKIPPED":
            continue  # operators filtered out (tools/mutation/rules.toml says why)
        tally = per_file.setdefault(path, Counter())
        tally["all"] += 1
        if test == "KILLED" or worker in ("ABNORMAL", "EXCEPTION"):
            tally["killed"] += 1
        else:
            left.setdefault(path, []).append(f"{path}:{operator}:{occurrence}")
    return [(p, t["all"], t["killed"], sorted(left.get(p, []))) for p, t in sorted(per_file.items())]


def main() -> int:
    rows = cores() + rules()
    print("| file | mutants | killed | survived, equivalent | survived, other | share killed |")
    print("|---|---:|---:|---:|---:|---:|")
    total = Counter()
    others = []
    for path, n, killed, left in rows:
        equivalent = [name for name in left if name in EQUIVALENT]
        other = [name for name in left if name not in EQUIVALENT]
        others += other
        total.update(n=n, killed=killed, equivalent=len(equivalent), other=len(other))
        print(f"| `{path}` | {n} | {killed} | {len(equivalent)} | {len(other)} | {killed / n:.1%} |")
    if total["n"]:
        print(f"| all | {total['n']} | {total['killed']} | {total['equivalent']} | {total['other']} | "
              f"{total['killed'] / total['n']:.1%} |")
    for name in others:
        print("survived:", name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
