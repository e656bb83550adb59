"""Link pages: the list, the shared page of one link with every save the viewer may see, saving (share page,
bookmarklet, image-linking), changing one's own save, import and export.

A ``Link`` has no visibility of its own: its saves (``Bookmark`` items) do, so a link's page, image and
discussion exist for a person only while they may see at least one save of it; otherwise 404.
"""

from __future__ import annotations

import json
import mimetypes
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, F, OuterRef, Window
from django.db.models.functions import RowNumber
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe

from core.access import can_admin, can_create_in, can_edit, get_visible_or_404, space_roles
from core.models import Item, ItemKind, Tag, Visibility
from lib.htmx import render_page
from lib.pagecache import cache_for_viewer
from lib.pagination import paginate
from lib.urls import reverse_one
from links import discussion
from links.forms import CommentForm, EditForm, FilterForm, ImageForm, ImportForm, SaveForm, clean_url
from links.models import Bookmark, Comment, ImportJob, Link
from links.services import delete_bookmark, restore_bookmark, save_link, update_bookmark, url_hash

LIST_PAGE = 24
OTHERS_SHOWN = 3
SAVES_PAGE = 50
COMMENTS_SHOWN = 300
DUPLICATES_SHOWN = 8
PREFILL_MAX = 2000


# ------------------------------------------------------------------------------------------------ reads


def visible_saves(user):
    """Saves (link items) ``user`` may see, with what a card shows loaded in the same query."""
    return (
        Item.objects.visible_to(user)
        .filter(kind=ItemKind.LINK)
        .select_related("owner", "space", "bookmark", "bookmark__link")
        .prefetch_related("tags")
    )


def _link_or_404(user, link_id: int) -> Link:
    link = Link.objects.filter(pk=link_id).first()
    if link is None or not discussion.link_visible_to(user, link):
        raise Http404("Not found")
    return link


def _save_or_404(user, item_id: int) -> Item:
    """One save the person may see (404 otherwise, including for items of other kinds)."""
    return get_visible_or_404(
        user, Item.objects.filter(kind=ItemKind.LINK).select_related("owner", "space", "bookmark__link"), pk=item_id
    )


def decorate(rows) -> list[Item]:
    """Give each save the addresses its card needs (``reverse_one`` once per name, not per row)."""
    for item in rows:
        bookmark = item.bookmark
        link = bookmark.link
        version = int(link.fetched_at.timestamp()) if link.fetched_at else 0
        item.link_page_url = reverse_one("links:link", link.pk)
        item.thumb_url = ""
        if bookmark.thumbnail:
            item.thumb_url = reverse_one("links:saved-thumbnail", item.pk)
        elif link.image:
            item.thumb_url = f"{reverse_one('links:link-image', link.pk)}?v={version}"
        item.favicon_url = f"{reverse_one('links:link-favicon', link.pk)}?v={version}" if link.favicon else ""
    return rows


def _prefill(request, name: str, limit: int = PREFILL_MAX) -> str:
    return (request.GET.get(name) or "")[:limit]


# ------------------------------------------------------------------------------------------------- list


@login_required
@require_GET
@cache_for_viewer
def link_list(request):
    """Everyone's saves the viewer may see, newest first or most saved first, with filters."""
    user = request.user
    form = FilterForm(request.GET)
    saves = visible_saves(user)
    form.is_valid()
    data = form.cleaned_data  # the filters that make sense, even when another does not
    space = person = tag = None
    nothing = False
    if data.get("space"):
        from spaces.models import Space

        space = Space.objects.visible_to(user).filter(slug=data["space"]).first()
        nothing |= space is None
        saves = saves.filter(space=space)
    if data.get("person"):
        person = get_user_model().objects.visible_to(user).filter(username=data["person"]).first()
        nothing |= person is None
        saves = saves.filter(owner=person)
    if data.get("tag"):
        tag = Tag.objects.filter(slug=data["tag"]).first()
        saves = saves.filter(tags__slug=data["tag"])
    if data.get("domain"):
        domain = data["domain"]
        saves = saves.filter(bookmark__link__domain__in=[domain, f"www.{domain}"])
    sort = data.get("sort") or "newest"
    if nothing:
        saves = saves.none()
    if sort == "popular":
        page = _popular_page(request, user, saves)
    else:
        page = paginate(saves.order_by("-created", "-pk"), request, per_page=LIST_PAGE)
        page.rows = _collapse(page.rows, user)
    decorate(page.rows)
    mine = person is not None and person.pk == user.pk
    context = {
        "form": form,
        "page": page,
        "space": space,
        "person": person,
        "tag": tag,
        "domain": data.get("domain", ""),
        "sort": sort,
        "mine": mine,
        "filtered": bool(space or person or data.get("tag") or data.get("domain")),
        "my_tags": _my_tags(user),
        "space_choices": _space_choices(user, space),
    }
    return render_page(request, "links/list.html", context, partial="results")


def _collapse(rows: list[Item], user) -> list[Item]:
    """One card per link on a page, where the link first appears: the viewer's own save if it is among the
    page's saves of that link, else the newest; the other savers join the card as ``others``."""
    groups: dict[int, list[Item]] = {}
    for item in rows:
        groups.setdefault(item.bookmark.link_id, []).append(item)
    cards = []
    for saves in groups.values():
        card = next((item for item in saves if item.owner_id == user.pk), saves[0])
        card.others = [item for item in saves if item.pk != card.pk][:OTHERS_SHOWN]
        cards.append(card)
    return cards


def _popular_page(request, user, saves):
    """Most saved first, each link once: walk links by save count and keep those with a visible save that
    matches the filters. Each card is the viewer's own save, or else the newest they may see, with up to
    ``OTHERS_SHOWN`` more savers; a window function keeps that bounded however many saved a link."""
    matching = saves.filter(bookmark__link=OuterRef("pk")).order_by().values("pk")
    links = Link.objects.filter(save_count__gt=0).filter(Exists(matching)).order_by("-save_count", "-pk")
    page = paginate(links.only("pk"), request, per_page=LIST_PAGE)
    ids = [link.pk for link in page.rows]
    newest = Window(RowNumber(), partition_by=[F("bookmark__link_id")], order_by=[F("created").desc(), F("pk").desc()])
    candidates = saves.filter(bookmark__link_id__in=ids).annotate(rank=newest).filter(rank__lte=OTHERS_SHOWN + 1)
    mine = {item.bookmark.link_id: item for item in saves.filter(bookmark__link_id__in=ids, owner=user)} if ids else {}
    cards: dict[int, Item] = {}
    for item in sorted(candidates, key=lambda i: i.rank) if ids else ():
        link_id = item.bookmark.link_id
        card = cards.setdefault(link_id, mine.get(link_id) or item)
        card.others = getattr(card, "others", [])
        if item.pk != card.pk and len(card.others) < OTHERS_SHOWN:
            card.others.append(item)
    page.rows = [cards[i] for i in ids if i in cards]
    return page


def _space_choices(user, chosen) -> list:
    from spaces.models import Space

    ids = set(space_roles(user))
    if chosen is not None:
        ids.add(chosen.pk)
    return list(Space.objects.filter(pk__in=ids).order_by("name").only("pk", "slug", "name")) if ids else []


def _my_tags(user, limit: int = 30):
    return list(
        Tag.objects.filter(items__owner=user, items__kind=ItemKind.LINK, items__deleted_at__isnull=True)
        .annotate(uses=Count("items"))
        .order_by("-uses", "name")[:limit]
    )


# ----------------------------------------------------------------------------------------- one link


@require_GET
@cache_for_viewer
def link_page(request, link_id: int):
    link = Link.objects.filter(pk=link_id).first()
    if link is None:
        raise Http404("Not found")
    return _render_link(request, link)


def bookmark_item(request, item):
    """A save's permalink /i/<id>/ (core has checked it may be seen): its link's page, this save first."""
    try:
        bookmark = item.bookmark
    except Bookmark.DoesNotExist:
        raise Http404("This item is not a saved link.") from None
    return _render_link(request, bookmark.link, focus=item)


def board_item(request, item):
    """A board's permalink /i/<id>/: the board's own page (links.boards)."""
    from links.boards import board_page

    return board_page(request, item)


def _render_link(request, link: Link, *, focus: Item | None = None, comment_form=None, status: int = 200):
    user = request.user
    saves = visible_saves(user).filter(bookmark__link=link).order_by("-created", "-pk")
    page = paginate(saves, request, per_page=SAVES_PAGE)
    if not page.rows and focus is None:
        raise Http404("Not found")  # no save the viewer may see, or a page number past the last one
    rows = page.rows
    if focus is not None:
        focus = next((row for row in rows if row.pk == focus.pk), None) or visible_saves(user).get(pk=focus.pk)
        rows = [focus, *(row for row in rows if row.pk != focus.pk)]
    decorate(rows)
    for row in rows:
        row.can_change = row.owner_id == user.pk
        row.can_delete = can_admin(user, row)
    mine = None
    if user.is_authenticated:
        # Asked even when it is among the rows, so the page costs the same queries whatever page it is.
        mine = Item.objects.filter(kind=ItemKind.LINK, owner=user, deleted_at__isnull=True, bookmark__link=link).first()
    lead = focus or mine or rows[0]
    comments = _comments(user, link)
    context = {
        "link": link,
        "lead": lead,
        "title": link.title or lead.title,
        "description": link.description or lead.summary,
        "page": page,
        "saves": rows,
        "focus": focus,
        "mine": mine,
        "save_again_url": _save_url(link, lead),
        "comments": comments,
        "comment_form": comment_form or CommentForm(),
        "boards": _boards_with(user, link),
    }
    return render_page(request, "links/link.html", context, partial="saves", status=status)


def _comments(user, link: Link) -> list[Comment]:
    latest = Comment.objects.filter(link=link).select_related("author").order_by("-created", "-pk")[:COMMENTS_SHOWN]
    comments = discussion.render_comments(latest)
    comments.reverse()
    for comment in comments:
        comment.can_change = discussion.can_change_comment(user, comment)
        comment.can_delete = discussion.can_delete_comment(user, comment)
    return comments


def _save_url(link: Link, lead: Item) -> str:
    query = urlencode({"url": link.url, "title": link.title or lead.title})
    return f"{reverse('links:save')}?{query}"


def _boards_with(user, link: Link, limit: int = 8) -> list[Item]:
    """Boards the viewer may see that hold a save of this link the viewer may see too."""
    saves = Item.objects.visible_to(user).filter(kind=ItemKind.LINK, bookmark__link=link).values("pk")
    return list(
        Item.objects.visible_to(user)
        .filter(kind=ItemKind.BOARD, board__entries__item__in=saves)
        .distinct()
        .order_by("-created")[:limit]
    )


# ------------------------------------------------------------------------------------------- pictures


def _serve_image(request, field, *, max_age: int = 3600):
    """A stored image (a link's preview, favicon or a saved image): only after the caller checked access."""
    if not field:
        raise Http404("No image")
    etag = f'"{url_hash(field.name)[:32]}"'
    if etag in {tag.strip().removeprefix("W/") for tag in request.headers.get("If-None-Match", "").split(",")}:
        response = HttpResponse(status=304)
    else:
        try:
            handle = field.open("rb")
        except FileNotFoundError:
            raise Http404("No image") from None
        content_type = mimetypes.guess_type(field.name)[0] or "application/octet-stream"
        if not content_type.startswith("image/") or content_type == "image/svg+xml":
            content_type = "application/octet-stream"  # never let a stored file run as markup
        response = FileResponse(handle, content_type=content_type)
    response["ETag"] = etag
    response["Cache-Control"] = f"private, max-age={max_age}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def link_image(request, link_id: int):
    return _serve_image(request, _link_or_404(request.user, link_id).image)


@require_safe
def link_favicon(request, link_id: int):
    return _serve_image(request, _link_or_404(request.user, link_id).favicon, max_age=86400)


@require_safe
def saved_image(request, item_id: int):
    return _serve_image(request, _save_or_404(request.user, item_id).bookmark.image)


@require_safe
def saved_thumbnail(request, item_id: int):
    return _serve_image(request, _save_or_404(request.user, item_id).bookmark.thumbnail)


# ----------------------------------------------------------------------------------------- discussion


@login_required
@require_POST
def comment_add(request, link_id: int):
    link = _link_or_404(request.user, link_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment = discussion.add_comment(link=link, author=request.user, body=form.cleaned_data["body"])
        except ValidationError as exc:
            form.add_error("body", exc.messages)
        else:
            if not request.htmx:
                messages.success(request, "Your comment is posted.")
                return redirect(f"{reverse('links:link', args=[link.pk])}#comment-{comment.pk}")
            form = CommentForm()
    if request.htmx:
        # The whole discussion comes back, with the new comment or with the form's errors: htmx swaps
        # only successful answers, so a refused comment is a 200 here and a 400 without JavaScript.
        context = {"link": link, "comments": _comments(request.user, link), "comment_form": form}
        return render(request, "links/link.html#discussion", context)
    return _render_link(request, link, comment_form=form, status=400)


def _comment_or_404(user, comment_id: int) -> Comment:
    comment = Comment.objects.select_related("link", "author").filter(pk=comment_id).first()
    if comment is None or not discussion.link_visible_to(user, comment.link):
        raise Http404("Not found")
    return comment


@login_required
@require_http_methods(["GET", "POST"])
def comment_edit(request, comment_id: int):
    comment = _comment_or_404(request.user, comment_id)
    if not discussion.can_change_comment(request.user, comment):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = CommentForm(request.POST)
        if form.is_valid():
            try:
                discussion.edit_comment(comment=comment, actor=request.user, body=form.cleaned_data["body"])
            except ValidationError as exc:
                form.add_error("body", exc.messages)
            else:
                messages.success(request, "Your comment is changed.")
                return redirect(f"{reverse('links:link', args=[comment.link_id])}#comment-{comment.pk}")
        status = 400
    else:
        form = CommentForm(initial={"body": comment.body})
    return render(request, "links/comment_edit.html", {"comment": comment, "form": form}, status=status)


@login_required
@require_POST
def comment_delete(request, comment_id: int):
    comment = _comment_or_404(request.user, comment_id)
    if not discussion.can_delete_comment(request.user, comment):
        raise PermissionDenied
    link_id = comment.link_id
    discussion.delete_comment(comment=comment, actor=request.user)
    if request.htmx:
        return HttpResponse("")
    messages.success(request, "The comment is deleted.")
    return redirect(f"{reverse('links:link', args=[link_id])}#link-discussion-h")


# --------------------------------------------------------------------------------------------- saving


def _chosen_space(request):
    from spaces.models import Space

    slug = request.GET.get("space", "")
    if not slug:
        return None
    space = Space.objects.visible_to(request.user).filter(slug=slug).first()
    return space if space is not None and can_create_in(request.user, space) else None


def _duplicates(user, url: str) -> dict:
    """The saves of ``url`` the viewer may see, and their own, for the share page's warning."""
    try:
        clean = clean_url(url)
    except ValidationError:
        return {"checked": False}
    link = Link.objects.filter(url_hash=url_hash(clean)).first()
    if link is None:
        return {"checked": True, "link": None, "others": [], "mine": None}
    saves = list(visible_saves(user).filter(bookmark__link=link).order_by("-created", "-pk")[: DUPLICATES_SHOWN + 1])
    mine = next((s for s in saves if s.owner_id == user.pk), None)
    if mine is None:
        mine = Item.objects.filter(kind=ItemKind.LINK, owner=user, deleted_at__isnull=True, bookmark__link=link).first()
    others = [s for s in saves if s.owner_id != user.pk]
    return {
        "checked": True,
        "link": link if saves else None,
        "others": others[:DUPLICATES_SHOWN],
        "more": len(others) > DUPLICATES_SHOWN,
        "mine": mine,
    }


def _initial(request, space) -> dict:
    initial = {
        "url": _prefill(request, "url"),
        "title": _prefill(request, "title", 200),
        "description": _prefill(request, "description", 5000),
        "notes": _prefill(request, "notes", 5000),
        "tags": _prefill(request, "tags", 500),
        "visibility": Visibility.SPACE if space else Visibility.ORGANISATION,
    }
    if space is not None:
        initial["space"] = space.slug
    return initial


def _save_errors(form, exc) -> None:
    form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))


def _saved(request, outcome):
    item = outcome.bookmark.item
    if outcome.created:
        messages.success(request, f"“{item.title}” is saved.")
    else:
        messages.success(request, "You had saved this link before: your save is updated and keeps who can see it.")
    return redirect(reverse("links:link", args=[outcome.bookmark.link_id]))


@login_required
@require_http_methods(["GET", "POST"])
def save(request):
    """The share page: prefilled from ?url=&title=&description= (the bookmarklet and other apps link here)."""
    user = request.user
    space = _chosen_space(request)
    status = 200
    if request.method == "POST":
        form = SaveForm(request.POST, user=user, space=space)
        if form.is_valid():
            data = form.cleaned_data
            try:
                outcome = save_link(
                    user=user,
                    url=data["url"],
                    title=data["title"],
                    description=data["description"],
                    notes=data["notes"],
                    tags=data["tags"],
                    space=data["space"],
                    visibility=data["visibility"],
                    shared_with=data["shared_with"],
                )
            except (ValidationError, PermissionDenied) as exc:
                _save_errors(form, exc)
            else:
                return _saved(request, outcome)
        status = 400
        url = request.POST.get("url", "")
    else:
        form = SaveForm(initial=_initial(request, space), user=user, space=space)
        url = form.initial["url"]
    context = {"form": form, "space": space, "duplicates": _duplicates(user, url) if url else {"checked": False}}
    return render(request, "links/save.html", context, status=status)


@login_required
@require_GET
def check(request):
    """The duplicate warning for the address being typed (htmx), the same markup as on the share page."""
    url = _prefill(request, "url")
    context = {"duplicates": _duplicates(request.user, url) if url.strip() else {"checked": False}}
    return render(request, "links/save.html#duplicates", context)


@login_required
@require_GET
def bookmarklet(request):
    save_url = request.build_absolute_uri(reverse("links:save"))
    code = (
        "javascript:(function(){var d=document,w=window,"
        "s=String(w.getSelection?w.getSelection():'').slice(0,2000),"
        f"u={json.dumps(save_url + '?url=')}+encodeURIComponent(location.href)+'&title='+encodeURIComponent(d.title)"
        "+'&description='+encodeURIComponent(s);"
        "var p=w.open(u,'watercooler-save','width=760,height=820');if(!p)location.href=u;})();"
    )
    return render(request, "links/bookmarklet.html", {"code": code, "save_url": save_url})


def _fetch_picture(url: str):
    """The image at ``url`` as an upload, fetched before saving: the save's transaction must not wait on a
    remote site (SQLite would hold its write lock meanwhile). ``store_saved_image`` checks the bytes."""
    from django.conf import settings
    from django.core.files.base import ContentFile

    from lib.outbound import OutboundError, fetch
    from links.images import IMAGE_ACCEPT

    try:
        fetched = fetch(url, max_bytes=settings.WATERCOOLER_MAX_PHOTO_MB * 1024 * 1024, accept=IMAGE_ACCEPT)
    except OutboundError as exc:
        raise ValidationError(f"The image could not be fetched: {exc.reason}") from exc
    if not fetched.content:
        raise ValidationError("The image's address answered with nothing.")
    # No file name: an address's extension says nothing reliable, so the bytes alone decide what it is.
    return ContentFile(fetched.content, name="image")


@login_required
@require_http_methods(["GET", "POST"])
def image(request):
    """Image-linking: keep a picture (uploaded, or fetched once from its address) with the page it comes from."""
    user = request.user
    space = _chosen_space(request)
    status = 200
    if request.method == "POST":
        form = ImageForm(request.POST, request.FILES, user=user, space=space)
        if form.is_valid():
            data = form.cleaned_data
            picture_field = "image" if data["image"] else "image_url"
            try:
                picture = data["image"] or _fetch_picture(data["image_url"])
            except ValidationError as exc:
                form.add_error("image_url", exc.messages)
            else:
                try:
                    outcome = save_link(
                        user=user,
                        url=data["url"],
                        title=data["title"],
                        description=data["description"],
                        notes=data["notes"],
                        tags=data["tags"],
                        space=data["space"],
                        visibility=data["visibility"],
                        shared_with=data["shared_with"],
                        image=picture,
                    )
                except PermissionDenied as exc:
                    _save_errors(form, exc)
                except ValidationError as exc:
                    # The visibility and notes were checked by the form: what is left is the picture.
                    form.add_error(picture_field, exc.messages)
                else:
                    return _saved(request, outcome)
        status = 400
    else:
        initial = _initial(request, space)
        initial["image_url"] = _prefill(request, "image_url")
        form = ImageForm(initial=initial, user=user, space=space)
    return render(request, "links/image.html", {"form": form, "space": space}, status=status)


# --------------------------------------------------------------------------------------- one's own save


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, item_id: int):
    item = _save_or_404(request.user, item_id)
    if not can_edit(request.user, item):
        raise PermissionDenied
    bookmark = item.bookmark
    status = 200
    if request.method == "POST":
        form = EditForm(request.POST, user=request.user, bookmark=bookmark)
        if form.is_valid():
            data = form.cleaned_data
            try:
                update_bookmark(
                    bookmark=bookmark,
                    actor=request.user,
                    title=data["title"],
                    description=data["description"],
                    notes=data["notes"],
                    tags=data["tags"],
                    visibility=data["visibility"],
                    shared_with=data["shared_with"],
                )
            except (ValidationError, PermissionDenied) as exc:
                _save_errors(form, exc)
            else:
                messages.success(request, "Your save is changed.")
                return redirect(reverse("links:link", args=[bookmark.link_id]))
        status = 400
    else:
        form = EditForm(user=request.user, bookmark=bookmark)
    return render(request, "links/edit.html", {"form": form, "item": item, "link": bookmark.link}, status=status)


def _own_save_or_404(user, item_id: int) -> Item:
    """A save, deleted or not, that ``user`` may administer (its saver, a space moderator, an admin)."""
    item = Item.objects.filter(kind=ItemKind.LINK, pk=item_id).select_related("bookmark__link", "owner").first()
    if item is None:
        raise Http404("Not found")
    if item.deleted_at is None:
        item = _save_or_404(user, item_id)
        if not can_admin(user, item):
            raise PermissionDenied
        return item
    if not can_admin(user, item):
        raise Http404("Not found")
    return item


@login_required
@require_http_methods(["GET", "POST"])
def delete(request, item_id: int):
    """Ask, then delete; the same address afterwards offers to restore it."""
    item = _own_save_or_404(request.user, item_id)
    if request.method == "POST" and item.deleted_at is None:
        delete_bookmark(bookmark=item.bookmark, actor=request.user)
        messages.success(request, f"“{item.title}” is deleted.")
        return redirect(reverse("links:delete", args=[item.pk]))
    return render(request, "links/delete.html", {"item": item, "link": item.bookmark.link})


@login_required
@require_POST
def restore(request, item_id: int):
    item = _own_save_or_404(request.user, item_id)
    if item.deleted_at is not None:
        restore_bookmark(bookmark=item.bookmark, actor=request.user)
        messages.success(request, f"“{item.title}” is back.")
    return redirect(reverse("links:link", args=[item.bookmark.link_id]))


# ------------------------------------------------------------------------------------- import, export


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request):
    """Upload a bookmark file. Nothing but the upload is kept until the person confirms the preview."""
    from links.importing import create_import_job

    status = 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                job, _plan = create_import_job(
                    user=request.user,
                    upload=data["file"],
                    folders=data["folders"],
                    space=data["space"],
                    visibility=data["visibility"],
                )
            except ValidationError as exc:
                form.add_error("file", exc.messages)
            except PermissionDenied as exc:
                _save_errors(form, exc)
            else:
                return redirect(reverse("links:import-job", args=[job.pk]))
        status = 400
    else:
        form = ImportForm(user=request.user)
    recent = list(ImportJob.objects.filter(owner=request.user).order_by("-created", "-pk")[:5])
    return render(request, "links/import.html", {"form": form, "recent": recent}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def import_job(request, job_id: int):
    """One import: its preview and the confirm button before, its progress while it runs, its report after."""
    from links.importing import start_import

    job = ImportJob.objects.filter(pk=job_id, owner=request.user).select_related("space").first()
    if job is None:
        raise Http404("Not found")
    if request.method == "POST":
        if job.state == ImportJob.State.PLANNED:
            try:
                start_import(job=job, actor=request.user)
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
                return redirect(reverse("links:import-job", args=[job.pk]))
        # Until a worker picks the job up its state stays "planned": ?started tells the page to wait for it.
        return redirect(f"{reverse('links:import-job', args=[job.pk])}?started=1")
    started = job.state != ImportJob.State.PLANNED or request.GET.get("started") == "1"
    report = job.report or {}
    context = {
        "job": job,
        "report": report,
        "started": started,
        "finished": job.state in (ImportJob.State.DONE, ImportJob.State.FAILED),
        "visibility_label": dict(Visibility.choices).get(job.visibility, job.visibility),
        "percent": round(100 * job.done / job.total) if job.total else (100 if job.state == "done" else 0),
    }
    return render_page(request, "links/import_job.html", context, partial="progress")


def _export_owner(request):
    username = (request.GET.get("person") or "").strip().lstrip("@")
    if not username or username == request.user.username:
        return request.user
    person = get_user_model().objects.visible_to(request.user).filter(username=username).first()
    if person is None:
        raise Http404("Not found")
    return person


@login_required
@require_GET
def export_html(request):
    """A person's links (yours unless ?person=) as Netscape bookmark HTML, which browsers import; only the
    saves the viewer may see."""
    from links.exporting import export_person_netscape

    owner = _export_owner(request)
    body = export_person_netscape(owner=owner, viewer=request.user)
    return _download(body, "text/html; charset=utf-8", f"{owner.username}-links.html")


@login_required
@require_GET
def export_csv(request):
    from links.exporting import export_person_csv

    owner = _export_owner(request)
    body = export_person_csv(owner=owner, viewer=request.user)
    return _download(body, "text/csv; charset=utf-8", f"{owner.username}-links.csv")


def _download(body: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-cache"
    return response
