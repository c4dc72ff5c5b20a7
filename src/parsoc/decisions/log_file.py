"""Reading an exported decision log from a file someone handed us: it may be anything.

:func:`read` turns a path into a document that :func:`~parsoc.decisions.record.verify` can
check, or raises :class:`~parsoc.errors.InputError` saying in one line why it cannot be read as a
decision log. "Cannot be read" (exit 2 on the command line) is kept apart from "tampered"
(exit 1): a readable record whose hashes, links or outcomes do not hold.

Refused as unreadable: a missing file or a directory, more than :data:`MAX_BYTES`, bytes that
are not UTF-8, text that is not JSON (or is cut short), JSON nested deeper than
:data:`MAX_DEPTH`, a key twice in one object, ``NaN``/``Infinity``, numbers with a fraction or
an exponent (the format writes fractions as strings), integers longer than :data:`MAX_DIGITS`,
strings that are not valid Unicode (lone surrogates), and any field of the document, of an
event or of an event's ``data`` with the wrong type or missing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from parsoc.decisions.record import FIELDS, FORMAT, VERSION
from parsoc.errors import InputError

MAX_BYTES = 256 * 1024 * 1024
MAX_DEPTH = 64
MAX_DIGITS = 18

_NONE = type(None)
# the types of each event kind's data fields (checked where present; the replay checks the rest)
DATA_TYPES: dict[str, dict[str, tuple[type, ...]]] = {
    "opened": {"title": (str,), "version": (int,), "rule": (dict,), "members": (list,), "say": (dict, _NONE),
               "secret": (bool,), "max_chain": (int,)},
    "stance": {"member": (str,), "kind": (str,), "reason": (str,), "round": (int,)},
    "delegated": {"delegator": (str,), "delegate": (str,), "max_chain": (int,)},
    "revoked": {"delegator": (str,)},
    "ballots": {"round": (int,), "roll": (list,), "bulletin": (list,)},
    "round": {"round": (int,)},
    "outcome": {"result": (dict,), "statement": (str,), "review": (str, _NONE)},
    "poll_opened": {"title": (str,), "kind": (str,), "options": (list,), "params": (dict,), "secret": (bool,)},
    "poll_vote": {"voter": (str,)},
    "poll_ballots": {"roll": (list,), "bulletin": (list,)},
    "poll_result": {"result": (dict,)},
    "witness": {"council": (str,), "seq": (int,), "head": (str,), "closed": (str, _NONE)},
}
# lists whose items have one type
ITEM_TYPES: dict[str, tuple[type, ...]] = {"members": (str,), "roll": (str,), "bulletin": (dict,),
                                           "options": (str,)}
EVENT_TYPES: dict[str, tuple[type, ...]] = {"seq": (int,), "council": (str,), "decision": (str, _NONE),
                                            "kind": (str,), "at": (str,), "data": (dict,), "prev": (str,),
                                            "hash": (str,)}


def _type_name(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "true/false", int: "a whole number",
            _NONE: "null"}.get(type(value), type(value).__name__)


def _is(value: Any, types: tuple[type, ...]) -> bool:
    if isinstance(value, bool):
        return bool in types
    return isinstance(value, types)


def _expect(value: Any, types: tuple[type, ...], where: str) -> None:
    if not _is(value, types):
        wanted = " or ".join(_type_name(t()) if t is not _NONE else "null" for t in types)
        raise InputError(f"{where} is {_type_name(value)}, expected {wanted}")


def _refuse_float(text: str) -> Any:
    raise InputError(f"number {text[:40]} has a fraction or an exponent (the format writes fractions as "
                     "strings such as \"9/10\")")


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise InputError(f"a number of {len(text.lstrip('-'))} digits (at most {MAX_DIGITS})")
    return int(text)


def _refuse_constant(name: str) -> Any:
    raise InputError(f"{name} is not a number a decision log holds")


def _one_key_each(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise InputError(f"key {key[:40]!r} appears twice in one object")
        found[key] = value
    return found


def parse(raw: bytes) -> Any:
    """JSON from bytes, refusing what a decision log never holds (see the module's doc)."""
    if len(raw) > MAX_BYTES:
        raise InputError(f"{len(raw)} bytes is more than a decision log may be ({MAX_BYTES})")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})") from None
    try:
        document = json.loads(text, parse_float=_refuse_float, parse_int=_bounded_int,
                              parse_constant=_refuse_constant, object_pairs_hook=_one_key_each)
    except json.JSONDecodeError as exc:
        raise InputError(f"line {exc.lineno}: not JSON ({exc.msg})") from None
    except RecursionError:
        raise InputError(f"JSON nested too deeply (at most {MAX_DEPTH} levels)") from None
    except InputError:
        raise
    except ValueError as exc:  # e.g. a number the interpreter refuses to convert
        raise InputError(f"not JSON a decision log holds ({str(exc)[:80]})") from None
    _check_values(document)
    return document


def _check_values(document: Any) -> None:
    """Nesting depth and valid Unicode everywhere, without recursion."""
    stack = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise InputError(f"JSON nested too deeply (at most {MAX_DEPTH} levels)")
        if isinstance(value, dict):
            for k, v in value.items():
                _check_text(k)
                stack.append((v, depth + 1))
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
        elif isinstance(value, str):
            _check_text(value)


def _check_text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError("a string that is not valid Unicode (a lone surrogate escape)") from None


def check_shape(document: Any) -> None:
    """Every field of the document and of each event has its type (InputError: which not)."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InputError(f"not a decision log (expected \"format\": \"{FORMAT}\")")
    version = document.get("version")
    if not _is(version, (int,)) or version != VERSION:
        raise InputError(f"decision log version {str(version)[:20]!r} is not {VERSION}")
    for name, types in (("council", (str,)), ("head", (str,)), ("events", (list,))):
        if name not in document:
            raise InputError(f"decision log: \"{name}\" is missing")
        _expect(document[name], types, f"decision log: \"{name}\"")
    for i, event in enumerate(document["events"], start=1):
        _expect(event, (dict,), f"event {i}")
        missing = [f for f in (*FIELDS, "hash") if f not in event]
        extra = sorted(set(event) - set(FIELDS) - {"hash"})
        if missing or extra:
            said = (f"missing {', '.join(missing)}" if missing else "") + \
                   ("; " if missing and extra else "") + (f"unknown {', '.join(repr(e[:40]) for e in extra[:5])}" if extra else "")
            raise InputError(f"event {i}: {said}")
        for name, types in EVENT_TYPES.items():
            _expect(event[name], types, f"event {i}: \"{name}\"")
        for name, types in DATA_TYPES.get(event["kind"], {}).items():
            if name in event["data"]:
                value = event["data"][name]
                _expect(value, types, f"event {i} ({event['kind']}): data \"{name}\"")
                if name in ITEM_TYPES and isinstance(value, list):
                    for j, item in enumerate(value, start=1):
                        _expect(item, ITEM_TYPES[name], f"event {i} ({event['kind']}): data \"{name}\" item {j}")


def read(path: Path) -> dict[str, Any]:
    """The decision log in the file at ``path``; InputError (one line) when it cannot be read."""
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not a file")
    try:
        with path.open("rb") as f:
            raw = f.read(MAX_BYTES + 1)
    except (OSError, ValueError) as exc:  # ValueError: a name with a NUL byte
        raise InputError(f"{path}: cannot read ({getattr(exc, 'strerror', None) or exc})") from None
    try:
        document = parse(raw)
        check_shape(document)
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from None
    return document
