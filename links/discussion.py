"""Discussion of a shared link: comments written in Markdown, shown to everyone who may see at least one
save of the link (the link itself has no visibility of its own; its saves do).

Comments are rendered by the wiki's Markdown renderer (CommonMark, sanitised by nh3) without a resolver,
so ``[[wiki links]]`` stay plain text: a comment cannot point people at pages by title.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.safestring import mark_safe

from core.access import is_site_admin
from core.models import Item, ItemKind
from lib.pagecache import content_changed
from links.models import Comment, Link

BODY_MAX = 10_000
RENDER_SECONDS = 24 * 3600


def link_visible_to(user, link: Link) -> bool:
    """May ``user`` see the shared link at all: at least one save of it?"""
    return Item.objects.visible_to(user).filter(kind=ItemKind.LINK, bookmark__link=link).exists()


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError("Write something first.")
    if len(body) > BODY_MAX:
        raise ValidationError(f"A comment is at most {BODY_MAX:,} characters.")
    return body


def can_change_comment(user, comment: Comment) -> bool:
    return user.is_authenticated and comment.author_id == user.pk


def can_delete_comment(user, comment: Comment) -> bool:
    # Administrators moderate; nobody else may remove what another person wrote.
    return user.is_authenticated and (comment.author_id == user.pk or is_site_admin(user))


def add_comment(*, link: Link, author, body: str) -> Comment:
    if not author.is_authenticated or not link_visible_to(author, link):
        raise PermissionDenied("You can only discuss links you can see.")
    comment = Comment.objects.create(link=link, author=author, body=_clean_body(body))
    content_changed()  # the link's page shows its discussion
    return comment


def edit_comment(*, comment: Comment, actor, body: str) -> Comment:
    if not can_change_comment(actor, comment):
        raise PermissionDenied("Only the person who wrote a comment can change it.")
    comment.body = _clean_body(body)
    comment.edited = timezone.now()
    comment.save(update_fields=["body", "edited"])
    content_changed()
    return comment


def delete_comment(*, comment: Comment, actor) -> None:
    if not can_delete_comment(actor, comment):
        raise PermissionDenied("Only the person who wrote a comment, or an administrator, can delete it.")
    comment.delete()
    content_changed()


def _render_key(body: str) -> str:
    from wiki.markdown import RENDER_VERSION

    return f"links:comment:{RENDER_VERSION}:{hashlib.blake2b(body.encode(), digest_size=16).hexdigest()}"


def render_comments(comments) -> list[Comment]:
    """Give each comment its sanitised HTML as ``html``: one cache read for the whole discussion, and a
    render only of bodies not seen before."""
    from wiki.markdown import render

    comments = list(comments)
    keys = {c.pk: _render_key(c.body) for c in comments}
    cached = cache.get_many(list(set(keys.values()))) if keys else {}
    fresh = {}
    for comment in comments:
        key = keys[comment.pk]
        if key not in cached:
            cached[key] = fresh[key] = render(comment.body).html
        comment.html = mark_safe(cached[key])  # noqa: S308 — sanitised by nh3 in wiki.markdown.render
    if fresh:
        cache.set_many(fresh, RENDER_SECONDS)
    return comments
