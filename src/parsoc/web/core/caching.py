"""No copy of a signed-in person's pages in any cache.

Pages shown to a signed-in person carry what only they may see: their ballot receipt, their
stances, members-only councils. A shared computer's browser cache, or a proxy between them and
the server, must not keep a copy that the next person at that computer could open. Every
answer to a signed-in request, and every answer that sets a cookie, is therefore sent with
``Cache-Control: private, no-store`` (unless the view chose its own caching). Anonymous public
pages and static files are left to their own headers.
"""

from __future__ import annotations

from django.utils.cache import patch_cache_control
from django.utils.deprecation import MiddlewareMixin


class PrivatePagesMiddleware(MiddlewareMixin):
    """``Cache-Control: private, no-store`` on answers to signed-in people (after auth in
    ``MIDDLEWARE``; sync and async, like Django's own middleware)."""

    def process_response(self, request, response):
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if (signed_in or response.cookies) and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response
