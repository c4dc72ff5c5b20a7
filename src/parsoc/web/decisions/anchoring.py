"""Anchoring a council's record at every close (see :mod:`parsoc.decisions.anchors`).

When a decision or a poll closes — by a facilitator, by ``parsoc decide tick``, by the API —
:func:`publish_head`, called in the closing transaction under the council's lock:

- writes a ``witness`` event naming the council and its head into the parent council's record
  (under the parent's lock: locks are always taken child first, parent second, so two closes
  cannot wait on each other);
- posts an announcement in the council saying which decision closed, its outcome and the head;
  it reaches members in their inbox, and by email once the transaction has committed.

The council's page and its decisions index show the current head (:func:`record_head`).
"""

from __future__ import annotations

from parsoc.decisions.anchors import WITNESS, witness_data
from parsoc.decisions.record import Head
from parsoc.web.councils.models import Announcement, Council
from parsoc.web.councils.services import announce_on_behalf_of_council
from parsoc.web.decisions.services import _append, _council_key, _head, _lock


def record_head(user, council: Council) -> Head | None:
    """The end of the council's chain, for people who may read its record (None otherwise, or
    when nothing has been recorded yet)."""
    if not user.has_perm("decisions.view", council):
        return None
    return _head(council)


def _one_line(text: str) -> str:
    return " ".join((text or "").split())


def publish_head(council: Council, *, closed: str, what: str, title: str, outcome: str) -> Head | None:
    """Anchor the council's head after ``closed`` closed (the caller holds the council's lock,
    inside the closing transaction). ``what``: "Decision" or "Poll"."""
    head = _head(council)
    parent = None
    if council.parent_id is not None:
        parent = _lock(Council(pk=council.parent_id))
        _append(parent, None, WITNESS, witness_data(_council_key(council), head, closed))
    announce_head(council, head, parent, what=what, title=title, outcome=outcome)
    return head


def announce_head(council: Council, head: Head | None, parent: Council | None, *, what: str, title: str,
                  outcome: str) -> Announcement:
    """The announcement of a close with the record's head; its email goes out after commit."""
    seq, hash_ = (0, "0" * 64) if head is None else head
    subject = _one_line(f"{what} closed: {title} — {outcome}")[:200]
    witness = (f"\nThe same head is written into the record of {parent.name}, the parent council.\n"
               if parent is not None else "")
    body = (f"{what} “{_one_line(title)}” closed: {outcome}.\n\n"
            f"The council's decision record now ends at event {seq}, with head\n{hash_}\n\n"
            "Keep this head. Anyone can check an export of the record against it:\n"
            f"parsoc decide verify {council.slug}-decisions.json --head {hash_}\n{witness}")
    return announce_on_behalf_of_council(council, subject, body)
