"""Writes for portfolios: the portfolio, its pages and blocks, the journal, and the guided start.

Sharing, feedback and snapshots are in ``portfolios.sharing``; skill claims and endorsements in
``portfolios.claims``; Leap2A and the offline site in ``portfolios.leap2a`` and ``portfolios.export``.
Every function here checks who may do it (``core.access.can_edit`` on the portfolio's item) and raises
PermissionDenied or ValidationError with a sentence a person can act on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.text import slugify

from core.access import can_create_in, can_edit, can_view
from core.models import Activity, Item, ItemKind, Visibility
from core.services import check_visibility, create_item, record_activity, update_item, watch
from lib.pagecache import content_changed
from portfolios import queries
from portfolios.models import (
    COLUMNS,
    WHAT_SO_WHAT_NOW_WHAT,
    Block,
    BlockImage,
    JournalEntry,
    Layout,
    Portfolio,
    PortfolioPage,
    PortfolioTemplate,
    ReflectionTemplate,
)
from search.index import schedule_index

TITLE_MAX = 200
_UNCHANGED = object()  # a keyword argument left out: the field keeps its value
MAX_PAGES = 50
MAX_BLOCKS_PER_PAGE = 100
MAX_IMAGES = 60
MAX_EVENTS = 200
BODY_MAX = 50_000
# How far each visibility reaches, to tell whether an item is seen by fewer people than the portfolio.
VISIBILITY_RANK = {
    Visibility.PRIVATE: 0,
    Visibility.PEOPLE: 1,
    Visibility.SPACE: 2,
    Visibility.ORGANISATION: 3,
    Visibility.PUBLIC: 4,
}
# A page's address is /portfolios/<id>/<slug>/, beside the portfolio's own pages: a page called "Journal"
# becomes "journal-2" rather than hiding the journal.
RESERVED_SLUGS = frozenset(
    {
        "journal", "settings", "delete", "pages", "blocks", "edit", "new", "as-template", "template", "templates",
        "share", "shares", "sharing", "secret", "secrets", "secret-links", "links", "link", "feedback",
        "request-feedback", "requests", "submit", "submission", "submissions", "snapshot", "snapshots", "assess",
        "assessment", "claims", "claim", "skills", "endorse", "endorsements", "evidence", "export", "exports",
        "import", "imports", "leap2a", "download", "site", "print", "find", "preview", "entries", "prompts",
    }
)  # fmt: skip
# Portfolios are never public on the web by accident: people outside see one through a secret link.
VISIBILITIES = (Visibility.PRIVATE, Visibility.PEOPLE, Visibility.SPACE, Visibility.ORGANISATION)

# The guided start: what a first-time user is offered for each kind, with what to put where.
GUIDED_START = {
    Portfolio.Kind.SHOWCASE: [
        {
            "title": "About me",
            "layout": Layout.WIDE_LEFT,
            "guidance": "Introduce yourself to someone who has never met you: what you do and what you care about.",
            "blocks": [
                {
                    "kind": Block.Kind.TEXT,
                    "title": "Who I am",
                    "column": 0,
                    "guidance": "Two or three sentences: your role, what you are good at, what you are learning now.",
                },
                {
                    "kind": Block.Kind.SKILLS,
                    "title": "Skills",
                    "column": 1,
                    "guidance": "Claim the skills this portfolio shows, each with a level and evidence.",
                },
            ],
        },
        {
            "title": "My best work",
            "layout": Layout.TWO,
            "guidance": "Pick three to five pieces of work you are proud of. For each, say what it was and your part.",
            "blocks": [
                {
                    "kind": Block.Kind.ARTEFACT,
                    "title": "A piece of work",
                    "column": 0,
                    "guidance": "Upload a file, add a link, or choose something you made here (a wiki page, a board…).",
                },
                {
                    "kind": Block.Kind.TEXT,
                    "title": "What it shows",
                    "column": 1,
                    "guidance": "What was the problem, what did you do, what came of it?",
                },
            ],
        },
        {
            "title": "What I learned",
            "layout": Layout.ONE,
            "guidance": "Look back over the work on the other pages.",
            "blocks": [{"kind": Block.Kind.REFLECTION, "title": "Looking back", "column": 0, "guidance": ""}],
        },
    ],
    Portfolio.Kind.PROCESS: [
        {
            "title": "Goals",
            "layout": Layout.ONE,
            "guidance": "What are you working towards? Write it so that in three months you can tell if you got there.",
            "blocks": [
                {
                    "kind": Block.Kind.TEXT,
                    "title": "What I want to learn",
                    "column": 0,
                    "guidance": "One to three goals, each with why it matters to you and how you will know.",
                },
                {
                    "kind": Block.Kind.SKILLS,
                    "title": "Skills I am building",
                    "column": 0,
                    "guidance": "Claim the skills at the level you are at today; claim again as you grow.",
                },
            ],
        },
        {
            "title": "Progress",
            "layout": Layout.ONE,
            "guidance": "Your journal entries appear here in order, with milestones you add.",
            "blocks": [
                {
                    "kind": Block.Kind.TIMELINE,
                    "title": "Timeline",
                    "column": 0,
                    "guidance": "Add milestones; journal entries are shown here as you write them.",
                }
            ],
        },
    ],
}


def _check_title(title: str, noun: str = "portfolio") -> str:
    title = (title or "").strip()
    if not title:
        raise ValidationError(f"Give the {noun} a title.")
    if len(title) > TITLE_MAX:
        raise ValidationError(f"Keep the {noun}'s title under {TITLE_MAX} characters.")
    return title


def _require_editor(user, portfolio: Portfolio) -> None:
    if not can_view(user, portfolio.item):
        raise PermissionDenied("That portfolio does not exist.")
    if not can_edit(user, portfolio.item):
        raise PermissionDenied("Only the portfolio's owner can change it.")


def _require_owner(user, portfolio: Portfolio) -> None:
    """What only the owner does: reflections are theirs, and so is asking others about them."""
    if portfolio.item.owner_id != getattr(user, "pk", None):
        raise PermissionDenied("Only the portfolio's owner can do that.")


def check_portfolio_visibility(*, visibility: str, space, shared_with) -> None:
    if visibility not in VISIBILITIES:
        raise ValidationError(
            "A portfolio is never public on the web; share it with people outside through a secret link."
        )
    check_visibility(visibility=visibility, space=space, shared_with=shared_with, noun="portfolio")


def _unique_slug(portfolio: Portfolio, title: str, *, exclude: int | None = None) -> str:
    base = slugify(title, allow_unicode=True)[:180] or "page"
    taken = set(
        PortfolioPage.objects.filter(portfolio=portfolio, slug__startswith=base)
        .exclude(pk=exclude)
        .values_list("slug", flat=True)
    )
    taken |= RESERVED_SLUGS
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _touch(portfolio: Portfolio) -> None:
    # update() sends no signal: cached pages (lib.pagecache) learn of the change here.
    Item.objects.filter(pk=portfolio.pk).update(updated=timezone.now())
    content_changed()


# --- portfolios ---------------------------------------------------------------------------------------


@transaction.atomic
def create_portfolio(
    *,
    owner,
    title: str,
    kind: str = Portfolio.Kind.SHOWCASE,
    summary: str = "",
    space=None,
    visibility: str = Visibility.PRIVATE,
    tags: Iterable[str] = (),
    shared_with: Iterable = (),
    template: PortfolioTemplate | None = None,
    guided: bool = True,
    reflection_template: ReflectionTemplate | None = None,
) -> Portfolio:
    """Start a portfolio: from a curator's template, from the guided start for its kind (``guided``), or empty.
    It starts private unless the owner says otherwise."""
    if not owner.is_authenticated:
        raise PermissionDenied("Sign in to make a portfolio.")
    if kind not in Portfolio.Kind.values:
        raise ValidationError("A portfolio is a showcase or a process portfolio.")
    if template is not None:
        if not template.published:
            raise ValidationError("That template is not published.")
        kind = template.kind
        reflection_template = reflection_template or template.reflection_template
    if space is not None and not can_create_in(owner, space):
        raise PermissionDenied("You can't add portfolios to this space.")
    shared_with = list(shared_with)
    check_portfolio_visibility(visibility=visibility, space=space, shared_with=shared_with)
    item = create_item(
        owner=owner,
        kind=ItemKind.PORTFOLIO,
        title=_check_title(title),
        summary=summary,
        space=space,
        visibility=visibility,
        tags=tags,
        shared_with=shared_with,
    )
    portfolio = Portfolio.objects.create(
        item=item, kind=kind, template=template, reflection_template=reflection_template
    )
    structure = template.structure if template is not None else (GUIDED_START[kind] if guided else [])
    _build(portfolio, structure)
    if not portfolio.pages.exists():
        add_page(actor=owner, portfolio=portfolio, title="Welcome" if kind == Portfolio.Kind.SHOWCASE else "Goals")
    portfolio.refresh_from_db()
    watch(user=owner, item=item)
    record_activity(actor=owner, verb=Activity.Verb.CREATED, item=item)
    schedule_index(item)
    return portfolio


def _build(portfolio: Portfolio, structure: list[dict]) -> None:
    """Lay out pages and empty blocks, each with its guidance, from a template's or the guided start's structure."""
    prompts = portfolio.prompts()
    for n, spec in enumerate(structure[:MAX_PAGES]):
        layout = spec.get("layout") if spec.get("layout") in Layout.values else Layout.ONE
        title = (spec.get("title") or f"Page {n + 1}").strip()[:TITLE_MAX]
        page = PortfolioPage.objects.create(
            portfolio=portfolio,
            title=title,
            slug=_unique_slug(portfolio, title),
            position=n,
            layout=layout,
            guidance=spec.get("guidance", ""),
        )
        for m, block in enumerate(spec.get("blocks", [])[:MAX_BLOCKS_PER_PAGE]):
            kind = block.get("kind")
            if kind not in Block.Kind.values:
                continue
            Block.objects.create(
                page=page,
                kind=kind,
                column=min(int(block.get("column", 0) or 0), COLUMNS[layout] - 1),
                position=m,
                title=(block.get("title") or "")[:TITLE_MAX],
                guidance=block.get("guidance", ""),
                answers=[{"prompt": p["prompt"], "answer": ""} for p in prompts]
                if kind == Block.Kind.REFLECTION
                else [],
                private=bool(block.get("private", False)),
            )
    Portfolio.objects.filter(pk=portfolio.pk).update(page_count=portfolio.pages.count())


@transaction.atomic
def update_portfolio(
    *,
    actor,
    portfolio: Portfolio,
    title: str,
    summary: str,
    visibility: str,
    tags: Iterable[str],
    shared_with=None,
    reflection_template=_UNCHANGED,
) -> Portfolio:
    """Change what the spine keeps (title, summary, tags, who may see it) and the reflection prompts;
    ``reflection_template=None`` goes back to the built-in prompts."""
    _require_editor(actor, portfolio)
    item = portfolio.item
    check_portfolio_visibility(
        visibility=visibility, space=item.space, shared_with=list(shared_with or item.shared_with.all())
    )
    update_item(
        item=item, title=_check_title(title), summary=summary, visibility=visibility, tags=tags, shared_with=shared_with
    )
    if reflection_template is not _UNCHANGED and portfolio.reflection_template_id != getattr(
        reflection_template, "pk", None
    ):
        portfolio.reflection_template = reflection_template
        portfolio.save(update_fields=["reflection_template"])
    record_activity(actor=actor, verb=Activity.Verb.UPDATED, item=item, extra={"quiet": True})
    schedule_index(item)
    return portfolio


@transaction.atomic
def delete_portfolio(*, actor, portfolio: Portfolio) -> None:
    """Soft delete, like every item: it leaves lists and search, and can be restored by an admin."""
    _require_editor(actor, portfolio)
    Item.objects.filter(pk=portfolio.pk).update(deleted_at=timezone.now())
    record_activity(actor=actor, verb=Activity.Verb.DELETED, item=portfolio.item, extra={"quiet": True})
    schedule_index(portfolio.item)


# --- pages --------------------------------------------------------------------------------------------


@transaction.atomic
def add_page(*, actor, portfolio: Portfolio, title: str, layout: str = Layout.ONE, guidance: str = "") -> PortfolioPage:
    _require_editor(actor, portfolio)
    if layout not in Layout.values:
        raise ValidationError("Choose one of the layouts.")
    title = _check_title(title, "page")
    if portfolio.pages.count() >= MAX_PAGES:
        raise ValidationError(f"A portfolio holds at most {MAX_PAGES} pages; start another portfolio.")
    last = portfolio.pages.aggregate(m=Max("position"))["m"]
    page = PortfolioPage.objects.create(
        portfolio=portfolio,
        title=title,
        slug=_unique_slug(portfolio, title),
        position=0 if last is None else last + 1,
        layout=layout,
        guidance=guidance,
    )
    Portfolio.objects.filter(pk=portfolio.pk).update(page_count=F("page_count") + 1)
    _touch(portfolio)
    return page


@transaction.atomic
def update_page(*, actor, page: PortfolioPage, title: str, layout: str) -> PortfolioPage:
    """Rename a page or change its layout; blocks in columns the new layout lacks move to its last column."""
    _require_editor(actor, page.portfolio)
    if layout not in Layout.values:
        raise ValidationError("Choose one of the layouts.")
    title = _check_title(title, "page")
    if title != page.title:
        page.slug = _unique_slug(page.portfolio, title, exclude=page.pk)
    page.title, page.layout, page.updated = title, layout, timezone.now()
    page.save()
    last_column = COLUMNS[layout] - 1
    page.blocks.filter(column__gt=last_column).update(column=last_column)
    _touch(page.portfolio)
    return page


@transaction.atomic
def move_page(*, actor, page: PortfolioPage, position: int) -> None:
    """Put a page at ``position`` (0-based) in its portfolio's navigation."""
    _require_editor(actor, page.portfolio)
    pages = list(page.portfolio.pages.exclude(pk=page.pk).order_by("position", "pk"))
    pages.insert(max(0, min(position, len(pages))), page)
    for n, each in enumerate(pages):
        if each.position != n:
            PortfolioPage.objects.filter(pk=each.pk).update(position=n)
    _touch(page.portfolio)


@transaction.atomic
def delete_page(*, actor, page: PortfolioPage) -> None:
    portfolio = page.portfolio
    _require_editor(actor, portfolio)
    if portfolio.pages.count() <= 1:
        raise ValidationError("A portfolio keeps at least one page.")
    page.delete()
    Portfolio.objects.filter(pk=portfolio.pk).update(page_count=F("page_count") - 1)
    _touch(portfolio)


# --- blocks -------------------------------------------------------------------------------------------


def _check_block_item(actor, item: Item | None, kind: str, *, portfolio: Portfolio | None = None) -> None:
    if item is None:
        return
    if item.deleted_at is not None or not can_view(actor, item):
        raise ValidationError("That item does not exist.")
    if portfolio is not None and item.pk == portfolio.pk:
        raise ValidationError("A portfolio cannot show itself; choose another item.")
    if kind == Block.Kind.GALLERY:
        detail = getattr(item, "file", None) if item.kind == ItemKind.FILE else None
        if detail is None or detail.family != "image":
            raise ValidationError(f"“{item.title}” is not an image: a gallery holds images.")


def _check_enrolment(actor, enrolment) -> None:
    if enrolment is None:
        return
    if enrolment.person_id != actor.pk:
        raise ValidationError("You can only show your own course completions.")
    if enrolment.state != enrolment.State.COMPLETED:
        raise ValidationError("Only a course you completed can be shown as evidence.")


def _clean_body(body: str) -> str:
    body = body or ""
    if len(body) > BODY_MAX:
        raise ValidationError(f"Keep the text under {BODY_MAX:,} characters; split it over several blocks.")
    return body


def _clean_answers(answers, prompts: list[dict]) -> list[dict]:
    if not answers:
        return [{"prompt": p["prompt"], "answer": ""} for p in prompts]
    cleaned = []
    for answer in answers:
        if not isinstance(answer, dict) or not str(answer.get("prompt", "")).strip():
            raise ValidationError("Each reflection answer needs its prompt.")
        cleaned.append({"prompt": str(answer["prompt"])[:300], "answer": str(answer.get("answer", ""))[:20000]})
    return cleaned


def _clean_events(events) -> list[dict]:
    cleaned = []
    for event in events or []:
        if not isinstance(event, dict):
            raise ValidationError("Each milestone needs a date and a title.")
        try:
            when = date.fromisoformat(str(event.get("date", "")))
        except ValueError:
            raise ValidationError("Give each milestone a date like 2026-03-31.") from None
        title = str(event.get("title", "")).strip()
        if not title:
            raise ValidationError("Give each milestone a title.")
        cleaned.append(
            {"date": when.isoformat(), "title": title[:TITLE_MAX], "text": str(event.get("text", ""))[:2000]}
        )
    if len(cleaned) > MAX_EVENTS:
        raise ValidationError(f"A timeline holds at most {MAX_EVENTS} milestones.")
    return sorted(cleaned, key=lambda e: e["date"])


def _clean_images(actor, images: Iterable) -> list[tuple[Item, str]]:
    """Gallery images as (file item, caption); each may be given as an item alone."""
    rows = []
    for image in images:
        item, caption = image if isinstance(image, tuple) else (image, "")
        _check_block_item(actor, item, Block.Kind.GALLERY)
        rows.append((item, " ".join(str(caption or "").split())[:300]))
    if len(rows) > MAX_IMAGES:
        raise ValidationError(f"A gallery holds at most {MAX_IMAGES} images; add another gallery.")
    return rows


@transaction.atomic
def add_block(
    *,
    actor,
    page: PortfolioPage,
    kind: str,
    column: int = 0,
    title: str = "",
    body: str = "",
    answers=None,
    events=None,
    item: Item | None = None,
    enrolment=None,
    images: Iterable = (),
    private: bool = False,
    guidance: str = "",
    position: int | None = None,
) -> Block:
    """Add a block at the end of a column (or at ``position``). ``images`` are file items or (item, caption)."""
    portfolio = page.portfolio
    _require_editor(actor, portfolio)
    if kind not in Block.Kind.values:
        raise ValidationError("Choose a kind of block.")
    if page.blocks.count() >= MAX_BLOCKS_PER_PAGE:
        raise ValidationError(f"A page holds at most {MAX_BLOCKS_PER_PAGE} blocks; add another page.")
    if not 0 <= column < page.columns:
        raise ValidationError(f"This page's layout has {page.columns} column(s).")
    _check_block_item(actor, item, kind, portfolio=portfolio)
    _check_enrolment(actor, enrolment)
    images = _clean_images(actor, images)
    body = _clean_body(body)
    siblings = page.blocks.filter(column=column)
    if position is None:
        last = siblings.aggregate(m=Max("position"))["m"]
        position = 0 if last is None else last + 1
    else:
        position = max(0, position)
        siblings.filter(position__gte=position).update(position=F("position") + 1)
    block = Block.objects.create(
        page=page,
        kind=kind,
        column=column,
        position=position,
        title=(title or "").strip()[:TITLE_MAX],
        body=body,
        **queries.block_body_html(body),
        answers=_clean_answers(answers, portfolio.prompts()) if kind == Block.Kind.REFLECTION else [],
        events=_clean_events(events) if kind == Block.Kind.TIMELINE else [],
        item=item,
        enrolment=enrolment,
        private=private,
        guidance=(guidance or "")[:2000],
    )
    BlockImage.objects.bulk_create(
        BlockImage(block=block, item=image, caption=caption, position=n) for n, (image, caption) in enumerate(images)
    )
    _touch(portfolio)
    schedule_index(portfolio.item)
    return block


@transaction.atomic
def update_block(
    *,
    actor,
    block: Block,
    title=_UNCHANGED,
    body=_UNCHANGED,
    answers=_UNCHANGED,
    events=_UNCHANGED,
    item=_UNCHANGED,
    enrolment=_UNCHANGED,
    images=_UNCHANGED,
    private=_UNCHANGED,
) -> Block:
    """Change what a block holds; only the fields given change. ``images`` replaces the gallery's images
    (file items or (item, caption)); an artefact holds an item or a course completion, not both."""
    portfolio = block.page.portfolio
    _require_editor(actor, portfolio)
    if title is not _UNCHANGED:
        block.title = (title or "").strip()[:TITLE_MAX]
    if body is not _UNCHANGED:
        block.body = _clean_body(body)
        for name, value in queries.block_body_html(block.body).items():
            setattr(block, name, value)
    if answers is not _UNCHANGED:
        block.answers = _clean_answers(answers, portfolio.prompts())
    if events is not _UNCHANGED:
        block.events = _clean_events(events)
    if item is not _UNCHANGED:
        if item is not None and item.pk != block.item_id:
            _check_block_item(actor, item, block.kind, portfolio=portfolio)
        block.item = item
        if item is not None and enrolment is _UNCHANGED:
            block.enrolment = None
    if enrolment is not _UNCHANGED:
        _check_enrolment(actor, enrolment)
        block.enrolment = enrolment
        if enrolment is not None and item is _UNCHANGED:
            block.item = None
    if private is not _UNCHANGED:
        block.private = bool(private)
    if images is not _UNCHANGED:
        rows = _clean_images(actor, images)
        block.images.all().delete()
        BlockImage.objects.bulk_create(
            BlockImage(block=block, item=image, caption=caption, position=n) for n, (image, caption) in enumerate(rows)
        )
    block.updated = timezone.now()
    block.save()
    _touch(portfolio)
    schedule_index(portfolio.item)
    return block


def sharing_like(portfolio: Portfolio, actor) -> dict:
    """Where a file or link added to the portfolio is kept and who sees it: as the portfolio itself, so the
    people who see the portfolio see its evidence (a space the actor cannot add to is left out)."""
    item = portfolio.item
    space = item.space if item.space_id and can_create_in(actor, item.space) else None
    visibility = item.visibility
    if visibility == Visibility.SPACE and space is None:
        visibility = Visibility.PRIVATE
    shared = list(item.shared_with.all()) if visibility == Visibility.PEOPLE else []
    return {"space": space, "visibility": visibility, "shared_with": shared}


def evidence_from_upload(*, actor, portfolio: Portfolio, uploaded, title: str = "") -> Item:
    """Upload a file through the files app (checked before anything is kept), shared like the portfolio."""
    from files.services import upload_file

    _require_editor(actor, portfolio)
    return upload_file(owner=actor, uploaded=uploaded, title=title, **sharing_like(portfolio, actor))


def evidence_from_link(*, actor, portfolio: Portfolio, url: str, title: str = "") -> Item:
    """Save a web address through the links app (one shared link, the person's own save), shared like the
    portfolio."""
    from links.services import save_link

    _require_editor(actor, portfolio)
    if not (url or "").strip():
        raise ValidationError("Give the link's address.")
    outcome = save_link(user=actor, url=url.strip(), title=title, **sharing_like(portfolio, actor))
    return outcome.bookmark.item


def attach_upload(*, actor, block: Block, uploaded, title: str = "") -> Block:
    """Upload a file as the artefact of ``block``."""
    if block.kind != Block.Kind.ARTEFACT:
        raise ValidationError("Only an artefact block holds an uploaded file.")
    item = evidence_from_upload(actor=actor, portfolio=block.page.portfolio, uploaded=uploaded, title=title)
    return update_block(actor=actor, block=block, item=item)


def attach_link(*, actor, block: Block, url: str, title: str = "") -> Block:
    """Save a web address as the artefact of ``block``."""
    if block.kind != Block.Kind.ARTEFACT:
        raise ValidationError("Only an artefact block holds a link.")
    item = evidence_from_link(actor=actor, portfolio=block.page.portfolio, url=url, title=title)
    return update_block(actor=actor, block=block, item=item)


def check_images(uploads: Sequence) -> None:
    """Refuse (UploadRejected) any upload that is not an image a gallery can show, before anything is written."""
    from django.conf import settings

    from lib.uploads import inspect_upload

    limit = settings.WATERCOOLER_MAX_UPLOAD_MB * 1024 * 1024
    for uploaded in uploads:
        inspect_upload(uploaded, max_bytes=limit, families={"image"})
        uploaded.seek(0)


def add_gallery_uploads(*, actor, block: Block, uploads: Sequence) -> Block:
    """Upload images into a gallery: every file is checked to be an image before the first is kept."""
    from files.services import upload_files

    _require_editor(actor, block.page.portfolio)
    if block.kind != Block.Kind.GALLERY:
        raise ValidationError("Only a gallery holds images.")
    uploads = list(uploads)
    if block.images.count() + len(uploads) > MAX_IMAGES:
        raise ValidationError(f"A gallery holds at most {MAX_IMAGES} images; add another gallery.")
    check_images(uploads)
    items = upload_files(owner=actor, uploads=[(u, "") for u in uploads], **sharing_like(block.page.portfolio, actor))
    current = [(image.item, image.caption) for image in block.images.select_related("item__file")]
    return update_block(actor=actor, block=block, images=current + [(item, "") for item in items])


@transaction.atomic
def move_block(*, actor, block: Block, column: int, position: int) -> Block:
    """Put a block at ``position`` in ``column`` (drag and drop, or the move buttons)."""
    page = block.page
    _require_editor(actor, page.portfolio)
    if not 0 <= column < page.columns:
        raise ValidationError(f"This page's layout has {page.columns} column(s).")
    others = list(page.blocks.filter(column=column).exclude(pk=block.pk).order_by("position", "pk"))
    others.insert(max(0, min(position, len(others))), block)
    block.column = column
    for n, each in enumerate(others):
        Block.objects.filter(pk=each.pk).update(column=column, position=n)
    block.refresh_from_db()
    _touch(page.portfolio)
    return block


MOVES = ("up", "down", "left", "right")


def nudge_block(*, actor, block: Block, direction: str) -> Block:
    """One step up or down its column, or into the column on its left or right (the editor's buttons)."""
    if direction not in MOVES:
        raise ValidationError("Move a block up, down, left or right.")
    siblings = list(
        block.page.blocks.filter(column=block.column).order_by("position", "pk").values_list("pk", flat=True)
    )
    index = siblings.index(block.pk) if block.pk in siblings else 0
    if direction in ("up", "down"):
        return move_block(
            actor=actor, block=block, column=block.column, position=index + (-1 if direction == "up" else 1)
        )
    column = block.column + (-1 if direction == "left" else 1)
    if not 0 <= column < block.page.columns:
        raise ValidationError("There is no column on that side.")
    return move_block(actor=actor, block=block, column=column, position=index)


@transaction.atomic
def delete_block(*, actor, block: Block) -> None:
    portfolio = block.page.portfolio
    _require_editor(actor, portfolio)
    block.delete()
    _touch(portfolio)
    schedule_index(portfolio.item)


@transaction.atomic
def share_evidence_like_portfolio(*, actor, portfolio: Portfolio) -> tuple[int, list[str]]:
    """Open up the actor's own items shown in the portfolio (artefacts, embeds, gallery images, journal
    evidence) to the people who see the portfolio, so they do not meet "not shared with you". Items are
    only ever widened, never narrowed. Answers (items shared, titles that could not be)."""
    from core.access import can_edit as _can_edit

    _require_editor(actor, portfolio)
    target = portfolio.item
    ids = set(Block.objects.filter(page__portfolio=portfolio, item__isnull=False).values_list("item_id", flat=True))
    ids |= set(BlockImage.objects.filter(block__page__portfolio=portfolio).values_list("item_id", flat=True))
    ids |= set(portfolio.entries.filter(item__isnull=False).values_list("item_id", flat=True))
    people = list(target.shared_with.all()) if target.visibility == Visibility.PEOPLE else []
    shared, refused = 0, []
    for item in Item.objects.filter(pk__in=ids, owner=actor, deleted_at__isnull=True).prefetch_related(
        "shared_with", "tags"
    ):
        if VISIBILITY_RANK[item.visibility] > VISIBILITY_RANK[target.visibility] or not _can_edit(actor, item):
            continue
        if target.visibility == Visibility.SPACE and item.space_id != target.space_id:
            refused.append(item.title)
            continue
        if item.visibility == target.visibility and target.visibility != Visibility.PEOPLE:
            continue
        current = set(item.shared_with.all()) if item.visibility == Visibility.PEOPLE else set()
        if item.visibility == target.visibility and current >= set(people):
            continue
        update_item(
            item=item,
            title=item.title,
            summary=item.summary,
            visibility=target.visibility,
            tags=[t.name for t in item.tags.all()],
            shared_with=sorted(current | set(people), key=lambda p: p.pk) if people else None,
        )
        schedule_index(item)
        shared += 1
    if shared:
        record_activity(actor=actor, verb=Activity.Verb.SHARED, item=target, extra={"quiet": True, "evidence": shared})
    return shared, refused


# --- the journal of a process portfolio -------------------------------------------------------------


@transaction.atomic
def add_entry(
    *,
    actor,
    portfolio: Portfolio,
    title: str,
    happened: date | None = None,
    body: str = "",
    answers=None,
    reflection_private: bool = False,
    item: Item | None = None,
) -> JournalEntry:
    _require_owner(actor, portfolio)
    _check_block_item(actor, item, Block.Kind.ARTEFACT)
    entry = JournalEntry.objects.create(
        portfolio=portfolio,
        title=_check_title(title, "entry"),
        happened=happened or timezone.localdate(),
        body=_clean_body(body),
        answers=_clean_answers(answers, portfolio.prompts()),
        reflection_private=reflection_private,
        item=item,
    )
    Portfolio.objects.filter(pk=portfolio.pk).update(entry_count=F("entry_count") + 1)
    _touch(portfolio)
    record_activity(actor=actor, verb=Activity.Verb.UPDATED, item=portfolio.item, extra={"journal_entry": entry.pk})
    schedule_index(portfolio.item)
    return entry


@transaction.atomic
def update_entry(
    *,
    actor,
    entry: JournalEntry,
    title: str,
    happened: date,
    body: str,
    answers,
    reflection_private: bool,
    item: Item | None = None,
) -> JournalEntry:
    _require_owner(actor, entry.portfolio)
    _check_block_item(actor, item, Block.Kind.ARTEFACT)
    entry.title = _check_title(title, "entry")
    entry.happened, entry.body, entry.item = happened, _clean_body(body), item
    entry.answers = _clean_answers(answers, entry.portfolio.prompts())
    entry.reflection_private = reflection_private
    entry.updated = timezone.now()
    entry.save()
    _touch(entry.portfolio)
    schedule_index(entry.portfolio.item)
    return entry


@transaction.atomic
def delete_entry(*, actor, entry: JournalEntry) -> None:
    portfolio = entry.portfolio
    _require_owner(actor, portfolio)
    entry.delete()
    Portfolio.objects.filter(pk=portfolio.pk).update(entry_count=F("entry_count") - 1)
    _touch(portfolio)
    schedule_index(portfolio.item)


# --- curators' templates ------------------------------------------------------------------------------


def _require_curator(user) -> None:
    if not getattr(user, "is_curator", False):
        raise PermissionDenied("Only curators publish portfolio templates.")


def clean_structure(structure) -> list[dict]:
    """A template's pages and blocks, checked: known layouts and kinds, columns within the layout."""
    if not isinstance(structure, list) or not structure:
        raise ValidationError("A template has at least one page.")
    if len(structure) > MAX_PAGES:
        raise ValidationError(f"A template has at most {MAX_PAGES} pages.")
    pages = []
    for n, page in enumerate(structure, start=1):
        if not isinstance(page, dict) or not str(page.get("title", "")).strip():
            raise ValidationError(f"Page {n} needs a title.")
        layout = page.get("layout", Layout.ONE)
        if layout not in Layout.values:
            raise ValidationError(f"Page {n}: choose one of the layouts.")
        blocks = []
        for m, block in enumerate(page.get("blocks", []) or [], start=1):
            if not isinstance(block, dict) or block.get("kind") not in Block.Kind.values:
                raise ValidationError(f"Page {n}, block {m}: choose a kind of block.")
            column = int(block.get("column", 0) or 0)
            if not 0 <= column < COLUMNS[layout]:
                raise ValidationError(f"Page {n}, block {m}: the layout has {COLUMNS[layout]} column(s).")
            blocks.append(
                {
                    "kind": block["kind"],
                    "title": str(block.get("title", ""))[:TITLE_MAX],
                    "column": column,
                    "guidance": str(block.get("guidance", ""))[:2000],
                    "private": bool(block.get("private", False)),
                }
            )
        pages.append(
            {
                "title": str(page["title"]).strip()[:TITLE_MAX],
                "layout": layout,
                "guidance": str(page.get("guidance", ""))[:2000],
                "blocks": blocks[:MAX_BLOCKS_PER_PAGE],
            }
        )
    return pages


@transaction.atomic
def save_template(
    *,
    actor,
    title: str,
    kind: str,
    structure,
    description: str = "",
    audience: str = "",
    skill=None,
    reflection_template: ReflectionTemplate | None = None,
    published: bool = False,
    template: PortfolioTemplate | None = None,
) -> PortfolioTemplate:
    """Create (or, given ``template``, change) a curator's portfolio template."""
    _require_curator(actor)
    if kind not in Portfolio.Kind.values:
        raise ValidationError("A template is for a showcase or a process portfolio.")
    template = template or PortfolioTemplate(created_by=actor)
    template.title = _check_title(title, "template")
    template.kind, template.description, template.audience = kind, description, audience[:200]
    template.skill, template.reflection_template, template.published = skill, reflection_template, published
    template.structure = clean_structure(structure)
    template.save()
    return template


def template_from_portfolio(portfolio: Portfolio) -> list[dict]:
    """A portfolio's pages and blocks as a template structure (what a curator publishes from an example)."""
    pages = portfolio.pages.prefetch_related("blocks")
    return [
        {
            "title": page.title,
            "layout": page.layout,
            "guidance": page.guidance,
            "blocks": [
                {"kind": b.kind, "title": b.title, "column": b.column, "guidance": b.guidance, "private": b.private}
                for b in page.blocks.all()
            ],
        }
        for page in pages
    ]


@transaction.atomic
def save_reflection_template(
    *, actor, name: str, prompts, description: str = "", template: ReflectionTemplate | None = None
) -> ReflectionTemplate:
    _require_curator(actor)
    name = _check_title(name, "set of prompts")
    cleaned = []
    for prompt in prompts or []:
        text = str(prompt.get("prompt", "") if isinstance(prompt, dict) else prompt).strip()
        if text:
            cleaned.append(
                {"prompt": text[:300], "help": str(prompt.get("help", "") if isinstance(prompt, dict) else "")}
            )
    if not cleaned:
        raise ValidationError("Give at least one prompt.")
    clash = ReflectionTemplate.objects.filter(name__iexact=name).exclude(pk=getattr(template, "pk", None))
    if clash.exists():
        raise ValidationError("Another set of prompts has that name.")
    template = template or ReflectionTemplate(created_by=actor)
    template.name, template.description, template.prompts = name, description, cleaned
    template.save()
    return template


@transaction.atomic
def delete_template(*, actor, template: PortfolioTemplate) -> None:
    """Portfolios started from it keep their pages; they only forget where they came from."""
    _require_curator(actor)
    template.delete()


@transaction.atomic
def delete_reflection_template(*, actor, template: ReflectionTemplate) -> None:
    """Portfolios that used these prompts go back to the built-in ones; reflections already written keep
    their prompts with their answers."""
    _require_curator(actor)
    template.delete()


def default_prompts() -> list[dict]:
    return WHAT_SO_WHAT_NOW_WHAT
