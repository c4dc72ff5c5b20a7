"""Where a council may sit in the tree of councils.

Councils nest to any depth, but the tree must stay a tree: a council can never become its own
ancestor. ``parent_of`` is any mapping from a council's id to its parent's id (or ``None``
at the top), so the same rules serve a database, a test, or an import.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from parsoc.errors import InputError

ParentOf = Callable[[Hashable], Hashable | None]

#: Guard against a corrupt store that already holds a cycle.
MAX_DEPTH = 10_000


def ancestors_of(council: Hashable, parent_of: ParentOf) -> list[Hashable]:
    """The council's parent, grandparent, ... up to the top, nearest first."""
    chain: list[Hashable] = []
    seen = {council}
    current = parent_of(council)
    while current is not None:
        if current in seen or len(chain) >= MAX_DEPTH:
            raise InputError(f"the councils above {council!r} form a cycle", field="parent")
        chain.append(current)
        seen.add(current)
        current = parent_of(current)
    return chain


def depth_of(council: Hashable, parent_of: ParentOf) -> int:
    """0 for a council at the top, 1 for its children, and so on."""
    return len(ancestors_of(council, parent_of))


def check_parent(council: Hashable | None, new_parent: Hashable | None, parent_of: ParentOf) -> None:
    """Refuse a parent that would make ``council`` its own ancestor.

    ``council`` is ``None`` for a council not created yet (any existing parent is fine).
    """
    if new_parent is None or council is None:
        return
    if new_parent == council:
        raise InputError("a council cannot be its own parent", field="parent")
    if council in ancestors_of(new_parent, parent_of):
        raise InputError("that parent is inside this council: a council cannot be its own ancestor", field="parent")
