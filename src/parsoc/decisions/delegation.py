"""Delegated (proxy) votes: who votes for whom.

A member (the *delegator*) may hand their vote to another member (the *delegate*), either on
one decision or on all decisions of a council, and take it back at any time before close.

Rules:

- A delegation on one decision overrides the delegator's council-wide delegation for that
  decision.
- Delegating to yourself is refused; so is a delegation that would close a loop
  (A → B → ... → A), or make a chain longer than the council allows (``max_chain`` hops:
  1 means a delegate cannot pass on the votes handed to them).
- A member who casts a stance themselves is never represented: their own stance counts,
  whatever their delegation says.
- A member who has not cast a stance is represented by the first member along their chain of
  delegates who has, within ``max_chain`` hops. Their stance counts for the delegator, with the
  *delegator's* weight. A chain that ends without a stance, leaves the eligible members, runs
  past ``max_chain`` or meets itself gives no vote (the reason is reported).
- On non-secret decisions the resolution, with the path each vote took, is shown openly.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from parsoc.errors import InputError

T = TypeVar("T")


@dataclass(frozen=True)
class Delegation:
    """``delegator`` hands their vote to ``delegate`` on ``decision`` (None: on all decisions
    of the council)."""

    delegator: str
    delegate: str
    decision: str | None = None

    def __post_init__(self) -> None:
        if not self.delegator or not self.delegate:
            raise InputError("delegation: both the delegator and the delegate are needed")
        if self.delegator == self.delegate:
            raise InputError(f"delegation of {self.delegator}: you cannot delegate to yourself")


def effective(delegations: Iterable[Delegation], decision: str | None) -> dict[str, str]:
    """Delegator → delegate in force on ``decision`` (one-decision delegations override
    council-wide ones). With ``decision`` None: the council-wide delegations only."""
    general: dict[str, str] = {}
    specific: dict[str, str] = {}
    for d in delegations:
        if d.decision is None:
            general[d.delegator] = d.delegate
        elif d.decision == decision:
            specific[d.delegator] = d.delegate
    return {**general, **specific}


def _check_graph(graph: Mapping[str, str], max_chain: int, scope: str, first: str) -> None:
    """Refuse a loop or a chain of more than ``max_chain`` hops in a functional graph (a loop
    is shown from ``first``, the new delegator)."""
    depth: dict[str, int] = {}  # longest chain of hops ending at a member
    for start in sorted(graph, key=lambda m: m != first):
        path = [start]
        while path[-1] in graph:
            nxt = graph[path[-1]]
            if nxt in path:
                loop = " → ".join(path[path.index(nxt):] + [nxt])
                raise InputError(f"delegation {scope}: this would make a loop ({loop})")
            path.append(nxt)
        for hops, member in enumerate(path):
            depth[member] = max(depth.get(member, 0), hops)
    longest = max(depth.values(), default=0)
    if longest > max_chain:
        raise InputError(
            f"delegation {scope}: this would make a chain of {longest} hops; "
            f"the council allows {max_chain}"
        )


def delegate(
    delegations: Iterable[Delegation],
    new: Delegation,
    *,
    members: Collection[str],
    max_chain: int = 1,
) -> tuple[Delegation, ...]:
    """The delegations with ``new`` in force (it replaces the delegator's earlier delegation of
    the same scope). Refused when either side is not a member, or on a loop or an overlong
    chain in any decision it would affect."""
    if max_chain < 1:
        raise InputError("delegation: this council does not allow delegated votes")
    for who in (new.delegator, new.delegate):
        if who not in members:
            raise InputError(f"delegation: {who!r} is not a member of this council")
    kept = tuple(
        d for d in delegations if not (d.delegator == new.delegator and d.decision == new.decision)
    )
    result = kept + (new,)
    # A council-wide delegation reaches every decision without its own delegation of the
    # delegator, so check the council-wide graph and each decision that has its own ones.
    scopes = {new.decision} if new.decision is not None else {None} | {
        d.decision for d in result if d.decision is not None
    }
    for scope in sorted(scopes, key=lambda s: (s is not None, s or "")):
        label = "on all decisions" if scope is None else f"on decision {scope}"
        _check_graph(effective(result, scope), max_chain, label, new.delegator)
    return result


def revoke(
    delegations: Iterable[Delegation], delegator: str, decision: str | None = None
) -> tuple[Delegation, ...]:
    """The delegations without ``delegator``'s delegation of that scope (refused when there is
    none to take back)."""
    before = tuple(delegations)
    after = tuple(d for d in before if not (d.delegator == delegator and d.decision == decision))
    if len(after) == len(before):
        scope = "all decisions" if decision is None else f"decision {decision}"
        raise InputError(f"delegation: {delegator} has no delegation on {scope} to take back")
    return after


@dataclass(frozen=True)
class Resolution(Generic[T]):
    """Whose stance counts for each member, and the path it took (``(m,)`` when m cast it)."""

    votes: dict[str, T]
    via: dict[str, tuple[str, ...]]
    unresolved: dict[str, str]

    def delegated(self) -> dict[str, tuple[str, ...]]:
        """Only the members represented by someone else, with the path of their vote."""
        return {m: p for m, p in self.via.items() if len(p) > 1}


def resolve(
    direct: Mapping[str, T],
    delegations: Iterable[Delegation],
    decision: str | None,
    members: Collection[str],
    max_chain: int = 1,
) -> Resolution[T]:
    """Each eligible member's vote on ``decision`` given who voted themselves (``direct``) and
    the delegations (rules in the module docstring)."""
    graph = effective(delegations, decision)
    eligible = set(members)
    votes: dict[str, T] = {}
    via: dict[str, tuple[str, ...]] = {}
    unresolved: dict[str, str] = {}
    for member in sorted(eligible):
        path = [member]
        why = ""
        while path[-1] not in direct:
            nxt = graph.get(path[-1])
            if nxt is None:
                why = "no stance" if len(path) == 1 else f"{path[-1]} cast no stance"
                break
            if nxt in path:
                why = "delegation loop"
                break
            if nxt not in eligible:
                why = f"{nxt} is not eligible on this decision"
                break
            if len(path) > max_chain:
                why = f"chain longer than {max_chain} hops"
                break
            path.append(nxt)
        if why:
            if len(path) > 1 or why != "no stance":
                unresolved[member] = why
            continue
        votes[member] = direct[path[-1]]
        via[member] = tuple(path)
    return Resolution(votes, via, unresolved)
