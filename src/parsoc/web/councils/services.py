"""What people do to councils, in one place for the web pages and the API alike.

Each function checks the permission, checks the input against the pure rules in
:mod:`parsoc.councils`, and writes inside one transaction, so a refused action leaves nothing
half-written. Refusals raise ``PermissionDenied`` (not allowed) or ``InputError`` (wrong input).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from parsoc.councils.delegates import check_term, overlapping_term
from parsoc.councils.kinds import CouncilKind, JoinPolicy, Role, Visibility
from parsoc.councils.nesting import check_parent
from parsoc.errors import InputError
from parsoc.web.core.mail import mass_mail_on_commit, one_line
from parsoc.web.councils.models import (
    Announcement,
    AnnouncementRead,
    Council,
    DelegateTerm,
    Invitation,
    JoinRequest,
    Membership,
)
from parsoc.web.notifications.kinds import Kind
from parsoc.web.notifications.services import notify


def require(user, permission: str, council: Model | None = None, message: str | None = None) -> None:
    """Refuse unless ``user`` has ``permission`` on ``council`` (or on another record the rule takes)."""
    if not user.has_perm(permission, council):
        if not user.is_authenticated:
            raise PermissionDenied("log in first")
        if permission == "councils.create_council" and not getattr(user, "email_confirmed", False):
            raise PermissionDenied("confirm your email address first")
        raise PermissionDenied(message or "you are not allowed to do that here")


def _parent_of(council_id):
    return Council.objects.filter(pk=council_id).values_list("parent_id", flat=True).first()


def _check_choice(value: str, enum, field: str) -> str:
    try:
        return enum(value).value
    except ValueError:
        allowed = ", ".join(m.value for m in enum)
        raise InputError(f"{field}: {value!r} is not one of {allowed}", field=field) from None


def create_council(user, *, name: str, kind: str, description: str = "", city: str = "",
                   parent: Council | None = None, visibility: str = Visibility.PUBLIC,
                   join_policy: str = JoinPolicy.REQUEST) -> Council:
    require(user, "councils.create_council")
    name = (name or "").strip()
    if not name:
        raise InputError("name: a council needs a name", field="name")
    kind = _check_choice(kind, CouncilKind, "kind")
    visibility = _check_choice(visibility, Visibility, "visibility")
    join_policy = _check_choice(join_policy, JoinPolicy, "join_policy")
    if parent is not None:
        require(user, "councils.nest_under", parent, "you can only nest a council under one you belong to")
    with transaction.atomic():
        council = Council.objects.create(
            name=name, slug=Council.unique_slug(name), kind=kind, description=description.strip(),
            city=city.strip(), parent=parent, visibility=visibility, join_policy=join_policy,
            created_by=user,
        )
        Membership.objects.create(council=council, user=user, role=Role.FACILITATOR)
    return council


def update_council(user, council: Council, **changes) -> Council:
    require(user, "councils.change_council", council)
    if "name" in changes:
        changes["name"] = (changes["name"] or "").strip()
        if not changes["name"]:
            raise InputError("name: a council needs a name", field="name")
    for field, enum in (("kind", CouncilKind), ("visibility", Visibility), ("join_policy", JoinPolicy)):
        if field in changes:
            changes[field] = _check_choice(changes[field], enum, field)
    if "parent" in changes:
        parent = changes["parent"]
        check_parent(council.pk, parent.pk if parent else None, _parent_of)
        if parent is not None and parent.pk != council.parent_id:
            require(user, "councils.nest_under", parent, "you can only nest a council under one you belong to")
    with transaction.atomic():
        for field, value in changes.items():
            setattr(council, field, value)
        council.save()
    return council


def join(user, council: Council, message: str = "", build_url=lambda path: path) -> Membership | JoinRequest:
    """Join an open council at once, or ask to join one that approves requests."""
    if user.is_authenticated and council.memberships.filter(user=user).exists():
        raise InputError("you are already a member of this council")
    require(user, "councils.join", council, "you cannot join this council")
    if council.join_policy == JoinPolicy.INVITATION:
        raise InputError("this council takes members by invitation only; ask a facilitator for an invitation")
    if council.join_policy == JoinPolicy.OPEN:
        return _add_member(council, user)
    if council.join_requests.filter(user=user, status=JoinRequest.Status.PENDING).exists():
        raise InputError("you have already asked to join; a facilitator will answer")
    try:
        with transaction.atomic():
            join_request = JoinRequest.objects.create(council=council, user=user, message=(message or "").strip()[:1000])
    except IntegrityError:
        raise InputError("you have already asked to join; a facilitator will answer") from None
    note = f"\n\nTheir message: {join_request.message}" if join_request.message else ""
    notify(Kind.JOIN_REQUESTED, [m.user for m in council.facilitators().select_related("user")], actor=user,
           council=council, title=f"{user.display_name} asks to join", url=reverse("councils:members", args=[council.slug]),
           context={"body": f"{user.display_name} ({user.email}) asks to join {council.name}.{note}\n\n"
                            "Answer on the council's members page."})
    return join_request


def _add_member(council: Council, user, role: str = Role.MEMBER) -> Membership:
    try:
        with transaction.atomic():
            return Membership.objects.create(council=council, user=user, role=role)
    except IntegrityError:
        raise InputError("you are already a member of this council") from None


def decide_request(user, join_request: JoinRequest, approve: bool) -> None:
    require(user, "councils.manage_members", join_request.council)
    if join_request.status != JoinRequest.Status.PENDING:
        raise InputError("that request has already been answered")
    with transaction.atomic():
        join_request.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.DECLINED
        join_request.decided_by = user
        join_request.decided_at = timezone.now()
        join_request.save()
        if approve and not join_request.council.memberships.filter(user=join_request.user).exists():
            Membership.objects.create(council=join_request.council, user=join_request.user)
        if approve:
            council = join_request.council
            notify(Kind.JOIN_APPROVED, [join_request.user], actor=user, council=council,
                   title=f"You are now a member of {council.name}", url=council.get_absolute_url(),
                   context={"body": f"{user.display_name} approved your request to join {council.name}."})


def leave(user, council: Council) -> None:
    require(user, "councils.leave", council, "you are not a member of this council")
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(council=council, user=user)
        others = council.memberships.exclude(pk=membership.pk)
        if membership.role == Role.FACILITATOR and others.exists() and not others.filter(role=Role.FACILITATOR).exists():
            raise InputError("you are the only facilitator: make another member a facilitator before you leave")
        membership.delete()


def set_role(user, council: Council, member, role: str) -> Membership:
    require(user, "councils.manage_members", council)
    role = _check_choice(role, Role, "role")
    with transaction.atomic():
        membership = council.memberships.select_for_update().filter(user=member).first()
        if membership is None:
            raise InputError(f"{member} is not a member of this council")
        if role == Role.MEMBER and membership.role == Role.FACILITATOR and council.facilitators().count() == 1:
            raise InputError("a council needs at least one facilitator")
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


def remove_member(user, council: Council, member) -> None:
    require(user, "councils.manage_members", council)
    with transaction.atomic():
        membership = council.memberships.select_for_update().filter(user=member).first()
        if membership is None:
            raise InputError(f"{member} is not a member of this council")
        if membership.role == Role.FACILITATOR and council.facilitators().count() == 1:
            raise InputError("a council needs at least one facilitator")
        membership.delete()


def invite(user, council: Council, emails: Iterable[str] = (), *, link: bool = False,
           max_uses: int | None = None, build_url=lambda path: path) -> list[Invitation]:
    """Invite people by email, or make a link (``link=True``) to share by hand."""
    require(user, "councils.invite", council, "only a facilitator of this council can invite people to it")
    emails = [e.strip().lower() for e in emails if e and e.strip()]
    bad = [e for e in emails if not _is_email(e)]
    if bad:
        raise InputError(f"emails: not an email address: {', '.join(bad[:5])}", field="emails")
    if not link and not emails:
        raise InputError("give at least one email address, or ask for a link", field="emails")
    if max_uses is not None and max_uses < 1:
        raise InputError("max_uses: must be at least 1", field="max_uses")
    with transaction.atomic():
        made = []
        if link:
            made.append(Invitation.objects.create(council=council, created_by=user, max_uses=max_uses))
        for email in emails:
            made.append(Invitation.objects.create(council=council, created_by=user, email=email, max_uses=1))
        _mail_invitations(user, council, made, build_url)
    return made


def _mail_invitations(user, council: Council, made: list[Invitation], build_url) -> None:
    mails = [
        (
            f"{user.display_name} invites you to {council.name} on parsoc",
            f"{user.display_name} invites you to join {council.name} ({council.kind_label}).\n\n"
            f"Accept the invitation: {build_url(inv.get_absolute_url())}\n\n"
            f"The link works until {inv.expires_at:%d %B %Y}.",
            None,
            [inv.email],
        )
        for inv in made
        if inv.email
    ]
    mass_mail_on_commit(mails, f"invitations to {council.slug}")


def _is_email(text: str) -> bool:
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    try:
        validate_email(text)
    except ValidationError:
        return False
    return "\n" not in text and "\r" not in text


def accept_invitation(user, invitation: Invitation) -> Membership:
    if not user.is_authenticated:
        raise PermissionDenied("log in first")
    if not invitation.usable:
        raise InputError("this invitation has expired, was used up, or was withdrawn")
    if invitation.email and invitation.email.lower() != user.email.lower():
        raise PermissionDenied("this invitation was sent to another email address")
    council = invitation.council
    if council.memberships.filter(user=user).exists():
        raise InputError("you are already a member of this council")
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not locked.usable:
            raise InputError("this invitation has expired, was used up, or was withdrawn")
        membership = _add_member(council, user)
        locked.uses += 1
        locked.save(update_fields=["uses"])
        JoinRequest.objects.filter(council=council, user=user, status=JoinRequest.Status.PENDING).update(
            status=JoinRequest.Status.APPROVED, decided_at=timezone.now(), decided_by=locked.created_by
        )
    return membership


def revoke_invitation(user, invitation: Invitation) -> None:
    require(user, "councils.invite", invitation.council)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])


def announce(user, council: Council, title: str, body: str, kind: str = Kind.ANNOUNCEMENT) -> Announcement:
    """Post an announcement: every member is told (parsoc.web.notifications; ``kind`` says
    which sort of notice, an announcement by default)."""
    require(user, "councils.post_announcement", council, "only a facilitator of this council can post announcements")
    title, body = one_line(title, 200), (body or "").strip()
    if not title:
        raise InputError("title: an announcement needs a title", field="title")
    if not body:
        raise InputError("body: an announcement needs some text", field="body")
    with transaction.atomic():
        announcement = Announcement.objects.create(council=council, author=user, title=title, body=body)
        AnnouncementRead.objects.create(announcement=announcement, user=user)
        _tell_members(announcement, f"{body}\n\n— {user.display_name}, for {council.name}", actor=user, kind=kind)
    return announcement


def _tell_members(announcement: Announcement, body: str, actor=None, kind: str = Kind.ANNOUNCEMENT) -> int:
    council = announcement.council
    return notify(kind, [m.user for m in council.memberships.select_related("user")], actor=actor, council=council,
                  title=announcement.title, url=council.get_absolute_url(),
                  context={"body": body, "announcement": announcement.pk})


def announce_on_behalf_of_council(council: Council, title: str, body: str) -> Announcement:
    """An announcement the application posts itself (no author; e.g. the decision record's
    head at each close), inside the caller's transaction: every member sees it in the app, and
    gets it by email once that transaction has committed (parsoc.web.core.mail)."""
    title = one_line(title, 200)
    announcement = Announcement.objects.create(council=council, author=None, title=title, body=body)
    _tell_members(announcement, body)
    return announcement


def announcements_for(user) -> QuerySet:
    """Announcements of the user's councils posted since they joined, newest first, with ``unread``."""
    joined = Membership.objects.filter(user=user, council=OuterRef("council"), joined_at__lte=OuterRef("created_at"))
    read = AnnouncementRead.objects.filter(user=user, announcement=OuterRef("pk"))
    return (
        Announcement.objects.filter(Exists(joined))
        .annotate(is_read=Exists(read))
        .select_related("council", "author")
    )


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return announcements_for(user).filter(is_read=False).count()


def mark_read(user, announcements: Iterable[Announcement]) -> None:
    """Mark announcements read, and their notices in the inbox."""
    from parsoc.web.notifications.services import mark_announcements_read

    seen = list(announcements)
    for announcement in seen:
        AnnouncementRead.objects.get_or_create(announcement=announcement, user=user)
    mark_announcements_read(user, [a.pk for a in seen])


def name_delegate(user, council: Council, person, start: date, end: date | None = None,
                  mandate: str = "") -> DelegateTerm:
    """A council names one of its members as a delegate to its parent council for a term."""
    require(user, "councils.name_delegate", council, "only a facilitator of this council can name its delegates")
    if council.parent_id is None:
        raise InputError("this council has no parent council to send delegates to")
    if not council.memberships.filter(user=person).exists():
        raise InputError(f"{person} is not a member of {council.name}", field="person")
    check_term(start, end)
    terms = [t.as_term() for t in council.delegate_terms.filter(to_council_id=council.parent_id)]
    clash = overlapping_term(terms, person.pk, start, end)
    if clash is not None:
        raise InputError(f"{person} already has a delegate term from {clash.start} that overlaps these dates", field="start")
    return DelegateTerm.objects.create(
        council=council, to_council_id=council.parent_id, person=person, start=start, end=end,
        mandate=(mandate or "").strip(), created_by=user,
    )


def end_delegate_term(user, term: DelegateTerm, reason: str, on: date | None = None) -> DelegateTerm:
    """Recall a delegate, or record that they stepped down (the term is kept, ended early)."""
    require(user, "councils.name_delegate", term.council)
    if reason not in (DelegateTerm.EndReason.RECALLED, DelegateTerm.EndReason.STEPPED_DOWN):
        raise InputError("reason: must be recalled or stepped_down", field="reason")
    on = on or timezone.localdate()
    if on < term.start:
        raise InputError("a term cannot end before it starts", field="on")
    term.ended_early_on, term.end_reason = on, reason
    term.save(update_fields=["ended_early_on", "end_reason"])
    return term


def directory(user, q: str = "", kind: str = "", city: str = "") -> QuerySet:
    """The public directory (plus members-only councils the user belongs to), searched."""
    found = Council.objects.visible_to(user).select_related("parent")
    if q:
        found = found.filter(Q(name__icontains=q) | Q(description__icontains=q))
    if kind:
        found = found.filter(kind=kind)
    if city:
        found = found.filter(city__icontains=city)
    return found.order_by("name")
