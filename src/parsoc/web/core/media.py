"""Serving uploaded files (``/media/...``) so that a browser can only ever show them as images.

Django's ``static.serve`` guesses the Content-Type from the file name. We decide it from our own
short list instead (the names are ours: see ``accounts.photos``), and add headers that keep any
file, whatever its bytes, from running as a page: ``nosniff``, a Content-Security-Policy that
forbids everything and sandboxes the document, and ``Content-Disposition``. A file whose name is
not on the list is sent as a download (``application/octet-stream``, ``attachment``).

Behind a real web server, serve ``MEDIA_ROOT`` from there with the same headers.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe
from django.views.static import serve

IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp",
               ".gif": "image/gif"}
MEDIA_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


@require_safe
def media(request: HttpRequest, path: str) -> HttpResponse | FileResponse:
    response = serve(request, path, document_root=str(settings.MEDIA_ROOT))
    suffix = PurePosixPath(path).suffix.lower()
    content_type = IMAGE_TYPES.get(suffix)
    if content_type:
        response["Content-Type"] = content_type
        response["Content-Disposition"] = f'inline; filename="photo{suffix}"'
    else:
        response["Content-Type"] = "application/octet-stream"
        response["Content-Disposition"] = 'attachment; filename="download.bin"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = MEDIA_POLICY
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
