"""WSGI entry point (``gunicorn parsoc.web.wsgi``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parsoc.web.settings")
application = get_wsgi_application()
