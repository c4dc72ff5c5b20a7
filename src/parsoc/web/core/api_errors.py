"""The bodies of the API's error answers, declared once for every endpoint's ``response=``.

``@router.post("/{slug}/tasks", response=with_errors({200: TaskOut}))`` says what the endpoint
answers when it works and what each refusal looks like, so ``/api/openapi.json`` describes
every answer a script can get (the exception handlers in :mod:`parsoc.web.api` write them).
"""

from __future__ import annotations

from typing import Any

from ninja import Schema


class ErrorOut(Schema):
    """400 wrong input, 401 not logged in, 403 not allowed, 404 not found or not visible, 429."""

    detail: str
    field: str | None = None
    """The input the error is about, when there is one (:attr:`parsoc.errors.InputError.field`)."""


class FieldErrorOut(Schema):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorOut(Schema):
    """422: malformed fields, each with where it is (``loc``) and what is wrong (``msg``)."""

    detail: list[FieldErrorOut]


ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


def with_errors(answers: dict[int, Any]) -> dict[int, Any]:
    """``answers`` (the status codes of success and their bodies) and every error body."""
    return {**answers, **ERRORS}
