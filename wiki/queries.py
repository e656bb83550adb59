"""Reads for the wiki: addresses, page trees, history, backlinks, attribution, and rendering with its cache.

Rendered HTML is cached per revision (a revision never changes) under a key holding
``wiki.markdown.RENDER_VERSION``, the revision's pk and its wiki's *titles generation*. The generation
counts changes that can turn a ``[[link]]`` red or blue or move its address: a page created, renamed,
moved to another address, deleted or restored. It is bumped from model signals (connected at the
bottom of this module), so pages written through the API, an import or the shell count as much as
pages written in the browser. A page linking into other wikis (``[[space:Title]]``) stores those
wikis' generations beside its HTML and is rendered again when one of them moved on.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import quote, urlencode

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max, Q
from django.db.models.functions import Lower
from django.db.models.signals import post_save, pre_save
from django.urls import get_script_prefix, get_urlconf, reverse

from core.access import item_filter_via
from core.models import Item, ItemKind
from wiki import diffing, markdown
from wiki.models import Page, PageLink, Revision

SEARCH_TEXT_CHARS = 20_000
RENDER_CACHE_SECONDS = 7 * 24 * 3600
# Past this many pages a sidebar shows the path to the current page (and its neighbours), not everything.
TREE_FULL_MAX = 400


def search_text(item: Item) -> str:
    """What search knows of a page beyond its title: the start of its current text."""
    try:
        page = item.page
    except Page.DoesNotExist:
        return ""
    text = Revision.objects.filter(pk=page.current_id).values_list("text", flat=True).first() or ""
    return text[:SEARCH_TEXT_CHARS]


# ------------------------------------------------------------------------------------------- addresses


def _quoted(slug: str) -> str:
    return quote(slug, safe="")


@lru_cache(maxsize=512)
def _wiki_prefix(name: str, owner: str, script_prefix: str, urlconf) -> str:
    # A tree of two thousand pages would otherwise walk the URL resolver two thousand times.
    return reverse(name, urlconf=urlconf, args=[owner, "-"])[:-2]


def page_url(*, slug: str, space_slug: str | None = None, username: str | None = None) -> str:
    """A page's address in its wiki: /wiki/s/<space>/<slug>/ or /wiki/~<person>/<slug>/."""
    if space_slug is not None:
        prefix = _wiki_prefix("wiki:page", space_slug, get_script_prefix(), get_urlconf())
    else:
        prefix = _wiki_prefix("wiki:personal-page", username, get_script_prefix(), get_urlconf())
    return prefix + _quoted(slug) + "/"


def url_of(page: Page) -> str:
    """``page_url`` for a Page with its space (or area owner) loaded."""
    if page.space_id is not None:
        return page_url(slug=page.slug, space_slug=page.space.slug)
    return page_url(slug=page.slug, username=page.area_owner.username)


def wiki_home_url(page: Page) -> str:
    if page.space_id is not None:
        return reverse("wiki:space", args=[page.space.slug])
    return reverse("wiki:personal", args=[page.area_owner.username])


def missing_page_url(*, space_slug: str | None, title: str) -> str:
    """Where a red link goes: the new-page form, offering to create the page."""
    params = {"space": space_slug, "title": title} if space_slug else {"title": title}
    return reverse("wiki:new") + "?" + urlencode(params)


# ---------------------------------------------------------------------------------- titles generation


def wiki_key(*, space_id: int | None, area_owner_id: int | None) -> str:
    return f"s{space_id}" if space_id is not None else f"u{area_owner_id}"


def _generation_key(wiki: str) -> str:
    return f"wiki:titles:{wiki}"


def titles_generations(wikis) -> dict[str, int]:
    """The current titles generation of each wiki key."""
    keys = {_generation_key(w): w for w in wikis}
    found = cache.get_many(list(keys))
    result = {}
    for key, wiki in keys.items():
        value = found.get(key)
        if value is None:
            # A fresh value, never one used before: an evicted counter must not come back as an old number.
            cache.add(key, time.time_ns(), None)
            value = cache.get(key)
        result[wiki] = value
    return result


def _bump(wiki: str) -> None:
    key = _generation_key(wiki)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, time.time_ns(), None)


def titles_changed(*, space_id: int | None, area_owner_id: int | None) -> None:
    """Links into this wiki may now resolve differently: now, and again once the transaction commits.

    Again after the commit because a render made from the old rows while the transaction ran would
    otherwise be stored under the new generation."""
    wiki = wiki_key(space_id=space_id, area_owner_id=area_owner_id)
    _bump(wiki)
    transaction.on_commit(lambda: _bump(wiki))


def _item_pre_save(sender, instance, update_fields=None, **kwargs):
    if instance.kind != ItemKind.PAGE or instance.pk is None:
        return
    if update_fields is not None and not {"title", "deleted_at"} & set(update_fields):
        return
    before = Item.objects.filter(pk=instance.pk).values("title", "deleted_at").first()
    instance._wiki_titles_changed = before is not None and (
        before["title"] != instance.title or (before["deleted_at"] is None) != (instance.deleted_at is None)
    )


def _item_post_save(sender, instance, created=False, **kwargs):
    if instance.kind == ItemKind.PAGE and (created or getattr(instance, "_wiki_titles_changed", False)):
        instance._wiki_titles_changed = False
        titles_changed(space_id=instance.space_id, area_owner_id=None if instance.space_id else instance.owner_id)


def _page_post_save(sender, instance, created=False, update_fields=None, **kwargs):
    # A new page, or a page given another address or parent (update_page_settings saves the whole row).
    titles_changed(space_id=instance.space_id, area_owner_id=instance.area_owner_id)


def connect_signals() -> None:
    pre_save.connect(_item_pre_save, sender=Item, dispatch_uid="wiki-titles-pre")
    post_save.connect(_item_post_save, sender=Item, dispatch_uid="wiki-titles-post")
    post_save.connect(_page_post_save, sender=Page, dispatch_uid="wiki-titles-page")


# ------------------------------------------------------------------------------------------ rendering


@dataclass
class RenderedPage:
    html: str
    toc: list[markdown.Heading]


class _Resolver:
    """``resolve(space_slug, title)`` for wiki.markdown.render from links found up front in bulk.

    ``found`` maps (space slug or None, lower-cased title) to the page's address; ``wikis`` collects the
    wiki keys the answers depend on, for the cache."""

    def __init__(self, page: Page, found: dict, wikis: set[str]):
        self.page, self.found, self.wikis = page, found, wikis
        self.own_space = page.space.slug if page.space_id is not None else None

    def __call__(self, space_slug: str | None, title: str) -> tuple[str, bool]:
        key = (space_slug if space_slug != self.own_space else None, title.strip().lower())
        url = self.found.get(key)
        if url is not None:
            return url, True
        return missing_page_url(space_slug=space_slug or self.own_space, title=title), False


def _resolver_from_links(page: Page) -> _Resolver:
    """The current revision's links, as wiki.services recorded them: one query."""
    found, wikis = {}, set()
    rows = PageLink.objects.filter(source=page).select_related(
        "target__item", "target__space", "target__area_owner", "target_space"
    )
    for link in rows:
        space_slug = link.target_space.slug if link.target_space_id is not None else None
        if link.target_space_id is not None:
            wikis.add(wiki_key(space_id=link.target_space_id, area_owner_id=None))
        target = link.target
        if target is None or target.item.deleted_at is not None:
            continue
        own = space_slug == (page.space.slug if page.space_id else None)
        found[(None if own else space_slug, link.target_title.strip().lower())] = url_of(target)
    return _Resolver(page, found, wikis)


def _resolver_from_text(page: Page, text: str) -> _Resolver:
    """Links of any text (an old revision, a preview) looked up in bulk: a query per wiki linked to."""
    from spaces.models import Space

    links = markdown.extract_links(text)
    own_slug = page.space.slug if page.space_id is not None else None
    wanted: dict[str | None, set[str]] = {}
    for link in links:
        slug = None if link.space in (None, own_slug) else link.space
        wanted.setdefault(slug, set()).add(link.title.strip())
    spaces = {s.slug: s for s in Space.objects.filter(slug__in=[s for s in wanted if s])} if len(wanted) > 1 else {}
    found, wikis = {}, set()
    for slug, titles in wanted.items():
        if slug is None:
            pages = (
                Page.objects.filter(space=page.space)
                if page.space_id
                else Page.objects.filter(space__isnull=True, area_owner_id=page.area_owner_id)
            )
        elif slug in spaces:
            pages = Page.objects.filter(space=spaces[slug])
            wikis.add(wiki_key(space_id=spaces[slug].pk, area_owner_id=None))
        else:
            continue
        lowered = {t.lower() for t in titles}
        rows = (
            pages.filter(item__deleted_at__isnull=True)
            .annotate(t=Lower("item__title"))
            .filter(Q(t__in=lowered) | Q(item__title__in=titles))
            .select_related("item", "space", "area_owner")
            .order_by("pk")
        )
        for target in rows:
            found.setdefault((slug, target.item.title.lower()), url_of(target))
    return _Resolver(page, found, wikis)


def resolver_for(page: Page) -> _Resolver:
    """``resolve`` for the page's current text (exports): its recorded links, one query."""
    return _resolver_from_links(page)


def render_text(page: Page, text: str) -> markdown.Rendered:
    """Render any text as if it were ``page``'s (previews): links resolved in the page's wiki, uncached."""
    return markdown.render(text, resolve=_resolver_from_text(page, text))


def rendered_revision(page: Page, revision: Revision) -> RenderedPage:
    """The revision's HTML and table of contents, from the cache when its links still resolve the same.

    ``page`` needs its space (or area owner) loaded; ``revision.text`` is read only on a cache miss."""
    own = wiki_key(space_id=page.space_id, area_owner_id=page.area_owner_id)
    generation = titles_generations([own])[own]
    key = f"wiki:html:{markdown.RENDER_VERSION}:{revision.pk}:{generation}"
    hit = cache.get(key)
    if hit is not None:
        html, toc, others = hit
        if not others or titles_generations(others) == others:
            return RenderedPage(html=html, toc=[markdown.Heading(*h) for h in toc])
    if revision.pk == page.current_id:
        resolver = _resolver_from_links(page)
    else:
        resolver = _resolver_from_text(page, revision.text)
    rendered = markdown.render(revision.text, resolve=resolver)
    others = titles_generations(resolver.wikis - {own}) if resolver.wikis - {own} else {}
    toc = [(h.level, h.text, h.anchor) for h in rendered.toc]
    cache.set(key, (rendered.html, toc, others), RENDER_CACHE_SECONDS)
    return RenderedPage(html=rendered.html, toc=rendered.toc)


def rendered_slides(page: Page, revision: Revision) -> list[str]:
    """The revision cut into slides (wiki.markdown.split_slides), each rendered; cached like the page."""
    own = wiki_key(space_id=page.space_id, area_owner_id=page.area_owner_id)
    generation = titles_generations([own])[own]
    key = f"wiki:slides:{markdown.RENDER_VERSION}:{revision.pk}:{generation}"
    hit = cache.get(key)
    if hit is not None:
        slides, others = hit
        if not others or titles_generations(others) == others:
            return slides
    resolver = _resolver_from_text(page, revision.text)
    slides = [markdown.render(text, resolve=resolver).html for text in markdown.split_slides(revision.text)]
    others = titles_generations(resolver.wikis - {own}) if resolver.wikis - {own} else {}
    cache.set(key, (slides, others), RENDER_CACHE_SECONDS)
    return slides


# ----------------------------------------------------------------------------------------------- pages


def pages_visible_to(viewer):
    """Live pages ``viewer`` may see (the access rule applied to each page's item)."""
    return Page.objects.filter(item_filter_via(viewer, "item"))


def page_for_view(viewer, **lookup) -> Page | None:
    """One live page ``viewer`` may see, with what its page shows loaded (not its text)."""
    return (
        pages_visible_to(viewer)
        .filter(**lookup)
        .select_related("item", "item__owner", "space", "area_owner", "current", "current__author")
        .defer("current__text", "current__attribution")
        .first()
    )


def page_including_deleted(**lookup) -> Page | None:
    return Page.objects.filter(**lookup).select_related("item", "item__owner", "space", "area_owner").first()


def wiki_pages(viewer, *, space=None, area_owner=None):
    pages = pages_visible_to(viewer)
    if space is not None:
        return pages.filter(space=space)
    return pages.filter(space__isnull=True, area_owner=area_owner)


# ------------------------------------------------------------------------------------------------ tree


@dataclass(eq=False)
class TreeNode:
    pk: int
    parent_id: int | None
    title: str
    url: str
    children: list[TreeNode] = field(default_factory=list)


@dataclass
class Tree:
    """A wiki's pages that a viewer may see, nested: one query whatever the size."""

    nodes: dict[int, TreeNode]
    roots: list[TreeNode]

    def __len__(self) -> int:
        return len(self.nodes)

    def ancestors(self, pk: int) -> list[TreeNode]:
        """From the root down to the page's parent."""
        chain, node, seen = [], self.nodes.get(pk), {pk}
        while node is not None and node.parent_id is not None and node.parent_id not in seen:
            seen.add(node.parent_id)
            node = self.nodes.get(node.parent_id)
            if node is not None:
                chain.append(node)
        chain.reverse()
        return chain

    def children(self, pk: int) -> list[TreeNode]:
        node = self.nodes.get(pk)
        return node.children if node is not None else []

    def descendants(self, pk: int) -> set[int]:
        found, stack = set(), list(self.children(pk))
        while stack:
            node = stack.pop()
            if node.pk not in found:
                found.add(node.pk)
                stack.extend(node.children)
        return found

    def flat(self) -> list[tuple[int, TreeNode]]:
        """Every node with its depth, in reading order (for pickers)."""
        out, stack = [], [(0, node) for node in reversed(self.roots)]
        while stack:
            depth, node = stack.pop()
            out.append((depth, node))
            stack.extend((depth + 1, child) for child in reversed(node.children))
        return out


def page_tree(viewer, *, space=None, area_owner=None) -> Tree:
    rows = (
        wiki_pages(viewer, space=space, area_owner=area_owner)
        .order_by("parent_id", "position", Lower("item__title"), "pk")
        .values_list("pk", "parent_id", "slug", "item__title")
    )
    space_slug = space.slug if space is not None else None
    username = area_owner.username if area_owner is not None else None
    nodes = {
        pk: TreeNode(
            pk=pk,
            parent_id=parent_id,
            title=title,
            url=page_url(slug=slug, space_slug=space_slug, username=username),
        )
        for pk, parent_id, slug, title in rows
    }
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.parent_id) if node.parent_id is not None else None
        # A page under one the viewer may not see shows at the top, so nothing hidden is named.
        (parent.children if parent is not None else roots).append(node)
    # Rows came ordered by position within each parent, so children lists are already in order.
    return Tree(nodes=nodes, roots=roots)


# -------------------------------------------------------------------------------------------- activity


def contributors(page: Page) -> list[tuple]:
    """(person, number of edits, last edit) for everyone who saved the page, most edits first: two queries."""
    from people.models import User

    rows = list(
        Revision.objects.filter(page=page)
        .values("author_id")
        .annotate(edits=Count("pk"), last=Max("created"))
        .order_by("-edits", "-last")
    )
    people = User.objects.in_bulk([r["author_id"] for r in rows])
    return [(people[r["author_id"]], r["edits"], r["last"]) for r in rows if r["author_id"] in people]


def history(page: Page, *, number: int, per_page: int):
    """One page of revisions, newest first, each with its size change: numbers are 1..n without gaps,
    so a page of history is a range of numbers (an index range scan, not an OFFSET)."""
    top = page.current.number - (number - 1) * per_page
    rows = list(
        Revision.objects.filter(page=page, number__lte=top, number__gt=top - per_page - 1)
        .select_related("author")
        .defer("text", "attribution")
        .order_by("-number")
    )
    shown = rows[:per_page]
    for i, revision in enumerate(shown):
        older = rows[i + 1] if i + 1 < len(rows) else None
        revision.delta = revision.size - (older.size if older is not None else 0)
    return shown, top - per_page > 0


def recent_changes(viewer, *, space=None, area_owner=None, limit: int = 15):
    """The latest pages changed in a wiki (or anywhere the viewer may read, with neither), newest first."""
    items = Item.objects.visible_to(viewer).filter(kind=ItemKind.PAGE)
    if space is not None:
        items = items.filter(space=space)
    elif area_owner is not None:
        items = items.filter(space__isnull=True, owner=area_owner)
    return list(
        items.select_related("space", "page__space", "page__area_owner", "page__current", "page__current__author")
        .defer("page__current__text", "page__current__attribution")
        .order_by("-updated", "-pk")[:limit]
    )


def deleted_pages(*, space=None, area_owner=None, limit: int = 50):
    pages = Page.objects.filter(item__deleted_at__isnull=False)
    pages = pages.filter(space=space) if space is not None else pages.filter(space__isnull=True, area_owner=area_owner)
    return list(pages.select_related("item", "space", "area_owner").order_by("-item__deleted_at")[:limit])


def wikis_for(viewer, *, limit: int = 60):
    """Spaces whose wiki the viewer may read: theirs first (even empty, to start one), then others with pages."""
    from core.access import space_roles
    from spaces.models import Space

    mine = set(space_roles(viewer))
    counts = dict(
        Item.objects.visible_to(viewer)
        .filter(kind=ItemKind.PAGE, space__isnull=False)
        .values_list("space_id")
        .annotate(n=Count("pk"))
        .values_list("space_id", "n")
    )
    spaces = list(Space.objects.visible_to(viewer).filter(pk__in=mine | set(counts)).order_by("name")[: limit * 2])
    for space in spaces:
        space.page_count = counts.get(space.pk, 0)
        space.is_mine = space.pk in mine
    spaces.sort(key=lambda s: (not s.is_mine, s.name.lower()))
    return spaces[:limit]


# ------------------------------------------------------------------------------------------- backlinks


def backlinks(viewer, page: Page):
    """Pages the viewer may see that link to ``page``."""
    sources = pages_visible_to(viewer).filter(links_out__target=page).distinct()
    return list(sources.select_related("item", "space", "area_owner").order_by(Lower("item__title"), "pk")[:500])


def backlink_count(viewer, page: Page) -> int:
    return pages_visible_to(viewer).filter(links_out__target=page).distinct().count()


# ----------------------------------------------------------------------------------------- attribution


@dataclass
class Contribution:
    person: object
    lines: int
    share: float  # 0..100
    colour: int


@dataclass
class Run:
    revision: Revision | None
    first_line: int  # 1-based
    lines: list[str]
    colour: int


PALETTE_SIZE = 12


def colours_for(people_in_order) -> dict[int, int]:
    """A palette slot per person: their own (by id) when free on this page, else the next free one.

    The same person keeps the same colour from page to page unless two people of one page would share it."""
    taken: dict[int, int] = {}
    used: set[int] = set()
    for pk in people_in_order:
        if pk in taken:
            continue
        slot = pk % PALETTE_SIZE
        for step in range(PALETTE_SIZE):
            candidate = (slot + step) % PALETTE_SIZE
            if candidate not in used:
                slot = candidate
                break
        taken[pk] = slot
        used.add(slot)
    return taken


def attribution(page: Page) -> tuple[list[Run], list[Contribution], int]:
    """The current text cut into runs of lines by the revision that last wrote them, and each person's share.

    Reads the current revision's stored runs (never the history): two queries however many revisions."""
    current = Revision.objects.only("pk", "number", "text", "attribution").get(pk=page.current_id)
    lines = diffing.split_lines(current.text)
    runs = current.attribution or [[current.number, len(lines)]]
    numbers = {number for number, _ in runs}
    revisions = {
        r.number: r
        for r in Revision.objects.filter(page=page, number__in=numbers)
        .select_related("author")
        .defer("text", "attribution")
    }
    per_person: Counter = Counter()
    order: list[int] = []
    for number, count in runs:
        revision = revisions.get(number)
        if revision is not None:
            per_person[revision.author_id] += count
    for number in sorted(numbers):
        revision = revisions.get(number)
        if revision is not None and revision.author_id not in order:
            order.append(revision.author_id)
    colours = colours_for(order)
    out, start = [], 0
    for number, count in runs:
        revision = revisions.get(number)
        colour = colours.get(revision.author_id, 0) if revision is not None else 0
        out.append(Run(revision=revision, first_line=start + 1, lines=lines[start : start + count], colour=colour))
        start += count
    total = sum(per_person.values()) or 1
    people = {r.author_id: r.author for r in revisions.values()}
    shares = [
        Contribution(person=people[pk], lines=n, share=100 * n / total, colour=colours[pk])
        for pk, n in per_person.most_common()
    ]
    return out, shares, len(lines)


def revision_pair(page: Page, numbers) -> dict[int, Revision]:
    return {r.number: r for r in Revision.objects.filter(page=page, number__in=list(numbers)).select_related("author")}


def merged_meanwhile(page: Page, *, base_number: int, new_number: int) -> list[str]:
    """Names of the people whose revisions a merged save was combined with."""
    rows = (
        Revision.objects.filter(page=page, number__gt=base_number, number__lt=new_number)
        .select_related("author")
        .only("author__display_name", "author__username", "author__first_name", "author__last_name")
        .order_by("number")
    )
    names = []
    for revision in rows:
        if revision.author.name not in names:
            names.append(revision.author.name)
    return names


def files_to_insert(user, text: str, *, limit: int = 12) -> list[tuple[Item, str]]:
    """Files the person may see whose title matches, newest first, each with the Markdown that shows it:
    an image inline, anything else as a link to its page."""
    from django.urls import reverse

    items = Item.objects.visible_to(user).filter(kind=ItemKind.FILE).select_related("file")
    text = " ".join(text.split())[:100]
    if text:
        items = items.filter(title__icontains=text)
    out = []
    for item in items.order_by("-created", "-pk")[:limit]:
        label = item.title.replace("[", "(").replace("]", ")")
        if item.file.family == "image":
            out.append((item, f"![{label}]({reverse('files:inline', args=[item.pk])})"))
        else:
            out.append((item, f"[{label}]({item.get_absolute_url()})"))
    return out
