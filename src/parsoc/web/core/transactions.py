"""One transaction per writing request.

Every request whose method may write (POST, PUT, PATCH, DELETE) runs its view inside one
database transaction: if the view raises, nothing it wrote is kept; if it answers 5xx, the
transaction is rolled back too. Mail and other side effects are registered with
``transaction.on_commit`` (see :mod:`parsoc.web.core.mail`) and happen only once the change is
committed.

Reads (GET, HEAD, OPTIONS) run without a request-wide transaction. That matters on SQLite,
where every transaction takes the database's single write lock when it begins
(``transaction_mode: IMMEDIATE``): wrapping reads would queue every page view behind every
write. The live meeting stream (an async view that stays open for hours) is a GET and is never
wrapped; async views in general are left alone (their writes go through services that open
their own transactions).

This is Django's ``ATOMIC_REQUESTS`` restricted to writing methods. A view that must not hold
the transaction for its whole run (long computations before a short write) opts out with
Django's own ``@transaction.non_atomic_requests``; its services then open their own
transactions around the writes.
"""

from __future__ import annotations

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.db import DEFAULT_DB_ALIAS, transaction

WRITING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class TransactionPerWriteMiddleware:
    """Run the view of each writing request in one transaction (last in ``MIDDLEWARE``)."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request):
        return self.get_response(request)  # under ASGI a coroutine, which Django awaits

    def process_view(self, request, view, args, kwargs):
        """Django calls this just before the view (in the request's thread under ASGI, as it
        would call a sync view); answering here runs the view ourselves, inside ``atomic``."""
        if request.method not in WRITING_METHODS or iscoroutinefunction(view) or opted_out(view, request.method):
            return None
        with transaction.atomic():
            response = view(request, *args, **kwargs)
            if response is None:
                name = getattr(view, "__qualname__", repr(view))
                raise ValueError(f"The view {view.__module__}.{name} didn't return an HttpResponse object. "
                                 "It returned None instead.")
            if getattr(response, "status_code", 200) >= 500:
                transaction.set_rollback(True)
            elif callable(getattr(response, "render", None)) and not getattr(response, "is_rendered", True):
                response = response.render()  # a TemplateResponse reads inside the transaction
        return response


def opted_out(view, method: str) -> bool:
    """Whether ``view`` (or, for the JSON API, the operation answering ``method`` on its path)
    is marked ``@transaction.non_atomic_requests``."""
    if DEFAULT_DB_ALIAS in getattr(view, "_non_atomic_requests", ()):
        return True
    for cell in getattr(view, "__closure__", None) or ():  # django-ninja: the path's operations
        try:
            operations = getattr(cell.cell_contents, "operations", None)
        except ValueError:
            continue
        for operation in operations or ():
            if method in getattr(operation, "methods", ()) and \
                    DEFAULT_DB_ALIAS in getattr(operation.view_func, "_non_atomic_requests", ()):
                return True
    return False
