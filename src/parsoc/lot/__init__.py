"""Selection by lot: panels drawn from a pool under quotas, fairly and verifiably.

* :mod:`parsoc.lot.instance` — the pool, the quotas (``category,feature,min,max``) and the files;
* :mod:`parsoc.lot.panels` — profiles, the integer program of valid panels, and the feasibility
  check that names the quota in the way;
* :mod:`parsoc.lot.leximin` — LEXIMIN (Flanigan et al., Nature 2021) by column generation with HiGHS;
* :mod:`parsoc.lot.legacy` — the older greedy algorithm, for comparison;
* :mod:`parsoc.lot.seed` — seeds (published in advance, or by commit-reveal) and the SHA-256 stream;
* :mod:`parsoc.lot.draw` — :func:`select` and the replayable :func:`draw_panel`.

See docs/lot.md.
"""

from parsoc.lot.draw import METHODS, Selection, draw_panel, select
from parsoc.lot.instance import Instance, Pool, Quota, make_instance, read_instance
from parsoc.lot.leximin import Distribution, leximin
from parsoc.lot.panels import check_feasible, meets_quotas
from parsoc.lot.seed import Stream, commitment, seed_from_reveals

__all__ = [
    "METHODS", "Distribution", "Instance", "Pool", "Quota", "Selection", "Stream", "check_feasible", "commitment",
    "draw_panel", "leximin", "make_instance", "meets_quotas", "read_instance", "seed_from_reveals", "select",
]
