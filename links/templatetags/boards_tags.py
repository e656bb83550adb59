"""Boards on other apps' pages (a skill's recommended reading, the home page's lists for one's role) and the
small icons the board pages draw."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# Inline SVG paths, so nothing depends on an emoji font (the same drawing style as core/partials/icon.html).
_PATHS = {
    "link": '<path d="M10 13a5 5 0 0 0 7.5.5l3-3a5 5 0 0 0-7-7l-1.7 1.7"/>'
    '<path d="M14 11a5 5 0 0 0-7.5-.5l-3 3a5 5 0 0 0 7 7l1.7-1.7"/>',
    "page": '<path d="M4 19.5A2.5 2.5 0 0 1 6.5 17H20"/>'
    '<path d="M6.5 2H20v20H6.5A2.5 2.5 0 0 1 4 19.5v-15A2.5 2.5 0 0 1 6.5 2z"/>'
    '<path d="M9 7h7M9 11h5"/>',
    "board": '<rect x="3" y="3" width="7" height="9" rx="1"/><rect x="14" y="3" width="7" height="5" rx="1"/>'
    '<rect x="14" y="12" width="7" height="9" rx="1"/><rect x="3" y="16" width="7" height="5" rx="1"/>',
    "file": '<path d="M14 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8z"/><path d="M14 2v6h6"/>',
    "check": '<path d="M20 6 9 17l-5-5"/>',
    "star": '<path d="m12 2 3.1 6.3 6.9 1-5 4.9 1.2 6.8L12 17.8 5.8 21l1.2-6.8-5-4.9 6.9-1z"/>',
    "grip": '<circle cx="9" cy="6" r="1"/><circle cx="15" cy="6" r="1"/><circle cx="9" cy="12" r="1"/>'
    '<circle cx="15" cy="12" r="1"/><circle cx="9" cy="18" r="1"/><circle cx="15" cy="18" r="1"/>',
    "list": '<path d="M8 6h13M8 12h13M8 18h13M3 6h.01M3 12h.01M3 18h.01"/>',
    "up": '<path d="m18 15-6-6-6 6"/>',
    "down": '<path d="m6 9 6 6 6-6"/>',
    "x": '<path d="M18 6 6 18M6 6l12 12"/>',
    "note": '<path d="M12 20h9"/><path d="M16.5 3.5a2.1 2.1 0 0 1 3 3L7 19l-4 1 1-4z"/>',
    "lock": '<rect x="4" y="11" width="16" height="10" rx="2"/><path d="M8 11V7a4 4 0 0 1 8 0v4"/>',
}


@register.simple_tag
def board_icon(name, size="20"):
    """An inline SVG icon: an item kind (link, page, file, board) or one of the board pages' tools."""
    paths = _PATHS.get(str(name), _PATHS["file"])
    return format_html(
        '<svg class="icon icon-{}" aria-hidden="true" focusable="false" viewBox="0 0 24 24" width="{}" height="{}" '
        'fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">{}</svg>',
        name,
        size,
        size,
        mark_safe(paths),  # noqa: S308 - constant markup from _PATHS above
    )


@register.inclusion_tag("links/partials/board_recommended.html", takes_context=True)
def recommended_reading(context, skill=None, heading="Recommended reading"):
    """Official reading lists for ``skill`` (a skill page), or without one those for the person's job title and
    the skills they want to learn (the home page). Renders nothing when there are none."""
    from links.boards import recommended_boards

    request = context.get("request")
    user = getattr(request, "user", None)
    boards = recommended_boards(user, skill=skill) if user is not None else []
    return {"boards": boards, "heading": heading, "skill": skill, "user": user}
