"""Reads of files: filtered lists, the file page's neighbours, and the text search indexes."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from core.access import get_visible_or_404
from core.models import Item, ItemKind
from files.models import File

TEXT_CONTENT_TYPES = ("text/plain", "text/markdown", "text/csv")
SEARCH_TEXT_BYTES = 20 * 1024
EXCERPT_BYTES = 4 * 1024


def get_file_item_or_404(user, pk: int) -> Item:
    """A file item the person may see, with its file, owner and space loaded; else 404."""
    items = Item.objects.select_related("file", "owner", "space").filter(file__isnull=False)
    return get_visible_or_404(user, items, pk=pk, kind=ItemKind.FILE)


def file_list(viewer, *, space_slug: str = "", owner: str = "", family: str = "", tag: str = "", q: str = ""):
    """Files the viewer may see, newest first, narrowed by the given filters (unknown names match nothing)."""
    from spaces.models import Space

    items = Item.objects.visible_to(viewer).filter(kind=ItemKind.FILE).with_cards().order_by("-created", "-pk")
    space = person = None
    if space_slug:
        space = Space.objects.visible_to(viewer).filter(slug=space_slug).first()
        if space is None:
            return items.none()
    if owner:
        person = get_user_model().objects.visible_to(viewer).filter(username=owner).first()
        if person is None:
            return items.none()
    items = items.filter_browse(tag=tag, space=space, owner=person)
    if family:
        items = items.filter(file__family=family)
    if q:
        items = items.filter(title__icontains=q)
    return items


def more_from_space(viewer, item: Item, *, limit: int = 6) -> list[Item]:
    if item.space_id is None:
        return []
    return list(
        Item.objects.visible_to(viewer)
        .filter(space_id=item.space_id)
        .exclude(pk=item.pk)
        .with_cards()
        .order_by("-created", "-pk")[:limit]
    )


def read_text(detail: File, limit: int) -> str:
    """The first ``limit`` bytes of a text file as text (a character cut in half at the end is dropped)."""
    if detail.content_type not in TEXT_CONTENT_TYPES or not detail.blob:
        return ""
    try:
        with detail.blob.open("rb") as fh:
            data = fh.read(limit)
    except OSError:
        return ""
    return data.decode("utf-8", errors="ignore")


def search_text(item: Item) -> str:
    """What search knows of a file beyond its title and description: its name, type and, for text, its start."""
    try:
        detail = item.file  # already loaded when the caller used with_cards() or select_related("file")
    except File.DoesNotExist:
        return ""
    return "\n".join(
        filter(None, [detail.original_name, detail.get_family_display(), read_text(detail, SEARCH_TEXT_BYTES)])
    )


def share_suggestions(viewer, text: str, *, limit: int = 8) -> list[tuple[str, str]]:
    """Whole values for the "named people" box's datalist: the names typed so far, then a completion of the last.

    A datalist option replaces the input's whole value, so each option carries the earlier names too.
    """
    from django.db.models import Q

    names = [n.lstrip("@") for n in text.replace(",", " ").split()]
    if not names or text.rstrip() != text or len(names[-1]) < 2:
        return []
    done, partial = names[:-1], names[-1]
    people = (
        get_user_model()
        .objects.visible_to(viewer)
        .filter(
            Q(username__istartswith=partial)
            | Q(display_name__istartswith=partial)
            | Q(display_name__icontains=" " + partial)
        )
        .exclude(username__in=done)
        .exclude(pk=viewer.pk)
        .order_by("username")[:limit]
    )
    return [(", ".join([*done, p.username]), p.name) for p in people]
