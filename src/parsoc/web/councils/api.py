"""Council endpoints: the same services and permissions as the web pages."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from parsoc.councils.kinds import CouncilKind, JoinPolicy, Role, Visibility
from parsoc.errors import InputError
from parsoc.web.accounts.models import User
from parsoc.web.api import login_required
from parsoc.web.core.numbers import Count, Id, IdParam
from parsoc.web.core.shortcuts import get_visible_or_404
from parsoc.web.councils import services
from parsoc.web.councils.models import Council

router = Router(tags=["councils"])


class CouncilOut(Schema):
    slug: str
    name: str
    kind: CouncilKind
    description: str
    city: str
    parent: str | None = Field(None, alias="parent.slug")
    visibility: Visibility
    join_policy: JoinPolicy


class CouncilIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    kind: CouncilKind
    description: str = Field("", max_length=5000)
    city: str = Field("", max_length=80)
    parent: str | None = None
    visibility: Visibility = Visibility.PUBLIC
    join_policy: JoinPolicy = JoinPolicy.REQUEST


class CouncilPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    kind: CouncilKind | None = None
    description: str | None = Field(None, max_length=5000)
    city: str | None = Field(None, max_length=80)
    parent: str | None = Field(None, description="slug of the new parent; empty string for none")
    visibility: Visibility | None = None
    join_policy: JoinPolicy | None = None


class MemberOut(Schema):
    user_id: int
    display_name: str = Field(..., alias="user.display_name")
    role: str
    joined_at: datetime


class JoinIn(Schema):
    message: str = Field("", max_length=1000)


class JoinOut(Schema):
    status: str  # "member" or "requested"


class AnnouncementIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    body: str = Field(..., min_length=1, max_length=10000)


class AnnouncementOut(Schema):
    id: int
    council: str = Field(..., alias="council.slug")
    title: str
    body: str
    author: str | None = Field(None, alias="author.display_name")
    created_at: datetime


class InvitationIn(Schema):
    emails: list[str] = []
    link: bool = False
    max_uses: Count | None = None


class InvitationOut(Schema):
    email: str
    url: str
    expires_at: datetime


class DelegateIn(Schema):
    person: Id
    start: date
    end: date | None = None
    mandate: str = Field("", max_length=2000)


class DelegateOut(Schema):
    id: int
    person: int = Field(..., alias="person_id")
    person_name: str = Field(..., alias="person.display_name")
    to_council: str = Field(..., alias="to_council.slug")
    start: date
    end: date | None
    ended_early_on: date | None
    end_reason: str
    mandate: str


def _council(request, slug: str) -> Council:
    return get_visible_or_404(request.auth, Council.objects.select_related("parent"), "councils.view_council", slug=slug)


def _parent(request, slug: str | None) -> Council | None:
    if not slug:
        return None
    parent = Council.objects.filter(slug=slug).first()
    if parent is None or not request.auth.has_perm("councils.view_council", parent):
        raise InputError(f"parent: no council {slug!r}", field="parent")
    return parent


@router.get("", response=list[CouncilOut])
def list_councils(request, q: str = "", kind: str = "", city: str = ""):
    """The directory: public councils (and members-only ones you belong to), searched."""
    if kind and kind not in {k.value for k in CouncilKind}:
        raise InputError(f"kind: {kind!r} is not a kind of council", field="kind")
    return list(services.directory(request.auth, q=q, kind=kind, city=city)[:500])


@router.post("", response={201: CouncilOut})
def create_council(request, payload: CouncilIn):
    user = login_required(request)
    data = payload.dict()
    data["parent"] = _parent(request, data["parent"])
    return Status(201, services.create_council(user, **data))


@router.get("/{slug}", response=CouncilOut)
def get_council(request, slug: str):
    return _council(request, slug)


@router.patch("/{slug}", response=CouncilOut)
def update_council(request, slug: str, payload: CouncilPatch):
    user = login_required(request)
    council = _council(request, slug)
    changes = payload.dict(exclude_unset=True)
    for field, value in changes.items():
        if value is None and field != "parent":
            raise InputError(f"{field}: cannot be null (leave it out to keep it as it is)", field=field)
    if "parent" in changes:
        changes["parent"] = _parent(request, changes["parent"])
    return services.update_council(user, council, **changes)


@router.get("/{slug}/members", response=list[MemberOut])
def list_members(request, slug: str):
    council = _council(request, slug)
    if not request.auth.has_perm("councils.view_members", council):
        raise PermissionDenied("you may not see this council's members")
    return list(council.memberships.select_related("user"))


@router.post("/{slug}/join", response={200: JoinOut, 202: JoinOut})
def join(request, slug: str, payload: JoinIn | None = None):
    user = login_required(request)
    result = services.join(user, _council(request, slug), payload.message if payload else "",
                           build_url=request.build_absolute_uri)
    if result.__class__.__name__ == "JoinRequest":
        return Status(202, {"status": "requested"})
    return Status(200, {"status": "member"})


@router.post("/{slug}/leave", response={204: None})
def leave(request, slug: str):
    user = login_required(request)
    services.leave(user, _council(request, slug))
    return Status(204, None)


class RoleIn(Schema):
    role: Role


@router.put("/{slug}/members/{user_id}/role", response=MemberOut)
def set_role(request, slug: str, user_id: IdParam, payload: RoleIn):
    user = login_required(request)
    council = _council(request, slug)
    member = get_object_or_404(User, pk=user_id)
    return services.set_role(user, council, member, payload.role)


@router.get("/{slug}/announcements", response=list[AnnouncementOut])
def list_announcements(request, slug: str):
    council = _council(request, slug)
    return list(council.announcements.select_related("council", "author")[:100])


@router.post("/{slug}/announcements", response={201: AnnouncementOut})
def post_announcement(request, slug: str, payload: AnnouncementIn):
    user = login_required(request)
    return Status(201, services.announce(user, _council(request, slug), payload.title, payload.body))


@router.post("/{slug}/invitations", response={201: list[InvitationOut]})
def invite(request, slug: str, payload: InvitationIn):
    user = login_required(request)
    made = services.invite(
        user, _council(request, slug), payload.emails, link=payload.link, max_uses=payload.max_uses,
        build_url=request.build_absolute_uri,
    )
    return Status(201, [
        {"email": i.email, "url": request.build_absolute_uri(i.get_absolute_url()), "expires_at": i.expires_at}
        for i in made
    ])


@router.get("/{slug}/delegates", response=list[DelegateOut])
def list_delegates(request, slug: str):
    council = _council(request, slug)
    return list(council.delegate_terms.select_related("person", "to_council"))


@router.post("/{slug}/delegates", response={201: DelegateOut})
def name_delegate(request, slug: str, payload: DelegateIn):
    user = login_required(request)
    council = _council(request, slug)
    person = User.objects.filter(pk=payload.person).first()
    if person is None:
        raise InputError(f"person: no person with id {payload.person}", field="person")
    term = services.name_delegate(user, council, person, payload.start, payload.end, payload.mandate)
    return Status(201, term)


@router.get("/-/unread", response=list[AnnouncementOut])
def unread(request):
    """Announcements of your councils you have not read yet (the in-app unread list)."""
    user = login_required(request)
    return list(services.announcements_for(user).filter(is_read=False)[:200])
