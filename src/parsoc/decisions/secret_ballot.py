"""Secret ballots: one ballot per eligible voter, no link from a ballot to its voter, and a
receipt for each voter to check that their ballot was counted.

The scheme (the threat model, with what it does NOT protect against, is in docs/decisions.md):

1. **Issue** (the voter is signed in). The voter's name goes on the *voter roll* of the round
   — once: a second issue is refused — and they receive a one-time *ballot token*::

       token = nonce "." weight "." tag,   tag = HMAC-SHA256(key, decision | round | weight | nonce)

   ``nonce`` is 16 random bytes. The token is handed to the voter and **not stored**: nothing
   written at this step knows the nonce. ``key`` is the decision's ballot key, derived from a
   server secret that is not in the database.
2. **Cast** (anonymous: the request carries the token, not the voter). A token has exactly
   one accepted spelling (:data:`TOKEN`: 22 base64url characters, a dot, the weight written as
   :class:`~fractions.Fraction` writes it — ``1``, ``3/2``, at most 16 characters —, a dot, 22
   base64url characters; ASCII, no spaces, nothing else). Any other text is refused by
   :func:`parse_token` before anything is hashed or any number is read, so a token cannot be
   respelled into a second ballot. Then the tag is checked, so only tokens that were issued can
   vote; the ballot is stored under a fresh random id with the token's *receipt digest* and the
   stance — no voter, no time, no sequence number. Casting again with the same token replaces
   the stance (every version is kept in the ballot), so a voter may change their stance until
   close. The number of ballots can never exceed the number of names on the roll, and
   :func:`audit` checks it.
3. **Receipt**. The token is the voter's receipt. Its digest (:func:`digest`) is
   ``SHA-256("parsoc-ballot-receipt|" + nonce)``: a function of the nonce alone, so every text
   that names the same token — however it is spelled — has the same digest, and a ballot box
   holding one token twice shows the same digest twice, which :func:`audit` (and so
   ``parsoc decide verify``) refuses. After close the *bulletin* — every ballot's digest and
   stance, sorted by digest — is published; :func:`check_receipt` finds the voter's ballot in
   it by hashing their receipt. (Ballots cast before this digest was introduced carry
   ``SHA-256(token)``; :func:`admit` and :func:`check_receipt` still find them.)

The roll row and the ballot row share nothing: not a key, not a timestamp, not an order the
ballot store keeps (ballots are held by random id). Weighted say travels inside the token
(``weight``), so a ballot carries its weight without naming its voter; that reveals the
voter's affected group, nothing more.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
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


NONCE_CHARS = 22  # 16 random bytes, base64url without padding
TAG_CHARS = 22  # 128 bits of HMAC-SHA256
WEIGHT_CHARS = 16  # the longest weight a token carries, as written ("3/2"); Ballot.weight holds it
MAX_TOKEN = NONCE_CHARS + 1 + WEIGHT_CHARS + 1 + TAG_CHARS
# 16 bytes in unpadded base64url: 21 characters, then one that carries 2 bits and 4 zero bits
# (so each 16 bytes have exactly one spelling)
_B64_16 = r"[A-Za-z0-9_-]{21}[AQgw]"
_WEIGHT = r"(?:0|[1-9][0-9]*)(?:/[1-9][0-9]*)?"
TOKEN = re.compile(rf"(?P<nonce>{_B64_16})\.(?P<weight>{_WEIGHT})\.(?P<tag>{_B64_16})", re.ASCII)
"""The one accepted spelling of a ballot token (matched whole; the weight also in lowest terms)."""
MAX_CHANGES = 50
"""How many times one ballot may be cast or changed: every cast rewrites the whole box, and a
ballot keeps every version, so a token changed without end would slow every voter's cast.
(Open poll ballots are bounded the same way: each change is an event in the record.)"""
RECEIPT = re.compile(r"[0-9a-f]{64}", re.ASCII)
"""The one spelling of a receipt digest in a bulletin: 64 lowercase hexadecimal digits."""


@dataclass(frozen=True)
class Token:
    """A ballot token in its one accepted spelling, split into its parts."""

    nonce: str
    weight: Fraction
    tag: str

    @property
    def text(self) -> str:
        return f"{self.nonce}.{self.weight}.{self.tag}"


def weight_text(w: Fraction) -> str:
    """The weight as a token (and a bulletin) writes it; refused when it would not fit."""
    text = str(w)
    if len(text) > WEIGHT_CHARS:
        raise InputError(
            f"secret ballot weight: {text[:40]} is too long for a ballot token "
            f"(at most {WEIGHT_CHARS} characters, such as 3/2)"
        )
    return text


def _canonical_weight(text: str) -> Fraction | None:
    """The weight of a weight text in its one spelling (``0``, ``3``, ``3/2``), else None.
    The length is checked before any digit is read."""
    if not isinstance(text, str) or len(text) > WEIGHT_CHARS or not re.fullmatch(_WEIGHT, text, re.ASCII):
        return None
    numerator, _, denominator = text.partition("/")
    w = Fraction(int(numerator), int(denominator or 1))
    return w if str(w) == text else None


def parse_token(text: object) -> Token:
    """The parts of a ballot token written in its one accepted spelling (:data:`TOKEN`);
    InputError for anything else — surrounding spaces, other case, ``1/1`` or ``1.0`` for
    ``1``, padding, look-alike characters, extra parts. Nothing is hashed and no number is read
    before the length and the shape are checked, so this costs the same for any input."""
    if not isinstance(text, str) or len(text) > MAX_TOKEN:
        raise InputError("secret ballot: this is not a ballot token")
    match = TOKEN.fullmatch(text)
    w = _canonical_weight(match["weight"]) if match else None
    if match is None or w is None:
        if text.count(".") == 2:
            raise InputError("secret ballot: this token was not issued for this decision and round "
                             "(give it exactly as it was shown, without spaces or changes)")
        raise InputError("secret ballot: this is not a ballot token")
    return Token(match["nonce"], w, match["tag"])


def digest(token: str) -> str:
    """The receipt digest of a token (what the bulletin shows): SHA-256 of its nonce, so it is
    the same for every text naming that token. InputError when ``token`` is not a token."""
    nonce = parse_token(token).nonce
    return hashlib.sha256(f"parsoc-ballot-receipt|{nonce}".encode()).hexdigest()


def legacy_digest(token: str) -> str:
    """The digest ballots carried before :func:`digest` hashed the nonce: SHA-256 of the token
    (of its accepted spelling only). Still looked up, so a ballot cast before the change is
    changed, not doubled, and its receipt still finds it."""
    return hashlib.sha256(parse_token(token).text.encode()).hexdigest()


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
    w_text = weight_text(w)
    nonce = _b64(secrets.token_bytes(16))
    token = f"{nonce}.{w_text}.{_tag(key, decision, round, w, nonce)}"
    return frozenset(roll) | {member}, token


def read_token(key: bytes, decision: str, round: int, token: str) -> Fraction:
    """The weight inside a genuine token of this decision and round; InputError otherwise
    (first for any text that is not a token in its one spelling, see :func:`parse_token`)."""
    t = parse_token(token)
    if not hmac.compare_digest(t.tag, _tag(key, decision, round, t.weight, t.nonce)):
        raise InputError("secret ballot: this token was not issued for this decision and round")
    return t.weight


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
        check_changes(len(old.versions))
        box[d] = SecretBallot(old.ballot_id, d, w, old.versions + ((kind, reason),))
    else:
        box[d] = SecretBallot(secrets.token_hex(16), d, w, ((kind, reason),))
    return box, d


def check_changes(versions: int) -> None:
    """Refuse one more version of a ballot that already has :data:`MAX_CHANGES`."""
    if versions >= MAX_CHANGES:
        raise InputError(f"secret ballot: this ballot has been changed {MAX_CHANGES} times; "
                         "it cannot be changed again")


def admit(
    key: bytes, decision: str, round: int, receipts: Collection[str], roll_size: int, token: str
) -> tuple[str, Fraction]:
    """The receipt digest and weight of a genuine ``token`` that may cast (or change) a ballot
    in a box already holding ``receipts``: refused when the tag is wrong, or when it would be a
    new ballot and the box already holds one for every name on the roll. Polls use it directly
    (their ballots are not stances)."""
    w = read_token(key, decision, round, token)
    d = digest(token)
    if d not in receipts and legacy_digest(token) in receipts:
        d = legacy_digest(token)  # a ballot cast before receipts hashed the nonce
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
    """The bulletin entry of the voter holding ``receipt`` (their token), or None if absent or
    not a token (surrounding spaces are forgiven here: a lookup changes nothing)."""
    text = receipt.strip() if isinstance(receipt, str) and len(receipt) <= 4 * MAX_TOKEN else ""
    try:
        wanted = (digest(text), legacy_digest(text))
    except InputError:
        return None
    return next((entry for d in wanted for entry in board if entry["receipt"] == d), None)


def audit(roll: Collection[str], board: list[dict[str, Any]], eligible: Collection[str]) -> list[str]:
    """Problems with a closed ballot box: a roll name not eligible, more ballots than names on
    the roll, a receipt twice (one token cast twice: a receipt is a function of the token's
    nonce, so every spelling of a token has the same one), a receipt or weight not written in
    its one spelling (64 lowercase hex digits; a weight as a token writes it). Empty when all
    is well."""
    problems = [f"{m!r} is on the roll but not eligible" for m in sorted(set(roll) - set(eligible))]
    if len(board) > len(set(roll)):
        problems.append(f"{len(board)} ballots for {len(set(roll))} names on the roll")
    receipts = [b.get("receipt") if isinstance(b, Mapping) else None for b in board]
    for r in receipts:
        if not isinstance(r, str) or not RECEIPT.fullmatch(r):
            problems.append(f"{str(r)[:80]!r} is not a receipt digest (64 lowercase hex digits)")
    for b in board:
        if isinstance(b, Mapping) and "weight" in b and _canonical_weight(b["weight"]) is None:
            problems.append(f"weight {str(b['weight'])[:40]!r} is not written as a ballot token writes it")
    if len(set(map(str, receipts))) != len(receipts):
        problems.append("a receipt appears twice")
    return problems
