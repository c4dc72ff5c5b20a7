"""Reader for PrefLib ordinal files: ``.soc``, ``.soi``, ``.toc`` and ``.toi`` (PrefLib 2022 format).

Header lines start with ``#`` (``# NUMBER ALTERNATIVES: 4``, ``# ALTERNATIVE NAME 1: ...``);
each data line is ``count: ranking`` with alternatives (1..m) best first, separated by commas,
and ``{a,b}`` a group of tied alternatives. The four kinds differ in what a ballot may do:

=====  ==========================================
soc    strict, complete: every alternative once, no ties
soi    strict, incomplete: no ties, may leave alternatives out
toc    complete with ties: every alternative once, ties allowed
toi    incomplete with ties
=====  ==========================================

A file breaking its own kind, naming an unknown alternative, naming one twice, or with a count
that is not a non-negative integer is refused with :class:`~parsoc.errors.InputError` naming
the line. Orders with count 0 (a few upstream Netflix files have them) are accepted and ignored.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from parsoc.choice.profile import RankedProfile
from parsoc.errors import InputError

KINDS = ("soc", "soi", "toc", "toi")
_HEADER = re.compile(r"^#\s*([A-Z ]+?)\s*(\d*)\s*:\s?(.*)$")


def read_preflib(path: str | Path, text: str | None = None) -> RankedProfile:
    """Read a PrefLib ordinal file into a :class:`RankedProfile` (alternative ids "1".."m")."""
    path = Path(path)
    kind = path.suffix.lstrip(".").lower()
    if text is None:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{path}: cannot read: {exc}") from exc
    where = path.name
    num_alternatives = None
    names: dict[int, str] = {}
    rows: list[np.ndarray] = []
    counts: list[int] = []
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            match = _HEADER.match(line)
            if not match:
                continue
            key, number, value = match.group(1).strip(), match.group(2), match.group(3).strip()
            if key == "DATA TYPE" and value and kind not in KINDS:
                kind = value.lower()
            elif key == "NUMBER ALTERNATIVES":
                num_alternatives = _int(value, where, lineno, "the number of alternatives")
            elif key == "ALTERNATIVE NAME" and number:
                names[int(number)] = value
            continue
        if kind not in KINDS:
            raise InputError(f"{where}: not a PrefLib ordinal file (.soc, .soi, .toc or .toi)")
        if num_alternatives is None:
            raise InputError(f"{where} line {lineno}: ranking before '# NUMBER ALTERNATIVES'")
        count_text, sep, ranking = line.partition(":")
        if not sep:
            raise InputError(f"{where} line {lineno}: expected 'count: ranking', got {line[:60]!r}")
        count = _int(count_text.strip(), where, lineno, "the count")
        rows.append(_parse_ranking(ranking, num_alternatives, kind, where, lineno))
        counts.append(count)
    if num_alternatives is None:
        raise InputError(f"{where}: no '# NUMBER ALTERNATIVES' header")
    if num_alternatives < 1:
        raise InputError(f"{where}: the number of alternatives must be at least 1")
    alternatives = tuple(str(a) for a in range(1, num_alternatives + 1))
    label = {str(a): names.get(a, str(a)) for a in range(1, num_alternatives + 1)}
    ranks = np.array(rows, dtype=np.int64).reshape(len(rows), num_alternatives)
    return RankedProfile.from_rank_matrix(alternatives, ranks, np.array(counts, dtype=np.int64), label, where)


def _int(text: str, where: str, lineno: int, what: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise InputError(f"{where} line {lineno}: {what} must be an integer, got {text!r}") from None
    if value < 0:
        raise InputError(f"{where} line {lineno}: {what} must not be negative, got {value}")
    return value


def _parse_ranking(text: str, m: int, kind: str, where: str, lineno: int) -> np.ndarray:
    """One ranking as a row of group positions (m = unranked)."""
    row = np.full(m, m, dtype=np.int64)
    position = 0
    seen = 0
    rest = text.strip()
    while rest:
        if rest.startswith("{"):
            close = rest.find("}")
            if close < 0:
                raise InputError(f"{where} line {lineno}: '{{' without a closing '}}'")
            group_text, rest = rest[1:close], rest[close + 1 :]
            if kind in ("soc", "soi"):
                raise InputError(f"{where} line {lineno}: a tie {{{group_text}}} in a strict .{kind} file")
        else:
            comma = rest.find(",")
            group_text, rest = (rest, "") if comma < 0 else (rest[:comma], rest[comma:])
        items = [item.strip() for item in group_text.split(",")]
        if not items or any(item == "" for item in items):
            raise InputError(f"{where} line {lineno}: empty alternative in ranking {text.strip()[:60]!r}")
        for item in items:
            alternative = _int(item, where, lineno, "an alternative")
            if not 1 <= alternative <= m:
                raise InputError(f"{where} line {lineno}: alternative {alternative} is not among 1..{m}")
            if row[alternative - 1] != m:
                raise InputError(f"{where} line {lineno}: alternative {alternative} appears twice")
            row[alternative - 1] = position
            seen += 1
        position += 1
        rest = rest.strip()
        if rest.startswith(","):
            rest = rest[1:].strip()
            if not rest:
                raise InputError(f"{where} line {lineno}: ranking ends with a comma")
        elif rest:
            raise InputError(f"{where} line {lineno}: unexpected {rest[:20]!r} in ranking")
    if seen == 0:
        raise InputError(f"{where} line {lineno}: empty ranking")
    if kind in ("soc", "toc") and seen != m:
        raise InputError(f"{where} line {lineno}: a complete .{kind} ranking must list all {m} alternatives, got {seen}")
    return row
