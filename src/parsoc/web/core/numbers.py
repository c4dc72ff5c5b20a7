"""The bounds of :mod:`parsoc.numbers` as Django validators and API (pydantic) types.

Models, forms and API schemas take their limits from here, so every layer refuses the same
numbers; the values themselves live in the core module.
"""

from __future__ import annotations

from typing import Annotated

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from pydantic import Field

from parsoc.errors import InputError
from parsoc.numbers import (
    AGENDA_MINUTES_MAX,
    COUNT_MAX,
    HOURS_MAX,
    ID_MAX,
    MINUTES_MAX,
    MONEY_MAX,
    MONEY_MIN,
    MONEY_PLACES,
    RATING_MAX,
    RATING_MIN,
    parse_decimal,
    parse_id,
    parse_int,
)


class IdConverter:
    """``<id:pk>`` in URLs: a database id of at most 19 ASCII digits (``<int:>`` takes any length,
    and an id beyond 64 bits makes SQLite raise ``OverflowError``: a 500). Larger is a 404."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= ID_MAX:
            raise ValueError("not an id")  # Django answers 404
        return number

    def to_url(self, value) -> str:
        return str(value)


def bounded(low, high) -> list:
    """Model/form validators for ``low`` to ``high`` inclusive."""
    return [MinValueValidator(low), MaxValueValidator(high)]


Id = Annotated[int, Field(ge=1, le=ID_MAX, strict=True)]
"""An id in a JSON body: a JSON number only."""
IdParam = Annotated[int, Field(ge=1, le=ID_MAX)]
"""An id in a URL path, a query or a JSON object key (text there, so not strict; pydantic reads ASCII digits only)."""
Count = Annotated[int, Field(ge=1, le=COUNT_MAX, strict=True)]
SignedCount = Annotated[int, Field(ge=-COUNT_MAX, le=COUNT_MAX, strict=True)]
Minutes = Annotated[int, Field(ge=1, le=MINUTES_MAX, strict=True)]
AgendaMinutes = Annotated[int, Field(ge=1, le=AGENDA_MINUTES_MAX)]
Hours = Annotated[float, Field(ge=0, le=HOURS_MAX, allow_inf_nan=False)]
Rating = Annotated[float, Field(ge=RATING_MIN, le=RATING_MAX, allow_inf_nan=False)]



class WholeNumberField(forms.IntegerField):
    """A form's whole number, read by :func:`parsoc.numbers.parse_int` (ASCII digits, bounded text)."""

    def __init__(self, *, min_value: int = 1, max_value: int = COUNT_MAX, **kwargs):
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        try:
            return parse_int(value, self.label or "number", low=self.min_value, high=self.max_value)
        except InputError as error:
            raise forms.ValidationError(str(error), code="invalid") from None


class IdChoiceField(forms.ModelChoiceField):
    """A ``ModelChoiceField`` whose key is read by :func:`parsoc.numbers.parse_id` first: an id
    beyond 64 bits is an invalid choice, not an ``OverflowError`` from SQLite (a 500)."""

    def to_python(self, value):
        if value not in self.empty_values and not isinstance(value, self.queryset.model):
            try:
                parse_id(value, "id")
            except InputError:
                raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice") from None
        return super().to_python(value)


class MoneyField(forms.DecimalField):
    """A form's amount of money, read by :func:`parsoc.numbers.parse_decimal` (at most ``MONEY_MAX``, two places)."""

    def __init__(self, *, min_value=MONEY_MIN, max_value=MONEY_MAX, **kwargs):
        super().__init__(min_value=min_value, max_value=max_value, max_digits=None, decimal_places=MONEY_PLACES, **kwargs)

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        try:
            return parse_decimal(value, self.label or "amount", low=self.min_value, high=self.max_value,
                                 places=MONEY_PLACES)
        except InputError as error:
            raise forms.ValidationError(str(error), code="invalid") from None


__all__ = [
    "MONEY_MAX",
    "MONEY_MIN",
    "AgendaMinutes",
    "Count",
    "Hours",
    "Id",
    "IdChoiceField",
    "IdConverter",
    "IdParam",
    "Minutes",
    "MoneyField",
    "Rating",
    "SignedCount",
    "WholeNumberField",
    "bounded",
]
