"""Background work for pairs: e-mailing meeting invites, and the hourly round of check-ins and at-risk flags.

Both are queued, never run on a request: a meeting's invite after the transaction that changed it commits
(``mentoring.pairs``), the round by ``run_periodic``. While the demo data is seeded, tasks are held
(``core.seeding.tasks_held``), so made-up addresses are never written to.
"""

from django.core.mail import EmailMessage
from django.utils import timezone
from django_tasks import task

from core.models import SiteConfig
from mentoring import ical
from mentoring.hours import when_for
from mentoring.models import Meeting


@task()
def send_meeting_invite(meeting_id: int) -> int:
    """E-mail both people the meeting's .ics as it now stands (an invite, an update or a cancellation)."""
    meeting = (
        Meeting.objects.select_related("match__mentor", "match__mentee", "match__programme__item", "created_by")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None:
        return 0
    match = meeting.match
    method = ical.method_for(meeting)
    body_ics = ical.invite(meeting)
    site = SiteConfig.load().name
    sent = 0
    for person in (match.mentor, match.mentee):
        if not person.email or not person.is_active:
            continue
        other = match.other(person)
        when = when_for(meeting.starts, person)
        if method == "CANCEL":
            subject = f"[{site}] Cancelled: mentoring with {other.name}"
            text = f"Your mentoring meeting with {other.name} on {when} ({person.time_zone}) is cancelled."
        else:
            subject = f"[{site}] {'Updated' if meeting.sequence else 'Invitation'}: mentoring with {other.name}"
            text = f"Your mentoring meeting with {other.name}: {when} ({person.time_zone}), {meeting.minutes} minutes."
        text += "\nThe attached file updates your calendar.\n"
        message = EmailMessage(" ".join(subject.split())[:150], text, None, [person.email])
        message.attach("meeting.ics", body_ics, f"text/calendar; method={method}")
        message.send()
        sent += 1
    return sent


@task()
def check_pairs() -> dict:
    """The periodic round: check-ins that fell due, and pairs that became (or stopped being) at risk."""
    from mentoring.pairs import detect_at_risk, schedule_checkins

    now = timezone.now()
    return {"checkins": schedule_checkins(now=now), "at_risk": detect_at_risk(now=now)}
