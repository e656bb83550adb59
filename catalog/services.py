"""Writes for the catalogue: courses, sessions, enrolment and the waiting list, completions, calendar feeds.

Seats are counted while the session's row is locked (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite
opens every write transaction IMMEDIATE, which serialises writers the same way), so two people can
never take the last seat together and the waiting list is promoted strictly in order. The database
also refuses two people at one waiting-list position, whatever the engine.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import zoneinfo
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from catalog.models import CalendarFeed, Course, Enrolment, Session
from core.access import can_create_in, can_edit, can_view
from core.models import Activity, ItemKind, Visibility
from core.services import check_visibility, create_item, record_activity, update_item, watch
from search.index import schedule_index

TITLE_MAX = 200
URL_MAX = 500
PROVIDER_MAX = 200
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_UNCHANGED = object()


class Verb:
    """Activity verbs of the catalogue (core's Activity.verb is free text; these name what happened)."""

    ENROLLED = "enrolled"
    WAITLISTED = "waitlisted"
    PROMOTED = "promoted"
    WITHDREW = "withdrew"
    ATTENDED = "attended"
    MISSED = "missed"
    COMPLETED = "completed"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"


# --- who may do what -------------------------------------------------------------------------------


def can_curate(user, course: Course) -> bool:
    """Curators and admins manage every course they can see; an owner or named curator manages their own."""
    if not user.is_authenticated or not can_view(user, course.item):
        return False
    return bool(getattr(user, "is_curator", False) or course.curator_id == user.pk or can_edit(user, course.item))


def _require_curator(user, course: Course) -> None:
    if not can_curate(user, course):
        raise PermissionDenied("Only the course's curators can do that.")


# --- validation ------------------------------------------------------------------------------------


def check_time_zone(name: str) -> str:
    if not name or name not in zoneinfo.available_timezones():
        raise ValidationError(f"“{name}” is not a time zone; use an IANA name such as Europe/Berlin.")
    return name


def _check_url(url: str, label: str) -> str:
    url = (url or "").strip()
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise ValidationError(f"The {label} “{url}” is not a web address (http:// or https://).") from None
        if len(url) > URL_MAX:
            raise ValidationError(f"The {label} is longer than {URL_MAX} characters.")
    return url


def clean_course_fields(fields: dict) -> dict:
    """Check and normalise a course's own fields; raises ValidationError naming every problem."""
    errors = []
    out = dict(fields)
    if "title" in out:
        out["title"] = " ".join(str(out["title"]).split())
        if not out["title"]:
            errors.append("A course needs a title.")
        elif len(out["title"]) > TITLE_MAX:
            errors.append(f"The title is longer than {TITLE_MAX} characters.")
    if "format" in out and out["format"] not in Course.Format.values:
        errors.append(f"“{out['format']}” is not a format; choose one of: {', '.join(Course.Format.values)}.")
    if "level" in out and out["level"] not in Course.Level.values:
        errors.append(f"“{out['level']}” is not a level; choose one of: {', '.join(Course.Level.values)}.")
    if "language" in out:
        out["language"] = str(out["language"]).strip()
        if not _LANGUAGE.match(out["language"]) or len(out["language"]) > 16:
            errors.append(f"“{out['language']}” is not a language code such as en or pt-BR.")
    if out.get("duration_minutes") is not None:
        try:
            out["duration_minutes"] = int(out["duration_minutes"])
        except (TypeError, ValueError):
            errors.append(f"The duration “{out['duration_minutes']}” is not a whole number of minutes.")
        else:
            if out["duration_minutes"] <= 0:
                errors.append("The duration must be more than zero minutes.")
    if "cost" in out:
        try:
            out["cost"] = Decimal(str(out["cost"] or 0)).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            errors.append(f"The cost “{out['cost']}” is not an amount.")
        else:
            if out["cost"] < 0:
                errors.append("The cost cannot be negative.")
            elif out["cost"] >= Decimal("100000000"):
                errors.append("The cost is too large.")
    if "currency" in out:
        out["currency"] = str(out["currency"] or "").strip().upper()
        if out["currency"] and not _CURRENCY.match(out["currency"]):
            errors.append(f"“{out['currency']}” is not a currency code such as EUR.")
    cost, currency = out.get("cost"), out.get("currency")
    if isinstance(cost, Decimal) and cost > 0 and currency == "":
        errors.append("A course that costs something needs a currency.")
    if "launch_url" in out:
        try:
            out["launch_url"] = _check_url(out["launch_url"], "launch URL")
        except ValidationError as exc:
            errors.extend(exc.messages)
    if "provider" in out:
        out["provider"] = str(out["provider"] or "").strip()
        if len(out["provider"]) > PROVIDER_MAX:
            errors.append(f"The provider is longer than {PROVIDER_MAX} characters.")
    if "code" in out:
        out["code"] = str(out["code"] or "").strip()
        if len(out["code"]) > 60:
            errors.append("The course code is longer than 60 characters.")
    if errors:
        raise ValidationError(errors)
    return out


# --- courses ---------------------------------------------------------------------------------------


@transaction.atomic
def create_course(
    *,
    actor,
    title: str,
    summary: str = "",
    format: str = Course.Format.CLASSROOM,
    code: str = "",
    provider: str = "",
    duration_minutes: int | None = None,
    level: str = Course.Level.ALL,
    language: str = "en",
    skills: Iterable = (),
    cost: Decimal | int | str = 0,
    currency: str = "",
    prerequisites: str = "",
    launch_url: str = "",
    curator=None,
    space=None,
    visibility: str = Visibility.ORGANISATION,
    tags: Iterable[str] = (),
) -> Course:
    """Put a course in the catalogue; only curators and admins add courses."""
    if not getattr(actor, "is_curator", False):
        raise PermissionDenied("Only curators can add courses to the catalogue.")
    if space is not None and not can_create_in(actor, space):
        raise PermissionDenied("You can't add courses to this space.")
    check_visibility(visibility=visibility, space=space, shared_with=(), noun="course")
    fields = clean_course_fields(
        {
            "title": title,
            "format": format,
            "code": code,
            "level": level,
            "language": language,
            "duration_minutes": duration_minutes,
            "cost": cost,
            "currency": currency,
            "launch_url": launch_url,
            "provider": provider,
        }
    )
    if fields["code"] and Course.objects.filter(code=fields["code"]).exists():
        raise ValidationError(f"Another course already has the code “{fields['code']}”.")
    item = create_item(
        owner=actor,
        kind=ItemKind.COURSE,
        title=fields.pop("title"),
        summary=summary,
        space=space,
        visibility=visibility,
        tags=tags,
    )
    course = Course.objects.create(item=item, prerequisites=prerequisites.strip(), curator=curator or actor, **fields)
    course.skills.set(list(skills))
    watch(user=actor, item=item)
    record_activity(actor=actor, verb=Activity.Verb.CREATED, item=item)
    schedule_index(item)
    return course


@transaction.atomic
def update_course(
    *,
    actor,
    course: Course,
    title=_UNCHANGED,
    summary=_UNCHANGED,
    visibility=_UNCHANGED,
    tags=_UNCHANGED,
    code=_UNCHANGED,
    provider=_UNCHANGED,
    format=_UNCHANGED,
    duration_minutes=_UNCHANGED,
    level=_UNCHANGED,
    language=_UNCHANGED,
    skills=_UNCHANGED,
    cost=_UNCHANGED,
    currency=_UNCHANGED,
    prerequisites=_UNCHANGED,
    launch_url=_UNCHANGED,
    curator=_UNCHANGED,
) -> Course:
    """Change any of a course's fields; those not given stay as they are."""
    _require_curator(actor, course)
    item = course.item
    given = {k: v for k, v in locals().items() if v is not _UNCHANGED and k not in ("actor", "course", "item")}
    own = {k: given[k] for k in given if k not in ("summary", "visibility", "tags", "skills", "curator")}
    if "cost" in own or "currency" in own:
        own.setdefault("cost", course.cost)
        own.setdefault("currency", course.currency)
    own = clean_course_fields(own)
    if own.get("code") and Course.objects.filter(code=own["code"]).exclude(pk=course.pk).exists():
        raise ValidationError(f"Another course already has the code “{own['code']}”.")
    new_visibility = given.get("visibility", item.visibility)
    if new_visibility != item.visibility:
        check_visibility(visibility=new_visibility, space=item.space, shared_with=(), noun="course")
    update_item(
        item=item,
        title=own.pop("title", item.title),
        summary=given.get("summary", item.summary),
        visibility=new_visibility,
        tags=given["tags"] if "tags" in given else [t.name for t in item.tags.all()],
    )
    for name, value in own.items():
        setattr(course, name, value.strip() if isinstance(value, str) else value)
    if "curator" in given:
        course.curator = given["curator"]
    course.save()
    if "skills" in given:
        course.skills.set(list(given["skills"]))
    record_activity(actor=actor, verb=Activity.Verb.UPDATED, item=item)
    schedule_index(item)
    return course


# --- sessions --------------------------------------------------------------------------------------


def _check_session_times(starts: datetime, ends: datetime, time_zone: str) -> None:
    check_time_zone(time_zone)
    if timezone.is_naive(starts) or timezone.is_naive(ends):
        raise ValidationError("A session's start and end need a time zone.")
    if ends < starts:
        raise ValidationError("A session cannot end before it starts.")


@transaction.atomic
def add_session(
    *,
    actor,
    course: Course,
    starts: datetime,
    ends: datetime,
    time_zone: str,
    place: str = "",
    online_url: str = "",
    capacity: int | None = None,
    all_day: bool = False,
) -> Session:
    _require_curator(actor, course)
    if course.self_paced:
        raise ValidationError(
            f"A {course.get_format_display().lower()} course is taken at one's own pace: no sessions."
        )
    _check_session_times(starts, ends, time_zone)
    if capacity is not None and capacity < 1:
        raise ValidationError("A session needs room for at least one person, or no limit.")
    session = Session.objects.create(
        course=course,
        starts=starts,
        ends=ends,
        time_zone=time_zone,
        all_day=all_day,
        place=place.strip()[:300],
        online_url=_check_url(online_url, "online link"),
        capacity=capacity,
    )
    record_activity(actor=actor, verb=Activity.Verb.UPDATED, item=course.item, extra={"session_added": session.pk})
    return session


def _lock_session(pk: int) -> Session:
    """The session, locked until the transaction ends (only its own row: the course stays readable)."""
    query = Session.objects.select_related("course__item")
    if connection.features.has_select_for_update_of:
        query = query.select_for_update(of=("self",))
    return query.get(pk=pk)


def _seated(session: Session) -> int:
    return session.enrolments.filter(state__in=Enrolment.SEATED).count()


def update_session(
    *,
    actor,
    session: Session,
    starts: datetime | None = None,
    ends: datetime | None = None,
    time_zone: str | None = None,
    place: str | None = None,
    online_url: str | None = None,
    capacity=_UNCHANGED,
) -> Session:
    """Change a session; a change people would see in their calendar raises its SEQUENCE and re-sends invites."""
    from catalog import tasks

    with transaction.atomic():
        session = _lock_session(session.pk)
        _require_curator(actor, session.course)
        if session.cancelled:
            raise ValidationError("This session was cancelled; add a new one instead.")
        new = {
            "starts": starts or session.starts,
            "ends": ends or session.ends,
            "time_zone": time_zone or session.time_zone,
            "place": session.place if place is None else place.strip()[:300],
            "online_url": session.online_url if online_url is None else _check_url(online_url, "online link"),
        }
        _check_session_times(new["starts"], new["ends"], new["time_zone"])
        seated = _seated(session)
        if capacity is not _UNCHANGED and capacity is not None:
            if capacity < 1:
                raise ValidationError("A session needs room for at least one person, or no limit.")
            if capacity < seated:
                raise ValidationError(f"{seated} people already hold seats; the capacity cannot be lower than that.")
        changed = [name for name, value in new.items() if getattr(session, name) != value]
        for name in changed:
            setattr(session, name, new[name])
        if changed:
            session.sequence += 1
        if capacity is not _UNCHANGED:
            session.capacity = capacity
        session.save()
        promoted = _fill_seats(session, actor=actor)
        record_activity(
            actor=actor, verb=Activity.Verb.UPDATED, item=session.course.item, extra={"session": session.pk}
        )
        if changed:
            seated_ids = list(
                session.enrolments.filter(state=Enrolment.State.ENROLLED)
                .exclude(pk__in=[e.pk for e in promoted])
                .values_list("pk", flat=True)
            )
            transaction.on_commit(lambda: [tasks.send_invite.enqueue(pk, "REQUEST") for pk in seated_ids])
    return session


def cancel_session(*, actor, session: Session) -> Session:
    """Call a session off: everyone holding a seat receives a cancellation; their enrolments stay on record."""
    from catalog import tasks

    with transaction.atomic():
        session = _lock_session(session.pk)
        _require_curator(actor, session.course)
        if session.cancelled:
            return session
        session.cancelled_at = timezone.now()
        session.sequence += 1
        session.save(update_fields=["cancelled_at", "sequence"])
        record_activity(actor=actor, verb=Verb.CANCELLED, item=session.course.item, extra={"session": session.pk})
        seated_ids = list(session.enrolments.filter(state=Enrolment.State.ENROLLED).values_list("pk", flat=True))
        transaction.on_commit(lambda: [tasks.send_invite.enqueue(pk, "CANCEL") for pk in seated_ids])
    return session


# --- enrolment and the waiting list ----------------------------------------------------------------


def _fill_seats(session: Session, *, actor) -> list[Enrolment]:
    """Give free seats to the waiting list, first come first served. The caller holds the session's lock."""
    if session.cancelled or session.starts <= timezone.now():
        return []
    promoted = []
    free = None if session.capacity is None else session.capacity - _seated(session)
    waiting = session.enrolments.filter(state=Enrolment.State.WAITING).order_by("waiting_position")
    for enrolment in waiting if free is None else waiting[: max(free, 0)]:
        enrolment.state = Enrolment.State.ENROLLED
        enrolment.waiting_position = None
        enrolment.save(update_fields=["state", "waiting_position", "updated"])
        record_activity(
            actor=actor,
            verb=Verb.PROMOTED,
            item=session.course.item,
            target=enrolment.person,
            extra={"session": session.pk},
        )
        promoted.append(enrolment)
    return promoted


def enrol(*, person, session: Session | None = None, course: Course | None = None) -> Enrolment:
    """Take a seat on a session, or a place on its waiting list when it is full; or start a self-paced course.

    Enrolling again is harmless: the existing enrolment is returned.
    """
    from catalog import tasks

    if (session is None) == (course is None):
        raise ValueError("Enrol on a session or on a self-paced course, not both.")
    with transaction.atomic():
        if session is None:
            return _enrol_self_paced(person=person, course=course)
        session = _lock_session(session.pk)
        course = session.course
        if not can_view(person, course.item):
            raise PermissionDenied("You can't enrol on this course.")
        if session.cancelled:
            raise ValidationError("This session was cancelled.")
        if session.starts <= timezone.now():
            raise ValidationError("This session has already started.")
        existing = Enrolment.objects.filter(session=session, person=person).first()
        if existing is not None and existing.state != Enrolment.State.WITHDRAWN:
            return existing
        other = (
            Enrolment.objects.filter(
                course=course,
                person=person,
                state__in=[Enrolment.State.ENROLLED, Enrolment.State.WAITING],
                session__starts__gt=timezone.now(),
                session__cancelled_at__isnull=True,
            )
            .exclude(session=session)
            .select_related("session")
            .first()
        )
        if other is not None:
            raise ValidationError("You are already enrolled on another session of this course; withdraw from it first.")
        full = session.capacity is not None and _seated(session) >= session.capacity
        position = None
        if full:
            last = session.enrolments.aggregate(last=Max("waiting_position"))["last"]
            position = (last or 0) + 1
        enrolment = existing or Enrolment(course=course, session=session, person=person)
        enrolment.state = Enrolment.State.WAITING if full else Enrolment.State.ENROLLED
        enrolment.waiting_position = position
        enrolment.created = timezone.now() if existing is not None else enrolment.created
        enrolment.save()
        record_activity(
            actor=person,
            verb=Verb.WAITLISTED if full else Verb.ENROLLED,
            item=course.item,
            extra={"session": session.pk},
        )
        watch(user=person, item=course.item)
        if not full:
            transaction.on_commit(lambda: tasks.send_invite.enqueue(enrolment.pk, "REQUEST"))
    return enrolment


def _enrol_self_paced(*, person, course: Course) -> Enrolment:
    course = Course.objects.select_related("item").get(pk=course.pk)
    if not can_view(person, course.item):
        raise PermissionDenied("You can't enrol on this course.")
    if not course.self_paced:
        raise ValidationError("Choose one of this course's sessions to enrol.")
    enrolment, created = Enrolment.objects.get_or_create(course=course, session=None, person=person)
    if not created and enrolment.state != Enrolment.State.WITHDRAWN:
        return enrolment
    if not created:
        enrolment.state = Enrolment.State.ENROLLED
        enrolment.save(update_fields=["state", "updated"])
    record_activity(actor=person, verb=Verb.ENROLLED, item=course.item)
    watch(user=person, item=course.item)
    return enrolment


def withdraw(*, actor, enrolment: Enrolment) -> Enrolment:
    """Give up a seat or a waiting place; a freed seat goes to the first person waiting."""
    from catalog import tasks

    with transaction.atomic():
        session = _lock_session(enrolment.session_id) if enrolment.session_id else None
        enrolment = Enrolment.objects.select_related("course__item", "person").get(pk=enrolment.pk)
        if actor.pk != enrolment.person_id and not can_curate(actor, enrolment.course):
            raise PermissionDenied("You can only withdraw your own enrolments.")
        if enrolment.state not in (Enrolment.State.ENROLLED, Enrolment.State.WAITING):
            raise ValidationError(f"This enrolment is {enrolment.get_state_display().lower()}; it cannot be withdrawn.")
        held_seat = enrolment.state == Enrolment.State.ENROLLED
        enrolment.state = Enrolment.State.WITHDRAWN
        enrolment.waiting_position = None
        enrolment.save(update_fields=["state", "waiting_position", "updated"])
        record_activity(
            actor=actor,
            verb=Verb.WITHDREW,
            item=enrolment.course.item,
            target=enrolment.person,
            extra={"session": session.pk} if session else {},
        )
        promoted = _fill_seats(session, actor=actor) if session is not None and held_seat else []
        if held_seat and session is not None:
            transaction.on_commit(lambda: tasks.send_invite.enqueue(enrolment.pk, "CANCEL"))
        for other in promoted:
            transaction.on_commit(lambda pk=other.pk: tasks.send_invite.enqueue(pk, "REQUEST"))
    return enrolment


# --- attendance and completion ---------------------------------------------------------------------


@transaction.atomic
def record_attendance(*, actor, enrolment: Enrolment, attended: bool) -> Enrolment:
    enrolment = Enrolment.objects.select_related("course__item", "session", "person").get(pk=enrolment.pk)
    _require_curator(actor, enrolment.course)
    if enrolment.session is None:
        raise ValidationError("Attendance is taken at sessions; this is a self-paced enrolment.")
    if enrolment.state not in (Enrolment.State.ENROLLED, Enrolment.State.ATTENDED, Enrolment.State.NO_SHOW):
        raise ValidationError(f"{enrolment.person.name} is {enrolment.get_state_display().lower()}, not seated.")
    if enrolment.session.starts > timezone.now():
        raise ValidationError("Attendance can be taken once the session has started.")
    enrolment.state = Enrolment.State.ATTENDED if attended else Enrolment.State.NO_SHOW
    enrolment.save(update_fields=["state", "updated"])
    record_activity(
        actor=actor,
        verb=Verb.ATTENDED if attended else Verb.MISSED,
        item=enrolment.course.item,
        target=enrolment.person,
        extra={"session": enrolment.session_id},
    )
    return enrolment


@transaction.atomic
def record_completion(
    *, actor, enrolment: Enrolment | None = None, course: Course | None = None, person=None
) -> Enrolment:
    """A curator records that someone completed a course: on their enrolment, or for a person who took it elsewhere."""
    if enrolment is None:
        if course is None or person is None:
            raise ValueError("Name the enrolment, or the course and the person.")
        _require_curator(actor, course)
        enrolment = (
            Enrolment.objects.filter(course=course, person=person)
            .exclude(state__in=[Enrolment.State.WITHDRAWN, Enrolment.State.WAITING])
            .order_by("-created", "-pk")
            .first()
        ) or Enrolment.objects.get_or_create(course=course, session=None, person=person)[0]
    enrolment = Enrolment.objects.select_related("course__item", "person").get(pk=enrolment.pk)
    _require_curator(actor, enrolment.course)
    if enrolment.state == Enrolment.State.WAITING:
        raise ValidationError(f"{enrolment.person.name} is still on the waiting list.")
    if enrolment.state == Enrolment.State.COMPLETED and enrolment.confirmed_at is not None:
        return enrolment
    now = timezone.now()
    enrolment.state = Enrolment.State.COMPLETED
    enrolment.waiting_position = None
    enrolment.completed_at = enrolment.completed_at or now
    enrolment.confirmed_by = actor
    enrolment.confirmed_at = now
    enrolment.save()
    record_activity(actor=actor, verb=Verb.COMPLETED, item=enrolment.course.item, target=enrolment.person)
    _reverify(enrolment)
    return enrolment


@transaction.atomic
def self_report_completion(*, person, course: Course, evidence: str = "", evidence_url: str = "") -> Enrolment:
    """The person says they completed the course, with evidence a curator may later confirm."""
    course = Course.objects.select_related("item").get(pk=course.pk)
    if not can_view(person, course.item):
        raise PermissionDenied("You can't report completing this course.")
    evidence = evidence.strip()
    evidence_url = _check_url(evidence_url, "evidence link")
    if not evidence and not evidence_url:
        raise ValidationError("Say how you completed it, or link to a certificate or other evidence.")
    enrolment = (
        Enrolment.objects.filter(course=course, person=person)
        .exclude(state=Enrolment.State.WITHDRAWN)
        .order_by("-created", "-pk")
        .first()
    )
    if enrolment is not None and enrolment.state == Enrolment.State.WAITING:
        raise ValidationError("You are on the waiting list of this course's session, so you cannot have completed it.")
    if enrolment is not None and enrolment.verified_completion:
        raise ValidationError("Your completion of this course is already on record.")
    if enrolment is None:
        enrolment, _ = Enrolment.objects.get_or_create(course=course, session=None, person=person)
    enrolment.state = Enrolment.State.COMPLETED
    enrolment.self_reported = True
    enrolment.evidence = evidence
    enrolment.evidence_url = evidence_url
    enrolment.completed_at = timezone.now()
    enrolment.confirmed_by = None
    enrolment.confirmed_at = None
    enrolment.save()
    record_activity(actor=person, verb=Verb.COMPLETED, item=course.item, extra={"self_reported": True})
    return enrolment


def _reverify(enrolment: Enrolment) -> None:
    """A review the person wrote before their completion was recorded or confirmed now says they completed it."""
    try:
        from reviews.services import refresh_verified
    except ImportError:  # the reviews app is optional
        return
    refresh_verified(author=enrolment.person, item=enrolment.course.item)


@transaction.atomic
def confirm_completion(*, actor, enrolment: Enrolment) -> Enrolment:
    enrolment = Enrolment.objects.select_related("course__item", "person").get(pk=enrolment.pk)
    _require_curator(actor, enrolment.course)
    if enrolment.state != Enrolment.State.COMPLETED or not enrolment.self_reported:
        raise ValidationError("Only a completion the person reported themselves waits for confirmation.")
    if enrolment.person_id == actor.pk:
        raise PermissionDenied("Someone else must confirm your own completion.")
    if enrolment.confirmed_at is None:
        enrolment.confirmed_by = actor
        enrolment.confirmed_at = timezone.now()
        enrolment.save(update_fields=["confirmed_by", "confirmed_at", "updated"])
        record_activity(actor=actor, verb=Verb.CONFIRMED, item=enrolment.course.item, target=enrolment.person)
        _reverify(enrolment)
    return enrolment


# --- calendar feeds --------------------------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_calendar_feed(*, person) -> tuple[CalendarFeed, str]:
    """A new secret feed address for the person; the old one stops working. The token is shown once, never stored."""
    CalendarFeed.objects.filter(person=person, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(person=person, token_hash=hash_token(token))
    return feed, token


def revoke_calendar_feed(*, actor, feed: CalendarFeed) -> CalendarFeed:
    if actor.pk != feed.person_id and not getattr(actor, "is_site_admin", False):
        raise PermissionDenied("You can only revoke your own calendar feed.")
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
    return feed


def feed_for_token(token: str) -> CalendarFeed | None:
    """The live feed a token opens, or None (revoked, unknown and malformed tokens alike)."""
    if not token or len(token) > 100:
        return None
    return (
        CalendarFeed.objects.select_related("person")
        .filter(token_hash=hash_token(token), revoked_at__isnull=True)
        .first()
    )
