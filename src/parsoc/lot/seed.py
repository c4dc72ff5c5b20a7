"""Seeds anyone can check, and the random stream every draw is made from.

A draw must replay identically on any machine, in any language, from its published seed, so
it uses no library generator (whose algorithms change between versions) but SHA-256 alone:

* the *key* of a seed (text, or bytes) is ``SHA-256("parsoc-lot-seed\\0" + seed)``, text as UTF-8;
* the stream's ``j``-th 64-bit number (``j = 0, 1, ...``) is the first 8 bytes, big-endian, of
  ``SHA-256(key + j as 8 bytes big-endian)``;
* a number below ``n`` takes the next 64-bit numbers until one is below the largest multiple
  of ``n`` that fits in 64 bits, and returns it modulo ``n`` (no bias);
* a uniform number in ``[0, 1)`` is the next 64-bit number's top 53 bits divided by ``2**53``.

Where the seed comes from:

* **a value published in advance**: a council names, before the draw, a public value that
  nobody can know yet (tomorrow's national lottery numbers, a newspaper's headline) and the
  seed is that text exactly as published;
* **commit-reveal among members**: each participant picks a secret and publishes only
  :func:`commitment` of it; once every commitment is in, each reveals the secret, everyone
  checks it against the commitment, and :func:`seed_from_reveals` combines all the secrets (in
  the order of the participants' names) — the seed is random as long as one participant's
  secret was, and nobody could choose their secret knowing the others'.

The pool, the quotas and the lottery (the panels and their probabilities) are published before
the seed is known; then the seed fixes the panel.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping

from parsoc.errors import InputError

_SEED = b"parsoc-lot-seed\0"
_COMMIT = b"parsoc-lot-commit\0"
_REVEAL = b"parsoc-lot-reveals\0"
MAX_SEED = 1000
"""The longest seed accepted, in characters."""


def _bytes(seed: str | bytes) -> bytes:
    if isinstance(seed, bytes):
        raw = seed
    elif isinstance(seed, str):
        raw = seed.encode("utf-8")
    else:
        raise InputError(f"a seed is text, not {type(seed).__name__}")
    if not raw:
        raise InputError("the seed is empty")
    if len(raw) > 4 * MAX_SEED:
        raise InputError(f"the seed is longer than {MAX_SEED} characters")
    return raw


def new_seed() -> str:
    """A fresh random seed (32 hexadecimal digits) for a draw nobody needs to check in advance."""
    return secrets.token_hex(16)


class Stream:
    """The random numbers a draw uses, fixed by its seed (see the module's description)."""

    def __init__(self, seed: str | bytes):
        self.key = hashlib.sha256(_SEED + _bytes(seed)).digest()
        self.position = 0

    def next64(self) -> int:
        block = hashlib.sha256(self.key + self.position.to_bytes(8, "big")).digest()
        self.position += 1
        return int.from_bytes(block[:8], "big")

    def below(self, n: int) -> int:
        """A whole number from 0 to ``n - 1``, each equally likely."""
        if n < 1:
            raise ValueError("below(n) needs n >= 1")
        limit = (1 << 64) - (1 << 64) % n
        while True:
            value = self.next64()
            if value < limit:
                return value % n

    def uniform(self) -> float:
        """A number in [0, 1) with 53 random bits."""
        return (self.next64() >> 11) / float(1 << 53)

    def sample(self, items: list[int], count: int) -> list[int]:
        """``count`` of ``items`` chosen uniformly (a partial Fisher–Yates shuffle of a copy)."""
        chosen = list(items)
        for i in range(count):
            j = i + self.below(len(chosen) - i)
            chosen[i], chosen[j] = chosen[j], chosen[i]
        return chosen[:count]


def commitment(secret: str) -> str:
    """What a participant publishes first: ``SHA-256("parsoc-lot-commit\\0" + secret)`` in hexadecimal."""
    return hashlib.sha256(_COMMIT + _bytes(secret)).hexdigest()


def seed_from_reveals(commitments: Mapping[str, str], reveals: Mapping[str, str]) -> str:
    """The seed from every participant's revealed secret, each checked against their commitment.

    ``commitments`` and ``reveals`` map each participant's name to their commitment and secret.
    The seed is ``SHA-256`` (hexadecimal) of the names and secrets in the order of the names,
    each as its length and its UTF-8 bytes.
    """
    if not commitments:
        raise InputError("nobody committed to a secret")
    missing = sorted(set(commitments) - set(reveals))
    if missing:
        raise InputError(f"not revealed yet: {', '.join(missing)}")
    extra = sorted(set(reveals) - set(commitments))
    if extra:
        raise InputError(f"revealed without a commitment: {', '.join(extra)}")
    digest = hashlib.sha256(_REVEAL)
    for name in sorted(commitments):
        if not hmac.compare_digest(commitment(reveals[name]), commitments[name].strip().lower()):
            raise InputError(f"{name}'s revealed secret does not match their commitment")
        for part in (name.encode("utf-8"), reveals[name].encode("utf-8")):
            digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()
