"""Synthetic economies of any size with the published parameter distributions.

With G commodities per category, ``wcs`` worker councils and ``ccs`` consumer councils:

* a third of the WCs make private goods, a third intermediate goods, a third public goods
  (in that order), spread evenly over the G products of their category (product = position
  within its third, modulo G);
* each WC uses 1-4 distinct intermediate goods, 1-2 natural resources and 1-2 labour types,
  each count and each choice uniform at random (ids sorted within each group);
* each of its exponents is uniform in [0.75/n, 0.85/n), n its total number of inputs, so they
  sum to 0.75-0.85; c is uniform in [0.05, 0.1), k (``:du``) in [3, 4), A in [4, 6); S = 1;
* each CC has income 5000 and utility exponents uniform in [z, 2z) over every private and
  public good, z = 0.5 / (2G);
* the endowment is 1000 of every natural resource and labour type at the published density
  of 300 worker councils per commodity (3000 WCs over 10 per category, 30,000 over 100), and
  scales with that density otherwise: 1000 × wcs / (300 G). A fixed endowment can be given.
  Why: with a fixed 1000, an economy with ten times the councils per commodity balances at
  prices far from the starting 700, and ``hahnel2021`` then needs three times the rounds
  (36 to 5% at 100,000 + 100,000 with G = 100); scaled, it reaches 5% in 11-13 rounds at
  every size, as published.

If the random choices leave an intermediate good, natural resource or labour type unused
(possible only in small economies), one randomly chosen input of that category of some WC
that does not already use it is switched to it, so that every commodity has a demand. Work
is done in blocks of rows with whole-array operations; memory is the economy itself plus one
block.
"""

from __future__ import annotations

import numpy as np

from parsoc.errors import InputError
from parsoc.planning.economy import Economy, make_economy

INPUT_COUNTS = ((1, 4), (1, 2), (1, 2))
"""(fewest, most) inputs per WC: intermediate goods, natural resources, labour types."""


def _random_subsets(rng, rows: int, choices: int, most: int, n: np.ndarray) -> np.ndarray:
    """Per row, a uniform random subset of ``n[row]`` distinct ids in [0, choices), sorted
    ascending in the first ``n[row]`` columns of a ``rows`` × ``most`` array (rest: large)."""
    keys = rng.random((rows, choices))
    if most < choices:
        picked = np.argpartition(keys, most - 1, axis=1)[:, :most]
        picked = np.take_along_axis(picked, np.take_along_axis(keys, picked, 1).argsort(axis=1), 1)
    else:
        picked = np.argsort(keys, axis=1)
    # ``picked`` is in random order: its first n entries are a uniform random n-subset
    picked = np.where(np.arange(most)[None, :] < n[:, None], picked, np.iinfo(np.int64).max)
    return np.sort(picked, axis=1)


PUBLISHED_ENDOWMENT = 1000.0
PUBLISHED_WCS_PER_COMMODITY = 300


def generate(
    ccs: int, wcs: int, per_category: int, seed: int = 0, endowment: float | None = None, block: int | None = None
) -> Economy:
    """A random economy of ``ccs`` consumer and ``wcs`` worker councils (see module doc)."""
    g = int(per_category)
    if g < 1:
        raise InputError(f"--per-category must be at least 1, got {per_category}")
    if ccs < 1:
        raise InputError(f"--ccs must be at least 1, got {ccs}")
    if wcs < 3 * g:
        raise InputError(f"--wcs must be at least 3 × --per-category = {3 * g} so every product has a maker, got {wcs}")
    rng = np.random.default_rng(seed)
    sizes = (g, g, g, g, g)
    offsets = np.arange(6) * g
    block = block or max(1, 4_000_000 // max(g, 8))

    # worker councils: who makes what
    industry = (np.arange(wcs, dtype=np.int64) * 3 // wcs).astype(np.int8)
    first = np.searchsorted(industry, [0, 1, 2])
    product = (np.arange(wcs) - first[industry]) % g
    counts_parts, ids_parts, exp_parts = [], [], []
    for lo in range(0, wcs, block):
        rows = min(block, wcs - lo)
        cols, valid = [], []
        for cat, (fewest, most) in zip((1, 2, 3), INPUT_COUNTS, strict=False):
            most = min(most, g)
            n = rng.integers(fewest, most + 1, size=rows)
            ids = _random_subsets(rng, rows, g, most, n)
            keep = np.arange(most)[None, :] < n[:, None]
            cols.append(np.where(keep, ids + offsets[cat], -1))
            valid.append(keep)
        full = np.concatenate(cols, axis=1)
        mask = np.concatenate(valid, axis=1)
        total = mask.sum(axis=1)
        expo = (0.75 + 0.1 * rng.random(full.shape)) / total[:, None]
        counts_parts.append(total)
        ids_parts.append(full[mask])
        exp_parts.append(expo[mask])
    counts = np.concatenate(counts_parts)
    commodity = np.concatenate(ids_parts).astype(np.int32)
    exponent = np.concatenate(exp_parts)
    indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    _use_every_input(rng, commodity, indptr, offsets)
    c = rng.uniform(0.05, 0.1, size=wcs)
    k = rng.uniform(3.0, 4.0, size=wcs)
    a = rng.uniform(4.0, 6.0, size=wcs)

    # consumer councils, filled in place block by block
    z = 0.5 / (2 * g)
    private = np.empty((ccs, g))
    public = np.empty((ccs, g))
    for lo in range(0, ccs, block):
        hi = min(ccs, lo + block)
        for target in (private, public):
            view = target[lo:hi]
            rng.random(out=view)
            view *= z
            view += z
    if endowment is None:
        endowment = PUBLISHED_ENDOWMENT * wcs / (PUBLISHED_WCS_PER_COMMODITY * g)
    if not endowment > 0:
        raise InputError(f"--endowment must be above 0, got {endowment}")
    return make_economy(
        endowment=np.full(2 * g, float(endowment)),
        sizes=sizes,
        cc_income=np.full(ccs, 5000.0),
        cc_private=private,
        cc_public=public,
        wc_industry=industry,
        wc_product=product,
        wc_a=a,
        wc_s=np.ones(wcs),
        wc_c=c,
        wc_k=k,
        wc_indptr=indptr,
        wc_input_commodity=commodity,
        wc_input_exponent=exponent,
    )


def _use_every_input(rng, commodity: np.ndarray, indptr: np.ndarray, offsets: np.ndarray) -> None:
    """Switch one input to every unused intermediate good, natural resource or labour type
    (a loop over commodities, not councils; it only runs for small economies)."""
    used = np.bincount(commodity, minlength=int(offsets[5])) > 0
    owner = None
    for j in np.flatnonzero(~used[offsets[1] : offsets[4]]) + offsets[1]:
        cat = int(np.searchsorted(offsets, j, side="right")) - 1
        if owner is None:
            owner = np.repeat(np.arange(indptr.shape[0] - 1), np.diff(indptr))
        in_cat = (commodity >= offsets[cat]) & (commodity < offsets[cat + 1])
        users_of_j = np.zeros(indptr.shape[0] - 1, dtype=bool)
        users_of_j[owner[commodity == j]] = True
        candidates = np.flatnonzero(in_cat & ~users_of_j[owner])
        if candidates.size == 0:
            continue
        entry = int(rng.choice(candidates))
        commodity[entry] = j
        lo, hi = indptr[owner[entry]], indptr[owner[entry] + 1]
        segment = commodity[lo:hi]
        sel = (segment >= offsets[cat]) & (segment < offsets[cat + 1])
        segment[sel] = np.sort(segment[sel])
