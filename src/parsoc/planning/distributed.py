"""The same procedure with the councils spread over a Ray cluster.

The consumer and worker councils are split into ``workers`` contiguous parts; each part lives
in one long-lived Ray actor (running :class:`_Worker`; the actors outlive rounds and years,
and year two's changed councils are loaded into the same actors) that builds its
:class:`~parsoc.planning.councils.CouncilBlock` once and then, every round, receives only the
price vector and sends back only its part's supply and demand totals (two vectors of one
number per commodity). The facilitation board stays in the driver and sums the parts in a
fixed order, so the prices agree with a single-process run to rounding (far below 1e-12).

Pointing it at a real cluster: start Ray on the machines (``ray start --head`` on one,
``ray start --address=HEAD:6379`` on the others, each with ``parsoc`` installed in the same
environment), then run ``parsoc plan run ECONOMY --ray auto --workers N`` on a cluster machine,
or ``--ray ray://HEAD:10001`` from outside it (Ray Client). ``--ray local`` starts a private
Ray instance on this machine (no dashboard) and stops it afterwards.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np

from parsoc.planning.councils import CouncilBlock, Proposals
from parsoc.planning.economy import Economy


def partition(n: int, parts: int) -> list[slice]:
    """``parts`` contiguous, nearly equal slices of ``range(n)``."""
    bounds = np.linspace(0, n, parts + 1).round().astype(int)
    return [slice(int(a), int(b)) for a, b in pairwise(bounds)]


class _Worker:
    """What each actor runs: one part of the councils, answering prices round after round."""

    def __init__(self):
        self.block = None

    def load(self, part: Economy, with_endowment: bool) -> int:
        """Take over a part of the councils (a new economy, or year two's changed one)."""
        self.block = CouncilBlock.of(part, with_endowment=with_endowment)
        return part.n_wcs

    def answer(self, prices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        proposals = self.block.answer(prices)
        return proposals.supply, proposals.demand


class RayCouncils:
    """Councils on Ray actors; ``answer_for(economy)`` gives the procedure its ``answer``."""

    def __init__(self, workers: int = 2, address: str | None = None, num_cpus: int | None = None):
        from parsoc.errors import InputError
        from parsoc.optional import require

        ray = require("ray")

        if workers < 1:
            raise InputError(f"--workers must be at least 1, got {workers}")
        self.workers = workers
        self._started = False
        if not ray.is_initialized():
            if address is None:
                ray.init(num_cpus=num_cpus, include_dashboard=False, log_to_driver=False, configure_logging=False)
            else:
                ray.init(address=address, log_to_driver=False, configure_logging=False)
            self._started = True
        self._remote = ray.remote(_Worker)
        self._actors: list = []

    def _stop_actors(self) -> None:
        import ray

        for actor in self._actors:
            ray.kill(actor)
        self._actors = []

    def answer_for(self, economy: Economy):
        """Place the councils of ``economy`` on the actors (started on first use, kept for
        later economies and years); return the round's answer."""
        import ray

        if not self._actors:
            self._actors = [self._remote.remote() for _ in range(self.workers)]
        cc_parts = partition(economy.n_ccs, self.workers)
        wc_parts = partition(economy.n_wcs, self.workers)
        ray.get([
            actor.load.remote(economy.part(ccs, wcs, with_endowment=(i == 0)), i == 0)
            for i, (actor, ccs, wcs) in enumerate(zip(self._actors, cc_parts, wc_parts, strict=False))
        ])
        actors = list(self._actors)

        def answer(prices: np.ndarray) -> Proposals:
            ref = ray.put(np.asarray(prices))
            parts = ray.get([actor.answer.remote(ref) for actor in actors])
            supply = np.zeros_like(prices)
            demand = np.zeros_like(prices)
            for part_supply, part_demand in parts:  # a loop over workers, in a fixed order
                supply += part_supply
                demand += part_demand
            return Proposals(supply=supply, demand=demand)

        return answer

    def close(self) -> None:
        import ray

        self._stop_actors()
        if self._started:
            ray.shutdown()

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
