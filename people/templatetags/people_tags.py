from django import template
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString

from lib.urls import reverse_one
from people.models import PersonSkill

register = template.Library()


@register.filter
def level_label(value) -> str:
    """'Expert' for 4: the name of a skill level held as a bare number (as in annotations)."""
    try:
        return PersonSkill.Level(int(value)).label
    except (TypeError, ValueError):
        return ""


# Avatars, person cards and skill chips are built in Python: the directory renders 24 cards with up to
# five chips each, and an {% include %} per card and chip cost most of the page. Same markup as the partials.


@register.simple_tag
def avatar(person, size="sm"):
    """A person's photo thumbnail, or their initials (people/partials/avatar.html)."""
    size = size or "sm"
    if person.photo_thumb:
        return format_html(
            '<img class="avatar avatar-{}" src="{}" alt="">\n', size, reverse_one("people:photo", person.username)
        )
    return format_html('<span class="avatar avatar-{}" aria-hidden="true">{}</span>\n', size, person.initials)


_DIRECTIONS = dict(PersonSkill.Direction.choices)
_LEVELS = dict(PersonSkill.Level.choices)
_MARKS = {
    PersonSkill.Direction.TEACHES: '<span aria-hidden="true">★ </span>',
    PersonSkill.Direction.WANTS: '<span aria-hidden="true">+ </span>',
}


def skill_chip_html(ps) -> SafeString:
    # Plain string building: format_html and get_FOO_display() per chip were most of a directory page.
    direction = escape(_DIRECTIONS.get(ps.direction, ps.direction))
    level = escape(_LEVELS.get(ps.level, ps.level))
    skill = ps.skill
    return SafeString(
        f'<a class="chip chip-{escape(ps.direction)}" href="{escape(reverse_one("people:skill", skill.slug))}"'
        f' title="{direction} · {level}">{_MARKS.get(ps.direction, "")}{escape(skill.name)}'
        f'<span class="visually-hidden"> ({direction.lower()}, {level.lower()})</span></a>\n'
    )


@register.simple_tag
def skill_chip(ps):
    """One of a person's skills as a chip (people/partials/skill_chip.html)."""
    return skill_chip_html(ps)


CARD_CHIPS = 5


_CHIP_ORDER = {PersonSkill.Direction.TEACHES: 0, PersonSkill.Direction.HAS: 1}


def one_chip_per_skill(person_skills) -> list:
    """A skill someone both has and teaches (or wants) is one chip, the strongest: teaches, then has, then wants."""
    best = {}
    for ps in person_skills:
        kept = best.get(ps.skill_id)
        if kept is None or _CHIP_ORDER.get(ps.direction, 2) < _CHIP_ORDER.get(kept.direction, 2):
            best[ps.skill_id] = ps
    return [ps for ps in person_skills if best[ps.skill_id] is ps]


@register.simple_tag
def person_card(person, expert_search=False, skill=None):
    """A directory card: avatar, name, role line, the teaching level when searching experts, a few skill chips."""
    site = person.site
    if site:
        place = format_html("<span>{}</span>", site.name)
    elif person.location:
        place = format_html("<span>{}</span>", person.location)
    else:
        place = ""
    level = ""
    if expert_search and getattr(person, "match_level", None):
        level = format_html(
            '<p class="small"><span class="level-badge">{}</span> <span class="muted">can teach {}</span></p>',
            level_label(person.match_level),
            skill.name if skill is not None else "",
        )
    skills = one_chip_per_skill(person.skills.all())
    chips = ""
    if skills:
        more = len(skills) - CARD_CHIPS
        chips = format_html(
            '<p class="chips">{}{}</p>',
            format_html_join("", "{}", ((skill_chip_html(ps),) for ps in skills[:CARD_CHIPS])),
            format_html('<span class="muted small">+{}</span>', more) if more > 0 else "",
        )
    return format_html(
        '<article class="card person-card">\n'
        "  {}\n"
        '  <div class="person-card-body">\n'
        '    <h3 class="card-title"><a href="{}">{}</a></h3>\n'
        '    <p class="meta">\n'
        "      {}\n"
        "      {}\n"
        "      {}\n"
        "    </p>\n"
        "    {}\n"
        "    {}\n"
        "  </div>\n"
        "</article>\n",
        avatar(person, "md"),
        reverse_one("people:profile", person.username),
        person.name,
        format_html("<span>{}</span>", person.job_title) if person.job_title else "",
        format_html("<span>{}</span>", person.department) if person.department else "",
        place,
        level,
        chips,
    )
