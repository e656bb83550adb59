"""Mentoring programmes, applications, suggestions and requests through the API, with the same services as the
pages (``mentoring.services``). Paths are relative to /api/mentoring/.

A programme you may not see answers 404, and so does an application, request or match that is not yours (a
programme's curators also read its applications). What you may see but not do answers 403 with the reason
(creating a programme without being a curator, applying on a side the programme is not open to you); a
refused change (a bad field, a mentor with no room, a request already answered) answers 400 with the reason.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from core.api import ItemFields
from core.models import Item, ItemKind
from mentoring import access, queries, services
from mentoring.models import Application, Match, Programme
from people.queries import resolve_skill

router = Router()

MAX_ID = 2**63 - 1
LISTED_MAX = 200
SideIn = Literal["mentor", "mentee"]
AudienceIn = Literal["everyone", "roles", "invited"]
ModeIn = Literal["self", "bulk", "both"]
VisibilityIn = Literal["organisation", "space", "people"]
FormatIn = Literal["video", "in_person", "chat"]
SitePreferenceIn = Literal["any", "same", "other"]


class ErrorOut(Schema):
    detail: str


REFUSALS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


# --- schemas -------------------------------------------------------------------------------------------------------


class QuestionIO(Schema):
    key: str = Field("", max_length=40, description="Made from the label when left out.")
    label: str = Field(max_length=services.QUESTION_LABEL_MAX)
    side: Literal["mentor", "mentee", "both"] = "both"


class PartIO(Schema):
    key: str = Field("", max_length=40, description="Made from the title when left out.")
    title: str = Field(max_length=services.PART_TITLE_MAX)
    guidance: str = Field("", max_length=services.PART_GUIDANCE_MAX)


class ProgrammeOut(ItemFields):
    purpose: str = Field(..., alias="programme.purpose")
    starts: date | None = Field(None, alias="programme.starts")
    ends: date | None = Field(None, alias="programme.ends")
    always_open: bool = Field(..., alias="programme.always_open")
    mode: str = Field(..., alias="programme.mode")
    mentor_audience: str = Field(..., alias="programme.mentor_audience")
    mentee_audience: str = Field(..., alias="programme.mentee_audience")
    mentor_roles: list[str] = Field(..., alias="programme.mentor_roles")
    mentee_roles: list[str] = Field(..., alias="programme.mentee_roles")
    default_capacity: int = Field(..., alias="programme.default_capacity")
    max_capacity: int = Field(..., alias="programme.max_capacity")
    length_weeks: int = Field(..., alias="programme.length_weeks")
    checkin_every_days: int = Field(..., alias="programme.checkin_every_days")
    at_risk_after_days: int = Field(..., alias="programme.at_risk_after_days")
    weights: dict[str, float]
    questions: list[QuestionIO] = Field(..., alias="programme.questions")

    @staticmethod
    def resolve_weights(obj):
        return obj.programme.criterion_weights


class ProgrammeDetailOut(ProgrammeOut):
    guidance: str = Field(..., alias="programme.guidance")
    agreement_template: list[PartIO]
    may_apply: dict[str, bool] = Field(description="Whether you may apply as a mentor and as a mentee.")
    can_run: bool = Field(description="Whether you may change the programme and run its matching.")
    invited_mentors: list[str] = Field(description="Usernames; for the programme's curators only.")
    invited_mentees: list[str] = Field(description="Usernames; for the programme's curators only.")


class ProgrammeIn(Schema):
    """A new programme (curators). ``space`` is a space's slug; ``shared_with`` and ``invited_*`` are usernames.
    An invitation-only programme is ``visibility: people``: everyone invited is then among those who see it."""

    title: str = Field(max_length=services.TITLE_MAX)
    summary: str = Field("", max_length=services.SUMMARY_MAX)
    purpose: str = Field("", max_length=services.PURPOSE_MAX)
    starts: date | None = None
    ends: date | None = None
    space: str | None = None
    visibility: VisibilityIn = "organisation"
    shared_with: list[str] = Field(default_factory=list, max_length=500)
    tags: list[str] = Field(default_factory=list, max_length=50)
    mentor_audience: AudienceIn = "everyone"
    mentee_audience: AudienceIn = "everyone"
    mentor_roles: list[str] = Field(default_factory=list, max_length=10)
    mentee_roles: list[str] = Field(default_factory=list, max_length=10)
    invited_mentors: list[str] = Field(default_factory=list, max_length=2000)
    invited_mentees: list[str] = Field(default_factory=list, max_length=2000)
    questions: list[QuestionIO] = Field(default_factory=list, max_length=services.QUESTIONS_MAX)
    mode: ModeIn = "both"
    weights: dict[str, float] = Field(default_factory=dict, description="Criteria left out keep their default.")
    default_capacity: int = Field(2, ge=1, le=services.CAPACITY_LIMIT)
    max_capacity: int = Field(5, ge=1, le=services.CAPACITY_LIMIT)
    length_weeks: int = Field(26, ge=1, le=services.LENGTH_WEEKS_MAX)
    agreement_template: list[PartIO] | None = Field(None, description="Left out: the default agreement.")
    guidance: str | None = Field(None, max_length=services.GUIDANCE_MAX, description="Left out: the default.")
    checkin_every_days: int = Field(28, ge=1, le=services.DAYS_MAX)
    at_risk_after_days: int = Field(42, ge=1, le=services.DAYS_MAX)


class ProgrammePatch(Schema):
    title: str | None = Field(None, max_length=services.TITLE_MAX)
    summary: str | None = Field(None, max_length=services.SUMMARY_MAX)
    purpose: str | None = Field(None, max_length=services.PURPOSE_MAX)
    starts: date | None = None
    ends: date | None = None
    visibility: VisibilityIn | None = None
    shared_with: list[str] | None = Field(None, max_length=500)
    tags: list[str] | None = Field(None, max_length=50)
    mentor_audience: AudienceIn | None = None
    mentee_audience: AudienceIn | None = None
    mentor_roles: list[str] | None = Field(None, max_length=10)
    mentee_roles: list[str] | None = Field(None, max_length=10)
    invited_mentors: list[str] | None = Field(None, max_length=2000)
    invited_mentees: list[str] | None = Field(None, max_length=2000)
    questions: list[QuestionIO] | None = Field(None, max_length=services.QUESTIONS_MAX)
    mode: ModeIn | None = None
    weights: dict[str, float] | None = None
    default_capacity: int | None = Field(None, ge=1, le=services.CAPACITY_LIMIT)
    max_capacity: int | None = Field(None, ge=1, le=services.CAPACITY_LIMIT)
    length_weeks: int | None = Field(None, ge=1, le=services.LENGTH_WEEKS_MAX)
    agreement_template: list[PartIO] | None = None
    guidance: str | None = Field(None, max_length=services.GUIDANCE_MAX)
    checkin_every_days: int | None = Field(None, ge=1, le=services.DAYS_MAX)
    at_risk_after_days: int | None = Field(None, ge=1, le=services.DAYS_MAX)


class SkillLevel(Schema):
    skill: str = Field(max_length=200, description="A skill's slug or name in the taxonomy.")
    level: int = Field(2, ge=1, le=4, description="1 beginner, 2 practitioner, 3 advanced, 4 expert.")


class SkillLevelOut(SkillLevel):
    name: str


class ApplicationFields(Schema):
    """What an application says; on creating one, what is left out is filled in from the profile."""

    goals: str | None = Field(None, max_length=services.GOALS_MAX)
    answers: dict[str, str] | None = Field(None, description="The programme's questions by key.")
    capacity: int | None = Field(None, ge=1, le=services.CAPACITY_LIMIT, description="Mentors: mentees at once.")
    time_zone: str | None = Field(None, max_length=64)
    availability: list[list[int]] | None = Field(
        None,
        max_length=services.AVAILABILITY_MAX,
        description="Weekly windows [weekday 0-6, start minute, end minute] in ``time_zone``.",
    )
    languages: list[str] | None = Field(None, max_length=services.LANGUAGES_MAX)
    formats: list[FormatIn] | None = None
    seniority: int | None = Field(None, ge=1, le=5)
    site_preference: SitePreferenceIn | None = None
    wants_more_senior: bool | None = None
    preferences: str | None = Field(None, max_length=services.PREFERENCES_MAX)
    skills: list[SkillLevel] | None = Field(None, max_length=services.SKILLS_MAX)


class ApplicationIn(ApplicationFields):
    programme: int = Field(ge=1, le=MAX_ID)
    side: SideIn


class ApplicationOut(Schema):
    id: int
    programme: int = Field(..., alias="programme_id")
    programme_title: str
    person: str = Field(description="The applicant's username.")
    person_name: str
    side: str
    state: str
    goals: str
    answers: dict[str, str]
    capacity: int
    time_zone: str
    availability: list[list[int]]
    languages: list[str]
    formats: list[str]
    seniority: int
    site_preference: str
    wants_more_senior: bool
    preferences: str
    skills: list[SkillLevelOut]
    created: datetime
    updated: datetime

    @staticmethod
    def resolve_programme_title(obj):
        return obj.programme.item.title

    @staticmethod
    def resolve_person(obj):
        return obj.person.username

    @staticmethod
    def resolve_person_name(obj):
        return obj.person.name

    @staticmethod
    def resolve_skills(obj):
        return [{"skill": s.skill.slug, "name": s.skill.name, "level": s.level} for s in obj.skills.all()]


class DefaultsOut(Schema):
    """What an application on this side would start from."""

    side: str
    goals: str
    capacity: int
    time_zone: str
    availability: list[list[int]]
    languages: list[str]
    formats: list[str]
    seniority: int
    site_preference: str
    wants_more_senior: bool
    skills: list[SkillLevelOut]
    questions: list[QuestionIO]


class PartOut(Schema):
    criterion: str
    points: float
    words: str


class SuggestionOut(Schema):
    mentor: str = Field(description="The mentor's username.")
    mentor_name: str
    mentor_application: int
    score: float = Field(description="The sum of the parts' points.")
    fit_percent: int = Field(description="The score as a share of the most a pair can score in the programme.")
    summary: str
    parts: list[PartOut]
    profile_url: str
    message_url: str


class MatchOut(Schema):
    id: int
    programme: int
    programme_title: str
    mentor: str
    mentee: str
    state: str
    origin: str
    score: float
    explanation: list[PartOut]
    request_note: str
    response_note: str
    created: datetime
    responded_at: datetime | None
    started: datetime | None
    ends_on: date | None
    url: str = Field(description="The pair's space once it is active; else where to answer.")


class RequestIn(Schema):
    mentee_application: int = Field(ge=1, le=MAX_ID, description="Your open application as a mentee.")
    mentor_application: int = Field(ge=1, le=MAX_ID, description="The mentor's application, from suggestions.")
    note: str = Field("", max_length=services.NOTE_MAX)


class RespondIn(Schema):
    accept: bool
    note: str = Field("", max_length=services.NOTE_MAX)


class NoteIn(Schema):
    note: str = Field("", max_length=services.NOTE_MAX)


# --- reading out ---------------------------------------------------------------------------------------------------


def _programme_items():
    return Item.objects.filter(kind=ItemKind.PROGRAMME).select_related("owner", "space", "programme")


def _programme_detail(request, item: Item) -> Item:
    programme = item.programme
    programme.item = item
    user = request.user
    item.can_run = access.can_run(user, programme)
    item.may_apply = {side: access.may_apply(user, programme, side) for side in Application.Side.values}
    item.agreement_template = programme.agreement_parts
    item.invited_mentors = [p.username for p in programme.invited_mentors.all()] if item.can_run else []
    item.invited_mentees = [p.username for p in programme.invited_mentees.all()] if item.can_run else []
    return item


def applications_out(rows):
    """Applications with what ApplicationOut reads loaded in a fixed number of queries."""
    return queries.with_skills(rows.select_related("programme__item", "person"))


def _applications():
    return applications_out(Application.objects.all())


def _pair_url(match: Match) -> str:
    if match.state in (Match.State.ACTIVE, Match.State.CLOSED):
        return match.get_absolute_url()
    return reverse("mentoring:requests") if match.state == Match.State.REQUESTED else reverse("mentoring:index")


def match_out(match: Match) -> dict:
    return {
        "id": match.pk,
        "programme": match.programme_id,
        "programme_title": match.programme.item.title,
        "mentor": match.mentor.username,
        "mentee": match.mentee.username,
        "state": match.state,
        "origin": match.origin,
        "score": match.score,
        "explanation": match.explanation or [],
        "request_note": match.request_note,
        "response_note": match.response_note,
        "created": match.created,
        "responded_at": match.responded_at,
        "started": match.started,
        "ends_on": match.ends_on,
        "url": _pair_url(match),
    }


# --- finding what a caller names -----------------------------------------------------------------------------------


def _programme(request, programme_id: int) -> Programme:
    programme = queries.programme_for(request.user, programme_id)
    if programme is None:
        raise Http404("Not found")
    return programme


def _run_programme(request, programme_id: int) -> Programme:
    programme = _programme(request, programme_id)
    if not access.can_run(request.user, programme):
        raise PermissionDenied("Only the programme's curators change it.")
    return programme


def _application(request, application_id: int) -> Application:
    """The caller's own application, or one of a programme they run; anything else is a 404."""
    found = _applications().filter(pk=min(application_id, MAX_ID)).first()
    if found is None or queries.programme_for(request.user, found.programme_id) is None:
        raise Http404("Not found")
    if found.person_id != request.user.pk and not access.can_run(request.user, found.programme):
        raise Http404("Not found")
    return found


def _own_application(request, application_id: int) -> Application:
    found = _application(request, application_id)
    if found.person_id != request.user.pk:
        raise PermissionDenied("Only the applicant changes an application.")
    return found


def _match(request, match_id: int) -> Match:
    match = (
        Match.objects.select_related("programme__item", "mentor", "mentee")
        .exclude(state=Match.State.DRAFT)
        .filter(pk=min(match_id, MAX_ID))
        .first()
    )
    if match is None or not match.has_person(request.user):
        raise Http404("Not found")
    return match


def _people(request, usernames: list[str]) -> list:
    from core.forms import people_named

    return people_named(", ".join(usernames), request.user)


def _space(request, slug: str | None):
    from spaces.models import Space

    if not slug:
        return None
    space = Space.objects.visible_to(request.user).filter(slug=slug).first()
    if space is None:
        raise ValidationError(f"There is no space “{slug}” you can see.")
    return space


def _skills(given: list[SkillLevel]) -> list[tuple]:
    out, unknown = [], []
    for row in given:
        skill = resolve_skill(row.skill) if row.skill.strip() else None
        if skill is None:
            unknown.append(row.skill)
        else:
            out.append((skill, row.level))
    if unknown:
        raise ValidationError(f"The taxonomy has no skill called {', '.join(unknown)}.")
    return out


def _application_fields(payload: ApplicationFields) -> dict:
    changes = payload.model_dump(exclude_unset=True, exclude={"programme", "side"})
    nulls = sorted(name for name, value in changes.items() if value is None)
    if nulls:
        raise ValidationError(f"Leave out what you do not change, rather than null: {', '.join(nulls)}.")
    if "skills" in changes:
        changes["skills"] = _skills(payload.skills)
    return changes


def _programme_changes(request, payload: Schema, *, nullable: set[str]) -> dict:
    changes = payload.model_dump(exclude_unset=True)
    nulls = sorted(name for name, value in changes.items() if value is None and name not in nullable)
    if nulls:
        raise ValidationError(f"Leave out what you do not change, rather than null: {', '.join(nulls)}.")
    for name in ("shared_with", "invited_mentors", "invited_mentees"):
        if changes.get(name) is not None:
            changes[name] = _people(request, changes[name])
    return changes


# --- programmes ----------------------------------------------------------------------------------------------------


@router.get("/programmes", response=list[ProgrammeOut])
@paginate(LimitOffsetPagination, max_limit=LISTED_MAX)
def list_programmes(request):
    """Programmes you may see: the always-open one first, then the newest."""
    return (
        _programme_items()
        .filter(pk__in=queries.programmes_visible_to(request.user).values("pk"))
        .prefetch_related("tags")
        .order_by("-programme__always_open", "-created", "-pk")
    )


@router.get("/programmes/open", response={200: ProgrammeDetailOut, 404: ErrorOut})
def open_programme(request):
    """The organisation's always-open programme for informal mentoring (self-service)."""
    programme = services.get_or_create_open_programme()
    if programme is None:
        raise Http404("Not found")
    return _read(request, programme.pk)


def _read(request, programme_id: int) -> Item:
    programme = _programme(request, programme_id)
    item = _programme_items().prefetch_related("tags").get(pk=programme.pk)
    return _programme_detail(request, item)


@router.post("/programmes", response={201: ProgrammeDetailOut, **REFUSALS})
def create_programme(request, payload: ProgrammeIn):
    """A new programme (curators): its purpose, dates, who sees it and may join, matching, agreement, guidance."""
    if not services.can_create_programme(request.user):
        raise PermissionDenied("Only L&D curators create mentoring programmes.")
    fields = _programme_changes(
        request, payload, nullable={"starts", "ends", "space", "agreement_template", "guidance"}
    )
    fields["space"] = _space(request, fields.get("space"))
    programme = services.create_programme(actor=request.user, **fields)
    return Status(201, _read(request, programme.pk))


@router.get("/programmes/{int:programme_id}", response={200: ProgrammeDetailOut, 404: ErrorOut})
def read_programme(request, programme_id: int):
    """A programme with its guidance, agreement template and whether you may apply on each side."""
    return _read(request, programme_id)


@router.patch("/programmes/{int:programme_id}", response={200: ProgrammeDetailOut, **REFUSALS})
def update_programme(request, programme_id: int, payload: ProgrammePatch):
    """Change a programme (its curators); what is left out stays. Lists given replace the programme's own."""
    programme = _run_programme(request, programme_id)
    changes = _programme_changes(request, payload, nullable={"starts", "ends"})
    services.update_programme(actor=request.user, programme=programme, **changes)
    return _read(request, programme.pk)


@router.get("/programmes/{int:programme_id}/application-defaults", response={200: DefaultsOut, **REFUSALS})
def application_defaults(request, programme_id: int, side: SideIn):
    """What your application on ``side`` would start from: your profile and your previous application."""
    programme = _programme(request, programme_id)
    defaults = services.application_defaults(programme=programme, person=request.user, side=side)
    return {
        **defaults,
        "side": side,
        "skills": [{"skill": s.slug, "name": s.name, "level": level} for s, level in defaults["skills"]],
        "questions": services.questions_for(programme, side),
    }


# --- applications --------------------------------------------------------------------------------------------------


@router.get("/applications", response=list[ApplicationOut])
def my_applications(request):
    """Your applications, the latest changed first (at most 200)."""
    rows = _applications().filter(person=request.user, programme__item__deleted_at__isnull=True)
    return list(rows.order_by("-updated", "-pk")[:LISTED_MAX])


@router.post("/applications", response={201: ApplicationOut, **REFUSALS})
def apply(request, payload: ApplicationIn):
    """Apply to a programme as a mentor or a mentee. What you leave out is filled in from your profile (time
    zone, languages, the skills you teach or want to learn) and your previous application."""
    programme = _programme(request, payload.programme)
    application = services.apply(
        programme=programme, person=request.user, side=payload.side, **_application_fields(payload)
    )
    return Status(201, _applications().get(pk=application.pk))


@router.get("/applications/{int:application_id}", response={200: ApplicationOut, 404: ErrorOut})
def read_application(request, application_id: int):
    """Your application, or one of a programme you run."""
    return _application(request, application_id)


@router.patch("/applications/{int:application_id}", response={200: ApplicationOut, **REFUSALS})
def update_application(request, application_id: int, payload: ApplicationFields):
    """Change your open application; what you leave out stays. ``skills`` replaces the list."""
    found = _own_application(request, application_id)
    services.update_application(actor=request.user, application=found, **_application_fields(payload))
    return _applications().get(pk=found.pk)


@router.post("/applications/{int:application_id}/withdraw", response={200: ApplicationOut, **REFUSALS})
def withdraw(request, application_id: int):
    """Withdraw your application: requests still waiting are called off; pairs already running go on."""
    found = _own_application(request, application_id)
    services.withdraw(actor=request.user, application=found)
    return _applications().get(pk=found.pk)


@router.get("/applications/{int:application_id}/suggestions", response={200: list[SuggestionOut], **REFUSALS})
def suggestions(request, application_id: int, limit: int = Query(10, ge=1, le=50)):
    """The mentors who fit your open mentee application best, each with its score in parts and plain words."""
    from mentoring import matching
    from mentoring.views.programmes import score_percent

    found = _own_application(request, application_id)
    if found.side != Application.Side.MENTEE:
        raise ValidationError("Suggestions are for a mentee's application.")
    if found.state != Application.State.OPEN:
        raise ValidationError("This application was withdrawn.")
    if found.programme.mode == Programme.Mode.BULK:
        raise ValidationError("In this programme a curator matches everyone at once.")
    out = []
    for suggestion in matching.suggestions(found, limit=limit):
        mentor = suggestion.mentor_application.person
        out.append(
            {
                "mentor": mentor.username,
                "mentor_name": mentor.name,
                "mentor_application": suggestion.mentor_application.pk,
                "score": suggestion.score,
                "fit_percent": score_percent(suggestion.score, found.programme),
                "summary": suggestion.summary,
                "parts": [p.as_json() for p in suggestion.parts],
                "profile_url": mentor.get_absolute_url(),
                "message_url": _message_url(mentor),
            }
        )
    return out


def _message_url(person) -> str:
    return reverse("messaging:thread", kwargs={"username": person.username})


# --- requests and answers ------------------------------------------------------------------------------------------


@router.get("/requests", response=list[MatchOut])
def list_requests(request, role: Literal["mentor", "mentee"] = "mentor"):
    """Requests waiting for an answer: asked of you as a mentor (``role=mentor``, oldest first), or made by you
    as a mentee (``role=mentee``, newest first). At most 200."""
    rows = queries.requests_for(request.user) if role == "mentor" else queries.requests_made_by(request.user)
    return [match_out(m) for m in rows.select_related("mentor", "mentee")[:LISTED_MAX]]


@router.post("/requests", response={201: MatchOut, **REFUSALS})
def create_request(request, payload: RequestIn):
    """Ask a mentor of the programme (from your suggestions), with a note; they are told and answer."""
    mentee_application = _own_application(request, payload.mentee_application)
    mentor_application = (
        Application.objects.select_related("person")
        .filter(pk=payload.mentor_application, programme=mentee_application.programme_id)
        .first()
    )
    if mentor_application is None:
        raise ValidationError("That is not a mentor's application in this programme.")
    match = services.request_mentor(
        mentee_application=mentee_application,
        mentor_application=mentor_application,
        note=payload.note,
        by=request.user,
    )
    return Status(201, match_out(_match(request, match.pk)))


@router.post("/requests/{int:match_id}/respond", response={200: MatchOut, **REFUSALS})
def respond(request, match_id: int, payload: RespondIn):
    """The mentor accepts (the pair starts) or declines, with a note for the mentee."""
    match = _match(request, match_id)
    if match.mentor_id != request.user.pk:
        raise PermissionDenied("Only the mentor asked answers a request.")
    services.respond(match=match, by=request.user, accept=payload.accept, note=payload.note)
    return match_out(_match(request, match.pk))


@router.post("/matches/{int:match_id}/decline", response={200: MatchOut, **REFUSALS})
def decline(request, match_id: int, payload: NoteIn):
    """Step out of a request (the mentee calls it off, the mentor declines it) or of a pair that has not begun
    (a curator's match, or an accepted request, before the pair has met or signed its agreement)."""
    match = _match(request, match_id)
    services.decline_match(match=match, by=request.user, note=payload.note)
    return match_out(_match(request, match.pk))
