"""Board (reading list) pages: the boards list, a board as an ordered sectioned list or an image wall, building
and arranging it, following it and working through it, curators' official marking, progress, exports and feed.

Views are thin: they find what the person may see (404 otherwise), check what they may change (403
otherwise), call links.services and render. A board shows only the entries whose items the viewer may see
(``core.access.item_filter_via``): a board someone may see can still hold a link saved privately by its
owner, and that entry does not exist for them — not in the list, the wall, the counts, exports or the feed.
Every page costs the same number of queries however many entries the board has.
"""

from __future__ import annotations

import mimetypes
import os
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Count, Exists, F, IntegerField, Max, OuterRef, Q, Subquery, Value, When, Window
from django.db.models.functions import Coalesce, RowNumber
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe

from core.access import (
    can_admin,
    can_create_in,
    can_edit,
    can_view,
    get_visible_or_404,
    is_site_admin,
    item_filter_via,
    person_filter,
)
from core.models import Item, ItemKind, Visibility, Watch
from lib.htmx import render_page
from lib.pagecache import cache_for_viewer
from lib.pagination import paginate
from lib.urls import reverse_one
from links import services
from links.board_forms import (
    SEARCH_MAX,
    AddEntryForm,
    BoardForm,
    CollaboratorsForm,
    EntryForm,
    MoveForm,
    OfficialForm,
    QuickBoardForm,
    SectionForm,
    section_from,
)
from links.models import Board, BoardEntry, BoardSection, EntryProgress

ENTRIES_PER_PAGE = 250
BOARDS_PER_PAGE = 24
READERS_PER_PAGE = 100
FOUND_MAX = 12
COVER_IMAGES = 3
FEED_ENTRIES = 50
ROLE_SUGGESTIONS = 200
PICK_BOARDS_MAX = 60
TABS = [
    ("mine", "My boards"),
    ("collaborating", "Collaborating"),
    ("following", "Following"),
    ("official", "Official reading lists"),
    ("recent", "Everyone's recent"),
]
KIND_LABELS = {ItemKind.LINK: "Link", ItemKind.PAGE: "Wiki page", ItemKind.FILE: "File", ItemKind.BOARD: "Board"}


def _problem(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError):
        return exc.messages
    return [str(exc) or "You may not do that."]


def _is_curator(user) -> bool:
    return bool(user.is_authenticated and (getattr(user, "role", "") == "curator" or is_site_admin(user)))


# ----------------------------------------------------------------------------------------------- reads


def _board_items():
    return Item.objects.filter(kind=ItemKind.BOARD, board__isnull=False).select_related(
        "owner", "space", "board", "board__skill"
    )


def get_board_or_404(user, pk: int) -> Board:
    """A board the person may see, with its item, owner, space and skill loaded; anything else is a 404."""
    item = get_visible_or_404(user, _board_items(), pk=pk)
    return item.board


def _editable_board(request, pk: int) -> Board:
    board = get_board_or_404(request.user, pk)
    if not can_edit(request.user, board.item):
        raise PermissionDenied("Only the board's owner and collaborators can change it.")
    return board


def entries_for(user, board: Board):
    """The board's entries whose items ``user`` may see, in reading order: unsectioned first, then each
    section's entries in turn."""
    return (
        BoardEntry.objects.filter(board=board)
        .filter(item_filter_via(user, "item"))
        .select_related("item", "item__owner", "item__space", "item__bookmark", "item__bookmark__link", "item__file")
        .order_by(F("section__position").asc(nulls_first=True), "section_id", "position", "pk")
    )


def _entry_or_404(user, board: Board, entry_pk: int) -> BoardEntry:
    entry = entries_for(user, board).filter(pk=entry_pk).first()
    if entry is None:
        raise Http404("Not found")
    entry.board = board
    return entry


def _section_or_404(board: Board, section_pk: int) -> BoardSection:
    section = BoardSection.objects.filter(board=board, pk=section_pk).first()
    if section is None:
        raise Http404("Not found")
    section.board = board
    return section


def _domain(entry: BoardEntry) -> str:
    try:
        return entry.item.bookmark.link.domain
    except ObjectDoesNotExist:
        return ""


def entry_image_path(item: Item):
    """The stored thumbnail that pictures an item on a board: a saved image, the page's preview image, or
    a file's thumbnail; None when it has none."""
    if item.kind == ItemKind.LINK:
        try:
            save = item.bookmark
        except ObjectDoesNotExist:
            return None
        if save.thumbnail:
            return save.thumbnail
        return save.link.image or None
    if item.kind == ItemKind.FILE:
        try:
            return item.file.thumbnail or None
        except ObjectDoesNotExist:
            return None
    return None


def _image_url(entry: BoardEntry) -> str:
    image = entry_image_path(entry.item)
    if image is None:
        return ""
    return f"{reverse_one('links:board-entry-image', entry.pk)}?v={_version(image.name)}"


def _version(name: str) -> str:
    # The stored name changes whenever the picture does, so a URL carrying it may be kept by the browser.
    return format(zlib.crc32(name.encode()), "08x")


def _decorate(entries, done_ids: set[int]) -> None:
    """What an entry's card shows, worked out once so the templates stay plain."""
    for entry in entries:
        item = entry.item
        entry.done = entry.pk in done_ids
        entry.kind_label = KIND_LABELS.get(item.kind, item.get_kind_display())
        entry.domain = _domain(entry)
        entry.image = _image_url(entry)
        entry.permalink = reverse_one("core:item", item.pk)
        broken = False
        if item.kind == ItemKind.LINK and entry.domain:
            link = item.bookmark.link
            entry.href = link.url
            entry.external = True
            broken = link.broken_since is not None
        else:
            entry.href = entry.permalink
            entry.external = False
        entry.broken = broken


@dataclass
class Group:
    """A section of the board as one page shows it (``section`` None: the entries above every section)."""

    section: BoardSection | None
    index: int
    entries: list = field(default_factory=list)


def _groups(sections: list[BoardSection], rows: list[BoardEntry], *, first_page: bool, last_page: bool) -> list:
    """The sections one page of entries spans, each with its entries; empty sections keep their place so
    people can fill them (the page before the first entry's section and after the last's hold them)."""
    order = [None, *sections]
    position = {None: 0, **{s.pk: i + 1 for i, s in enumerate(sections)}}
    grouped: dict[int, list] = defaultdict(list)
    for entry in rows:
        grouped[position.get(entry.section_id, 0)].append(entry)
    low = 0 if first_page or not rows else position.get(rows[0].section_id, 0)
    high = len(order) - 1 if last_page or not rows else position.get(rows[-1].section_id, 0)
    groups = [Group(section=order[i], index=i, entries=grouped[i]) for i in range(low, high + 1)]
    last_group = len(order) - 1
    for group in groups:
        for n, entry in enumerate(group.entries):
            entry.can_up = not (group.index == 0 and n == 0)
            entry.can_down = not (group.index == last_group and n == len(group.entries) - 1 and last_page)
    return groups


def _done_ids(user, board: Board) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(
        EntryProgress.objects.filter(user=user, entry__board=board)
        .filter(item_filter_via(user, "entry__item"))
        .values_list("entry_id", flat=True)
    )


def _progress(done: int, total: int) -> dict:
    return {"done": done, "total": total, "percent": round(100 * done / total) if total else 0}


def board_context(request, board: Board, *, view: str | None = None) -> dict:
    """Everything the board page (list or wall) shows, in a fixed number of queries."""
    user = request.user
    item = board.item
    if view not in Board.Layout.values:
        view = board.layout
    entries = entries_for(user, board)
    page = paginate(entries, request, per_page=ENTRIES_PER_PAGE)
    sections = list(board.sections.all())
    done_ids = _done_ids(user, board)
    total = len(page.rows) if page.number == 1 and not page.has_next else entries.count()
    _decorate(page.rows, done_ids)
    editable = can_edit(user, item)
    following = user.is_authenticated and Watch.objects.filter(user=user, item=item).exists()
    context = {
        "board": board,
        "item": item,
        "view": view,
        "page": page,
        "groups": _groups(sections, page.rows, first_page=page.number == 1, last_page=not page.has_next),
        "sections": sections,
        "progress": _progress(len(done_ids), total),
        "can_edit": editable,
        "can_admin": can_admin(user, item),
        "can_mark": user.is_authenticated,
        "is_curator": _is_curator(user),
        "can_see_progress": editable or (board.official and _is_curator(user)),
        "following": following,
        "follower_count": Watch.objects.filter(item=item).exclude(user_id=item.owner_id).count(),
        "collaborators": list(board.collaborators.filter(person_filter(user)).order_by("display_name", "username")),
        "tags": list(item.tags.all()),
        "official_for": official_for(board),
    }
    context["first_number"] = (page.number - 1) * ENTRIES_PER_PAGE
    if editable and view == Board.Layout.LIST:
        context["add_form"] = AddEntryForm(sections=sections)
        context["found"] = find_items(user, board, q="", kind="")
    return context


def official_for(board: Board) -> str:
    """'Python · Data analyst · onboarding': what an official reading list is recommended for."""
    if not board.official:
        return ""
    parts = [board.skill.name if board.skill_id and board.skill else "", board.role, board.topic]
    return " · ".join(p for p in parts if p)


def _cover_images(user, boards: list[Board]) -> dict[int, list[str]]:
    """Up to three pictures for each board's card, from entries the viewer may see, in one query."""
    if not boards:
        return {}
    has_image = (
        Q(item__kind=ItemKind.LINK) & (~Q(item__bookmark__thumbnail="") | ~Q(item__bookmark__link__image=""))
    ) | (Q(item__kind=ItemKind.FILE) & ~Q(item__file__thumbnail=""))
    rows = (
        BoardEntry.objects.filter(board__in=[b.pk for b in boards])
        .filter(item_filter_via(user, "item"))
        .filter(has_image)
        .select_related("item", "item__bookmark", "item__bookmark__link", "item__file")
        .annotate(rank=Window(RowNumber(), partition_by=[F("board_id")], order_by=[F("position"), F("pk")]))
        .filter(rank__lte=COVER_IMAGES)
        .order_by("board_id", "rank")
    )
    covers: dict[int, list[str]] = defaultdict(list)
    for entry in rows:
        url = _image_url(entry)
        if url:
            covers[entry.board_id].append(url)
    return covers


def _done_counts(user, boards: list[Board]) -> dict[int, int]:
    if not user.is_authenticated or not boards:
        return {}
    rows = (
        EntryProgress.objects.filter(user=user, entry__board__in=[b.pk for b in boards])
        .values("entry__board")
        .annotate(n=Count("pk"))
    )
    return {row["entry__board"]: row["n"] for row in rows}


def board_cards(user, items: list[Item]) -> list[Item]:
    """Board items ready for their cards: cover pictures and how far the viewer got (two queries)."""
    boards = [item.board for item in items]
    covers = _cover_images(user, boards)
    done = _done_counts(user, boards)
    for item in items:
        board = item.board
        item.covers = covers.get(board.pk, [])
        item.done = done.get(board.pk, 0)
        item.official_for = official_for(board)
    return items


def boards_shown(user, tab: str):
    """The boards of one tab of the boards list, newest activity first."""
    items = Item.objects.visible_to(user).filter(kind=ItemKind.BOARD, board__isnull=False)
    items = items.select_related("owner", "space", "board", "board__skill")
    if tab == "mine":
        return items.filter(owner=user).order_by("-updated", "-pk")
    if tab == "collaborating":
        return items.filter(board__collaborators=user).order_by("-updated", "-pk")
    if tab == "following":
        return items.filter(watches__user=user).exclude(owner=user).order_by("-updated", "-pk")
    if tab == "official":
        return items.filter(board__official=True).order_by("-board__entry_count", "-updated", "-pk")
    return items.order_by("-created", "-pk")


def recommended_boards(user, *, skill=None, limit: int = 6) -> list[Item]:
    """Official reading lists the person may see: for ``skill``, or (without one) for their job title and the
    skills they want to learn."""
    if not user.is_authenticated:
        return []
    if skill is not None:
        return boards_about_skills(user, [skill], limit=limit, tagged=False)
    from people.models import PersonSkill

    wanted = PersonSkill.objects.filter(person=user, direction=PersonSkill.Direction.WANTS).values("skill_id")
    mine = Q(board__skill__in=wanted)
    if user.job_title.strip():
        mine |= Q(board__role__iexact=user.job_title.strip())
    items = _boards_with_cards(user).filter(mine, board__official=True)
    return _with_progress(user, list(items.order_by("-board__entry_count", "-updated", "-pk")[:limit]))


def boards_about_skills(user, skills, *, limit: int = 6, tagged: bool = True) -> list[Item]:
    """Boards the person may see about any of ``skills``: the official reading lists for them first (the fullest
    first), then, with ``tagged``, other boards tagged with one of the skills' names. At most two queries, however many
    skills and boards."""
    from people.queries import tagged_with_skills

    skills = list(skills)
    if not skills:
        return []
    official = Q(board__official=True, board__skill__in=skills)
    about = (official | Q(tagged_with_skills(skills))) if tagged else official
    items = (
        _boards_with_cards(user)
        .filter(about)
        .annotate(reading_list=Case(When(official, then=Value(1)), default=Value(0), output_field=IntegerField()))
        .order_by("-reading_list", "-board__entry_count", "-updated", "-pk")
    )
    return _with_progress(user, list(items[:limit]))


def _boards_with_cards(user):
    return (
        Item.objects.visible_to(user)
        .filter(kind=ItemKind.BOARD, board__isnull=False)
        .select_related("owner", "board", "board__skill")
    )


def _with_progress(user, items: list[Item]) -> list[Item]:
    done = _done_counts(user, [i.board for i in items])
    for item in items:
        item.done = done.get(item.board.pk, 0)
        item.official_for = official_for(item.board)
    return items


def editable_boards(user, *, limit: int = PICK_BOARDS_MAX):
    """Boards the person may add to: their own and the ones they help edit."""
    return (
        Item.objects.visible_to(user)
        .filter(kind=ItemKind.BOARD, board__isnull=False)
        .filter(Q(owner=user) | Q(board__collaborators=user))
        .select_related("board")
        .distinct()
        .order_by("-updated", "-pk")[:limit]
    )


def find_items(user, board: Board, *, q: str, kind: str) -> list[Item]:
    """What the person could add: best search matches, or without words their own newest items; never the
    board itself or what is on it already."""
    from search.queries import search

    on_board = BoardEntry.objects.filter(board=board).values("item_id")
    if q.strip():
        results = [r.object for r in search(user, q, kind="item", item_kind=kind or None, limit=FOUND_MAX * 3)]
        taken = BoardEntry.objects.filter(board=board).filter(
            Q(item_id__in=[i.pk for i in results])
            | Q(item__bookmark__link_id__in=[i.bookmark.link_id for i in results if _is_save(i)])
        )
        taken_items = set(taken.values_list("item_id", flat=True))
        taken_links = set(taken.filter(item__kind=ItemKind.LINK).values_list("item__bookmark__link_id", flat=True))
        return _one_save_per_link(
            [i for i in results if i.pk != board.item_id and i.pk not in taken_items], user, taken_links
        )[:FOUND_MAX]
    items = Item.objects.visible_to(user).filter(owner=user).exclude(pk=board.item_id).exclude(pk__in=on_board)
    if kind:
        items = items.filter(kind=kind)
    return list(items.select_related("owner").order_by("-created", "-pk")[:FOUND_MAX])


def _is_save(item: Item) -> bool:
    if item.kind != ItemKind.LINK:
        return False
    try:
        return item.bookmark is not None
    except ObjectDoesNotExist:
        return False


def _one_save_per_link(items: list[Item], user, taken_links: set[int]) -> list[Item]:
    """Twenty people's saves of one page are one thing to put on a board: keep one of them (the person's own
    when they saved it too), and none of a page the board holds already through someone's save."""
    chosen: dict = {}
    for item in items:
        key = ("link", item.bookmark.link_id) if _is_save(item) else ("item", item.pk)
        if key[0] == "link" and key[1] in taken_links:
            continue
        if key not in chosen or (item.owner_id == user.pk and chosen[key].owner_id != user.pk):
            chosen[key] = item
    return list(chosen.values())


def readers_progress(viewer, board: Board):
    """Followers of the board and anyone who ticked an entry off (its owner aside), with how many entries
    each has done and when they last ticked one, most done first."""
    item = board.item
    progress = EntryProgress.objects.filter(entry__board=board, user=OuterRef("pk"))
    follows = Watch.objects.filter(item=item, user=OuterRef("pk"))
    done = progress.order_by().values("user").annotate(n=Count("pk")).values("n")[:1]
    last = progress.order_by().values("user").annotate(at=Max("done_at")).values("at")[:1]
    return (
        get_user_model()
        .objects.filter(person_filter(viewer))
        .filter(Exists(follows) | Exists(progress))
        .exclude(pk=item.owner_id)
        .annotate(
            done=Coalesce(Subquery(done, output_field=IntegerField()), Value(0)),
            last_done=Subquery(last),
            following=Exists(follows),
        )
        .order_by("-done", "username")
    )


# ------------------------------------------------------------------------------------------------- writes


@transaction.atomic
# ------------------------------------------------------------------------------------------------- pages


def _board_url(board: Board, **params) -> str:
    url = reverse("links:board", args=[board.item_id])
    params = {k: v for k, v in params.items() if v}
    return f"{url}?{urlencode(params)}" if params else url


def _back(request, board: Board, anchor: str = "") -> str:
    """Back to the board as the person was looking at it (its view), at ``anchor``."""
    view = request.POST.get("view") or request.GET.get("view") or ""
    url = _board_url(board, view=view if view in Board.Layout.values else "")
    return url + (f"#{anchor}" if anchor else "")


@login_required
@require_GET
@cache_for_viewer
def board_list(request):
    tab = request.GET.get("show", "mine")
    if tab not in dict(TABS):
        tab = "mine"
    page = paginate(boards_shown(request.user, tab), request, per_page=BOARDS_PER_PAGE)
    board_cards(request.user, page.rows)
    context = {"tabs": TABS, "tab": tab, "page": page}
    return render_page(request, "links/boards.html", context, partial="results")


@login_required
@require_http_methods(["GET", "POST"])
def board_new(request):
    from spaces.models import Space

    chosen = None
    slug = request.GET.get("space", "")
    if slug:
        chosen = Space.objects.visible_to(request.user).filter(slug=slug).first()
        chosen = chosen if chosen is not None and can_create_in(request.user, chosen) else None
    status = 200
    if request.method == "POST":
        form = BoardForm(request.POST, user=request.user, space=chosen)
        if form.is_valid():
            data = form.cleaned_data
            try:
                board = services.create_board(
                    owner=request.user,
                    title=data["title"],
                    description=data["description"],
                    space=data["space"],
                    visibility=data["visibility"],
                    tags=data["tags"],
                    shared_with=data["shared_with"],
                    layout=data["layout"],
                )
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, _problem(exc))
                status = 400
            else:
                messages.success(request, f"“{board.item.title}” is ready. Add what people should read.")
                return redirect(_board_url(board))
        else:
            status = 400
    else:
        initial = {"visibility": Visibility.SPACE if chosen else Visibility.ORGANISATION, "layout": "list"}
        if chosen is not None:
            initial["space"] = chosen.slug
        form = BoardForm(initial=initial, user=request.user, space=chosen)
    return render(request, "links/board_form.html", {"form": form, "space": chosen}, status=status)


def board_page(request, item: Item):
    """A board through its permalink /i/<id>/, after core has checked it may be seen."""
    try:
        board = Board.objects.select_related("skill").get(item=item)
    except Board.DoesNotExist:
        raise Http404("This item has no board.")
    board.item = item
    return _render_board(request, board)


@require_GET
@cache_for_viewer
def board_detail(request, pk: int):
    return _render_board(request, get_board_or_404(request.user, pk))


def _render_board(request, board: Board, *, status: int = 200, **extra):
    """The board page; for htmx, its body (progress and entries), which every change on the page redraws."""
    context = board_context(request, board, view=request.GET.get("view") or request.POST.get("view"))
    context.update(extra)
    return render_page(request, "links/board.html", context, partial="body", status=status)


@login_required
@require_http_methods(["GET", "POST"])
def board_edit(request, pk: int):
    board = _editable_board(request, pk)
    item = board.item
    may_share = can_admin(request.user, item)
    status = 200
    if request.method == "POST":
        form = BoardForm(request.POST, user=request.user, board=board, may_share=may_share)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update_board(
                    board=board,
                    actor=request.user,
                    title=data["title"],
                    description=data["description"],
                    visibility=data["visibility"],
                    tags=data["tags"],
                    layout=data["layout"],
                    shared_with=data["shared_with"] if data["visibility"] == Visibility.PEOPLE else [],
                )
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, _problem(exc))
                status = 400
            else:
                messages.success(request, "The board's details are saved.")
                return redirect(_board_url(board))
        else:
            status = 400
    else:
        form = BoardForm(user=request.user, board=board, may_share=may_share)
    context = {"form": form, "board": board, "item": item, "can_admin": may_share}
    return render(request, "links/board_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def board_delete(request, pk: int):
    board = get_board_or_404(request.user, pk)
    if not can_admin(request.user, board.item):
        raise PermissionDenied("Only the board's owner, a space moderator or an administrator can delete it.")
    if request.method == "POST":
        services.delete_board(board=board, actor=request.user)
        messages.success(request, f"“{board.item.title}” is deleted.")
        return redirect("links:boards")
    return render(request, "links/board_delete.html", {"board": board, "item": board.item})


# ------------------------------------------------------------------------------------------------- entries


@login_required
@require_http_methods(["GET", "POST"])
def entry_add(request, pk: int):
    """Add to the board: search what you may see (htmx fills the results as you type), or paste an address."""
    board = _editable_board(request, pk)
    sections = list(board.sections.all())
    status = 200
    if request.method == "POST":
        form = AddEntryForm(request.POST, sections=sections)
        if form.is_valid():
            data = form.cleaned_data
            try:
                entry = _add(request, board, data)
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, _problem(exc))
                status = 400
            else:
                messages.success(request, f"“{entry.item.title}” is on the board.")
                if request.POST.get("next") == "add":
                    return redirect(reverse("links:board-entry-add", args=[board.item_id]))
                return redirect(_back(request, board, f"entry-{entry.pk}"))
        else:
            status = 400
    else:
        form = AddEntryForm(sections=sections, initial={"section": request.GET.get("section", "")})
    source = request.POST if request.method == "POST" else request.GET
    find, kind = _search_terms(source)
    found = find_items(request.user, board, q=find, kind=kind)
    context = {"board": board, "item": board.item, "form": form, "found": found, "find": find, "kind": kind}
    return render(request, "links/board_add.html", context, status=status)


def _search_terms(params) -> tuple[str, str]:
    """The words and the kind typed into an add box; an unknown kind means any kind."""
    kind = params.get("kind") or ""
    return (params.get("find") or "")[:SEARCH_MAX], kind if kind in ItemKind.values else ""


def _add(request, board: Board, data: dict) -> BoardEntry:
    if data.get("item"):
        target = get_visible_or_404(request.user, Item.objects.all(), pk=data["item"])
    else:
        target = _save_address(request, board, data["url"])
    return services.add_entry(board=board, actor=request.user, item=target, note=data["note"], section=data["section"])


def _save_address(request, board: Board, url: str) -> Item:
    """A web address pasted into the board becomes the person's own save, seen by the board's readers."""
    item = board.item
    space = item.space if item.space_id and can_create_in(request.user, item.space) else None
    visibility = item.visibility
    if visibility == Visibility.SPACE and space is None:
        visibility = Visibility.PRIVATE
    shared = list(item.shared_with.all()) if visibility == Visibility.PEOPLE else []
    outcome = services.save_link(
        user=request.user, url=url.strip(), space=space, visibility=visibility, shared_with=shared
    )
    return outcome.bookmark.item


@login_required
@require_GET
def entry_search(request, pk: int):
    """The results under the add box as the person types (an htmx fragment)."""
    board = _editable_board(request, pk)
    find, kind = _search_terms(request.GET)
    found = find_items(request.user, board, q=find, kind=kind)
    context = {"board": board, "found": found, "find": find, "kind": kind}
    return render(request, "links/partials/board_found.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request, pk: int, entry_pk: int):
    board = _editable_board(request, pk)
    entry = _entry_or_404(request.user, board, entry_pk)
    sections = list(board.sections.all())
    status = 200
    if request.method == "POST":
        form = EntryForm(request.POST, sections=sections)
        if form.is_valid():
            try:
                services.update_entry(
                    entry=entry,
                    actor=request.user,
                    note=form.cleaned_data["note"],
                    section=form.cleaned_data["section"],
                )
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, _problem(exc))
                status = 400
            else:
                if request.htmx:
                    return _render_board(request, board)
                messages.success(request, "The note is saved.")
                return redirect(_back(request, board, f"entry-{entry.pk}"))
        else:
            status = 400
    else:
        form = EntryForm(initial={"note": entry.note, "section": entry.section_id or ""}, sections=sections)
    context = {"board": board, "item": board.item, "entry": entry, "form": form, "view": request.GET.get("view", "")}
    response = render_page(request, "links/board_entry.html", context, partial="form", status=status)
    if request.htmx and request.method == "POST":
        # The form posts to the board's body; a refusal goes back into the entry's own slot instead.
        response["HX-Retarget"] = f"#entry-{entry.pk}-slot"
        response["HX-Reswap"] = "innerHTML"
    return response


def _reading_order(user, board: Board) -> tuple[list, list[list[BoardEntry]]]:
    """The sections (None first) and the entries ``user`` may see grouped under them, in order."""
    sections = [None, *board.sections.all()]
    index = {None: 0, **{s.pk: i for i, s in enumerate(sections) if s is not None}}
    groups: list[list[BoardEntry]] = [[] for _ in sections]
    for entry in entries_for(user, board).select_related(None).only("pk", "section_id", "position", "board_id"):
        groups[index.get(entry.section_id, 0)].append(entry)
    return sections, groups


def _destination(user, board: Board, entry: BoardEntry, data: dict, posted) -> tuple | None:
    """Where a move puts ``entry``: (section, before, after) with before/after a neighbour, or None when it
    cannot go further that way."""
    sections, groups = _reading_order(user, board)
    if data.get("direction"):
        g = next((i for i, grp in enumerate(groups) if any(e.pk == entry.pk for e in grp)), 0)
        group = groups[g]
        n = next(i for i, e in enumerate(group) if e.pk == entry.pk)
        if data["direction"] == "up":
            if n > 0:
                return sections[g], group[n - 1], None
            if g > 0:
                previous = groups[g - 1]
                return sections[g - 1], None, previous[-1] if previous else None
            return None
        if n < len(group) - 1:
            return sections[g], None, group[n + 1]
        if g < len(groups) - 1:
            following = groups[g + 1]
            return sections[g + 1], following[0] if following else None, None
        return None
    section = section_from(board, posted.get("section"))
    if posted.get("section") and section is None:
        raise ValidationError("That section is not on this board.")
    members = groups[sections.index(section)] if section in sections else []
    before = None
    if data.get("before"):
        before = next((e for e in members if e.pk == data["before"]), None)
        if before is None:
            raise ValidationError("That entry is not in this section.")
        if before.pk == entry.pk:
            return section, None, None
    after = None
    if before is None:
        others = [e for e in members if e.pk != entry.pk]
        after = others[-1] if others else None
    return section, before, after


def _position(board: Board, entry: BoardEntry, *, before, after) -> int:
    """The 0-based place among all the board's entries (services.move_entry's terms) that puts ``entry``
    just before ``before`` or just after ``after``; with neither, where it is now."""
    every = list(board.entries.order_by("position", "pk").values_list("pk", flat=True))
    others = [pk for pk in every if pk != entry.pk]
    if before is not None:
        return others.index(before.pk)
    if after is not None:
        return others.index(after.pk) + 1
    return every.index(entry.pk)


@login_required
@require_POST
def entry_move(request, pk: int, entry_pk: int):
    board = _editable_board(request, pk)
    entry = _entry_or_404(request.user, board, entry_pk)
    form = MoveForm(request.POST)
    problem = None
    if form.is_valid():
        try:
            target = _destination(request.user, board, entry, form.cleaned_data, request.POST)
            if target is not None:
                section, before, after = target
                if section is not None:
                    section.board = board
                position = _position(board, entry, before=before, after=after)
                services.move_entry(entry=entry, actor=request.user, position=position, section=section)
        except (ValidationError, PermissionDenied) as exc:
            problem = " ".join(_problem(exc))
    else:
        problem = " ".join(m for ms in form.errors.values() for m in ms)
    if request.htmx:
        moved = {"entry": entry.pk, "direction": form.cleaned_data.get("direction", "") if not form.errors else ""}
        return _render_board(request, board, status=400 if problem else 200, problem=problem, moved=moved)
    if problem:
        messages.error(request, problem)
    return redirect(_back(request, board, f"entry-{entry.pk}"))


@login_required
@require_POST
def entry_remove(request, pk: int, entry_pk: int):
    board = _editable_board(request, pk)
    entry = _entry_or_404(request.user, board, entry_pk)
    services.remove_entry(entry=entry, actor=request.user)
    if request.htmx:
        return _render_board(request, board)
    messages.success(request, f"“{entry.item.title}” is off the board.")
    return redirect(_back(request, board))


@login_required
@require_POST
def entry_done(request, pk: int, entry_pk: int):
    """A reader ticks an entry off, or un-ticks it."""
    board = get_board_or_404(request.user, pk)
    entry = _entry_or_404(request.user, board, entry_pk)
    done = request.POST.get("done") in ("1", "true", "on")
    services.mark_done(entry=entry, user=request.user, done=done)
    if request.htmx:
        done_ids = _done_ids(request.user, board)
        entry.done = entry.pk in done_ids
        total = entries_for(request.user, board).count()
        context = {"board": board, "item": board.item, "entry": entry, "progress": _progress(len(done_ids), total)}
        context["can_mark"] = True
        context["oob"] = True
        return HttpResponse(
            render(request, "links/board.html#done", context).content
            + render(request, "links/board.html#progress", context).content
        )
    return redirect(_back(request, board, f"entry-{entry.pk}"))


@require_safe
def entry_image(request, entry_pk: int):
    """An entry's picture, for the list and the wall: only while the board and the entry's item may be seen."""
    entry = (
        BoardEntry.objects.select_related("board__item", "item", "item__bookmark", "item__bookmark__link", "item__file")
        .filter(pk=entry_pk)
        .first()
    )
    if entry is None or not can_view(request.user, entry.board.item) or not can_view(request.user, entry.item):
        raise Http404("Not found")
    image = entry_image_path(entry.item)
    if image is None:
        raise Http404("No picture")
    etag = f'"{_version(image.name)}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
        response["ETag"] = etag
        return response
    try:
        handle = image.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("No picture")
    content_type = mimetypes.guess_type(os.path.basename(image.name))[0] or "image/jpeg"
    if not content_type.startswith("image/") or content_type == "image/svg+xml":
        raise Http404("No picture")
    response = FileResponse(handle, content_type=content_type)
    response["ETag"] = etag
    response["Cache-Control"] = "private, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ------------------------------------------------------------------------------------------------ sections


@login_required
@require_POST
def section_add(request, pk: int):
    board = _editable_board(request, pk)
    form = SectionForm(request.POST)
    problem = None
    if form.is_valid():
        try:
            services.add_section(board=board, actor=request.user, title=form.cleaned_data["title"])
        except (ValidationError, PermissionDenied) as exc:
            problem = " ".join(_problem(exc))
    else:
        problem = " ".join(form.errors["title"])
    if request.htmx:
        return _render_board(request, board, status=400 if problem else 200, problem=problem)
    if problem:
        messages.error(request, problem)
    return redirect(_back(request, board))


@login_required
@require_POST
def section_rename(request, pk: int, section_pk: int):
    board = _editable_board(request, pk)
    section = _section_or_404(board, section_pk)
    form = SectionForm(request.POST)
    problem = None
    if form.is_valid():
        try:
            services.rename_section(section=section, actor=request.user, title=form.cleaned_data["title"])
        except (ValidationError, PermissionDenied) as exc:
            problem = " ".join(_problem(exc))
    else:
        problem = " ".join(form.errors["title"])
    if request.htmx:
        return _render_board(request, board, status=400 if problem else 200, problem=problem)
    if problem:
        messages.error(request, problem)
    return redirect(_back(request, board, f"section-{section.pk}"))


@login_required
@require_POST
def section_delete(request, pk: int, section_pk: int):
    board = _editable_board(request, pk)
    section = _section_or_404(board, section_pk)
    services.delete_section(section=section, actor=request.user)
    if request.htmx:
        return _render_board(request, board)
    messages.success(request, f"The section “{section.title}” is gone; its entries stay on the board.")
    return redirect(_back(request, board))


# ------------------------------------------------------------------------------------- people and marking


@login_required
@require_http_methods(["GET", "POST"])
def collaborators(request, pk: int):
    board = get_board_or_404(request.user, pk)
    if not can_admin(request.user, board.item):
        raise PermissionDenied("Only the board's owner or a space moderator chooses its collaborators.")
    status = 200
    current = list(board.collaborators.order_by("username"))
    if request.method == "POST":
        form = CollaboratorsForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.set_collaborators(board=board, actor=request.user, people=form.cleaned_data["people"])
            except (ValidationError, PermissionDenied) as exc:
                form.add_error("people", _problem(exc))
                status = 400
            else:
                messages.success(request, "Collaborators are saved.")
                return redirect(_board_url(board))
        else:
            status = 400
    else:
        form = CollaboratorsForm(initial={"people": ", ".join(p.username for p in current)}, user=request.user)
    context = {"board": board, "item": board.item, "form": form, "current": current}
    return render(request, "links/board_collaborators.html", context, status=status)


@login_required
@require_GET
def people_suggestions(request):
    """Options for the collaborators box's datalist, as the owner types."""
    from files.queries import share_suggestions

    text = request.GET.get("people") or request.GET.get("shared_with") or ""
    options = share_suggestions(request.user, text[:2000])
    return render(request, "files/partials/share_options.html", {"options": options})


@login_required
@require_http_methods(["GET", "POST"])
def official(request, pk: int):
    board = get_board_or_404(request.user, pk)
    if not _is_curator(request.user):
        raise PermissionDenied("Only curators and administrators mark official reading lists.")
    status = 200
    if request.method == "POST":
        form = OfficialForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.set_official(
                    board=board,
                    actor=request.user,
                    official=data["official"],
                    skill=data["skill"],
                    role=data["role"],
                    topic=data["topic"],
                )
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, _problem(exc))
                status = 400
            else:
                text = "is now an official reading list" if data["official"] else "is no longer an official list"
                messages.success(request, f"“{board.item.title}” {text}.")
                return redirect(_board_url(board))
        else:
            status = 400
    else:
        form = OfficialForm(
            initial={
                "official": board.official or "official" in request.GET,
                "skill": board.skill.name if board.skill_id else "",
                "role": board.role,
                "topic": board.topic,
            }
        )
    roles = (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(job_title="")
        .values_list("job_title", flat=True)
        .distinct()
        .order_by("job_title")[:ROLE_SUGGESTIONS]
    )
    context = {"board": board, "item": board.item, "form": form, "roles": roles}
    return render(request, "links/board_official.html", context, status=status)


@login_required
@require_POST
def follow(request, pk: int):
    board = get_board_or_404(request.user, pk)
    following = request.POST.get("action") != "unfollow"
    if following:
        services.follow_board(board=board, user=request.user)
    else:
        services.unfollow_board(board=board, user=request.user)
    if request.htmx:
        count = Watch.objects.filter(item=board.item).exclude(user_id=board.item.owner_id).count()
        context = {"board": board, "item": board.item, "following": following, "follower_count": count}
        return render(request, "links/board.html#follow", context)
    messages.success(
        request, "You follow the board: its changes reach you." if following else "You no longer follow the board."
    )
    return redirect(_back(request, board))


@login_required
@require_GET
def progress(request, pk: int):
    """How far the board's readers got, for its owner, collaborators and (official lists) curators."""
    board = get_board_or_404(request.user, pk)
    if not (can_edit(request.user, board.item) or (board.official and _is_curator(request.user))):
        raise PermissionDenied("Only the board's owner and collaborators see its readers' progress.")
    readers = readers_progress(request.user, board)
    total = board.entries.count()
    summary = readers.aggregate(
        readers=Count("pk"),
        started=Count("pk", filter=Q(done__gt=0)),
        # With nothing on the board nobody has finished it: the filter then matches no one.
        finished=Count("pk", filter=Q(done__gte=total) if total else Q(pk__in=[])),
    )
    page = paginate(readers, request, per_page=READERS_PER_PAGE)
    for person in page.rows:
        person.percent = min(100, round(100 * person.done / total)) if total else 0
    context = {"board": board, "item": board.item, "page": page, "total": total, "summary": summary}
    return render_page(request, "links/board_progress.html", context, partial="rows")


# ------------------------------------------------------------------------------------------- save to a board


@login_required
@require_http_methods(["GET", "POST"])
def save_to_board(request, item_pk: int):
    """Put one item on a board of one's own (or a new board), Pinterest's "Save to board"."""
    target = get_visible_or_404(request.user, Item.objects.select_related("owner"), pk=item_pk)
    boards = list(editable_boards(request.user))
    quick = QuickBoardForm(prefix="new")
    status = 200
    if request.method == "POST":
        try:
            if "new-title" in request.POST:
                quick = QuickBoardForm(request.POST, prefix="new")
                if not quick.is_valid():
                    raise ValidationError(quick.errors["title"])
                with transaction.atomic():
                    board = services.create_board(owner=request.user, title=quick.cleaned_data["title"])
                    services.add_entry(board=board, actor=request.user, item=target)
            else:
                board = _editable_board(request, _int(request.POST.get("board")))
                services.add_entry(
                    board=board, actor=request.user, item=target, note=(request.POST.get("note") or "")[:5000]
                )
        except ValidationError as exc:
            messages.error(request, " ".join(_problem(exc)))
            status = 400
        else:
            messages.success(request, f"“{target.title}” is on “{board.item.title}”.")
            return redirect(_board_url(board))
    context = {"target": target, "boards": boards, "quick": quick}
    return render(request, "links/board_save.html", context, status=status)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404("Not found")


# ----------------------------------------------------------------------------------------- exports and feed


def _export(request, pk: int, *, write, content_type: str, suffix: str) -> HttpResponse:
    """The board's entries the person may see; wiki pages and files as links to their pages here."""
    board = get_board_or_404(request.user, pk)
    body = write(board=board, viewer=request.user, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type=content_type)
    name = slugify(board.item.title)[:60] or "board"
    response["Content-Disposition"] = f'attachment; filename="{name}-{board.item_id}.{suffix}"'
    return response


@require_safe
def export_html(request, pk: int):
    from links.exporting import export_board_netscape

    return _export(request, pk, write=export_board_netscape, content_type="text/html; charset=utf-8", suffix="html")


@require_safe
def export_csv(request, pk: int):
    from links.exporting import export_board_csv

    return _export(request, pk, write=export_board_csv, content_type="text/csv; charset=utf-8", suffix="csv")


class BoardFeed(Feed):
    """The newest entries of one board, as the person asking may see them (Atom). Made per request: it
    keeps the request to apply the access rule to each entry."""

    feed_type = Atom1Feed

    def __init__(self, request):
        super().__init__()
        self.request = request

    def get_object(self, request, pk: int):
        return get_board_or_404(request.user, pk)

    def title(self, board):
        return board.item.title

    def subtitle(self, board):
        return board.item.summary or f"A reading list by {board.item.owner.name}"

    def link(self, board):
        return reverse("links:board", args=[board.item_id])

    def author_name(self, board):
        return board.item.owner.name

    def items(self, board):
        entries = entries_for(self.request.user, board).select_related("added_by")
        entries = list(entries.order_by("-added", "-pk")[:FEED_ENTRIES])
        _decorate(entries, set())
        return entries

    def item_title(self, entry):
        return entry.item.title

    def item_description(self, entry):
        return "\n\n".join(p for p in (entry.note, entry.item.summary) if p)

    def item_link(self, entry):
        return entry.href

    def item_guid(self, entry):
        return self.request.build_absolute_uri(f"{reverse('links:board', args=[entry.board_id])}#entry-{entry.pk}")

    def item_guid_is_permalink(self, entry):
        return False

    def item_pubdate(self, entry):
        return entry.added

    def item_updateddate(self, entry):
        return entry.added

    def item_author_name(self, entry):
        return entry.added_by.name if entry.added_by else None

    def item_categories(self, entry):
        return [entry.kind_label]


@require_safe
def board_feed(request, pk: int):
    return BoardFeed(request)(request, pk=pk)
