"""Error pages: friendly HTML for people, JSON under /api/."""

from django.http import JsonResponse
from django.shortcuts import render


def error_answer(request, status: int, title: str, text: str):
    """An error answer: JSON ``{"detail": text}`` under /api/, else the friendly error page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": text}, status=status)
    return render(request, "error.html", {"status": status, "title": title, "text": text}, status=status)


def bad_request(request, exception=None):
    return error_answer(request, 400, "That request was not understood", "Something in the request was malformed or too large.")


def permission_denied(request, exception=None):
    text = str(exception) if exception and str(exception) else "You are not allowed to do that here."
    return error_answer(request, 403, "Not allowed", text)


def not_found(request, exception=None):
    return error_answer(request, 404, "Not found", "There is nothing here, or it is not visible to you.")


def server_error(request):
    return error_answer(request, 500, "Something went wrong on our side", "The error is logged. Please try again.")


def too_many_requests(request):
    from parsoc.web.accounts.throttle import WRITES_REFUSED

    return error_answer(request, 429, "Too many requests", WRITES_REFUSED)
