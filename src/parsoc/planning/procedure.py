"""The annual planning procedure: rounds of proposals and price answers, for one or two years.

Each round: every council answers the current indicative prices with a proposal; the board
totals supply and demand per commodity, measures each imbalance, and answers with new prices
(the price update is made in every round, including the last, and it is those prices that
the round's record, the original CSV and ``--json``'s ``prices`` report). The year ends at
the first round whose largest imbalance is below the threshold, or at the round limit.

Year two (the published experiment's second year) starts from year one's final prices and
the rule's state, after a seeded random change to every exponent (:func:`change_exponents`).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable

import numpy as np

from parsoc.planning.board import colour, imbalance
from parsoc.planning.councils import CouncilBlock, Proposals
from parsoc.planning.economy import Economy

STARTING_PRICE = 700.0
REPORTED_THRESHOLDS = ("20", "10", "5", "3")

Answer = Callable[[np.ndarray], Proposals]


@dataclasses.dataclass(frozen=True)
class RoundRecord:
    """What one round saw and decided, per commodity."""

    number: int
    prices_before: np.ndarray
    supply: np.ndarray
    demand: np.ndarray
    surplus: np.ndarray
    imbalance: np.ndarray  # fraction
    step: np.ndarray
    multiplier: np.ndarray
    prices_after: np.ndarray
    seconds: float

    @property
    def max_imbalance_pct(self) -> float:
        return float(100.0 * self.imbalance.max())

    @property
    def colour(self) -> str:
        return colour(self.max_imbalance_pct)


@dataclasses.dataclass(frozen=True)
class YearResult:
    """One year's run: its rounds, whether it converged, and where the board left the rule."""

    rule: str
    threshold_pct: float
    rounds: list[RoundRecord]
    converged: bool
    final_state: np.ndarray

    @property
    def prices(self) -> np.ndarray:
        """The prices the board announces after the last round run."""
        return self.rounds[-1].prices_after

    @property
    def max_imbalance_pct(self) -> float:
        return self.rounds[-1].max_imbalance_pct

    def round_reached(self, extra: tuple[str, ...] = ()) -> dict[str, int | None]:
        """Threshold (percent, as a string) → first round whose every imbalance is below it."""
        out: dict[str, int | None] = {}
        for key in dict.fromkeys(REPORTED_THRESHOLDS + extra):
            bound = float(key)
            out[key] = next((r.number for r in self.rounds if r.max_imbalance_pct < bound), None)
        return out

    @property
    def seconds_per_round(self) -> float:
        return float(np.mean([r.seconds for r in self.rounds])) if self.rounds else 0.0


def run_year(
    answer: Answer,
    n_commodities: int,
    rule,
    threshold_pct: float = 3.0,
    max_rounds: int = 250,
    prices: np.ndarray | None = None,
    state: np.ndarray | None = None,
    on_round: Callable[[RoundRecord], None] | None = None,
) -> YearResult:
    """Run rounds until every imbalance is below ``threshold_pct`` or ``max_rounds`` are run.

    ``answer(prices)`` is the councils' side (totals of supply and demand); ``rule`` the
    board's. ``prices`` defaults to 700 for every commodity, ``state`` to the rule's start.
    """
    prices = np.full(n_commodities, STARTING_PRICE) if prices is None else np.array(prices, dtype=np.float64)
    state = rule.initial_state(n_commodities) if state is None else np.array(state, dtype=np.float64)
    rounds: list[RoundRecord] = []
    converged = False
    for number in range(1, max_rounds + 1):
        started = time.perf_counter()
        proposals = answer(prices)
        surplus, v = imbalance(proposals.supply, proposals.demand)
        board = rule.answer(prices, proposals.supply, proposals.demand, state)
        record = RoundRecord(
            number=number,
            prices_before=prices,
            supply=proposals.supply,
            demand=proposals.demand,
            surplus=surplus,
            imbalance=v,
            step=board.step,
            multiplier=board.multiplier,
            prices_after=board.prices,
            seconds=time.perf_counter() - started,
        )
        rounds.append(record)
        prices, state = board.prices, board.state
        if on_round is not None:
            on_round(record)
        if record.max_imbalance_pct < threshold_pct:
            converged = True
            break
    return YearResult(getattr(rule, "name", str(rule)), threshold_pct, rounds, converged, state)


INPUT_CHANGES = np.array([0.0, 0.001, 0.002, 0.003, 0.004])
"""What year two may add to each worker council's input, nature or labour exponent."""
UTILITY_CHANGES = np.array([-0.002, -0.001, 0.0, 0.001, 0.002])
"""What year two may add to each consumer council's utility or public-good exponent."""


def change_exponents(economy: Economy, seed: int) -> Economy:
    """The published experiment's change between the years, drawn with ``seed``.

    Every worker-council input exponent gains one of 0, 0.001, ..., 0.004 and every
    consumer-council exponent one of -0.002, ..., 0.002, each drawn uniformly and
    independently (the original program's year-two change; its own draws were not recorded).
    A change that makes an exponent negative or a council's problem unbounded is refused.
    """
    rng = np.random.default_rng(seed)
    wc = economy.wc_input_exponent + rng.choice(INPUT_CHANGES, size=economy.wc_input_exponent.shape)
    priv = economy.cc_private + rng.choice(UTILITY_CHANGES, size=economy.cc_private.shape)
    pub = economy.cc_public + rng.choice(UTILITY_CHANGES, size=economy.cc_public.shape)
    return economy.with_exponents(priv, pub, wc)


@dataclasses.dataclass(frozen=True)
class PlanRun:
    """A whole run: one or two years, and the economies they ran on."""

    years: list[YearResult]
    economies: list[Economy]


def run_plan(
    economy: Economy,
    rule,
    threshold_pct: float = 3.0,
    max_rounds: int = 250,
    years: int = 1,
    seed: int = 0,
    on_round: Callable[[int, RoundRecord], None] | None = None,
    answer_factory: Callable[[Economy], Answer] | None = None,
) -> PlanRun:
    """Run year one (and year two, if ``years == 2``) on one machine or through
    ``answer_factory`` (e.g. the Ray-distributed councils)."""
    factory = answer_factory or (lambda e: CouncilBlock.of(e).answer)
    results, economies = [], []
    prices = state = None
    current = economy
    for year in range(1, years + 1):
        if year == 2:
            current = change_exponents(economy, seed)
            state = getattr(rule, "next_year", lambda s: s)(state)
        callback = None if on_round is None else (lambda rec, y=year: on_round(y, rec))
        result = run_year(
            factory(current), current.n_commodities, rule, threshold_pct, max_rounds, prices, state, callback
        )
        results.append(result)
        economies.append(current)
        prices, state = result.prices, result.final_state
    return PlanRun(results, economies)
