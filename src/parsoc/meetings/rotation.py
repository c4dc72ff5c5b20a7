"""Fair role rotation: who should take each role at the next meeting.

The roles of a meeting (facilitator, stack keeper, note taker, timekeeper, vibes watcher) are
suggested so that each goes to someone who has held *that role* least. Definition:

each role gets a distinct candidate, and the assignment minimises, lexicographically,

1. the total number of times the chosen people have already held the role they get;
2. then the total number of roles of any kind they have held;
3. then the total recency (how many meetings ago they last held that role: longer ago first;
   never counts as longest ago);
4. then the candidates' order as given (a deterministic tie-break).

It is solved exactly as an assignment problem (``scipy.optimize.linear_sum_assignment``) on a
cost that encodes the four levels. With fewer candidates than roles, the roles listed last
stay open (``None``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence

import numpy as np

from parsoc.errors import InputError
from parsoc.vocabulary import Vocabulary, _


class MeetingRole(Vocabulary):
    """The roles of a meeting, in the order they are suggested."""

    FACILITATOR = "facilitator", _("Facilitator")
    STACK_KEEPER = "stack keeper", _("Stack keeper")
    NOTE_TAKER = "note taker", _("Note taker")
    TIMEKEEPER = "timekeeper", _("Timekeeper")
    VIBES_WATCHER = "vibes watcher", _("Vibes watcher")


ROLES = MeetingRole.values()


def suggest_roles(
    roles: Sequence[str],
    candidates: Sequence[Hashable],
    history: Sequence[Sequence[tuple[Hashable, str]]],
) -> dict[str, Hashable | None]:
    """Suggest a holder for each of ``roles`` among ``candidates``.

    ``history`` is the past meetings, oldest first, each a list of ``(person, role)``.
    """
    from scipy.optimize import linear_sum_assignment

    if len(set(roles)) != len(roles):
        raise InputError("a role is listed twice")
    if len(set(candidates)) != len(candidates):
        raise InputError("a candidate is listed twice")
    result: dict[str, Hashable | None] = dict.fromkeys(roles)
    if not roles or not candidates:
        return result
    held: Counter[tuple[Hashable, str]] = Counter()
    total: Counter[Hashable] = Counter()
    last: dict[tuple[Hashable, str], int] = {}
    for when, meeting in enumerate(history):
        for person, role in meeting:
            held[person, role] += 1
            total[person] += 1
            last[person, role] = when
    # With fewer candidates than roles, the roles listed last stay open.
    roles_filled = list(roles[: len(candidates)])
    shape = (len(candidates), len(roles_filled))
    held_level = np.zeros(shape, dtype=np.int64)
    total_level = np.zeros(shape, dtype=np.int64)
    recency_level = np.zeros(shape, dtype=np.int64)
    order_level = np.zeros(shape, dtype=np.int64)
    for i, person in enumerate(candidates):
        for j, role in enumerate(roles_filled):
            held_level[i, j] = held[person, role]
            total_level[i, j] = total[person]
            # 0 = never held (best), else more recent = larger
            recency_level[i, j] = last[person, role] + 1 if (person, role) in last else 0
            order_level[i, j] = i
    cost = _lexicographic(
        [held_level, total_level, recency_level, order_level], assignments=min(shape)
    )
    rows, cols = linear_sum_assignment(cost)
    for i, j in zip(rows, cols, strict=True):
        result[roles_filled[j]] = candidates[i]
    return result


def role_counts(
    history: Sequence[Sequence[tuple[Hashable, str]]],
) -> dict[Hashable, dict[str, int]]:
    """How often each person has held each role: ``{person: {role: count}}``."""
    counts: dict[Hashable, dict[str, int]] = {}
    for meeting in history:
        for person, role in meeting:
            counts.setdefault(person, {}).setdefault(role, 0)
            counts[person][role] += 1
    return counts


def _lexicographic(levels: Sequence[np.ndarray], assignments: int) -> np.ndarray:
    """One cost matrix whose minimal assignment minimises ``levels`` lexicographically.

    Each level is scaled above the largest sum the lower levels can reach over
    ``assignments`` cells, so no gain below can pay for a loss above.
    """
    cost = np.zeros(levels[-1].shape, dtype=np.int64)
    scale = 1
    for level in reversed(levels):
        cost = cost + level * scale
        scale *= int(level.max(initial=0)) * assignments + 1
    if scale >= 2**52:  # the solver works in float64: keep every sum exact
        raise InputError("too long a history to weigh exactly; pass the recent meetings only")
    return cost
