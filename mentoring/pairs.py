"""Writes for a pair's space: starting a pair, its agreement, goals, meetings and notes, check-ins, at-risk
flags and closing. Each write that concerns the other person records an activity addressed to them. The
few reads the pair's pages and API share are at the end.

Who may do what (``mentoring.access``): only the pair's two people act in their space, and only while the
pair is active — except their closing (which a closed pair still takes from whoever has not written theirs)
and a private note, which is its author's own. A refusal is PermissionDenied (not one of the two) or
ValidationError (a sentence saying what to change).

Decisions a person would ask about:
- A check-in is a private answer to the programme: its score and comment are seen by the person who gave
  it (and, counted, by the curators' dashboard), never by the other person, and answering notifies nobody.
  A poor one (2 or less) flags the pair at risk at once; the flag names the score, not who gave it.
- A pair is at risk while either of two things holds: no meeting held for the programme's
  ``at_risk_after_days`` (counted from the start until the first), or either person's latest check-in
  scored 2 or less. ``detect_at_risk`` flags and clears by those rules; holding a meeting and a good
  check-in clear the flag at once when nothing else holds. Only a new flag nudges anyone.
- Closing: the first person to close ends the pair (upcoming meetings are cancelled, with their calendar
  cancellations); the other still writes their own closing. If both say they would like to continue,
  either may start a new round: a new active pair of the same two people, the programme's length from
  today, with the unfinished goals and the agreement's words carried over and signed afresh. Each round
  keeps its own agreement, meetings and closing reflections.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Count, IntegerField, Max, OuterRef, Q, Subquery, When
from django.urls import reverse
from django.utils import timezone

from core.access import SPACE_ADMIN_ROLES
from core.models import Activity
from core.services import record_activity
from mentoring.access import can_see_pair
from mentoring.hours import when_for, windows_from, zone
from mentoring.models import FORMATS, Agreement, CheckIn, Closing, Goal, Match, Meeting, MeetingNote

PART_MAX = 3000
GOAL_TITLE_MAX = 300
MAX_GOALS = 30
MEETING_MINUTES = (15, 480)
MAX_UPCOMING = 20  # scheduled meetings a pair holds at once
PLACE_MAX = 300
AGENDA_MAX = 3000
NOTES_MAX = 10000
COMMENT_MAX = 2000
REFLECTION_MAX = 5000
FEEDBACK_MAX = 3000
POOR_SCORE = 2  # a check-in at or below this flags the pair at risk
FORMAT_VALUES = {value for value, _ in FORMATS}
BATCH = 500


@transaction.atomic
def start_pair(match: Match, *, now=None) -> Match:
    """Make a requested or drafted match an active pair: its dates, its agreement from the programme's
    template, and the first check-in for each of the two people.

    Called by accepting a request (``mentoring.services.respond``) and by publishing a run
    (``mentoring.runs.publish_run``); both record their own activity.
    """
    now = now or timezone.now()
    programme = match.programme
    match.state = Match.State.ACTIVE
    match.started = now
    match.ends_on = (now + timedelta(weeks=programme.length_weeks)).date()
    match.responded_at = match.responded_at or now
    match.save(update_fields=["state", "started", "ends_on", "responded_at"])
    Agreement.objects.get_or_create(
        match=match,
        defaults={
            "parts": [
                {"key": part["key"], "title": part["title"], "guidance": part.get("guidance", ""), "text": ""}
                for part in programme.agreement_parts
            ],
            "updated": now,
        },
    )
    due = (now + timedelta(days=programme.checkin_every_days)).date()
    CheckIn.objects.bulk_create(
        [CheckIn(match=match, person_id=person_id, due=due) for person_id in (match.mentor_id, match.mentee_id)],
        ignore_conflicts=True,
    )
    return match


# --- helpers -----------------------------------------------------------------------------------------------


def pair_url(match: Match, anchor: str = "") -> str:
    return reverse("mentoring:pair", args=[match.pk]) + (f"#{anchor}" if anchor else "")


def _require_person(user, match: Match) -> None:
    if not can_see_pair(user, match):
        raise PermissionDenied("Only the two people of a pair can do that.")


def _require_active(match: Match) -> None:
    if match.state == Match.State.ACTIVE:
        return
    if match.state == Match.State.REQUESTED:
        raise ValidationError("This pair has not started: the mentor has not accepted the request yet.")
    if match.state == Match.State.CLOSED:
        raise ValidationError("This pair is closed; nothing in it changes any more.")
    raise ValidationError("This match was declined; there is no pair to change.")


def _text(value, limit: int, what: str) -> str:
    value = (value or "").replace("\r\n", "\n").strip()
    if len(value) > limit:
        raise ValidationError(f"Keep {what} under {limit:,} characters.")
    return value


def _tell(*, actor, match: Match, verb: str, says: str, anchor: str = "", url: str = "", mailed=False) -> Activity:
    """An activity addressed to the other person of the pair, with the sentence their notification reads;
    ``mailed`` when a mail of its own already brings them the news (a meeting's calendar invite)."""
    other = match.other(actor)
    extra = {"url": url or pair_url(match, anchor), "about": f"Mentoring with {actor.name}", "says": says}
    if mailed:
        extra["mailed"] = True
    return record_activity(actor=actor, verb=verb, item=match.programme.item, target=other, extra=extra)


def _send_invite(meeting: Meeting) -> None:
    from mentoring.tasks import send_meeting_invite

    transaction.on_commit(lambda pk=meeting.pk: send_meeting_invite.enqueue(pk))


def _check_meeting(*, starts, minutes, format, place, agenda, now) -> dict:
    if starts is None:
        raise ValidationError("Choose when the meeting starts.")
    if timezone.is_naive(starts):
        raise ValidationError("Give the start time with its time zone or UTC offset.")
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        raise ValidationError("Say how many minutes the meeting lasts.")
    low, high = MEETING_MINUTES
    if not low <= minutes <= high:
        raise ValidationError(f"A meeting lasts between {low} minutes and {high // 60} hours.")
    if format not in FORMAT_VALUES:
        raise ValidationError("Choose how you meet: " + ", ".join(label.lower() for _, label in FORMATS) + ".")
    return {
        "starts": starts.replace(microsecond=0),
        "minutes": minutes,
        "format": format,
        "place": _text(place, PLACE_MAX, "the place"),
        "agenda": _text(agenda, AGENDA_MAX, "the agenda"),
    }


def _merge(current: str, mine: str, base: str | None, *, what: str, other) -> str:
    """What to save when someone edits text the other person may have changed since they opened it
    (``base``): whichever side changed it, or a conflict, with nothing lost, when both did."""
    if base is None or mine == current:
        return mine
    base = base.replace("\r\n", "\n").strip()
    if base == current:  # only this editor changed it
        return mine
    if mine == base:  # only the other person changed it
        return current
    raise ValidationError(
        f"{other.name} changed {what} while you were writing. Their version is shown now; "
        "add your changes to it and save again."
    )


# --- the agreement ------------------------------------------------------------------------------------------


@transaction.atomic
def edit_agreement(*, match: Match, by, texts: dict, base: dict | None = None, now=None) -> Agreement:
    """Write the agreement's parts (``texts`` by part key; parts left out stay). ``base`` is the text each part
    had when the editor opened it: a part the other person changed meanwhile is a conflict, not overwritten.
    A change clears both signatures, since a signature is for the words signed."""
    _require_person(by, match)
    _require_active(match)
    now = now or timezone.now()
    agreement = Agreement.objects.select_for_update().get(match=match)
    by_key = {part["key"]: part for part in agreement.parts}
    unknown = [key for key in texts if key not in by_key]
    if unknown:
        raise ValidationError(f"The agreement has no part called “{unknown[0]}”.")
    other = match.other(by)
    parts, changed = [], False
    for part in agreement.parts:
        key = part["key"]
        if key not in texts:
            parts.append(part)
            continue
        current = part.get("text", "")
        mine = _text(texts[key], PART_MAX, f"“{part['title']}”")
        text = _merge(current, mine, (base or {}).get(key), what=f"“{part['title']}”", other=other)
        changed = changed or text != current
        parts.append({**part, "text": text})
    if not changed:
        return agreement
    other_signature = agreement.mentee_signed_at if other.pk == match.mentee_id else agreement.mentor_signed_at
    agreement.parts = parts
    agreement.mentor_signed_at = agreement.mentee_signed_at = None
    # ``updated`` is the version a signer read (JSON carries milliseconds): two edits within one must differ.
    agreement.updated = max(now, agreement.updated + timedelta(milliseconds=1))
    agreement.save()
    if other_signature is not None:
        _tell(
            actor=by,
            match=match,
            verb=Activity.Verb.SIGNED,
            says=f"{by.name} changed the mentoring agreement you signed: read it and sign it again",
            anchor="agreement",
        )
    return agreement


@transaction.atomic
def sign_agreement(*, match: Match, by, seen: datetime | None = None, now=None) -> Agreement:
    """Sign the agreement as it stands. ``seen`` is when it last changed as the signer read it: if it changed
    since, they are asked to read it again rather than sign words they have not seen."""
    _require_person(by, match)
    _require_active(match)
    now = now or timezone.now()
    agreement = Agreement.objects.select_for_update().get(match=match)
    # JSON carries milliseconds only: a difference below one is the same moment.
    if seen is not None and abs(agreement.updated - seen) >= timedelta(milliseconds=1):
        raise ValidationError("The agreement changed since you opened it; read it again before you sign.")
    if not any(part.get("text", "").strip() for part in agreement.parts):
        raise ValidationError("Write the agreement together before you sign it.")
    field = "mentor_signed_at" if by.pk == match.mentor_id else "mentee_signed_at"
    if getattr(agreement, field) is not None:
        raise ValidationError("You have signed this agreement already.")
    setattr(agreement, field, now)
    agreement.save(update_fields=[field])
    says = f"{by.name} signed your mentoring agreement"
    says += ": you have both signed it" if agreement.signed else "; it is your turn"
    _tell(actor=by, match=match, verb=Activity.Verb.SIGNED, says=says, anchor="agreement")
    return agreement


# --- goals ----------------------------------------------------------------------------------------------------


def _goal_title(title) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError("Name the goal.")
    if len(title) > GOAL_TITLE_MAX:
        raise ValidationError(f"Keep the goal under {GOAL_TITLE_MAX} characters.")
    return title


def _progress(value) -> int:
    try:
        value = int(value)
    except (TypeError, ValueError):
        raise ValidationError("Progress is a whole number of per cent, 0 to 100.")
    if not 0 <= value <= 100:
        raise ValidationError("Progress is a whole number of per cent, 0 to 100.")
    return value


@transaction.atomic
def add_goal(*, match: Match, by, title: str, skill=None, progress: int = 0, now=None) -> Goal:
    _require_person(by, match)
    _require_active(match)
    if Goal.objects.filter(match=match).count() >= MAX_GOALS:
        raise ValidationError(f"A pair keeps at most {MAX_GOALS} goals; mark some done or remove them.")
    progress = _progress(progress)
    now = now or timezone.now()
    return Goal.objects.create(
        match=match,
        title=_goal_title(title),
        skill=skill,
        progress=progress,
        created=now,
        done_at=now if progress == 100 else None,
    )


@transaction.atomic
def update_goal(*, goal: Goal, by, title=None, progress=None, done: bool | None = None, now=None) -> Goal:
    """Rename a goal, move its progress, or mark it done (100 %) or not done again."""
    match = goal.match
    _require_person(by, match)
    _require_active(match)
    now = now or timezone.now()
    if title is not None:
        goal.title = _goal_title(title)
    if progress is not None:
        goal.progress = _progress(progress)
    if done is True:
        goal.progress = 100
    elif done is False and goal.progress == 100:
        goal.progress = 90
    if goal.progress == 100:
        goal.done_at = goal.done_at or now
    else:
        goal.done_at = None
    goal.save(update_fields=["title", "progress", "done_at"])
    return goal


@transaction.atomic
def delete_goal(*, goal: Goal, by) -> None:
    _require_person(by, goal.match)
    _require_active(goal.match)
    goal.delete()


# --- meetings -------------------------------------------------------------------------------------------------


@transaction.atomic
def schedule_meeting(*, match: Match, by, starts, minutes=60, format="video", place="", agenda="", now=None) -> Meeting:
    """Book a meeting in the future; both people get the calendar invite by e-mail, the other a notification."""
    _require_person(by, match)
    _require_active(match)
    now = now or timezone.now()
    fields = _check_meeting(starts=starts, minutes=minutes, format=format, place=place, agenda=agenda, now=now)
    if fields["starts"] <= now:
        raise ValidationError("Choose a time in the future; to record a meeting you already had, log it instead.")
    upcoming = Meeting.objects.filter(match=match, state=Meeting.State.SCHEDULED, starts__gt=now).count()
    if upcoming >= MAX_UPCOMING:
        raise ValidationError(f"A pair books at most {MAX_UPCOMING} meetings ahead.")
    meeting = Meeting.objects.create(match=match, created_by=by, created=now, **fields)
    other = match.other(by)
    _tell(
        actor=by,
        match=match,
        verb=Activity.Verb.MEETING_SCHEDULED,
        says=f"{by.name} booked a mentoring meeting with you: {when_for(meeting.starts, other)}",
        url=meeting_url(meeting),
        mailed=True,
    )
    _send_invite(meeting)
    return meeting


def meeting_url(meeting: Meeting) -> str:
    return reverse("mentoring:pair-meeting", args=[meeting.match_id, meeting.pk])


def _scheduled(meeting: Meeting) -> None:
    if meeting.state == Meeting.State.CANCELLED:
        raise ValidationError("This meeting was cancelled; book a new one instead.")
    if meeting.state == Meeting.State.HELD:
        raise ValidationError("This meeting has been held; it cannot be moved or cancelled.")


@transaction.atomic
def reschedule_meeting(
    *, meeting: Meeting, by, starts=None, minutes=None, format=None, place=None, agenda=None, now=None
) -> Meeting:
    """Change a booked meeting (fields left None stay). A new time, length, format or place raises the
    invite's SEQUENCE and sends it again, so calendars move the event; a new agenda alone does not."""
    match = meeting.match
    _require_person(by, match)
    _require_active(match)
    _scheduled(meeting)
    now = now or timezone.now()
    fields = _check_meeting(
        starts=meeting.starts if starts is None else starts,
        minutes=meeting.minutes if minutes is None else minutes,
        format=meeting.format if format is None else format,
        place=meeting.place if place is None else place,
        agenda=meeting.agenda if agenda is None else agenda,
        now=now,
    )
    moved = fields["starts"] != meeting.starts
    if moved and fields["starts"] <= now:
        raise ValidationError("Choose a time in the future.")
    calendar_change = any(getattr(meeting, name) != fields[name] for name in ("starts", "minutes", "format", "place"))
    if not calendar_change and fields["agenda"] == meeting.agenda:
        return meeting
    for name, value in fields.items():
        setattr(meeting, name, value)
    if calendar_change:
        meeting.sequence += 1
    meeting.save()
    if calendar_change:
        other = match.other(by)
        says = (
            f"{by.name} moved your mentoring meeting to {when_for(meeting.starts, other)}"
            if moved
            else f"{by.name} changed your mentoring meeting on {when_for(meeting.starts, other)}"
        )
        url = meeting_url(meeting)
        _tell(actor=by, match=match, verb=Activity.Verb.MEETING_SCHEDULED, says=says, url=url, mailed=True)
        _send_invite(meeting)
    return meeting


@transaction.atomic
def cancel_meeting(*, meeting: Meeting, by, now=None) -> Meeting:
    """Call a booked meeting off: both calendars get the cancellation, the other person a notification."""
    match = meeting.match
    _require_person(by, match)
    _require_active(match)
    _scheduled(meeting)
    _cancel(meeting)
    other = match.other(by)
    _tell(
        actor=by,
        match=match,
        verb=Activity.Verb.MEETING_SCHEDULED,
        says=f"{by.name} cancelled your mentoring meeting on {when_for(meeting.starts, other)}",
        anchor="meetings",
        mailed=True,
    )
    return meeting


def _cancel(meeting: Meeting) -> None:
    meeting.state = Meeting.State.CANCELLED
    meeting.sequence += 1
    meeting.save(update_fields=["state", "sequence"])
    _send_invite(meeting)


def _met(match: Match, when: datetime, now: datetime) -> None:
    if match.last_meeting is None or when > match.last_meeting:
        match.last_meeting = when
        Match.objects.filter(pk=match.pk).update(last_meeting=when)
    reassess(match, now=now)


@transaction.atomic
def mark_held(*, meeting: Meeting, by, shared_notes: str | None = None, base: str | None = None, now=None) -> Meeting:
    """Record that a booked meeting took place, with the notes both see; the pair counts as having met."""
    match = meeting.match
    _require_person(by, match)
    _require_active(match)
    now = now or timezone.now()
    if meeting.state == Meeting.State.CANCELLED:
        raise ValidationError("This meeting was cancelled; log the meeting you had instead.")
    if meeting.starts > now:
        raise ValidationError("A meeting can be marked held once it has started.")
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    meeting.match = match
    fields = []
    if shared_notes is not None:
        mine = _text(shared_notes, NOTES_MAX, "the notes")
        meeting.shared_notes = _merge(
            meeting.shared_notes, mine, base, what="the meeting's notes", other=match.other(by)
        )
        fields.append("shared_notes")
    if meeting.state != Meeting.State.HELD:
        meeting.state = Meeting.State.HELD
        fields.append("state")
    if fields:
        meeting.save(update_fields=fields)
    _met(match, meeting.starts, now)
    return meeting


@transaction.atomic
def log_meeting(
    *, match: Match, by, starts, minutes=60, format="video", place="", shared_notes="", now=None
) -> Meeting:
    """Record a meeting the pair already had without booking it first."""
    _require_person(by, match)
    _require_active(match)
    now = now or timezone.now()
    fields = _check_meeting(starts=starts, minutes=minutes, format=format, place=place, agenda="", now=now)
    if fields["starts"] > now:
        raise ValidationError("That time is still to come: book the meeting instead.")
    if match.started and fields["starts"] < match.started - timedelta(days=1):
        raise ValidationError("That is before the pair started.")
    meeting = Meeting.objects.create(
        match=match,
        created_by=by,
        created=now,
        state=Meeting.State.HELD,
        shared_notes=_text(shared_notes, NOTES_MAX, "the notes"),
        **fields,
    )
    _met(match, meeting.starts, now)
    return meeting


@transaction.atomic
def update_shared_notes(*, meeting: Meeting, by, text: str, base: str | None = None) -> Meeting:
    """The notes both people see on a meeting; ``base`` is what they read when they began editing."""
    match = meeting.match
    _require_person(by, match)
    _require_active(match)
    if meeting.state == Meeting.State.CANCELLED:
        raise ValidationError("This meeting was cancelled.")
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    meeting.match = match
    mine = _text(text, NOTES_MAX, "the notes")
    meeting.shared_notes = _merge(meeting.shared_notes, mine, base, what="the meeting's notes", other=match.other(by))
    meeting.save(update_fields=["shared_notes"])
    return meeting


@transaction.atomic
def save_private_note(*, meeting: Meeting, by, text: str, now=None) -> MeetingNote | None:
    """Write (or clear, with empty text) your own note on a meeting: nobody else ever reads it."""
    match = meeting.match
    _require_person(by, match)
    if match.state not in (Match.State.ACTIVE, Match.State.CLOSED):
        raise ValidationError("This pair has not started.")
    text = _text(text, NOTES_MAX, "your note")
    if not text:
        MeetingNote.objects.filter(meeting=meeting, author=by).delete()
        return None
    note, _ = MeetingNote.objects.update_or_create(
        meeting=meeting, author=by, defaults={"text": text, "updated": now or timezone.now()}
    )
    return note


# --- check-ins ------------------------------------------------------------------------------------------------


@transaction.atomic
def answer_checkin(*, checkin: CheckIn, by, score, comment: str = "", now=None) -> CheckIn:
    """Answer your check-in: how it is going (1 to 5) and anything to add. Seen by you alone in the pair's
    space; a poor score flags the pair at risk, a good one clears a flag nothing else holds up."""
    match = checkin.match
    _require_person(by, match)
    if checkin.person_id != by.pk:
        raise PermissionDenied("Each person answers their own check-in.")
    _require_active(match)
    now = now or timezone.now()
    if checkin.answered_at is not None:
        raise ValidationError("You have answered this check-in already.")
    if checkin.due > now.date():
        raise ValidationError(f"This check-in opens on {checkin.due:%d %B %Y}.")
    try:
        score = int(score)
    except (TypeError, ValueError):
        raise ValidationError("Choose how it is going, from 1 (badly) to 5 (very well).")
    if not 1 <= score <= 5:
        raise ValidationError("Choose how it is going, from 1 (badly) to 5 (very well).")
    checkin.score = score
    checkin.comment = _text(comment, COMMENT_MAX, "the comment")
    checkin.answered_at = now
    checkin.save(update_fields=["score", "comment", "answered_at"])
    # For the learning record and the programme's figures; addressed to nobody (see the module's notes).
    record_activity(
        actor=by, verb=Activity.Verb.CHECKED_IN, item=match.programme.item, extra={"match": match.pk, "quiet": True}
    )
    reassess(match, now=now)
    return checkin


def due_checkin(match: Match, person, *, today=None) -> CheckIn | None:
    """The person's check-in to answer now: the latest that fell due and has no answer yet."""
    today = today or timezone.now().date()
    return (
        CheckIn.objects.filter(match=match, person=person, answered_at__isnull=True, due__lte=today)
        .order_by("-due", "-pk")
        .first()
    )


def _latest_scores(matches):
    """Each pair's mentor's and mentee's latest check-in score (None before their first answer)."""

    def latest(person):
        return Subquery(
            CheckIn.objects.filter(match=OuterRef("pk"), person=OuterRef(person), answered_at__isnull=False)
            .order_by("-answered_at", "-pk")
            .values("score")[:1]
        )

    return matches.annotate(mentor_score=latest("mentor_id"), mentee_score=latest("mentee_id"))


def schedule_checkins(*, now=None) -> int:
    """Give every active pair's two people their next check-in when the current one falls due, and nudge
    them that it is time. The next check-in existing is the mark that this one was announced, so running
    this again (every hour, or after a pause) never nudges twice; after a long pause the rhythm resumes
    from today, without a pile of missed check-ins. Returns how many check-ins it made."""
    now = now or timezone.now()
    today = now.date()
    fell_due = {
        (match_id, person_id): last
        for match_id, person_id, last in CheckIn.objects.filter(match__state=Match.State.ACTIVE)
        .values("match_id", "person_id")
        .annotate(last=Max("due"))
        .filter(last__lte=today)
        .values_list("match_id", "person_id", "last")
    }
    # start_pair gives both people their first; a pair made some other way may lack one.
    incomplete = set(
        Match.objects.filter(state=Match.State.ACTIVE)
        .annotate(people=Count("checkins__person", distinct=True))
        .filter(people__lt=2)
        .values_list("pk", flat=True)
    )
    match_ids = sorted({match_id for match_id, _ in fell_due} | incomplete)
    made = 0
    for start in range(0, len(match_ids), BATCH):
        matches = Match.objects.filter(pk__in=match_ids[start : start + BATCH]).select_related(
            "programme__item__owner", "mentor", "mentee"
        )
        with transaction.atomic():  # a batch at a time: a long round never holds the database
            for match in matches:
                every = timedelta(days=max(1, match.programme.checkin_every_days))
                for person in (match.mentor, match.mentee):
                    previous = fell_due.get((match.pk, person.pk))
                    if previous is None:
                        if match.pk in incomplete and not CheckIn.objects.filter(match=match, person=person).exists():
                            first = max((match.started or now).date() + every, today)
                            CheckIn.objects.create(match=match, person=person, due=first)
                            made += 1
                        continue
                    following = previous + every
                    while following <= today:
                        following += every
                    _, created = CheckIn.objects.get_or_create(match=match, person=person, due=following)
                    if not created:
                        continue
                    made += 1
                    due = CheckIn.objects.filter(match=match, person=person, due=previous).first()
                    if due is not None and due.answered_at is None:
                        _nudge(
                            match=match,
                            to=person,
                            verb=Activity.Verb.CHECKED_IN,
                            says=f"Time for a mentoring check-in on your pair with {match.other(person).name}: "
                            "how is it going?",
                            url=reverse("mentoring:pair-checkin", args=[match.pk, due.pk]),
                        )
    return made


# --- at risk ----------------------------------------------------------------------------------------------------


def risk_reason(match: Match, *, now: datetime, mentor_score=None, mentee_score=None) -> str:
    """Why the pair is at risk, in words ("" when it is not)."""
    reasons = []
    since = match.last_meeting or match.started
    if since is not None:
        days = (now - since).days
        if days >= match.programme.at_risk_after_days:
            if match.last_meeting:
                reasons.append(f"No meeting held for {days} days")
            else:
                reasons.append(f"No meeting held since the pair started {days} days ago")
    poor = [s for s in (mentor_score, mentee_score) if s is not None and s <= POOR_SCORE]
    if poor:
        reasons.append(f"A check-in scored {min(poor)} of 5")
    return "; ".join(reasons)[:200]


def programme_curators(programme) -> list:
    """Who runs a programme and hears about its pairs: its owner and the admins of its space."""
    from spaces.models import Membership

    item = programme.item
    people = {item.owner_id: item.owner}
    if item.space_id:
        for membership in Membership.objects.filter(
            space_id=item.space_id, state=Membership.State.ACTIVE, role__in=SPACE_ADMIN_ROLES
        ).select_related("user"):
            people.setdefault(membership.user_id, membership.user)
    return list(people.values())


def _nudge(*, match: Match, to, verb: str, says: str, url: str) -> Activity:
    """A message from the programme to one person; its owner stands in as the actor (a real person the
    reader can contact), and may be the reader."""
    return record_activity(
        actor=match.programme.item.owner,
        verb=verb,
        item=match.programme.item,
        target=to,
        extra={"url": url, "about": f"Mentoring pair {match.pk}", "says": says, "nudge": True},
    )


def _flag(match: Match, reason: str, now: datetime, curators: list | None = None) -> bool:
    """Set the flag; True (and everyone nudged) when the pair was not at risk before. The update is
    conditional, so two rounds at once, or a round and a check-in, nudge only once."""
    if match.at_risk and match.at_risk_reason == reason:
        return False
    newly = Match.objects.filter(pk=match.pk, at_risk=False).update(
        at_risk=True, at_risk_reason=reason, at_risk_since=now
    )
    if not newly:
        Match.objects.filter(pk=match.pk).exclude(at_risk_reason=reason).update(at_risk_reason=reason)
        match.at_risk, match.at_risk_reason = True, reason
        return False
    match.at_risk, match.at_risk_reason, match.at_risk_since = True, reason, now
    url = pair_url(match)
    words = reason[:1].lower() + reason[1:]
    if reason.startswith("No meeting"):
        advice = "Book a meeting (or mark the last one held), or tell the programme's curators if it is not working."
    else:
        advice = "Talk it over together, or with the programme's curators."
    for person in (match.mentor, match.mentee):
        _nudge(
            match=match,
            to=person,
            verb=Activity.Verb.AT_RISK,
            says=f"Your mentoring pair with {match.other(person).name} looks at risk: {words}. {advice}",
            url=url,
        )
    title = match.programme.item.title
    for curator in curators if curators is not None else programme_curators(match.programme):
        if curator.pk in (match.mentor_id, match.mentee_id):
            continue
        _nudge(
            match=match,
            to=curator,
            verb=Activity.Verb.AT_RISK,
            says=f"{match.mentor.name} and {match.mentee.name} in {title} look at risk: {words}",
            url=match.programme.item.get_absolute_url(),
        )
    return True


def _clear(match: Match) -> bool:
    if not match.at_risk:
        return False
    match.at_risk, match.at_risk_reason, match.at_risk_since = False, "", None
    return bool(
        Match.objects.filter(pk=match.pk, at_risk=True).update(at_risk=False, at_risk_reason="", at_risk_since=None)
    )


def reassess(match: Match, *, now=None) -> str:
    """Flag or clear one pair by the rules, now (after a meeting held or a check-in answered)."""
    now = now or timezone.now()
    if match.state != Match.State.ACTIVE:
        return ""
    # The flag and the last meeting as stored now: the caller's copy of the pair may be older.
    fresh = (
        _latest_scores(Match.objects.filter(pk=match.pk))
        .values("mentor_score", "mentee_score", "at_risk", "at_risk_reason", "last_meeting")
        .first()
    )
    if fresh is None:
        return ""
    match.at_risk, match.at_risk_reason, match.last_meeting = (
        fresh["at_risk"],
        fresh["at_risk_reason"],
        fresh["last_meeting"],
    )
    reason = risk_reason(match, now=now, mentor_score=fresh["mentor_score"], mentee_score=fresh["mentee_score"])
    if reason:
        _flag(match, reason, now)
    else:
        _clear(match)
    return reason


def detect_at_risk(*, now=None) -> dict:
    """Flag the active pairs that are at risk and clear those no longer at risk; nudge the people of each
    newly flagged pair and their programme's curators. Safe to run as often as wanted."""
    now = now or timezone.now()
    counts = {"flagged": 0, "cleared": 0, "at_risk": 0}
    curators: dict[int, list] = {}
    candidates = _latest_scores(Match.objects.filter(state=Match.State.ACTIVE)).select_related(
        "programme__item__owner", "mentor", "mentee"
    )
    # Every active pair, in batches by key: each pair's own programme sets how long is too long.
    last_id = 0
    while True:
        batch = list(candidates.filter(pk__gt=last_id).order_by("pk")[:BATCH])
        if not batch:
            break
        last_id = batch[-1].pk
        with transaction.atomic():
            for match in batch:
                reason = risk_reason(match, now=now, mentor_score=match.mentor_score, mentee_score=match.mentee_score)
                if reason:
                    programme_id = match.programme_id
                    if programme_id not in curators:
                        curators[programme_id] = programme_curators(match.programme)
                    counts["flagged"] += _flag(match, reason, now, curators[programme_id])
                    counts["at_risk"] += 1
                else:
                    counts["cleared"] += _clear(match)
    return counts


# --- closing ------------------------------------------------------------------------------------------------


@transaction.atomic
def close_pair(
    *,
    match: Match,
    by,
    reflection: str = "",
    rating=None,
    feedback: str = "",
    wants_to_continue: bool = False,
    to_portfolio: bool = False,
    portfolio=None,
    now=None,
) -> Closing:
    """Write your closing of the pair. The first closing ends the pair for both (its upcoming meetings are
    called off); the other person then writes theirs. The reflection may go into your portfolio."""
    _require_person(by, match)
    if match.state not in (Match.State.ACTIVE, Match.State.CLOSED):
        _require_active(match)
    now = now or timezone.now()
    if to_portfolio and not (reflection or "").strip():
        raise ValidationError("Write a reflection to put into your portfolio, or leave that box unticked.")
    match = Match.objects.select_for_update().select_related("programme__item", "mentor", "mentee").get(pk=match.pk)
    if Closing.objects.filter(match=match, person=by).exists():
        raise ValidationError("You have written your closing of this pair already.")
    if rating in ("", None):
        rating = None
    else:
        try:
            rating = int(rating)
        except (TypeError, ValueError):
            raise ValidationError("Rate how useful it was from 1 to 5, or leave it out.")
        if not 1 <= rating <= 5:
            raise ValidationError("Rate how useful it was from 1 to 5, or leave it out.")
    closing = Closing.objects.create(
        match=match,
        person=by,
        reflection=_text(reflection, REFLECTION_MAX, "the reflection"),
        rating=rating,
        feedback=_text(feedback, FEEDBACK_MAX, "the feedback"),
        wants_to_continue=bool(wants_to_continue),
        created=now,
    )
    if to_portfolio:
        add_reflection_to_portfolio(closing=closing, by=by, portfolio=portfolio, match=match)
    if match.state == Match.State.ACTIVE:
        match.state, match.closed_at = Match.State.CLOSED, now
        match.at_risk, match.at_risk_reason, match.at_risk_since = False, "", None
        match.save(update_fields=["state", "closed_at", "at_risk", "at_risk_reason", "at_risk_since"])
        for meeting in Meeting.objects.filter(match=match, state=Meeting.State.SCHEDULED, starts__gt=now):
            _cancel(meeting)
        CheckIn.objects.filter(match=match, answered_at__isnull=True, due__gt=now.date()).delete()
        says = f"{by.name} closed your mentoring pair: write your closing reflection"
    else:
        says = f"{by.name} wrote their closing of your mentoring pair"
        other_closing = Closing.objects.filter(match=match).exclude(person=by).first()
        if closing.wants_to_continue and other_closing is not None and other_closing.wants_to_continue:
            says += ": you both would like to continue"
    _tell(actor=by, match=match, verb=Activity.Verb.PAIR_CLOSED, says=says, anchor="closing")
    return closing


def process_portfolios(person):
    """The person's process portfolios (where a journal entry can go), most recently changed first."""
    from portfolios.models import Portfolio

    return (
        Portfolio.objects.filter(item__owner=person, item__deleted_at__isnull=True, kind=Portfolio.Kind.PROCESS)
        .select_related("item")
        .order_by("-item__updated", "-pk")
    )


@transaction.atomic
def add_reflection_to_portfolio(*, closing: Closing, by, portfolio=None, match: Match | None = None):
    """Put a closing reflection into the person's process portfolio as a journal entry: the one given, else
    their most recently changed one, else a new private "Mentoring" portfolio made for it."""
    from portfolios import services as portfolio_services
    from portfolios.models import JournalEntry, Portfolio

    if closing.person_id != by.pk:
        raise PermissionDenied("Only its author can put a reflection into their portfolio.")
    if not closing.reflection.strip():
        raise ValidationError("Write a reflection first; then it can go into your portfolio.")
    if closing.portfolio_entry_id and JournalEntry.objects.filter(pk=closing.portfolio_entry_id).exists():
        raise ValidationError("This reflection is in your portfolio already.")
    match = match or closing.match
    if portfolio is None:
        portfolio = process_portfolios(by).first()
    elif (
        portfolio.kind != Portfolio.Kind.PROCESS
        or portfolio.item.owner_id != by.pk
        or portfolio.item.deleted_at is not None
    ):
        raise ValidationError("Choose one of your own process portfolios: only they keep a journal.")
    if portfolio is None:
        portfolio = portfolio_services.create_portfolio(
            owner=by,
            title="Mentoring",
            kind=Portfolio.Kind.PROCESS,
            summary="What I learned from mentoring.",
        )
    entry = portfolio_services.add_entry(
        actor=by,
        portfolio=portfolio,
        title=f"Mentoring with {match.other(by).name}: closing reflection"[:200],
        happened=(match.closed_at or closing.created).date(),
        body=f"{closing.reflection}\n\n*{match.programme.item.title}*",
    )
    closing.portfolio_entry = entry
    closing.save(update_fields=["portfolio_entry"])
    return entry


def continuation(match: Match) -> Match | None:
    """The pair the same two people started after this one closed, if they continued."""
    if match.state != Match.State.CLOSED or match.closed_at is None:
        return None
    return (
        Match.objects.filter(
            programme_id=match.programme_id,
            mentor_id=match.mentor_id,
            mentee_id=match.mentee_id,
            created__gte=match.closed_at,
        )
        .exclude(pk=match.pk)
        .exclude(state=Match.State.DRAFT)
        .order_by("created", "pk")
        .first()
    )


def can_continue(match: Match, closings) -> bool:
    closings = list(closings)
    return (
        match.state == Match.State.CLOSED
        and len(closings) == 2
        and all(closing.wants_to_continue for closing in closings)
    )


@transaction.atomic
def continue_pair(*, match: Match, by, now=None) -> Match:
    """Start a new round of a closed pair whose two people both said they would like to continue."""
    _require_person(by, match)
    now = now or timezone.now()
    match = Match.objects.select_for_update().select_related("programme__item", "mentor", "mentee").get(pk=match.pk)
    if not can_continue(match, Closing.objects.filter(match=match)):
        raise ValidationError("A pair continues once you have both closed it and both said you would like to go on.")
    live = Match.objects.filter(
        programme_id=match.programme_id,
        mentor_id=match.mentor_id,
        mentee_id=match.mentee_id,
        state__in=[Match.State.REQUESTED, Match.State.ACTIVE],
    ).first()
    if live is not None:
        raise ValidationError("You two already have a pair going in this programme.")
    new = Match.objects.create(
        programme=match.programme,
        mentor=match.mentor,
        mentee=match.mentee,
        state=Match.State.REQUESTED,
        origin=match.origin,
        score=match.score,
        explanation=match.explanation,
        created=now,
        responded_at=now,
    )
    start_pair(new, now=now)
    old = Agreement.objects.filter(match=match).first()
    if old is not None:
        texts = {part["key"]: part.get("text", "") for part in old.parts}
        agreement = new.agreement
        agreement.parts = [{**part, "text": texts.get(part["key"], "")} for part in agreement.parts]
        agreement.save(update_fields=["parts"])
    Goal.objects.bulk_create(
        [
            Goal(match=new, title=goal.title, skill_id=goal.skill_id, progress=goal.progress, created=now)
            for goal in Goal.objects.filter(match=match, done_at__isnull=True)
        ]
    )
    _tell(
        actor=by,
        match=new,
        verb=Activity.Verb.MATCHED,
        says=f"{by.name} started a new round of your mentoring pair, until {new.ends_on:%d %B %Y}",
    )
    return new


# --- reads for the pages and the API ---------------------------------------------------------------------


def pair_for(user, pk: int) -> Match | None:
    """The pair ``pk`` with its programme and people, if ``user`` is one of its two people (else None)."""
    if not user.is_authenticated or not 0 < pk < 2**63:
        return None
    match = (
        Match.objects.select_related("programme__item__owner", "mentor", "mentee")
        .filter(Q(mentor=user) | Q(mentee=user), pk=pk)
        .first()
    )
    return match if match is not None and can_see_pair(user, match) else None


def pairs_of(user):
    """The person's pairs as mentor or mentee (never a run's draft), live ones first, newest first."""
    order = Case(
        When(state=Match.State.ACTIVE, then=0),
        When(state=Match.State.REQUESTED, then=1),
        default=2,
        output_field=IntegerField(),
    )
    return (
        Match.objects.filter(Q(mentor=user) | Q(mentee=user))
        .exclude(state=Match.State.DRAFT)
        .select_related("programme__item", "mentor", "mentee")
        .annotate(rank=order)
        .order_by("rank", "-created", "-pk")
    )


@dataclass(frozen=True)
class Hours:
    """One person's time zone and weekly windows: from their application to the programme when it has
    them, else their profile's time zone and no windows."""

    person: object
    zone_name: str
    windows: list

    @property
    def zone(self):
        return zone(self.zone_name)


def hours_of(match: Match) -> dict[int, Hours]:
    from mentoring.models import Application

    sides = {match.mentor_id: Application.Side.MENTOR, match.mentee_id: Application.Side.MENTEE}
    applications = {}
    for application in Application.objects.filter(programme_id=match.programme_id, person_id__in=list(sides)).order_by(
        "pk"
    ):
        # The application on the person's side of this pair wins over one on the other side.
        if application.person_id not in applications or application.side == sides[application.person_id]:
            applications[application.person_id] = application
    out = {}
    for person in (match.mentor, match.mentee):
        application = applications.get(person.pk)
        if application is not None:
            out[person.pk] = Hours(person, zone(application.time_zone).key, windows_from(application.availability))
        else:
            out[person.pk] = Hours(person, zone(person.time_zone).key, [])
    return out
