"""The one inbox: every notice a person got, their unread count, and their preferences."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from parsoc.errors import InputError
from parsoc.numbers import parse_id
from parsoc.web.core.shortcuts import get_visible_or_404
from parsoc.web.notifications import services
from parsoc.web.notifications.forms import PreferencesForm
from parsoc.web.notifications.kinds import KINDS, Kind
from parsoc.web.notifications.models import Notice


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("notifications.view_inbox"):
        raise PermissionDenied("only people with an account have an inbox")
    page = Paginator(services.inbox(request.user), 50).get_page(request.GET.get("page"))
    notices = list(page.object_list)
    response = render(request, "notifications/inbox.html", {"page": page, "notices": notices})
    with transaction.atomic():  # shown (as new) once: what the page showed is now read
        services.mark_read(request.user, [n for n in notices if n.read_at is None])
    return response


def unread_badge(request: HttpRequest) -> HttpResponse:
    return render(request, "notifications/_unread.html", {"unread": services.unread_count(request.user)})


@login_required
def open_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """Go to what a notice is about, marking it read (only one's own: anyone else's is a 404)."""
    notice = get_visible_or_404(request.user, Notice.objects.select_related("event"), "notifications.read_notice",
                                pk=pk)
    with transaction.atomic():
        services.mark_read(request.user, [notice])
    url = notice.event.url
    if not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        url = "/"
    return redirect(url)


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    """Mark one notice (``notice``) or all of one's notices read."""
    if "notice" in request.POST:
        try:
            pk = parse_id(request.POST["notice"], "notice")
        except InputError:
            raise Http404("no such notice") from None
        notice = get_visible_or_404(request.user, Notice, "notifications.read_notice", pk=pk)
        services.mark_read(request.user, [notice])
    else:
        services.mark_read(request.user)
        messages.success(request, "All notices are marked read.")
    return redirect("notifications:inbox")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    current = services.preferences(request.user)
    form = PreferencesForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        services.set_preferences(request.user, form.cleaned_data)
        messages.success(request, "Your notification preferences are saved.")
        return redirect("notifications:preferences")
    rows = [(form[kind.value], KINDS[kind]) for kind in Kind]
    return render(request, "notifications/preferences.html", {"form": form, "rows": rows},
                  status=400 if request.method == "POST" else 200)
