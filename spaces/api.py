"""Spaces and their members: the same services the pages call, with hidden spaces answering 404."""

from datetime import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from core.access import can_admin, get_visible_or_404
from core.services import unwatch, watch
from people.models import User
from spaces import queries, services
from spaces.models import Membership, Space

router = Router()

Kind = Literal["community", "team", "project"]
SpaceVisibility = Literal["open", "organisation", "invite"]
Role = Literal["owner", "moderator", "member"]
State = Literal["active", "requested", "invited"]


class SpaceOut(Schema):
    slug: str
    name: str
    kind: str
    description: str
    visibility: str
    member_count: int
    created: datetime
    cover_url: str | None
    url: str
    my_state: str | None = None
    my_role: str | None = None

    @staticmethod
    def resolve_cover_url(obj):
        return reverse("spaces:cover", args=[obj.slug]) if obj.cover else None

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()

    @staticmethod
    def resolve_my_state(obj):
        return getattr(obj, "my_state", None)

    @staticmethod
    def resolve_my_role(obj):
        return getattr(obj, "my_role", None)


class SpaceIn(Schema):
    name: str
    slug: str = ""
    kind: Kind = "community"
    description: str = ""
    visibility: SpaceVisibility = "open"


class SpacePatch(Schema):
    name: str | None = None
    slug: str | None = None
    kind: Kind | None = None
    description: str | None = None
    visibility: SpaceVisibility | None = None
    remove_cover: bool = False


class MembershipOut(Schema):
    space: str = Field(..., alias="space.slug")
    username: str = Field(..., alias="user.username")
    name: str = Field(..., alias="user.name")
    role: str
    state: str
    invited_by: str | None
    created: datetime

    @staticmethod
    def resolve_invited_by(obj):
        return obj.invited_by.username if obj.invited_by_id else None


class InviteIn(Schema):
    username: str


class EmailInviteIn(Schema):
    email: str
    role: Literal["guest", "learner"] = "guest"


class EmailInviteOut(Schema):
    space: str
    email: str
    role: str


class RoleIn(Schema):
    role: Role


class WatchOut(Schema):
    watching: bool


def _space(request, slug: str) -> Space:
    return get_visible_or_404(request.user, Space.objects.with_my_membership(request.user), slug=slug)


def _person(request, username: str) -> User:
    return get_visible_or_404(request.user, User.objects, username=username)


def _membership(space: Space, user) -> Membership:
    return Membership.objects.select_related("space", "user", "invited_by").get(space=space, user=user)


@router.get("", response=list[SpaceOut])
@paginate(LimitOffsetPagination)
def list_spaces(request, q: str = "", kind: Kind | None = None, mine: bool = False):
    return queries.space_list(request.user, q=q.strip(), kind=kind or "", mine=mine)


@router.post("", response={201: SpaceOut})
def create_space(request, payload: SpaceIn):
    space = services.create_space(creator=request.user, **payload.model_dump())
    return Status(201, _space(request, space.slug))


@router.get("/{slug}", response=SpaceOut)
def get_space(request, slug: str):
    return _space(request, slug)


@router.patch("/{slug}", response=SpaceOut)
def update_space(request, slug: str, payload: SpacePatch):
    space = _space(request, slug)
    changes = payload.model_dump(exclude_unset=True)
    fields = {f: changes.get(f) if changes.get(f) is not None else getattr(space, f) for f in SpaceIn.model_fields}
    services.update_space(editor=request.user, space=space, remove_cover=payload.remove_cover, **fields)
    return _space(request, space.slug)


@router.post("/{slug}/cover", response=SpaceOut)
def upload_cover(request, slug: str, file: File[UploadedFile]):
    """Replace the cover with an uploaded picture (multipart form field ``file``)."""
    space = _space(request, slug)
    services.update_space(
        editor=request.user,
        space=space,
        name=space.name,
        kind=space.kind,
        description=space.description,
        visibility=space.visibility,
        cover=file,
    )
    return _space(request, space.slug)


@router.get("/{slug}/members", response=list[MembershipOut])
@paginate(LimitOffsetPagination)
def list_members(request, slug: str, state: State = "active"):
    """Active members for anyone who may see the space; requests and invitations for its admins only."""
    space = _space(request, slug)
    if state != Membership.State.ACTIVE and not can_admin(request.user, space):
        raise PermissionDenied("Only the space's owners and moderators see requests and invitations.")
    return queries.members(request.user, space, state=state).select_related("space")


@router.post("/{slug}/join", response=MembershipOut)
def join(request, slug: str):
    """Join an open space, ask to join a visible one, or accept an invitation: ``state`` says which."""
    space = _space(request, slug)
    services.join_space(user=request.user, space=space)
    return _membership(space, request.user)


@router.post("/{slug}/request", response=MembershipOut)
def request_to_join(request, slug: str):
    space = _space(request, slug)
    services.request_to_join(user=request.user, space=space)
    return _membership(space, request.user)


@router.post("/{slug}/leave", response={204: None})
def leave(request, slug: str):
    """Leave, withdraw a request, or decline an invitation."""
    services.leave_space(user=request.user, space=_space(request, slug))
    return Status(204, None)


@router.post("/{slug}/invitation/accept", response=MembershipOut)
def accept_invitation(request, slug: str):
    space = _space(request, slug)
    services.accept_invitation(user=request.user, space=space)
    return _membership(space, request.user)


@router.post("/{slug}/invitation/decline", response={204: None})
def decline_invitation(request, slug: str):
    services.decline_invitation(user=request.user, space=_space(request, slug))
    return Status(204, None)


@router.post("/{slug}/invite", response={201: MembershipOut})
def invite(request, slug: str, payload: InviteIn):
    space = _space(request, slug)
    person = _person(request, payload.username.strip().lstrip("@"))
    services.invite_to_space(inviter=request.user, space=space, user=person)
    return Status(201, _membership(space, person))


@router.post("/{slug}/invite-by-email", response={201: EmailInviteOut})
def invite_by_email(request, slug: str, payload: EmailInviteIn):
    """Invite someone with no account yet; they join the space when they sign up with the e-mailed link."""
    space = _space(request, slug)
    invitation = services.invite_by_email(inviter=request.user, space=space, email=payload.email, role=payload.role)
    return Status(201, {"space": space.slug, "email": invitation.email, "role": invitation.role})


@router.post("/{slug}/members/{username}/approve", response=MembershipOut)
def approve(request, slug: str, username: str):
    space, person = _space(request, slug), _person(request, username)
    services.approve_request(approver=request.user, space=space, user=person)
    return _membership(space, person)


@router.post("/{slug}/members/{username}/decline", response={204: None})
def decline(request, slug: str, username: str):
    space, person = _space(request, slug), _person(request, username)
    services.decline_request(decliner=request.user, space=space, user=person)
    return Status(204, None)


@router.put("/{slug}/members/{username}/role", response=MembershipOut)
def set_role(request, slug: str, username: str, payload: RoleIn):
    space, person = _space(request, slug), _person(request, username)
    services.set_member_role(actor=request.user, space=space, user=person, role=payload.role)
    return _membership(space, person)


@router.delete("/{slug}/members/{username}", response={204: None})
def remove(request, slug: str, username: str):
    """Remove a member or withdraw an invitation."""
    space, person = _space(request, slug), _person(request, username)
    services.remove_member(actor=request.user, space=space, user=person)
    return Status(204, None)


@router.put("/{slug}/watch", response=WatchOut)
def watch_space(request, slug: str):
    watch(user=request.user, space=_space(request, slug))
    return {"watching": True}


@router.delete("/{slug}/watch", response=WatchOut)
def unwatch_space(request, slug: str):
    unwatch(user=request.user, space=_space(request, slug))
    return {"watching": False}
