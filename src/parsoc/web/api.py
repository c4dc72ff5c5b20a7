"""The JSON API under ``/api/`` (OpenAPI schema at ``/api/openapi.json``, docs at ``/api/docs``).

Authentication: ``Authorization: Bearer <token>`` (tokens are made on the "API tokens" page)
or the browser session (then unsafe methods need the CSRF token, as forms do). Anonymous
requests are let through as the anonymous user, and each endpoint asks the same ``rules``
permissions as the web pages. Errors are JSON: ``{"detail": "..."}`` with 400 (wrong input),
401 (not logged in), 403 (not allowed), 404 (not found or not visible), 422 (malformed fields).

Each domain adds its router below with one line.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.utils import check_csrf

import parsoc
from parsoc.errors import InputError
from parsoc.web.accounts.models import ApiToken
from parsoc.web.api_docs import LocalSwagger

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class ParsocAuth:
    """Bearer token, else session (CSRF-checked for unsafe methods), else anonymous."""

    openapi_type = "http"
    openapi_scheme = "bearer"

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        if header:
            scheme, _, key = header.partition(" ")
            user = ApiToken.authenticate(key.strip()) if scheme.lower() == "bearer" and key.strip() else None
            if user is None:
                raise AuthenticationError(401, "the API token is missing, wrong or revoked")
            request.user = user
            return user
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if request.method not in SAFE_METHODS and check_csrf(request) is not None:
                raise HttpError(403, "CSRF check failed: send the X-CSRFToken header, or use a Bearer token")
            return user
        return AnonymousUser()


api = NinjaAPI(
    title="parsoc API",
    version=parsoc.__version__,
    description="Councils, decisions, meetings, social choice, planning and work.",
    auth=ParsocAuth(),
    urls_namespace="api",
    docs=LocalSwagger(),
)


def login_required(request):
    """The acting user, or a 401 for anonymous requests."""
    user = request.auth
    if not user.is_authenticated:
        raise AuthenticationError(401, "log in, or send an API token (Authorization: Bearer <token>)")
    return user


@api.exception_handler(InputError)
def _input_error(request, exc: InputError):
    return api.create_response(request, {"detail": str(exc)}, status=400)


@api.exception_handler(PermissionDenied)
def _permission_denied(request, exc: PermissionDenied):
    user = getattr(request, "auth", None) or getattr(request, "user", None)
    status = 401 if user is None or not user.is_authenticated else 403
    return api.create_response(request, {"detail": str(exc) or "not allowed"}, status=status)


@api.exception_handler(Http404)
def _not_found(request, exc: Http404):
    return api.create_response(request, {"detail": str(exc) or "not found"}, status=404)


@api.get("/me", tags=["people"])
def me(request):
    user = login_required(request)
    return {"id": user.pk, "email": user.email, "display_name": user.display_name, "city": user.city}


from parsoc.web.councils.api import router as councils_router  # noqa: E402

api.add_router("/councils", councils_router)

from parsoc.web.meetings.api import router as meetings_router  # noqa: E402

api.add_router("/meetings", meetings_router)

from parsoc.web.work.api import router as work_router  # noqa: E402

api.add_router("/work", work_router)

from parsoc.web.decisions.api import router as decisions_router  # noqa: E402

api.add_router("/decisions", decisions_router)

from parsoc.web.budgeting.api import router as budgeting_router  # noqa: E402

api.add_router("/budgeting", budgeting_router)

from parsoc.web.orgs.api import router as orgs_router  # noqa: E402

api.add_router("/orgs", orgs_router)
