"""The course catalogue: courses, their sessions, enrolment and completions, for learners and curators.

Mounted at ``/api/catalog/``. A course the caller may not see answers 404, as do its sessions; an
action the caller may not take on what they see answers 403 with the reason; a refused change (a full
or past session, a completion already on record, a bad field) answers 400 with the reason. Fields of
the wrong type or outside their schema answer 422, as everywhere in the API, naming the field.

Curators (and whoever may edit a course) add and change courses and sessions, read a course's roster,
take attendance and record completions. Both imports, a catalogue CSV and a course's calendar file,
answer a dry run with the plan and write nothing; a real run writes every row or none.
"""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from ninja import Field, File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from api.auth import ANONYMOUS_ALLOWED, api_auth_or_anonymous
from catalog import ical, importing, queries, services
from catalog.models import Course, Enrolment, Session
from core.access import get_visible_or_404
from core.api import ItemFields
from core.models import Item, ItemKind
from people.models import Skill
from reviews.queries import by_rating

router = Router()

FormatIn = Literal["classroom", "live_online", "elearning", "video", "book", "external"]
LevelIn = Literal["all", "beginner", "intermediate", "advanced"]
VisibilityIn = Literal["private", "people", "space", "organisation", "public"]
Sort = Literal["newest", "title", "rating"]
StateIn = Literal["", "enrolled", "waiting", "withdrawn", "attended", "completed", "no_show"]

# The widest whole number the database's integer columns hold (duration, capacity).
INT_MAX = 2_147_483_647
# Skills a course may be given in one request: each name is one more condition of the query that finds them.
MAX_SKILLS = 200
# A calendar file is read whole into memory; the catalogue CSV has the same cap (catalog.importing).
ICS_MAX_BYTES = importing.MAX_BYTES


class ErrorOut(Schema):
    detail: str


REFUSALS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


# ---------------------------------------------------------------------------------------------- schemas


class SessionOut(Schema):
    id: int
    course: int = Field(..., alias="course_id")
    label: str
    starts: datetime
    ends: datetime
    time_zone: str  # the IANA zone it was planned in; ``starts`` and ``ends`` are in UTC
    all_day: bool
    place: str
    online_url: str
    capacity: int | None
    seated: int
    waiting: int
    cancelled: bool


class CourseOut(ItemFields):
    code: str = Field(..., alias="course.code")
    provider: str = Field(..., alias="course.provider")
    format: str = Field(..., alias="course.format")
    duration_minutes: int | None = Field(None, alias="course.duration_minutes")
    level: str = Field(..., alias="course.level")
    language: str = Field(..., alias="course.language")
    skills: list[str]  # skill slugs
    cost: str  # a decimal amount, exact; "0.00" when free
    currency: str = Field(..., alias="course.currency")
    self_paced: bool = Field(..., alias="course.self_paced")
    curator: str | None
    rating_count: int
    rating_mean: float | None

    @staticmethod
    def resolve_skills(obj):
        return [skill.slug for skill in obj.course.skills.all()]

    @staticmethod
    def resolve_cost(obj):
        return str(obj.course.cost)

    @staticmethod
    def resolve_curator(obj):
        return obj.course.curator.username if obj.course.curator_id else None

    @staticmethod
    def resolve_rating_mean(obj):
        return round(obj.rating_sum / obj.rating_count, 2) if obj.rating_count else None


class CourseDetailOut(CourseOut):
    prerequisites: str = Field(..., alias="course.prerequisites")
    launch_url: str = Field(..., alias="course.launch_url")
    sessions: list[SessionOut]

    @staticmethod
    def resolve_sessions(obj):
        return obj.sessions


class EnrolmentOut(Schema):
    id: int
    course: int = Field(..., alias="course_id")
    course_title: str
    session: int | None = Field(None, alias="session_id")
    person: str
    state: str
    waiting_rank: int | None  # 1 for the next person to get a seat
    created: datetime
    completed_at: datetime | None
    self_reported: bool
    evidence: str
    evidence_url: str
    verified: bool  # completed, recorded or confirmed by a curator
    confirmed_by: str | None
    confirmed_at: datetime | None

    @staticmethod
    def resolve_course_title(obj):
        return obj.course.item.title

    @staticmethod
    def resolve_person(obj):
        return obj.person.username

    @staticmethod
    def resolve_waiting_rank(obj):
        return queries.waiting_rank(obj)

    @staticmethod
    def resolve_verified(obj):
        return obj.verified_completion

    @staticmethod
    def resolve_confirmed_by(obj):
        return obj.confirmed_by.username if obj.confirmed_by_id else None


class RosterOut(EnrolmentOut):
    """One line of a course's roster: who, on which session, in what state, with their evidence."""

    person_name: str
    session_starts: datetime | None
    waiting_position: int | None  # the list's own order; ``waiting_rank`` counts from 1 without gaps

    @staticmethod
    def resolve_person_name(obj):
        return obj.person.name

    @staticmethod
    def resolve_session_starts(obj):
        return obj.session.starts if obj.session_id else None

    @staticmethod
    def resolve_waiting_rank(obj):
        return obj.rank  # annotated for the whole page by _with_waiting_rank


class CompletionIn(Schema):
    evidence: str = ""  # how you completed it
    evidence_url: str = ""  # a certificate or other proof, http(s)


class CourseIn(Schema):
    """A new course. ``skills`` are skill ids, names or slugs; ``curator`` a username (you, if left out);
    ``space`` a space's slug (none: the organisation's catalogue)."""

    title: str
    description: str = ""
    code: str = ""  # the catalogue's own reference, e.g. LD-101; CSV imports update by it
    provider: str = Field("", max_length=200)
    format: FormatIn = "classroom"
    duration_minutes: int | None = Field(None, le=INT_MAX)
    level: LevelIn = "all"
    language: str = Field("en", max_length=16)
    skills: list[int | str] = Field([], max_length=MAX_SKILLS)
    cost: Decimal = Decimal(0)
    currency: str = ""  # ISO 4217, e.g. EUR; needed when the course costs something
    prerequisites: str = ""
    launch_url: str = Field("", max_length=500)
    curator: str | None = None
    tags: list[str] = []
    visibility: VisibilityIn = "organisation"
    space: str = ""


class CoursePatch(Schema):
    """Fields left out stay as they are. ``duration_minutes`` and ``curator`` may be null (none)."""

    title: str | None = None
    description: str | None = None
    code: str | None = None
    provider: str | None = Field(None, max_length=200)
    format: FormatIn | None = None
    duration_minutes: int | None = Field(None, le=INT_MAX)
    level: LevelIn | None = None
    language: str | None = Field(None, max_length=16)
    skills: list[int | str] | None = Field(None, max_length=MAX_SKILLS)
    cost: Decimal | None = None
    currency: str | None = None
    prerequisites: str | None = None
    launch_url: str | None = Field(None, max_length=500)
    curator: str | None = None
    tags: list[str] | None = None
    visibility: VisibilityIn | None = None


class SessionIn(Schema):
    """``starts`` and ``ends`` carry their UTC offset (2031-03-30T09:30:00+02:00); ``time_zone`` is the
    IANA zone the session is planned in, which calendars show it in."""

    starts: datetime
    ends: datetime
    time_zone: str
    all_day: bool = False
    place: str = ""
    online_url: str = Field("", max_length=500)
    capacity: int | None = Field(None, le=INT_MAX)  # null: no limit


class SessionPatch(Schema):
    """Fields left out stay as they are; ``capacity: null`` lifts the limit (and seats those waiting)."""

    starts: datetime | None = None
    ends: datetime | None = None
    time_zone: str | None = None
    place: str | None = None
    online_url: str | None = Field(None, max_length=500)
    capacity: int | None = Field(None, le=INT_MAX)


class AttendanceIn(Schema):
    attended: bool  # false: did not come


class RecordCompletionIn(Schema):
    person: str  # a username


class ImportRowOut(Schema):
    line: int
    action: Literal["create", "update"]
    code: str
    title: str
    course: int | None  # the course updated, or (once applied) the course made


class ImportRowErrorOut(Schema):
    line: int
    messages: list[str]


class CourseImportOut(Schema):
    """What a catalogue CSV does: ``created`` and ``updated`` count the rows that make or change a course;
    ``errors`` name every bad row, ``problems`` what is wrong with the file as a whole."""

    dry_run: bool
    ok: bool
    created: int
    updated: int
    rows: list[ImportRowOut]
    errors: list[ImportRowErrorOut]
    problems: list[str]


class CourseImportRefusedOut(CourseImportOut):
    detail: str


class PlannedSessionOut(Schema):
    action: Literal["create", "update"]
    session: int | None  # the session moved, or (once applied) the session made
    label: str
    starts: datetime
    ends: datetime
    local_starts: datetime  # ``starts`` in the session's own zone
    time_zone: str
    all_day: bool
    place: str
    online_url: str
    source_uid: str  # the calendar event it comes from; importing the file again updates by it


class SessionImportOut(Schema):
    """What a calendar file does to a course: ``notes`` say what was left out and why, ``problems`` name each
    event that cannot become a session."""

    dry_run: bool
    ok: bool
    created: int
    updated: int
    sessions: list[PlannedSessionOut]
    notes: list[str]
    problems: list[str]


class SessionImportRefusedOut(SessionImportOut):
    detail: str


# ---------------------------------------------------------------------------------------------- helpers


def _courses(items):
    return (
        items.filter(kind=ItemKind.COURSE, course__isnull=False)
        .select_related("owner", "space", "course", "course__curator")
        .prefetch_related("tags", "course__skills")
    )


def _course(request, course_id: int) -> Course:
    """A course the caller may see, else 404."""
    item = get_visible_or_404(request.user, Item.objects.select_related("course"), pk=course_id, kind=ItemKind.COURSE)
    try:
        return item.course
    except Course.DoesNotExist:
        raise HttpError(404, "Not found.") from None


def _curated_course(request, course_id: int) -> Course:
    """A course the caller may see (else 404) and curate (else 403)."""
    course = _course(request, course_id)
    if not services.can_curate(request.user, course):
        raise PermissionDenied("Only the course's curators can do that.")
    return course


def _course_detail(course_id: int) -> Item:
    item = _courses(Item.objects.all()).get(pk=course_id)
    item.sessions = list(queries.sessions_with_seats(item.course))
    return item


def _session(request, session_id: int) -> Session:
    """A session of a course the caller may see, else 404."""
    session = Session.objects.filter(pk=session_id).first()
    if session is None:
        raise HttpError(404, "Not found.")
    session.course = _course(request, session.course_id)
    return session


def _curated_session(request, session_id: int) -> Session:
    """A session of a course the caller may see (else 404) and curate (else 403)."""
    session = _session(request, session_id)
    if not services.can_curate(request.user, session.course):
        raise PermissionDenied("Only the course's curators can do that.")
    return session


def _session_out(session: Session) -> Session:
    return queries.sessions_with_seats(session.course).get(pk=session.pk)


def _enrolment(request, enrolment_id: int) -> Enrolment:
    """An enrolment on a course the caller may see, and theirs or one they curate; else 404."""
    enrolment = Enrolment.objects.select_related("course").filter(pk=enrolment_id).first()
    if enrolment is None:
        raise HttpError(404, "Not found.")
    enrolment.course = _course(request, enrolment.course_id)
    if enrolment.person_id != request.user.pk and not services.can_curate(request.user, enrolment.course):
        raise HttpError(404, "Not found.")  # others' enrolments are private to them and the curators
    return enrolment


def _enrolment_out(pk: int) -> Enrolment:
    return Enrolment.objects.select_related("course__item", "person", "confirmed_by").get(pk=pk)


def _with_waiting_rank(enrolments):
    """Each enrolment's place on its session's waiting list counted from 1 (None when not waiting), for a
    whole page in its one query."""
    ahead = (
        Enrolment.objects.filter(
            session_id=OuterRef("session_id"),
            state=Enrolment.State.WAITING,
            waiting_position__lt=OuterRef("waiting_position"),
        )
        .order_by()
        .values("session_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rank = Case(
        When(state=Enrolment.State.WAITING, then=Coalesce(Subquery(ahead), Value(0)) + 1),
        default=None,
        output_field=IntegerField(),
    )
    return enrolments.annotate(rank=rank)


def _roster(enrolments, state: str):
    if state:
        enrolments = enrolments.filter(state=state)
    return _with_waiting_rank(
        enrolments.select_related("course__item", "session", "person", "confirmed_by").order_by(
            F("session__starts").asc(nulls_first=True),
            "session_id",
            F("waiting_position").asc(nulls_first=True),
            "created",
            "pk",
        )
    )


def _space(request, slug: str):
    from spaces.models import Space

    return get_visible_or_404(request.user, Space.objects, slug=slug) if slug else None


def _person(request, username: str, field: str):
    name = username.strip().lstrip("@")
    person = get_user_model().objects.visible_to(request.user).filter(username=name).first() if name else None
    if person is None:
        raise ValidationError(f"{field}: no one here has the username “{name}”.")
    return person


def _skills(refs: list[int | str]) -> list[Skill]:
    """Skills named by id, slug or name (any case); every one must be in the taxonomy, and a name two
    skills share must be given by id or slug."""
    ids = {ref for ref in refs if isinstance(ref, int)}
    words = {" ".join(ref.split()) for ref in refs if isinstance(ref, str) and ref.strip()}
    if not ids and not words:
        return []
    by_name = Q()
    for word in words:
        by_name |= Q(name__iexact=word)
    found = list(Skill.objects.filter(Q(pk__in=ids) | Q(slug__in=words) | by_name).order_by("pk"))
    chosen, errors = {}, []
    for ref in sorted(ids):
        skill = next((s for s in found if s.pk == ref), None)
        if skill is None:
            errors.append(f"skills: there is no skill with the id {ref}.")
        else:
            chosen[skill.pk] = skill
    for word in sorted(words):
        skill = next((s for s in found if s.slug == word), None)
        named = [s for s in found if s.name.lower() == word.lower()]
        if skill is None and len(named) > 1:
            choices = ", ".join(str(s.pk) for s in named)
            errors.append(f"skills: {len(named)} skills are called “{word}”; give one by id ({choices}).")
        elif skill is None and not named:
            errors.append(f"skills: “{word}” is not in the skills taxonomy.")
        else:
            skill = skill or named[0]
            chosen[skill.pk] = skill
    if errors:
        raise ValidationError(errors)
    return list(chosen.values())


def _not_null(changes: dict, nullable: set[str]) -> None:
    """A PATCH that sends null for a field that cannot be empty is refused rather than quietly ignored."""
    nulls = sorted(name for name, value in changes.items() if value is None and name not in nullable)
    if nulls:
        raise ValidationError(
            f"{', '.join(nulls)} cannot be null; leave {'them' if len(nulls) > 1 else 'it'} out to keep the value."
        )


def _upload(file: UploadedFile | None, text: str, *, what: str, max_bytes: int) -> bytes:
    """The uploaded file's bytes, or the text field's; refused before reading when it is too big."""
    if (file is None) == (not text):
        raise ValidationError(f"Send the {what} as the file “file” or as the text “text”: one of the two.")
    if file is None:
        return text.encode("utf-8")
    if file.size is not None and file.size > max_bytes:
        raise ValidationError(f"The file is larger than {max_bytes // (1024 * 1024)} MB.")
    return file.read()


def _require_curator_role(user, message: str) -> None:
    # The services refuse others too; asking first answers 403 before any of the input is checked, and
    # for an import instead of a plan that only says so.
    if not getattr(user, "is_curator", False):
        raise PermissionDenied(message)


# ---------------------------------------------------------------------------------------- courses: read


@router.get("/courses", response=list[CourseOut], auth=api_auth_or_anonymous, openapi_extra=ANONYMOUS_ALLOWED)
@paginate(LimitOffsetPagination, max_limit=200)
def list_courses(
    request,
    skill: str = "",
    format: FormatIn | None = None,
    level: LevelIn | None = None,
    language: str = "",
    sort: Sort = "newest",
):
    """Courses you may see. ``skill`` is a skill's slug (courses teaching it); ``language`` a code such as en.
    ``sort``: newest first, by title, or best rated (Bayesian average, so one 5-star review does not win)."""
    items = _courses(Item.objects.visible_to(request.user))
    if skill:
        found = Skill.objects.filter(slug=skill).first()
        if found is None:
            raise HttpError(400, f"There is no skill “{skill}”.")
        items = items.filter(course__skills=found)
    if format:
        items = items.filter(course__format=format)
    if level:
        items = items.filter(course__level=level)
    if language:
        items = items.filter(course__language__iexact=language.strip())
    if sort == "rating":
        return by_rating(items)
    if sort == "title":
        return items.order_by("title", "pk")
    return items.order_by("-created", "-pk")


# ``int:`` keeps /courses/import from being read as a course's id.
@router.get(
    "/courses/{int:course_id}",
    response={200: CourseDetailOut, 404: ErrorOut},
    auth=api_auth_or_anonymous,
    openapi_extra=ANONYMOUS_ALLOWED,
)
def read_course(request, course_id: int):
    """A course with all its sessions (past, upcoming and cancelled), each with its seats taken and waiting list."""
    return _course_detail(_course(request, course_id).pk)


@router.get(
    "/courses/{course_id}/sessions",
    response={200: list[SessionOut], 404: ErrorOut},
    auth=api_auth_or_anonymous,
    openapi_extra=ANONYMOUS_ALLOWED,
)
def list_sessions(request, course_id: int, upcoming: bool = False):
    """A course's sessions in time order; ``upcoming`` leaves out those that have started."""
    return list(queries.sessions_with_seats(_course(request, course_id), upcoming_only=upcoming))


# -------------------------------------------------------------------------------------- courses: curate


@router.post("/courses", response={201: CourseDetailOut, **REFUSALS})
def create_course(request, payload: CourseIn):
    """Curators add a course to the catalogue, in a space they belong to (``space``) or for the organisation."""
    _require_curator_role(request.user, "Only curators can add courses to the catalogue.")
    course = services.create_course(
        actor=request.user,
        title=payload.title,
        summary=payload.description,
        code=payload.code,
        provider=payload.provider,
        format=payload.format,
        duration_minutes=payload.duration_minutes,
        level=payload.level,
        language=payload.language,
        skills=_skills(payload.skills),
        cost=payload.cost,
        currency=payload.currency,
        prerequisites=payload.prerequisites,
        launch_url=payload.launch_url,
        curator=_person(request, payload.curator, "curator") if payload.curator else None,
        space=_space(request, payload.space),
        visibility=payload.visibility,
        tags=payload.tags,
    )
    return Status(201, _course_detail(course.pk))


@router.patch("/courses/{int:course_id}", response={200: CourseDetailOut, **REFUSALS})
def update_course(request, course_id: int, payload: CoursePatch):
    """Change a course (its curators, its owner, the space's admins, site admins); fields left out stay
    as they are. ``skills`` and ``tags`` replace the course's own."""
    course = _curated_course(request, course_id)
    changes = payload.model_dump(exclude_unset=True)
    _not_null(changes, nullable={"duration_minutes", "curator"})
    if "description" in changes:
        changes["summary"] = changes.pop("description")
    if "skills" in changes:
        changes["skills"] = _skills(changes["skills"])
    if "curator" in changes:
        changes["curator"] = _person(request, changes["curator"], "curator") if changes["curator"] else None
    services.update_course(actor=request.user, course=course, **changes)
    return Status(200, _course_detail(course.pk))


@router.get("/courses/{course_id}/enrolments", response={200: list[RosterOut], 403: ErrorOut, 404: ErrorOut})
@paginate(LimitOffsetPagination, max_limit=200)
def course_roster(request, course_id: int, state: StateIn = ""):
    """Everyone enrolled on the course (its curators only), session by session in time order, those
    waiting in their order; self-paced enrolments first. ``state`` keeps one state."""
    course = _curated_course(request, course_id)
    return _roster(Enrolment.objects.filter(course=course), state)


@router.post("/courses/{course_id}/completions", response={200: EnrolmentOut, **REFUSALS})
def record_completion(request, course_id: int, payload: RecordCompletionIn):
    """A curator records that ``person`` completed the course: on their seat if they have one, else as a
    completion of the course itself (taken elsewhere, say). Yours to report is ``POST …/completion``."""
    course = _curated_course(request, course_id)
    person = _person(request, payload.person, "person")
    enrolment = services.record_completion(actor=request.user, course=course, person=person)
    return _enrolment_out(enrolment.pk)


# --------------------------------------------------------------------------------------------- sessions


@router.post("/courses/{course_id}/sessions", response={201: SessionOut, **REFUSALS})
def add_session(request, course_id: int, payload: SessionIn):
    """Schedule a run of a classroom or live-online course; self-paced formats have no sessions."""
    course = _curated_course(request, course_id)
    session = services.add_session(
        actor=request.user,
        course=course,
        starts=payload.starts,
        ends=payload.ends,
        time_zone=payload.time_zone,
        all_day=payload.all_day,
        place=payload.place,
        online_url=payload.online_url,
        capacity=payload.capacity,
    )
    return Status(201, _session_out(session))


@router.patch("/sessions/{session_id}", response={200: SessionOut, **REFUSALS})
def update_session(request, session_id: int, payload: SessionPatch):
    """Move or change a session; those holding seats get an updated invite, and a larger capacity seats
    people from the waiting list in their order."""
    session = _curated_session(request, session_id)
    changes = payload.model_dump(exclude_unset=True)
    _not_null(changes, nullable={"capacity"})
    services.update_session(actor=request.user, session=session, **changes)
    return Status(200, _session_out(session))


@router.post("/sessions/{session_id}/cancel", response={200: SessionOut, **REFUSALS})
def cancel_session(request, session_id: int):
    """Call a session off: everyone holding a seat gets a cancellation; their enrolments stay on record."""
    session = services.cancel_session(actor=request.user, session=_curated_session(request, session_id))
    return _session_out(session)


@router.get("/sessions/{session_id}/enrolments", response={200: list[RosterOut], 403: ErrorOut, 404: ErrorOut})
@paginate(LimitOffsetPagination, max_limit=200)
def session_roster(request, session_id: int, state: StateIn = ""):
    """Everyone on the session (its course's curators only): seated first, then the waiting list in order."""
    session = _curated_session(request, session_id)
    return _roster(Enrolment.objects.filter(session=session), state)


# ------------------------------------------------------------------------------------------- enrolment


@router.post("/sessions/{session_id}/enrolment", response={200: EnrolmentOut, **REFUSALS})
def enrol_on_session(request, session_id: int):
    """Take a seat, or a place on the waiting list when the session is full (``state`` says which).
    Enrolling again returns the enrolment you have."""
    enrolment = services.enrol(person=request.user, session=_session(request, session_id))
    return _enrolment_out(enrolment.pk)


@router.delete("/sessions/{session_id}/enrolment", response={204: None, **REFUSALS})
def withdraw_from_session(request, session_id: int):
    """Give up your seat or waiting place; a freed seat goes to the first person waiting."""
    session = _session(request, session_id)
    enrolment = Enrolment.objects.filter(session=session, person=request.user).first()
    if enrolment is None:
        raise HttpError(404, "You are not enrolled on this session.")
    services.withdraw(actor=request.user, enrolment=enrolment)
    return Status(204, None)


@router.post("/courses/{course_id}/enrolment", response={200: EnrolmentOut, **REFUSALS})
def enrol_on_course(request, course_id: int):
    """Start a self-paced course (e-learning, video, book, external); scheduled courses are enrolled by session."""
    enrolment = services.enrol(person=request.user, course=_course(request, course_id))
    return _enrolment_out(enrolment.pk)


@router.delete("/courses/{course_id}/enrolment", response={204: None, **REFUSALS})
def withdraw_from_course(request, course_id: int):
    """Stop a self-paced course you started."""
    course = _course(request, course_id)
    enrolment = Enrolment.objects.filter(course=course, session=None, person=request.user).first()
    if enrolment is None:
        raise HttpError(404, "You have not started this course.")
    services.withdraw(actor=request.user, enrolment=enrolment)
    return Status(204, None)


@router.get("/enrolments", response=list[EnrolmentOut])
@paginate(LimitOffsetPagination, max_limit=200)
def my_enrolments(request, state: StateIn = ""):
    """Your enrolments, newest first, on courses you can still see; ``state`` keeps one state."""
    visible = Item.objects.visible_to(request.user).filter(kind=ItemKind.COURSE).values("pk")
    enrolments = Enrolment.objects.filter(person=request.user, course_id__in=visible)
    if state:
        enrolments = enrolments.filter(state=state)
    return enrolments.select_related("course__item", "person", "confirmed_by").order_by("-created", "-pk")


@router.post("/courses/{course_id}/completion", response={200: EnrolmentOut, **REFUSALS})
def report_completion(request, course_id: int, payload: CompletionIn):
    """Say you completed a course, with evidence (text, a link, or both); a curator may confirm it."""
    enrolment = services.self_report_completion(
        person=request.user,
        course=_course(request, course_id),
        evidence=payload.evidence,
        evidence_url=payload.evidence_url,
    )
    return _enrolment_out(enrolment.pk)


@router.post("/enrolments/{enrolment_id}/confirm", response={200: EnrolmentOut, **REFUSALS})
def confirm_completion(request, enrolment_id: int):
    """A course's curator confirms a completion someone reported themselves."""
    enrolment = _enrolment(request, enrolment_id)
    services.confirm_completion(actor=request.user, enrolment=enrolment)
    return _enrolment_out(enrolment.pk)


@router.put("/enrolments/{enrolment_id}/attendance", response={200: EnrolmentOut, **REFUSALS})
def take_attendance(request, enrolment_id: int, payload: AttendanceIn):
    """A curator marks a seated person as attended or as a no-show, once the session has started;
    marking again corrects it."""
    enrolment = _enrolment(request, enrolment_id)
    services.record_attendance(actor=request.user, enrolment=enrolment, attended=payload.attended)
    return _enrolment_out(enrolment.pk)


# --------------------------------------------------------------------------------------------- imports


def _course_import_out(plan: importing.CoursesPlan, *, dry_run: bool, courses=None) -> dict:
    made = {row.line: course.pk for row, course in zip(plan.rows, courses, strict=True)} if courses else {}
    rows = [
        {
            "line": row.line,
            "action": "create" if row.action == "add" else "update",
            "code": row.fields.get("code", ""),
            "title": row.fields.get("title", ""),
            "course": row.course_id or made.get(row.line),
        }
        for row in plan.rows
    ]
    created = sum(1 for row in rows if row["action"] == "create")
    return {
        "dry_run": dry_run,
        "ok": plan.ok,
        "created": created,
        "updated": len(rows) - created,
        "rows": rows,
        "errors": [{"line": line, "messages": messages} for line, messages in plan.errors],
        "problems": plan.problems,
    }


@router.post("/courses/import", response={200: CourseImportOut, 400: CourseImportRefusedOut, 403: ErrorOut})
def import_courses(
    request,
    file: File[UploadedFile] = None,
    text: Form[str] = "",
    dry_run: Form[bool] = True,
):
    """Curators add and update courses from a CSV (multipart: the file in ``file``, or its text in ``text``).
    Columns: code, title, summary, provider, format, duration_minutes, level, language, skills, cost,
    currency, prerequisites, launch_url, tags, visibility; a row whose ``code`` is already in the catalogue
    updates that course. ``dry_run`` (the default) answers the plan, row by row, and writes nothing; with
    ``dry_run=false`` every row is written, or, when any row is wrong, none (400, every bad row named)."""
    _require_curator_role(request.user, "Only curators can import courses.")
    data = _upload(file, text, what="CSV", max_bytes=importing.MAX_BYTES)
    plan = importing.plan_courses_import(data, actor=request.user)
    if dry_run:
        return _course_import_out(plan, dry_run=True)
    if not plan.ok:
        body = _course_import_out(plan, dry_run=False)
        return Status(400, {**body, "detail": "Nothing was imported: " + " ".join(plan.report())})
    courses = importing.apply_courses_import(plan, actor=request.user)
    return _course_import_out(plan, dry_run=False, courses=courses)


def _session_import_out(plan: ical.SessionsPlan, *, dry_run: bool) -> dict:
    made = {}
    if not dry_run and plan.ok:
        uids = [planned.source_uid for planned in plan.sessions]
        made = dict(plan.course.sessions.filter(source_uid__in=uids).values_list("source_uid", "pk"))
    return {
        "dry_run": dry_run,
        "ok": plan.ok,
        "created": plan.new_count,
        "updated": plan.update_count,
        "sessions": [
            {
                "action": "create" if planned.existing_id is None else "update",
                "session": planned.existing_id or made.get(planned.source_uid),
                "label": planned.label,
                "starts": planned.starts,
                "ends": planned.ends,
                "local_starts": planned.local_starts,
                "time_zone": planned.time_zone,
                "all_day": planned.all_day,
                "place": planned.place,
                "online_url": planned.online_url,
                "source_uid": planned.source_uid,
            }
            for planned in plan.sessions
        ],
        "notes": plan.notes,
        "problems": plan.problems,
    }


@router.post(
    "/courses/{course_id}/sessions/import",
    response={200: SessionImportOut, 400: SessionImportRefusedOut, 403: ErrorOut, 404: ErrorOut},
)
def import_sessions(
    request,
    course_id: int,
    file: File[UploadedFile] = None,
    text: Form[str] = "",
    dry_run: Form[bool] = True,
    time_zone: Form[str] = "UTC",
    capacity: Form[int | None] = None,
):
    """A course's curators add its sessions from an iCalendar file exported by Outlook, Exchange, Google or
    Apple Calendar (multipart: ``file``, or its text in ``text``). A repeating event becomes one session per
    occurrence for a year; importing the same file again moves the sessions it made. ``time_zone`` places
    all-day and floating times when the file names no zone; ``capacity`` is each new session's seats (none:
    no limit). ``dry_run`` (the default) answers the plan and writes nothing; with ``dry_run=false`` every
    session is written, or, when any event is wrong, none (400, every problem named)."""
    course = _curated_course(request, course_id)
    if capacity is not None and capacity < 1:
        raise ValidationError("capacity: a session needs room for at least one person; leave it out for no limit.")
    data = _upload(file, text, what="calendar", max_bytes=ICS_MAX_BYTES)
    plan = ical.plan_sessions_import(data, course, default_time_zone=time_zone.strip(), capacity=capacity)
    if dry_run:
        return _session_import_out(plan, dry_run=True)
    if not plan.ok:
        body = _session_import_out(plan, dry_run=False)
        return Status(400, {**body, "detail": "Nothing was imported: " + " ".join(plan.problems)})
    ical.apply_sessions_import(plan, actor=request.user)
    return _session_import_out(plan, dry_run=False)
