"""``/api/docs``: Swagger UI from our own static files, under the strict Content-Security-Policy.

django-ninja ships Swagger UI (``ninja/static/ninja/``, found because ``"ninja"`` is in
``INSTALLED_APPS``); its own page template writes the settings into a ``<script>`` with
``|safe``. This page gives them through ``json_script`` instead, loads only same-origin
scripts and styles, and turns off Swagger UI's validator badge (an image from
validator.swagger.io): no request leaves this origin.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import Swagger, _csrf_needed


class LocalSwagger(Swagger):
    template = "api/docs.html"
    default_settings = {"layout": "BaseLayout", "deepLinking": True, "validatorUrl": None}

    def render_page(self, request: HttpRequest, api, **kwargs: Any) -> HttpResponse:
        settings = dict(self.settings, url=self.get_openapi_url(api, kwargs))
        return render(request, self.template, {
            "swagger_settings": settings, "api": api, "add_csrf": _csrf_needed(api),
        })
