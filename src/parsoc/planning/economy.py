"""An economy of worker councils (WCs) and consumer councils (CCs), as plain arrays.

Commodities are numbered globally in five categories, always in this order: private goods,
intermediate goods, natural resources, labour types, public goods (``CATEGORIES``). A price
vector, a supply vector or an imbalance vector has one entry per commodity in that order.

Consumer councils (dense, one row per council):
    ``cc_income[i]`` (m), ``cc_private[i, j]`` (u, over private goods) and
    ``cc_public[i, k]`` (g, over public goods).

Worker councils (one entry per council; inputs in compressed sparse rows):
    ``wc_industry[w]`` 0 private / 1 intermediate / 2 public, ``wc_product[w]`` its index
    within that category (0-based), ``wc_a`` (A), ``wc_s`` (S), ``wc_c`` (c), ``wc_k`` (k);
    the inputs of council w are ``wc_input_commodity[wc_indptr[w]:wc_indptr[w+1]]`` (global
    commodity numbers: intermediates, then natural resources, then labour types) with
    exponents ``wc_input_exponent[...]`` (b) in the same positions.

``endowment`` holds the fixed supply of every natural resource and labour type.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from parsoc.errors import InputError

CATEGORIES = ("private", "intermediate", "nature", "labor", "public")
"""The five commodity categories, in the order commodities are numbered."""

INDUSTRY_CATEGORY = {0: 0, 1: 1, 2: 4}
"""A worker council's ``industry`` → the category of what it makes (private, intermediate, public)."""

DEFAULT_ENDOWMENT = 1000.0


@dataclasses.dataclass(frozen=True)
class Economy:
    """One year's councils. Build it with :func:`make_economy`, which checks it."""

    sizes: tuple[int, int, int, int, int]
    cc_income: np.ndarray
    cc_private: np.ndarray
    cc_public: np.ndarray
    wc_industry: np.ndarray
    wc_product: np.ndarray
    wc_a: np.ndarray
    wc_s: np.ndarray
    wc_c: np.ndarray
    wc_k: np.ndarray
    wc_indptr: np.ndarray
    wc_input_commodity: np.ndarray
    wc_input_exponent: np.ndarray
    endowment: np.ndarray

    @property
    def n_ccs(self) -> int:
        return int(self.cc_income.shape[0])

    @property
    def n_wcs(self) -> int:
        return int(self.wc_a.shape[0])

    @property
    def n_commodities(self) -> int:
        return int(sum(self.sizes))

    @property
    def offsets(self) -> np.ndarray:
        """First global commodity number of each category (and the total at the end)."""
        return np.concatenate([[0], np.cumsum(self.sizes)]).astype(np.int64)

    def category_slice(self, name: str) -> slice:
        c = CATEGORIES.index(name)
        off = self.offsets
        return slice(int(off[c]), int(off[c + 1]))

    @property
    def wc_output_commodity(self) -> np.ndarray:
        """Global commodity number of what each worker council makes."""
        category = np.array([0, 1, 4], dtype=np.int64)[self.wc_industry]
        return (self.offsets[category] + self.wc_product).astype(np.int64)

    @property
    def wc_input_owner(self) -> np.ndarray:
        """For every input entry, the worker council it belongs to."""
        return np.repeat(np.arange(self.n_wcs, dtype=np.int64), np.diff(self.wc_indptr))

    def commodity_names(self) -> list[str]:
        """``private-1`` ... ``public-N``: 1-based within each category, as the EDN counts."""
        return [f"{name}-{i + 1}" for name, n in zip(CATEGORIES, self.sizes, strict=False) for i in range(n)]

    def with_exponents(self, cc_private, cc_public, wc_input_exponent) -> Economy:
        """The same councils with new exponents (checked again)."""
        return make_economy(
            **{
                **{f.name: getattr(self, f.name) for f in dataclasses.fields(self)},
                "cc_private": cc_private,
                "cc_public": cc_public,
                "wc_input_exponent": wc_input_exponent,
            }
        )

    def part(self, ccs: slice, wcs: slice, with_endowment: bool) -> Economy:
        """The consumer councils ``ccs`` and worker councils ``wcs`` of this (checked) economy,
        for one worker of a distributed run; not checked again (a part need not balance)."""
        lo, hi = int(self.wc_indptr[wcs.start]), int(self.wc_indptr[wcs.stop])
        return dataclasses.replace(
            self,
            cc_income=self.cc_income[ccs],
            cc_private=self.cc_private[ccs],
            cc_public=self.cc_public[ccs],
            wc_industry=self.wc_industry[wcs],
            wc_product=self.wc_product[wcs],
            wc_a=self.wc_a[wcs],
            wc_s=self.wc_s[wcs],
            wc_c=self.wc_c[wcs],
            wc_k=self.wc_k[wcs],
            wc_indptr=self.wc_indptr[wcs.start : wcs.stop + 1] - lo,
            wc_input_commodity=self.wc_input_commodity[lo:hi],
            wc_input_exponent=self.wc_input_exponent[lo:hi],
            endowment=self.endowment if with_endowment else np.zeros_like(self.endowment),
        )

    def scaled_nominal(self, factor: float) -> Economy:
        """Incomes and every WC's disutility scale S multiplied by ``factor`` (the nominal
        quantities: with prices scaled by the same factor no real quantity changes)."""
        return dataclasses.replace(self, cc_income=self.cc_income * factor, wc_s=self.wc_s * factor)


def _as(array, dtype, name: str, ndim: int) -> np.ndarray:
    out = np.ascontiguousarray(np.asarray(array, dtype=dtype))
    if out.ndim != ndim:
        raise InputError(f"economy field {name}: expected {ndim} dimension(s), got {out.ndim}")
    return out


def _first_bad(mask: np.ndarray) -> int | None:
    where = np.flatnonzero(mask)
    return int(where[0]) if where.size else None


def make_economy(
    *,
    sizes,
    cc_income,
    cc_private,
    cc_public,
    wc_industry,
    wc_product,
    wc_a,
    wc_s,
    wc_c,
    wc_k,
    wc_indptr,
    wc_input_commodity,
    wc_input_exponent,
    endowment=None,
) -> Economy:
    """Build an :class:`Economy` and refuse anything malformed or impossible.

    Refused, naming the council (1-based, as the EDN files count) and the field:
    non-finite numbers; income ≤ 0; a negative utility exponent; a consumer council whose
    exponents sum to 0; industry outside 0/1/2; a product outside its category; A, S, c or k
    ≤ 0; an input exponent ≤ 0; an input that is not an intermediate good, natural resource
    or labour type; and a worker council whose problem is unbounded, i.e. whose exponents sum
    B to at least 1 - c/k (then k(1-B) - c ≤ 0 and profit grows without limit with output).
    Also refused: a commodity nobody supplies or nobody demands (no price can balance it).
    """
    sizes = tuple(int(n) for n in sizes)
    if len(sizes) != 5 or any(n < 0 for n in sizes):
        raise InputError(f"economy sizes must be five counts (one per category), got {sizes}")
    n_priv, n_int, n_nat, n_lab, n_pub = sizes
    income = _as(cc_income, np.float64, "cc_income", 1)
    private = _as(cc_private, np.float64, "cc_private", 2)
    public = _as(cc_public, np.float64, "cc_public", 2)
    n_cc = income.shape[0]
    if private.shape != (n_cc, n_priv):
        raise InputError(f"utility-exponents: expected {n_priv} per consumer council, got shape {private.shape}")
    if public.shape != (n_cc, n_pub):
        raise InputError(f"public-good-exponents: expected {n_pub} per consumer council, got shape {public.shape}")
    for name, values in (("income", income), ("utility-exponents", private), ("public-good-exponents", public)):
        bad = _first_bad(~np.isfinite(values).reshape(n_cc, -1).all(axis=1)) if n_cc else None
        if bad is not None:
            raise InputError(f"consumer council {bad + 1}: {name} is not a finite number")
    bad = _first_bad(income <= 0)
    if bad is not None:
        raise InputError(f"consumer council {bad + 1}: income must be above 0, got {income[bad]}")
    for name, values in (("utility-exponents", private), ("public-good-exponents", public)):
        bad = _first_bad((values < 0).any(axis=1)) if values.size else None
        if bad is not None:
            raise InputError(f"consumer council {bad + 1}: {name} has a negative exponent")
    bad = _first_bad(private.sum(axis=1) + public.sum(axis=1) <= 0)
    if bad is not None:
        raise InputError(f"consumer council {bad + 1}: utility-exponents and public-good-exponents are all 0")

    industry = _as(wc_industry, np.int8, "wc_industry", 1)
    n_wc = industry.shape[0]
    product = _as(wc_product, np.int32, "wc_product", 1)
    fields = {}
    for key, edn_key, values in (("wc_a", "a", wc_a), ("wc_s", "s", wc_s), ("wc_c", "c", wc_c), ("wc_k", "du", wc_k)):
        arr = _as(values, np.float64, key, 1)
        if arr.shape != (n_wc,):
            raise InputError(f"economy field {key}: expected {n_wc} values, got {arr.shape[0]}")
        bad = _first_bad(~(np.isfinite(arr) & (arr > 0)))
        if bad is not None:
            raise InputError(f"worker council {bad + 1}: {edn_key} must be a finite number above 0, got {arr[bad]}")
        fields[key] = arr
    bad = _first_bad(~np.isin(industry, (0, 1, 2)))
    if bad is not None:
        raise InputError(f"worker council {bad + 1}: industry must be 0, 1 or 2, got {industry[bad]}")
    limit = np.array([n_priv, n_int, n_pub], dtype=np.int64)[np.clip(industry, 0, 2)]
    bad = _first_bad((product < 0) | (product >= limit))
    if bad is not None:
        raise InputError(f"worker council {bad + 1}: product {product[bad] + 1} is outside its category")
    indptr = _as(wc_indptr, np.int64, "wc_indptr", 1)
    commodity = _as(wc_input_commodity, np.int32, "wc_input_commodity", 1)
    exponent = _as(wc_input_exponent, np.float64, "wc_input_exponent", 1)
    if indptr.shape != (n_wc + 1,) or indptr[0] != 0 or np.any(np.diff(indptr) < 0) or indptr[-1] != commodity.shape[0]:
        raise InputError("economy field wc_indptr: not a valid row pointer for the inputs")
    if exponent.shape != commodity.shape:
        raise InputError("economy fields wc_input_commodity and wc_input_exponent differ in length")
    owner = np.repeat(np.arange(n_wc, dtype=np.int64), np.diff(indptr))
    lo, hi = n_priv, n_priv + n_int + n_nat + n_lab
    bad = _first_bad((commodity < lo) | (commodity >= hi))
    if bad is not None:
        raise InputError(f"worker council {owner[bad] + 1}: production-inputs names a commodity that does not exist")
    bad = _first_bad(~(np.isfinite(exponent) & (exponent > 0)))
    if bad is not None:
        field = _input_field(int(commodity[bad]), sizes)
        raise InputError(f"worker council {owner[bad] + 1}: {field} must be finite numbers above 0, got {exponent[bad]}")
    total = np.bincount(owner, weights=exponent, minlength=n_wc)
    c, k = fields["wc_c"], fields["wc_k"]
    bad = _first_bad(k * (1.0 - total) - c <= 0)
    if bad is not None:
        raise InputError(
            f"worker council {bad + 1}: input-exponents, nature-exponents and labor-exponents sum to "
            f"{total[bad]:.6g}, at least 1 - c/du = {1 - c[bad] / k[bad]:.6g}: its problem is unbounded"
        )
    if endowment is None:
        endowment = np.full(n_nat + n_lab, DEFAULT_ENDOWMENT)
    endowment = _as(endowment, np.float64, "endowment", 1)
    if endowment.shape != (n_nat + n_lab,) or not np.all(np.isfinite(endowment) & (endowment > 0)):
        raise InputError("endowment: one number above 0 per natural resource and labour type")
    economy = Economy(
        sizes=sizes,
        cc_income=income,
        cc_private=private,
        cc_public=public,
        wc_industry=industry,
        wc_product=product,
        wc_indptr=indptr,
        wc_input_commodity=commodity,
        wc_input_exponent=exponent,
        endowment=endowment,
        **fields,
    )
    _refuse_unbalanceable(economy)
    return economy


def _input_field(commodity: int, sizes) -> str:
    n_priv, n_int, n_nat = sizes[0], sizes[1], sizes[2]
    if commodity < n_priv + n_int:
        return "input-exponents"
    if commodity < n_priv + n_int + n_nat:
        return "nature-exponents"
    return "labor-exponents"


def _refuse_unbalanceable(economy: Economy) -> None:
    """Every commodity needs someone who supplies it and someone who demands it."""
    n = economy.n_commodities
    supplied = np.bincount(economy.wc_output_commodity, minlength=n) > 0
    supplied[economy.category_slice("nature")] = True
    supplied[economy.category_slice("labor")] = True
    demanded = np.bincount(economy.wc_input_commodity, minlength=n) > 0
    demanded[economy.category_slice("private")] = (economy.cc_private > 0).any(axis=0)
    demanded[economy.category_slice("public")] = (economy.cc_public > 0).any(axis=0)
    names = economy.commodity_names()
    for mask, who in ((supplied, "supplies"), (demanded, "demands")):
        bad = _first_bad(~mask)
        if bad is not None:
            raise InputError(f"commodity {names[bad]}: no council {who} it, so no price can balance it")
