"""The exact reference: the prices at which every commodity balances.

Solves f(y) = ln D(e^y) - ln S(e^y) = 0 for the log prices y, where S and D are the totals of
the councils' answers (:mod:`parsoc.planning.councils`), with SciPy's hybrid Powell method
and the analytic Jacobian below, and reports how far a procedure's final plan is from it.

Jacobian. With G = ∂ ln q / ∂y per worker council (row w: (kB + c)/(k(1-B) - c) at its
output, -k b_j/(k(1-B) - c) at each input j), E the one-hot matrix of outputs, M the input
exponents, v = p0 q the value of each council's output and X the input demand:

    ∂S/∂y = Eᵀ diag(q) G
    ∂X/∂y = diag(1/p) Mᵀ diag(v) (E + G) - diag(X)
    ∂C/∂y = -diag(C)     (consumer demand C = spending / p)
    ∂f/∂y = diag(1/D) (∂X/∂y + ∂C/∂y) - diag(1/S) ∂S/∂y
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import scipy.sparse as sp

from parsoc.errors import InputError
from parsoc.planning.councils import CouncilBlock
from parsoc.planning.economy import Economy


def excess_and_jacobian(block: CouncilBlock, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """f(y) = ln D - ln S per commodity and its Jacobian (dense n × n)."""
    p = np.exp(y)
    proposals = block.answer(p)
    supply, demand = proposals.supply, proposals.demand
    n = block.n_commodities
    n_wc = block.wc_out.shape[0]
    q = block.worker_output(p)
    v = p[block.wc_out] * q
    rows = np.arange(n_wc)
    e = sp.csr_matrix((np.ones(n_wc), (rows, block.wc_out)), shape=(n_wc, n))
    g = sp.csr_matrix((block.wc_p0_coef / block.wc_denom, (rows, block.wc_out)), shape=(n_wc, n))
    g = g - sp.diags(block.wc_k / block.wc_denom) @ block.wc_inputs
    d_supply = (e.T @ sp.diags(q) @ g).toarray()
    input_use = (block.wc_inputs_t @ v) / p
    d_demand = (sp.diags(1.0 / p) @ block.wc_inputs_t @ sp.diags(v) @ (e + g)).toarray()
    d_demand -= np.diag(input_use)
    d_demand -= np.diag(demand - input_use)  # consumer demand: elasticity -1
    jac = d_demand / demand[:, None] - d_supply / supply[:, None]
    return np.log(demand) - np.log(supply), jac


@dataclasses.dataclass(frozen=True)
class Equilibrium:
    prices: np.ndarray
    max_imbalance_pct: float
    iterations: int
    converged: bool
    message: str


def solve_equilibrium(economy: Economy, start: np.ndarray | None = None, tol: float = 1e-12) -> Equilibrium:
    """Balancing prices by a root-finder on log prices, starting at ``start`` (default 700)."""
    from scipy.optimize import root

    block = CouncilBlock.of(economy)
    y0 = np.log(np.full(economy.n_commodities, 700.0) if start is None else np.asarray(start, dtype=np.float64))
    solution = root(lambda y: excess_and_jacobian(block, y), y0, jac=True, method="hybr", options={"xtol": tol})
    prices = np.exp(solution.x)
    proposals = block.answer(prices)
    v = 2 * np.abs(proposals.supply - proposals.demand) / (proposals.supply + proposals.demand)
    worst = float(100 * v.max())
    if not np.isfinite(worst):
        raise InputError("equilibrium: the root-finder left the economy (non-finite prices)")
    return Equilibrium(prices, worst, int(solution.nfev), bool(solution.success) and worst < 1e-6, str(solution.message))


def distance(economy: Economy, prices: np.ndarray, reference: Equilibrium) -> dict[str, Any]:
    """How far the plan at ``prices`` is from the balancing plan: prices and WC outputs."""
    block = CouncilBlock.of(economy)
    price_gap = np.abs(prices / reference.prices - 1.0)
    q, q_star = block.worker_output(prices), block.worker_output(reference.prices)
    output_gap = np.abs(q / q_star - 1.0)
    return {
        "max_price_gap_pct": float(100 * price_gap.max()),
        "mean_price_gap_pct": float(100 * price_gap.mean()),
        "max_output_gap_pct": float(100 * output_gap.max()),
        "mean_output_gap_pct": float(100 * output_gap.mean()),
    }
