"""Forms of the mentoring pages: a programme (for curators), an application (as a mentor or a mentee), a request
with its note, an answer to a request, and a curator's hand edit of a run's pair.

Each form turns what was posted into the services' arguments (``service_fields``); the services check
everything again, and their refusals come back beside the field they concern (``add_service_errors``).
Lists of rows (questions, agreement parts, skills) are plain repeated fields with a few blank rows, so
every form works without JavaScript.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from core.access import space_roles
from core.forms import SharingMixin, people_named, shared_with_field
from core.models import Visibility
from mentoring import services
from mentoring.models import (
    DEFAULT_AGREEMENT,
    DEFAULT_GUIDANCE,
    DEFAULT_WEIGHTS,
    FORMATS,
    SENIORITY,
    Application,
    Programme,
)
from people.forms import TIME_ZONE_CHOICES
from people.languages import language_name, parse_languages
from people.models import PersonSkill, User
from people.queries import resolve_skill

BLANK_ROWS = 3
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
HOURS = range(24)

# What each matching criterion means, for the weights on the programme form and the explanation legend.
CRITERIA = {
    "skills": ("Skills", "Skills the mentee wants against skills the mentor teaches; a broader skill counts in part."),
    "goals": ("Goals and interests", "How alike the mentee's goals and the mentor's offer read."),
    "hours": ("Working hours", "Hours a week both are available, across time zones."),
    "format": ("Way of meeting", "Video, in person or chat: a way both accept."),
    "seniority": ("Seniority", "The mentor a step or two more senior, when the mentee wants that."),
    "site": ("Site", "The mentee's wish for a mentor at the same site, or at another one."),
}


def add_service_errors(form: forms.Form, exc: ValidationError, *, aliases: dict | None = None) -> None:
    """A service's refusal, each message beside the field it names (or above the form)."""
    aliases = aliases or {}
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for name, errors in exc.message_dict.items():
        name = aliases.get(name, name)
        form.add_error(name if name in form.fields else None, errors)


def _rows(data, prefix: str, names: tuple[str, ...], limit: int) -> int:
    """How many rows of ``prefix_<name>_<n>`` fields were posted (the highest index + 1), at most ``limit``."""
    highest = -1
    for key in data or {}:
        for name in names:
            head = f"{prefix}_{name}_"
            if key.startswith(head) and key[len(head) :].isdigit():
                highest = max(highest, int(key[len(head) :]))
    return min(highest + 1, limit)


# --- programmes ----------------------------------------------------------------------------------------------------


class ProgrammeForm(SharingMixin, forms.Form):
    """Every setting of a programme: what it is, who sees it and may join, how matching runs, the pair's agreement
    and guidance."""

    title = forms.CharField(max_length=services.TITLE_MAX)
    summary = forms.CharField(
        required=False,
        max_length=services.SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One or two lines for lists and search.",
    )
    purpose = forms.CharField(
        required=False,
        max_length=services.PURPOSE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Why the programme exists and what people should get from it.",
    )
    starts = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    ends = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text="No applications after this day."
    )
    space = forms.ModelChoiceField(
        label="Space", queryset=None, required=False, to_field_name="slug", empty_label="The whole organisation"
    )
    visibility = forms.ChoiceField(label="Who can see it", widget=forms.RadioSelect, initial=Visibility.ORGANISATION)
    shared_with = shared_with_field()
    tags = forms.CharField(required=False, max_length=500, help_text="Separate tags with commas.")
    mentor_audience = forms.ChoiceField(
        label="Who may join as a mentor",
        choices=Programme.Audience.choices,
        widget=forms.RadioSelect,
        initial=Programme.Audience.EVERYONE,
    )
    mentor_roles = forms.MultipleChoiceField(
        label="Roles that may mentor", required=False, choices=User.Role.choices, widget=forms.CheckboxSelectMultiple
    )
    invited_mentors = forms.CharField(
        label="Mentors invited",
        required=False,
        max_length=4000,
        help_text="Usernames separated by commas, when only the people invited may mentor.",
    )
    mentee_audience = forms.ChoiceField(
        label="Who may join as a mentee",
        choices=Programme.Audience.choices,
        widget=forms.RadioSelect,
        initial=Programme.Audience.EVERYONE,
    )
    mentee_roles = forms.MultipleChoiceField(
        label="Roles that may be mentees",
        required=False,
        choices=User.Role.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    invited_mentees = forms.CharField(
        label="Mentees invited",
        required=False,
        max_length=4000,
        help_text="Usernames separated by commas, when only the people invited may be mentees.",
    )
    mode = forms.ChoiceField(label="How people are matched", choices=Programme.Mode.choices, widget=forms.RadioSelect)
    default_capacity = forms.IntegerField(
        label="Mentees per mentor, usually", min_value=1, max_value=services.CAPACITY_LIMIT, initial=2
    )
    max_capacity = forms.IntegerField(
        label="Mentees per mentor, at most", min_value=1, max_value=services.CAPACITY_LIMIT, initial=5
    )
    length_weeks = forms.IntegerField(
        label="Length of a pair (weeks)", min_value=1, max_value=services.LENGTH_WEEKS_MAX, initial=26
    )
    checkin_every_days = forms.IntegerField(
        label="Check-in every (days)", min_value=1, max_value=services.DAYS_MAX, initial=28
    )
    at_risk_after_days = forms.IntegerField(
        label="At risk after (days without meeting)", min_value=1, max_value=services.DAYS_MAX, initial=42
    )
    guidance = forms.CharField(
        label="Guidance for pairs",
        required=False,
        max_length=services.GUIDANCE_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Markdown, shown on the programme's page and in every pair's space.",
    )

    def __init__(self, data=None, *, user, programme: Programme | None = None):
        self.user = user
        self.programme = programme
        initial = self.initial_for(programme) if programme is not None else self.blank_initial()
        super().__init__(data, initial=initial)
        in_space = programme.item.space_id is not None if programme is not None else True
        self.fields["visibility"].choices = [
            (value, label)
            for value, label in Visibility.choices
            if value in services.PROGRAMME_VISIBILITIES and (value != Visibility.SPACE or in_space)
        ]
        if programme is not None:
            del self.fields["space"]  # a programme stays where it was made
        else:
            from spaces.models import Space

            self.fields["space"].queryset = Space.objects.filter(pk__in=space_roles(user)).order_by("name")
        for name, default in DEFAULT_WEIGHTS.items():
            label, help_text = CRITERIA[name]
            self.fields[f"weight_{name}"] = forms.FloatField(
                label=label,
                required=False,  # left empty: the default weight
                min_value=0,
                max_value=services.WEIGHT_MAX,
                initial=initial.get("weights", {}).get(name, default),
                help_text=f"{help_text} Default {default:g}.",
                widget=forms.NumberInput(attrs={"step": "0.5", "min": "0", "max": f"{services.WEIGHT_MAX:g}"}),
            )
        questions = initial.get("questions", [])
        self.question_count = max(_rows(data, "question", ("label", "side"), services.QUESTIONS_MAX), 0) or min(
            len(questions) + BLANK_ROWS, services.QUESTIONS_MAX
        )
        for n in range(self.question_count):
            given = questions[n] if n < len(questions) else {}
            self.fields[f"question_label_{n}"] = forms.CharField(
                label=f"Question {n + 1}",
                required=False,
                max_length=services.QUESTION_LABEL_MAX,
                initial=given.get("label", ""),
            )
            self.fields[f"question_side_{n}"] = forms.ChoiceField(
                label=f"Question {n + 1} is for",
                required=False,
                choices=[("both", "Both sides"), ("mentor", "Mentors"), ("mentee", "Mentees")],
                initial=given.get("side", "both"),
            )
        parts = initial.get("agreement_template") or DEFAULT_AGREEMENT
        self.part_count = _rows(data, "part", ("title", "guidance"), services.AGREEMENT_PARTS_MAX) or min(
            len(parts) + 1, services.AGREEMENT_PARTS_MAX
        )
        for n in range(self.part_count):
            given = parts[n] if n < len(parts) else {}
            self.fields[f"part_title_{n}"] = forms.CharField(
                label=f"Part {n + 1}", required=False, max_length=services.PART_TITLE_MAX, initial=given.get("title")
            )
            self.fields[f"part_guidance_{n}"] = forms.CharField(
                label=f"Guidance for part {n + 1}",
                required=False,
                max_length=services.PART_GUIDANCE_MAX,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=given.get("guidance"),
            )

    @staticmethod
    def blank_initial() -> dict:
        return {
            "visibility": Visibility.ORGANISATION,
            "mode": Programme.Mode.BOTH,
            "guidance": DEFAULT_GUIDANCE,
            "weights": dict(DEFAULT_WEIGHTS),
            "agreement_template": DEFAULT_AGREEMENT,
            "questions": [],
        }

    @staticmethod
    def initial_for(programme: Programme) -> dict:
        item = programme.item
        return {
            "title": item.title,
            "summary": item.summary,
            "purpose": programme.purpose,
            "starts": programme.starts,
            "ends": programme.ends,
            "visibility": item.visibility,
            "shared_with": ", ".join(p.username for p in item.shared_with.all()),
            "tags": ", ".join(t.name for t in item.tags.all()),
            "mentor_audience": programme.mentor_audience,
            "mentor_roles": programme.mentor_roles,
            "invited_mentors": ", ".join(p.username for p in programme.invited_mentors.all()),
            "mentee_audience": programme.mentee_audience,
            "mentee_roles": programme.mentee_roles,
            "invited_mentees": ", ".join(p.username for p in programme.invited_mentees.all()),
            "mode": programme.mode,
            "default_capacity": programme.default_capacity,
            "max_capacity": programme.max_capacity,
            "length_weeks": programme.length_weeks,
            "checkin_every_days": programme.checkin_every_days,
            "at_risk_after_days": programme.at_risk_after_days,
            "guidance": programme.guidance,
            "weights": programme.criterion_weights,
            "questions": programme.questions or [],
            "agreement_template": programme.agreement_parts,
        }

    def clean_invited_mentors(self):
        return people_named(self.cleaned_data["invited_mentors"], self.user)

    def clean_invited_mentees(self):
        return people_named(self.cleaned_data["invited_mentees"], self.user)

    @property
    def weight_fields(self):
        return [self[f"weight_{name}"] for name in DEFAULT_WEIGHTS]

    @property
    def question_rows(self):
        return [(self[f"question_label_{n}"], self[f"question_side_{n}"]) for n in range(self.question_count)]

    @property
    def part_rows(self):
        return [(self[f"part_title_{n}"], self[f"part_guidance_{n}"]) for n in range(self.part_count)]

    def clean(self):
        data = super().clean()
        old_keys = [q.get("key") for q in (self.programme.questions if self.programme else [])]
        questions = []
        for n in range(self.question_count):
            label = (data.get(f"question_label_{n}") or "").strip()
            if label:
                # A question keeps its key while its text is edited, so answers already given stay with it.
                key = old_keys[n] if n < len(old_keys) else ""
                questions.append({"key": key, "label": label, "side": data.get(f"question_side_{n}") or "both"})
        data["questions"] = questions
        parts = []
        for n in range(self.part_count):
            title = (data.get(f"part_title_{n}") or "").strip()
            guidance = (data.get(f"part_guidance_{n}") or "").strip()
            if title:
                parts.append({"title": title, "guidance": guidance})
            elif guidance:
                self.add_error(f"part_title_{n}", "Give this part a title, or clear its guidance.")
        data["agreement_template"] = parts
        data["weights"] = {
            name: data[f"weight_{name}"] for name in DEFAULT_WEIGHTS if data.get(f"weight_{name}") is not None
        }
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        names = [
            "title", "summary", "purpose", "starts", "ends", "visibility", "shared_with", "tags", "mentor_audience",
            "mentor_roles", "invited_mentors", "mentee_audience", "mentee_roles", "invited_mentees", "mode",
            "default_capacity", "max_capacity", "length_weeks", "checkin_every_days", "at_risk_after_days",
            "guidance", "weights", "questions", "agreement_template",
        ]  # fmt: skip
        return {name: data[name] for name in names}

    ALIASES = {"invited": "invited_mentors", "weights": None, "questions": None, "agreement_template": None}


# --- applications --------------------------------------------------------------------------------------------------


def windows_to_slots(windows) -> set[tuple[int, int]]:
    """The whole hours the weekly windows cover, as (weekday, hour)."""
    slots = set()
    for day, start, end in windows or []:
        for hour in HOURS:
            if start <= hour * 60 and (hour + 1) * 60 <= end:
                slots.add((day, hour))
    return slots


def slots_to_windows(slots) -> list[list[int]]:
    """Ticked hours joined into windows: Monday 9, 10 and 11 become [0, 540, 720]."""
    windows = []
    for day in range(7):
        hours = sorted(h for d, h in slots if d == day)
        for hour in hours:
            if windows and windows[-1][0] == day and windows[-1][2] == hour * 60:
                windows[-1][2] = (hour + 1) * 60
            else:
                windows.append([day, hour * 60, (hour + 1) * 60])
    return windows


def on_the_hour(windows) -> bool:
    return all(start % 60 == 0 and end % 60 == 0 for _, start, end in windows or [])


class ApplicationForm(forms.Form):
    """An application as a mentor or a mentee. The weekly grid of hours, the skills rows and the programme's
    own questions are built for the side and the programme."""

    goals = forms.CharField(required=False, max_length=services.GOALS_MAX, widget=forms.Textarea(attrs={"rows": 4}))
    time_zone = forms.ChoiceField(choices=TIME_ZONE_CHOICES, help_text="The hours below are in this time zone.")
    languages = forms.CharField(
        max_length=200, help_text="Languages you can meet in: ISO codes separated by commas, e.g. en, pt-BR, es."
    )
    formats = forms.MultipleChoiceField(label="Ways you can meet", choices=FORMATS, widget=forms.CheckboxSelectMultiple)
    capacity = forms.IntegerField(label="How many mentees you can take at once", min_value=1)
    seniority = forms.TypedChoiceField(label="Your seniority", choices=SENIORITY, coerce=int)
    site_preference = forms.ChoiceField(
        label="Where your mentor works", choices=Application.SitePreference.choices, widget=forms.RadioSelect
    )
    wants_more_senior = forms.BooleanField(label="I would like a mentor more senior than me", required=False)
    preferences = forms.CharField(
        label="Anything else that matters to you",
        required=False,
        max_length=services.PREFERENCES_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, data=None, *, programme: Programme, side: str, initial: dict, interests: str = ""):
        super().__init__(data, initial=self._form_initial(initial))
        self.programme, self.side = programme, side
        self.windows = initial.get("availability") or []
        self.rounded = not on_the_hour(self.windows)
        self.skill_initial = [(skill.name, level) for skill, level in initial.get("skills", [])]
        mentor = side == Application.Side.MENTOR
        self.fields["goals"].label = (
            "What you can offer, and what interests you" if mentor else "What you want to learn"
        )
        self.fields["goals"].help_text = (
            "A few sentences: the matching compares these words with what mentees want."
            if mentor
            else "A few sentences about your goals: the matching compares these words with what mentors offer."
        )
        if interests:
            self.fields["goals"].help_text += f" The interests on your profile count too: {interests}."
        if mentor:
            self.fields["capacity"] = forms.IntegerField(
                label=self.fields["capacity"].label,
                min_value=1,
                max_value=programme.max_capacity,
                help_text=f"At most {programme.max_capacity} in this programme.",
            )
            for name in ("site_preference", "wants_more_senior"):
                del self.fields[name]
        else:
            del self.fields["capacity"]
        for question in services.questions_for(programme, side):
            self.fields[f"answer_{question['key']}"] = forms.CharField(
                label=question["label"],
                required=False,
                max_length=services.ANSWER_MAX,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=(initial.get("answers") or {}).get(question["key"], ""),
            )

    @staticmethod
    def _form_initial(initial: dict) -> dict:
        return {
            **{k: v for k, v in initial.items() if k not in ("skills", "availability", "answers", "languages")},
            "languages": ", ".join(initial.get("languages") or []),
        }

    @property
    def answer_fields(self):
        return [self[name] for name in self.fields if name.startswith("answer_")]

    @property
    def language_names(self) -> str:
        codes, _ = parse_languages(self["languages"].value() or "")
        return ", ".join(language_name(c) for c in codes)

    def grid(self) -> list[dict]:
        """The weekly grid as rows of days, each with its 24 hours ticked or not."""
        ticked = set(self._posted_slots()) if self.is_bound else windows_to_slots(self.windows)
        return [
            {"day": day, "name": DAYS[day], "hours": [{"hour": h, "on": (day, h) in ticked} for h in HOURS]}
            for day in range(7)
        ]

    def skill_rows(self) -> list[tuple[str, int]]:
        if self.is_bound:
            rows = list(zip(self.data.getlist("skill"), self.data.getlist("skill_level"), strict=False))
        else:
            rows = list(self.skill_initial)
        shown = [(name, level) for name, level in rows if (name or "").strip()]
        return shown + [("", PersonSkill.Level.PRACTITIONER)] * BLANK_ROWS

    @property
    def skill_level_choices(self):
        return PersonSkill.Level.choices

    @property
    def skills_label(self) -> str:
        return "Skills you can teach" if self.side == Application.Side.MENTOR else "Skills you want to learn"

    def _posted_slots(self):
        for value in self.data.getlist("slot"):
            day, _, hour = value.partition("-")
            if day.isdigit() and hour.isdigit() and int(day) < 7 and int(hour) < 24:
                yield int(day), int(hour)

    def clean_languages(self):
        codes, bad = parse_languages(self.cleaned_data["languages"])
        if bad:
            raise ValidationError(f"Not a language code: {', '.join(bad)}. Use two-letter codes such as en or pt-BR.")
        if not codes:
            raise ValidationError("Name at least one language you can meet in.")
        return codes

    def clean(self):
        data = super().clean()
        slots = set(self._posted_slots())
        if not slots:
            self.add_error(None, "Tick at least one hour of the week when you could meet.")
        data["availability"] = slots_to_windows(slots)
        skills, unknown, seen = [], [], set()
        names = self.data.getlist("skill")
        levels = self.data.getlist("skill_level")
        for n, name in enumerate(names[: services.SKILLS_MAX + BLANK_ROWS]):
            name = " ".join((name or "").split())
            if not name:
                continue
            skill = resolve_skill(name)
            if skill is None:
                unknown.append(name)
                continue
            try:
                level = int(levels[n]) if n < len(levels) else PersonSkill.Level.PRACTITIONER
            except ValueError:
                level = PersonSkill.Level.PRACTITIONER
            if skill.pk not in seen and level in services.SKILL_LEVELS:
                seen.add(skill.pk)
                skills.append((skill, level))
        if unknown:
            self.add_error(None, f"Not in the skills taxonomy: {', '.join(unknown)}. Pick skills from the suggestions.")
        if len(skills) > services.SKILLS_MAX:
            self.add_error(None, f"Name at most {services.SKILLS_MAX} skills.")
        data["skills"] = skills
        data["answers"] = {
            name.removeprefix("answer_"): data[name] for name in self.fields if name.startswith("answer_")
        }
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        names = ["goals", "time_zone", "languages", "formats", "seniority", "preferences", "availability", "skills"]
        names += ["answers"]
        if self.side == Application.Side.MENTOR:
            names.append("capacity")
        else:
            names += ["site_preference", "wants_more_senior"]
        return {name: data[name] for name in names}


# --- requests, answers, hand edits ---------------------------------------------------------------------------------


class NoteForm(forms.Form):
    note = forms.CharField(
        label="A note", required=False, max_length=services.NOTE_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


class RespondForm(NoteForm):
    decision = forms.ChoiceField(choices=[("accept", "Accept"), ("decline", "Decline")])


class PairForm(forms.Form):
    """A curator pairs a mentee of the run by hand, or leaves them unmatched."""

    mentee = forms.IntegerField(min_value=1, max_value=2**63 - 1)
    mentor = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
