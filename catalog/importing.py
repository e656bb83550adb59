"""Importing the catalogue from CSV: a plan with a row-by-row report first, then all of it or nothing.

A row whose ``code`` names a course already in the catalogue updates that course; any other row adds
one. ``skills`` and ``tags`` hold several names separated by semicolons; skills must already be in the
skills taxonomy (by name or slug).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify

from catalog import services
from catalog.models import Course
from core.models import Visibility

MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024
COLUMNS = (
    "code",
    "title",
    "summary",
    "provider",
    "format",
    "duration_minutes",
    "level",
    "language",
    "skills",
    "cost",
    "currency",
    "prerequisites",
    "launch_url",
    "tags",
    "visibility",
)
REQUIRED = ("title", "format")
# Other spellings curators' spreadsheets use for the same column.
_ALIASES = {"duration": "duration_minutes", "description": "summary", "url": "launch_url", "skill": "skills"}


class CsvError(ValueError):
    """The file as a whole cannot be read as the catalogue's CSV."""


def _header(name: str) -> str:
    key = "_".join(name.strip().lower().replace("-", " ").split())
    return _ALIASES.get(key, key)


def parse_csv(data: bytes | str) -> list[tuple[int, dict[str, str]]]:
    """The rows of a catalogue CSV as (line number, {column: text}); raises CsvError naming what is wrong."""
    if isinstance(data, bytes):
        if len(data) > MAX_BYTES:
            raise CsvError(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")  # Excel on Windows saves CSV in its code page
    else:
        text = data.removeprefix("\ufeff")
    if "\x00" in text:
        raise CsvError("This is not a text file.")
    first = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first.count)  # Excel in many locales writes semicolons
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    try:
        header = next(reader, None)
        if not header or not any(cell.strip() for cell in header):
            raise CsvError("The file is empty: its first line should name the columns.")
        names = [_header(cell) for cell in header]
        unknown = [h for h, n in zip(header, names, strict=True) if n and n not in COLUMNS]
        if unknown:
            raise CsvError(
                f"Unknown column{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}. "
                f"The columns are: {', '.join(COLUMNS)}."
            )
        missing = [name for name in REQUIRED if name not in names]
        if missing:
            raise CsvError(f"The column{'s' if len(missing) > 1 else ''} {', '.join(missing)} must be present.")
        duplicated = sorted({n for n in names if n and names.count(n) > 1})
        if duplicated:
            raise CsvError(f"The column {', '.join(duplicated)} appears more than once.")
        rows = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise CsvError(f"The file has more than {MAX_ROWS} courses; split it.")
            if len(cells) > len(names):
                extra = cells[len(names) :]
                if any(cell.strip() for cell in extra):
                    rows.append((reader.line_num, {"__error__": f"it has {len(cells)} cells for {len(names)} columns"}))
                    continue
            row = {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(names) if name}
            rows.append((reader.line_num, row))
    except csv.Error as exc:
        raise CsvError(f"Line {reader.line_num} cannot be read as CSV: {exc}.") from None
    return rows


@dataclass
class RowPlan:
    line: int
    action: str  # "add" or "update"
    fields: dict
    course_id: int | None = None


@dataclass
class CoursesPlan:
    rows: list[RowPlan] = field(default_factory=list)
    errors: list[tuple[int, list[str]]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.problems and bool(self.rows)

    def report(self) -> list[str]:
        """Every problem, one line each, the file's own first."""
        return self.problems + [f"Line {line}: {message}" for line, messages in self.errors for message in messages]


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def _choice(value: str, choices, column: str, errors: list[str]) -> str:
    wanted = value.strip().lower()
    for choice_value, label in choices:
        if wanted in (choice_value, label.lower(), slugify(label).replace("-", "")):
            return choice_value
    errors.append(f"“{value}” is not a {column}; choose one of: {', '.join(v for v, _ in choices)}.")
    return value


def plan_courses_import(data: bytes | str, *, actor) -> CoursesPlan:
    """What importing this CSV would add and change, with every bad row reported; writes nothing."""
    from people.models import Skill

    plan = CoursesPlan()
    if not getattr(actor, "is_curator", False):
        plan.problems.append("Only curators can import courses.")
        return plan
    try:
        rows = parse_csv(data)
    except CsvError as exc:
        plan.problems.append(str(exc))
        return plan
    if not rows:
        plan.problems.append("The file names its columns but holds no courses.")
        return plan
    wanted_skills = {s.lower() for _, row in rows for s in _split(row.get("skills", ""))}
    known = {}
    if wanted_skills:
        for skill in Skill.objects.all().only("pk", "name", "slug").iterator():
            for key in (skill.name.lower(), skill.slug):
                if key in wanted_skills:
                    known.setdefault(key, skill)
    codes = [row.get("code", "") for _, row in rows if row.get("code")]
    existing = dict(Course.objects.filter(code__in=codes).values_list("code", "pk"))
    seen_codes: dict[str, int] = {}
    for line, row in rows:
        errors: list[str] = []
        if "__error__" in row:
            plan.errors.append((line, [row["__error__"][:1].upper() + row["__error__"][1:] + "."]))
            continue
        fields = {
            "title": row.get("title", ""),
            "code": row.get("code", ""),
            "summary": row.get("summary", ""),
            "provider": row.get("provider", "")[:200],
            "prerequisites": row.get("prerequisites", ""),
            "language": row.get("language") or "en",
            "cost": row.get("cost") or "0",
            "currency": row.get("currency", ""),
            "launch_url": row.get("launch_url", ""),
            "duration_minutes": row.get("duration_minutes") or None,
            "format": _choice(row.get("format", ""), Course.Format.choices, "format", errors),
            "level": _choice(row.get("level") or "all", Course.Level.choices, "level", errors),
            "visibility": _choice(
                row.get("visibility") or Visibility.ORGANISATION, Visibility.choices, "visibility", errors
            ),
        }
        if fields["visibility"] in (Visibility.SPACE, Visibility.PEOPLE, Visibility.PRIVATE):
            errors.append("Imported courses are for the whole organisation or the public web; choose one of those.")
        skills = []
        for name in _split(row.get("skills", "")):
            skill = known.get(name.lower())
            if skill is None:
                errors.append(f"The skill “{name}” is not in the skills taxonomy.")
            else:
                skills.append(skill)
        code = fields["code"]
        if code:
            if code in seen_codes:
                errors.append(f"The code “{code}” is also on line {seen_codes[code]}.")
            seen_codes.setdefault(code, line)
        try:
            cleaned = services.clean_course_fields(
                {
                    k: fields[k]
                    for k in ("title", "code", "language", "cost", "currency", "launch_url", "duration_minutes")
                }
            )
        except ValidationError as exc:
            errors.extend(exc.messages)
        else:
            fields.update(cleaned)
        if errors:
            plan.errors.append((line, errors))
            continue
        fields["skills"] = skills
        fields["tags"] = _split(row.get("tags", ""))
        course_id = existing.get(code) if code else None
        plan.rows.append(
            RowPlan(line=line, action="update" if course_id else "add", fields=fields, course_id=course_id)
        )
    return plan


def apply_courses_import(plan: CoursesPlan, *, actor) -> list[Course]:
    """Write a clean plan in one transaction: every row, or none of them."""
    if not plan.ok:
        raise ValidationError(plan.report() or ["There is nothing to import."])
    if not getattr(actor, "is_curator", False):
        raise PermissionDenied("Only curators can import courses.")
    courses = []
    with transaction.atomic():
        for row in plan.rows:
            fields = dict(row.fields)
            if row.course_id is None:
                courses.append(services.create_course(actor=actor, **fields))
            else:
                course = Course.objects.select_related("item").get(pk=row.course_id)
                courses.append(services.update_course(actor=actor, course=course, **fields))
    return courses
