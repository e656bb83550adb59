"""A pair's space through the API: my matches, one match, its agreement, goals, meetings (with my private note),
check-ins and closing — the same services as the pages (``mentoring.pairs``). Paths are relative to
/api/mentoring/.

A match is seen by its two people only: anyone else, the programme's curators and site admins included,
gets 404, as does a check-in that is the other person's. A refused change (a pair that is closed, a meeting
in the past, a part the other person changed meanwhile) answers 400 with the reason; fields of the wrong
type answer 422. Times carry their UTC offset; a start without one is refused rather than guessed.
"""

from datetime import date, datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from mentoring import pairs
from mentoring.models import Agreement, CheckIn, Closing, Goal, Match, Meeting, MeetingNote

router = Router()

MAX_ID = 2**63 - 1
FormatIn = Literal["video", "in_person", "chat"]


class ErrorOut(Schema):
    detail: str


REFUSALS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


# --- schemas -----------------------------------------------------------------------------------------------------


class PersonRef(Schema):
    username: str
    name: str
    time_zone: str  # the zone the pair's pages show their times in (their application's, else their profile's)


class PairOut(Schema):
    id: int
    programme: int
    programme_title: str
    my_role: Literal["mentor", "mentee"]
    mentor: str
    mentee: str
    state: str
    origin: str
    started: datetime | None
    ends_on: date | None
    closed_at: datetime | None
    last_meeting: datetime | None
    at_risk: bool
    at_risk_reason: str
    url: str


class PartOut(Schema):
    key: str
    title: str
    guidance: str
    text: str


class AgreementOut(Schema):
    parts: list[PartOut]
    mentor_signed_at: datetime | None
    mentee_signed_at: datetime | None
    signed: bool
    updated: datetime  # send it back as ``seen`` when signing


class GoalOut(Schema):
    id: int
    title: str
    progress: int
    done: bool
    done_at: datetime | None
    created: datetime


class CheckInOut(Schema):
    id: int
    due: date
    answered_at: datetime | None
    score: int | None
    comment: str


class PairDetailOut(PairOut):
    other: PersonRef
    me: PersonRef
    request_note: str
    explanation: list[dict]
    agreement: AgreementOut | None
    goals: list[GoalOut]
    checkin_due: CheckInOut | None  # my check-in to answer now


class AgreementIn(Schema):
    """The parts to change, by key; parts left out stay. ``base`` holds each part's text as you read it:
    a part the other person changed since is refused as a conflict instead of overwritten."""

    texts: dict[str, str]
    base: dict[str, str] | None = None


class SignIn(Schema):
    seen: datetime | None = Field(None, description="The agreement's ``updated`` as you read it.")


class GoalIn(Schema):
    title: str = Field(max_length=pairs.GOAL_TITLE_MAX)
    progress: int = Field(0, ge=0, le=100)


class GoalPatch(Schema):
    title: str | None = Field(None, max_length=pairs.GOAL_TITLE_MAX)
    progress: int | None = Field(None, ge=0, le=100)
    done: bool | None = None


class MeetingOut(Schema):
    id: int
    starts: datetime
    minutes: int
    format: str
    place: str
    agenda: str
    shared_notes: str
    state: str
    sequence: int
    created_by: str | None
    has_my_note: bool
    ics_url: str


class MeetingIn(Schema):
    starts: datetime
    minutes: int = Field(60, ge=pairs.MEETING_MINUTES[0], le=pairs.MEETING_MINUTES[1])
    format: FormatIn = "video"
    place: str = Field("", max_length=pairs.PLACE_MAX)
    agenda: str = Field("", max_length=pairs.AGENDA_MAX)
    held: bool = Field(False, description="Log a meeting you already had (its start in the past).")
    shared_notes: str = Field("", max_length=pairs.NOTES_MAX, description="With ``held``: the notes you both see.")


class MeetingPatch(Schema):
    """A booked meeting's changes; fields left out stay. ``shared_notes`` (with ``base``, the notes as you read
    them) may change on a held meeting too."""

    starts: datetime | None = None
    minutes: int | None = Field(None, ge=pairs.MEETING_MINUTES[0], le=pairs.MEETING_MINUTES[1])
    format: FormatIn | None = None
    place: str | None = Field(None, max_length=pairs.PLACE_MAX)
    agenda: str | None = Field(None, max_length=pairs.AGENDA_MAX)
    shared_notes: str | None = Field(None, max_length=pairs.NOTES_MAX)
    base: str | None = None


class HeldIn(Schema):
    shared_notes: str | None = Field(None, max_length=pairs.NOTES_MAX)
    base: str | None = None


class NoteOut(Schema):
    text: str
    updated: datetime | None


class NoteIn(Schema):
    text: str = Field(max_length=pairs.NOTES_MAX, description="Empty removes the note.")


class CheckInIn(Schema):
    score: int = Field(ge=1, le=5)
    comment: str = Field("", max_length=pairs.COMMENT_MAX)


class CloseIn(Schema):
    reflection: str = Field("", max_length=pairs.REFLECTION_MAX)
    rating: int | None = Field(None, ge=1, le=5)
    feedback: str = Field("", max_length=pairs.FEEDBACK_MAX)
    wants_to_continue: bool = False
    to_portfolio: bool = Field(False, description="Put the reflection into a process portfolio of yours.")
    portfolio: int | None = Field(None, description="Which one; else your latest, or a new “Mentoring” one.")


class ClosingOut(Schema):
    id: int
    reflection: str
    rating: int | None
    feedback: str
    wants_to_continue: bool
    portfolio_entry: int | None
    created: datetime
    pair_state: str
    can_continue: bool


# --- helpers ---------------------------------------------------------------------------------------------------------


def _pair(request, match_id: int) -> Match:
    match = pairs.pair_for(request.user, min(match_id, MAX_ID))
    if match is None:
        raise Http404("Not found")
    return match


def _pair_out(request, match: Match) -> dict:
    return {
        "id": match.pk,
        "programme": match.programme_id,
        "programme_title": match.programme.item.title,
        "my_role": "mentor" if match.mentor_id == request.user.pk else "mentee",
        "mentor": match.mentor.username,
        "mentee": match.mentee.username,
        "state": match.state,
        "origin": match.origin,
        "started": match.started,
        "ends_on": match.ends_on,
        "closed_at": match.closed_at,
        "last_meeting": match.last_meeting,
        "at_risk": match.at_risk,
        "at_risk_reason": match.at_risk_reason,
        "url": match.get_absolute_url(),
    }


def _agreement_out(agreement: Agreement) -> dict:
    return {
        "parts": [
            {"key": p["key"], "title": p["title"], "guidance": p.get("guidance", ""), "text": p.get("text", "")}
            for p in agreement.parts
        ],
        "mentor_signed_at": agreement.mentor_signed_at,
        "mentee_signed_at": agreement.mentee_signed_at,
        "signed": agreement.signed,
        "updated": agreement.updated,
    }


def _goal_out(goal: Goal) -> dict:
    return {
        "id": goal.pk,
        "title": goal.title,
        "progress": goal.progress,
        "done": goal.done_at is not None,
        "done_at": goal.done_at,
        "created": goal.created,
    }


def _meeting_out(meeting: Meeting, mine: set[int]) -> dict:
    return {
        "id": meeting.pk,
        "starts": meeting.starts,
        "minutes": meeting.minutes,
        "format": meeting.format,
        "place": meeting.place,
        "agenda": meeting.agenda,
        "shared_notes": meeting.shared_notes,
        "state": meeting.state,
        "sequence": meeting.sequence,
        "created_by": meeting.created_by.username if meeting.created_by_id else None,
        "has_my_note": meeting.pk in mine,
        "ics_url": reverse("mentoring:pair-meeting-ics", args=[meeting.match_id, meeting.pk]),
    }


def _checkin_out(checkin: CheckIn) -> dict:
    return {
        "id": checkin.pk,
        "due": checkin.due,
        "answered_at": checkin.answered_at,
        "score": checkin.score,
        "comment": checkin.comment,
    }


def _meeting(match: Match, meeting_id: int) -> Meeting:
    meeting = Meeting.objects.filter(pk=min(meeting_id, MAX_ID), match=match).select_related("created_by").first()
    if meeting is None:
        raise Http404("Not found")
    meeting.match = match
    return meeting


def _mine(request, match: Match, meetings) -> set[int]:
    return set(
        MeetingNote.objects.filter(meeting__in=[m.pk for m in meetings], author=request.user).values_list(
            "meeting_id", flat=True
        )
    )


def _one_meeting_out(request, meeting: Meeting) -> dict:
    return _meeting_out(meeting, _mine(request, meeting.match, [meeting]))


# --- matches ---------------------------------------------------------------------------------------------------------


@router.get("/matches", response=list[PairOut])
@paginate(LimitOffsetPagination, max_limit=200)
def my_matches(request, state: Literal["", "requested", "active", "declined", "closed"] = ""):
    """My pairs, as mentor or mentee: active first, then requested, then the rest, newest first."""
    rows = pairs.pairs_of(request.user)
    if state:
        rows = rows.filter(state=state)
    return _PairPage(request, rows)


class _PairPage:
    def __init__(self, request, rows):
        self.request, self.rows = request, rows

    def __len__(self):
        return self.rows.count()

    def count(self):
        return self.rows.count()

    def __getitem__(self, window):
        return [_pair_out(self.request, match) for match in self.rows[window]]


@router.get("/matches/{int:match_id}", response={200: PairDetailOut, 404: ErrorOut})
def read_match(request, match_id: int):
    """One of my pairs: the other person, the agreement, goals and my check-in due now."""
    match = _pair(request, match_id)
    zones = pairs.hours_of(match)
    other = match.other(request.user)
    agreement = Agreement.objects.filter(match=match).first()
    due = pairs.due_checkin(match, request.user) if match.state == Match.State.ACTIVE else None

    def ref(person):
        return {"username": person.username, "name": person.name, "time_zone": zones[person.pk].zone_name}

    return {
        **_pair_out(request, match),
        "other": ref(other),
        "me": ref(request.user),
        "request_note": match.request_note,
        "explanation": match.explanation or [],
        "agreement": _agreement_out(agreement) if agreement else None,
        "goals": [_goal_out(goal) for goal in Goal.objects.filter(match=match)],
        "checkin_due": _checkin_out(due) if due else None,
    }


# --- the agreement -----------------------------------------------------------------------------------------------


def _agreement(match: Match) -> Agreement:
    agreement = Agreement.objects.filter(match=match).first()
    if agreement is None:
        raise Http404("This pair has no agreement yet.")
    return agreement


@router.get("/matches/{int:match_id}/agreement", response={200: AgreementOut, 404: ErrorOut})
def read_agreement(request, match_id: int):
    return _agreement_out(_agreement(_pair(request, match_id)))


@router.patch("/matches/{int:match_id}/agreement", response={200: AgreementOut, **REFUSALS})
def update_agreement(request, match_id: int, payload: AgreementIn):
    """Write parts of the agreement. A change clears both signatures."""
    match = _pair(request, match_id)
    _agreement(match)
    agreement = pairs.edit_agreement(match=match, by=request.user, texts=payload.texts, base=payload.base)
    return _agreement_out(agreement)


@router.post("/matches/{int:match_id}/agreement/sign", response={200: AgreementOut, **REFUSALS})
def sign_agreement(request, match_id: int, payload: SignIn):
    match = _pair(request, match_id)
    _agreement(match)
    return _agreement_out(pairs.sign_agreement(match=match, by=request.user, seen=payload.seen))


# --- goals ------------------------------------------------------------------------------------------------------------


def _goal(match: Match, goal_id: int) -> Goal:
    goal = Goal.objects.filter(pk=min(goal_id, MAX_ID), match=match).first()
    if goal is None:
        raise Http404("Not found")
    goal.match = match
    return goal


@router.get("/matches/{int:match_id}/goals", response={200: list[GoalOut], 404: ErrorOut})
def list_goals(request, match_id: int):
    return [_goal_out(goal) for goal in Goal.objects.filter(match=_pair(request, match_id))]


@router.post("/matches/{int:match_id}/goals", response={201: GoalOut, **REFUSALS})
def add_goal(request, match_id: int, payload: GoalIn):
    match = _pair(request, match_id)
    goal = pairs.add_goal(match=match, by=request.user, title=payload.title, progress=payload.progress)
    return Status(201, _goal_out(goal))


@router.patch("/matches/{int:match_id}/goals/{int:goal_id}", response={200: GoalOut, **REFUSALS})
def update_goal(request, match_id: int, goal_id: int, payload: GoalPatch):
    """Rename a goal, move its progress, or mark it done (``done: true`` sets 100 %) or not done."""
    goal = _goal(_pair(request, match_id), goal_id)
    goal = pairs.update_goal(
        goal=goal, by=request.user, title=payload.title, progress=payload.progress, done=payload.done
    )
    return _goal_out(goal)


@router.delete("/matches/{int:match_id}/goals/{int:goal_id}", response={204: None, **REFUSALS})
def delete_goal(request, match_id: int, goal_id: int):
    pairs.delete_goal(goal=_goal(_pair(request, match_id), goal_id), by=request.user)
    return Status(204, None)


# --- meetings ----------------------------------------------------------------------------------------------------


@router.get("/matches/{int:match_id}/meetings", response={200: list[MeetingOut], 404: ErrorOut})
@paginate(LimitOffsetPagination, max_limit=200)
def list_meetings(request, match_id: int, state: Literal["", "scheduled", "held", "cancelled"] = ""):
    """The pair's meetings, latest first; ``has_my_note`` says whether you wrote a private note on one."""
    match = _pair(request, match_id)
    rows = Meeting.objects.filter(match=match).select_related("created_by").order_by("-starts", "-pk")
    if state:
        rows = rows.filter(state=state)
    return _MeetingPage(request, match, rows)


class _MeetingPage:
    def __init__(self, request, match, rows):
        self.request, self.match, self.rows = request, match, rows

    def __len__(self):
        return self.rows.count()

    def count(self):
        return self.rows.count()

    def __getitem__(self, window):
        meetings = list(self.rows[window])
        mine = _mine(self.request, self.match, meetings)
        return [_meeting_out(meeting, mine) for meeting in meetings]


@router.post("/matches/{int:match_id}/meetings", response={201: MeetingOut, **REFUSALS})
def create_meeting(request, match_id: int, payload: MeetingIn):
    """Book a meeting in the future (both people get the calendar invite by e-mail), or with ``held`` log one
    you already had."""
    match = _pair(request, match_id)
    fields = {"starts": payload.starts, "minutes": payload.minutes, "format": payload.format, "place": payload.place}
    if payload.held:
        meeting = pairs.log_meeting(match=match, by=request.user, shared_notes=payload.shared_notes, **fields)
    else:
        meeting = pairs.schedule_meeting(match=match, by=request.user, agenda=payload.agenda, **fields)
    return Status(201, _one_meeting_out(request, meeting))


@router.get("/matches/{int:match_id}/meetings/{int:meeting_id}", response={200: MeetingOut, 404: ErrorOut})
def read_meeting(request, match_id: int, meeting_id: int):
    return _one_meeting_out(request, _meeting(_pair(request, match_id), meeting_id))


@router.patch("/matches/{int:match_id}/meetings/{int:meeting_id}", response={200: MeetingOut, **REFUSALS})
def update_meeting(request, match_id: int, meeting_id: int, payload: MeetingPatch):
    """Move or change a booked meeting (the invite is sent again with a new SEQUENCE), or edit the notes."""
    meeting = _meeting(_pair(request, match_id), meeting_id)
    given = payload.model_fields_set - {"shared_notes", "base"}
    if given:
        meeting = pairs.reschedule_meeting(
            meeting=meeting,
            by=request.user,
            starts=payload.starts,
            minutes=payload.minutes,
            format=payload.format,
            place=payload.place,
            agenda=payload.agenda,
        )
    if payload.shared_notes is not None:
        meeting = pairs.update_shared_notes(
            meeting=meeting, by=request.user, text=payload.shared_notes, base=payload.base
        )
    return _one_meeting_out(request, meeting)


@router.post("/matches/{int:match_id}/meetings/{int:meeting_id}/cancel", response={200: MeetingOut, **REFUSALS})
def cancel_meeting(request, match_id: int, meeting_id: int):
    meeting = _meeting(_pair(request, match_id), meeting_id)
    return _one_meeting_out(request, pairs.cancel_meeting(meeting=meeting, by=request.user))


@router.post("/matches/{int:match_id}/meetings/{int:meeting_id}/held", response={200: MeetingOut, **REFUSALS})
def meeting_held(request, match_id: int, meeting_id: int, payload: HeldIn):
    """Record that the meeting took place, with the notes you both see."""
    meeting = _meeting(_pair(request, match_id), meeting_id)
    meeting = pairs.mark_held(meeting=meeting, by=request.user, shared_notes=payload.shared_notes, base=payload.base)
    return _one_meeting_out(request, meeting)


@router.get("/matches/{int:match_id}/meetings/{int:meeting_id}/note", response={200: NoteOut, 404: ErrorOut})
def read_my_note(request, match_id: int, meeting_id: int):
    """My private note on a meeting (empty when I wrote none). Nobody else can read it, here or anywhere."""
    meeting = _meeting(_pair(request, match_id), meeting_id)
    note = MeetingNote.objects.filter(meeting=meeting, author=request.user).first()
    return {"text": note.text if note else "", "updated": note.updated if note else None}


@router.put("/matches/{int:match_id}/meetings/{int:meeting_id}/note", response={200: NoteOut, **REFUSALS})
def write_my_note(request, match_id: int, meeting_id: int, payload: NoteIn):
    meeting = _meeting(_pair(request, match_id), meeting_id)
    note = pairs.save_private_note(meeting=meeting, by=request.user, text=payload.text)
    return {"text": note.text if note else "", "updated": note.updated if note else None}


# --- check-ins and closing -----------------------------------------------------------------------------------------


@router.get("/matches/{int:match_id}/checkins", response={200: list[CheckInOut], 404: ErrorOut})
def my_checkins(request, match_id: int):
    """My check-ins in this pair, latest first (the other person's are theirs alone)."""
    match = _pair(request, match_id)
    return [_checkin_out(c) for c in CheckIn.objects.filter(match=match, person=request.user).order_by("-due")[:200]]


@router.post("/matches/{int:match_id}/checkins/{int:checkin_id}", response={200: CheckInOut, **REFUSALS})
def answer_checkin(request, match_id: int, checkin_id: int, payload: CheckInIn):
    match = _pair(request, match_id)
    checkin = CheckIn.objects.filter(pk=min(checkin_id, MAX_ID), match=match, person=request.user).first()
    if checkin is None:
        raise Http404("Not found")
    checkin.match = match
    checkin = pairs.answer_checkin(checkin=checkin, by=request.user, score=payload.score, comment=payload.comment)
    return _checkin_out(checkin)


def _closing_out(closing: Closing, match: Match) -> dict:
    return {
        "id": closing.pk,
        "reflection": closing.reflection,
        "rating": closing.rating,
        "feedback": closing.feedback,
        "wants_to_continue": closing.wants_to_continue,
        "portfolio_entry": closing.portfolio_entry_id,
        "created": closing.created,
        "pair_state": match.state,
        "can_continue": pairs.can_continue(match, Closing.objects.filter(match=match)),
    }


@router.post("/matches/{int:match_id}/close", response={201: ClosingOut, **REFUSALS})
def close(request, match_id: int, payload: CloseIn):
    """Write my closing. The first closing ends the pair for both; the reflection may go into my portfolio."""
    match = _pair(request, match_id)
    portfolio = None
    if payload.portfolio is not None:
        portfolio = pairs.process_portfolios(request.user).filter(pk=min(payload.portfolio, MAX_ID)).first()
        if portfolio is None:
            raise ValidationError("Choose one of your own process portfolios.")
    closing = pairs.close_pair(
        match=match,
        by=request.user,
        reflection=payload.reflection,
        rating=payload.rating,
        feedback=payload.feedback,
        wants_to_continue=payload.wants_to_continue,
        to_portfolio=payload.to_portfolio,
        portfolio=portfolio,
    )
    match.refresh_from_db()
    return Status(201, _closing_out(closing, match))


@router.post("/matches/{int:match_id}/continue", response={201: PairOut, **REFUSALS})
def continue_pair(request, match_id: int):
    """Start a new round of a closed pair that both of you said you would like to continue."""
    new = pairs.continue_pair(match=_pair(request, match_id), by=request.user)
    return Status(201, _pair_out(request, pairs.pair_for(request.user, new.pk)))
