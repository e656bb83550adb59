"""Writes to people, their skills, the skills taxonomy, invitations and the site settings."""

from __future__ import annotations

import logging
import secrets
import uuid
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from core.access import can_admin, is_guest, is_site_admin
from core.models import SiteConfig
from lib.pagecache import content_changed
from people import images
from people.languages import normalise_code
from people.models import RESERVED_SKILL_SLUGS, TIME_ZONES, Invitation, PersonSkill, Site, Skill, User
from people.skill_import import ImportPlan, parse_skills_file, plan_skill_import
from search.index import schedule_index

log = logging.getLogger("watercooler.admin")

INVITATION_DAYS = 30


class _Keep:
    """Marks an optional argument the caller did not give, where None means "clear it"."""

    def __repr__(self):
        return "KEEP"


KEEP: Any = _Keep()


@transaction.atomic
def update_profile(
    *,
    person: User,
    display_name: str | None = None,
    first_name: str | None = None,
    last_name: str | None = None,
    job_title: str | None = None,
    department: str | None = None,
    site: Site | None = KEEP,
    location: str | None = None,
    time_zone: str | None = None,
    languages: list[str] | None = None,
    bio: str | None = None,
    interests: str | None = None,
) -> User:
    """Change the given profile fields (None leaves a field as it is; ``site=None`` clears the site)."""
    given = {
        "display_name": display_name,
        "first_name": first_name,
        "last_name": last_name,
        "job_title": job_title,
        "department": department,
        "location": location,
        "interests": interests,
    }
    changed = []
    for name, value in given.items():
        if value is not None:
            setattr(person, name, " ".join(value.split()))
            changed.append(name)
    if bio is not None:
        person.bio = bio.strip()
        changed.append("bio")
    if site is not KEEP:
        person.site = site
        changed.append("site")
    if time_zone is not None:
        if time_zone not in TIME_ZONES:
            raise ValidationError(f"“{time_zone}” is not a time zone we know.", code="time_zone")
        person.time_zone = time_zone
        changed.append("time_zone")
    if languages is not None:
        codes = []
        for code in languages:
            normal = normalise_code(code)
            if normal is None:
                raise ValidationError(f"“{code}” is not an ISO 639-1 language code.", code="language")
            if normal not in codes:
                codes.append(normal)
        person.languages = codes
        changed.append("languages")
    if not changed:
        return person
    person.clean_fields(exclude=[f.name for f in User._meta.fields if f.name not in changed])
    person.save(update_fields=changed)
    schedule_index(person)
    return person


def _photo_name(person: User, ext: str) -> str:
    # A fresh name on every change, so a browser never shows a cached old photo.
    return f"{person.pk}-{uuid.uuid4().hex[:10]}.{ext}"


def _delete_files_after_commit(*files) -> None:
    stale = [(f.storage, f.name) for f in files if f]
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in stale])


@transaction.atomic
def set_photo(*, person: User, upload) -> User:
    """Check the upload is a picture, then store it re-encoded with a square thumbnail."""
    processed = images.process_photo(upload)
    old = (person.photo, person.photo_thumb)
    old_names = [f.name for f in old if f]
    ext = processed.photo.name.rsplit(".", 1)[-1]
    person.photo.save(_photo_name(person, ext), processed.photo, save=False)
    person.photo_thumb.save(_photo_name(person, "jpg"), processed.thumb, save=False)
    person.save(update_fields=["photo", "photo_thumb"])
    storage = person.photo.storage
    transaction.on_commit(lambda: [storage.delete(name) for name in old_names])
    return person


@transaction.atomic
def clear_photo(*, person: User) -> User:
    _delete_files_after_commit(person.photo, person.photo_thumb)
    person.photo = person.photo_thumb = ""
    person.save(update_fields=["photo", "photo_thumb"])
    return person


def add_person_skill(*, person: User, skill: Skill, direction: str, level: int) -> PersonSkill:
    """Put a skill on a profile, or change its level when it is there already in that direction."""
    if direction not in PersonSkill.Direction.values:
        raise ValidationError("Choose whether you have, want to learn or can teach the skill.", code="direction")
    if level not in PersonSkill.Level.values:
        raise ValidationError("Choose a level from beginner to expert.", code="level")
    person_skill, _ = PersonSkill.objects.update_or_create(
        person=person, skill=skill, direction=direction, defaults={"level": level}
    )
    schedule_index(person)
    return person_skill


def remove_person_skill(*, person: User, person_skill: PersonSkill) -> None:
    if person_skill.person_id != person.pk:
        raise PermissionDenied("That skill is on someone else's profile.")
    person_skill.delete()
    schedule_index(person)


# Skills taxonomy


def refresh_skill_depths(*, skill: Skill) -> int:
    """Set the depth of every skill under ``skill`` after it moved; returns how many changed."""
    changed = 0
    level, depth = [skill.pk], skill.depth
    seen = {skill.pk}
    while level:
        depth += 1
        children = list(Skill.objects.filter(parent_id__in=level).exclude(pk__in=seen).only("pk", "depth"))
        stale = [c for c in children if c.depth != depth]
        for child in stale:
            child.depth = depth
        Skill.objects.bulk_update(stale, ["depth"], batch_size=500)
        changed += len(stale)
        level = [c.pk for c in children]
        seen.update(level)
    content_changed()  # bulk writes send no signals
    return changed


@transaction.atomic
def save_skill(*, skill: Skill) -> Skill:
    """Save a skill edited by hand, refusing loops, and keep the depth of everything under it right."""
    skill.clean()
    skill.save()
    refresh_skill_depths(skill=skill)
    return skill


def _unique_slug(name: str, taken: set[str]) -> str:
    base = slugify(name)[:190] or "skill"
    slug, n = base, 1
    while slug in taken or slug in RESERVED_SKILL_SLUGS:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


def import_skills(*, data: bytes, strict: bool = False, dry_run: bool = False) -> ImportPlan:
    """Import a skills CSV (ESCO, O*NET or name,parent,alt_labels,description) in one transaction.

    The whole file is read and checked before anything is written. Refused rows are reported and
    skipped, or with ``strict`` make the whole import fail.
    """
    parsed = parse_skills_file(data)
    with transaction.atomic():
        plan = plan_skill_import(parsed)
        if strict and plan.refused:
            raise ValidationError(
                f"{len(plan.refused)} rows were refused, so nothing was imported "
                f"(first: line {plan.refused[0].line}, {plan.refused[0].reason})",
                code="refused",
            )
        if not dry_run:
            _apply_plan(plan)
    return plan


def _apply_plan(plan: ImportPlan) -> None:
    taken = set(Skill.objects.values_list("slug", flat=True))
    created: dict[int, Skill] = {}
    for planned in plan.to_create:
        created[id(planned)] = Skill(
            name=planned.name,
            slug=_unique_slug(planned.name, taken),
            uri=planned.uri,
            alt_labels="\n".join(planned.alt_labels),
            description=planned.description,
            depth=planned.depth,
        )
    # bulk_create skips Skill.save, which is what lets depths come from the plan instead of the parent.
    Skill.objects.bulk_create(created.values(), batch_size=500)

    changed: list[tuple] = [(p, created[id(p)]) for p in plan.to_create]
    stored = Skill.objects.in_bulk([p.existing.id for p in plan.to_update])
    for planned in plan.to_update:
        skill = stored[planned.existing.id]
        skill.name = planned.name
        skill.uri = planned.uri or skill.uri
        if planned.alt_labels:
            skill.alt_labels = "\n".join(planned.alt_labels)
        if planned.description:
            skill.description = planned.description
        skill.depth = planned.depth
        changed.append((planned, skill))
    for planned, skill in changed:
        skill.parent_id = created[id(planned.parent_row)].pk if planned.parent_row else planned.parent_id
    fields = ["name", "uri", "alt_labels", "description", "depth", "parent"]
    Skill.objects.bulk_update([skill for _, skill in changed], fields, batch_size=500)
    if plan.depth_changes:
        moved = Skill.objects.in_bulk(list(plan.depth_changes))
        for skill_id, depth in plan.depth_changes.items():
            moved[skill_id].depth = depth
        Skill.objects.bulk_update(moved.values(), ["depth"], batch_size=500)
    content_changed()  # bulk writes send no signals


# Invitations


def _check_may_invite(inviter: User, role: str, space) -> None:
    if not inviter.is_authenticated or is_guest(inviter):
        raise PermissionDenied("Guests cannot invite people.")
    if role not in User.Role.values:
        raise ValidationError(f"“{role}” is not a role.", code="role")
    if role in (User.Role.ADMIN, User.Role.CURATOR) and not is_site_admin(inviter):
        raise PermissionDenied("Only administrators may invite curators and administrators.")
    if space is not None and not can_admin(inviter, space):
        raise PermissionDenied("Only the owners and moderators of a space may invite people to it.")
    if role == User.Role.GUEST and space is None:
        raise ValidationError("Invite a guest to a space: guests see only the spaces they belong to.", code="space")


@transaction.atomic
def invite_person(*, inviter: User, email: str, role: str = User.Role.LEARNER, space=None) -> Invitation:
    """Create an invitation and e-mail its sign-up link once the transaction commits."""
    from people.tasks import send_invitation_email

    email = email.strip()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(f"“{email}” is not an e-mail address.", code="email")
    _check_may_invite(inviter, role, space)
    if User.objects.filter(email__iexact=email).exists() or _has_account_email(email):
        raise ValidationError(f"{email} already has an account: invite them by name instead.", code="exists")
    invitation = Invitation.objects.create(
        email=email, role=role, space=space, token=secrets.token_urlsafe(32), invited_by=inviter
    )
    transaction.on_commit(lambda: send_invitation_email.enqueue(invitation.pk))
    return invitation


def _has_account_email(email: str) -> bool:
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(email__iexact=email).exists()


def resend_invitation(*, invitation: Invitation) -> Invitation:
    """Send the link again with a fresh expiry date."""
    from people.tasks import send_invitation_email

    if invitation.accepted_at is not None:
        raise ValidationError("This invitation was accepted already.", code="accepted")
    invitation.created = timezone.now()
    invitation.save(update_fields=["created"])
    transaction.on_commit(lambda: send_invitation_email.enqueue(invitation.pk))
    return invitation


def invitation_expired(invitation: Invitation) -> bool:
    return invitation.created < timezone.now() - timedelta(days=INVITATION_DAYS)


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user: User, new_account: bool) -> None:
    """Give a person what they were invited to: their role (new accounts only) and the space."""
    from spaces import services as spaces_services
    from spaces.models import Membership

    invitation = Invitation.objects.select_related("space").select_for_update(of=("self",)).get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError("This invitation was used already.", code="accepted")
    if invitation_expired(invitation):
        raise ValidationError("This invitation has expired. Ask for a new one.", code="expired")
    if new_account and user.role != invitation.role:
        user.role = invitation.role
        # Administrators run the back office too, which Django opens to staff only.
        user.is_staff = user.is_staff or invitation.role == User.Role.ADMIN
        user.save(update_fields=["role", "is_staff"])
    if invitation.space_id:
        # The spaces app owns joining (member count, watch, the "joined" activity): hand it an invitation.
        membership = Membership.objects.filter(space_id=invitation.space_id, user=user).first()
        if membership is None:
            membership = Membership.objects.create(
                space_id=invitation.space_id,
                user=user,
                state=Membership.State.INVITED,
                invited_by_id=invitation.invited_by_id,
            )
        elif membership.state == Membership.State.REQUESTED:
            membership.state = Membership.State.INVITED
            membership.save(update_fields=["state"])
        if membership.state == Membership.State.INVITED:
            spaces_services.accept_invitation(user=user, space=invitation.space)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    schedule_index(user)


# Site settings


@transaction.atomic
def update_site_settings(
    *,
    actor: User,
    name: str,
    accent_colour: str,
    signup_mode: str,
    allowed_domains: str,
    public_web: bool,
    logo=None,
    remove_logo: bool = False,
) -> SiteConfig:
    """Change the site-wide settings; only administrators may."""
    import re

    if not is_site_admin(actor):
        raise PermissionDenied("Only administrators may change the site settings.")
    config = SiteConfig.objects.select_for_update().get_or_create(id=1)[0]
    name = " ".join(name.split())
    if not name:
        raise ValidationError("The site needs a name.", code="name")
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", accent_colour.strip()):
        raise ValidationError("The accent colour must look like #0f766e.", code="accent_colour")
    if signup_mode not in SiteConfig.SignupMode.values:
        raise ValidationError(f"“{signup_mode}” is not a sign-up mode.", code="signup_mode")
    domains = [d.strip().lower().lstrip("@") for d in allowed_domains.replace(",", " ").split() if d.strip()]
    for domain in domains:
        if not re.fullmatch(r"(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}", domain):
            raise ValidationError(f"“{domain}” is not an e-mail domain such as example.com.", code="domain")
    if signup_mode == SiteConfig.SignupMode.DOMAINS and not domains:
        raise ValidationError("Add at least one allowed domain for sign-up by e-mail domain.", code="domains")
    old_logo = config.logo if (logo is not None or remove_logo) and config.logo else None
    config.name = name[:80]
    config.accent_colour = accent_colour.strip().lower()
    config.signup_mode = signup_mode
    config.allowed_domains = "\n".join(dict.fromkeys(domains))
    config.public_web = public_web
    if logo is not None:
        config.logo.save(f"logo-{uuid.uuid4().hex[:10]}.png", images.process_logo(logo), save=False)
    elif remove_logo:
        config.logo = ""
    config.save()
    if old_logo:
        _delete_files_after_commit(old_logo)
    log.info("site settings changed by %s: mode=%s public_web=%s", actor.username, signup_mode, public_web)
    return config
