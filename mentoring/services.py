"""Writes for mentoring programmes and the self-service side of matching: programmes (curators make and change
them; the always-open organisation-wide one makes itself), applications (prefilled from the profile, checked field
by field), a mentee's request to a mentor, the mentor's answer, and either side declining a new pair.

Each write that concerns another person records an activity addressed to them (``target``), about the programme
(``item``), with ``extra["url"]`` to open and ``extra["about"]`` in a few words; the verbs are private, so they
notify and never show in a stream. Curator-run matching (runs, previews, publishing) is ``mentoring.runs``; what
happens inside a pair is ``mentoring.pairs``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from core.access import can_create_in, can_view
from core.models import Activity, ItemKind, Visibility
from core.services import check_visibility, create_item, record_activity, update_item, watch
from mentoring import access
from mentoring.models import (
    DEFAULT_AGREEMENT,
    DEFAULT_GUIDANCE,
    DEFAULT_WEIGHTS,
    FORMATS,
    SENIORITY,
    Application,
    ApplicationSkill,
    Match,
    Meeting,
    Programme,
)
from people.languages import normalise_code
from people.models import TIME_ZONES, PersonSkill, Skill, User
from search.index import schedule_index

TITLE_MAX = 200
SUMMARY_MAX = 2000
PURPOSE_MAX = 5000
GUIDANCE_MAX = 10000
QUESTIONS_MAX = 20
QUESTION_LABEL_MAX = 300
ANSWER_MAX = 2000
AGREEMENT_PARTS_MAX = 20
PART_TITLE_MAX = 200
PART_GUIDANCE_MAX = 2000
WEIGHT_MAX = 10.0
CAPACITY_LIMIT = 20  # the database's own ceiling (programme_capacity, application_capacity)
LENGTH_WEEKS_MAX = 260
DAYS_MAX = 365
GOALS_MAX = 3000
PREFERENCES_MAX = 1000
NOTE_MAX = 2000
AVAILABILITY_MAX = 50
LANGUAGES_MAX = 20
SKILLS_MAX = 30
SKILL_LEVELS = (1, 2, 3, 4)  # as a person's skills: beginner, practitioner, advanced, expert
PENDING_REQUESTS_MAX = 3  # a mentee's open requests in one programme: asking everyone at once helps nobody
PROGRAMME_VISIBILITIES = (Visibility.ORGANISATION, Visibility.SPACE, Visibility.PEOPLE)
FORMAT_VALUES = tuple(value for value, _ in FORMATS)
SENIORITY_VALUES = tuple(value for value, _ in SENIORITY)
WORKING_WEEK = [[day, 9 * 60, 17 * 60] for day in range(5)]  # availability offered when nothing better is known

OPEN_PROGRAMME_TITLE = "Informal mentoring"
OPEN_PROGRAMME_SUMMARY = "Find a mentor, or offer to be one, whenever you like: no dates, no cohort."
OPEN_PROGRAMME_PURPOSE = (
    "Open all year to everyone in the organisation. Mentees see suggested mentors with the reasons each one fits, "
    "message them, and ask the one they choose; mentors accept or decline with a note."
)

_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
_UNCHANGED = object()


def _problem(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError({name: messages for name, messages in errors.items() if messages})


def _whole(value, name: str, low: int, high: int, errors: dict, label: str) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors.setdefault(name, []).append(f"{label} must be a whole number.")
        return None
    if isinstance(value, float) and value != number:
        errors.setdefault(name, []).append(f"{label} must be a whole number.")
        return None
    if not low <= number <= high:
        errors.setdefault(name, []).append(f"{label} must be between {low} and {high}.")
        return None
    return number


# --- programmes ----------------------------------------------------------------------------------------------------


def can_create_programme(user) -> bool:
    return bool(user.is_authenticated and getattr(user, "is_curator", False))


def clean_questions(questions) -> list[dict]:
    """A programme's own questions: ``[{"key", "label", "side"}]`` with side mentor, mentee or both."""
    if not isinstance(questions, list | tuple):
        raise ValidationError("Questions must be a list.")
    if len(questions) > QUESTIONS_MAX:
        raise ValidationError(f"Ask at most {QUESTIONS_MAX} questions.")
    out, keys = [], set()
    for n, question in enumerate(questions, start=1):
        if not isinstance(question, dict):
            raise ValidationError(f"Question {n} must have a label and a side.")
        label = " ".join(str(question.get("label") or "").split())
        side = question.get("side") or "both"
        if not label:
            raise ValidationError(f"Question {n} needs its text.")
        if len(label) > QUESTION_LABEL_MAX:
            raise ValidationError(f"Question {n} is longer than {QUESTION_LABEL_MAX} characters.")
        if side not in ("mentor", "mentee", "both"):
            raise ValidationError(f"Question {n} is for mentors, mentees or both, not “{side}”.")
        key = str(question.get("key") or "").strip() or slugify(label)[:40].strip("-") or f"q{n}"
        if not _KEY.match(key):
            raise ValidationError(f"Question {n}'s key “{key}” may only hold lower-case letters, digits, - and _.")
        while key in keys:
            key = f"{key[:36]}-{n}"
        keys.add(key)
        out.append({"key": key, "label": label, "side": side})
    return out


def clean_agreement_template(parts) -> list[dict]:
    """The agreement's parts, each a title with L&D's guidance beside it; empty means the default template."""
    if not isinstance(parts, list | tuple):
        raise ValidationError("The agreement template must be a list of parts.")
    if len(parts) > AGREEMENT_PARTS_MAX:
        raise ValidationError(f"An agreement has at most {AGREEMENT_PARTS_MAX} parts.")
    out, keys = [], set()
    for n, part in enumerate(parts, start=1):
        if not isinstance(part, dict):
            raise ValidationError(f"Part {n} of the agreement needs a title.")
        title = " ".join(str(part.get("title") or "").split())
        guidance = str(part.get("guidance") or "").strip()
        if not title:
            raise ValidationError(f"Part {n} of the agreement needs a title.")
        if len(title) > PART_TITLE_MAX:
            raise ValidationError(f"The title of part {n} is longer than {PART_TITLE_MAX} characters.")
        if len(guidance) > PART_GUIDANCE_MAX:
            raise ValidationError(f"The guidance of part {n} is longer than {PART_GUIDANCE_MAX} characters.")
        key = str(part.get("key") or "").strip() or slugify(title).replace("-", "_")[:40] or f"part{n}"
        if not _KEY.match(key):
            raise ValidationError(f"Part {n}'s key “{key}” may only hold lower-case letters, digits, - and _.")
        while key in keys:
            key = f"{key[:36]}_{n}"
        keys.add(key)
        out.append({"key": key, "title": title, "guidance": guidance})
    return out


def clean_weights(weights) -> dict[str, float]:
    if not isinstance(weights, dict):
        raise ValidationError("Weights must map each criterion to a number.")
    unknown = sorted(set(weights) - set(DEFAULT_WEIGHTS))
    if unknown:
        raise ValidationError(
            f"Not a matching criterion: {', '.join(map(str, unknown))}. Use {', '.join(DEFAULT_WEIGHTS)}."
        )
    out = {}
    for name, value in weights.items():
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValidationError(f"The weight of {name} must be a number.") from None
        if not 0 <= number <= WEIGHT_MAX:  # also refuses NaN
            raise ValidationError(f"The weight of {name} must be between 0 and {WEIGHT_MAX:g}.")
        out[name] = number
    if not any({**DEFAULT_WEIGHTS, **out}.values()):
        raise ValidationError("At least one criterion needs a weight above 0, or every pair would score nothing.")
    return out


def _roles(value, side: str, errors: dict) -> list[str]:
    roles = list(dict.fromkeys(value or []))
    bad = [r for r in roles if r not in User.Role.values]
    if bad:
        errors.setdefault(f"{side}_roles", []).append(
            f"Not a role: {', '.join(map(str, bad))}. Choose from {', '.join(User.Role.values)}."
        )
    return roles


def clean_programme_fields(fields: dict) -> dict:
    """Check and normalise a programme's own fields; raises ValidationError naming each field's problem."""
    errors: dict[str, list[str]] = {}
    out = dict(fields)
    if "title" in out:
        out["title"] = " ".join(str(out["title"] or "").split())
        if not out["title"]:
            errors["title"] = ["A programme needs a title."]
        elif len(out["title"]) > TITLE_MAX:
            errors["title"] = [f"The title is longer than {TITLE_MAX} characters."]
    for name, limit in (("summary", SUMMARY_MAX), ("purpose", PURPOSE_MAX), ("guidance", GUIDANCE_MAX)):
        if name in out:
            out[name] = str(out[name] or "").strip()
            if len(out[name]) > limit:
                errors[name] = [f"The {name} is longer than {limit} characters."]
    for name in ("starts", "ends"):
        if name in out and out[name] is not None and not isinstance(out[name], date):
            errors[name] = ["Give a date such as 2031-09-01."]
    starts, ends = out.get("starts"), out.get("ends")
    if isinstance(starts, date) and isinstance(ends, date) and ends < starts:
        errors["ends"] = ["The programme cannot end before it starts."]
    for side in ("mentor", "mentee"):
        name = f"{side}_audience"
        if name in out and out[name] not in Programme.Audience.values:
            errors[name] = [f"Who may join as a {side}: one of {', '.join(Programme.Audience.values)}."]
        if f"{side}_roles" in out:
            out[f"{side}_roles"] = _roles(out[f"{side}_roles"], side, errors)
    if "mode" in out and out["mode"] not in Programme.Mode.values:
        errors["mode"] = [f"Matching is one of {', '.join(Programme.Mode.values)}."]
    for name, cleaner in (
        ("questions", clean_questions),
        ("weights", clean_weights),
        ("agreement_template", clean_agreement_template),
    ):
        if name in out:
            try:
                out[name] = cleaner(out[name])
            except ValidationError as exc:
                errors[name] = exc.messages
    for name, low, high, label in (
        ("default_capacity", 1, CAPACITY_LIMIT, "A mentor's usual number of mentees"),
        ("max_capacity", 1, CAPACITY_LIMIT, "The most mentees a mentor may take"),
        ("length_weeks", 1, LENGTH_WEEKS_MAX, "The length in weeks"),
        ("checkin_every_days", 1, DAYS_MAX, "Days between check-ins"),
        ("at_risk_after_days", 1, DAYS_MAX, "Days without a meeting before a pair is at risk"),
    ):
        if name in out:
            out[name] = _whole(out[name], name, low, high, errors, label)
    _problem(errors)
    return out


def _check_audiences(fields: dict) -> None:
    errors: dict[str, list[str]] = {}
    for side in ("mentor", "mentee"):
        if fields["audience"][side] == Programme.Audience.ROLES and not fields["roles"][side]:
            errors[f"{side}_roles"] = [f"Name at least one role that may join as a {side}."]
    if fields["default_capacity"] > fields["max_capacity"]:
        errors["default_capacity"] = ["A mentor's usual number of mentees cannot be above the most they may take."]
    _problem(errors)


def _check_invited_can_see(programme: Programme, people: Iterable) -> None:
    """Everyone invited must be able to open the programme, or their invitation leads nowhere."""
    unseen = [person.name for person in people if not can_view(person, programme.item)]
    if unseen:
        raise ValidationError(
            {
                "invited": [
                    f"{', '.join(unseen)} cannot see the programme. Make it visible to them "
                    "(named people are added for you when the programme is for named people)."
                ]
            }
        )


def _people_who_see(visibility, shared_with, invited_mentors, invited_mentees) -> list:
    """For a programme limited to named people, the people invited are among those it is shared with."""
    if visibility != Visibility.PEOPLE:
        return list(shared_with)
    people = {p.pk: p for p in [*shared_with, *invited_mentors, *invited_mentees]}
    return list(people.values())


@transaction.atomic
def create_programme(
    *,
    actor,
    title: str,
    summary: str = "",
    purpose: str = "",
    starts: date | None = None,
    ends: date | None = None,
    space=None,
    visibility: str = Visibility.ORGANISATION,
    shared_with: Iterable = (),
    tags: Iterable[str] = (),
    mentor_audience: str = Programme.Audience.EVERYONE,
    mentee_audience: str = Programme.Audience.EVERYONE,
    mentor_roles: Iterable[str] = (),
    mentee_roles: Iterable[str] = (),
    invited_mentors: Iterable = (),
    invited_mentees: Iterable = (),
    questions: list | None = None,
    mode: str = Programme.Mode.BOTH,
    weights: dict | None = None,
    default_capacity: int = 2,
    max_capacity: int = 5,
    length_weeks: int = 26,
    agreement_template: list | None = None,
    guidance: str | None = None,
    checkin_every_days: int = 28,
    at_risk_after_days: int = 42,
    always_open: bool = False,
) -> Programme:
    """A new programme, seen by the organisation, a space's members or the people named; curators only."""
    if not can_create_programme(actor):
        raise PermissionDenied("Only L&D curators create mentoring programmes.")
    if space is not None and not can_create_in(actor, space):
        raise PermissionDenied("You can't add programmes to this space.")
    if visibility not in PROGRAMME_VISIBILITIES:
        raise ValidationError(
            {"visibility": ["A programme is seen by the organisation, a space's members, or named people."]}
        )
    fields = clean_programme_fields(
        {
            "title": title,
            "summary": summary,
            "purpose": purpose,
            "starts": starts,
            "ends": ends,
            "mentor_audience": mentor_audience,
            "mentee_audience": mentee_audience,
            "mentor_roles": list(mentor_roles),
            "mentee_roles": list(mentee_roles),
            "questions": list(questions or []),
            "mode": mode,
            "weights": dict(weights or {}),
            "default_capacity": default_capacity,
            "max_capacity": max_capacity,
            "length_weeks": length_weeks,
            "agreement_template": list(agreement_template if agreement_template is not None else DEFAULT_AGREEMENT),
            "guidance": DEFAULT_GUIDANCE if guidance is None else guidance,
            "checkin_every_days": checkin_every_days,
            "at_risk_after_days": at_risk_after_days,
        }
    )
    _check_audiences(
        {
            "audience": {"mentor": fields["mentor_audience"], "mentee": fields["mentee_audience"]},
            "roles": {"mentor": fields["mentor_roles"], "mentee": fields["mentee_roles"]},
            "default_capacity": fields["default_capacity"],
            "max_capacity": fields["max_capacity"],
        }
    )
    invited_mentors, invited_mentees = list(invited_mentors), list(invited_mentees)
    seen_by = _people_who_see(visibility, shared_with, invited_mentors, invited_mentees)
    check_visibility(visibility=visibility, space=space, shared_with=seen_by, noun="programme")
    item = create_item(
        owner=actor,
        kind=ItemKind.PROGRAMME,
        title=fields.pop("title"),
        summary=fields.pop("summary"),
        space=space,
        visibility=visibility,
        tags=tags,
        shared_with=seen_by,
    )
    programme = Programme.objects.create(item=item, always_open=always_open, **fields)
    programme.invited_mentors.set(invited_mentors)
    programme.invited_mentees.set(invited_mentees)
    _check_invited_can_see(programme, [*invited_mentors, *invited_mentees])
    watch(user=actor, item=item)
    record_activity(actor=actor, verb=Activity.Verb.CREATED, item=item)
    schedule_index(item)
    return programme


@transaction.atomic
def update_programme(
    *,
    actor,
    programme: Programme,
    title=_UNCHANGED,
    summary=_UNCHANGED,
    purpose=_UNCHANGED,
    starts=_UNCHANGED,
    ends=_UNCHANGED,
    visibility=_UNCHANGED,
    shared_with=_UNCHANGED,
    tags=_UNCHANGED,
    mentor_audience=_UNCHANGED,
    mentee_audience=_UNCHANGED,
    mentor_roles=_UNCHANGED,
    mentee_roles=_UNCHANGED,
    invited_mentors=_UNCHANGED,
    invited_mentees=_UNCHANGED,
    questions=_UNCHANGED,
    mode=_UNCHANGED,
    weights=_UNCHANGED,
    default_capacity=_UNCHANGED,
    max_capacity=_UNCHANGED,
    length_weeks=_UNCHANGED,
    agreement_template=_UNCHANGED,
    guidance=_UNCHANGED,
    checkin_every_days=_UNCHANGED,
    at_risk_after_days=_UNCHANGED,
) -> Programme:
    """Change any of a programme's fields; those not given stay. Pairs already running keep their agreement and
    length; a changed template or length applies to pairs that start from now on."""
    if not access.can_run(actor, programme):
        raise PermissionDenied("Only the programme's curators change it.")
    item = programme.item
    given = {
        k: v for k, v in locals().items() if v is not _UNCHANGED and k not in ("actor", "programme", "item", "given")
    }
    own_names = {
        "purpose", "starts", "ends", "mentor_audience", "mentee_audience", "mentor_roles", "mentee_roles",
        "questions", "mode", "weights", "default_capacity", "max_capacity", "length_weeks", "agreement_template",
        "guidance", "checkin_every_days", "at_risk_after_days",
    }  # fmt: skip
    checked = clean_programme_fields(
        {k: (list(v) if k.endswith("_roles") else v) for k, v in given.items() if k in own_names | {"title", "summary"}}
    )
    for name in own_names & checked.keys():
        setattr(programme, name, checked[name])
    if programme.ends and programme.starts and programme.ends < programme.starts:
        raise ValidationError({"ends": ["The programme cannot end before it starts."]})
    _check_audiences(
        {
            "audience": {"mentor": programme.mentor_audience, "mentee": programme.mentee_audience},
            "roles": {"mentor": programme.mentor_roles, "mentee": programme.mentee_roles},
            "default_capacity": programme.default_capacity,
            "max_capacity": programme.max_capacity,
        }
    )
    mentors = list(given["invited_mentors"]) if "invited_mentors" in given else list(programme.invited_mentors.all())
    mentees = list(given["invited_mentees"]) if "invited_mentees" in given else list(programme.invited_mentees.all())
    new_visibility = given.get("visibility", item.visibility)
    if new_visibility not in PROGRAMME_VISIBILITIES:
        raise ValidationError(
            {"visibility": ["A programme is seen by the organisation, a space's members, or named people."]}
        )
    named = list(given["shared_with"]) if "shared_with" in given else list(item.shared_with.all())
    seen_by = _people_who_see(new_visibility, named, mentors, mentees)
    check_visibility(visibility=new_visibility, space=item.space, shared_with=seen_by, noun="programme")
    update_item(
        item=item,
        title=checked.get("title", item.title),
        summary=checked.get("summary", item.summary),
        visibility=new_visibility,
        tags=given["tags"] if "tags" in given else [t.name for t in item.tags.all()],
        shared_with=seen_by,
    )
    programme.save()
    if "invited_mentors" in given:
        programme.invited_mentors.set(mentors)
    if "invited_mentees" in given:
        programme.invited_mentees.set(mentees)
    _check_invited_can_see(programme, [*mentors, *mentees])
    record_activity(actor=actor, verb=Activity.Verb.UPDATED, item=item)
    schedule_index(item)
    return programme


def _open_programme_owner():
    """The organisation's programme belongs to the first site admin (or, failing one, the first curator)."""
    people = User.objects.filter(is_active=True)
    return (
        people.filter(Q(is_superuser=True) | Q(role=User.Role.ADMIN)).order_by("pk").first()
        or people.filter(role=User.Role.CURATOR).order_by("pk").first()
    )


def open_programme() -> Programme | None:
    return (
        Programme.objects.select_related("item__owner")
        .filter(always_open=True, item__deleted_at__isnull=True)
        .order_by("pk")
        .first()
    )


def get_or_create_open_programme() -> Programme | None:
    """The always-open organisation-wide programme for informal mentoring (self-service), made the first time
    anyone asks for it; None while the site has neither an admin nor a curator to own it."""
    found = open_programme()
    if found is not None:
        return found
    owner = _open_programme_owner()
    if owner is None:
        return None
    try:
        with transaction.atomic():
            item = create_item(
                owner=owner,
                kind=ItemKind.PROGRAMME,
                title=OPEN_PROGRAMME_TITLE,
                summary=OPEN_PROGRAMME_SUMMARY,
                visibility=Visibility.ORGANISATION,
            )
            programme = Programme.objects.create(
                item=item,
                always_open=True,
                purpose=OPEN_PROGRAMME_PURPOSE,
                mode=Programme.Mode.SELF,
                agreement_template=DEFAULT_AGREEMENT,
                guidance=DEFAULT_GUIDANCE,
            )
            record_activity(actor=owner, verb=Activity.Verb.CREATED, item=item, extra={"quiet": True})
            schedule_index(item)
    except IntegrityError:  # someone else made it a moment ago (mentoring_one_open_programme)
        return open_programme()
    return programme


# --- applications --------------------------------------------------------------------------------------------------


def _previous_application(person, programme, side):
    """The person's latest other application, the same side first: its choices are a better start than defaults."""
    rows = Application.objects.filter(person=person).exclude(programme=programme).order_by("-updated", "-pk")
    return rows.filter(side=side).first() or rows.first()


def application_defaults(*, programme: Programme, person, side: str) -> dict:
    """What an application starts from: the profile (time zone, languages, the skills the person can teach or
    wants to learn) and the person's previous application (availability, formats, seniority, goals). The
    profile's interests are not copied: the engine reads them from the profile with the goals."""
    direction = PersonSkill.Direction.TEACHES if side == Application.Side.MENTOR else PersonSkill.Direction.WANTS
    skills = [
        (ps.skill, ps.level)
        for ps in PersonSkill.objects.filter(person=person, direction=direction)
        .select_related("skill")
        .order_by("-level", "skill__name")[:SKILLS_MAX]
    ]
    previous = _previous_application(person, programme, side)
    defaults = {
        "goals": "",  # the engine reads the profile's interests beside these words (matching.Features.text)
        "answers": {},
        "capacity": programme.default_capacity,
        "time_zone": person.time_zone if person.time_zone in TIME_ZONES else "UTC",
        "availability": [list(w) for w in WORKING_WEEK],
        "languages": [code for code in (normalise_code(c) for c in person.languages or []) if code][:LANGUAGES_MAX],
        "formats": ["video"],
        "seniority": 2,
        "site_preference": Application.SitePreference.ANY,
        "wants_more_senior": True,
        "preferences": "",
        "skills": skills,
    }
    if previous is not None:
        defaults.update(
            goals=previous.goals if previous.side == side else "",
            availability=previous.availability or defaults["availability"],
            formats=previous.formats or defaults["formats"],
            seniority=previous.seniority,
            site_preference=previous.site_preference,
            wants_more_senior=previous.wants_more_senior,
        )
        if previous.side == side == Application.Side.MENTOR:
            defaults["capacity"] = min(previous.capacity or programme.default_capacity, programme.max_capacity)
    return defaults


def clean_availability(windows) -> list[list[int]]:
    """Weekly windows ``[[weekday, start, end]]`` (Monday 0, minutes after midnight), sorted, none overlapping."""
    if not isinstance(windows, list | tuple):
        raise ValidationError("Availability is a list of [weekday, start minute, end minute].")
    if len(windows) > AVAILABILITY_MAX:
        raise ValidationError(f"Give at most {AVAILABILITY_MAX} windows a week.")
    out = []
    for n, window in enumerate(windows, start=1):
        if (
            not isinstance(window, list | tuple)
            or len(window) != 3
            or not all(isinstance(x, int) and not isinstance(x, bool) for x in window)
        ):
            raise ValidationError(f"Window {n} must be three whole numbers: weekday, start minute, end minute.")
        day, start, end = window
        if not 0 <= day <= 6:
            raise ValidationError(f"Window {n}: the weekday is 0 (Monday) to 6 (Sunday).")
        if not 0 <= start < end <= 24 * 60:
            raise ValidationError(f"Window {n}: it must start before it ends, within the day (0 to 1440 minutes).")
        out.append([day, start, end])
    out.sort()
    for before, after in zip(out, out[1:], strict=False):
        if before[0] == after[0] and after[1] < before[2]:
            raise ValidationError("Two windows on the same day overlap; join them into one.")
    return out


def clean_languages(codes) -> list[str]:
    if not isinstance(codes, list | tuple):
        raise ValidationError("Languages are a list of codes such as en or pt-BR.")
    out, bad = [], []
    for code in codes:
        normal = normalise_code(str(code)) if isinstance(code, str) else None
        if normal is None:
            bad.append(str(code))
        elif normal not in out:
            out.append(normal)
    if bad:
        raise ValidationError(f"Not a language code: {', '.join(bad)}. Use two-letter codes such as en, fr or pt-BR.")
    if not out:
        raise ValidationError("Name at least one language you can meet in.")
    if len(out) > LANGUAGES_MAX:
        raise ValidationError(f"Name at most {LANGUAGES_MAX} languages.")
    return out


def clean_formats(formats) -> list[str]:
    if not isinstance(formats, list | tuple):
        raise ValidationError("Formats are a list: video, in_person, chat.")
    bad = [str(f) for f in formats if f not in FORMAT_VALUES]
    if bad:
        raise ValidationError(f"Not a way of meeting: {', '.join(bad)}. Choose from {', '.join(FORMAT_VALUES)}.")
    out = [f for f in FORMAT_VALUES if f in formats]
    if not out:
        raise ValidationError("Choose at least one way of meeting.")
    return out


def clean_skills(skills) -> list[tuple[Skill, int]]:
    """``[(skill, level)]`` with a Skill or a skill's id, levels 1 to 4; every skill must exist, each once."""
    if not isinstance(skills, list | tuple):
        raise ValidationError("Skills are a list of (skill, level).")
    if len(skills) > SKILLS_MAX:
        raise ValidationError(f"Name at most {SKILLS_MAX} skills.")
    pairs = []
    for n, pair in enumerate(skills, start=1):
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise ValidationError(f"Skill {n} needs a skill and a level.")
        skill, level = pair
        if level not in SKILL_LEVELS or isinstance(level, bool):
            raise ValidationError(f"Skill {n}: the level is 1 (beginner) to 4 (expert).")
        pairs.append((skill, level))
    ids = [s for s, _ in pairs if not isinstance(s, Skill)]
    if any(not isinstance(i, int) or isinstance(i, bool) for i in ids):
        raise ValidationError("Name each skill by its id.")
    found = Skill.objects.in_bulk([i for i in ids if 0 < i < 2**63]) if ids else {}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise ValidationError(f"No skill has the id {', '.join(missing)}.")
    out, seen = [], set()
    for skill, level in pairs:
        skill = skill if isinstance(skill, Skill) else found[skill]
        if skill.pk in seen:
            raise ValidationError(f"{skill.name} is named twice.")
        seen.add(skill.pk)
        out.append((skill, level))
    return out


def questions_for(programme: Programme, side: str) -> list[dict]:
    return [q for q in programme.questions or [] if q.get("side", "both") in (side, "both")]


def clean_answers(programme: Programme, side: str, answers) -> dict[str, str]:
    if not isinstance(answers, dict):
        raise ValidationError("Answers map each question's key to your answer.")
    asked = {q["key"]: q for q in questions_for(programme, side)}
    unknown = sorted(str(k) for k in answers if k not in asked)
    if unknown:
        raise ValidationError(f"The programme asks no question with the key {', '.join(unknown)}.")
    out = {}
    for key, answer in answers.items():
        if not isinstance(answer, str):
            raise ValidationError(f"The answer to “{asked[key]['label']}” must be text.")
        answer = answer.strip()
        if len(answer) > ANSWER_MAX:
            raise ValidationError(f"The answer to “{asked[key]['label']}” is longer than {ANSWER_MAX} characters.")
        if answer:
            out[key] = answer
    return out


def clean_application_fields(programme: Programme, side: str, fields: dict) -> dict:
    """Check and normalise an application's fields; raises ValidationError keyed by field."""
    errors: dict[str, list[str]] = {}
    out = dict(fields)
    cleaners = {
        "availability": clean_availability,
        "languages": clean_languages,
        "formats": clean_formats,
        "skills": clean_skills,
        "answers": lambda v: clean_answers(programme, side, v),
    }
    for name, cleaner in cleaners.items():
        if name in out:
            try:
                out[name] = cleaner(out[name])
            except ValidationError as exc:
                errors[name] = exc.messages
    if "time_zone" in out and out["time_zone"] not in TIME_ZONES:
        errors["time_zone"] = [f"“{out['time_zone']}” is not a time zone; use a name such as Europe/Berlin."]
    for name, limit in (("goals", GOALS_MAX), ("preferences", PREFERENCES_MAX)):
        if name in out:
            out[name] = str(out[name] or "").strip()
            if len(out[name]) > limit:
                errors[name] = [f"This is longer than {limit} characters."]
    if "capacity" in out:
        if side == Application.Side.MENTOR:
            out["capacity"] = _whole(
                out["capacity"], "capacity", 1, programme.max_capacity, errors, "The number of mentees you take"
            )
        else:
            out["capacity"] = 1  # a mentee has one mentor per pair; the field means nothing on this side
    if "seniority" in out and (out["seniority"] not in SENIORITY_VALUES or isinstance(out["seniority"], bool)):
        errors["seniority"] = [f"Seniority is 1 to {len(SENIORITY_VALUES)}."]
    if "site_preference" in out and out["site_preference"] not in Application.SitePreference.values:
        errors["site_preference"] = [f"Choose one of {', '.join(Application.SitePreference.values)}."]
    if "wants_more_senior" in out and not isinstance(out["wants_more_senior"], bool):
        errors["wants_more_senior"] = ["Yes or no."]
    _problem(errors)
    return out


APPLICATION_FIELDS = (
    "goals", "answers", "capacity", "time_zone", "availability", "languages", "formats", "seniority",
    "site_preference", "wants_more_senior", "preferences",
)  # fmt: skip


def _check_open_for_applications(programme: Programme) -> None:
    if programme.item.deleted_at is not None:
        raise ValidationError("This programme was removed.")
    if not programme.always_open and programme.ends and programme.ends < timezone.localdate():
        raise ValidationError(f"The programme ended on {programme.ends:%-d %B %Y}.")


def curate_applications_url(programme: Programme) -> str:
    return reverse("mentoring:applications", args=[programme.pk])


def _set_skills(application: Application, skills: list[tuple[Skill, int]]) -> None:
    application.skills.all().delete()
    ApplicationSkill.objects.bulk_create(
        [ApplicationSkill(application=application, skill=skill, level=level) for skill, level in skills]
    )


@transaction.atomic
def apply(*, programme: Programme, person, side: str, **data) -> Application:
    """Apply to ``programme`` as a mentor or a mentee. What is not given is prefilled from the profile and the
    person's previous application (``application_defaults``); everything is checked before it is saved. A
    withdrawn application is opened again with the new answers."""
    unknown = set(data) - {*APPLICATION_FIELDS, "skills"}
    if unknown:
        raise TypeError(f"apply() got unexpected fields: {', '.join(sorted(unknown))}")
    if side not in Application.Side.values:
        raise ValidationError({"side": ["Apply as a mentor or as a mentee."]})
    if not access.may_apply(person, programme, side):
        raise PermissionDenied(f"You may not join this programme as a {side}.")
    _check_open_for_applications(programme)
    fields = {**application_defaults(programme=programme, person=person, side=side), **data}
    fields = clean_application_fields(programme, side, fields)
    skills = fields.pop("skills")
    existing = Application.objects.select_for_update().filter(programme=programme, person=person, side=side).first()
    now = timezone.now()
    if existing is not None and existing.state == Application.State.OPEN:
        raise ValidationError(f"You have already applied as a {side}; change your application instead.")
    if existing is not None:
        application = existing
        for name, value in fields.items():
            setattr(application, name, value)
        application.state = Application.State.OPEN
        application.updated = now
        application.save()
    else:
        application = Application.objects.create(
            programme=programme, person=person, side=side, created=now, updated=now, **fields
        )
    _set_skills(application, skills)
    owner_id = programme.item.owner_id
    tell_owner = not programme.always_open and owner_id != person.pk
    record_activity(
        actor=person,
        verb=Activity.Verb.APPLIED,
        item=programme.item,
        target=programme.item.owner if tell_owner else None,
        extra={
            "url": curate_applications_url(programme),
            "about": f"{person.name} applied as a {side}",
            "application": application.pk,
        },
    )
    return application


@transaction.atomic
def update_application(*, actor, application: Application, **changes) -> Application:
    """Change one's own open application; what is not given stays."""
    unknown = set(changes) - {*APPLICATION_FIELDS, "skills"}
    if unknown:
        raise TypeError(f"update_application() got unexpected fields: {', '.join(sorted(unknown))}")
    if actor.pk != application.person_id:
        raise PermissionDenied("Only the applicant changes an application.")
    application = Application.objects.select_for_update().select_related("programme__item").get(pk=application.pk)
    if application.state != Application.State.OPEN:
        raise ValidationError("This application was withdrawn; apply again to open it.")
    programme = application.programme
    fields = clean_application_fields(programme, application.side, changes)
    if application.side == Application.Side.MENTOR and "capacity" in fields:
        mentoring_now = Match.objects.filter(
            programme=programme, mentor_id=application.person_id, state=Match.State.ACTIVE
        ).count()
        if fields["capacity"] < mentoring_now:
            raise ValidationError(
                {"capacity": [f"You mentor {mentoring_now} people in this programme now; take at least that many."]}
            )
    skills = fields.pop("skills", None)
    for name, value in fields.items():
        setattr(application, name, value)
    application.updated = timezone.now()
    application.save()
    if skills is not None:
        _set_skills(application, skills)
    return application


def _decline(match: Match, *, by, note: str, url: str, about: str) -> Match:
    now = timezone.now()
    match.state = Match.State.DECLINED
    match.declined_by = by
    match.response_note = note
    match.responded_at = now
    match.save(update_fields=["state", "declined_by", "response_note", "responded_at"])
    record_activity(
        actor=by,
        verb=Activity.Verb.MATCH_DECLINED,
        item=match.programme.item,
        target=match.other(by),
        extra={"url": url, "about": about, "match": match.pk},
    )
    return match


@transaction.atomic
def withdraw(*, actor, application: Application) -> Application:
    """Withdraw one's own application: no new suggestions, requests or runs include it, and requests still
    waiting are called off (each other person is told). Pairs already running go on."""
    if actor.pk != application.person_id:
        raise PermissionDenied("Only the applicant withdraws an application.")
    application = Application.objects.select_for_update().select_related("programme__item").get(pk=application.pk)
    if application.state == Application.State.WITHDRAWN:
        return application
    application.state = Application.State.WITHDRAWN
    application.updated = timezone.now()
    application.save(update_fields=["state", "updated"])
    side = {"mentor": actor} if application.side == Application.Side.MENTOR else {"mentee": actor}
    waiting = Match.objects.filter(programme=application.programme, state=Match.State.REQUESTED, **side)
    for match in waiting.select_related("mentor", "mentee", "programme__item"):
        _decline(
            match,
            by=actor,
            note="Withdrew from the programme.",
            url=reverse("mentoring:index"),
            about=f"{actor.name} withdrew from {application.programme.item.title}",
        )
    return application


# --- self-service: requests and answers ----------------------------------------------------------------------------


def explain(mentee_application: Application, mentor_application: Application):
    """The engine's score and explanation for this pair; ValidationError saying why when a hard constraint
    fails (no shared language, no room left...)."""
    from mentoring import matching

    found = matching.explain_pair(mentee_application, mentor_application, allow_excluded=True)
    if found is None:
        raise ValidationError("One of the two applications is no longer open.")
    if found.reasons_excluded:
        words = "; ".join(found.reasons_excluded)
        raise ValidationError(f"{mentor_application.person.name} cannot be your mentor here: {words}.")
    return found


def live_count(programme: Programme, mentor_id: int) -> int:
    return Match.objects.filter(programme=programme, mentor_id=mentor_id, state=Match.State.ACTIVE).count()


@transaction.atomic
def request_mentor(*, mentee_application: Application, mentor_application: Application, note: str = "", by) -> Match:
    """A mentee asks a mentor of the same programme, with a note; the mentor is told and accepts or declines."""
    if by.pk != mentee_application.person_id:
        raise PermissionDenied("Only the mentee asks for a mentor.")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": [f"The note is longer than {NOTE_MAX} characters."]})
    mentor_application = (
        Application.objects.select_for_update()
        .select_related("person", "programme__item")
        .filter(pk=mentor_application.pk)
        .first()
    )
    mentee_application = Application.objects.select_related("person", "programme__item").get(pk=mentee_application.pk)
    programme = mentee_application.programme
    if mentee_application.side != Application.Side.MENTEE or mentee_application.state != Application.State.OPEN:
        raise ValidationError("Ask for a mentor from your open application as a mentee.")
    if (
        mentor_application is None
        or mentor_application.programme_id != programme.pk
        or mentor_application.side != Application.Side.MENTOR
        or mentor_application.state != Application.State.OPEN
    ):
        raise ValidationError("That person is not an open mentor of this programme.")
    if mentor_application.person_id == by.pk:
        raise ValidationError("You cannot be your own mentor.")
    if programme.mode == Programme.Mode.BULK:
        raise ValidationError("In this programme a curator matches everyone at once; you cannot ask a mentor yourself.")
    _check_open_for_applications(programme)
    mentor = mentor_application.person
    mine = Match.objects.filter(programme=programme, mentee=by)
    if mine.filter(mentor=mentor, state=Match.State.REQUESTED).exists():
        raise ValidationError(f"You have already asked {mentor.name}; wait for their answer.")
    if mine.filter(mentor=mentor, state=Match.State.ACTIVE).exists():
        raise ValidationError(f"{mentor.name} is already your mentor.")
    if not programme.always_open and mine.filter(state=Match.State.ACTIVE).exists():
        raise ValidationError("You already have a mentor in this programme.")
    if mine.filter(state=Match.State.REQUESTED).count() >= PENDING_REQUESTS_MAX:
        raise ValidationError(
            f"You have {PENDING_REQUESTS_MAX} requests waiting for an answer; wait for one, or call one off."
        )
    if live_count(programme, mentor.pk) >= mentor_application.capacity:
        raise ValidationError(f"{mentor.name} has no room for another mentee just now.")
    suggestion = explain(mentee_application, mentor_application)
    try:
        with transaction.atomic():
            match = Match.objects.create(
                programme=programme,
                mentor=mentor,
                mentee=by,
                state=Match.State.REQUESTED,
                origin=Match.Origin.REQUEST,
                score=suggestion.score,
                explanation=suggestion.as_json(),
                request_note=note,
            )
    except IntegrityError:  # the same request made twice at once (match_one_live_pair)
        raise ValidationError(f"You have already asked {mentor.name}; wait for their answer.") from None
    record_activity(
        actor=by,
        verb=Activity.Verb.MENTOR_REQUESTED,
        item=programme.item,
        target=mentor,
        extra={
            "url": reverse("mentoring:requests"),
            "about": f"{by.name} asks you to be their mentor",
            "match": match.pk,
        },
    )
    return match


def _locked(match: Match) -> Match:
    return Match.objects.select_for_update().select_related("programme__item", "mentor", "mentee").get(pk=match.pk)


@transaction.atomic
def respond(*, match: Match, by, accept: bool, note: str = "") -> Match:
    """The mentor answers a request: accepting starts the pair (``pairs.start_pair``), declining ends the
    request; the mentee is told either way, with the note."""
    if by.pk != match.mentor_id:
        raise PermissionDenied("Only the mentor asked answers a request.")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": [f"The note is longer than {NOTE_MAX} characters."]})
    match = _locked(match)
    if match.state != Match.State.REQUESTED:
        raise ValidationError("This request has already been answered or called off.")
    programme = match.programme
    if not accept:
        return _decline(
            match,
            by=by,
            note=note,
            url=reverse("mentoring:index"),
            about=f"{by.name} cannot be your mentor",
        )
    mentor_application = (
        Application.objects.select_for_update()
        .filter(programme=programme, person=by, side=Application.Side.MENTOR, state=Application.State.OPEN)
        .first()
    )
    if mentor_application is None:
        raise ValidationError("You withdrew from this programme as a mentor; apply again to accept.")
    if live_count(programme, by.pk) >= mentor_application.capacity:
        raise ValidationError(
            f"You already mentor {mentor_application.capacity} people here, as many as you said you would take. "
            "Take more in your application first, or decline."
        )
    match.response_note = note
    match.save(update_fields=["response_note"])
    from mentoring.pairs import start_pair

    start_pair(match)
    record_activity(
        actor=by,
        verb=Activity.Verb.MATCH_ACCEPTED,
        item=programme.item,
        target=match.mentee,
        extra={"url": match.get_absolute_url(), "about": f"{by.name} will be your mentor", "match": match.pk},
    )
    return match


@transaction.atomic
def decline_match(*, match: Match, by, note: str = "") -> Match:
    """Either person steps out of a pair before it has begun: a mentee calls off a request, or either side of
    a new pair (published by a curator, or accepted) declines it. Once the pair has met or signed its
    agreement, it is closed from the pair's page instead."""
    if not match.has_person(by):
        raise PermissionDenied("Only the two people of a pair can decline it.")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": [f"The note is longer than {NOTE_MAX} characters."]})
    match = _locked(match)
    if match.state == Match.State.REQUESTED:
        if by.pk == match.mentor_id:
            return respond(match=match, by=by, accept=False, note=note)
        return _decline(
            match, by=by, note=note, url=reverse("mentoring:requests"), about=f"{by.name} called off their request"
        )
    if match.state != Match.State.ACTIVE:
        raise ValidationError("Only a request or a pair that has not begun can be declined.")
    agreement = getattr(match, "agreement", None)
    if agreement is not None and agreement.signed:
        raise ValidationError("You have both signed the agreement; close the pair from its page instead.")
    if Meeting.objects.filter(match=match, state=Meeting.State.HELD).exists():
        raise ValidationError("You have already met; close the pair from its page instead.")
    return _decline(match, by=by, note=note, url=reverse("mentoring:index"), about=f"{by.name} declined your pairing")
