"""Forms of the curator's pages: a course, a session, the roster's actions and the two imports.

Each field is checked with the services' own rules (``services.clean_course_fields``), so a message
appears beside the field it concerns; the services check everything again when the form is saved.
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils import timezone

from catalog import importing, services
from catalog.models import Course
from core.access import can_create_in, is_site_admin, space_roles
from core.forms import SharingMixin, visibility_choices
from core.models import Visibility
from people.models import TIME_ZONES

SKILLS_MAX = 40
ICS_MAX_BYTES = 2 * 1024 * 1024
WALL_CLOCK_FORMAT = "%Y-%m-%dT%H:%M"


def _one_field(name: str, value):
    """A course field checked by the services' own rule; its messages become the field's errors."""
    return services.clean_course_fields({name: value})[name]


def split_skills(text: str) -> list[str]:
    return [part.strip() for part in (text or "").split(";") if part.strip()]


def _suggesting(url, list_id: str, **attrs) -> dict:
    """Attributes of a box whose datalist htmx fills as the person types (the options are whole values)."""
    return {
        "list": list_id,
        "autocomplete": "off",
        "hx-get": url,
        "hx-trigger": "input changed delay:250ms",
        "hx-target": f"#{list_id}",
        "hx-swap": "innerHTML",
        "hx-sync": "this:replace",
        **attrs,
    }


class CourseForm(SharingMixin, forms.Form):
    """Every field of a course: what the catalogue shows, who curates it, where it lives and who sees it."""

    title = forms.CharField(max_length=services.TITLE_MAX)
    summary = forms.CharField(
        label="Description",
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What people learn and how the course runs. Shown on the course page and in search.",
    )
    code = forms.CharField(
        label="Catalogue code",
        required=False,
        max_length=60,
        help_text="Your own reference, e.g. LD-101. A CSV import updates the course with this code.",
    )
    provider = forms.CharField(required=False, max_length=200, help_text="Who runs it, e.g. an academy or a team.")
    format = forms.ChoiceField(choices=Course.Format.choices, initial=Course.Format.CLASSROOM)
    level = forms.ChoiceField(choices=Course.Level.choices, initial=Course.Level.ALL)
    duration_minutes = forms.IntegerField(
        label="Duration (minutes)", required=False, min_value=1, max_value=1_000_000, help_text="In total."
    )
    language = forms.CharField(max_length=16, initial="en", help_text="A language code such as en, de or pt-BR.")
    skills = forms.CharField(
        label="Skills taught",
        required=False,
        max_length=4000,
        widget=forms.TextInput(attrs=_suggesting(reverse_lazy("catalog:curate-suggest-skills"), "skill-suggestions")),
        help_text="Skills from the skills taxonomy, separated by semicolons; suggestions appear as you type.",
    )
    cost = forms.DecimalField(required=False, min_value=0, max_digits=10, decimal_places=2, help_text="0 when free.")
    currency = forms.CharField(required=False, max_length=3, help_text="ISO code such as EUR; needed when it costs.")
    prerequisites = forms.CharField(
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What people should know or have done first.",
    )
    launch_url = forms.CharField(
        label="Launch URL",
        required=False,
        max_length=500,
        widget=forms.URLInput(attrs={"placeholder": "https://…", "inputmode": "url"}),
        help_text="Where an e-learning course, video or external course is opened.",
    )
    curator = forms.CharField(
        label="Curator",
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs=_suggesting(reverse_lazy("catalog:curate-suggest-people"), "people-suggestions")),
        help_text="The username of the person who runs the course: they manage its sessions and roster.",
    )
    tags = forms.CharField(
        required=False, max_length=500, help_text="Separate tags with commas, e.g. leadership, onboarding."
    )
    space = forms.ModelChoiceField(
        label="Space", queryset=None, required=False, to_field_name="slug", empty_label="The whole catalogue"
    )
    visibility = forms.ChoiceField(label="Who can see it", widget=forms.RadioSelect, initial=Visibility.ORGANISATION)

    def __init__(self, *args, user, course: Course | None = None, **kwargs):
        self.user = user
        self.course = course
        if course is not None:
            kwargs.setdefault("initial", self.initial_for(course))
        else:
            kwargs.setdefault("initial", {"curator": user.username})
        super().__init__(*args, **kwargs)
        in_space = course.item.space_id is not None if course is not None else True
        choices = [c for c in visibility_choices(in_space=in_space) if c[0] != Visibility.PEOPLE]
        if course is not None and course.item.visibility not in dict(choices):
            choices.append((course.item.visibility, Visibility(course.item.visibility).label))
        self.fields["visibility"].choices = choices
        if course is not None:
            del self.fields["space"]  # a course stays in the space it was made in
        else:
            from spaces.models import Space

            self.fields["space"].queryset = Space.objects.filter(pk__in=space_roles(user)).order_by("name")
            if is_site_admin(user):
                self.fields["space"].help_text = "Spaces you belong to."

    @staticmethod
    def initial_for(course: Course) -> dict:
        item = course.item
        return {
            "title": item.title,
            "summary": item.summary,
            "code": course.code,
            "provider": course.provider,
            "format": course.format,
            "level": course.level,
            "duration_minutes": course.duration_minutes,
            "language": course.language,
            "skills": "; ".join(skill.name for skill in course.skills.all()),
            "cost": course.cost,
            "currency": course.currency,
            "prerequisites": course.prerequisites,
            "launch_url": course.launch_url,
            "curator": course.curator.username if course.curator else "",
            "tags": ", ".join(tag.name for tag in item.tags.all()),
            "visibility": item.visibility,
        }

    def clean_title(self):
        return _one_field("title", self.cleaned_data["title"])

    def clean_code(self):
        code = _one_field("code", self.cleaned_data["code"])
        if code:
            others = Course.objects.filter(code=code)
            if self.course is not None:
                others = others.exclude(pk=self.course.pk)
            if others.exists():
                raise ValidationError(f"Another course already has the code “{code}”.")
        return code

    def clean_language(self):
        return _one_field("language", self.cleaned_data["language"])

    def clean_currency(self):
        return _one_field("currency", self.cleaned_data["currency"])

    def clean_launch_url(self):
        return _one_field("launch_url", self.cleaned_data["launch_url"])

    def clean_cost(self):
        cost = self.cleaned_data["cost"]
        return _one_field("cost", 0 if cost is None else cost)

    def clean_skills(self):
        from people.queries import resolve_skill

        names = split_skills(self.cleaned_data["skills"])
        if len(names) > SKILLS_MAX:
            raise ValidationError(f"Name at most {SKILLS_MAX} skills.")
        skills, unknown = [], []
        for name in names:
            skill = resolve_skill(name)
            if skill is None:
                unknown.append(name)
            elif skill not in skills:
                skills.append(skill)
        if unknown:
            raise ValidationError(
                f"Not in the skills taxonomy: {', '.join(unknown)}. Choose skills the suggestions offer."
            )
        return skills

    def clean_curator(self):
        name = self.cleaned_data["curator"].strip().lstrip("@")
        if not name:
            return None
        person = get_user_model().objects.visible_to(self.user).filter(username__iexact=name, is_active=True).first()
        if person is None:
            raise ValidationError(f"No one here has the username {name}.")
        return person

    def clean_space(self):
        space = self.cleaned_data["space"]
        if space is not None and not can_create_in(self.user, space):
            raise ValidationError("You can only add courses to spaces you belong to.")
        return space

    def clean(self):
        data = super().clean()
        cost, currency = data.get("cost"), data.get("currency")
        if cost and currency == "" and "currency" not in self.errors:
            self.add_error("currency", "A course that costs something needs a currency.")
        space = data.get("space") if self.course is None else self.course.item.space
        if data.get("visibility") == Visibility.SPACE and space is None and "space" not in self.errors:
            self.add_error("visibility", "Only a course in a space can be limited to the space's members.")
        return data

    def service_fields(self) -> dict:
        """The cleaned data as ``create_course`` and ``update_course`` take it."""
        data = dict(self.cleaned_data)
        data.pop("space", None)
        return data


class WallClockField(forms.DateTimeField):
    """A date and time as a clock on the wall shows it: no zone yet (the form's own zone field gives it)."""

    input_formats = [WALL_CLOCK_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=WALL_CLOCK_FORMAT)

    def to_python(self, value):
        with timezone.override(UTC):  # parse without the viewer's zone, which is not the session's
            value = super().to_python(value)
        return value.replace(tzinfo=None) if value is not None else None

    def prepare_value(self, value):
        return value


def wall_clock_to_instant(wall: datetime, zone_name: str) -> datetime:
    """The instant a wall-clock time in ``zone_name`` stands for; raises ValidationError for a time the clocks skip."""
    zone = zoneinfo.ZoneInfo(zone_name)
    aware = wall.replace(tzinfo=zone)
    if aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != wall:
        raise ValidationError(
            f"{wall:%H:%M} on {wall.day} {wall:%b %Y} does not exist in {zone_name}: the clocks go forward then."
        )
    return aware


class SessionForm(forms.Form):
    """A session's times as read on a clock in the zone it is planned in, its place and its seats."""

    starts = WallClockField(label="Starts")
    ends = WallClockField(label="Ends")
    time_zone = forms.ChoiceField(
        label="Time zone",
        choices=[(z, z) for z in TIME_ZONES],
        help_text="Starts and ends are the times on a clock in this zone; everyone else sees them in their own.",
    )
    place = forms.CharField(required=False, max_length=300, help_text="A room, a building, an address.")
    online_url = forms.CharField(
        label="Online link",
        required=False,
        max_length=500,
        widget=forms.URLInput(attrs={"placeholder": "https://…", "inputmode": "url"}),
        help_text="Where people join a live online session.",
    )
    capacity = forms.IntegerField(
        required=False, min_value=1, max_value=100_000, help_text="Seats; leave empty for no limit."
    )

    def __init__(self, *args, user, session=None, **kwargs):
        if session is not None:
            zone = zoneinfo.ZoneInfo(session.time_zone)
            kwargs.setdefault(
                "initial",
                {
                    "starts": session.starts.astimezone(zone).replace(tzinfo=None),
                    "ends": session.ends.astimezone(zone).replace(tzinfo=None),
                    "time_zone": session.time_zone,
                    "place": session.place,
                    "online_url": session.online_url,
                    "capacity": session.capacity,
                },
            )
        else:
            mine = getattr(user, "time_zone", "") or "UTC"
            kwargs.setdefault("initial", {"time_zone": mine if mine in TIME_ZONES else "UTC"})
        super().__init__(*args, **kwargs)

    def clean_online_url(self):
        return services._check_url(self.cleaned_data["online_url"], "online link")

    def clean(self):
        data = super().clean()
        zone = data.get("time_zone")
        if not zone:
            return data
        for name in ("starts", "ends"):
            if data.get(name) is not None:
                try:
                    data[name] = wall_clock_to_instant(data[name], zone)
                except ValidationError as exc:
                    self.add_error(name, exc)
        starts, ends = data.get("starts"), data.get("ends")
        if starts is not None and ends is not None and ends <= starts:
            self.add_error("ends", "The session must end after it starts.")
        return data


class RosterActionForm(forms.Form):
    """What a curator does on the roster: one row's own button (``act`` = "attended:12"), or a button for
    everyone ticked (``action`` with several ``enrolment`` values)."""

    ACTIONS = [
        ("attended", "Attended"),
        ("no_show", "Did not attend"),
        ("complete", "Record completion"),
        ("confirm", "Confirm completion"),
    ]
    MAX_TICKED = 200

    action = forms.ChoiceField(choices=ACTIONS, required=False)
    act = forms.CharField(required=False, max_length=40)

    def clean(self):
        data = super().clean()
        act = data.get("act", "")
        if act:
            action, _, pk = act.partition(":")
            if action not in dict(self.ACTIONS) or not pk.isdigit():
                raise ValidationError("Choose what to do.")
            data["action"], data["enrolments"] = action, [int(pk)]
            return data
        if not data.get("action"):
            raise ValidationError("Choose what to do for the people ticked.")
        ticked = self.data.getlist("enrolment") if hasattr(self.data, "getlist") else []
        if not ticked:
            raise ValidationError("Tick the people first.")
        if len(ticked) > self.MAX_TICKED or not all(str(pk).isdigit() for pk in ticked):
            raise ValidationError(f"Tick at most {self.MAX_TICKED} people on the roster.")
        data["enrolments"] = sorted({int(pk) for pk in ticked})
        return data


class CompletionForm(forms.Form):
    """A completion for someone who took the course elsewhere, or without enrolling here."""

    person = forms.CharField(
        label="Username",
        max_length=150,
        widget=forms.TextInput(attrs=_suggesting(reverse_lazy("catalog:curate-suggest-people"), "people-suggestions")),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_person(self):
        name = self.cleaned_data["person"].strip().lstrip("@")
        person = get_user_model().objects.visible_to(self.user).filter(username__iexact=name, is_active=True).first()
        if person is None:
            raise ValidationError(f"No one here has the username {name}.")
        return person


class CoursesImportForm(forms.Form):
    file = forms.FileField(
        label="Catalogue CSV",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv"}),
        help_text=f"At most {importing.MAX_BYTES // (1024 * 1024)} MB and {importing.MAX_ROWS} courses.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > importing.MAX_BYTES:
            raise ValidationError(f"The file is larger than {importing.MAX_BYTES // (1024 * 1024)} MB.")
        return upload


class SessionsImportForm(forms.Form):
    file = forms.FileField(
        label="Calendar file (.ics)",
        widget=forms.ClearableFileInput(attrs={"accept": ".ics,.ical,.ifb,text/calendar"}),
        help_text="Exported from Outlook, Google Calendar or Apple Calendar; "
        f"at most {ICS_MAX_BYTES // (1024 * 1024)} MB.",
    )
    time_zone = forms.ChoiceField(
        label="Time zone for times without one",
        choices=[(z, z) for z in TIME_ZONES],
        help_text="All-day events and “floating” times are read in this zone; times that name a zone keep theirs.",
    )
    capacity = forms.IntegerField(
        required=False, min_value=1, max_value=100_000, help_text="Seats of each new session; empty for no limit."
    )

    def __init__(self, *args, user, **kwargs):
        mine = getattr(user, "time_zone", "") or "UTC"
        kwargs.setdefault("initial", {"time_zone": mine if mine in TIME_ZONES else "UTC"})
        super().__init__(*args, **kwargs)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > ICS_MAX_BYTES:
            raise ValidationError(f"The file is larger than {ICS_MAX_BYTES // (1024 * 1024)} MB.")
        return upload
