"""Balanced job complexes and effort ratings for worker councils (pure core, no Django).

* :mod:`parsoc.work.tasks` — tasks and members, the inputs;
* :mod:`parsoc.work.rating_rounds` — rating rounds: aggregates, spread, disagreement flags;
* :mod:`parsoc.work.composer` — the exact composer (MILP, HiGHS);
* :mod:`parsoc.work.heuristic` / :mod:`parsoc.work.greedy` — beyond the exact range, and the baseline;
* :mod:`parsoc.work.balance_report` — how balanced a composition is and what stops it being better;
* :mod:`parsoc.work.federation` — comparing workplaces, suggesting outside tasks;
* :mod:`parsoc.work.effort` — effort and sacrifice ratings, the inflation guard, entitlements.
"""
