"""The project's URLs plus two views that write and then fail, for
``tests/security/test_atomic_requests.py`` (a write that fails mid-request leaves nothing)."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import path

from parsoc.web.councils.models import Announcement, Council
from parsoc.web.urls import urlpatterns as project_urls


def _half_write(request, slug):
    council = Council.objects.get(slug=slug)
    Announcement.objects.create(council=council, author=request.user, title="Half", body="written")
    council.description = "changed by a request that then failed"
    council.save(update_fields=["description"])


def writes_then_raises(request, slug):
    _half_write(request, slug)
    raise RuntimeError("failed after writing")


def writes_then_answers_500(request, slug):
    _half_write(request, slug)
    return HttpResponse("something went wrong", status=500)


def writes_then_answers_200(request, slug):
    _half_write(request, slug)
    return HttpResponse("saved")


urlpatterns = [
    path("test/<slug:slug>/raise", writes_then_raises),
    path("test/<slug:slug>/answer-500", writes_then_answers_500),
    path("test/<slug:slug>/answer-200", writes_then_answers_200),
    *project_urls,
]
