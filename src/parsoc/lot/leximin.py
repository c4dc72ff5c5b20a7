"""LEXIMIN: the fairest lottery over panels (Flanigan, Gölz, Gupta, Hennig and Procaccia, Nature 2021).

Among all probability distributions over the panels that meet the quotas, LEXIMIN takes the one
whose smallest selection probability is largest; among those, the one whose second smallest is
largest; and so on. Its probabilities are unique.

It works in stages. Each stage maximises the smallest probability ``z`` among the people not
yet fixed, keeping everyone already fixed at least at their value:

    maximise z  subject to  Σ_P x_P · [i ∈ P] ≥ z  (i not fixed),  ≥ f_i  (i fixed),  Σ_P x_P = 1,  x ≥ 0

over *all* panels ``P`` — far too many to write down, so by column generation on its dual

    minimise ŷ − Σ_fixed f_i y_i  subject to  Σ_{i ∈ P} y_i ≤ ŷ  for every panel P,  Σ_unfixed y_i = 1,  y ≥ 0.

The dual is solved (HiGHS, simplex) over the panels found so far; then an integer program
(HiGHS MIP, :class:`~parsoc.lot.panels.PanelModel`) looks for the panel with the largest
``Σ_{i ∈ P} y_i``. If that exceeds ``ŷ`` the panel is added (with every other improving panel the MIP met on
its way) and the dual solved again; if not,
the dual is optimal over all panels, ``z`` is its value, and every unfixed person with
``y_i > 0`` is fixed at ``z`` (their constraint binds in every optimal solution). At least one
person is fixed per stage. At the end a last LP finds weights on the panels found that give
everyone their fixed probability.

Here people are grouped into profiles (see :mod:`parsoc.lot.panels`): ``y`` and ``f`` are per
profile, a panel is a composition, and ``[i ∈ P]`` becomes ``count_t(P) / size_t``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse

from parsoc.highs import new_highs
from parsoc.lot.instance import Instance
from parsoc.lot.panels import PanelModel, Profiles, _pass, check_feasible

Progress = Callable[[float, str], None]
"""Called as ``progress(share of people whose probability is fixed, message)``."""

PRICE_TOLERANCE = 1e-9
"""A panel improves the dual only if its weight exceeds ``ŷ`` by more than this."""
FIX_TOLERANCE = 1e-7
"""A dual value above this fixes its profile's probability."""


@dataclass(frozen=True)
class Distribution:
    """A lottery over panels: each composition (a count per profile) with its probability.

    Drawing a composition, then its members uniformly within each profile, gives every person
    of profile ``t`` the probability ``Σ weight · count_t / size_t``.
    """

    profiles: Profiles
    compositions: tuple[tuple[int, ...], ...]
    weights: tuple[float, ...]

    def profile_probabilities(self) -> np.ndarray:
        if not self.compositions:
            return np.zeros(len(self.profiles))
        counts = np.array(self.compositions, dtype=float)
        result: np.ndarray = np.asarray(self.weights) @ counts / self.profiles.sizes
        return result

    def probabilities(self) -> list[float]:
        """Each person's selection probability, in pool order."""
        by_profile = self.profile_probabilities()
        return [float(by_profile[t]) for t in self.profiles.of_person]


def _dual(profiles: Profiles, panels: list[np.ndarray], fixed: np.ndarray) -> tuple[Any, Any]:
    """The stage's dual LP over the panels found so far: columns y_0..y_{T-1}, ŷ."""
    T = len(profiles)
    h, highspy = new_highs()
    h.setOptionValue("threads", 1)
    h.setOptionValue("primal_feasibility_tolerance", 1e-10)
    h.setOptionValue("dual_feasibility_tolerance", 1e-10)
    unfixed = np.isnan(fixed)
    sizes = profiles.sizes
    normal = sparse.csr_matrix(np.r_[unfixed.astype(float), 0.0][None, :])
    share = sparse.csr_matrix(np.array([np.r_[p / sizes, -1.0] for p in panels]))
    cost = np.r_[np.where(unfixed, 0.0, -np.nan_to_num(fixed)), 1.0]
    m = len(panels)
    _pass(h, highspy, cost, np.zeros(T + 1), np.full(T + 1, np.inf), [False] * (T + 1),
          sparse.vstack([normal, share]), np.r_[1.0, np.full(m, -np.inf)], np.r_[1.0, np.zeros(m)])
    return h, highspy


def _add_panel(h: Any, counts: np.ndarray, sizes: np.ndarray) -> None:
    T = len(sizes)
    nz = np.flatnonzero(counts)
    index = np.r_[nz, T].astype(np.int32)
    value = np.r_[counts[nz] / sizes[nz], -1.0]
    h.addRow(-np.inf, 0.0, len(index), index, value)


def _initial_panels(model: PanelModel, profiles: Profiles) -> tuple[list[np.ndarray], np.ndarray]:
    """Panels covering every profile that some panel can hold; and which profiles no panel holds."""
    T = len(profiles)
    covered = np.zeros(T, dtype=bool)
    never = np.zeros(T, dtype=bool)
    panels: list[np.ndarray] = []
    while not (covered | never).all():
        open_ = ~(covered | never)
        result = model.best(open_ / profiles.sizes)
        if result is None or result[0] < 1e-9:
            never |= open_
            break
        panels.append(result[1])
        covered |= result[1] > 0
    return panels, never


def leximin(instance: Instance, *, progress: Progress | None = None) -> Distribution:
    """The LEXIMIN lottery over the instance's panels.

    Raises :class:`~parsoc.errors.InputError` (naming the quota) if no panel meets the quotas.
    """
    profiles = check_feasible(instance)
    model = PanelModel(instance, profiles, keep_improving=True)
    T, sizes = len(profiles), profiles.sizes
    people = float(sizes.sum())
    panels, never = _initial_panels(model, profiles)
    seen = {tuple(p) for p in panels}
    fixed = np.full(T, np.nan)
    fixed[never] = 0.0
    started = time.monotonic()

    def report(stage: int) -> None:
        if progress is not None:
            done = float(sizes[~np.isnan(fixed)].sum()) / people
            progress(done, f"stage {stage}: {int(round(done * people))} of {int(people)} probabilities fixed, "
                           f"{len(panels)} panels, {time.monotonic() - started:.1f} s")

    stage = 0
    report(stage)
    while np.isnan(fixed).any():
        stage += 1
        h, highspy = _dual(profiles, panels, fixed)
        while True:
            h.run()
            status = h.getModelStatus()
            if status != highspy.HighsModelStatus.kOptimal:
                # Rounding left the fixed probabilities just out of reach: lower them a hair (as the
                # reference implementation does) and solve the stage again.
                fixed = np.where(np.isnan(fixed), np.nan, np.maximum(fixed - 1e-9, 0.0))
                h, highspy = _dual(profiles, panels, fixed)
                h.run()
                if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                    raise RuntimeError(f"LEXIMIN stage {stage}: HiGHS says {h.modelStatusToString(status)}")
            solution = np.asarray(h.getSolution().col_value)
            y, cap = solution[:T], solution[T]
            found = model.best(y / sizes)
            assert found is not None  # the quotas were checked feasible
            value, counts = found
            key = tuple(int(c) for c in counts)
            if value <= cap + PRICE_TOLERANCE or key in seen:
                break
            seen.add(key)
            panels.append(counts)
            _add_panel(h, counts, sizes)
            for other in model.also_found():  # the solver's earlier incumbents: more columns per MIP
                other_key = tuple(int(c) for c in other)
                if other_key not in seen and float((y / sizes) @ other) > cap + PRICE_TOLERANCE:
                    seen.add(other_key)
                    panels.append(other)
                    _add_panel(h, other, sizes)
        z = float(h.getInfo().objective_function_value)
        unfixed = np.isnan(fixed)
        newly = unfixed & (y > FIX_TOLERANCE)
        if not newly.any():  # cannot happen in exact arithmetic (Σ unfixed y = 1): fix the largest
            newly = unfixed & (y == y[unfixed].max())
        fixed[newly] = min(max(z, 0.0), 1.0)
        report(stage)
    weights = _final_weights(profiles, panels, fixed)
    keep = [(tuple(int(c) for c in p), w) for p, w in zip(panels, weights, strict=True) if w > 1e-12]
    keep.sort()
    total = sum(w for _, w in keep)
    return Distribution(profiles, tuple(p for p, _ in keep), tuple(float(w / total) for _, w in keep))


def _final_weights(profiles: Profiles, panels: list[np.ndarray], fixed: np.ndarray) -> np.ndarray:
    """Weights on the panels giving each profile at least its fixed probability minus the least ε."""
    P, T = len(panels), len(profiles)
    h, highspy = new_highs()
    h.setOptionValue("threads", 1)
    h.setOptionValue("primal_feasibility_tolerance", 1e-10)
    h.setOptionValue("dual_feasibility_tolerance", 1e-10)
    share = np.array(panels, dtype=float).T / profiles.sizes[:, None]  # T x P
    rows = sparse.vstack([
        sparse.csr_matrix(np.r_[np.ones(P), 0.0][None, :]),
        sparse.hstack([sparse.csr_matrix(share), sparse.csr_matrix(np.ones((T, 1)))]),
    ])
    _pass(h, highspy, np.r_[np.zeros(P), 1.0], np.zeros(P + 1), np.full(P + 1, np.inf), [False] * (P + 1),
          rows, np.r_[1.0, fixed], np.r_[1.0, np.full(T, np.inf)])
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError("LEXIMIN: HiGHS could not weigh the panels")
    x: np.ndarray = np.clip(np.asarray(h.getSolution().col_value[:P], dtype=float), 0.0, None)
    return x / float(x.sum())
