"""URL configuration of the parsoc web shell. Each domain app adds one line."""

from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from parsoc.web.api import api
from parsoc.web.core.media import media
from parsoc.web.councils import views as council_views

urlpatterns = [
    path("", council_views.home, name="home"),
    path("accounts/", include("parsoc.web.accounts.urls")),
    path("", include("parsoc.web.councils.urls")),
    path("", include("parsoc.web.meetings.urls")),
    path("", include("parsoc.web.work.urls")),
    path("", include("parsoc.web.decisions.urls")),
    path("", include("parsoc.web.budgeting.urls")),
    path("", include("parsoc.web.orgs.urls")),
    path("api/", api.urls),
    # One way to log in, the throttled one: the admin site's own login form is not offered.
    path("admin/login/", RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    path("admin/", admin.site.urls),
    # Uploaded photos, only ever as images (parsoc.web.core.media). Behind a real web server,
    # serve MEDIA_ROOT from there instead, with the same headers.
    re_path(r"^media/(?P<path>.*)$", media),
]

handler400 = "parsoc.web.core.views.bad_request"
handler403 = "parsoc.web.core.views.permission_denied"
handler404 = "parsoc.web.core.views.not_found"
handler500 = "parsoc.web.core.views.server_error"
