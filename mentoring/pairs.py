"""Writes for a pair's space: starting a pair, its agreement, goals, meetings and notes, check-ins, at-risk
flags and closing. Each write that concerns the other person records an activity addressed to them."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from mentoring.models import Agreement, CheckIn, Match


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
