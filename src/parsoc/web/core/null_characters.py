"""No NUL character in anything a request sends.

PostgreSQL cannot store U+0000 in text, and no person types it: a request carrying one (in the
query string, a form field, or a JSON string, keys included) would reach the database and fail
there with a 500 on PostgreSQL while SQLite stored it. Django's form fields refuse it one field
at a time; this middleware refuses it for every view and API operation at once, with a 400
that says what is wrong, before any view runs. Uploaded files are not text and are not
checked.
"""

from __future__ import annotations

import json

from django.http import HttpRequest
from django.utils.deprecation import MiddlewareMixin

from parsoc.web.core.views import error_answer

NUL = "\x00"
REFUSED = "text in a request may not contain the NUL character (U+0000)"


def _holds_nul(value) -> bool:
    """Whether a parsed JSON value holds NUL in any string, keys included."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if NUL in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _querydict_holds_nul(data) -> bool:
    return any(NUL in key or any(NUL in v for v in values) for key, values in data.lists())


def request_holds_nul(request: HttpRequest) -> bool:
    if _querydict_holds_nul(request.GET):
        return True
    content_type = request.content_type or ""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    if content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        return _querydict_holds_nul(request.POST)
    if content_type == "application/json" or content_type.endswith("+json"):
        body = request.body
        # JSON can only carry NUL escaped; parse (bounded by DATA_UPLOAD_MAX_MEMORY_SIZE) only then.
        if b"\x00" in body:
            return True
        if b"u0000" not in body.lower():
            return False
        try:
            return _holds_nul(json.loads(body))
        except (ValueError, RecursionError):
            return False  # malformed JSON: the API's own parser answers it
    return False


class RefuseNullCharactersMiddleware(MiddlewareMixin):
    """Answer 400 to any request whose text holds NUL (early in ``MIDDLEWARE``)."""

    def process_request(self, request):
        if request_holds_nul(request):
            return error_answer(request, 400, "That request was not understood", REFUSED)
        return None
