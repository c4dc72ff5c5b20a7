"""Speed of parsoc.choice against pref_voting and pabutools, with identical results checked.

Times every rule on the largest files in ../shared/data and on a synthetic city vote
(200,000 approval ballots over 100 projects; 1,000,000 ranked ballots over 10 candidates),
ours against the reference library in the same run, and prints the ratio. Each side starts
from ballots already in memory (ours: a RankedProfile / PBElection; theirs: its own profile
objects built from the same ballots) and the timing covers everything the rule then does.
Ours is the best of 3 runs; the reference runs once when it takes more than a second.

    .venv/bin/python bench/choice_speed.py            # everything (several minutes)
    .venv/bin/python bench/choice_speed.py --quick    # skip the reference on the synthetic PB vote
    .venv/bin/python bench/choice_speed.py --stv-only # STV alone, 1-3 seats, cold and warm (~1 minute)
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
ROWS: list[tuple[str, str, float, float, bool]] = []


def timed(fn, repeat=3):
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
        if best > 1.0:
            break
    return best, result


def record(case, rule, ours, theirs, same):
    ROWS.append((case, rule, ours, theirs, same))
    print(f"{case:38s} {rule:28s} ours {ours*1000:10.2f} ms  ref {theirs*1000:11.1f} ms  "
          f"x{theirs/ours:9.1f}  {'identical' if same else 'DIFFERENT'}", flush=True)


# ---------------------------------------------------------------- ranked ---------------------

def ranked_case(name, ours_profile, ref_profile, methods):
    from pref_voting.c1_methods import copeland
    from pref_voting.iterative_methods import instant_runoff
    from pref_voting.margin_based_methods import beat_path, minimax, ranked_pairs
    from pref_voting.proportional_methods import stv_wig

    from parsoc.choice import tally

    def with_margins(method):
        # pref_voting computes the pairwise supports once per profile and memoises them; ours
        # computes them on every count, so the reference is timed with that work included.
        return lambda p: (p.use_extended_strict_preference(), method(p))[1]

    reference = {
        "irv": instant_runoff, "copeland": with_margins(copeland), "minimax": with_margins(minimax),
        "schulze": with_margins(beat_path), "ranked-pairs": with_margins(ranked_pairs),
        "plurality": lambda p: _best(
            p.plurality_scores_ignoring_overvotes()
            if hasattr(p, "plurality_scores_ignoring_overvotes")
            else p.plurality_scores()
        ),
        "borda": lambda p: _best(p.borda_scores()),
        "stv": lambda p: stv_wig(p, num_seats=3, quota_rule="droop"),
    }
    for method in methods:
        seats = 3 if method == "stv" else 1
        ours_t, ours = timed(lambda method=method, seats=seats: tally(ours_profile, method, seats))
        ref_t, ref = timed(lambda method=method: reference[method](ref_profile), repeat=1)
        record(name, method, ours_t, ref_t, sorted(ours.winners) == sorted(str(c) for c in ref))


def _best(scores):
    top = max(scores.values())
    return [c for c, s in scores.items() if s == top]


def ranked_files(methods):
    from pref_voting.io.readers import preflib_to_profile

    from parsoc.choice import read_preflib

    for rel in ("00058-nswla/00058-00000001.soi", "00008-glasgow/00008-00000006.soi", "00028-apa/00028-00000006.toc"):
        path = DATA / "preflib" / rel
        ours = read_preflib(path)
        ref = preflib_to_profile(str(path))
        ref.use_extended_strict_preference()
        ranked_case(path.name, ours, ref, methods)


def synthetic_ranked(methods, voters=1_000_000, candidates=10, seed=1):
    """A city vote: a million ballots ranking 1 to 5 of 10 candidates (Plackett–Luce)."""
    name, ours, ref = _synthetic_profiles(voters, candidates, seed)
    ranked_case(name, ours, ref, methods)


def _synthetic_profiles(voters=1_000_000, candidates=10, seed=1):
    from pref_voting.profiles_with_ties import ProfileWithTies

    from parsoc.choice import RankedProfile

    rng = np.random.default_rng(seed)
    weights = rng.gamma(2.0, 1.0, candidates)
    keys = -np.log(rng.random((voters, candidates))) / weights  # Gumbel trick: argsort = PL ranking
    order = np.argsort(keys, axis=1)
    length = rng.integers(1, 6, voters)
    ranks = np.full((voters, candidates), candidates, dtype=np.int64)
    rows = np.arange(voters)[:, None]
    positions = np.broadcast_to(np.arange(candidates), (voters, candidates))
    ranks[rows, order] = np.where(positions < length[:, None], positions, candidates)

    build_t, ours = timed(lambda: RankedProfile.from_rank_matrix(tuple(str(c + 1) for c in range(candidates)), ranks), 1)
    print(f"synthetic ranked: {voters} ballots, {len(ours.counts)} distinct, built in {build_t:.2f} s", flush=True)
    rankings = [{int(a) + 1: int(r) + 1 for a, r in enumerate(row) if r < candidates} for row in ours.ranks]
    ref = ProfileWithTies(rankings, rcounts=[int(c) for c in ours.counts], candidates=list(range(1, candidates + 1)))
    ref.use_extended_strict_preference()
    return f"synthetic {voters} ranked x {candidates}", ours, ref


# ---------------------------------------------------------------- STV alone ------------------

def stv_only(repeat=200, ref_repeat=7):
    """STV for 1, 2 and 3 seats on four PrefLib files and the synthetic million.

    Ours, *warm*: the best of ``repeat`` counts of the same profile. Ours, *cold*: the best of
    first counts, each on a fresh copy of the profile (nothing is kept between counts, so the
    two should agree; the cold figure is the one that counts). Reference: the best of
    ``ref_repeat`` runs of ``stv_wig(..., quota_rule="droop")``. Winners are checked equal.
    """
    from pref_voting.io.readers import preflib_to_profile
    from pref_voting.proportional_methods import stv_wig

    from parsoc.choice import RankedProfile, read_preflib, tally

    def fresh(p):
        return RankedProfile(p.alternatives, p.ranks, p.counts, p.names, p.source)

    cases = []
    # the three largest files of the full run, and the largest with ties inside ballots (.toi)
    for rel in ("00058-nswla/00058-00000001.soi", "00008-glasgow/00008-00000006.soi", "00028-apa/00028-00000006.toc",
                "00005-burlington/00005-00000001.toi"):
        path = DATA / "preflib" / rel
        ref = preflib_to_profile(str(path))
        ref.use_extended_strict_preference()
        cases.append((path.name, read_preflib(path), ref, repeat, ref_repeat))
    cases.append(_synthetic_profiles() + (5, 1))
    for name, ours, ref, n, n_ref in cases:
        for seats in (1, 2, 3):
            warm, result = timed_best(lambda ours=ours, seats=seats: tally(ours, "stv", seats), n)
            copies = [fresh(ours) for _ in range(min(n, 20))]
            cold = min(timed_best(lambda c=c, seats=seats: tally(c, "stv", seats), 1)[0] for c in copies)
            ref_t, expected = timed_best(lambda ref=ref, seats=seats: stv_wig(ref, num_seats=seats, quota_rule="droop"), n_ref)
            same = sorted(result.winners) == sorted(str(c) for c in expected)
            ROWS.append((name, f"stv {seats}", warm, ref_t, same))
            print(f"{name:38s} stv {seats} seat(s)  ours warm {warm*1000:8.3f} ms (x{ref_t/warm:5.1f})  "
                  f"cold {cold*1000:8.3f} ms (x{ref_t/cold:5.1f})  ref {ref_t*1000:9.3f} ms  "
                  f"{'identical' if same else 'DIFFERENT'}", flush=True)


def timed_best(fn, repeat):
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


# ---------------------------------------------------------------- budgeting ------------------

def budgeting_case(name, election, instance, profile, rules):
    from pabutools.election import Cardinality_Sat, Cost_Sat
    from pabutools.rules import method_of_equal_shares, sequential_phragmen

    from parsoc.choice import run_rule

    reference = {
        "equal-shares cost": lambda: method_of_equal_shares(instance, profile, sat_class=Cost_Sat),
        "equal-shares cardinality": lambda: method_of_equal_shares(instance, profile, sat_class=Cardinality_Sat),
        "phragmen": lambda: sequential_phragmen(instance, profile),
    }
    ours_call = {
        "equal-shares cost": lambda: run_rule(election, "equal-shares", "cost"),
        "equal-shares cardinality": lambda: run_rule(election, "equal-shares", "cardinality"),
        "phragmen": lambda: run_rule(election, "phragmen"),
    }
    for rule in rules:
        ours_t, ours = timed(ours_call[rule])
        ref_t, ref = timed(reference[rule], repeat=1)
        names = [p.name for p in ref]
        same = list(ours.selected) == names if rule != "phragmen" else sorted(ours.selected) == names
        record(name, rule, ours_t, ref_t, same)


def budgeting_files(rules):
    from pabutools.election import parse_pabulib as pb_parse

    from parsoc.choice import read_pabulib

    for name in ("Hungary_Budapest_2024.pb", "Poland_Czestochowa_2020.pb", "Poland_Krakow_2023_Nowa_Huta.pb"):
        path = DATA / "pabulib" / name
        election = read_pabulib(path)
        instance, profile = pb_parse(str(path))
        if election.vote_type != "approval":
            from pabutools.election import ApprovalBallot, ApprovalProfile

            approval = ApprovalProfile([ApprovalBallot(set(b)) for b in profile])
            budgeting_case(name, election, instance, approval, [r for r in rules if r == "phragmen"])
            budgeting_case(name, election, instance, profile, [r for r in rules if r != "phragmen"])
        else:
            budgeting_case(name, election, instance, profile, rules)


def synthetic_budget(rules, voters=200_000, projects=100, seed=2):
    """A city budget: 200,000 approval ballots over 100 projects, popularity skewed."""
    from pabutools.election.pabulib import parse_pabulib_from_string

    from parsoc.choice import parse_pabulib

    rng = np.random.default_rng(seed)
    popularity = rng.beta(1.2, 6.0, projects)
    costs = rng.integers(10, 500, projects) * 1000
    budget = int(costs.sum() * 0.3)
    lines = ["META", "key;value", f"budget;{budget}", "vote_type;approval", "PROJECTS", "project_id;cost"]
    lines += [f"{p + 1};{c}" for p, c in enumerate(costs)]
    lines += ["VOTES", "voter_id;vote"]
    approve = rng.random((voters, projects)) < popularity
    empty = ~approve.any(axis=1)
    approve[empty, rng.integers(0, projects, empty.sum())] = True
    for v in range(voters):
        lines.append(f"{v};" + ",".join(str(p + 1) for p in np.flatnonzero(approve[v])))
    text = "\n".join(lines) + "\n"
    election = parse_pabulib(text, "synthetic.pb")
    instance, profile = parse_pabulib_from_string(text)
    budgeting_case(f"synthetic {voters} approval x {projects}", election, instance, profile, rules)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="skip pabutools on the synthetic budget")
    parser.add_argument("--stv-only", action="store_true", help="only STV, 1-3 seats, cold and warm")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"no shared data at {DATA}", file=sys.stderr)
        return 1
    if args.stv_only:
        stv_only()
        return _summary()
    ranked_methods = ["plurality", "borda", "irv", "schulze", "copeland", "minimax", "ranked-pairs", "stv"]
    ranked_files(ranked_methods)
    synthetic_ranked(ranked_methods)
    pb_rules = ["equal-shares cost", "equal-shares cardinality", "phragmen"]
    budgeting_files(pb_rules)
    if not args.quick:
        synthetic_budget(pb_rules)
    return _summary()


def _summary() -> int:
    worst = min(t / o for _, _, o, t, _ in ROWS)
    different = [r for r in ROWS if not r[4]]
    print(f"\nslowest ratio x{worst:.1f}; {len(different)} case(s) with different results")
    return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main())
