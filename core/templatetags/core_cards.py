"""Item cards and icons built in Python: lists render dozens per page, and an ``{% include %}`` chain per card
(card → kind icon → icon) cost most of a page's time. The markup is the same as the old partials'. Also the filters
that put stored codes in people's words: time zones, languages, durations."""

from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import template
from django.core.exceptions import ObjectDoesNotExist
from django.template.defaultfilters import date as date_filter
from django.template.loader import get_template
from django.utils.html import format_html, format_html_join
from django.utils.timezone import template_localtime

from core.kinds import thumbnail_url
from lib.urls import reverse_one, reverse_plain

register = template.Library()


@lru_cache(maxsize=64)
def _icon(name: str, size: str) -> str:
    # icon.html stays the one place the SVG paths live; it only depends on name and size.
    return get_template("core/partials/icon.html").render({"name": name, "size": size})


@register.simple_tag
def icon(name, size="20"):
    """The inline SVG icon ``name`` (see core/partials/icon.html)."""
    return _icon(str(name or ""), str(size or "20"))


def _file(item):
    try:
        return item.file
    except ObjectDoesNotExist:
        return None


@register.simple_tag
def kind_icon(item, size="40"):
    """The icon for an item's kind (a file's family), as core/partials/kind_icon.html drew it."""
    if item.kind == "file":
        file = _file(item)
        name = file.family if file is not None else ""
    else:
        name = "document"
    # The trailing newline is the one the kind_icon.html partial rendered.
    return format_html("{}\n", _icon(name, str(size or "40")))


@register.simple_tag
def item_card(item):
    """One item card for grids (browse, home, profile, space)."""
    file = _file(item) if item.kind == "file" else None
    picture = thumbnail_url(item)
    if file is not None and file.thumbnail:
        thumb = format_html('<img src="{}" alt="" loading="lazy">', reverse_one("files:thumbnail", item.pk))
    elif picture:
        thumb = format_html('<img src="{}" alt="" loading="lazy">', picture)
    else:
        thumb = kind_icon(item)
    pill = file.get_family_display() if file is not None else ("" if item.kind == "file" else item.get_kind_display())
    space = item.space
    space_html = format_html("<span>{}</span>", space.name) if space is not None else ""
    created = template_localtime(item.created)
    tags = item.tags.all()
    if tags:
        browse = reverse_plain("browse")
        tags_html = format_html(
            '<p class="row">{}</p>',
            format_html_join("", '<a class="tag" href="{}?tag={}">#{}</a>', ((browse, t.slug, t.name) for t in tags)),
        )
    else:
        tags_html = ""
    return format_html(
        '<article class="card item-card">\n'
        '  <a class="card-link" href="{}">\n'
        '    <div class="thumb" aria-hidden="true">{}</div>\n'
        '    <span class="pill">{}</span>\n'
        '    <h3 class="card-title">{}</h3>\n'
        "  </a>\n"
        '  <p class="meta"><span>{}</span>{}<time datetime="{}">{}</time></p>\n'
        "  {}\n"
        "</article>\n",
        reverse_one("core:item", item.pk),
        thumb,
        pill,
        item.title,
        item.owner.name,
        space_html,
        date_filter(created, "c"),
        date_filter(created, "j M Y"),
        tags_html,
    )


@register.filter
def zone(name) -> str:
    """A time zone as people read it: its place and its offset from UTC today, "New York (UTC−05:00)"."""
    offset = zone_offset(name)
    if not offset or offset == "UTC":
        return offset or str(name or "")
    return f"{zone_place(name)} ({offset})"


@register.filter
def zone_offset(name) -> str:
    """A time zone's offset from UTC today, "UTC−05:00" ("UTC" for UTC itself; "" for no zone)."""
    try:
        offset = datetime.now(ZoneInfo(str(name or ""))).utcoffset()
    except (ZoneInfoNotFoundError, ValueError):
        return ""
    if str(name) in ("UTC", "Etc/UTC", "GMT"):
        return "UTC"
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


@register.filter
def zone_place(name) -> str:
    """A time zone's place, "America/New_York" → "New York"."""
    return str(name or "").rsplit("/", 1)[-1].replace("_", " ")


@register.filter
def language(code) -> str:
    """A language code as its name, "pt-BR" → "Portuguese (BR)" (people.languages)."""
    from people.languages import language_name

    return language_name(str(code or "")) if code else ""


@register.filter
def duration(minutes) -> str:
    """Minutes as people say them: "45 min", "1 h 30 min", "25 h"."""
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        return ""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"
