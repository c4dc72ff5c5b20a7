"""How councils answer indicative prices with proposals (the council-facing step).

A consumer council with income m and Cobb-Douglas utility exponents u (private goods) and g
(public goods), U = sum(u) + sum(g), spends its income in proportion to its exponents:

    private good j:  d_j = m u_j / (U p_j)
    public good k:   the council states m g_k / (U p_k / N) at its per-council share p_k / N
                     of the price (N = number of consumer councils); the demand for public
                     good k is the mean of those statements, i.e. sum_i m_i g_ik / (U_i p_k).

A worker council with output price p0, input prices p_j, exponents b (B = sum b), A, S, c and
k maximises p0 q - sum_j p_j x_j - S e^k subject to q = A e^c prod_j x_j^b_j. Its first-order
conditions p_j x_j = b_j p0 q and k S e^k = c p0 q give the closed form

    ln q = [k ln A + c ln(c/(S k)) + (k B + c) ln p0 + k sum_j b_j ln(b_j/p_j)] / (k(1-B) - c)
    x_j  = b_j p0 q / p_j,    e = (c p0 q / (S k))^(1/k).

Everything here works on whole arrays of councils: there is no Python loop over councils.
:class:`CouncilBlock` holds the per-council constants that do not depend on prices, so that
one round costs two sparse matrix-vector products over the worker councils. A consumer
council's spending on each good, m u_j / U, does not depend on prices (Cobb-Douglas), so the
block sums it once; each round the consumer councils' total demand is that sum divided by
the price, exactly the sum of their individual answers.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import scipy.sparse as sp

from parsoc.planning.economy import Economy


@dataclasses.dataclass(frozen=True)
class Proposals:
    """The totals the facilitation board sees: per commodity, supply and demand."""

    supply: np.ndarray
    demand: np.ndarray


@dataclasses.dataclass
class CouncilBlock:
    """A set of councils (the whole economy, or one worker's share of it) ready to answer.

    ``answer(prices)`` returns this block's contribution to supply and demand; the totals of
    several blocks add up to the totals of their union (the endowment is counted only by the
    block built with ``with_endowment=True``).
    """

    n_commodities: int
    offsets: np.ndarray
    cc_private_spending: np.ndarray  # sum over consumer councils of m u_j / U, per private good
    cc_public_spending: np.ndarray  # the same for public goods
    wc_out: np.ndarray
    wc_inputs: sp.csr_matrix  # (n_wc, n_commodities), entries b
    wc_inputs_t: sp.csr_matrix
    wc_const: np.ndarray
    wc_p0_coef: np.ndarray
    wc_k: np.ndarray
    wc_denom: np.ndarray
    endowment: np.ndarray | None

    @classmethod
    def of(cls, economy: Economy, with_endowment: bool = True) -> CouncilBlock:
        n = economy.n_commodities
        b = economy.wc_input_exponent
        owner = economy.wc_input_owner
        big_b = np.bincount(owner, weights=b, minlength=economy.n_wcs)
        b_ln_b = np.bincount(owner, weights=b * np.log(b), minlength=economy.n_wcs)
        a, s, c, k = economy.wc_a, economy.wc_s, economy.wc_c, economy.wc_k
        inputs = sp.csr_matrix(
            (b, economy.wc_input_commodity, economy.wc_indptr), shape=(economy.n_wcs, n)
        )
        total_exponent = economy.cc_private.sum(axis=1) + economy.cc_public.sum(axis=1)
        return cls(
            n_commodities=n,
            offsets=economy.offsets,
            cc_private_spending=(economy.cc_income / total_exponent) @ economy.cc_private,
            cc_public_spending=(economy.cc_income / total_exponent) @ economy.cc_public,
            wc_out=economy.wc_output_commodity,
            wc_inputs=inputs,
            wc_inputs_t=inputs.T.tocsr(),
            wc_const=k * np.log(a) + c * np.log(c / (s * k)) + k * b_ln_b,
            wc_p0_coef=k * big_b + c,
            wc_k=k,
            wc_denom=k * (1.0 - big_b) - c,
            endowment=economy.endowment if with_endowment else None,
        )

    def worker_output(self, prices: np.ndarray) -> np.ndarray:
        """q per worker council at ``prices``."""
        log_p = np.log(prices)
        log_q = (
            self.wc_const + self.wc_p0_coef * log_p[self.wc_out] - self.wc_k * (self.wc_inputs @ log_p)
        ) / self.wc_denom
        return np.exp(log_q)

    def answer(self, prices: np.ndarray) -> Proposals:
        """Every council answers ``prices``; return this block's supply and demand totals."""
        n = self.n_commodities
        off = self.offsets
        q = self.worker_output(prices)
        supply = np.bincount(self.wc_out, weights=q, minlength=n).astype(np.float64, copy=False)  # float even with no WCs
        demand = (self.wc_inputs_t @ (prices[self.wc_out] * q)) / prices
        priv = slice(int(off[0]), int(off[1]))
        pub = slice(int(off[4]), int(off[5]))
        demand[priv] += self.cc_private_spending / prices[priv]
        demand[pub] += self.cc_public_spending / prices[pub]
        if self.endowment is not None:
            supply[int(off[2]) : int(off[4])] += self.endowment
        return Proposals(supply=supply, demand=demand)


def consumer_proposals(economy: Economy, prices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each consumer council's proposal at ``prices``: (private demands, public-good statements).

    Private: m u_j / (U p_j). Public: m g_k / (U p_k / N), the quantity the council states at
    its share of the price; the economy's public-good demand is the mean of these.
    """
    total = economy.cc_private.sum(axis=1) + economy.cc_public.sum(axis=1)
    weight = (economy.cc_income / total)[:, None]
    private = weight * economy.cc_private / prices[economy.category_slice("private")]
    share = prices[economy.category_slice("public")] / max(economy.n_ccs, 1)
    public = weight * economy.cc_public / share
    return private, public


@dataclasses.dataclass(frozen=True)
class WorkerProposals:
    """Each worker council's proposal: output q, effort e, and input use x (sparse rows)."""

    output: np.ndarray
    effort: np.ndarray
    input_use: np.ndarray  # aligned with economy.wc_input_commodity


def worker_proposals(economy: Economy, prices: np.ndarray) -> WorkerProposals:
    """Each worker council's profit-maximising proposal at ``prices`` (closed form above)."""
    block = CouncilBlock.of(economy)
    q = block.worker_output(prices)
    value = prices[block.wc_out] * q
    owner = economy.wc_input_owner
    x = economy.wc_input_exponent * value[owner] / prices[economy.wc_input_commodity]
    effort = (economy.wc_c * value / (economy.wc_s * economy.wc_k)) ** (1.0 / economy.wc_k)
    return WorkerProposals(output=q, effort=effort, input_use=x)
