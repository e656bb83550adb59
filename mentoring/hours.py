"""Weekly working hours across two time zones, for scheduling a pair's meetings.

An application keeps its person's weekly windows in their own time zone as ``[[weekday, start, end]]``
(Monday 0, minutes after midnight). To show one person's hours in the other's zone, each window is placed
in a real week (the coming one, so summer time is applied as it will be when they meet) and converted;
a window that crosses midnight in the other zone is split into two days.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DAY_MINUTES = 24 * 60
MAX_WINDOWS = 50  # an application's list is typed by a person: more than this is not a week's hours


@dataclass(frozen=True, order=True)
class Window:
    """Part of one weekday, in minutes after midnight (``end`` may be 1440, the day's end)."""

    weekday: int
    start: int
    end: int

    @property
    def minutes(self) -> int:
        return self.end - self.start

    def label(self) -> str:
        return f"{DAYS[self.weekday]} {clock(self.start)}–{clock(self.end)}"


def clock(minutes: int) -> str:
    """9:00 for 540; 24:00 for the end of a day."""
    return f"{minutes // 60}:{minutes % 60:02d}"


def zone(name: str | None) -> zoneinfo.ZoneInfo:
    """The IANA zone named, or UTC when the name is empty or unknown (a profile may hold an old name)."""
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def windows_from(availability) -> list[Window]:
    """The well-formed windows of an application's ``availability``, merged where they touch; the rest ignored."""
    found = []
    for entry in (availability or [])[:MAX_WINDOWS]:
        try:
            weekday, start, end = (int(v) for v in entry)
        except (TypeError, ValueError):
            continue
        if 0 <= weekday <= 6 and 0 <= start < end <= DAY_MINUTES:
            found.append(Window(weekday, start, end))
    return merge(found)


def merge(windows: list[Window]) -> list[Window]:
    out: list[Window] = []
    for w in sorted(windows):
        if out and out[-1].weekday == w.weekday and w.start <= out[-1].end:
            last = out.pop()
            w = Window(w.weekday, last.start, max(last.end, w.end))
        out.append(w)
    return out


def _monday_after(today: date) -> date:
    return today + timedelta(days=(7 - today.weekday()) % 7 or 7)


def convert(window: Window, source: zoneinfo.ZoneInfo, target: zoneinfo.ZoneInfo, *, week: date) -> list[Window]:
    """``window`` (in ``source``) as the other person sees it in ``target``: one or two windows."""
    day = week + timedelta(days=window.weekday)
    start = datetime.combine(day, time(0), tzinfo=source) + timedelta(minutes=window.start)
    start = (start.astimezone(zoneinfo.ZoneInfo("UTC"))).astimezone(target)
    out = []
    remaining = window.minutes
    while remaining > 0:
        minute = start.hour * 60 + start.minute
        span = min(remaining, DAY_MINUTES - minute)
        out.append(Window(start.weekday(), minute, minute + span))
        remaining -= span
        start = start + timedelta(minutes=span)
    return out


def in_zone(windows: list[Window], source, target, *, today: date) -> list[Window]:
    week = _monday_after(today)
    return merge([part for w in windows for part in convert(w, source, target, week=week)])


def overlap(a: list[Window], b: list[Window]) -> list[Window]:
    """The parts of the week in both lists (both in the same zone)."""
    out = []
    for x in a:
        for y in b:
            if x.weekday == y.weekday:
                start, end = max(x.start, y.start), min(x.end, y.end)
                if start < end:
                    out.append(Window(x.weekday, start, end))
    return merge(out)


@dataclass(frozen=True)
class Line:
    """A window in its owner's zone beside the same time in the other person's zone."""

    here: Window
    there: list[Window]

    def there_label(self) -> str:
        if len(self.there) == 1 and self.there[0].weekday == self.here.weekday:
            return f"{clock(self.there[0].start)}–{clock(self.there[0].end)}"
        return " and ".join(w.label() for w in self.there)


def side_by_side(windows: list[Window], source, target, *, today: date) -> list[Line]:
    week = _monday_after(today)
    return [Line(w, convert(w, source, target, week=week)) for w in windows]


def grid(mine: list[Window], theirs: list[Window]) -> dict:
    """A week of hour cells in one zone, each marked "mine", "theirs", "both" or "" by who is free for at
    least half of that hour, trimmed to the hours anyone is free (with an hour either side)."""

    def free(windows, weekday, hour):
        lo, hi = hour * 60, hour * 60 + 60
        return sum(max(0, min(w.end, hi) - max(w.start, lo)) for w in windows if w.weekday == weekday) >= 30

    rows = []
    for hour in range(24):
        cells = []
        for weekday in range(7):
            a, b = free(mine, weekday, hour), free(theirs, weekday, hour)
            cells.append("both" if a and b else "mine" if a else "theirs" if b else "")
        rows.append({"hour": hour, "label": clock(hour * 60), "cells": cells})
    used = [row["hour"] for row in rows if any(row["cells"])]
    if not used:
        return {"days": DAYS, "rows": []}
    first, last = max(0, min(used) - 1), min(23, max(used) + 1)
    return {"days": DAYS, "rows": rows[first : last + 1]}


def next_slot(shared: list[Window], tz, *, after: datetime, minutes: int = 60) -> datetime | None:
    """The first start in ``shared`` (windows in ``tz``) at least a day after ``after`` with room for the
    meeting, on the hour or half-hour: a sensible time to offer first."""
    earliest = (after + timedelta(days=1)).astimezone(tz)
    for offset in range(15):
        day = earliest.date() + timedelta(days=offset)
        for w in shared:
            first = -(-w.start // 30) * 30  # on the hour or half past
            if w.weekday != day.weekday() or first + minutes > w.end:
                continue
            start = datetime.combine(day, time(first // 60, first % 60), tzinfo=tz)
            if start >= earliest:
                return start
    return None


def local(moment: datetime, person) -> datetime:
    """``moment`` on the wall clock of ``person`` (their profile's time zone)."""
    return moment.astimezone(zone(getattr(person, "time_zone", "")))


def when_for(moment: datetime, person) -> str:
    """ "Tue 4 Jun 2030, 14:00" on ``person``'s clock: for sentences written to one person (e-mails, notifications)."""
    at = local(moment, person)
    return f"{DAYS[at.weekday()]} {at.day} {at:%b %Y, %H:%M}"
