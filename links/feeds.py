"""Atom feeds of links: everything saved with a tag, and one person's shared links.

How feeds authenticate: they do not, beyond the session. A feed shows exactly what the requester may see
through ``core.access``: a feed reader (no session cookie) is anonymous, so it gets the saves that are
public on the web (only when the site allows public items, otherwise an empty feed); a signed-in person
opening the feed in their browser sees what they may see. No secret per-person feed address exists, so
there is no token to leak, rotate or revoke, and nothing private can reach a feed reader.

A person's feed lists their saves meant for others (everyone in the organisation, or public), never their
private or named-people saves, even for themselves. Anonymous requesters find a person only when that
person has at least one save they may see, so the feed does not tell who has an account.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape, linebreaks

from core.models import Item, ItemKind, Tag, Visibility

FEED_SIZE = 50


@dataclass
class Subject:
    viewer: object
    title: str
    link: str
    items: object  # a queryset of saves


def _saves(viewer):
    return (
        Item.objects.visible_to(viewer)
        .filter(kind=ItemKind.LINK)
        .select_related("owner", "bookmark__link")
        .prefetch_related("tags")
        .order_by("-created", "-pk")
    )


class LinkFeed(Feed):
    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        # One instance serves every request (it is in the URLconf): each request works on its own copy,
        # so the absolute addresses built from the request never mix two requests.
        feed = copy.copy(self)
        feed._request = request
        response = Feed.__call__(feed, request, *args, **kwargs)
        # What a feed holds depends on who asks: no shared cache may keep one person's copy for another.
        patch_vary_headers(response, ("Cookie",))
        patch_cache_control(response, private=True, max_age=300)
        return response

    def title(self, obj: Subject) -> str:
        return obj.title

    def link(self, obj: Subject) -> str:
        return obj.link

    def subtitle(self, obj: Subject) -> str:
        return "Links saved on Watercooler, as far as you may see them."

    def items(self, obj: Subject):
        return obj.items[:FEED_SIZE]

    def item_title(self, item: Item) -> str:
        return item.title

    def item_link(self, item: Item) -> str:
        return item.bookmark.link.url

    def item_guid(self, item: Item) -> str:
        return self._request.build_absolute_uri(item.get_absolute_url())

    item_guid_is_permalink = False

    def item_description(self, item: Item) -> str:
        parts = [linebreaks(escape(text)) for text in (item.summary, item.bookmark.notes) if text]
        discuss = self._request.build_absolute_uri(reverse("links:link", args=[item.bookmark.link_id]))
        parts.append(f'<p><a href="{escape(discuss)}">Who saved it, and the discussion</a></p>')
        return "\n".join(parts)

    def item_author_name(self, item: Item) -> str:
        return item.owner.name

    def item_author_link(self, item: Item) -> str:
        return self._request.build_absolute_uri(item.owner.get_absolute_url())

    def item_pubdate(self, item: Item):
        return item.created

    def item_updateddate(self, item: Item):
        return item.updated

    def item_categories(self, item: Item):
        return [tag.name for tag in item.tags.all()]


class TagFeed(LinkFeed):
    def get_object(self, request, slug: str) -> Subject:
        tag = Tag.objects.filter(slug=slug).first()
        # An unknown tag is an empty feed, not a 404: tag names must not tell what others have saved.
        name = tag.name if tag is not None else slug
        return Subject(
            viewer=request.user,
            title=f"Links tagged #{name}",
            link=f"{reverse('links:list')}?tag={slug}",
            items=_saves(request.user).filter(tags__slug=slug),
        )


class PersonFeed(LinkFeed):
    def get_object(self, request, username: str) -> Subject:
        people = get_user_model().objects.filter(username=username, is_active=True)
        if request.user.is_authenticated:
            people = get_user_model().objects.visible_to(request.user).filter(username=username)
        person = people.first()
        if person is None:
            raise Http404("Not found")
        saves = _saves(request.user).filter(owner=person, visibility__in=[Visibility.ORGANISATION, Visibility.PUBLIC])
        if not request.user.is_authenticated and not saves.exists():
            raise Http404("Not found")
        return Subject(
            viewer=request.user,
            title=f"Links shared by {person.name}",
            link=f"{reverse('links:list')}?person={person.username}",
            items=saves,
        )
