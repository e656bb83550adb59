"""Reads for links and boards."""

from __future__ import annotations

from core.models import Item


def board_editors(user, item: Item) -> bool:
    """A board's collaborators may edit it (core.access.can_edit asks after its own checks)."""
    return item.board.collaborators.filter(pk=user.pk).exists()


def card_thumbnail(item: Item) -> str | None:
    """A link card's picture: the image its saver kept, else the page's own preview image."""
    from lib.urls import reverse_one

    bookmark = item.bookmark
    if bookmark.thumbnail:
        return reverse_one("links:saved-thumbnail", item.pk)
    if bookmark.link.image:
        return reverse_one("links:link-image", bookmark.link_id)
    return None


def search_text(item: Item) -> str:
    """What search knows of a link beyond its title and description: the URL, domain and the saver's notes;
    of a board: its topic and its entries' titles."""
    if item.kind == "link":
        save = item.bookmark
        return "\n".join(filter(None, [save.link.url, save.link.domain, save.notes]))
    board = item.board
    titles = board.entries.select_related("item").values_list("item__title", flat=True)[:200]
    return "\n".join(filter(None, [board.topic, board.role, *titles]))
