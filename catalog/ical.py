"""iCalendar for the catalogue (RFC 5545 for the data, RFC 5546 iTIP for REQUEST and CANCEL).

Out: an invite per enrolment (``invite``) and a person's subscribable feed (``personal_feed``).
In: ``plan_sessions_import`` reads a calendar exported by Outlook, Exchange, Google or Apple Calendar
into a plan of sessions without writing anything; ``apply_sessions_import`` writes a clean plan.

Times are kept as instants (UTC) plus the IANA zone they were planned in. Exchange names its zones
with Windows IDs ("W. Europe Standard Time") or display names ("(UTC-05:00) Eastern Time (US &
Canada)"), sometimes with a VTIMEZONE of its own rules and sometimes with none; each name is mapped
to an IANA zone, and when the file carries its own rules the instants are computed from those rules
and the chosen IANA zone must agree with them.
"""

from __future__ import annotations

import re
import unicodedata
import zoneinfo
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache

import icalendar
from dateutil.rrule import rrulestr
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from catalog.models import Course, Enrolment, Session

PRODID = "-//Watercooler//Course catalogue//EN"
MAX_SESSIONS = 500  # per import: a runaway RRULE must not fill the catalogue
WINDOW_DAYS = 366  # an open-ended series is imported for its first year only


# --- out: invites and feeds ------------------------------------------------------------------------


def _calendar(method: str | None) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    return cal


def _person_address(person) -> str:
    return f"mailto:{person.email}" if person.email else f"mailto:{person.username}@invalid"


def _event(session: Session, *, status: str, attendee=None, summary_prefix: str = "") -> icalendar.Event:
    course = session.course
    item = course.item
    url = settings.SITE_URL + item.get_absolute_url()
    event = icalendar.Event()
    event.add("uid", session.ics_uid)
    event.add("sequence", session.sequence)
    event.add("dtstamp", timezone.now().astimezone(UTC))
    title = item.title + (f" – {session.label}" if session.label else "")
    event.add("summary", summary_prefix + title)
    if session.all_day:
        zone = zoneinfo.ZoneInfo(session.time_zone)
        event.add("dtstart", session.starts.astimezone(zone).date())
        event.add(
            "dtend", max(session.ends.astimezone(zone).date(), session.starts.astimezone(zone).date() + timedelta(1))
        )
    else:
        zone = zoneinfo.ZoneInfo(session.time_zone)
        event.add("dtstart", session.starts.astimezone(zone))
        event.add("dtend", session.ends.astimezone(zone))
    description = "\n\n".join(filter(None, [item.summary, session.online_url, url]))
    event.add("description", description)
    if session.place or session.online_url:
        event.add("location", session.place or session.online_url)
    event.add("url", url)
    event.add("status", status)
    organiser = course.curator or item.owner
    event.add("organizer", _person_address(organiser), parameters={"CN": organiser.name})
    if attendee is not None:
        event.add(
            "attendee",
            _person_address(attendee),
            parameters={"CN": attendee.name, "ROLE": "REQ-PARTICIPANT", "PARTSTAT": "ACCEPTED", "RSVP": "FALSE"},
        )
    return event


def _finish(cal: icalendar.Calendar, sessions: list[Session]) -> bytes:
    if sessions:
        first = min(s.starts for s in sessions).date() - timedelta(days=1)
        last = max(s.ends for s in sessions).date() + timedelta(days=366)
        cal.add_missing_timezones(first_date=first, last_date=last)
    return cal.to_ical()


def invite(enrolment: Enrolment, *, method: str) -> bytes:
    """The .ics sent with an enrolment: REQUEST to add or update the event, CANCEL to remove it."""
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError(f"Unknown iTIP method {method!r}")
    session = enrolment.session
    if session is None:
        raise ValueError("A self-paced enrolment has no session to put in a calendar.")
    cancelled = method == "CANCEL" or session.cancelled
    cal = _calendar("CANCEL" if cancelled else "REQUEST")
    cal.add_component(_event(session, status="CANCELLED" if cancelled else "CONFIRMED", attendee=enrolment.person))
    return _finish(cal, [session])


def personal_feed(person) -> bytes:
    """Every session the person holds a seat or a waiting place on, for their calendar app to subscribe to."""
    from catalog.queries import feed_sessions

    cal = _calendar("PUBLISH")
    cal.add("x-wr-calname", "Courses")
    cal.add("x-published-ttl", "PT1H")
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    sessions = list(feed_sessions(person))
    for session in sessions:
        waiting = all(e.state == Enrolment.State.WAITING for e in session.mine)
        if session.cancelled:
            status, prefix = "CANCELLED", ""
        elif waiting:
            status, prefix = "TENTATIVE", "Waiting list: "
        else:
            status, prefix = "CONFIRMED", ""
        cal.add_component(_event(session, status=status, summary_prefix=prefix))
    return _finish(cal, sessions)


# --- in: time zones --------------------------------------------------------------------------------

# Windows display names whose words name no IANA city.
_DISPLAY_ALIASES = {
    "eastern time (us & canada)": "America/New_York",
    "central time (us & canada)": "America/Chicago",
    "mountain time (us & canada)": "America/Denver",
    "pacific time (us & canada)": "America/Los_Angeles",
    "atlantic time (canada)": "America/Halifax",
    "alaska": "America/Anchorage",
    "hawaii": "Pacific/Honolulu",
    "arizona": "America/Phoenix",
    "brasilia": "America/Sao_Paulo",
    "coordinated universal time": "UTC",
    "beijing, chongqing, hong kong, urumqi": "Asia/Shanghai",
    "canberra, melbourne, sydney": "Australia/Sydney",
    "amsterdam, berlin, bern, rome, stockholm, vienna": "Europe/Berlin",
    "brussels, copenhagen, madrid, paris": "Europe/Paris",
    "dublin, edinburgh, lisbon, london": "Europe/London",
    "greenwich mean time : dublin, edinburgh, lisbon, london": "Europe/London",
}
_DISPLAY_NAME = re.compile(r"^\((?:UTC|GMT)\s*(?:([+-])(\d{1,2}):?(\d{2})?)?\)\s*(.+)$", re.IGNORECASE)


@lru_cache(maxsize=1)
def _zones_by_city() -> dict[str, list[str]]:
    cities: dict[str, list[str]] = {}
    for name in sorted(zoneinfo.available_timezones()):
        cities.setdefault(name.rsplit("/", 1)[-1].lower(), []).append(name)
    return cities


@lru_cache(maxsize=1)
def _candidate_zones() -> list[str]:
    """Every IANA zone, those Windows maps to first, so an anonymous zone gets a familiar name."""
    available = zoneinfo.available_timezones() - {"Factory", "localtime"}
    preferred = [z for z in dict.fromkeys(WINDOWS_TO_OLSON.values()) if z in available]
    rest = sorted(z for z in available - set(preferred) if "/" in z and not z.startswith(("Etc/", "SystemV/")))
    return preferred + rest


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower().strip()


def _standard_offset(zone: tzinfo, year: int) -> timedelta:
    moments = [datetime(year, 1, 15, 12, tzinfo=UTC), datetime(year, 7, 15, 12, tzinfo=UTC)]
    return min(m.astimezone(zone).utcoffset() for m in moments)


def resolve_tzid(tzid: str, *, year: int = 2024) -> str | None:
    """The IANA name a calendar's TZID stands for: an IANA name, a Windows ID or a Windows display name."""
    clean = tzid.strip().strip('"').strip()
    available = zoneinfo.available_timezones()
    if clean in available:
        return clean
    if clean.strip("/") in available:
        return clean.strip("/")
    if clean in WINDOWS_TO_OLSON:
        return WINDOWS_TO_OLSON[clean]
    if clean.startswith("/"):  # "globally unique" TZIDs such as /mozilla.org/20050126_1/Europe/Berlin
        parts = clean.strip("/").split("/")
        for start in range(1, len(parts)):
            if "/".join(parts[start:]) in available:
                return "/".join(parts[start:])
    match = _DISPLAY_NAME.match(clean)
    if not match:
        return _DISPLAY_ALIASES.get(_fold(clean))
    sign, hours, minutes, words = match.groups()
    offset = timedelta(hours=int(hours or 0), minutes=int(minutes or 0)) * (-1 if sign == "-" else 1)
    alias = _DISPLAY_ALIASES.get(_fold(words))
    if alias:
        return alias
    for city in re.split(r",|&|\band\b", words):
        for name in _zones_by_city().get(_fold(city).replace(" ", "_"), []):
            if _standard_offset(zoneinfo.ZoneInfo(name), year) == offset:
                return name
    return None


def _agrees(zone: tzinfo, rules: tzinfo, moments: list[datetime]) -> bool:
    return all(m.astimezone(zone).utcoffset() == m.astimezone(rules).utcoffset() for m in moments)


def _iana_for_rules(tzid: str, rules: tzinfo, moments: list[datetime]) -> str | None:
    """An IANA zone keeping the same clocks as a file's own VTIMEZONE at the moments that matter."""
    year = moments[0].year
    probes = moments + [datetime(year, 1, 15, 12, tzinfo=UTC), datetime(year, 7, 15, 12, tzinfo=UTC)]
    named = resolve_tzid(tzid, year=year)
    if named and _agrees(zoneinfo.ZoneInfo(named), rules, probes):
        return named
    for name in _candidate_zones():
        if _agrees(zoneinfo.ZoneInfo(name), rules, probes):
            return name
    return None


# --- in: the plan ----------------------------------------------------------------------------------


@dataclass
class PlannedSession:
    label: str
    starts: datetime
    ends: datetime
    time_zone: str
    all_day: bool
    place: str
    online_url: str
    source_uid: str
    existing_id: int | None = None

    @property
    def local_starts(self) -> datetime:
        return self.starts.astimezone(zoneinfo.ZoneInfo(self.time_zone))

    @property
    def local_ends(self) -> datetime:
        return self.ends.astimezone(zoneinfo.ZoneInfo(self.time_zone))


@dataclass
class SessionsPlan:
    """What importing a calendar file would do; nothing is written until ``apply_sessions_import``."""

    course: Course
    sessions: list[PlannedSession] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    capacity: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.sessions)

    @property
    def new_count(self) -> int:
        return sum(1 for s in self.sessions if s.existing_id is None)

    @property
    def update_count(self) -> int:
        return len(self.sessions) - self.new_count


class _Problem(Exception):
    """One event cannot be read; the message says which and why."""


# Exchange sometimes quotes a TZID together with the time it qualifies: DTSTART;TZID="Zone:20200609T090000".
_SWALLOWED_VALUE = re.compile(
    r'^((?:DTSTART|DTEND|RECURRENCE-ID|EXDATE|RDATE)(?:;[^:;\r\n]+)*;TZID=)"([^":\r\n]+):(\d{8}T\d{6}Z?)"[ \t]*$',
    re.MULTILINE,
)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # Outlook on Windows writes its code page


def _label(index: int, event) -> str:
    """How a refusal names an event: its number in the file and its title (or the start of its description)."""
    summary = " ".join(str(event.get("SUMMARY", "") or event.get("DESCRIPTION", "")).split())[:60]
    return f"event {index} (“{summary}”)" if summary else f"event {index}"


class _Reader:
    """Turns one calendar's events into planned sessions."""

    def __init__(self, cal: icalendar.Calendar, *, default_zone: str, window_days: int):
        self.window = timedelta(days=window_days)
        wr = str(cal.get("X-WR-TIMEZONE", "")).strip()
        self.calendar_zone = resolve_tzid(wr) if wr else None
        self.calendar_zone = self.calendar_zone or default_zone

    # Each value becomes (aware instant, its tzinfo for wall-clock arithmetic, IANA name, all-day?).
    def when(self, prop, label: str, name: str, *, moments=None) -> tuple[datetime, tzinfo, str, bool]:
        value = prop.dt
        tzid = prop.params.get("TZID")
        if isinstance(value, date) and not isinstance(value, datetime):
            zone = zoneinfo.ZoneInfo(self.calendar_zone)
            return datetime.combine(value, time(0), tzinfo=zone), zone, self.calendar_zone, True
        if value.tzinfo is None:
            if tzid:
                iana = resolve_tzid(str(tzid), year=value.year)
                if iana is None:
                    raise _Problem(
                        f"{label}: its {name} is in the time zone “{tzid}”, which is not one we know and the file "
                        "does not describe it; export the calendar with time zone information."
                    )
            else:
                iana = self.calendar_zone  # a "floating" time: read it in the calendar's (or importer's) zone
            zone = zoneinfo.ZoneInfo(iana)
            return value.replace(tzinfo=zone), zone, iana, False
        if isinstance(value.tzinfo, zoneinfo.ZoneInfo):
            key = value.tzinfo.key
            if key == "UTC":  # an instant: show it in the calendar's zone
                zone = zoneinfo.ZoneInfo(self.calendar_zone)
                return value.astimezone(zone), zone, self.calendar_zone, False
            return value, value.tzinfo, key, False
        # The file's own VTIMEZONE: its rules give the instant, an IANA zone that agrees gives the name.
        iana = _iana_for_rules(str(tzid or ""), value.tzinfo, [value.astimezone(UTC), *(moments or [])])
        if iana is None:
            raise _Problem(f"{label}: its time zone “{tzid}” keeps clocks that match no known time zone.")
        return value, value.tzinfo, iana, False

    def occurrences(self, event, label: str, start: datetime, zone: tzinfo, all_day: bool, overridden: set):
        """The local wall-clock starts of a series within the window (the first one included)."""
        local = start.astimezone(zone).replace(tzinfo=None)
        raw = event.get("RRULE")
        if raw is None:
            return [local], False
        text = raw.to_ical().decode() if isinstance(raw, icalendar.vRecur) else str(raw)
        try:
            rule = icalendar.vRecur.from_ical(re.sub(r"\s+", "", text))  # Exchange writes BYDAY=MO, TU, …
            until = rule.get("UNTIL")
            if until:
                value = until[0]
                if isinstance(value, datetime):
                    value = value.astimezone(zone).replace(tzinfo=None) if value.tzinfo else value
                else:
                    value = datetime.combine(value, time.max.replace(microsecond=0))
                rule["UNTIL"] = [value]
            series = rrulestr(rule.to_ical().decode(), dtstart=local)
        except (ValueError, TypeError, KeyError) as exc:
            raise _Problem(f"{label}: its repeat rule “{text}” cannot be read ({exc}).") from None
        end = local + self.window
        starts = set(series.between(local, end, inc=True))
        starts.add(local)
        for rdate in _values(event.get("RDATE")):
            starts.add(self.wall(rdate, zone))
        for exdate in _values(event.get("EXDATE")):
            if isinstance(exdate, datetime):
                starts.discard(self.wall(exdate, zone))
            else:
                starts -= {s for s in starts if s.date() == exdate}
        starts -= overridden
        return sorted(starts), series.after(end) is not None

    @staticmethod
    def wall(value, zone: tzinfo) -> datetime:
        if not isinstance(value, datetime):
            return datetime.combine(value, time(0))
        return value.astimezone(zone).replace(tzinfo=None) if value.tzinfo else value


def _values(prop) -> list:
    """The dates of an RDATE/EXDATE property, which may appear once or many times, each with a list."""
    if prop is None:
        return []
    props = prop if isinstance(prop, list) else [prop]
    out = []
    for one in props:
        if isinstance(one, icalendar.vBroken):
            raise _Problem("broken")
        out.extend(value.dt for value in one.dts)
    return out


def _duration(event, start: datetime, zone: tzinfo, all_day: bool, reader: _Reader, label: str) -> timedelta:
    if event.get("DTEND") is not None:
        end, _, _, end_all_day = reader.when(event["DTEND"], label, "end")
        if end_all_day != all_day:
            raise _Problem(f"{label}: it starts on a date but ends at a time (or the other way round).")
        length = end - start
    elif event.get("DURATION") is not None:
        length = event["DURATION"].dt
    else:
        length = timedelta(days=1) if all_day else timedelta(0)  # RFC 5545 §3.6.1
    if length < timedelta(0):
        raise _Problem(f"{label}: it ends before it starts.")
    return length


def _location(event) -> tuple[str, str]:
    where = " ".join(str(event.get("LOCATION", "")).split())
    if re.match(r"^https?://\S+$", where):
        return "", where[:500]
    return where[:300], ""


def _check_errors(event, label: str) -> None:
    for name, message in getattr(event, "errors", []):
        if name == "RRULE":
            continue  # read again leniently in ``occurrences``, which names the problem if it stays unreadable
        if name in ("EXDATE", "RDATE"):
            raise _Problem(f"{label}: its {name} has a date that cannot be read ({message.strip()}).")
        raise _Problem(f"{label}: its {name} cannot be read ({message.strip()}).")


def plan_sessions_import(
    ics_bytes: bytes,
    course: Course,
    *,
    default_time_zone: str = "UTC",
    capacity: int | None = None,
    window_days: int = WINDOW_DAYS,
) -> SessionsPlan:
    """Read a calendar file into the sessions it would make (or update) on ``course``; writes nothing.

    ``default_time_zone`` places all-day and "floating" times when the file names no zone of its own.
    A repeating event is expanded for ``window_days`` from its first occurrence.
    """
    plan = SessionsPlan(course=course, capacity=capacity)
    if course.self_paced:
        plan.problems.append(f"A {course.get_format_display().lower()} course is taken at one's own pace: no sessions.")
        return plan
    if default_time_zone not in zoneinfo.available_timezones():
        plan.problems.append(f"“{default_time_zone}” is not a time zone.")
        return plan
    text = _SWALLOWED_VALUE.sub(r'\1"\2":\3', _decode(ics_bytes))
    if "BEGIN:VCALENDAR" not in text.upper():
        plan.problems.append("This is not an iCalendar file: it has no BEGIN:VCALENDAR.")
        return plan
    try:
        cal = icalendar.Calendar.from_ical(text)
    except (ValueError, IndexError, KeyError) as exc:
        plan.problems.append(f"This iCalendar file cannot be read: {exc}.")
        return plan
    events = cal.walk("VEVENT")
    if not events:
        plan.problems.append("The file holds no events.")
        return plan
    reader = _Reader(cal, default_zone=default_time_zone, window_days=window_days)

    # Moved or cancelled instances of a series (RECURRENCE-ID) replace the series' own occurrence.
    overridden: dict[str, set] = {}
    for index, event in enumerate(events, start=1):
        if event.get("RECURRENCE-ID") is not None and event.get("UID"):
            label = _label(index, event)
            try:
                rid, _, _, _ = reader.when(event["RECURRENCE-ID"], label, "recurrence id")
            except _Problem:
                continue  # the main loop reports this event's problems
            overridden.setdefault(str(event["UID"]), set()).add(rid)

    seen_uids: dict[str, int] = {}
    for index, event in enumerate(events, start=1):
        label = _label(index, event)
        try:
            _check_errors(event, label)
            if event.get("DTSTART") is None:
                raise _Problem(f"{label}: it has no start (DTSTART).")
            if str(event.get("STATUS", "")).upper() == "CANCELLED":
                plan.notes.append(f"{label} was left out: it is cancelled in the calendar.")
                continue
            start, zone, iana, all_day = reader.when(event["DTSTART"], label, "start")
            length = _duration(event, start, zone, all_day, reader, label)
            uid = str(event.get("UID", "")).strip()
            is_override = event.get("RECURRENCE-ID") is not None
            skip = set()
            if uid and not is_override:
                skip = {r.astimezone(zone).replace(tzinfo=None) for r in overridden.get(uid, set())}
            starts, beyond = reader.occurrences(event, label, start, zone, all_day, skip)
        except _Problem as exc:
            plan.problems.append(str(exc) if str(exc) != "broken" else f"{label}: it has an empty date list.")
            continue
        if beyond:
            plan.notes.append(f"{label} repeats beyond {window_days} days; only its first {len(starts)} are imported.")
        place, online = _location(event)
        summary = " ".join(str(event.get("SUMMARY", "")).split())[:200]
        key = uid or f"{summary}@{start.astimezone(UTC):%Y%m%dT%H%M%SZ}"
        repeat = event.get("RRULE") is not None or is_override
        for wall in starts:
            local = wall.replace(tzinfo=zone)
            if all_day:
                starts_at = datetime.combine(wall.date(), time(0), tzinfo=zoneinfo.ZoneInfo(iana))
                ends_at = datetime.combine(
                    wall.date() + timedelta(days=max(length.days, 1)), time(0), tzinfo=zoneinfo.ZoneInfo(iana)
                )
            else:
                starts_at = local.astimezone(UTC)
                ends_at = (local + length).astimezone(UTC) if length else starts_at
            source = f"{key}|{wall:%Y%m%dT%H%M%S}" if repeat else key
            seen_uids[source] = seen_uids.get(source, 0) + 1
            if seen_uids[source] > 1:  # the same UID twice in one file (holiday lists do this)
                source = f"{source}#{seen_uids[source]}"
            plan.sessions.append(
                PlannedSession(
                    label=summary,
                    starts=starts_at.astimezone(UTC),
                    ends=ends_at.astimezone(UTC),
                    time_zone=iana,
                    all_day=all_day,
                    place=place,
                    online_url=online,
                    source_uid=source[:500],
                )
            )
    if len(plan.sessions) > MAX_SESSIONS:
        plan.problems.append(
            f"The file would make {len(plan.sessions)} sessions; import at most {MAX_SESSIONS} at a time."
        )
    if not plan.sessions and not plan.problems:
        plan.problems.append("The file holds no event that could become a session.")
    existing = (
        dict(
            course.sessions.filter(source_uid__in=[s.source_uid for s in plan.sessions]).values_list("source_uid", "pk")
        )
        if plan.sessions and course.pk
        else {}
    )
    for planned in plan.sessions:
        planned.existing_id = existing.get(planned.source_uid)
    plan.sessions.sort(key=lambda s: (s.starts, s.source_uid))
    return plan


def apply_sessions_import(plan: SessionsPlan, *, actor) -> list[Session]:
    """Write a clean plan: new sessions are added, sessions imported before are moved. All or nothing."""
    from catalog import services
    from core.models import Activity
    from core.services import record_activity

    if plan.problems:
        raise ValidationError(plan.problems)
    if not plan.sessions:
        raise ValidationError("There is nothing to import.")
    course = plan.course
    services._require_curator(actor, course)
    written = []
    with transaction.atomic():
        existing = {
            s.source_uid: s
            for s in course.sessions.filter(source_uid__in=[p.source_uid for p in plan.sessions]).select_for_update()
        }
        new = []
        for planned in plan.sessions:
            session = existing.get(planned.source_uid)
            if session is None:
                new.append(
                    Session(
                        course=course,
                        label=planned.label,
                        starts=planned.starts,
                        ends=planned.ends,
                        time_zone=planned.time_zone,
                        all_day=planned.all_day,
                        place=planned.place,
                        online_url=planned.online_url,
                        capacity=plan.capacity,
                        source_uid=planned.source_uid,
                    )
                )
                continue
            if (
                session.starts != planned.starts
                or session.ends != planned.ends
                or session.place != planned.place
                or session.online_url != planned.online_url
            ):
                services.update_session(
                    actor=actor,
                    session=session,
                    starts=planned.starts,
                    ends=planned.ends,
                    time_zone=planned.time_zone,
                    place=planned.place,
                    online_url=planned.online_url,
                )
            written.append(session)
        for session in new:
            session.full_clean(exclude=["course"], validate_unique=False)
        Session.objects.bulk_create(new)
        written.extend(new)
        record_activity(
            actor=actor,
            verb=Activity.Verb.UPDATED,
            item=course.item,
            extra={"sessions_imported": len(new), "sessions_moved": len(written) - len(new)},
        )
    return written
