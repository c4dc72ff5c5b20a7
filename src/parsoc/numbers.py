"""Numbers from users: the one place that reads them, and the bounds every layer shares.

Whatever a person or a file sends as a number (a form field, a JSON value, a ``.pb`` or CSV
cell, a weight such as ``3/2``) is read here, never by ``int()``, ``float()``, ``Decimal()`` or
``Fraction()`` on the raw text. Each reader checks the *text* first — at most
:data:`MAX_TEXT` characters, ASCII digits only, an exponent of at most two digits — so that no
input (``1e10000000``, ten million digits) costs more than microseconds, and then checks the
*value* against the bounds of the field. Anything else raises :class:`parsoc.errors.InputError`
whose message starts with the field's name.

What is accepted as text (after surrounding ASCII whitespace is trimmed):

- whole numbers: ``[+-]?[0-9]+`` — no underscores (``1_000``), no ``0x10``, no Arabic-Indic or
  other non-ASCII digits (Python's ``int()`` takes all three; we do not);
- decimals: a whole number with an optional ``.`` part and an optional exponent ``e[+-]?[0-9]{1,2}``
  (``1.5e3``); ``nan``, ``inf``, ``Infinity`` are refused; files may use a decimal comma;
- fractions: a decimal, or ``a/b`` with whole numbers (``3/2``); percentages ``60%`` where the
  field asks for them.

Values already parsed (a JSON number, a model's Decimal) go through the same bounds; ``bool``
is never a number, and ``float`` NaN/infinity is refused.

The bounds below are the single source for model validators, form fields, API schemas and the
importers (see docs/web.md, "Numbers from users").
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from fractions import Fraction
from numbers import Rational
from typing import Any, TypeVar

from parsoc.errors import InputError

_N = TypeVar("_N", int, float, Decimal, Fraction)
_Bound = int | float | Decimal | Fraction

MAX_TEXT = 40
"""Most characters in one number as typed; longer text is refused before it is read."""

MONEY_MAX = 10**12
"""Budgets, costs and amounts: at most a million million (of any currency)."""
MONEY_MIN = Decimal("0.01")
"""The least budget, and the least cost a person types (an imported cost may be 0)."""
MONEY_PLACES = 2
"""Money keeps two decimal places (more are rounded half-even)."""
MONEY_DIGITS = 16
"""Digits a stored amount may have (``max_digits`` of the model fields): 13 whole + 2 decimal + room."""

COUNT_MAX = 1_000_000
"""Counts a person chooses: invitation uses, points per voter, projects per ballot, chain length..."""
MINUTES_MAX = 7 * 24 * 60
"""A meeting or time option lasts at most a week."""
AGENDA_MINUTES_MAX = 600
"""One agenda item lasts at most ten hours."""
HOURS_MAX = 168
"""Hours of work a week: a task or a worker's availability."""
RATING_MIN, RATING_MAX = 1, 10
"""Work ratings (empowerment, desirability) are on a 1 to 10 scale."""
WEIGHT_MAX = 1000
"""A say weight is between 0 and a thousand (stored as text of at most 16 characters) ..."""
DENOMINATOR_MAX = 1000
"""... and a fraction's denominator at most a thousand (``1/3`` yes, ``1/10**6`` no)."""
ID_MAX = 2**63 - 1
"""Largest database id; larger ids cannot name anything."""
SMALL_MAX = 32767
"""Largest value a ``PositiveSmallIntegerField`` holds (rounds, chain length)."""
INT_MAX = 2**31 - 1
"""Largest value a ``PositiveIntegerField`` holds on every database."""

_WHOLE = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,2})?")
_RATIO = re.compile(r"([+-]?[0-9]+)/([0-9]+)")
_SPACE = " \t\r\n"


def _text(value: Any, field: str) -> str:
    text = value if isinstance(value, str) else None
    if text is None:
        raise InputError(f"{field}: {type(value).__name__} is not a number", field=field)
    if len(text) > MAX_TEXT * 4:  # cheap refusal before even trimming huge text
        raise InputError(f"{field}: a number of more than {MAX_TEXT} characters is refused", field=field)
    text = text.strip(_SPACE)
    if not text:
        raise InputError(f"{field}: a number is missing", field=field)
    if len(text) > MAX_TEXT:
        raise InputError(f"{field}: a number of more than {MAX_TEXT} characters is refused", field=field)
    return text


def shown(value: Any) -> str:
    """``value`` as a message may quote it: at most :data:`MAX_TEXT` characters, never a huge number."""
    if isinstance(value, float):
        text = f"{value:g}"
    elif isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 128:
        return "a number of more than 38 digits"
    elif isinstance(value, Fraction) and max(value.numerator.bit_length(), value.denominator.bit_length()) > 128:
        return "a fraction of more than 38 digits"
    elif isinstance(value, str):
        return repr(value if len(value) <= MAX_TEXT else value[:MAX_TEXT] + "…")
    else:
        text = str(value)
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + "…"


def _within(value: _N, field: str, low: _Bound | None, high: _Bound | None) -> _N:
    if (low is not None and value < low) or (high is not None and value > high):
        if low is None:
            raise InputError(f"{field}: {shown(value)} is out of range (at most {high})", field=field)
        if high is None:
            raise InputError(f"{field}: {shown(value)} is out of range (at least {low})", field=field)
        raise InputError(f"{field}: {shown(value)} is out of range ({low} to {high})", field=field)
    return value


def parse_int(value: Any, field: str, *, low: int | None = 0, high: int | None = COUNT_MAX) -> int:
    """A whole number between ``low`` and ``high`` (inclusive) from text or an ``int``.

    Floats and decimals are accepted only when whole (a JSON ``3.0``); ``bool`` is refused.
    """
    if isinstance(value, bool):
        raise InputError(f"{field}: {value!r} is not a whole number", field=field)
    if isinstance(value, int):
        return _within(value, field, low, high)
    if isinstance(value, (float, Decimal, Fraction)):
        if isinstance(value, float) and not math.isfinite(value) or isinstance(value, Decimal) and not value.is_finite():
            raise InputError(f"{field}: {shown(value)} is not a whole number", field=field)
        if abs(value) > 2**63 or value != int(value):  # type: ignore[operator]  # typeshed: abs() of this union is "object"
            raise InputError(f"{field}: {shown(value)} is not a whole number in range", field=field)
        return _within(int(value), field, low, high)
    text = _text(value, field)
    if not _WHOLE.fullmatch(text):
        raise InputError(f"{field}: {shown(text)} is not a whole number (digits 0-9 only)", field=field)
    return _within(int(text), field, low, high)


def parse_id(value: Any, field: str) -> int:
    """A database id (1 to :data:`ID_MAX`) from a form, a URL or JSON."""
    return parse_int(value, field, low=1, high=ID_MAX)


def _decimal_text(value: Any, field: str, comma: bool) -> Decimal:
    text = _text(value, field)
    if comma and "," in text and "." not in text:
        text = text.replace(",", ".")
    if not _DECIMAL.fullmatch(text):
        raise InputError(f"{field}: {shown(text)} is not a number (digits 0-9, a point, an optional e±NN)", field=field)
    return Decimal(text)  # at most MAX_TEXT characters and |exponent| < 100: cheap and finite


def parse_decimal(value: Any, field: str, *, low: Decimal | int | None = 0, high: Decimal | int | None = MONEY_MAX,
                  places: int | None = MONEY_PLACES, comma: bool = False) -> Decimal:
    """A finite decimal between ``low`` and ``high``, rounded to ``places`` (None: as given).

    The bounds are checked after rounding, so ``0.001`` with two places and ``low`` 0.01 is refused.
    ``comma`` allows a decimal comma (``12,5``), as some files use.
    """
    if isinstance(value, bool):
        raise InputError(f"{field}: {value!r} is not a number", field=field)
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(_within(value, field, low, high))
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise InputError(f"{field}: {value!r} is not a finite number", field=field)
        number = Decimal(repr(value))
    elif isinstance(value, Fraction):
        _within(value, field, low, high)
        number = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        number = _decimal_text(value, field, comma)
    if not number.is_finite():
        raise InputError(f"{field}: {shown(value)} is not a finite number", field=field)
    _within(number, field, low, high)
    if places is not None:
        try:
            number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
        except InvalidOperation:  # pragma: no cover - bounded above, so cannot overflow
            raise InputError(f"{field}: {shown(value)} is out of range", field=field) from None
        _within(number, field, low, high)
    return number


def parse_float(value: Any, field: str, *, low: float | None = 0.0, high: float | None = MONEY_MAX,
                comma: bool = False) -> float:
    """A finite float between ``low`` and ``high`` (inclusive), from text or a number."""
    if isinstance(value, bool):
        raise InputError(f"{field}: {value!r} is not a number", field=field)
    if isinstance(value, (int, float, Decimal, Fraction)):
        if isinstance(value, int) and not -2**63 <= value <= 2**63:
            number = math.inf
        else:
            number = float(value)
    else:
        number = float(_decimal_text(value, field, comma))
    if not math.isfinite(number):
        raise InputError(f"{field}: {shown(value)} is not a finite number", field=field)
    return _within(number, field, low, high)


def parse_fraction(value: Any, field: str, *, low: Fraction | int | None = 0, high: Fraction | int | None = WEIGHT_MAX,
                   max_denominator: int = DENOMINATOR_MAX, percent: bool = False, floats: bool = False,
                   comma: bool = False) -> Fraction:
    """An exact rational between ``low`` and ``high``: ``3``, ``0.5``, ``3/2`` (and ``60%`` if ``percent``).

    Its denominator, in lowest terms, may be at most ``max_denominator``. Floats are refused
    unless ``floats`` (they do not recompute exactly).
    """
    if isinstance(value, bool):
        raise InputError(f"{field}: {value!r} is not a number", field=field)
    if isinstance(value, float):
        if not floats:
            raise InputError(f"{field}: give a whole number or a fraction such as \"3/2\", not {value!r}", field=field)
        if not math.isfinite(value):
            raise InputError(f"{field}: {value!r} is not a finite number", field=field)
        number = Fraction(value)
    elif isinstance(value, (int, Rational)):
        number = Fraction(value)
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise InputError(f"{field}: {value!r} is not a finite number", field=field)
        number = Fraction(_within(value, field, low, high))
    else:
        text = _text(value, field)
        scale = 1
        if percent and text.endswith("%"):
            text, scale = text[:-1].rstrip(_SPACE), 100
        ratio = _RATIO.fullmatch(text)
        if ratio:
            numerator, denominator = int(ratio.group(1)), int(ratio.group(2))
            if denominator == 0:
                raise InputError(f"{field}: {shown(text)} divides by zero", field=field)
            number = Fraction(numerator, denominator)
        else:
            number = Fraction(_decimal_text(text, field, comma))
        number /= scale
    _within(number, field, low, high)
    if number.denominator > max_denominator:
        raise InputError(f"{field}: {shown(value)} is finer than 1/{max_denominator}", field=field)
    return number
