"""The facilitation board's side: imbalances, colours, and the price rules it may use.

The board sees, per commodity, only total supply S and total demand D (never a council's own
proposal), and answers with new indicative prices. For every commodity:

    surplus   s = S - D
    imbalance v = 2 |s| / (S + D)      (a fraction; reported in percent)

A rule is an object with ``initial_state(n)`` and ``answer(prices, supply, demand, state)``
returning a :class:`BoardAnswer`, and optionally ``next_year(state)``: what of its state it
carries into year two (all of it, if absent). Rules are chosen by name from :data:`RULES`.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from parsoc.errors import InputError

COLOURS = ((3.0, "blue"), (5.0, "green"), (10.0, "yellow"), (20.0, "orange"))
"""A round's colour from its largest imbalance in percent: below 3 blue, 5 green, 10 yellow,
20 orange, else red (the original program's colours)."""


def colour(max_imbalance_pct: float) -> str:
    for bound, name in COLOURS:
        if max_imbalance_pct < bound:
            return name
    return "red"


def imbalance(supply: np.ndarray, demand: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(surplus s = S - D, relative imbalance v = 2|s|/(S+D)) per commodity."""
    surplus = supply - demand
    return surplus, 2.0 * np.abs(surplus) / (supply + demand)


@dataclasses.dataclass(frozen=True)
class BoardAnswer:
    """New prices, the rule's state for next round, and what the CSV records of the step:
    ``step`` (its ``new-deltas``) and ``multiplier`` (its ``pdlist``: for ``hahnel2021`` the
    multiplier the next round will use)."""

    prices: np.ndarray
    state: np.ndarray
    step: np.ndarray
    multiplier: np.ndarray


@dataclasses.dataclass(frozen=True)
class Hahnel2021:
    """The published program's rule (``hahnel2021``), exactly as it ran.

    Per commodity, in round t, with v_t this round's imbalance (a fraction):

        x_t    = 1.05 - 0.5 ** v_t
        step_t = max(0.001, min(x_t, |x_t * r_{t-1}|))
        r_t    = min(v_t, 0.25),   r_0 = 0.25 (before the first round)

    and the price falls by ``step_t`` of itself where supply exceeds demand, rises by it where
    demand exceeds supply, and stays put where they are equal. The multiplier r is last
    round's imbalance, capped at 0.25; the floor 0.001 keeps a price moving however small the
    imbalance.
    """

    name: str = "hahnel2021"

    def initial_state(self, n: int) -> np.ndarray:
        return np.full(n, 0.25)

    def answer(self, prices, supply, demand, state) -> BoardAnswer:
        surplus, v = imbalance(supply, demand)
        x = 1.05 - 0.5**v
        step = np.maximum(0.001, np.minimum(x, np.abs(x * state)))
        factor = np.where(surplus > 0, 1.0 - step, np.where(surplus < 0, 1.0 + step, 1.0))
        multiplier = np.minimum(v, 0.25)
        return BoardAnswer(prices * factor, multiplier, step, multiplier)


@dataclasses.dataclass(frozen=True)
class Broyden:
    """Our rule ``broyden``: a quasi-Newton step on the log excess ratio, learnt from rounds.

    The board works on y = ln p and f(y) = ln(D / S) per commodity (f = 0 exactly when every
    commodity balances). It keeps a matrix H, its running estimate of minus the inverse of
    the Jacobian of f, and each round answers

        y_{t+1} = y_t + H_t f_t,   the step capped at ``max_step`` in every coordinate,

    starting from H_0 = h_0 I (a plain proportional step: raise a price by h_0 times the log
    of demand over supply). After each round it corrects H with Broyden's ("good") update so
    that H reproduces the last change it saw, Δy = -H Δf:

        H <- H + (Δy + H Δf) (Δyᵀ H) / (-Δyᵀ H Δf)

    Why it works: the councils' answers are smooth (Cobb-Douglas), so near the balancing
    prices f is close to linear in y; Broyden's update learns that linear map, cross effects
    between commodities included (a dearer input lowers the output of every council using
    it), from nothing but the totals the board already sees. Within a few rounds the step is
    close to Newton's, which converges superlinearly, where ``hahnel2021``'s steps shrink
    with the imbalance and are floored at 0.1%. h_0 = 0.15 is safe because every commodity's
    own slope of f is at most about -1 (consumer demand has elasticity -1), so the first
    steps undershoot rather than overshoot. Information flow is that of ``hahnel2021``: the
    board sees only each commodity's total supply and demand, the councils only prices.
    The board's state is H plus last round's y and f (n² + 2n numbers for n commodities).
    """

    name: str = "broyden"
    start: float = 0.15
    max_step: float = 0.5

    def initial_state(self, n: int) -> np.ndarray:
        state = np.full(n * n + 2 * n + 1, np.nan)
        state[: n * n] = (self.start * np.eye(n)).ravel()
        state[-1] = 0.0  # no round seen yet
        return state

    def next_year(self, state: np.ndarray) -> np.ndarray:
        """Year two keeps H but not last round's y and f: they describe a changed economy,
        and a secant through them would teach H the change, not the economy."""
        state = state.copy()
        state[-1] = 0.0
        return state

    def answer(self, prices, supply, demand, state) -> BoardAnswer:
        n = prices.shape[0]
        h = state[: n * n].reshape(n, n).copy()
        last_y, last_f, seen = state[n * n : n * n + n], state[n * n + n : n * n + 2 * n], state[-1]
        y = np.log(prices)
        f = np.log(demand / supply)
        if seen:
            dy, df = y - last_y, f - last_f
            h_df = h @ df
            denominator = -(dy @ h_df)
            if abs(denominator) > 1e-14 * max(float(dy @ dy), 1e-300):
                h += np.outer(dy + h_df, dy @ h) / denominator
        step = np.clip(h @ f, -self.max_step, self.max_step)
        new_state = np.concatenate([h.ravel(), y, f, [1.0]])
        return BoardAnswer(prices * np.exp(step), new_state, np.abs(step), np.diag(h).copy())


RULES = {"hahnel2021": Hahnel2021(), "broyden": Broyden()}
"""The facilitation rules that can be chosen by name."""


def rule_named(name: str):
    try:
        return RULES[name]
    except KeyError:
        raise InputError(f"--rule: unknown rule {name!r}; choose one of {', '.join(RULES)}") from None
