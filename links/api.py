"""Links, saves and boards through the same services as the pages; import and export of bookmarks.

A *link* is the shared resource: one per normalised URL, however many people save it. A *save* is one
person's bookmark of a link, an item of kind ``link`` with their own title, notes, tags, space and
visibility. Saving a URL you saved before updates your save and answers 200 with ``created: false``;
a first save answers 201. A *board* is an ordered, sectioned reading list of any items, with a
curator's note per entry; people follow boards and tick entries off.

Everything is filtered by the one access rule: a link answers 404 unless the caller may see at
least one save of it, and a board shows only the entries whose items the caller may see.
"""

from datetime import datetime
from typing import Literal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef, Q, Value
from django.http import HttpResponse
from ninja import Field, File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from api.auth import ANONYMOUS_ALLOWED, api_auth_or_anonymous
from core.access import can_edit, can_view, get_visible_or_404, item_filter_via
from core.api import ItemFields
from core.models import Item, ItemKind, Watch
from lib.urls import reverse_one
from links import exporting, importing, services
from links.models import Board, BoardEntry, BoardSection, EntryProgress, ImportJob, Link

router = Router()

VisibilityIn = Literal["private", "people", "space", "organisation", "public"]
LayoutIn = Literal["list", "wall"]
SAVES_ON_A_LINK = 200  # the newest saves a link's answer lists; the count says how many there are in all


class ErrorOut(Schema):
    detail: str


REFUSALS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


# ---------------------------------------------------------------------------------------------- schemas


def _shared_with(obj, context):
    # Who an item is shared with is its owner's business; others see only that it is shared.
    if obj.owner_id != context["request"].user.pk:
        return None
    return [person.username for person in obj.shared_with.all()]


class SaveOut(ItemFields):
    """One person's save: ``url`` is the save's permalink, ``link_url`` the page it points at."""

    link: int = Field(..., alias="bookmark.link_id")
    link_url: str = Field(..., alias="bookmark.link.url")
    domain: str = Field(..., alias="bookmark.link.domain")
    notes: str = Field(..., alias="bookmark.notes")
    saved_at: datetime = Field(..., alias="bookmark.saved_at")
    save_count: int = Field(..., alias="bookmark.link.save_count")  # everyone's saves of the link
    preview_status: str = Field(..., alias="bookmark.link.preview_status")
    broken: bool
    image_url: str | None  # an image saved from the page (image-linking)
    thumbnail_url: str | None  # that image, small
    preview_image_url: str | None  # the page's own picture, fetched with its preview
    favicon_url: str | None
    shared_with: list[str] | None

    @staticmethod
    def resolve_broken(obj):
        return obj.bookmark.link.broken_since is not None

    @staticmethod
    def resolve_image_url(obj):
        return reverse_one("links:saved-image", obj.pk) if obj.bookmark.image else None

    @staticmethod
    def resolve_thumbnail_url(obj):
        return reverse_one("links:saved-thumbnail", obj.pk) if obj.bookmark.thumbnail else None

    @staticmethod
    def resolve_preview_image_url(obj):
        link = obj.bookmark.link
        return reverse_one("links:link-image", link.pk) if link.image else None

    @staticmethod
    def resolve_favicon_url(obj):
        link = obj.bookmark.link
        return reverse_one("links:link-favicon", link.pk) if link.favicon else None

    @staticmethod
    def resolve_shared_with(obj, context):
        return _shared_with(obj, context)


class SaveResultOut(Schema):
    created: bool  # false: you had saved this link before, and your save was updated
    save: SaveOut


class LinkOut(Schema):
    """The shared resource with the saves of it the caller may see, newest first."""

    id: int
    url: str
    domain: str
    title: str  # the page's own title, once its preview is fetched
    description: str
    preview_status: str
    fetched_at: datetime | None
    broken_since: datetime | None
    check_status: int | None
    save_count: int
    created: datetime
    image_url: str | None
    favicon_url: str | None
    saves: list[SaveOut]

    @staticmethod
    def resolve_image_url(obj):
        return reverse_one("links:link-image", obj.pk) if obj.image else None

    @staticmethod
    def resolve_favicon_url(obj):
        return reverse_one("links:link-favicon", obj.pk) if obj.favicon else None


class SaveIn(Schema):
    url: str
    title: str = ""  # empty: the page's own title once fetched (the URL until then)
    description: str = ""
    notes: str = ""
    tags: list[str] = []
    space: str = ""  # a space's slug; empty for your own links
    visibility: VisibilityIn = "organisation"
    shared_with: list[str] = []  # usernames, for visibility "people"


class SavePatch(Schema):
    title: str | None = None
    description: str | None = None
    notes: str | None = None
    tags: list[str] | None = None
    visibility: VisibilityIn | None = None
    shared_with: list[str] | None = None


class BoardOut(ItemFields):
    layout: str = Field(..., alias="board.layout")
    official: bool = Field(..., alias="board.official")
    skill: str | None  # the skill's slug, for an official reading list
    role: str = Field(..., alias="board.role")
    topic: str = Field(..., alias="board.topic")
    entry_count: int = Field(..., alias="board.entry_count")
    collaborators: list[str]
    following: bool
    shared_with: list[str] | None

    @staticmethod
    def resolve_skill(obj):
        return obj.board.skill.slug if obj.board.skill_id else None

    @staticmethod
    def resolve_collaborators(obj):
        return [person.username for person in obj.board.collaborators.all()]

    @staticmethod
    def resolve_shared_with(obj, context):
        return _shared_with(obj, context)


class SectionOut(Schema):
    id: int
    title: str
    position: int


class EntryItemOut(Schema):
    id: int
    kind: str
    title: str
    summary: str
    owner: str
    url: str
    link_url: str | None  # for a saved link, the page it points at

    @staticmethod
    def resolve_owner(obj):
        return obj.owner.username

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()

    @staticmethod
    def resolve_link_url(obj):
        bookmark = getattr(obj, "bookmark", None) if obj.kind == ItemKind.LINK else None
        return bookmark.link.url if bookmark is not None else None


class EntryOut(Schema):
    id: int
    item: EntryItemOut
    note: str
    section: int | None = Field(None, alias="section_id")
    position: int
    added_by: str | None
    added: datetime
    done: bool  # the caller ticked it off

    @staticmethod
    def resolve_added_by(obj):
        return obj.added_by.username if obj.added_by_id else None

    @staticmethod
    def resolve_done(obj):
        return bool(getattr(obj, "done", False))


class BoardDetailOut(BoardOut):
    """A board with its sections and the entries the caller may see, in their order."""

    sections: list[SectionOut]
    entries: list[EntryOut]
    done: int  # how many of those entries the caller ticked off
    can_edit: bool


class BoardIn(Schema):
    title: str
    description: str = ""
    space: str = ""  # a space's slug; empty for a board of your own
    visibility: VisibilityIn = "organisation"
    tags: list[str] = []
    shared_with: list[str] = []
    layout: LayoutIn = "list"
    sections: list[str] = []  # section titles to start with, in order


class BoardPatch(Schema):
    title: str | None = None
    description: str | None = None
    visibility: VisibilityIn | None = None
    tags: list[str] | None = None
    layout: LayoutIn | None = None
    shared_with: list[str] | None = None


class CollaboratorsIn(Schema):
    people: list[str]  # usernames; replaces the board's collaborators


class OfficialIn(Schema):
    official: bool
    skill: str = ""  # a skill's slug
    role: str = ""  # a job title the list is recommended for
    topic: str = ""


class SectionIn(Schema):
    title: str


class EntryIn(Schema):
    item: int  # the id of any item you may see
    note: str = ""
    section: int | None = None


class EntryPatch(Schema):
    note: str | None = None
    section: int | None = None  # null takes the entry out of its section


class MoveIn(Schema):
    position: int = Field(..., ge=0, description="0-based place among the board's entries.")
    section: int | None = None  # left out: the entry stays in its section


class FollowOut(Schema):
    following: bool


class DoneOut(Schema):
    done: bool


class FollowerProgressOut(Schema):
    person: str
    name: str
    following: bool
    done: int
    last_done: datetime | None


class ProgressOut(Schema):
    entries: int
    followers: list[FollowerProgressOut]


# ---------------------------------------------------------------------------------------------- helpers


def _saves(items):
    """Link items of ``items`` with everything a save's output reads, without a query per row.

    The kind alone selects them (every link item has its bookmark): a filter on the bookmark would make
    the list's count join every save.
    """
    return (
        items.filter(kind=ItemKind.LINK)
        .select_related("owner", "space", "bookmark", "bookmark__link")
        .prefetch_related("tags", "shared_with")
    )


def _save_item(request, item_id: int) -> Item:
    return get_visible_or_404(request.user, _saves(Item.objects.all()), pk=item_id)


def _people(request, usernames: list[str]) -> list:
    names = [n.strip().lstrip("@") for n in usernames if n.strip().lstrip("@")]
    people = list(get_user_model().objects.visible_to(request.user).filter(username__in=names))
    unknown = sorted(set(names) - {p.username for p in people})
    if unknown:
        raise ValidationError(f"No one here has the username {', '.join(unknown)}.")
    return people


def _space(request, slug: str):
    from spaces.models import Space

    return get_visible_or_404(request.user, Space.objects, slug=slug) if slug else None


def _boards(items, user):
    following = Value(False)
    if user.is_authenticated:
        following = Exists(Watch.objects.filter(user=user, item=OuterRef("pk")))
    return (
        items.filter(kind=ItemKind.BOARD, board__isnull=False)
        .select_related("owner", "space", "board", "board__skill")
        .prefetch_related("tags", "shared_with", "board__collaborators")
        .annotate(following=following)
    )


def _board_item(request, item_id: int) -> Item:
    return get_visible_or_404(request.user, _boards(Item.objects.all(), request.user), pk=item_id)


def _entries(board: Board, user):
    """The board's entries whose items ``user`` may see, in order, each with whether ``user`` ticked it."""
    entries = (
        BoardEntry.objects.filter(board=board)
        .filter(item_filter_via(user, "item"))
        .select_related("item", "item__owner", "item__bookmark", "item__bookmark__link", "added_by")
        .order_by("position", "pk")
    )
    if user.is_authenticated:
        return entries.annotate(done=Exists(EntryProgress.objects.filter(entry=OuterRef("pk"), user=user)))
    return entries.annotate(done=Value(False))


def _detailed_board(request, item_id: int) -> Item:
    item = _board_item(request, item_id)
    item.sections = list(item.board.sections.all())
    item.entries = list(_entries(item.board, request.user))
    item.done = sum(1 for entry in item.entries if entry.done)
    item.can_edit = can_edit(request.user, item)
    return item


def _entry(request, item_id: int, entry_id: int) -> BoardEntry:
    """An entry of a board the caller may see, whose item they may see too; else 404."""
    item = _board_item(request, item_id)
    entry = _entries(item.board, request.user).filter(pk=entry_id).first()
    if entry is None:
        raise HttpError(404, f"This board has no entry {entry_id}.")
    entry.board = item.board
    return entry


def _section(board: Board, section_id: int | None) -> BoardSection | None:
    if section_id is None:
        return None
    section = BoardSection.objects.filter(board=board, pk=section_id).first()
    if section is None:
        raise ValidationError(f"This board has no section {section_id}.")
    section.board = board
    return section


# ------------------------------------------------------------------------------------------------ links


@router.get("", response=list[SaveOut], auth=api_auth_or_anonymous, openapi_extra=ANONYMOUS_ALLOWED)
@paginate(LimitOffsetPagination, max_limit=200)
def list_links(request, tag: str = "", space: str = "", owner: str = "", domain: str = ""):
    """Saves you may see, newest first. For words in titles, addresses and notes, use ``/api/search/``.

    ``tag`` is a tag's slug, ``space`` a space's slug, ``owner`` the saver's username, ``domain`` a
    host name (its sub-domains match too: ``python.org`` finds ``docs.python.org``). A space or person
    you may not see gives an empty list.
    """
    from spaces.models import Space

    user = request.user
    items = _saves(Item.objects.visible_to(user))
    space_obj = owner_obj = None
    if space:
        space_obj = Space.objects.visible_to(user).filter(slug=space).first()
        if space_obj is None:
            return Item.objects.none()
    if owner:
        owner_obj = get_user_model().objects.visible_to(user).filter(username=owner).first()
        if owner_obj is None:
            return Item.objects.none()
    items = items.filter_browse(tag=tag, space=space_obj, owner=owner_obj)
    host = domain.strip().lower().removeprefix("www.")
    if host:
        # The host names first (the domain index alone), then the saves by that short list of names:
        # matching sub-domains inside the list query made the database test every save's link.
        hosts = Link.objects.filter(Q(domain__in=[host, f"www.{host}"]) | Q(domain__endswith=f".{host}"))
        items = items.filter(bookmark__link__domain__in=list(hosts.values_list("domain", flat=True).distinct()))
    return items.order_by("-created", "-pk")


@router.get(
    "/{int:link_id}",
    response={200: LinkOut, 404: ErrorOut},
    auth=api_auth_or_anonymous,
    openapi_extra=ANONYMOUS_ALLOWED,
)
def get_link(request, link_id: int):
    """A shared link with the saves of it you may see (who saved it, their notes and tags); 404 when
    you may see none."""
    link = Link.objects.filter(pk=link_id).first()
    saves = []
    if link is not None:
        visible = _saves(Item.objects.visible_to(request.user)).filter(bookmark__link=link)
        saves = list(visible.order_by("-bookmark__saved_at", "-pk")[:SAVES_ON_A_LINK])
    if not saves:
        raise HttpError(404, "Not found.")
    link.saves = saves
    return link


# ------------------------------------------------------------------------------------------------ saves


@router.post("/saves", response={201: SaveResultOut, 200: SaveResultOut, **REFUSALS})
def save(request, payload: SaveIn):
    """Save a URL. It is normalised first (scheme and host case, default ports, fragments and tracking
    parameters dropped), so everyone's saves of the same page meet on one link. Saving a link you saved
    before adds the new tags and fills what you leave empty from your earlier save (200)."""
    outcome = services.save_link(
        user=request.user,
        url=payload.url,
        title=payload.title,
        description=payload.description,
        notes=payload.notes,
        tags=payload.tags,
        space=_space(request, payload.space),
        visibility=payload.visibility,
        shared_with=_people(request, payload.shared_with),
    )
    item = _save_item(request, outcome.bookmark.pk)
    return Status(201 if outcome.created else 200, {"created": outcome.created, "save": item})


@router.post("/images", response={201: SaveResultOut, 200: SaveResultOut, **REFUSALS})
def save_image(
    request,
    url: Form[str],
    image: File[UploadedFile] = None,
    image_url: Form[str] = "",
    title: Form[str] = "",
    description: Form[str] = "",
    notes: Form[str] = "",
    tags: Form[str] = "",
    space: Form[str] = "",
    visibility: Form[VisibilityIn] = "organisation",
    shared_with: Form[str] = "",
):
    """Image-linking: save a picture with the page it comes from (``url``), as a multipart form with the
    picture in ``image``, or its address in ``image_url`` (fetched once, through the guarded client).
    The picture is checked and re-encoded; ``tags`` and ``shared_with`` (usernames) are comma-separated.
    Saving a page you saved before puts the picture on your save (200)."""
    from core.services import parse_tags

    if (image is None) == (not image_url.strip()):
        raise ValidationError("Send the picture in “image” or its address in “image_url”: one of the two.")
    outcome = services.save_link(
        user=request.user,
        url=url,
        title=title,
        description=description,
        notes=notes,
        tags=parse_tags(tags),
        space=_space(request, space),
        visibility=visibility,
        shared_with=_people(request, shared_with.replace(",", " ").split()),
        image=image if image is not None else image_url.strip(),
    )
    item = _save_item(request, outcome.bookmark.pk)
    return Status(201 if outcome.created else 200, {"created": outcome.created, "save": item})


@router.get(
    "/saves/{item_id}",
    response={200: SaveOut, 404: ErrorOut},
    auth=api_auth_or_anonymous,
    openapi_extra=ANONYMOUS_ALLOWED,
)
def get_save(request, item_id: int):
    return _save_item(request, item_id)


@router.patch("/saves/{item_id}", response={200: SaveOut, **REFUSALS})
def update_save(request, item_id: int, payload: SavePatch):
    """Change your save; fields left out stay as they are."""
    item = _save_item(request, item_id)
    changes = payload.model_dump(exclude_unset=True)

    def given(name):
        return changes.get(name) is not None

    services.update_bookmark(
        bookmark=item.bookmark,
        actor=request.user,
        title=changes["title"] if given("title") else item.title,
        description=changes["description"] if given("description") else item.summary,
        notes=changes["notes"] if given("notes") else item.bookmark.notes,
        tags=changes["tags"] if given("tags") else [t.name for t in item.tags.all()],
        visibility=changes["visibility"] if given("visibility") else item.visibility,
        shared_with=_people(request, changes["shared_with"]) if given("shared_with") else None,
    )
    return Status(200, _save_item(request, item_id))


@router.delete("/saves/{item_id}", response={204: None, 403: ErrorOut, 404: ErrorOut})
def delete_save(request, item_id: int):
    """Delete a save (its saver, a moderator of its space, or an administrator); the link stays for others."""
    services.delete_bookmark(bookmark=_save_item(request, item_id).bookmark, actor=request.user)
    return Status(204, None)


# ----------------------------------------------------------------------------------------------- boards


@router.get("/boards", response=list[BoardOut], auth=api_auth_or_anonymous, openapi_extra=ANONYMOUS_ALLOWED)
@paginate(LimitOffsetPagination, max_limit=200)
def list_boards(
    request,
    mine: bool = False,
    following: bool = False,
    official: bool = False,
    space: str = "",
    owner: str = "",
    tag: str = "",
    skill: str = "",
):
    """Boards you may see, most recently changed first.

    ``mine``: boards you own or help edit; ``following``: boards you follow; ``official``: curators'
    recommended reading lists (``skill``: for that skill's slug). A space or person you may not see
    gives an empty list.
    """
    from spaces.models import Space

    user = request.user
    boards = _boards(Item.objects.visible_to(user), user)
    space_obj = owner_obj = None
    if space:
        space_obj = Space.objects.visible_to(user).filter(slug=space).first()
        if space_obj is None:
            return Item.objects.none()
    if owner:
        owner_obj = get_user_model().objects.visible_to(user).filter(username=owner).first()
        if owner_obj is None:
            return Item.objects.none()
    boards = boards.filter_browse(tag=tag, space=space_obj, owner=owner_obj)
    if mine:
        boards = (
            boards.filter(Q(owner_id=user.pk) | Q(board__collaborators=user.pk)).distinct()
            if user.is_authenticated
            else boards.none()
        )
    if following:
        boards = boards.filter(following=True)
    if official or skill:
        boards = boards.filter(board__official=True)
    if skill:
        boards = boards.filter(board__skill__slug=skill)
    return boards.order_by("-updated", "-pk")


@router.get(
    "/boards/{item_id}",
    response={200: BoardDetailOut, 404: ErrorOut},
    auth=api_auth_or_anonymous,
    openapi_extra=ANONYMOUS_ALLOWED,
)
def get_board(request, item_id: int):
    """A board with its sections and the entries you may see, in order, each with whether you ticked it off."""
    return _detailed_board(request, item_id)


@router.post("/boards", response={201: BoardDetailOut, **REFUSALS})
def create_board(request, payload: BoardIn):
    """Start a board in a space (``space``, a slug) or of your own, with its first sections if given."""
    with transaction.atomic():
        board = services.create_board(
            owner=request.user,
            title=payload.title,
            description=payload.description,
            space=_space(request, payload.space),
            visibility=payload.visibility,
            tags=payload.tags,
            shared_with=_people(request, payload.shared_with),
            layout=payload.layout,
        )
        for title in payload.sections:
            services.add_section(board=board, actor=request.user, title=title)
    return Status(201, _detailed_board(request, board.pk))


@router.patch("/boards/{item_id}", response={200: BoardDetailOut, **REFUSALS})
def update_board(request, item_id: int, payload: BoardPatch):
    """Change a board (its owner and collaborators; who may see it: its owner or a space moderator).
    Fields left out stay as they are."""
    item = _board_item(request, item_id)
    changes = payload.model_dump(exclude_unset=True)

    def given(name):
        return changes.get(name) is not None

    services.update_board(
        board=item.board,
        actor=request.user,
        title=changes["title"] if given("title") else item.title,
        description=changes["description"] if given("description") else item.summary,
        visibility=changes["visibility"] if given("visibility") else item.visibility,
        tags=changes["tags"] if given("tags") else [t.name for t in item.tags.all()],
        layout=changes["layout"] if given("layout") else item.board.layout,
        shared_with=_people(request, changes["shared_with"]) if given("shared_with") else None,
    )
    return Status(200, _detailed_board(request, item_id))


@router.put("/boards/{item_id}/collaborators", response={200: BoardDetailOut, **REFUSALS})
def set_collaborators(request, item_id: int, payload: CollaboratorsIn):
    """Choose who besides the owner may edit the board (its owner or a space moderator); each must be
    able to see it."""
    item = _board_item(request, item_id)
    services.set_collaborators(board=item.board, actor=request.user, people=_people(request, payload.people))
    return Status(200, _detailed_board(request, item_id))


@router.put("/boards/{item_id}/official", response={200: BoardDetailOut, **REFUSALS})
def set_official(request, item_id: int, payload: OfficialIn):
    """Curators and administrators mark a board as the recommended reading list for a skill (its slug),
    a role or a topic, or unmark it."""
    from people.models import Skill

    item = _board_item(request, item_id)
    skill = None
    if payload.skill:
        skill = Skill.objects.filter(slug=payload.skill).first()
        if skill is None:
            raise ValidationError(f"There is no skill “{payload.skill}”.")
    services.set_official(
        board=item.board,
        actor=request.user,
        official=payload.official,
        skill=skill,
        role=payload.role,
        topic=payload.topic,
    )
    return Status(200, _detailed_board(request, item_id))


@router.get("/boards/{item_id}/progress", response={200: ProgressOut, **REFUSALS})
def board_progress(request, item_id: int):
    """How far the board's followers got (for its owner and collaborators): each follower, and anyone
    who ticked an entry off, with how many entries they have done."""
    item = _board_item(request, item_id)
    if not can_edit(request.user, item):
        raise PermissionDenied("Only the board's owner and collaborators see its readers' progress.")
    board = item.board
    done = {
        row["user"]: row
        for row in EntryProgress.objects.filter(entry__board=board)
        .values("user")
        .annotate(n=Count("pk"), last=Max("done_at"))
    }
    followers = set(Watch.objects.filter(item=item).values_list("user_id", flat=True))
    people = get_user_model().objects.visible_to(request.user).filter(pk__in=followers | set(done)).order_by("username")
    rows = [
        {
            "person": person.username,
            "name": person.name,
            "following": person.pk in followers,
            "done": done.get(person.pk, {}).get("n", 0),
            "last_done": done.get(person.pk, {}).get("last"),
        }
        for person in people
    ]
    rows.sort(key=lambda row: (-row["done"], row["person"]))
    return {"entries": board.entries.count(), "followers": rows}


@router.post("/boards/{item_id}/follow", response={200: FollowOut, 404: ErrorOut})
def follow(request, item_id: int):
    """Follow a board: its changes reach you as your notification settings say."""
    services.follow_board(board=_board_item(request, item_id).board, user=request.user)
    return {"following": True}


@router.delete("/boards/{item_id}/follow", response={200: FollowOut, 404: ErrorOut})
def unfollow(request, item_id: int):
    services.unfollow_board(board=_board_item(request, item_id).board, user=request.user)
    return {"following": False}


# ------------------------------------------------------------------------------------- sections, entries


@router.post("/boards/{item_id}/sections", response={201: SectionOut, **REFUSALS})
def add_section(request, item_id: int, payload: SectionIn):
    """Add a section at the end of the board."""
    board = _board_item(request, item_id).board
    return Status(201, services.add_section(board=board, actor=request.user, title=payload.title))


@router.patch("/boards/{item_id}/sections/{section_id}", response={200: SectionOut, **REFUSALS})
def rename_section(request, item_id: int, section_id: int, payload: SectionIn):
    section = _existing_section(request, item_id, section_id)
    return Status(200, services.rename_section(section=section, actor=request.user, title=payload.title))


@router.delete("/boards/{item_id}/sections/{section_id}", response={204: None, 403: ErrorOut, 404: ErrorOut})
def delete_section(request, item_id: int, section_id: int):
    """Remove a section; its entries stay on the board, outside any section."""
    services.delete_section(section=_existing_section(request, item_id, section_id), actor=request.user)
    return Status(204, None)


def _existing_section(request, item_id: int, section_id: int) -> BoardSection:
    board = _board_item(request, item_id).board
    section = BoardSection.objects.filter(board=board, pk=section_id).first()
    if section is None:
        raise HttpError(404, f"This board has no section {section_id}.")
    section.board = board
    return section


@router.post("/boards/{item_id}/entries", response={201: EntryOut, **REFUSALS})
def add_entry(request, item_id: int, payload: EntryIn):
    """Put any item you may see on the board, with a note on why it is there, at the end (of ``section``)."""
    board = _board_item(request, item_id).board
    if not can_edit(request.user, board.item):
        raise PermissionDenied("Only the board's owner and collaborators can change it.")
    target = Item.objects.filter(pk=payload.item).first()
    if target is None or not can_view(request.user, target):
        raise HttpError(404, f"There is no item {payload.item} that you can see.")
    entry = services.add_entry(
        board=board, actor=request.user, item=target, note=payload.note, section=_section(board, payload.section)
    )
    return Status(201, _entry(request, item_id, entry.pk))


@router.patch("/boards/{item_id}/entries/{entry_id}", response={200: EntryOut, **REFUSALS})
def update_entry(request, item_id: int, entry_id: int, payload: EntryPatch):
    """Change an entry's note or section; fields left out stay as they are (``section: null`` takes it out)."""
    entry = _entry(request, item_id, entry_id)
    changes = payload.model_dump(exclude_unset=True)
    section = _section(entry.board, changes["section"]) if "section" in changes else entry.section
    note = changes["note"] if changes.get("note") is not None else entry.note
    services.update_entry(entry=entry, actor=request.user, note=note, section=section)
    return Status(200, _entry(request, item_id, entry_id))


@router.post("/boards/{item_id}/entries/{entry_id}/move", response={200: EntryOut, **REFUSALS})
def move_entry(request, item_id: int, entry_id: int, payload: MoveIn):
    """Put an entry at ``position`` (0-based) among the board's entries, in ``section`` if given."""
    entry = _entry(request, item_id, entry_id)
    section = _section(entry.board, payload.section) if "section" in payload.model_fields_set else entry.section
    services.move_entry(entry=entry, actor=request.user, position=payload.position, section=section)
    return Status(200, _entry(request, item_id, entry_id))


@router.delete("/boards/{item_id}/entries/{entry_id}", response={204: None, 403: ErrorOut, 404: ErrorOut})
def remove_entry(request, item_id: int, entry_id: int):
    services.remove_entry(entry=_entry(request, item_id, entry_id), actor=request.user)
    return Status(204, None)


@router.put("/boards/{item_id}/entries/{entry_id}/done", response={200: DoneOut, 404: ErrorOut})
def mark_done(request, item_id: int, entry_id: int):
    """Tick an entry off: your progress through the board."""
    services.mark_done(entry=_entry(request, item_id, entry_id), user=request.user, done=True)
    return {"done": True}


@router.delete("/boards/{item_id}/entries/{entry_id}/done", response={200: DoneOut, 404: ErrorOut})
def mark_not_done(request, item_id: int, entry_id: int):
    services.mark_done(entry=_entry(request, item_id, entry_id), user=request.user, done=False)
    return {"done": False}


# ------------------------------------------------------------------------------------------------ import


class ImportJobOut(Schema):
    """An import: ``report`` holds the plan (counts, refused entries with reasons, a preview) until it
    runs, then what was created, merged and refused; ``done`` of ``total`` links are through."""

    id: int
    state: str  # planned, running, done or failed
    original_name: str
    folders: str
    space: str | None
    visibility: str
    total: int
    done: int
    report: dict
    created: datetime
    finished: datetime | None

    @staticmethod
    def resolve_space(obj):
        return obj.space.slug if obj.space_id else None


@router.post("/import", response={201: ImportJobOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def import_bookmarks(
    request,
    file: File[UploadedFile],
    folders: Form[Literal["tags", "board"]] = "tags",
    space: Form[str] = "",
    visibility: Form[VisibilityIn] = "private",
    start: Form[bool] = False,
):
    """Upload a Netscape bookmark file (what Firefox, Chrome, Safari, Pinboard, linkding or Shaarli
    export; multipart field ``file``). Nothing is saved yet: the answer is the job with its plan in
    ``report`` (links to create, to merge, refused entries with reasons). Start it with
    ``POST /import/{id}/start``, or at once with ``start=true``; then poll ``GET /import/{id}``.

    ``folders``: folders become tags, or each folder a board. ``space`` is a slug; entries marked
    private in the file stay private whatever ``visibility`` says."""
    job, _ = importing.create_import_job(
        user=request.user, upload=file, folders=folders, space=_space(request, space), visibility=visibility
    )
    if start:
        importing.start_import(job=job, actor=request.user)
    return Status(201, job)


def _import_job(request, job_id: int) -> ImportJob:
    # An import is its owner's alone: anyone else is told it does not exist.
    job = ImportJob.objects.filter(pk=job_id, owner_id=request.user.pk).select_related("space").first()
    if job is None:
        raise HttpError(404, "Not found.")
    return job


@router.post("/import/{job_id}/start", response={202: ImportJobOut, 400: ErrorOut, 404: ErrorOut})
def start_import(request, job_id: int):
    """Run a planned import in the background; its progress is in ``GET /import/{id}``."""
    job = _import_job(request, job_id)
    importing.start_import(job=job, actor=request.user)
    return Status(202, job)


@router.get("/import/{job_id}", response={200: ImportJobOut, 404: ErrorOut})
def import_progress(request, job_id: int):
    return _import_job(request, job_id)


# ------------------------------------------------------------------------------------------------ export


def _attachment(body: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _export_owner(request, person: str):
    username = person.strip().lstrip("@")
    if not username or username == request.user.username:
        return request.user
    owner = get_user_model().objects.visible_to(request.user).filter(username=username).first()
    if owner is None:
        raise HttpError(404, f"There is no one called {username} that you can see.")
    return owner


@router.get("/export.html", response={200: None, 404: ErrorOut})
def export_html(request, person: str = ""):
    """Your links, or ``person``'s (a username) that you may see, as Netscape bookmark HTML: browsers,
    linkding, Shaarli and Pinboard import it, and so does ``POST /import`` (notes and tags included)."""
    owner = _export_owner(request, person)
    body = exporting.export_person_netscape(owner=owner, viewer=request.user)
    return _attachment(body, "text/html", f"{owner.username}-links.html")


@router.get("/export.csv", response={200: None, 404: ErrorOut})
def export_csv(request, person: str = ""):
    """The same links as CSV: url, title, description, notes, tags, saved_at, visibility."""
    owner = _export_owner(request, person)
    return _attachment(
        exporting.export_person_csv(owner=owner, viewer=request.user), "text/csv", f"{owner.username}-links.csv"
    )


@router.get("/boards/{item_id}/export.html", response={200: None, 404: ErrorOut})
def export_board_html(request, item_id: int):
    """The board as a bookmark folder, its sections as sub-folders and its notes kept, holding the
    entries you may see; entries that are not links point at their permalink on this site."""
    item = _board_item(request, item_id)
    body = exporting.export_board_netscape(
        board=item.board, viewer=request.user, base_url=request.build_absolute_uri("/")
    )
    return _attachment(body, "text/html", f"board-{item.pk}.html")


@router.get("/boards/{item_id}/export.csv", response={200: None, 404: ErrorOut})
def export_board_csv(request, item_id: int):
    item = _board_item(request, item_id)
    body = exporting.export_board_csv(board=item.board, viewer=request.user, base_url=request.build_absolute_uri("/"))
    return _attachment(body, "text/csv", f"board-{item.pk}.csv")
