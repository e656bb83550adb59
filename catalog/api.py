"""The course catalogue: browse courses, their sessions, enrol and withdraw, one's enrolments, completions.

Mounted at ``/api/catalog/``. A course the caller may not see answers 404, as do its sessions; an
action the caller may not take on what they see answers 403 with the reason; a refused change (a full
or past session, a completion already on record) answers 400 with the reason.
"""

from datetime import datetime
from typing import Literal

from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from api.auth import ANONYMOUS_ALLOWED, api_auth_or_anonymous
from catalog import queries, services
from catalog.models import Course, Enrolment, Session
from core.access import get_visible_or_404
from core.api import ItemFields
from core.models import Item, ItemKind
from people.models import Skill
from reviews.queries import by_rating

router = Router()

FormatIn = Literal["classroom", "live_online", "elearning", "video", "book", "external"]
LevelIn = Literal["all", "beginner", "intermediate", "advanced"]
Sort = Literal["newest", "title", "rating"]
StateIn = Literal["", "enrolled", "waiting", "withdrawn", "attended", "completed", "no_show"]


class ErrorOut(Schema):
    detail: str


REFUSALS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


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


class CompletionIn(Schema):
    evidence: str = ""  # how you completed it
    evidence_url: str = ""  # a certificate or other proof, http(s)


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


def _session(request, session_id: int) -> Session:
    """A session of a course the caller may see, else 404."""
    session = Session.objects.filter(pk=session_id).first()
    if session is None:
        raise HttpError(404, "Not found.")
    _course(request, session.course_id)
    return session


def _enrolment_out(pk: int) -> Enrolment:
    return Enrolment.objects.select_related("course__item", "person", "confirmed_by").get(pk=pk)


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


@router.get(
    "/courses/{course_id}",
    response={200: CourseDetailOut, 404: ErrorOut},
    auth=api_auth_or_anonymous,
    openapi_extra=ANONYMOUS_ALLOWED,
)
def read_course(request, course_id: int):
    """A course with all its sessions (past, upcoming and cancelled), each with its seats taken and waiting list."""
    course = _course(request, course_id)
    item = _courses(Item.objects.all()).get(pk=course.pk)
    item.sessions = list(queries.sessions_with_seats(course))
    return item


@router.get(
    "/courses/{course_id}/sessions",
    response={200: list[SessionOut], 404: ErrorOut},
    auth=api_auth_or_anonymous,
    openapi_extra=ANONYMOUS_ALLOWED,
)
def list_sessions(request, course_id: int, upcoming: bool = False):
    """A course's sessions in time order; ``upcoming`` leaves out those that have started."""
    return list(queries.sessions_with_seats(_course(request, course_id), upcoming_only=upcoming))


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
    enrolment = Enrolment.objects.select_related("course").filter(pk=enrolment_id).first()
    if enrolment is None:
        raise HttpError(404, "Not found.")
    _course(request, enrolment.course_id)
    if enrolment.person_id != request.user.pk and not services.can_curate(request.user, enrolment.course):
        raise HttpError(404, "Not found.")  # others' enrolments are private to them and the curators
    services.confirm_completion(actor=request.user, enrolment=enrolment)
    return _enrolment_out(enrolment.pk)
