"""Reads for portfolios, and the one place that decides which private parts a viewer sees.

Who may see a portfolio at all is the spine's rule (``core.access``); within a portfolio, a private block,
a private journal reflection and private feedback are for the owner only (and private feedback also for
its author). Every page, feed, search text, export, snapshot and API response gets its blocks, entries and
feedback through these functions, so no template decides it.

Items shown on a page (an artefact, an embedded item, gallery images, a course completion's course) follow
the spine's rule too: a viewer who may not see the item itself is told it is not shared with them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Q, QuerySet
from django.utils.safestring import mark_safe

from core.models import Item, ItemKind
from files.models import File
from lib.urls import reverse_one
from portfolios.models import (
    Block,
    BlockImage,
    Feedback,
    JournalEntry,
    Portfolio,
    PortfolioPage,
    PortfolioTemplate,
    SkillClaim,
)

RENDER_SECONDS = 24 * 3600
SHOWN_ITEM_COLUMNS = ("kind", "title", "summary", "owner_id", "visibility", "space_id", "deleted_at")
SHOWN_OWNER_COLUMNS = ("username", "display_name", "first_name", "last_name")
SHOWN_FILE_COLUMNS = ("family", "content_type", "original_name", "thumbnail")
ENROLMENT_COLUMNS = ("person_id", "course_id", "state", "completed_at", "self_reported", "confirmed_at")
TIMELINE_ENTRIES = 200  # a timeline lists the journal's newest entries up to this many
FIND_MAX = 12

# What to put in a block, for its owner while it is empty, when its template gave no guidance of its own.
DEFAULT_GUIDANCE = {
    Block.Kind.TEXT: "Write in your own words. Markdown works: **bold**, lists, [links](https://example.org).",
    Block.Kind.ARTEFACT: "Upload a file, save a link, choose something you made here or a course you completed "
    "— then say what it shows.",
    Block.Kind.GALLERY: "Add images of your work: photos, screenshots, diagrams, each with a caption.",
    Block.Kind.EMBED: "Show something from here on this page: a wiki page, a board, a file, a link.",
    Block.Kind.REFLECTION: "Answer each prompt in a few sentences. Mark the block private to keep it to yourself.",
    Block.Kind.SKILLS: "Claim the skills this portfolio shows, each at a level with evidence, and ask someone "
    "to endorse them.",
    Block.Kind.TIMELINE: "Add milestones with their dates; a process portfolio's journal entries appear here "
    "by themselves.",
}


def _viewer(viewer):
    return viewer if viewer is not None else AnonymousUser()


def is_owner(viewer, portfolio: Portfolio) -> bool:
    """The owner: the only person who sees private blocks and private reflections (not even admins do)."""
    return getattr(viewer, "pk", None) is not None and portfolio.item.owner_id == viewer.pk


def visible_blocks(viewer, page: PortfolioPage) -> QuerySet[Block]:
    blocks = Block.objects.filter(page_id=page.pk)
    if not is_owner(viewer, page.portfolio):
        blocks = blocks.filter(private=False)
    return blocks


def visible_feedback(viewer, portfolio: Portfolio) -> QuerySet[Feedback]:
    """Feedback the viewer may read: public feedback for anyone who sees the portfolio; private feedback only
    for the owner and whoever wrote it. Feedback on a private block is the owner's too."""
    rows = Feedback.objects.filter(portfolio=portfolio)
    if is_owner(viewer, portfolio):
        return rows
    hidden = Q(private=True) | Q(block__private=True) | Q(parent__private=True)
    mine = Q(author_id=getattr(viewer, "pk", None)) | Q(parent__author_id=getattr(viewer, "pk", None))
    return rows.exclude(hidden & ~mine) if viewer is not None and getattr(viewer, "pk", None) else rows.exclude(hidden)


def entry_answers(viewer, entry: JournalEntry) -> list[dict]:
    """A journal entry's reflection, or nothing when it is private and the viewer is not the owner."""
    if entry.reflection_private and not is_owner(viewer, entry.portfolio):
        return []
    return entry.answers


# --- portfolios and their pages -----------------------------------------------------------------------


def portfolio_for_view(viewer, pk: int) -> Portfolio | None:
    """The portfolio ``pk`` with its item, owner and space, when the viewer may see it."""
    try:  # get(), not first(): ordering by pk to pick the one row costs as much as the query
        portfolio = Portfolio.objects.select_related("item__owner", "item__space", "reflection_template").get(pk=pk)
    except Portfolio.DoesNotExist:
        return None
    from core.access import can_view

    return portfolio if can_view(_viewer(viewer), portfolio.item) else None


def pages_of(portfolio: Portfolio) -> list[PortfolioPage]:
    """The portfolio's pages in navigation order (its collection's own navigation), each knowing its portfolio."""
    pages = list(portfolio.pages.order_by("position", "pk"))
    for page in pages:
        page.portfolio = portfolio
    return pages


def my_portfolios(user) -> QuerySet[Item]:
    """The person's own portfolios, last changed first, with what their cards show."""
    return _cards(Item.objects.filter(owner=user, kind=ItemKind.PORTFOLIO, deleted_at__isnull=True))


def shared_with_me(user) -> QuerySet[Item]:
    """Portfolios other people let the person see (by name, through a space, or organisation-wide)."""
    return _cards(Item.objects.visible_to(user).filter(kind=ItemKind.PORTFOLIO).exclude(owner=user))


def _cards(items: QuerySet[Item]) -> QuerySet[Item]:
    live_links = Q(portfolio__secret_links__revoked_at__isnull=True)
    return (
        items.select_related("owner", "space", "portfolio", "portfolio__template")
        .prefetch_related("shared_with", "tags")
        .annotate(secret_links=Count("portfolio__secret_links", filter=live_links, distinct=True))
        .order_by("-updated", "-pk")
    )


def published_templates() -> QuerySet[PortfolioTemplate]:
    return PortfolioTemplate.objects.filter(published=True).select_related("reflection_template", "skill")


def templates_for(user) -> QuerySet[PortfolioTemplate]:
    """Curators see every template, drafts too; everyone else the published ones."""
    rows = PortfolioTemplate.objects.select_related("created_by", "reflection_template", "skill")
    return rows if getattr(user, "is_curator", False) else rows.filter(published=True)


def portfolio_claims(portfolio: Portfolio, viewer=None) -> QuerySet[SkillClaim]:
    """The skill claims a portfolio shows; drafts only to their owner (when ``viewer`` is given)."""
    claims = (
        SkillClaim.objects.filter(portfolio_id=portfolio.pk)
        .select_related("skill", "framework")
        .prefetch_related("endorsements__endorser")
    )
    if viewer is not None and not is_owner(viewer, portfolio):
        claims = claims.exclude(state=SkillClaim.State.DRAFT)
    return claims


def journal(viewer, portfolio: Portfolio) -> QuerySet[JournalEntry]:
    return portfolio.entries.select_related("item__owner").order_by("-happened", "-pk")


def completions_of(person) -> QuerySet:
    """The courses a person completed, to show as evidence (catalog's own query)."""
    from catalog.queries import completions_for

    return completions_for(person)


def find_items(viewer, q: str, *, images_only: bool = False, exclude: int | None = None) -> list[Item]:
    """What the person could show: best search matches among what they may see, or without words their own
    newest items. ``images_only`` keeps image files (for a gallery)."""
    from search.queries import search

    q = (q or "").strip()[:200]
    if q:
        results = search(viewer, q, kind="item", item_kind="file" if images_only else None, limit=40)
        found = [r.object for r in results if r.object.pk != exclude]
    else:
        found = list(
            Item.objects.visible_to(viewer)
            .filter(owner=viewer)
            .exclude(pk=exclude)
            .select_related("owner", "file")
            .order_by("-created", "-pk")[:40]
        )
    if images_only:
        found = [i for i in found if _is_image(i)]
    return found[:FIND_MAX]


def _is_image(item: Item) -> bool:
    detail = _detail(item, "file")
    return detail is not None and detail.family == "image"


# --- rendering a page ------------------------------------------------------------------------------------


@dataclass
class Shown:
    """What a page shows of an item it points at, worked out once so templates only print it."""

    pk: int
    title: str
    kind: str
    kind_label: str
    url: str
    summary: str = ""
    owner: str = ""
    external_url: str = ""  # a link's address (printed beside it)
    domain: str = ""
    media: str = ""  # image, video, audio or pdf: what can be shown in place
    media_url: str = ""
    thumb_url: str = ""
    download_url: str = ""
    file_name: str = ""
    print_url: str = ""  # the full address, printed beside the link on paper
    icon: str = "document"


def _detail(item: Item, name: str):
    try:
        return getattr(item, name)
    except ObjectDoesNotExist:
        return None


KIND_LABELS = dict(ItemKind.choices)
FAMILY_LABELS = dict(File.Family.choices)


def shown(item: Item) -> Shown:
    """A card for ``item`` from what ``select_related`` loaded (no query)."""
    card = Shown(
        pk=item.pk,
        title=item.title,
        kind=item.kind,
        kind_label=KIND_LABELS.get(item.kind, item.kind),
        url=reverse_one("core:item", item.pk),
        summary=item.summary,
        owner=item.owner.name if item.owner_id else "",
    )
    card.print_url = settings.SITE_URL.rstrip("/") + card.url
    if item.kind == ItemKind.FILE:
        detail = _detail(item, "file")
        if detail is not None:
            card.kind_label, card.icon = FAMILY_LABELS.get(detail.family, detail.family), detail.family
            card.file_name = detail.original_name
            card.download_url = reverse_one("files:download", item.pk)
            if detail.thumbnail:
                card.thumb_url = reverse_one("files:thumbnail", item.pk)
            if detail.family in ("image", "video", "audio"):
                card.media, card.media_url = detail.family, reverse_one("files:inline", item.pk)
            elif detail.content_type == "application/pdf":
                card.media, card.media_url = "pdf", reverse_one("files:inline", item.pk)
    elif item.kind == ItemKind.LINK:
        bookmark = _detail(item, "bookmark")
        if bookmark is not None:
            card.external_url, card.domain = bookmark.link.url, bookmark.link.domain.removeprefix("www.")
            from links.queries import card_thumbnail

            card.thumb_url = card_thumbnail(item) or ""
    return card


def _render_key(text: str) -> str:
    from wiki.markdown import RENDER_VERSION

    return f"portfolios:md:{RENDER_VERSION}:{hashlib.blake2b(text.encode(), digest_size=16).hexdigest()}"


def render_markdown_many(texts) -> dict[str, str]:
    """Safe HTML for each distinct text (wiki Markdown, sanitised by nh3): one cache read for them all and a
    render only of texts not seen before. ``[[wiki links]]`` stay plain: a portfolio is read outside any wiki."""
    from wiki.markdown import render

    texts = {t for t in texts if t and t.strip()}
    if not texts:
        return {}
    keys = {t: _render_key(t) for t in texts}
    cached = cache.get_many(list(keys.values()))
    fresh, html = {}, {}
    for text, key in keys.items():
        if key not in cached:
            cached[key] = fresh[key] = render(text).html
        html[text] = mark_safe(cached[key])  # noqa: S308 — sanitised by nh3 in wiki.markdown.render
    if fresh:
        cache.set_many(fresh, RENDER_SECONDS)
    return html


def render_markdown(text: str) -> str:
    return render_markdown_many([text]).get(text, "")


def block_body_html(body: str) -> dict:
    """A block's ``body_html`` and ``body_html_version`` for ``body``: services store them with the body."""
    from wiki.markdown import RENDER_VERSION

    return {"body_html": str(render_markdown(body)), "body_html_version": RENDER_VERSION}


def _body_html(blocks: list[Block]) -> dict[int, str]:
    """Each block's body as safe HTML: the copy kept on its row, or (written by an older renderer, or before
    rows kept one) rendered now through the render cache."""
    from wiki.markdown import RENDER_VERSION

    html, stale = {}, []
    for block in blocks:
        if not block.body.strip():
            html[block.pk] = ""
        elif block.body_html_version == RENDER_VERSION:
            html[block.pk] = mark_safe(block.body_html)  # noqa: S308 — sanitised by nh3 when it was written
        else:
            stale.append(block)
    if stale:
        rendered = render_markdown_many(block.body for block in stale)
        html.update((block.pk, rendered.get(block.body, "")) for block in stale)
    return html


def _shown_columns(prefix: str = "") -> list[str]:
    """The columns ``shown`` reads of an item (reached through ``prefix``) and of the details it joins."""
    return [
        f"{prefix}{name}"
        for name in (
            *SHOWN_ITEM_COLUMNS,
            *(f"owner__{c}" for c in SHOWN_OWNER_COLUMNS),
            *(f"file__{c}" for c in SHOWN_FILE_COLUMNS),
            "bookmark__link_id",
            "bookmark__thumbnail",
            "bookmark__link__url",
            "bookmark__link__domain",
            "bookmark__link__image",
        )
    ]


def _block_rows(viewer, page: PortfolioPage) -> QuerySet[Block]:
    # The blocks alone: what they point at is loaded once per page by ``prepare_blocks`` (an item shown by
    # several blocks is read once, and no row is widened by the joins of every kind). Nothing shown reads
    # when a block was made or changed.
    return visible_blocks(viewer, page).defer("created", "updated").order_by("column", "position", "pk")


class Columns(list):
    """A page's columns of blocks; ``blockless`` when the viewer sees no block at all, ``nothing_shown`` when every
    block they see is still empty (which only its owner is shown)."""

    blockless = False
    nothing_shown = False


def page_blocks(viewer, page: PortfolioPage) -> Columns:
    """The page's blocks the viewer may see, as columns, each ready to render (see ``prepare_blocks``), in a
    fixed number of queries whatever the number of blocks."""
    blocks = list(_block_rows(viewer, page))
    cache_page = Block.page.field.set_cached_value
    for block in blocks:
        cache_page(block, page)
    prepare_blocks(viewer, page.portfolio, blocks)
    columns = Columns([] for _ in range(page.columns))
    for block in blocks:
        columns[min(block.column, page.columns - 1)].append(block)
    columns.blockless = not blocks
    columns.nothing_shown = all(block.empty for block in blocks)
    return columns


def _items_for(viewer, pks: set[int]) -> tuple[dict[int, Item], set[int]]:
    """The items blocks point at, with what ``shown`` reads, and which of them the viewer may see (the spine's
    rule, ``core.access.viewable_items``)."""
    if not pks:
        return {}, set()
    from core.access import viewable_items

    rows = Item.objects.filter(pk__in=pks).select_related("owner", "file", "bookmark__link").only(*_shown_columns())
    items = {item.pk: item for item in rows}
    return items, viewable_items(viewer, items.values())


def prepare_blocks(viewer, portfolio: Portfolio, blocks: list[Block]) -> None:
    """Give each block what its rendering prints: ``html`` (its Markdown), ``shown`` (its item, when the viewer
    may see it) or ``hidden`` (it points at something not shared with them), ``gallery`` (its images, each with
    its item) of which ``images_shown`` the viewer may see and ``images_hidden`` they may not, ``course``,
    ``claims``, ``timeline``, ``answered`` and ``empty``/``help`` (what to put here, for the owner). ``item``,
    ``enrolment`` and each image's ``item`` are loaded too.

    A fixed number of queries for any number of blocks: the gallery images when a gallery is there, the course
    completions, the items they all point at (and what the access rule needs to know of the viewer), the claims
    with their endorsements when a skills block is there, and the journal when a timeline is."""
    from catalog.models import Course, Enrolment

    viewer = _viewer(viewer)
    owner = is_owner(viewer, portfolio)
    kinds = {block.kind for block in blocks}
    gallery: dict[int, list[BlockImage]] = {}
    galleries = [block.pk for block in blocks if block.kind == Block.Kind.GALLERY]
    if galleries:
        for image in BlockImage.objects.filter(block_id__in=galleries).order_by("position", "pk"):
            gallery.setdefault(image.block_id, []).append(image)
    enrolments = {}
    if any(block.enrolment_id for block in blocks):
        enrolments = (
            Enrolment.objects.select_related("course")
            .only(*ENROLMENT_COLUMNS, "course__item")
            .in_bulk({block.enrolment_id for block in blocks if block.enrolment_id})
        )
    referenced = {block.item_id for block in blocks if block.item_id}
    referenced.update(image.item_id for images in gallery.values() for image in images)
    referenced.update(enrolment.course.item_id for enrolment in enrolments.values())
    items, visible = _items_for(viewer, referenced)
    claims = list(portfolio_claims(portfolio, viewer)) if Block.Kind.SKILLS in kinds else []
    entries = []
    if Block.Kind.TIMELINE in kinds:
        entries = list(
            JournalEntry.objects.filter(portfolio_id=portfolio.pk)
            .order_by("-happened", "-pk")
            .only("pk", "title", "happened", "portfolio_id")[:TIMELINE_ENTRIES]
        )
    html = _body_html(blocks)
    cards: dict[int, Shown] = {}  # an item shown by several blocks (or twice in a gallery) is worked out once

    def card(item: Item) -> Shown:
        if item.pk not in cards:
            cards[item.pk] = shown(item)
        return cards[item.pk]

    cache_item, cache_enrolment = Block.item.field.set_cached_value, Block.enrolment.field.set_cached_value
    cache_image_item, cache_course_item = BlockImage.item.field.set_cached_value, Course.item.field.set_cached_value
    for block in blocks:
        block.html = html[block.pk]
        block.shown = block.hidden = block.course = None
        if block.item_id:
            item = items.get(block.item_id)
            cache_item(block, item)
            if block.item_id in visible:
                block.shown = card(item)
            else:
                block.hidden = True
        if block.enrolment_id:
            enrolment = enrolments.get(block.enrolment_id)
            cache_enrolment(block, enrolment)
            if enrolment is not None:
                course_item = items.get(enrolment.course.item_id)
                cache_course_item(enrolment.course, course_item)
                if course_item is not None and course_item.pk in visible:
                    block.course = course_item
                else:
                    block.hidden = True
        block.gallery = gallery.get(block.pk, [])
        block.images_shown = []
        block.images_hidden = 0
        for image in block.gallery:
            cache_image_item(image, items.get(image.item_id))
            if image.item_id in visible:
                image.shown = card(image.item)
                block.images_shown.append(image)
            else:
                image.shown = None
                block.images_hidden += 1
        block.claims = claims if block.kind == Block.Kind.SKILLS else []
        block.timeline = _timeline(block, entries) if block.kind == Block.Kind.TIMELINE else []
        block.narrower = _narrower(viewer, portfolio, block) if owner else ""
        block.answered = [a for a in block.answers or [] if str(a.get("answer", "")).strip()]
        block.empty = _is_empty(block)
        block.help = block.guidance or DEFAULT_GUIDANCE.get(block.kind, "")
        block.viewer_is_owner = owner


def _narrower(viewer, portfolio: Portfolio, block: Block) -> str:
    """The title of an item of the owner's in ``block`` that fewer people may see than the portfolio, if any:
    the editor warns them that readers will meet "not shared with you"."""
    from portfolios.services import VISIBILITY_RANK

    target = portfolio.item
    items = [block.item] if block.item_id and block.item is not None else []
    items += [image.item for image in block.gallery if image.item is not None]
    for item in items:
        if item.owner_id != viewer.pk:
            continue
        if VISIBILITY_RANK[item.visibility] < VISIBILITY_RANK[target.visibility] or (
            target.visibility == item.visibility == "space" and item.space_id != target.space_id
        ):
            return item.title
    return ""


def _timeline(block: Block, entries: list[JournalEntry]) -> list[dict]:
    rows = [
        {"date": date.fromisoformat(e["date"]), "title": e["title"], "text": e.get("text", ""), "entry": None}
        for e in block.events or []
    ]
    rows += [{"date": e.happened, "title": e.title, "text": "", "entry": e.pk} for e in entries]
    return sorted(rows, key=lambda row: (row["date"], row["entry"] or 0))


def _is_empty(block: Block) -> bool:
    kind = block.kind
    if kind == Block.Kind.TEXT:
        return not block.body.strip()
    if kind == Block.Kind.ARTEFACT:
        return not block.item_id and not block.enrolment_id
    if kind == Block.Kind.EMBED:
        return not block.item_id
    if kind == Block.Kind.GALLERY:
        return not block.images_shown and not block.images_hidden
    if kind == Block.Kind.REFLECTION:
        return not block.answered
    if kind == Block.Kind.SKILLS:
        return not block.claims and not block.body.strip()
    if kind == Block.Kind.TIMELINE:
        return not block.timeline
    return False


def entries_for(viewer, portfolio: Portfolio, entries: list[JournalEntry]) -> list[JournalEntry]:
    """Journal entries ready to render: ``html`` (the body), ``reflection`` (answers the viewer may read, the
    unanswered left out), ``reflection_hidden`` and their evidence (``shown``/``hidden``)."""
    viewer = _viewer(viewer)
    ids = {e.item_id for e in entries if e.item_id}
    visible = set(Item.objects.visible_to(viewer).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
    html = render_markdown_many(e.body for e in entries)
    for entry in entries:
        entry.portfolio = portfolio
        entry.html = html.get(entry.body, "")
        answers = entry_answers(viewer, entry)
        entry.reflection = [a for a in answers if str(a.get("answer", "")).strip()]
        entry.reflection_hidden = entry.reflection_private and not is_owner(viewer, portfolio)
        entry.shown = entry.hidden = None
        if entry.item_id:
            if entry.item_id in visible and entry.item.deleted_at is None:
                entry.shown = shown(entry.item)
            else:
                entry.hidden = True
    return entries


def search_text(item) -> str:
    """What search indexes for a portfolio: its pages, what its shared blocks say, its journal — never a
    private block or a private reflection (search serves everyone who may see the portfolio)."""
    portfolio = Portfolio.objects.filter(item=item).first()
    if portfolio is None:
        return ""
    parts: list[str] = []
    for page in portfolio.pages.all():
        parts.append(page.title)
    for block in Block.objects.filter(page__portfolio=portfolio, private=False).only("title", "body", "answers"):
        parts += [block.title, block.body]
        parts += [a.get("answer", "") for a in block.answers or []]
    for entry in portfolio.entries.all().only("title", "body", "answers", "reflection_private"):
        parts += [entry.title, entry.body]
        if not entry.reflection_private:
            parts += [a.get("answer", "") for a in entry.answers or []]
    return "\n".join(p for p in parts if p)
