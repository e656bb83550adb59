"""A pair's meeting as an iCalendar invite (RFC 5545 for the event, RFC 5546 iTIP for REQUEST and CANCEL).

One event per meeting, with a UID that never changes, so each update (a new SEQUENCE) replaces the event
in both people's calendars instead of adding another, and a cancellation removes it. Times are written
in UTC: the two people are usually in different zones, and each calendar shows the time in its own.
"""

from __future__ import annotations

from datetime import UTC, timedelta

import icalendar
from django.conf import settings
from django.utils import timezone

from mentoring.models import Meeting

PRODID = "-//Watercooler//Mentoring//EN"


def meeting_uid(meeting: Meeting) -> str:
    return f"mentoring-meeting-{meeting.pk}@watercooler"


def _address(person) -> str:
    return f"mailto:{person.email}" if person.email else f"mailto:{person.username}@invalid"


def method_for(meeting: Meeting) -> str:
    return "CANCEL" if meeting.state == Meeting.State.CANCELLED else "REQUEST"


def invite(meeting: Meeting) -> bytes:
    """The .ics for a meeting as it stands: METHOD:REQUEST to add or update it, METHOD:CANCEL once cancelled.

    ``meeting.match`` with its mentor, mentee and programme item should be loaded."""
    match = meeting.match
    method = method_for(meeting)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    organiser = meeting.created_by or match.mentor
    people = [match.mentor, match.mentee]
    url = settings.SITE_URL + match.get_absolute_url()
    event = icalendar.Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("dtstart", meeting.starts.astimezone(UTC))
    event.add("dtend", (meeting.starts + timedelta(minutes=meeting.minutes)).astimezone(UTC))
    event.add("summary", f"Mentoring: {match.mentor.name} and {match.mentee.name}")
    description = [f"{match.programme.item.title} · {meeting.get_format_display()}"]
    if meeting.agenda:
        description.append(meeting.agenda)
    description.append(url)
    event.add("description", "\n\n".join(description))
    if meeting.place:
        event.add("location", meeting.place)
    event.add("url", url)
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    event.add("organizer", _address(organiser), parameters={"CN": organiser.name})
    for person in people:
        event.add(
            "attendee",
            _address(person),
            parameters={
                "CN": person.name,
                "ROLE": "REQ-PARTICIPANT",
                # Replies are not read by the site: the pair agrees times in their space, not by RSVP.
                "PARTSTAT": "ACCEPTED" if person.pk == organiser.pk else "NEEDS-ACTION",
                "RSVP": "FALSE",
            },
        )
    cal.add_component(event)
    return cal.to_ical()
