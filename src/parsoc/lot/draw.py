"""One selection by lot: the probabilities, the lottery, and the panel its seed draws.

:func:`select` runs a method (``leximin`` or ``legacy``) and draws one panel from the seed.
:func:`draw_panel` is the draw alone, from a published lottery and seed: anyone replays it.

The LEXIMIN draw, with the stream of :mod:`parsoc.lot.seed`: one uniform number ``u`` picks
the composition (compositions in their published order, the first whose running total of
probabilities exceeds ``u``); then, profile by profile in order, that many of the profile's
members (in pool order) are chosen by a partial Fisher–Yates shuffle. The LEGACY draw runs the
greedy on the same stream, then chooses members the same way.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from parsoc.errors import InputError
from parsoc.lot import legacy
from parsoc.lot.instance import Instance
from parsoc.lot.leximin import Distribution, Progress, leximin
from parsoc.lot.panels import Profiles, check_feasible
from parsoc.lot.seed import Stream, new_seed

METHODS = ("leximin", "legacy")
LEGACY_RUNS = 1000
"""Draws averaged to estimate LEGACY's probabilities."""


def members_of(profiles: Profiles, counts: tuple[int, ...] | np.ndarray, stream: Stream) -> tuple[int, ...]:
    """The panel (pool indexes, ascending) with ``counts[t]`` members of each profile ``t``."""
    panel: list[int] = []
    for t, count in enumerate(counts):
        if count:
            panel.extend(stream.sample(list(profiles.members[t]), int(count)))
    return tuple(sorted(panel))


def draw_panel(distribution: Distribution, seed: str | bytes) -> tuple[int, ...]:
    """The panel the seed draws from the lottery (the same on every machine)."""
    stream = Stream(seed)
    u = stream.uniform()
    chosen = len(distribution.weights) - 1
    running = 0.0
    for j, weight in enumerate(distribution.weights):
        running += weight
        if u < running:
            chosen = j
            break
    while distribution.weights[chosen] <= 0:  # rounding left u past the end: the last panel that can occur
        chosen -= 1
    return members_of(distribution.profiles, distribution.compositions[chosen], stream)


def lottery_from_json(data: dict[str, Any]) -> Distribution:
    """The lottery of a published result (``profiles`` and ``lottery`` of :meth:`Selection.as_dict`).

    Raises :class:`InputError` when it is not one.
    """
    try:
        members = tuple(tuple(int(i) for i in p["members"]) for p in data["profiles"])
        features = tuple(tuple(str(f) for f in p["features"]) for p in data["profiles"])
        lottery = [(tuple(int(c) for c in e["counts"]), float(e["probability"])) for e in data["lottery"]]
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(f"not a LEXIMIN result with its lottery ({exc!s})") from None
    people = sum(len(m) for m in members)
    of_person = [-1] * people
    for t, m in enumerate(members):
        for i in m:
            if not 0 <= i < people or of_person[i] != -1:
                raise InputError(f"person {i} is outside the pool of {people} or in two profiles")
            of_person[i] = t
    if not lottery or any(len(c) != len(members) or any(x < 0 or x > len(members[t]) for t, x in enumerate(c))
                          for c, _ in lottery):
        raise InputError("the lottery's compositions do not match its profiles")
    if any(not 0 <= w <= 1 for _, w in lottery) or abs(sum(w for _, w in lottery) - 1) > 1e-6:
        raise InputError("the lottery's probabilities are not a distribution")
    profiles = Profiles(features, members, tuple(of_person), np.zeros((0, len(members))))
    return Distribution(profiles, tuple(c for c, _ in lottery), tuple(w for _, w in lottery))


@dataclass(frozen=True)
class Selection:
    """The outcome of :func:`select`."""

    method: str
    probabilities: tuple[float, ...]
    """Each person's selection probability, in pool order (LEGACY: estimated)."""
    panel: tuple[int, ...]
    """The drawn panel, as pool indexes (0 is the first person after the header)."""
    seed: str
    seconds: float
    distribution: Distribution | None = None
    """LEXIMIN's lottery over compositions (None for LEGACY)."""
    runs: int = 0
    """LEGACY: how many draws the probabilities average."""
    profiles: Profiles | None = field(default=None, repr=False)

    @property
    def minimum_probability(self) -> float:
        return min(self.probabilities)

    def as_dict(self, *, lottery: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "method": self.method,
            "probabilities": list(self.probabilities),
            "minimum_probability": self.minimum_probability,
            "panel": list(self.panel),
            "seed": self.seed,
            "seconds": self.seconds,
        }
        if self.method == "legacy":
            out["runs"] = self.runs
        if lottery and self.distribution is not None:
            d = self.distribution
            out["profiles"] = [{"features": list(f), "members": list(m)}
                               for f, m in zip(d.profiles.features, d.profiles.members, strict=True)]
            out["lottery"] = [{"probability": w, "counts": list(c)}
                              for c, w in zip(d.compositions, d.weights, strict=True)]
        return out


def select(instance: Instance, *, method: str = "leximin", seed: str | bytes | None = None,
           progress: Progress | None = None, runs: int = LEGACY_RUNS) -> Selection:
    """Compute the method's probabilities and draw one panel from ``seed`` (a fresh one if None).

    The seed is text (bytes must be UTF-8, and are the same seed as their text); see
    :mod:`parsoc.lot.seed` for where it comes from.
    """
    if method not in METHODS:
        raise InputError(f"method {method!r} is not one of {', '.join(METHODS)}")
    started = time.perf_counter()
    if seed is None:
        seed = new_seed()
    if isinstance(seed, bytes):  # the published seed is text: the same stream as these bytes
        try:
            seed = seed.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError("a seed given as bytes must be UTF-8 text (publish it as text, e.g. hex digits)") from None
    shown_seed = seed
    Stream(seed)  # checks the seed before the work
    if method == "leximin":
        distribution = leximin(instance, progress=progress)
        panel = draw_panel(distribution, seed)
        probabilities = tuple(distribution.probabilities())
        return Selection(method, probabilities, panel, shown_seed, time.perf_counter() - started, distribution,
                         profiles=distribution.profiles)
    if not 1 <= runs <= 1_000_000:
        raise InputError(f"runs {runs} must be between 1 and 1000000")
    profiles = check_feasible(instance)
    stream = Stream(seed)
    panel = members_of(profiles, legacy.legacy_counts(instance, profiles, stream), stream)
    estimate_stream = Stream(b"legacy-estimate\0" + seed.encode("utf-8"))
    total = np.zeros(len(profiles))
    step = max(1, runs // 100)
    for run in range(runs):
        total += legacy.legacy_counts(instance, profiles, estimate_stream)
        if progress is not None and (run + 1) % step == 0:
            progress((run + 1) / runs, f"LEGACY: {run + 1} of {runs} draws")
    by_profile = total / runs / profiles.sizes
    probabilities = tuple(float(by_profile[t]) for t in profiles.of_person)
    return Selection(method, probabilities, panel, shown_seed, time.perf_counter() - started, None, runs, profiles)
