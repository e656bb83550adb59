"""Portfolios through the API: portfolios, their pages and blocks, artefacts, and the journal of a process
portfolio. The same services as the pages (``portfolios.services``).

Paths are relative to where the router is mounted (``/api/portfolios/``). A portfolio you may not see answers
404; one you see but may not change answers 403. Blocks and entries come through ``portfolios.queries``:
a private block, and the answers of a private reflection, are in the answer to the portfolio's owner only
(not to administrators), and an item a block shows is named only to callers who may see that item.
"""

from datetime import date, datetime
from typing import Literal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from api.auth import ANONYMOUS_ALLOWED, api_auth_or_anonymous
from core.access import can_edit, get_visible_or_404
from core.api import ItemFields
from core.models import Item, ItemKind
from portfolios import queries, services
from portfolios.models import Block, JournalEntry, Portfolio, PortfolioPage, PortfolioTemplate, ReflectionTemplate

router = Router(tags=["portfolios"])

MAX_ID = 2**63 - 1
VisibilityIn = Literal["private", "people", "space", "organisation"]
KindIn = Literal["showcase", "process"]
LayoutIn = Literal["one", "two", "wide_left", "three"]
BlockKindIn = Literal["text", "artefact", "gallery", "embed", "reflection", "skills", "timeline"]


class ErrorOut(Schema):
    detail: str


REFUSALS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


# --- schemas ----------------------------------------------------------------------------------------------


class PromptOut(Schema):
    prompt: str
    help: str = ""


class PageRef(Schema):
    id: int
    title: str
    slug: str
    position: int
    layout: str
    url: str


class PortfolioOut(ItemFields):
    kind: str = Field(description="showcase or process.")
    page_count: int
    entry_count: int
    template: int | None = Field(None, description="The curator's template it was started from.")
    shared_with: list[str] | None = Field(None, description="Usernames it is shared with (to its owner only).")

    @staticmethod
    def resolve_kind(obj):
        return obj.portfolio.kind

    @staticmethod
    def resolve_page_count(obj):
        return obj.portfolio.page_count

    @staticmethod
    def resolve_entry_count(obj):
        return obj.portfolio.entry_count

    @staticmethod
    def resolve_template(obj):
        return obj.portfolio.template_id

    @staticmethod
    def resolve_shared_with(obj, context):
        if obj.owner_id != context["request"].user.pk:
            return None
        return [person.username for person in obj.shared_with.all()]


class PortfolioDetailOut(PortfolioOut):
    pages: list[PageRef]
    prompts: list[PromptOut] = Field(description="The prompts its reflections answer.")

    @staticmethod
    def resolve_pages(obj):
        return [_page_ref(page) for page in queries.pages_of(obj.portfolio)]

    @staticmethod
    def resolve_prompts(obj):
        return obj.portfolio.prompts()


class PortfolioIn(Schema):
    title: str = Field(max_length=services.TITLE_MAX)
    kind: KindIn = "showcase"
    summary: str = ""
    space: str | None = Field(None, description="A space's slug, to keep it in that space.")
    visibility: VisibilityIn = Field("private", description="It starts private unless you say otherwise.")
    tags: list[str] = Field(default_factory=list)
    shared_with: list[str] = Field(default_factory=list, description="Usernames, for visibility “people”.")
    template: int | None = Field(None, description="A published curator's template to start from.")
    guided: bool = Field(True, description="Lay out the guided start's pages and blocks for its kind.")
    prompts: int | None = Field(None, description="A set of reflection prompts; null: the built-in ones.")


class PortfolioPatch(Schema):
    title: str | None = Field(None, max_length=services.TITLE_MAX)
    summary: str | None = None
    visibility: VisibilityIn | None = None
    tags: list[str] | None = None
    shared_with: list[str] | None = None
    prompts: int | None = Field(None, description="A set of reflection prompts; null: the built-in ones.")


class ItemRef(Schema):
    id: int
    kind: str
    title: str
    url: str


class ImageOut(Schema):
    item: ItemRef
    caption: str


class EnrolmentRef(Schema):
    id: int
    course: ItemRef
    completed_at: datetime | None
    confirmed: bool


class AnswerIO(Schema):
    prompt: str
    answer: str = ""


class EventIO(Schema):
    date: date
    title: str
    text: str = ""


class BlockOut(Schema):
    id: int
    page: int
    kind: str
    column: int
    position: int
    title: str
    body: str
    answers: list[AnswerIO]
    events: list[EventIO]
    item: ItemRef | None = Field(None, description="What an artefact or embed shows, when you may see it.")
    item_hidden: bool = Field(False, description="It shows something that is not shared with you.")
    enrolment: EnrolmentRef | None = None
    images: list[ImageOut]
    images_hidden: int = 0
    private: bool
    guidance: str
    empty: bool


class PageOut(PageRef):
    guidance: str
    columns: int


class PageDetailOut(PageOut):
    blocks: list[BlockOut]


class PageIn(Schema):
    title: str = Field(max_length=services.TITLE_MAX)
    layout: LayoutIn = "one"
    guidance: str = Field("", max_length=2000)


class PagePatch(Schema):
    title: str | None = Field(None, max_length=services.TITLE_MAX)
    layout: LayoutIn | None = None


class PositionIn(Schema):
    position: int = Field(ge=0, description="0-based place in the portfolio's navigation.")


class ImageIn(Schema):
    item: int
    caption: str = ""


class BlockIn(Schema):
    kind: BlockKindIn
    column: int = Field(0, ge=0)
    position: int | None = Field(None, ge=0, description="Its place in the column; left out: at the end.")
    title: str = Field("", max_length=services.TITLE_MAX)
    body: str = ""
    answers: list[AnswerIO] | None = None
    events: list[EventIO] | None = None
    item: int | None = Field(None, description="An item you may see, for an artefact or an embed.")
    enrolment: int | None = Field(None, description="One of your completed course enrolments, for an artefact.")
    images: list[ImageIn] = Field(default_factory=list, description="Image files, for a gallery.")
    private: bool = False


class BlockPatch(Schema):
    title: str | None = Field(None, max_length=services.TITLE_MAX)
    body: str | None = None
    answers: list[AnswerIO] | None = None
    events: list[EventIO] | None = None
    item: int | None = None
    enrolment: int | None = None
    images: list[ImageIn] | None = None
    private: bool | None = None


class BlockMoveIn(Schema):
    column: int = Field(ge=0)
    position: int = Field(ge=0)


class ArtefactIn(Schema):
    item: int | None = Field(None, description="Any item you may see: a file, a link, a wiki page, a board…")
    enrolment: int | None = Field(None, description="One of your completed course enrolments.")


class EntryOut(Schema):
    id: int
    happened: date
    title: str
    body: str
    answers: list[AnswerIO] = Field(description="The reflection; empty when it is private and you are not the owner.")
    reflection_private: bool | None = Field(None, description="To the owner only.")
    item: ItemRef | None = None
    item_hidden: bool = False
    created: datetime
    updated: datetime


class EntryIn(Schema):
    title: str = Field(max_length=services.TITLE_MAX)
    happened: date | None = Field(None, description="When the work took place; left out: today.")
    body: str = ""
    answers: list[AnswerIO] | None = None
    reflection_private: bool = False
    item: int | None = Field(None, description="Evidence: an item you may see.")


class EntryPatch(Schema):
    title: str | None = Field(None, max_length=services.TITLE_MAX)
    happened: date | None = None
    body: str | None = None
    answers: list[AnswerIO] | None = None
    reflection_private: bool | None = None
    item: int | None = None


class TemplateOut(Schema):
    id: int
    title: str
    kind: str
    audience: str
    description: str
    pages: list[str]

    @staticmethod
    def resolve_pages(obj):
        return [page.get("title", "") for page in obj.structure]


# --- lookups ----------------------------------------------------------------------------------------------


def _portfolio_item(request, portfolio_id: int) -> Item:
    if portfolio_id > MAX_ID:
        raise Http404("Not found")
    items = Item.objects.filter(kind=ItemKind.PORTFOLIO).select_related(
        "owner", "space", "portfolio__reflection_template"
    )
    return get_visible_or_404(request.user, items.prefetch_related("tags", "shared_with"), pk=portfolio_id)


def _portfolio(request, portfolio_id: int) -> Portfolio:
    item = _portfolio_item(request, portfolio_id)
    portfolio = item.portfolio
    portfolio.item = item
    return portfolio


def _page(portfolio: Portfolio, page_id: int) -> PortfolioPage:
    page = PortfolioPage.objects.filter(portfolio=portfolio, pk=min(page_id, MAX_ID)).first()
    if page is None:
        raise Http404("Not found")
    page.portfolio = portfolio
    return page


def _block(request, portfolio: Portfolio, block_id: int) -> Block:
    block = Block.objects.select_related("page").filter(page__portfolio=portfolio, pk=min(block_id, MAX_ID)).first()
    if block is None or (block.private and not queries.is_owner(request.user, portfolio)):
        raise Http404("Not found")
    block.page.portfolio = portfolio
    return block


def _journal(request, portfolio_id: int) -> Portfolio:
    portfolio = _portfolio(request, portfolio_id)
    if portfolio.kind != Portfolio.Kind.PROCESS:
        raise ValidationError("Only a process portfolio keeps a journal.")
    return portfolio


def _entry(portfolio: Portfolio, entry_id: int) -> JournalEntry:
    entry = JournalEntry.objects.select_related("item").filter(portfolio=portfolio, pk=min(entry_id, MAX_ID)).first()
    if entry is None:
        raise Http404("Not found")
    entry.portfolio = portfolio
    return entry


def _item(request, item_id: int | None) -> Item | None:
    """An item the caller names as evidence; one they may not see "does not exist" (the services decide)."""
    if item_id is None:
        return None
    item = Item.objects.select_related("file").filter(pk=min(item_id, MAX_ID)).first()
    if item is None:
        raise ValidationError("That item does not exist.")
    return item


def _enrolment(request, enrolment_id: int | None):
    from catalog.models import Enrolment

    if enrolment_id is None:
        return None
    enrolment = Enrolment.objects.filter(pk=min(enrolment_id, MAX_ID), person=request.user).first()
    if enrolment is None:
        raise ValidationError("You can only show your own course completions.")
    return enrolment


def _people(request, usernames: list[str]) -> list:
    names = [n.strip().lstrip("@") for n in usernames if n.strip().lstrip("@")]
    people = list(get_user_model().objects.visible_to(request.user).filter(username__in=names))
    unknown = sorted(set(names) - {p.username for p in people})
    if unknown:
        raise ValidationError(f"No one here has the username {', '.join(unknown)}.")
    return people


def _prompts(prompts_id: int | None) -> ReflectionTemplate | None:
    if prompts_id is None:
        return None
    prompts = ReflectionTemplate.objects.filter(pk=min(prompts_id, MAX_ID)).first()
    if prompts is None:
        raise ValidationError("There is no such set of reflection prompts.")
    return prompts


def _ref(shown: queries.Shown) -> dict:
    return {"id": shown.pk, "kind": shown.kind, "title": shown.title, "url": shown.url}


def _block_out(block: Block) -> dict:
    """A block as queries.prepare_blocks readied it for the caller."""
    enrolment = None
    if block.course is not None:
        enrolment = {
            "id": block.enrolment_id,
            "course": {
                "id": block.course.pk,
                "kind": block.course.kind,
                "title": block.course.title,
                "url": block.course.get_absolute_url(),
            },
            "completed_at": block.enrolment.completed_at,
            "confirmed": block.enrolment.verified_completion,
        }
    return {
        "id": block.pk,
        "page": block.page_id,
        "kind": block.kind,
        "column": block.column,
        "position": block.position,
        "title": block.title,
        "body": block.body,
        "answers": block.answers or [],
        "events": block.events or [],
        "item": _ref(block.shown) if block.shown else None,
        "item_hidden": bool(block.hidden),
        "enrolment": enrolment,
        "images": [{"item": _ref(image.shown), "caption": image.caption} for image in block.images_shown],
        "images_hidden": block.images_hidden,
        "private": block.private,
        "guidance": block.guidance,
        "empty": block.empty,
    }


def _prepared_block(request, portfolio: Portfolio, block_id: int) -> dict:
    block = _block(request, portfolio, block_id)
    rows = list(queries._block_rows(request.user, block.page).filter(pk=block.pk))
    queries.prepare_blocks(request.user, portfolio, rows)
    return _block_out(rows[0])


def _page_ref(page: PortfolioPage, *, detail: bool = False) -> dict:
    from django.urls import reverse

    ref = {
        "id": page.pk,
        "title": page.title,
        "slug": page.slug,
        "position": page.position,
        "layout": page.layout,
        "url": reverse("portfolios:page", args=[page.portfolio_id, page.slug]),
    }
    if detail:
        ref.update(guidance=page.guidance, columns=page.columns)
    return ref


def _page_out(request, page: PortfolioPage) -> dict:
    columns = queries.page_blocks(request.user, page)
    return {
        **_page_ref(page, detail=True),
        "blocks": [_block_out(block) for column in columns for block in column],
    }


def _entry_out(request, portfolio: Portfolio, entry: JournalEntry) -> dict:
    (entry,) = queries.entries_for(request.user, portfolio, [entry])
    return {
        "id": entry.pk,
        "happened": entry.happened,
        "title": entry.title,
        "body": entry.body,
        "answers": queries.entry_answers(request.user, entry),
        "reflection_private": entry.reflection_private if queries.is_owner(request.user, portfolio) else None,
        "item": _ref(entry.shown) if entry.shown else None,
        "item_hidden": bool(entry.hidden),
        "created": entry.created,
        "updated": entry.updated,
    }


def _answers(answers: list[AnswerIO] | None):
    return None if answers is None else [a.model_dump() for a in answers]


def _events(events: list[EventIO] | None):
    return None if events is None else [{**e.model_dump(), "date": e.date.isoformat()} for e in events]


def _images(request, images: list[ImageIn]) -> list[tuple[Item, str]]:
    return [(_item(request, image.item), image.caption) for image in images]


# --- portfolios -------------------------------------------------------------------------------------------


@router.get("", response=list[PortfolioOut], auth=api_auth_or_anonymous, openapi_extra=ANONYMOUS_ALLOWED)
@paginate(LimitOffsetPagination, max_limit=200)
def list_portfolios(request, mine: bool = False, kind: KindIn | None = None):
    """Portfolios you may see, last changed first; ``mine`` keeps your own."""
    if mine:
        if not request.user.is_authenticated:
            return Item.objects.none()
        items = queries.my_portfolios(request.user)
    else:
        items = queries._cards(Item.objects.visible_to(request.user).filter(kind=ItemKind.PORTFOLIO))
    if kind:
        items = items.filter(portfolio__kind=kind)
    return items


@router.get("/templates", response=list[TemplateOut])
def list_templates(request):
    """The curators' published templates a portfolio can start from."""
    return list(queries.published_templates())


@router.post("", response={201: PortfolioDetailOut, **REFUSALS})
def create_portfolio(request, payload: PortfolioIn):
    """Start a portfolio: from a curator's template, from the guided start for its kind, or empty
    (``guided: false``). It is private unless ``visibility`` says otherwise; never public on the web."""
    from spaces.models import Space

    space = get_visible_or_404(request.user, Space.objects, slug=payload.space) if payload.space else None
    template = None
    if payload.template is not None:
        template = PortfolioTemplate.objects.filter(pk=min(payload.template, MAX_ID), published=True).first()
        if template is None:
            raise ValidationError("There is no such published template.")
    portfolio = services.create_portfolio(
        owner=request.user,
        title=payload.title,
        kind=payload.kind,
        summary=payload.summary,
        space=space,
        visibility=payload.visibility,
        tags=payload.tags,
        shared_with=_people(request, payload.shared_with),
        template=template,
        guided=payload.guided,
        reflection_template=_prompts(payload.prompts),
    )
    return Status(201, _portfolio_item(request, portfolio.pk))


@router.get(
    "/{portfolio_id}",
    response={200: PortfolioDetailOut, 404: ErrorOut},
    auth=api_auth_or_anonymous,
    openapi_extra=ANONYMOUS_ALLOWED,
)
def get_portfolio(request, portfolio_id: int):
    """One portfolio with its pages in navigation order."""
    return _portfolio_item(request, portfolio_id)


@router.patch("/{portfolio_id}", response={200: PortfolioDetailOut, **REFUSALS})
def update_portfolio(request, portfolio_id: int, payload: PortfolioPatch):
    """Change its title, summary, tags, who sees it, or its reflection prompts; fields left out stay."""
    portfolio = _portfolio(request, portfolio_id)
    item = portfolio.item
    given = payload.model_fields_set
    extra = {"reflection_template": _prompts(payload.prompts)} if "prompts" in given else {}
    services.update_portfolio(
        actor=request.user,
        portfolio=portfolio,
        title=payload.title if payload.title is not None else item.title,
        summary=payload.summary if payload.summary is not None else item.summary,
        visibility=payload.visibility or item.visibility,
        tags=payload.tags if payload.tags is not None else [t.name for t in item.tags.all()],
        shared_with=_people(request, payload.shared_with) if payload.shared_with is not None else None,
        **extra,
    )
    return _portfolio_item(request, portfolio_id)


@router.delete("/{portfolio_id}", response={204: None, **REFUSALS})
def delete_portfolio(request, portfolio_id: int):
    """Delete it for everyone; an administrator can restore it."""
    services.delete_portfolio(actor=request.user, portfolio=_portfolio(request, portfolio_id))
    return Status(204, None)


# --- pages ------------------------------------------------------------------------------------------------


@router.get(
    "/{portfolio_id}/pages",
    response={200: list[PageOut], 404: ErrorOut},
    auth=api_auth_or_anonymous,
    openapi_extra=ANONYMOUS_ALLOWED,
)
def list_pages(request, portfolio_id: int):
    """The portfolio's pages in navigation order (at most services.MAX_PAGES)."""
    return [_page_ref(page, detail=True) for page in queries.pages_of(_portfolio(request, portfolio_id))]


@router.post("/{portfolio_id}/pages", response={201: PageDetailOut, **REFUSALS})
def create_page(request, portfolio_id: int, payload: PageIn):
    portfolio = _portfolio(request, portfolio_id)
    page = services.add_page(actor=request.user, portfolio=portfolio, **payload.model_dump())
    return Status(201, _page_out(request, page))


@router.get(
    "/{portfolio_id}/pages/{page_id}",
    response={200: PageDetailOut, 404: ErrorOut},
    auth=api_auth_or_anonymous,
    openapi_extra=ANONYMOUS_ALLOWED,
)
def get_page(request, portfolio_id: int, page_id: int):
    """A page with the blocks you may see, by column then position."""
    return _page_out(request, _page(_portfolio(request, portfolio_id), page_id))


@router.patch("/{portfolio_id}/pages/{page_id}", response={200: PageDetailOut, **REFUSALS})
def update_page(request, portfolio_id: int, page_id: int, payload: PagePatch):
    """Rename a page or change its layout (blocks in columns the layout lacks move to its last column)."""
    page = _page(_portfolio(request, portfolio_id), page_id)
    services.update_page(
        actor=request.user, page=page, title=payload.title or page.title, layout=payload.layout or page.layout
    )
    return _page_out(request, page)


@router.post("/{portfolio_id}/pages/{page_id}/move", response={200: list[PageOut], **REFUSALS})
def move_page(request, portfolio_id: int, page_id: int, payload: PositionIn):
    """Put a page at ``position`` in the navigation; answers the pages in their new order."""
    portfolio = _portfolio(request, portfolio_id)
    services.move_page(actor=request.user, page=_page(portfolio, page_id), position=payload.position)
    return [_page_ref(page, detail=True) for page in queries.pages_of(portfolio)]


@router.delete("/{portfolio_id}/pages/{page_id}", response={204: None, **REFUSALS})
def delete_page(request, portfolio_id: int, page_id: int):
    """Delete a page and its blocks; a portfolio keeps at least one page."""
    services.delete_page(actor=request.user, page=_page(_portfolio(request, portfolio_id), page_id))
    return Status(204, None)


# --- blocks -----------------------------------------------------------------------------------------------


@router.post("/{portfolio_id}/pages/{page_id}/blocks", response={201: BlockOut, **REFUSALS})
def create_block(request, portfolio_id: int, page_id: int, payload: BlockIn):
    """Add a block to a page: text (Markdown ``body``), artefact (``item`` or ``enrolment``), gallery
    (``images``), embed (``item``), reflection (``answers``), skills, or timeline (``events``)."""
    portfolio = _portfolio(request, portfolio_id)
    block = services.add_block(
        actor=request.user,
        page=_page(portfolio, page_id),
        kind=payload.kind,
        column=payload.column,
        position=payload.position,
        title=payload.title,
        body=payload.body,
        answers=_answers(payload.answers),
        events=_events(payload.events),
        item=_item(request, payload.item),
        enrolment=_enrolment(request, payload.enrolment),
        images=_images(request, payload.images),
        private=payload.private,
    )
    return Status(201, _prepared_block(request, portfolio, block.pk))


@router.get(
    "/{portfolio_id}/blocks/{block_id}",
    response={200: BlockOut, 404: ErrorOut},
    auth=api_auth_or_anonymous,
    openapi_extra=ANONYMOUS_ALLOWED,
)
def get_block(request, portfolio_id: int, block_id: int):
    return _prepared_block(request, _portfolio(request, portfolio_id), block_id)


@router.patch("/{portfolio_id}/blocks/{block_id}", response={200: BlockOut, **REFUSALS})
def update_block(request, portfolio_id: int, block_id: int, payload: BlockPatch):
    """Change what a block holds; fields left out stay. ``item: null`` clears an artefact or embed."""
    portfolio = _portfolio(request, portfolio_id)
    block = _block(request, portfolio, block_id)
    given = payload.model_fields_set
    changes: dict = {}
    for name in ("title", "body", "private"):
        if name in given and getattr(payload, name) is not None:
            changes[name] = getattr(payload, name)
    if "answers" in given:
        changes["answers"] = _answers(payload.answers) or []
    if "events" in given:
        changes["events"] = _events(payload.events) or []
    if "item" in given:
        changes["item"] = _item(request, payload.item)
    if "enrolment" in given:
        changes["enrolment"] = _enrolment(request, payload.enrolment)
    if "images" in given:
        changes["images"] = _images(request, payload.images or [])
    services.update_block(actor=request.user, block=block, **changes)
    return _prepared_block(request, portfolio, block.pk)


@router.put("/{portfolio_id}/blocks/{block_id}/artefact", response={200: BlockOut, **REFUSALS})
def attach_artefact(request, portfolio_id: int, block_id: int, payload: ArtefactIn):
    """Attach evidence to an artefact block by id: any item you may see, or one of your completed courses."""
    portfolio = _portfolio(request, portfolio_id)
    block = _block(request, portfolio, block_id)
    if not can_edit(request.user, portfolio.item):
        raise PermissionDenied("Only the portfolio's owner can change it.")
    if block.kind != Block.Kind.ARTEFACT:
        raise ValidationError("Only an artefact block holds evidence; use PATCH for an embed's item.")
    if (payload.item is None) == (payload.enrolment is None):
        raise ValidationError("Give either an item or a course enrolment.")
    if payload.item is not None:
        services.update_block(actor=request.user, block=block, item=_item(request, payload.item))
    else:
        services.update_block(actor=request.user, block=block, enrolment=_enrolment(request, payload.enrolment))
    return _prepared_block(request, portfolio, block.pk)


@router.post("/{portfolio_id}/blocks/{block_id}/move", response={200: BlockOut, **REFUSALS})
def move_block(request, portfolio_id: int, block_id: int, payload: BlockMoveIn):
    """Put a block at ``position`` in ``column`` of its page."""
    portfolio = _portfolio(request, portfolio_id)
    block = _block(request, portfolio, block_id)
    services.move_block(actor=request.user, block=block, column=payload.column, position=payload.position)
    return _prepared_block(request, portfolio, block.pk)


@router.delete("/{portfolio_id}/blocks/{block_id}", response={204: None, **REFUSALS})
def delete_block(request, portfolio_id: int, block_id: int):
    portfolio = _portfolio(request, portfolio_id)
    services.delete_block(actor=request.user, block=_block(request, portfolio, block_id))
    return Status(204, None)


# --- the journal ------------------------------------------------------------------------------------------


@router.get(
    "/{portfolio_id}/entries",
    response={200: list[EntryOut], **REFUSALS},
    auth=api_auth_or_anonymous,
    openapi_extra=ANONYMOUS_ALLOWED,
)
@paginate(LimitOffsetPagination, max_limit=200)
def list_entries(request, portfolio_id: int):
    """A process portfolio's journal, newest first; a private reflection's answers are its owner's alone."""
    portfolio = _journal(request, portfolio_id)
    return _EntryPage(request, portfolio, queries.journal(request.user, portfolio))


class _EntryPage:
    """The journal, sliced by the paginator and readied for the caller one page at a time."""

    def __init__(self, request, portfolio, rows):
        self.request, self.portfolio, self.rows = request, portfolio, rows

    def __len__(self):
        return self.rows.count()

    def count(self):
        return self.rows.count()

    def __getitem__(self, window):
        entries = list(self.rows[window])
        queries.entries_for(self.request.user, self.portfolio, entries)
        return [_entry_out(self.request, self.portfolio, entry) for entry in entries]


@router.post("/{portfolio_id}/entries", response={201: EntryOut, **REFUSALS})
def create_entry(request, portfolio_id: int, payload: EntryIn):
    """Write a journal entry (the owner only), with its reflection, private if you wish."""
    portfolio = _journal(request, portfolio_id)
    entry = services.add_entry(
        actor=request.user,
        portfolio=portfolio,
        title=payload.title,
        happened=payload.happened,
        body=payload.body,
        answers=_answers(payload.answers),
        reflection_private=payload.reflection_private,
        item=_item(request, payload.item),
    )
    return Status(201, _entry_out(request, portfolio, _entry(portfolio, entry.pk)))


@router.get(
    "/{portfolio_id}/entries/{entry_id}",
    response={200: EntryOut, **REFUSALS},
    auth=api_auth_or_anonymous,
    openapi_extra=ANONYMOUS_ALLOWED,
)
def get_entry(request, portfolio_id: int, entry_id: int):
    portfolio = _journal(request, portfolio_id)
    return _entry_out(request, portfolio, _entry(portfolio, entry_id))


@router.patch("/{portfolio_id}/entries/{entry_id}", response={200: EntryOut, **REFUSALS})
def update_entry(request, portfolio_id: int, entry_id: int, payload: EntryPatch):
    """Change an entry; fields left out stay. ``item: null`` removes its evidence."""
    portfolio = _journal(request, portfolio_id)
    entry = _entry(portfolio, entry_id)
    given = payload.model_fields_set
    services.update_entry(
        actor=request.user,
        entry=entry,
        title=payload.title if payload.title is not None else entry.title,
        happened=payload.happened or entry.happened,
        body=payload.body if payload.body is not None else entry.body,
        answers=_answers(payload.answers) if payload.answers is not None else entry.answers,
        reflection_private=payload.reflection_private
        if payload.reflection_private is not None
        else entry.reflection_private,
        item=_item(request, payload.item) if "item" in given else entry.item,
    )
    return _entry_out(request, portfolio, _entry(portfolio, entry_id))


@router.delete("/{portfolio_id}/entries/{entry_id}", response={204: None, **REFUSALS})
def delete_entry(request, portfolio_id: int, entry_id: int):
    portfolio = _journal(request, portfolio_id)
    services.delete_entry(actor=request.user, entry=_entry(portfolio, entry_id))
    return Status(204, None)
