"""Writes to spaces and memberships. Every change records an Activity so notifications follow from it.

Rule violations raise ``PermissionDenied`` (the person may not do this) or ``ValidationError``
(the request makes no sense now, e.g. the last owner leaving); views turn them into messages or
form errors and the API into ``{"detail": ...}`` with a 403 or 400.
"""

from __future__ import annotations

from io import BytesIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_slug
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from PIL import Image

from core.access import can_admin, forget_space_roles, is_guest, is_site_admin
from core.models import Activity
from core.services import record_activity, unwatch, watch
from search.index import schedule_index
from spaces.models import Membership, Space

MAX_COVER_WIDTH = 1600
# /spaces/new/ is a page, so no space may take that address.
RESERVED_SLUGS = {"new"}

Verb = Activity.Verb
State = Membership.State
Role = Membership.Role


# Spaces


def prepare_cover(upload) -> ContentFile:
    """Check an uploaded cover is a real picture and re-encode it as a JPEG at most 1600 pixels wide.

    Covers are banners, so only the width is capped; the picture checks (size, format, pixel bombs)
    are the ones profile photos get.
    """
    from people.images import open_image

    try:
        image = open_image(upload)
    except ValidationError as exc:
        raise ValidationError({"cover": exc.messages}) from exc
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        image = Image.new("RGB", rgba.size, (255, 255, 255))
        image.paste(rgba, mask=rgba.getchannel("A"))
    else:
        image = image.convert("RGB")
    if image.width > MAX_COVER_WIDTH:
        height = max(1, round(image.height * MAX_COVER_WIDTH / image.width))
        image = image.resize((MAX_COVER_WIDTH, height), Image.Resampling.LANCZOS)
    out = BytesIO()
    image.save(out, "JPEG", quality=85, optimize=True, progressive=True)
    return ContentFile(out.getvalue())


def _slug_taken(slug: str, *, exclude_pk=None) -> bool:
    return slug in RESERVED_SLUGS or Space.objects.filter(slug=slug).exclude(pk=exclude_pk).exists()


def unique_slug(name: str, *, exclude_pk=None) -> str:
    """A free address made from the name: 'data-club', then 'data-club-2', 'data-club-3'…"""
    base = slugify(name)[:110].strip("-") or "space"
    slug, n = base, 1
    while _slug_taken(slug, exclude_pk=exclude_pk):
        n += 1
        slug = f"{base}-{n}"
    return slug


def _clean_slug(slug: str, *, name: str, exclude_pk=None) -> str:
    slug = slug.strip().lower()
    if not slug:
        return unique_slug(name, exclude_pk=exclude_pk)
    try:
        validate_slug(slug)
    except ValidationError as exc:
        raise ValidationError({"slug": "Use only letters, numbers, hyphens and underscores."}) from exc
    if len(slug) > 120:
        raise ValidationError({"slug": "Keep the address to 120 characters or fewer."})
    if _slug_taken(slug, exclude_pk=exclude_pk):
        raise ValidationError({"slug": f"The address “{slug}” is taken; choose another."})
    return slug


MAX_DESCRIPTION = 5000


def _clean_fields(*, name: str, kind: str, visibility: str, description: str) -> str:
    name = " ".join(name.split())
    errors = {}
    if len(description) > MAX_DESCRIPTION:
        errors["description"] = f"Keep the description to {MAX_DESCRIPTION} characters or fewer."
    if not name:
        errors["name"] = "Give the space a name."
    elif len(name) > 120:
        errors["name"] = "Keep the name to 120 characters or fewer."
    if kind not in Space.Kind.values:
        errors["kind"] = "Choose community, team or project."
    if visibility not in Space.Visibility.values:
        errors["visibility"] = "Choose open, visible or invite-only."
    if errors:
        raise ValidationError(errors)
    return name


def _save_cover(space: Space, cover) -> None:
    old = space.cover.name if space.cover else ""
    space.cover.save(f"{space.slug}.jpg", prepare_cover(cover), save=False)
    if old:
        storage = space.cover.storage
        transaction.on_commit(lambda: storage.delete(old))


def _remove_cover(space: Space) -> None:
    if space.cover:
        old, storage = space.cover.name, space.cover.storage
        space.cover = ""
        transaction.on_commit(lambda: storage.delete(old))


@transaction.atomic
def create_space(
    *,
    creator,
    name: str,
    kind: str = Space.Kind.COMMUNITY,
    description: str = "",
    visibility: str = Space.Visibility.OPEN,
    slug: str = "",
    cover=None,
) -> Space:
    """Make a space; its creator becomes its owner and watches it."""
    if not creator.is_authenticated or is_guest(creator):
        raise PermissionDenied("Guests cannot create spaces.")
    name = _clean_fields(name=name, kind=kind, visibility=visibility, description=description)
    space = Space(
        name=name,
        slug=_clean_slug(slug, name=name),
        kind=kind,
        description=description.strip(),
        visibility=visibility,
        created_by=creator,
        member_count=1,
    )
    if cover:
        _save_cover(space, cover)
    try:
        with transaction.atomic():
            space.save()
    except IntegrityError as exc:  # another request took the same address a moment ago
        raise ValidationError({"slug": f"The address “{space.slug}” is taken; choose another."}) from exc
    Membership.objects.create(space=space, user=creator, role=Role.OWNER, state=State.ACTIVE)
    watch(user=creator, space=space)
    record_activity(actor=creator, verb=Verb.CREATED, space=space)
    forget_space_roles(creator)
    schedule_index(space)
    return space


@transaction.atomic
def update_space(
    *,
    editor,
    space: Space,
    name: str,
    kind: str,
    description: str,
    visibility: str,
    slug: str | None = None,
    cover=None,
    remove_cover: bool = False,
) -> Space:
    """Change a space's details; only its owners and moderators (and site admins) may."""
    if not can_admin(editor, space):
        raise PermissionDenied("Only the space's owners and moderators may change it.")
    space.name = _clean_fields(name=name, kind=kind, visibility=visibility, description=description)
    if slug is not None and slug.strip().lower() != space.slug:
        space.slug = _clean_slug(slug, name=space.name, exclude_pk=space.pk)
    space.kind = kind
    space.description = description.strip()
    space.visibility = visibility
    if cover:
        _save_cover(space, cover)
    elif remove_cover:
        _remove_cover(space)
    try:
        with transaction.atomic():
            # Named fields only: the member count is kept by the membership services under their lock.
            space.save(update_fields=["name", "slug", "kind", "description", "visibility", "cover"])
    except IntegrityError as exc:
        raise ValidationError({"slug": f"The address “{space.slug}” is taken; choose another."}) from exc
    record_activity(actor=editor, verb=Verb.UPDATED, space=space)
    schedule_index(space)
    return space


# Memberships


def _lock(space: Space) -> Space:
    """Serialise membership changes per space, so counts and 'last owner' checks see every change."""
    return Space.objects.select_for_update().get(pk=space.pk)


def _membership(space: Space, user) -> Membership | None:
    return Membership.objects.filter(space=space, user=user).first()


def _recount(space: Space, locked: Space) -> None:
    count = Membership.objects.filter(space=locked, state=State.ACTIVE).count()
    Space.objects.filter(pk=locked.pk).update(member_count=count)
    space.member_count = locked.member_count = count


def _owner_count(space: Space) -> int:
    return Membership.objects.filter(space=space, state=State.ACTIVE, role=Role.OWNER).count()


def _is_owner(user, space: Space) -> bool:
    if is_site_admin(user):
        return True
    return Membership.objects.filter(space=space, user=user, state=State.ACTIVE, role=Role.OWNER).exists()


def _require_admin(actor, space: Space, doing: str) -> None:
    if not can_admin(actor, space):
        raise PermissionDenied(f"Only the space's owners and moderators may {doing}.")


def _activate(membership: Membership, *, user, space: Space, locked: Space) -> None:
    membership.state = State.ACTIVE
    membership.save(update_fields=["state"])
    _recount(space, locked)
    watch(user=user, space=space)
    forget_space_roles(user)


def _request(*, user, space: Space, locked: Space) -> Membership:
    membership = Membership.objects.create(space=space, user=user, state=State.REQUESTED)
    record_activity(actor=user, verb=Verb.REQUESTED, space=space)
    return membership


def _accept(*, membership: Membership, user, space: Space, locked: Space) -> Membership:
    _activate(membership, user=user, space=space, locked=locked)
    extra = {"invited_by": membership.invited_by_id} if membership.invited_by_id else None
    record_activity(actor=user, verb=Verb.JOINED, space=space, extra=extra)
    return membership


def _refuse_outsider(user, space: Space) -> None:
    if not user.is_authenticated:
        raise PermissionDenied("Sign in to join a space.")
    if is_guest(user):
        raise PermissionDenied("Guests join spaces by invitation only.")
    if space.visibility == Space.Visibility.INVITE_ONLY:
        raise PermissionDenied("This space is invitation-only: ask one of its owners to invite you.")


@transaction.atomic
def join_space(*, user, space: Space) -> Membership:
    """Join an open space at once, ask to join a visible one, or take up an invitation.

    Returns the membership, whose state says which happened (active, or requested).
    """
    locked = _lock(space)
    membership = _membership(space, user) if user.is_authenticated else None
    if membership is not None:
        if membership.state == State.INVITED:
            return _accept(membership=membership, user=user, space=space, locked=locked)
        return membership
    _refuse_outsider(user, space)
    if space.visibility == Space.Visibility.ORGANISATION:
        return _request(user=user, space=space, locked=locked)
    membership = Membership.objects.create(space=space, user=user, state=State.ACTIVE)
    _recount(space, locked)
    watch(user=user, space=space)
    forget_space_roles(user)
    record_activity(actor=user, verb=Verb.JOINED, space=space)
    return membership


@transaction.atomic
def request_to_join(*, user, space: Space) -> Membership:
    """Ask the owners of a visible (not open) space to let you in."""
    locked = _lock(space)
    membership = _membership(space, user) if user.is_authenticated else None
    if membership is not None:
        if membership.state == State.INVITED:
            return _accept(membership=membership, user=user, space=space, locked=locked)
        return membership
    _refuse_outsider(user, space)
    if space.visibility == Space.Visibility.OPEN:
        raise ValidationError("Anyone may join this space: join it directly.")
    return _request(user=user, space=space, locked=locked)


@transaction.atomic
def leave_space(*, user, space: Space) -> None:
    """Leave a space, withdraw a request to join it, or decline an invitation to it."""
    locked = _lock(space)
    membership = _membership(space, user)
    if membership is None:
        raise ValidationError(f"You are not a member of {space.name}.")
    if membership.state == State.INVITED:
        _decline_invitation(membership=membership, user=user, space=space)
        return
    if membership.state == State.REQUESTED:
        membership.delete()
        record_activity(actor=user, verb=Verb.DELETED, space=space, extra={"membership": "request_withdrawn"})
        return
    if membership.role == Role.OWNER and _owner_count(space) <= 1:
        raise ValidationError(f"You are the last owner of {space.name}. Make someone else an owner before you leave.")
    membership.delete()
    _recount(space, locked)
    unwatch(user=user, space=space)
    forget_space_roles(user)
    record_activity(actor=user, verb=Verb.LEFT, space=space)


@transaction.atomic
def approve_request(*, approver, space: Space, user) -> Membership:
    """Let someone who asked to join in; they are told and start watching the space."""
    _require_admin(approver, space, "approve requests to join")
    locked = _lock(space)
    membership = _membership(space, user)
    if membership is None or membership.state != State.REQUESTED:
        raise ValidationError(f"{user.name} has not asked to join {space.name}.")
    _activate(membership, user=user, space=space, locked=locked)
    record_activity(actor=approver, verb=Verb.APPROVED, space=space, target=user)
    return membership


@transaction.atomic
def decline_request(*, decliner, space: Space, user) -> None:
    _require_admin(decliner, space, "decline requests to join")
    _lock(space)
    membership = _membership(space, user)
    if membership is None or membership.state != State.REQUESTED:
        raise ValidationError(f"{user.name} has not asked to join {space.name}.")
    membership.delete()
    record_activity(
        actor=decliner, verb=Verb.DELETED, space=space, target=user, extra={"membership": "request_declined"}
    )


@transaction.atomic
def invite_to_space(*, inviter, space: Space, user) -> Membership:
    """Invite a person (a guest too: this is how guests get into spaces); they are told and may accept."""
    _require_admin(inviter, space, "invite people")
    locked = _lock(space)
    if not user.is_active:
        raise ValidationError(f"{user.name}'s account is closed.")
    membership = _membership(space, user)
    if membership is not None:
        if membership.state == State.ACTIVE:
            raise ValidationError(f"{user.name} is already a member of {space.name}.")
        if membership.state == State.INVITED:
            raise ValidationError(f"{user.name} is already invited to {space.name}.")
        # They asked to join and an admin invites them: that is a yes.
        _activate(membership, user=user, space=space, locked=locked)
        record_activity(actor=inviter, verb=Verb.APPROVED, space=space, target=user)
        return membership
    membership = Membership.objects.create(space=space, user=user, state=State.INVITED, invited_by=inviter)
    record_activity(actor=inviter, verb=Verb.INVITED, space=space, target=user)
    return membership


@transaction.atomic
def invite_by_email(*, inviter, space: Space, email: str, role: str = "guest"):
    """Invite someone who has no account yet: they get a sign-up link and join the space when they use it."""
    from people.services import invite_person

    _require_admin(inviter, space, "invite people")
    invitation = invite_person(inviter=inviter, email=email, role=role, space=space)
    record_activity(actor=inviter, verb=Verb.INVITED, space=space, extra={"invitation": invitation.pk})
    return invitation


@transaction.atomic
def accept_invitation(*, user, space: Space) -> Membership:
    locked = _lock(space)
    membership = _membership(space, user)
    if membership is None or membership.state != State.INVITED:
        raise ValidationError(f"You have no invitation to {space.name}.")
    return _accept(membership=membership, user=user, space=space, locked=locked)


def _decline_invitation(*, membership: Membership, user, space: Space) -> None:
    membership.delete()
    record_activity(actor=user, verb=Verb.DELETED, space=space, extra={"membership": "invitation_declined"})


@transaction.atomic
def decline_invitation(*, user, space: Space) -> None:
    _lock(space)
    membership = _membership(space, user)
    if membership is None or membership.state != State.INVITED:
        raise ValidationError(f"You have no invitation to {space.name}.")
    _decline_invitation(membership=membership, user=user, space=space)


@transaction.atomic
def set_member_role(*, actor, space: Space, user, role: str) -> Membership:
    """Make a member an owner, moderator or plain member. Only owners make or unmake owners."""
    _require_admin(actor, space, "change roles")
    if role not in Role.values:
        raise ValidationError("Choose owner, moderator or member.")
    _lock(space)
    membership = _membership(space, user)
    if membership is None or membership.state != State.ACTIVE:
        raise ValidationError(f"{user.name} is not a member of {space.name}.")
    if membership.role == role:
        return membership
    if Role.OWNER in (role, membership.role) and not _is_owner(actor, space):
        raise PermissionDenied("Only owners may make someone an owner or change an owner's role.")
    if membership.role == Role.OWNER and _owner_count(space) <= 1:
        raise ValidationError(f"{user.name} is the last owner of {space.name}. Make someone else an owner first.")
    previous = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    forget_space_roles(user)
    record_activity(
        actor=actor,
        verb=Verb.UPDATED,
        space=space,
        target=user,
        extra={"membership": "role", "role": role, "previous": previous},
    )
    return membership


@transaction.atomic
def remove_member(*, actor, space: Space, user) -> None:
    """Take someone out of a space, or withdraw their invitation. Only owners remove owners."""
    if actor.pk == user.pk:
        leave_space(user=user, space=space)
        return
    _require_admin(actor, space, "remove members")
    locked = _lock(space)
    membership = _membership(space, user)
    if membership is None or membership.state == State.REQUESTED:
        raise ValidationError(f"{user.name} is not a member of {space.name}.")
    if membership.role == Role.OWNER:
        if not _is_owner(actor, space):
            raise PermissionDenied("Only owners may remove an owner.")
        if membership.state == State.ACTIVE and _owner_count(space) <= 1:
            raise ValidationError(f"{user.name} is the last owner of {space.name}.")
    was_active = membership.state == State.ACTIVE
    membership.delete()
    if was_active:
        _recount(space, locked)
    unwatch(user=user, space=space)
    forget_space_roles(user)
    event = "removed" if was_active else "invitation_withdrawn"
    record_activity(actor=actor, verb=Verb.LEFT, space=space, target=user, extra={"membership": event})


@transaction.atomic
def recount_members(*, space: Space) -> int:
    """Put the stored member count right after memberships were edited outside these services (the back office)."""
    _recount(space, _lock(space))
    return space.member_count
