"""Council pages. Every view asks a permission (``rules``) before it shows or changes anything.

A members-only council is answered with 404 to people who may not see it, so its existence
does not leak. Refused actions come back as a message on the page, with status 400 or 403.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from parsoc.councils.kinds import Role
from parsoc.errors import InputError
from parsoc.numbers import parse_id
from parsoc.web.accounts.models import User
from parsoc.web.core.forms import add_input_error
from parsoc.web.core.shortcuts import get_visible_or_404
from parsoc.web.councils import services
from parsoc.web.councils.forms import (
    AnnouncementForm,
    CouncilForm,
    DelegateForm,
    DirectoryForm,
    InviteForm,
    JoinForm,
)
from parsoc.web.councils.models import Council, DelegateTerm, Invitation, JoinRequest
from parsoc.web.notifications import activity


def visible_council(request: HttpRequest, slug: str) -> Council:
    """The council at ``slug`` for a page, when the person may see it (else 404)."""
    return get_visible_or_404(request.user, Council.objects.select_related("parent"), "councils.view_council", slug=slug)


def acting(view):
    """Turn refusals from the services into a message and a redirect back to the council."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except InputError as error:
            messages.error(request, str(error))
            slug = kwargs.get("slug")
            response = redirect("councils:detail", slug) if slug else redirect("home")
            response.status_code = 303
            return response

    return wrapper


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        featured = Council.objects.visible_to(request.user).filter(parent__isnull=True)[:12]
        return render(request, "home_anonymous.html", {"featured": featured})
    memberships = request.user.memberships.select_related("council", "council__parent").order_by("council__name")
    recent = services.announcements_for(request.user)[:8]
    return render(request, "home.html", {"memberships": memberships, "recent": recent})


def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryForm(request.GET or None)
    q = kind = city = ""
    if form.is_valid():
        q, kind, city = form.cleaned_data["q"], form.cleaned_data["kind"], form.cleaned_data["city"]
    councils = services.directory(request.user, q=q, kind=kind, city=city)[:200]
    template = "councils/_directory_results.html" if request.htmx else "councils/directory.html"
    return render(request, template, {"form": form, "councils": councils})


@login_required
def create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("councils.create_council"):
        raise PermissionDenied("Confirm your email address before you create councils.")
    initial = {}
    parent_slug = request.GET.get("parent")
    if parent_slug:
        parent = Council.objects.filter(slug=parent_slug).first()
        if parent and request.user.has_perm("councils.nest_under", parent):
            initial["parent"] = parent
    form = CouncilForm(request.user, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            council = services.create_council(request.user, **form.cleaned_data)
        except InputError as error:
            add_input_error(form, error)
        else:
            messages.success(request, f"{council.name} is created; you are its facilitator.")
            return redirect(council)
    status = 400 if request.method == "POST" else 200
    return render(request, "councils/form.html", {"form": form, "creating": True}, status=status)


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    council = visible_council(request, slug)
    user = request.user
    role = council.role_of(user)
    announcements = council.announcements.select_related("author")[:20] if role or council.is_public else []
    waiting = activity.needs_reader(user, council)  # before this visit marks the announcements read
    if role and announcements:
        services.mark_read(user, announcements)
    today = timezone.localdate()
    terms = list(council.delegate_terms.select_related("person", "to_council")[:50])
    context = {
        "council": council,
        "role": role,
        "is_facilitator": user.has_perm("councils.manage_members", council),
        "can_join": user.has_perm("councils.join", council),
        "members": council.memberships.select_related("user"),
        "children": council.children.visible_to(user),
        "ancestors": list(reversed(council.ancestors())),
        "announcements": announcements,
        "current_delegates": [t for t in terms if t.in_force(today)],
        "past_delegates": [t for t in terms if not t.in_force(today)],
        "incoming_delegates": [
            t for t in council.incoming_delegates.select_related("person", "council")[:50] if t.in_force(today)
        ],
        "pending_request": user.is_authenticated
        and council.join_requests.filter(user=user, status=JoinRequest.Status.PENDING).exists(),
        "join_form": JoinForm(),
        "announcement_form": AnnouncementForm(),
        "record_head": _record_head(user, council),
        "waiting": waiting,
        "timeline": activity.timeline(council) if role else [],
    }
    return render(request, "councils/detail.html", context)


def _record_head(user, council: Council):
    """Where the council's decision record ends (shown on its page; see decisions.anchoring)."""
    from parsoc.web.decisions.anchoring import record_head

    return record_head(user, council)


@login_required
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    council = visible_council(request, slug)
    if not request.user.has_perm("councils.change_council", council):
        raise PermissionDenied("Only a facilitator can change this council's settings.")
    initial = {f: getattr(council, f) for f in ["name", "kind", "description", "city", "visibility", "join_policy"]}
    initial["parent"] = council.parent
    form = CouncilForm(request.user, request.POST or None, initial=initial, exclude=council)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_council(request.user, council, **form.cleaned_data)
        except InputError as error:
            add_input_error(form, error)
        else:
            messages.success(request, "Settings saved.")
            return redirect(council)
    status = 400 if request.method == "POST" else 200
    return render(request, "councils/form.html", {"form": form, "council": council}, status=status)


@login_required
@require_POST
@acting
def join(request: HttpRequest, slug: str) -> HttpResponse:
    council = visible_council(request, slug)
    form = JoinForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    result = services.join(request.user, council, message, build_url=request.build_absolute_uri)
    if isinstance(result, JoinRequest):
        messages.info(request, "Your request is sent; a facilitator will answer it.")
    else:
        messages.success(request, f"Welcome to {council.name}!")
    return redirect(council)


@login_required
@require_POST
@acting
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    council = visible_council(request, slug)
    services.leave(request.user, council)
    messages.info(request, f"You left {council.name}.")
    return redirect("home")


@login_required
def members(request: HttpRequest, slug: str) -> HttpResponse:
    council = visible_council(request, slug)
    if not request.user.has_perm("councils.manage_members", council):
        raise PermissionDenied("Only a facilitator can manage members.")
    context = {
        "council": council,
        "members": council.memberships.select_related("user"),
        "requests": council.join_requests.filter(status=JoinRequest.Status.PENDING).select_related("user"),
        "invitations": council.invitations.filter(revoked_at__isnull=True),
        "invite_form": InviteForm(),
        "delegate_form": DelegateForm(council),
        "terms": council.delegate_terms.select_related("person", "to_council"),
        "roles": list(Role),
    }
    return render(request, "councils/members.html", context)


def _member_user(council: Council, user_id: str) -> User:
    try:
        return council.memberships.select_related("user").get(user_id=parse_id(user_id, "user")).user
    except (ValueError, TypeError, council.memberships.model.DoesNotExist):
        raise InputError("that person is not a member of this council", field="user") from None


def _managing_members(do):
    """A view for one action on the members page (POST only, facilitators): ``do(request,
    council)`` calls the service and says what happened; then back to the members page (wrong
    input: with the reason as a message)."""

    @login_required
    @require_POST
    @acting
    @wraps(do)
    def view(request: HttpRequest, slug: str) -> HttpResponse:
        council = visible_council(request, slug)
        if not request.user.has_perm("councils.manage_members", council):
            raise PermissionDenied("Only a facilitator can manage members.")
        do(request, council)
        return redirect("councils:members", council.slug)

    return view


def _join_request(request: HttpRequest, council: Council) -> JoinRequest:
    try:
        return council.join_requests.get(pk=parse_id(request.POST.get("request", ""), "request"))
    except (ValueError, JoinRequest.DoesNotExist):
        raise InputError("no such request", field="request") from None


@_managing_members
def approve_request(request: HttpRequest, council: Council) -> None:
    join_request = _join_request(request, council)
    services.decide_request(request.user, join_request, approve=True)
    messages.success(request, f"Request from {join_request.user} approved.")


@_managing_members
def decline_request(request: HttpRequest, council: Council) -> None:
    join_request = _join_request(request, council)
    services.decide_request(request.user, join_request, approve=False)
    messages.success(request, f"Request from {join_request.user} declined.")


@_managing_members
def set_role(request: HttpRequest, council: Council) -> None:
    member = _member_user(council, request.POST.get("user"))
    services.set_role(request.user, council, member, request.POST.get("role", ""))
    messages.success(request, f"{member} is now a {request.POST.get('role')}.")


@_managing_members
def remove_member(request: HttpRequest, council: Council) -> None:
    member = _member_user(council, request.POST.get("user"))
    services.remove_member(request.user, council, member)
    messages.info(request, f"{member} is no longer a member.")


@_managing_members
def revoke_invitation(request: HttpRequest, council: Council) -> None:
    try:
        invitation = council.invitations.get(pk=parse_id(request.POST.get("invitation", ""), "invitation"))
    except (ValueError, Invitation.DoesNotExist):
        raise InputError("no such invitation", field="invitation") from None
    services.revoke_invitation(request.user, invitation)
    messages.info(request, "Invitation withdrawn.")


@_managing_members
def end_term(request: HttpRequest, council: Council) -> None:
    try:
        term = council.delegate_terms.get(pk=parse_id(request.POST.get("term", ""), "term"))
    except (ValueError, DelegateTerm.DoesNotExist):
        raise InputError("no such delegate term", field="term") from None
    services.end_delegate_term(request.user, term, request.POST.get("reason", ""))
    messages.info(request, f"{term.person}'s term is ended ({term.get_end_reason_display().lower()}).")


@login_required
def invite(request: HttpRequest, slug: str) -> HttpResponse:
    council = visible_council(request, slug)
    if not request.user.has_perm("councils.invite", council):
        raise PermissionDenied("Only a facilitator of this council can invite people to it.")
    form = InviteForm(request.POST or None)
    made = []
    if request.method == "POST" and form.is_valid():
        made = services.invite(
            request.user, council, form.cleaned_data["emails"], link=form.cleaned_data["make_link"],
            build_url=request.build_absolute_uri,
        )
        sent = [i.email for i in made if i.email]
        if sent:
            messages.success(request, f"Invitation sent to {', '.join(sent)}.")
        form = InviteForm()
    status = 400 if request.method == "POST" and form.errors else 200
    links = [request.build_absolute_uri(i.get_absolute_url()) for i in made if not i.email]
    return render(request, "councils/invite.html", {"council": council, "form": form, "links": links}, status=status)


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    inv = Invitation.objects.select_related("council", "created_by").filter(token=token).first()
    if inv is None:
        return render(request, "councils/invitation.html", {"missing": True}, status=404)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.path)
        try:
            services.accept_invitation(request.user, inv)
        except (InputError, PermissionDenied) as error:
            messages.error(request, str(error))
            return render(request, "councils/invitation.html", {"invitation": inv}, status=400)
        messages.success(request, f"Welcome to {inv.council.name}!")
        return redirect(inv.council)
    return render(request, "councils/invitation.html", {"invitation": inv})


@login_required
@require_POST
def announce(request: HttpRequest, slug: str) -> HttpResponse:
    council = visible_council(request, slug)
    if not request.user.has_perm("councils.post_announcement", council):
        raise PermissionDenied("Only a facilitator of this council can post announcements.")
    form = AnnouncementForm(request.POST)
    if form.is_valid():
        services.announce(request.user, council, form.cleaned_data["title"], form.cleaned_data["body"])
        messages.success(request, "Announcement posted; every member will see it and get it by email.")
        return redirect(council)
    for field, errors in form.errors.items():
        messages.error(request, f"{field}: {' '.join(errors)}")
    return redirect(council)


@login_required
def delegates(request: HttpRequest, slug: str) -> HttpResponse:
    council = visible_council(request, slug)
    if not request.user.has_perm("councils.name_delegate", council):
        raise PermissionDenied("Only a facilitator of this council can name its delegates.")
    form = DelegateForm(council, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.name_delegate(request.user, council, **form.cleaned_data)
        except InputError as error:
            add_input_error(form, error)
        else:
            messages.success(request, f"{form.cleaned_data['person']} is named delegate to {council.parent}.")
            return redirect("councils:members", council.slug)
    status = 400 if request.method == "POST" else 200
    return render(request, "councils/delegates.html", {"council": council, "form": form}, status=status)


def inbox(request: HttpRequest) -> HttpResponse:
    """Retired: announcements are in the one inbox (parsoc.web.notifications)."""
    return redirect("notifications:inbox", permanent=True)


def unread_badge(request: HttpRequest) -> HttpResponse:
    """Retired: the badge is ``notifications:unread``."""
    return redirect("notifications:unread", permanent=True)
