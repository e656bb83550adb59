"""Wiki pages: list, read, create and edit them, their revisions, diffs and who wrote which line.

Edits follow the pages' rule for concurrent work (wiki.services): an update names the revision it
started from (``base_revision``). If others saved since, non-overlapping edits are merged and saved;
overlapping ones answer 409 with both versions marked up in ``conflict.marked`` and nothing saved,
so the caller can resolve them and save again from ``conflict.theirs``.
"""

from datetime import datetime
from typing import Literal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import F
from django.db.models.functions import Lower
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from api.auth import ANONYMOUS_ALLOWED, api_auth_or_anonymous
from core.access import get_visible_or_404
from core.api import ItemFields
from core.models import Item, ItemKind
from wiki import diffing, queries, services
from wiki.models import Revision

router = Router()

VisibilityIn = Literal["private", "people", "space", "organisation", "public"]


class ErrorOut(Schema):
    detail: str


class ConflictDetail(Schema):
    base: int  # the revision the edit started from
    theirs: int  # the latest revision, saved meanwhile by someone else
    marked: str  # the two versions of each overlapping region between conflict markers


class ConflictOut(Schema):
    detail: str
    conflict: ConflictDetail


class HeadingOut(Schema):
    level: int
    text: str
    anchor: str


class RevisionOut(Schema):
    number: int
    author: str
    created: datetime
    title: str
    summary: str
    minor: bool
    size: int
    merged: bool
    reverted_to: int | None
    base: int | None  # the revision its editor started from

    @staticmethod
    def resolve_author(obj):
        return obj.author.username

    @staticmethod
    def resolve_base(obj):
        return obj.base_number


class RevisionDetailOut(RevisionOut):
    text: str
    html: str

    @staticmethod
    def resolve_html(obj):
        return obj.rendered.html


class PageOut(ItemFields):
    slug: str = Field(..., alias="page.slug")
    parent: int | None = Field(None, alias="page.parent_id")
    position: int = Field(..., alias="page.position")
    revision: int  # the current revision's number
    revision_count: int = Field(..., alias="page.revision_count")
    wiki_url: str  # the page's address in its wiki (``url`` is its permalink)

    @staticmethod
    def resolve_revision(obj):
        return obj.page.current.number

    @staticmethod
    def resolve_wiki_url(obj):
        return queries.url_of(obj.page)


class PageDetailOut(PageOut):
    text: str
    html: str
    toc: list[HeadingOut]
    current: RevisionOut

    @staticmethod
    def resolve_text(obj):
        return obj.page.current.text

    @staticmethod
    def resolve_html(obj):
        return obj.rendered.html

    @staticmethod
    def resolve_toc(obj):
        return obj.rendered.toc

    @staticmethod
    def resolve_current(obj):
        return obj.page.current


class PageIn(Schema):
    title: str
    text: str = ""
    space: str = ""  # a space's slug; empty for a page in your own area
    parent: int | None = None  # the parent page's id
    visibility: VisibilityIn = "organisation"
    tags: list[str] = []
    shared_with: list[str] = []  # usernames, for visibility "people"
    summary: str = ""  # the edit summary of the first revision


class PageUpdate(Schema):
    text: str
    base_revision: int  # the revision number the edit started from
    title: str | None = None  # left out: the title stays
    summary: str = ""
    minor: bool = False


class DiffQuery(Schema):
    old: int | None = Field(None, alias="from", description="Revision number; defaults to the one before `to`.")
    new: int | None = Field(None, alias="to", description="Revision number; defaults to the current one.")
    context: int = Field(3, ge=0, le=1000, description="Unchanged lines shown around each change.")
    whole: bool = Field(False, description="One hunk holding the whole text, whatever `context` says.")


class SegmentOut(Schema):
    op: str  # "equal", "insert" or "delete"
    text: str


class DiffLineOut(Schema):
    op: str  # "equal", "delete" or "insert"
    old_number: int | None
    new_number: int | None
    paired: bool  # a changed line whose segments mark the words that differ from its counterpart
    segments: list[SegmentOut]


class HunkOut(Schema):
    old_start: int
    old_count: int
    new_start: int
    new_count: int
    lines: list[DiffLineOut]


class DiffOut(Schema):
    old: int
    new: int
    hunks: list[HunkOut]


class AttributedLine(Schema):
    number: int
    text: str
    revision: int
    author: str | None  # None when that revision's author is gone


class ContributorOut(Schema):
    author: str
    lines: int
    share: float  # percent of the current text


class AttributionOut(Schema):
    revision: int
    lines: list[AttributedLine]
    contributors: list[ContributorOut]


REFUSALS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def _pages(items, *, with_text: bool = False):
    """Page items of ``items`` with what a page's output needs, in one query (its text only when asked)."""
    items = items.filter(kind=ItemKind.PAGE, page__isnull=False).select_related(
        "owner", "space", "page", "page__current", "page__current__author", "page__space", "page__area_owner"
    )
    if not with_text:
        items = items.defer("page__current__text", "page__current__attribution")
    return items.prefetch_related("tags")


def _page_item(request, item_id: int, *, with_text: bool = False) -> Item:
    """A page the caller may see, as its item with the page and its current revision loaded; else 404."""
    items = _pages(Item.objects.all(), with_text=with_text).annotate(base_number=F("page__current__base__number"))
    item = get_visible_or_404(request.user, items, pk=item_id)
    item.page.current.base_number = item.base_number
    return item


def _detailed(request, item_id: int) -> Item:
    item = _page_item(request, item_id, with_text=True)
    item.rendered = queries.rendered_revision(item.page, item.page.current)
    return item


def _revision(item: Item, number: int) -> Revision:
    revision = (
        Revision.objects.filter(page=item.page, number=number)
        .select_related("author")
        .defer("attribution")
        .annotate(base_number=F("base__number"))
        .first()
    )
    if revision is None:
        raise HttpError(404, f"This page has no revision {number}.")
    return revision


def _people(request, usernames: list[str]) -> list:
    names = [n.strip().lstrip("@") for n in usernames if n.strip().lstrip("@")]
    people = list(get_user_model().objects.visible_to(request.user).filter(username__in=names))
    unknown = sorted(set(names) - {p.username for p in people})
    if unknown:
        raise ValidationError(f"No one here has the username {', '.join(unknown)}.")
    return people


@router.get("/pages", response=list[PageOut], auth=api_auth_or_anonymous, openapi_extra=ANONYMOUS_ALLOWED)
@paginate(LimitOffsetPagination, max_limit=200)
def list_pages(request, space: str = "", parent: int | None = None):
    """Pages you may see, most recently changed first; ``space`` is a slug.

    With ``parent`` (a page id), that page's sub-pages in their order. A space or parent page you may
    not see gives an empty list, as if it did not exist.
    """
    from spaces.models import Space

    user = request.user
    items = _pages(Item.objects.visible_to(user))
    if space:
        space_obj = Space.objects.visible_to(user).filter(slug=space).first()
        if space_obj is None:
            return Item.objects.none()
        items = items.filter(page__space=space_obj)
    if parent is not None:
        if not Item.objects.visible_to(user).filter(pk=parent, kind=ItemKind.PAGE).exists():
            return Item.objects.none()
        return items.filter(page__parent_id=parent).order_by("page__position", Lower("title"), "pk")
    return items.order_by("-updated", "-pk")


@router.get(
    "/pages/{item_id}",
    response={200: PageDetailOut, 404: ErrorOut},
    auth=api_auth_or_anonymous,
    openapi_extra=ANONYMOUS_ALLOWED,
)
def get_page(request, item_id: int):
    """A page with its current text, that text rendered as HTML, and its current revision."""
    return _detailed(request, item_id)


@router.post("/pages", response={201: PageDetailOut, **REFUSALS})
def create_page(request, payload: PageIn):
    """Write a new page in a space (``space``, a slug) or in your own area, under ``parent`` if given."""
    from spaces.models import Space

    space = get_visible_or_404(request.user, Space.objects, slug=payload.space) if payload.space else None
    parent = _page_item(request, payload.parent).page if payload.parent is not None else None
    page = services.create_page(
        author=request.user,
        title=payload.title,
        text=payload.text,
        space=space,
        parent=parent,
        visibility=payload.visibility,
        tags=payload.tags,
        shared_with=_people(request, payload.shared_with),
        summary=payload.summary,
    )
    return Status(201, _detailed(request, page.pk))


@router.put("/pages/{item_id}", response={200: PageDetailOut, 409: ConflictOut, **REFUSALS})
def update_page(request, item_id: int, payload: PageUpdate):
    """Save a new text made from revision ``base_revision``, merged with whatever was saved since.

    Answers the page as saved (``current.merged`` says whether others' edits were merged in; the
    revision number is unchanged when the text and title were), or 409 with the conflict.
    """
    item = _page_item(request, item_id)
    result = services.save_page(
        page=item.page,
        author=request.user,
        text=payload.text,
        base_number=payload.base_revision,
        title=payload.title,
        summary=payload.summary,
        minor=payload.minor,
    )
    if result.conflict is not None:
        conflict = result.conflict
        return Status(
            409,
            {
                "detail": f"Your edit overlaps changes saved meanwhile in {conflict.regions} place(s); nothing was "
                f"saved. Resolve them in “conflict.marked” and save again from revision {conflict.theirs.number}.",
                "conflict": {"base": conflict.base.number, "theirs": conflict.theirs.number, "marked": conflict.marked},
            },
        )
    return Status(200, _detailed(request, item_id))


@router.get(
    "/pages/{item_id}/revisions",
    response=list[RevisionOut],
    auth=api_auth_or_anonymous,
    openapi_extra=ANONYMOUS_ALLOWED,
)
@paginate(LimitOffsetPagination, max_limit=200)
def list_revisions(request, item_id: int):
    """The page's revisions, newest first (texts left out: read one revision for its text)."""
    item = _page_item(request, item_id)
    return (
        Revision.objects.filter(page=item.page)
        .select_related("author")
        .defer("text", "attribution")
        .annotate(base_number=F("base__number"))
        .order_by("-number")
    )


@router.get(
    "/pages/{item_id}/revisions/{number}",
    response={200: RevisionDetailOut, 404: ErrorOut},
    auth=api_auth_or_anonymous,
    openapi_extra=ANONYMOUS_ALLOWED,
)
def get_revision(request, item_id: int, number: int):
    """One revision with its text and that text rendered."""
    item = _page_item(request, item_id)
    revision = _revision(item, number)
    revision.rendered = queries.rendered_revision(item.page, revision)
    return revision


@router.get(
    "/pages/{item_id}/diff",
    response={200: DiffOut, 404: ErrorOut},
    auth=api_auth_or_anonymous,
    openapi_extra=ANONYMOUS_ALLOWED,
)
def diff_revisions(request, item_id: int, params: Query[DiffQuery]):
    """The changes between two revisions (``from``, ``to``) as hunks of lines, changed lines with word-level
    segments. By default the latest change: the revision before the current one to the current one."""
    item = _page_item(request, item_id)
    new = params.new if params.new is not None else item.page.current.number
    old = params.old if params.old is not None else max(new - 1, 1)
    texts = dict(Revision.objects.filter(page=item.page, number__in=[old, new]).values_list("number", "text"))
    for number in (old, new):
        if number not in texts:
            raise HttpError(404, f"This page has no revision {number}.")
    hunks = diffing.diff(texts[old], texts[new], None if params.whole else params.context)
    return {"old": old, "new": new, "hunks": hunks}


@router.get(
    "/pages/{item_id}/attribution",
    response={200: AttributionOut, 404: ErrorOut},
    auth=api_auth_or_anonymous,
    openapi_extra=ANONYMOUS_ALLOWED,
)
def attribution(request, item_id: int):
    """Each line of the current text with the revision that last wrote it and that revision's author,
    and each contributor's share of the current text."""
    item = _page_item(request, item_id)
    runs, shares, _ = queries.attribution(item.page)
    lines = []
    for run in runs:
        number = run.revision.number if run.revision is not None else 0
        author = run.revision.author.username if run.revision is not None else None
        for offset, text in enumerate(run.lines):
            lines.append({"number": run.first_line + offset, "text": text, "revision": number, "author": author})
    contributors = [{"author": c.person.username, "lines": c.lines, "share": round(c.share, 2)} for c in shares]
    return {"revision": item.page.current.number, "lines": lines, "contributors": contributors}
