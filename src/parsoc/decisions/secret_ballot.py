"""Secret ballots: one ballot per eligible voter, no link from a ballot to its voter, and a
receipt for each voter to check that their ballot was counted.

The scheme (the threat model, with what it does NOT protect against, is in docs/decisions.md):

1. **Issue** (the voter is signed in). The voter's name goes on the *voter roll* of the round
   — once: a second issue is refused — and they receive a one-time *ballot token*::

       token = nonce "." tag,   tag = HMAC-SHA256(key, decision | round | weight | nonce)

   ``nonce`` is 16 random bytes. The token is handed to the voter and **not stored**: nothing
   written at this step knows the nonce. ``key`` is the decision's ballot key, derived from a
   server secret that is not in the database.
2. **Cast** (anonymous: the request carries the token, not the voter). The tag is checked, so
   only tokens that were issued can vote; the ballot is stored under a fresh random id with the
   SHA-256 digest of the token and the stance — no voter, no time, no sequence number. Casting
   again with the same token replaces the stance (every version is kept in the ballot), so a
   voter may change their stance until close. The number of ballots can never exceed the
   number of names on the roll, and :func:`audit` checks it.
3. **Receipt**. The token is the voter's receipt. After close the *bulletin* — every ballot's
   token digest and stance, sorted by digest — is published; :func:`check_receipt` finds the
   voter's ballot in it by hashing their receipt.

The roll row and the ballot row share nothing: not a key, not a timestamp, not an order the
ballot store keeps (ballots are held by random id). Weighted say travels inside the token
(``weight``), so a ballot carries its weight without naming its voter; that reveals the
voter's affected group, nothing more.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from parsoc.decisions.say import weight as parse_weight
from parsoc.decisions.stances import NEEDS_REASON, StanceKind
from parsoc.errors import InputError


def ballot_key(server_secret: bytes, decision: str) -> bytes:
    """The decision's ballot key, derived from a server secret kept outside the database."""
    return hmac.new(server_secret, f"parsoc-ballot-key|{decision}".encode(), hashlib.sha256).digest()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _tag(key: bytes, decision: str, round: int, weight: Fraction, nonce: str) -> str:
    message = f"{decision}|{round}|{weight}|{nonce}".encode()
    return _b64(hmac.new(key, message, hashlib.sha256).digest()[:16])


def digest(token: str) -> str:
    """The public digest of a token (what the bulletin shows)."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue(
    key: bytes,
    decision: str,
    round: int,
    roll: Collection[str],
    member: str,
    eligible: Collection[str],
    weight: Fraction = Fraction(1),
) -> tuple[frozenset[str], str]:
    """Put ``member`` on the roll of ``round`` and mint their one-time ballot token.

    Returns the new roll and the token. Refused when the member is not eligible or already has
    a ballot in this round. The token is the voter's receipt; the caller must not store it.
    """
    if member not in eligible:
        raise InputError(f"secret ballot: {member!r} is not eligible on decision {decision}")
    if member in roll:
        raise InputError(f"secret ballot: {member} already has a ballot in round {round + 1}")
    w = parse_weight(weight, where="secret ballot weight")
    nonce = _b64(secrets.token_bytes(16))
    token = f"{nonce}.{w}.{_tag(key, decision, round, w, nonce)}"
    return frozenset(roll) | {member}, token


def read_token(key: bytes, decision: str, round: int, token: str) -> Fraction:
    """The weight inside a genuine token of this decision and round; InputError otherwise."""
    parts = token.strip().split(".")
    if len(parts) != 3:
        raise InputError("secret ballot: this is not a ballot token")
    nonce, w_text, tag = parts
    try:
        w = parse_weight(w_text, where="ballot token")
    except InputError:
        raise InputError("secret ballot: this is not a ballot token") from None
    if not hmac.compare_digest(tag, _tag(key, decision, round, w, nonce)):
        raise InputError("secret ballot: this token was not issued for this decision and round")
    return w


@dataclass(frozen=True)
class SecretBallot:
    """One anonymous ballot: random id, token digest, weight, and every stance version."""

    ballot_id: str
    receipt: str
    weight: Fraction
    versions: tuple[tuple[StanceKind, str], ...]

    @property
    def kind(self) -> StanceKind:
        return self.versions[-1][0]

    @property
    def reason(self) -> str:
        return self.versions[-1][1]


def cast(
    key: bytes,
    decision: str,
    round: int,
    ballots: Mapping[str, SecretBallot],
    roll_size: int,
    token: str,
    kind: StanceKind,
    reason: str = "",
) -> tuple[dict[str, SecretBallot], str]:
    """Cast (or change) the ballot of ``token``. Returns the new box (receipt digest → ballot)
    and the receipt digest. ``ballots`` is the box of this decision and round."""
    if kind in NEEDS_REASON and not reason.strip():
        raise InputError(f"secret ballot: a {kind.value} needs a reason")
    d, w = admit(key, decision, round, ballots, roll_size, token)
    box = dict(ballots)
    if d in box:
        old = box[d]
        box[d] = SecretBallot(old.ballot_id, d, w, old.versions + ((kind, reason),))
    else:
        box[d] = SecretBallot(secrets.token_hex(16), d, w, ((kind, reason),))
    return box, d


def admit(
    key: bytes, decision: str, round: int, receipts: Collection[str], roll_size: int, token: str
) -> tuple[str, Fraction]:
    """The receipt digest and weight of a genuine ``token`` that may cast (or change) a ballot
    in a box already holding ``receipts``: refused when the tag is wrong, or when it would be a
    new ballot and the box already holds one for every name on the roll. Polls use it directly
    (their ballots are not stances)."""
    w = read_token(key, decision, round, token)
    d = digest(token)
    if d not in receipts and len(receipts) >= roll_size:
        raise InputError("secret ballot: every ballot on the roll has been cast")
    return d, w


def bulletin(ballots: Mapping[str, SecretBallot]) -> list[dict[str, Any]]:
    """The published ballots, sorted by receipt digest: digest, weight, final stance, reason."""
    return [
        {"receipt": b.receipt, "weight": str(b.weight), "kind": b.kind.value, "reason": b.reason}
        for b in sorted(ballots.values(), key=lambda b: b.receipt)
    ]


def check_receipt(board: list[dict[str, Any]], receipt: str) -> dict[str, Any] | None:
    """The bulletin entry of the voter holding ``receipt`` (their token), or None if absent."""
    d = digest(receipt.strip())
    return next((entry for entry in board if entry["receipt"] == d), None)


def audit(roll: Collection[str], board: list[dict[str, Any]], eligible: Collection[str]) -> list[str]:
    """Problems with a closed ballot box: a roll name not eligible, more ballots than names on
    the roll, a receipt twice. Empty when all is well."""
    problems = [f"{m!r} is on the roll but not eligible" for m in sorted(set(roll) - set(eligible))]
    if len(board) > len(set(roll)):
        problems.append(f"{len(board)} ballots for {len(set(roll))} names on the roll")
    receipts = [b["receipt"] for b in board]
    if len(set(receipts)) != len(receipts):
        problems.append("a receipt appears twice")
    return problems
