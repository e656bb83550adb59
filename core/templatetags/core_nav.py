"""The top bar's links, built in Python: every page prints them, and seventeen ``{% url %}`` tags (each a walk of
the resolver) were about half of the site frame's time. The markup is what base.html wrote with them."""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString

from lib.urls import reverse_plain

register = template.Library()


def _in(namespace: str, *, boards: bool | None = None, url_name: str = ""):
    """Whether the page being shown belongs to a section of the top bar (links and boards share a namespace)."""

    def current(match) -> bool:
        if url_name:
            return match.url_name == url_name and not match.namespace
        if match.namespace != namespace:
            return False
        return boards is None or ((match.url_name or "")[:5] == "board") == boards

    return current


# (label, URL name, when it is the current section)
SECTIONS = (
    ("Browse", "browse", _in("", url_name="browse")),
    ("People", "people:directory", _in("people")),
    ("Spaces", "spaces:list", _in("spaces")),
    ("Wiki", "wiki:index", _in("wiki")),
    ("Links", "links:list", _in("links", boards=False)),
    ("Courses", "catalog:browse", _in("catalog")),
    ("Boards", "links:boards", _in("links", boards=True)),
    ("Portfolios", "portfolios:list", _in("portfolios")),
    ("Mentoring", "mentoring:index", _in("mentoring")),
)

MENU = (
    ("Edit profile", "people:edit"),
    ("Notification settings", "settings:notifications"),
    ("API tokens", "settings:tokens"),
)
# What curators (and administrators) look after, each reached from anywhere through the menu.
CURATOR_MENU = (
    ("Course curation", "catalog:curate"),
    ("Mentoring programmes", "mentoring:curate"),
    ("Reported reviews", "reviews:moderation"),
)
ADMIN_MENU = (("Site settings", "settings:site"), ("Back office", "admin:index"))


@register.simple_tag(takes_context=True)
def main_nav(context) -> SafeString:
    """The sections of the site, the current one marked for assistive technology."""
    match = getattr(context.get("request"), "resolver_match", None)
    links = []
    for label, name, current in SECTIONS:
        mark = ' aria-current="page"' if match is not None and current(match) else ""
        links.append(f'<li><a href="{escape(reverse_plain(name))}"{mark}>{label}</a></li>')
    return SafeString('<ul class="nav-links">\n' + "\n".join(links) + "\n</ul>")


@register.simple_tag
def menu_links(user) -> SafeString:
    """The signed-in person's menu: their profile and settings, what curators look after, the site's for admins."""
    entries = [("My profile", user.get_absolute_url())]
    entries += [(label, reverse_plain(name)) for label, name in MENU]
    if getattr(user, "is_curator", False):
        entries += [(label, reverse_plain(name)) for label, name in CURATOR_MENU]
    if getattr(user, "is_site_admin", False):
        entries += [(label, reverse_plain(name)) for label, name in ADMIN_MENU]
    return SafeString("".join(f'<li><a href="{escape(url)}">{label}</a></li>' for label, url in entries))


@register.simple_tag
def href(name: str) -> str:
    """``{% url name %}`` for a URL without arguments, reversed once per script prefix (lib.urls)."""
    return reverse_plain(name)
