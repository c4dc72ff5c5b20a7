"""ASGI entry point (``uvicorn parsoc.web.asgi:application``), used by ``parsoc serve``."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parsoc.web.settings")
application = get_asgi_application()
