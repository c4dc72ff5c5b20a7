"""The Method of Equal Shares (MES), with cost or cardinality satisfaction, and its completion.

The budget is split equally: each of the ``n`` voters starts with ``budget / n``. A project may
be funded only by its supporters (the voters who named it on their ballot), out of what they
have left. Each supporter of project ``p`` draws ``u(p)`` satisfaction from it: its cost
(*cost* satisfaction) or 1 (*cardinality* satisfaction). Project ``p`` is
``rho``-affordable when its supporters can cover its cost with each paying
``min(their money left, rho * u(p))``; each step funds the project with the smallest ``rho``
(the fairest price per unit of satisfaction), charges its supporters that much, and goes on
until no project can be paid for by its supporters. Ties: the project whose id sorts first as
text (pabutools' lexicographic tie-breaking). Projects costing nothing that someone supports
are funded at the start.

Completion by budget increase ("add one", ``increment=1``): rerun MES with every voter's
starting money raised by ``increment`` currency units at a time; stop at the first run whose
outcome uses the budget exhaustively (no further supported project fits) and return it, or at the
first run whose outcome costs more than the budget and return the run before it.

The implementation keeps each voter's money in a NumPy array and, for each project, the index
array of its supporters. ``rho`` of a project only grows as money is spent, so the previous
value is a lower bound: each step evaluates projects in increasing order of that bound and
stops as soon as the bound exceeds the best exact ``rho`` found (lazy evaluation, as in
pabutools). The exact ``rho`` takes one or two vectorised passes over the supporters' money
(a sort and a cumulative sum when many supporters have run short).
Arithmetic is in floating point; two values of ``rho`` within a relative 1e-12 of each other
are a tie, and a project is affordable when its supporters hold its cost up to a relative 1e-12.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from parsoc.choice.allocation import Allocation
from parsoc.choice.methods import Completion, Satisfaction
from parsoc.choice.pabulib import PBElection
from parsoc.errors import InputError

TOLERANCE = 1e-12


SATISFACTIONS = Satisfaction.values()
COMPLETIONS = Completion.values()


@dataclass
class _Run:
    order: list[int]
    rho: list[float]
    money: np.ndarray
    paid: dict[int, np.ndarray]
    tied: bool


class PaymentRecord(Mapping[str, dict[str, float]]):
    """Who paid how much for each funded project: ``record[project][voter] = amount``.

    Kept as NumPy arrays (supporter indices, amounts) and turned into a dict per project only
    when read, so a city-sized count does not pay for an explanation nobody asked for.
    """

    def __init__(self, voters: tuple[str, ...], arrays: dict[str, tuple[np.ndarray, np.ndarray]]):
        self._voters = voters
        self._arrays = arrays
        self._cache: dict[str, dict[str, float]] = {}

    def __getitem__(self, project: str) -> dict[str, float]:
        if project not in self._cache:
            who, amounts = self._arrays[project]
            paying = amounts > 0
            ids = np.asarray(self._voters, dtype=object)[who[paying]] if len(self._voters) else []
            self._cache[project] = dict(zip(list(ids), amounts[paying].tolist(), strict=True))
        return self._cache[project]

    def __iter__(self) -> Iterator[str]:
        return iter(self._arrays)

    def __len__(self) -> int:
        return len(self._arrays)


class EqualShares:
    """Equal Shares prepared for one election: supporters and utilities computed once."""

    def __init__(self, election: PBElection, satisfaction: str = "cost"):
        if satisfaction not in SATISFACTIONS:
            raise InputError(f"satisfaction must be one of {', '.join(SATISFACTIONS)}, got {satisfaction!r}")
        self.election = election
        self.satisfaction = satisfaction
        approvals = election.approvals
        self.n = election.num_voters
        self.costs = election.cost_array
        columns = approvals.T
        self.supporters = [np.flatnonzero(columns[p]) for p in range(election.num_projects)]
        self.count = np.array([len(s) for s in self.supporters], dtype=float)
        self.utility = self.costs.copy() if satisfaction == "cost" else np.ones(election.num_projects)
        self.names = election.projects
        supported = self.count > 0
        self.free = [p for p in range(election.num_projects) if supported[p] and election.costs[p] == 0]
        self.candidates = [p for p in range(election.num_projects) if supported[p] and election.costs[p] > 0]
        # Lexicographic rank of each project id, to break ties without string compares in loops.
        self.lexrank = np.empty(election.num_projects, dtype=np.int64)
        self.lexrank[sorted(range(election.num_projects), key=lambda p: self.names[p])] = np.arange(
            election.num_projects
        )

    def run(self, money_per_voter: float) -> _Run:
        money = np.full(self.n, money_per_voter, dtype=float)
        bound = {p: self.costs[p] / (self.utility[p] * self.count[p]) for p in self.candidates}
        active = set(self.candidates)
        order: list[int] = []
        rhos: list[float] = []
        paid: dict[int, np.ndarray] = {}
        tied = False
        while active:
            best = np.inf
            best_projects: list[int] = []
            for p in sorted(active, key=lambda q: (bound[q], self.lexrank[q])):
                wallets = money[self.supporters[p]]
                cost = self.costs[p]
                if wallets.sum() < cost * (1 - TOLERANCE):
                    active.discard(p)
                    continue
                if bound[p] > best * (1 + TOLERANCE):
                    break
                rho = _affordability(wallets, cost, self.utility[p])
                bound[p] = rho
                if rho < best * (1 - TOLERANCE):
                    best, best_projects = rho, [p]
                elif rho <= best * (1 + TOLERANCE):
                    best_projects.append(p)
            if not best_projects:
                break
            chosen = min(best_projects, key=lambda q: self.lexrank[q])
            tied = tied or len(best_projects) > 1
            who = self.supporters[chosen]
            payment = np.minimum(money[who], best * self.utility[chosen])
            money[who] -= payment
            paid[chosen] = payment
            order.append(chosen)
            rhos.append(best)
            active.discard(chosen)
        return _Run(order, rhos, money, paid, tied)

    def allocation(self, run: _Run, rule: str, extra: dict | None = None) -> Allocation:
        election = self.election
        selected = self.free + run.order
        voters = election.voters
        payments = PaymentRecord(
            voters, {election.projects[p]: (self.supporters[p], run.paid[p]) for p in run.order}
        )
        details = {
            "satisfaction": self.satisfaction,
            "rho": {election.projects[p]: rho for p, rho in zip(run.order, run.rho, strict=True)},
            "payment_per_supporter": {
                election.projects[p]: float(rho * self.utility[p]) for p, rho in zip(run.order, run.rho, strict=True)
            },
        }
        details.update(extra or {})
        return Allocation(
            rule,
            tuple(election.projects[p] for p in selected),
            sum((election.costs[p] for p in selected), Fraction(0)),
            run.tied,
            payments,
            details,
        )

    def is_exhaustive(self, selected: list[int]) -> bool:
        costs = self.election.costs
        spent = sum((costs[p] for p in selected), Fraction(0))
        chosen = set(selected)
        return not any(p not in chosen and spent + costs[p] <= self.election.budget for p in self.candidates)

    def cost_of(self, selected: list[int]) -> Fraction:
        costs = self.election.costs
        return sum((costs[p] for p in selected), Fraction(0))


def _affordability(wallets: np.ndarray, cost: float, utility: float) -> float:
    """Smallest rho with sum(min(wallet, rho * utility)) = cost (supporters can afford it).

    Usually every supporter can pay an equal split of the cost, or the few who cannot pay all
    they have and the rest split what is left: two vectorised passes settle it. Otherwise the
    supporters' money is sorted and the cap found with one cumulative sum.
    """
    k = len(wallets)
    cap = cost / k
    short = wallets * (1 + TOLERANCE) < cap
    if not short.any():
        return float(cap / utility)
    n_short = int(short.sum())
    if n_short < k:
        cap = (cost - float(wallets[short].sum())) / (k - n_short)
        if int((wallets * (1 + TOLERANCE) < cap).sum()) == n_short:
            return float(cap / utility)
    w = np.sort(wallets)
    before = np.concatenate(([0.0], np.cumsum(w[:-1])))
    caps = (cost - before) / (k - np.arange(k))  # the cap if the first i supporters pay all they have
    fits = caps <= w * (1 + TOLERANCE)
    i = int(np.argmax(fits)) if fits.any() else k - 1
    return float(caps[i] / utility)


def method_of_equal_shares(
    election: PBElection,
    satisfaction: str = "cost",
    completion: str = "none",
    increment: float = 1.0,
    progress=None,
) -> Allocation:
    """Equal Shares; ``completion="add1"`` raises every voter's money by ``increment`` per run.

    ``progress(spent_fraction)`` is called after each completion run (for a progress bar).
    """
    if completion not in COMPLETIONS:
        raise InputError(f"completion must be 'none' or 'add1', got {completion!r}")
    if election.num_voters == 0:
        return Allocation("equal-shares", (), Fraction(0))
    mes = EqualShares(election, satisfaction)
    start = election.budget / election.num_voters
    money = float(start)
    run = mes.run(money)
    if completion == "none":
        return mes.allocation(run, "equal-shares")
    budget = election.budget
    runs = 1
    previous = run
    step = Fraction(increment)
    level = start
    while True:
        selected = mes.free + run.order
        if mes.cost_of(selected) > budget:
            run = previous
            level -= step
            break
        if mes.is_exhaustive(selected):
            break
        previous = run
        level += step
        run = mes.run(float(level))
        runs += 1
        if progress is not None:
            progress(float(mes.cost_of(mes.free + run.order) / budget) if budget else 1.0)
    return mes.allocation(
        run, "equal-shares", {"completion": "add1", "runs": runs, "money_per_voter": float(level)}
    )
