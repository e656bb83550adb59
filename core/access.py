"""Who may see, edit and administer what: the one place that decides.

Every list, search result, feed, API response, export and e-mail goes through these functions.
Anything a person may not see answers 404 (see ``get_visible_or_404``), never 403, so that the
existence of private things does not leak.

Rules:
- Anonymous visitors see only items made public on the web, and only when the site allows it.
- Guests (contractors, partner staff) see their own items, items shared with them by name, and
  items of the spaces they belong to; never organisation-wide content.
- Members see their own items, items shared with them, organisation-wide and public items, and
  items restricted to the members of spaces they belong to.
- Site admins see everything except other people's private items.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from core.models import Item, SiteConfig, Visibility

SPACE_ADMIN_ROLES = ("owner", "moderator")
# Item kinds written by many: every member of their space may edit them, not only the owner.
COLLABORATIVE_KINDS = frozenset({"page"})


def is_site_admin(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or getattr(user, "role", "") == "admin"))


def is_guest(user) -> bool:
    return bool(user.is_authenticated and getattr(user, "role", "") == "guest")


def space_roles(user) -> dict[int, str]:
    """The person's active space memberships as {space_id: role}, loaded once per request."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_space_roles", None)
    if cached is None:
        from spaces.models import Membership

        cached = dict(
            Membership.objects.filter(user=user, state=Membership.State.ACTIVE).values_list("space_id", "role")
        )
        user._space_roles = cached
    return cached


def forget_space_roles(user) -> None:
    """Drop the per-request cache after a membership changes."""
    user.__dict__.pop("_space_roles", None)


def _my_space_ids(user):
    from spaces.models import Membership

    return Membership.objects.filter(user=user, state=Membership.State.ACTIVE).values("space_id")


def _public_web() -> bool:
    return SiteConfig.load().public_web


def item_filter(user) -> Q:
    """A filter on Item selecting what ``user`` may see (deleted items excluded separately)."""
    if not user.is_authenticated:
        return Q(visibility=Visibility.PUBLIC) if _public_web() else Q(pk__in=[])
    shared = Q(pk__in=Item.shared_with.through.objects.filter(user_id=user.pk).values("item_id"))
    mine = Q(owner_id=user.pk) | (Q(visibility=Visibility.PEOPLE) & shared)
    in_my_spaces = Q(space_id__in=_my_space_ids(user))
    if is_site_admin(user):
        return ~Q(visibility=Visibility.PRIVATE) | Q(owner_id=user.pk)
    if is_guest(user):
        return (
            mine
            | (Q(visibility__in=[Visibility.SPACE, Visibility.ORGANISATION]) & in_my_spaces)
            | Q(visibility=Visibility.PUBLIC)
        )
    return (
        mine
        | Q(visibility__in=[Visibility.ORGANISATION, Visibility.PUBLIC])
        | (Q(visibility=Visibility.SPACE) & in_my_spaces)
    )


def space_filter(user) -> Q:
    """A filter on Space selecting the spaces ``user`` may see."""
    from spaces.models import Membership, Space

    if not user.is_authenticated:
        return Q(pk__in=[])
    if is_site_admin(user):
        return Q()
    involved = Q(
        pk__in=Membership.objects.filter(user=user).exclude(state=Membership.State.REQUESTED).values("space_id")
    )
    if is_guest(user):
        return involved
    return Q(visibility__in=[Space.Visibility.OPEN, Space.Visibility.ORGANISATION]) | involved


def person_filter(user) -> Q:
    """A filter on User selecting the people ``user`` may see in the directory."""
    from spaces.models import Membership

    if not user.is_authenticated:
        return Q(pk__in=[])
    if is_guest(user):
        shared_spaces = _my_space_ids(user)
        return Q(pk=user.pk) | Q(
            is_active=True,
            pk__in=Membership.objects.filter(space_id__in=shared_spaces, state=Membership.State.ACTIVE).values(
                "user_id"
            ),
        )
    return Q(is_active=True)


# The Item columns item_filter reads, and where SearchDocument keeps its copy of each. A rule that
# starts reading another column raises KeyError in search_document_filter instead of leaking.
SEARCH_DOCUMENT_ITEM_COLUMNS = {
    "pk": "item_id",
    "owner_id": "item_owner_id",
    "visibility": "item_visibility",
    "space_id": "item_space_id",
}


def _relocate(q: Q, columns: dict[str, str]) -> Q:
    moved = Q()
    moved.connector, moved.negated = q.connector, q.negated
    for child in q.children:
        if isinstance(child, Q):
            moved.children.append(_relocate(child, columns))
        else:
            lookup, value = child
            name, sep, rest = lookup.partition("__")
            moved.children.append((columns[name] + sep + rest, value))
    return moved


def search_document_filter(user) -> Q:
    """A filter on SearchDocument selecting what ``user`` may find: item_filter applied to the
    document's copies of the item's columns, and the space and person rules as they are."""
    from people.models import User
    from spaces.models import Space

    items = Q(kind="item") & _relocate(item_filter(user), SEARCH_DOCUMENT_ITEM_COLUMNS)
    spaces = Q(kind="space", space_id__in=Space.objects.filter(space_filter(user)).values("pk"))
    people = Q(kind="person", person_id__in=User.objects.filter(person_filter(user)).values("pk"))
    return items | spaces | people


def item_filter_via(user, relation: str) -> Q:
    """``item_filter`` for rows that point at an item through ``relation`` (e.g. an Activity's ``item``).

    Feeds that already join the item apply the rule to the joined row: PostgreSQL then checks
    each row as it walks newest first, where a correlated EXISTS makes it hash every visible item.
    """
    columns = {
        "pk": f"{relation}_id",
        "owner_id": f"{relation}__owner_id",
        "visibility": f"{relation}__visibility",
        "space_id": f"{relation}__space_id",
    }
    return _relocate(item_filter(user), columns) & Q(**{f"{relation}__deleted_at__isnull": True})


def visible_item_exists(user, ref: str = "item_id") -> Exists:
    """True where the item that the outer row's ``ref`` column points at is one ``user`` may see.

    Feeds walk their own rows newest first and stop at the limit; a correlated EXISTS checks
    each row's one item by primary key, where ``item_id IN (all visible items)`` would make the
    database build the whole visible set first (seconds on a large organisation).
    """
    return Exists(Item.objects.filter(item_filter(user), deleted_at__isnull=True, pk=OuterRef(ref)))


def visible_space_exists(user, ref: str = "space_id") -> Exists:
    from spaces.models import Space

    return Exists(Space.objects.filter(space_filter(user), pk=OuterRef(ref)))


def person_filter_via(user, relation: str) -> Q:
    """``person_filter`` for rows that point at a person through ``relation`` (e.g. a Membership's ``user``).

    Lists that already join the person check the joined row: ``user_id IN (visible people)`` makes
    SQLite build the list of every active person first (milliseconds on a large organisation).
    """
    return _relocate(person_filter(user), {"pk": f"{relation}_id", "is_active": f"{relation}__is_active"})


def visible_person_exists(user, ref: str) -> Exists:
    from people.models import User

    return Exists(User.objects.filter(person_filter(user), pk=OuterRef(ref)))


def can_view(user, obj) -> bool:
    from people.models import User
    from spaces.models import Space

    if isinstance(obj, Item):
        return _can_view_item(user, obj)
    if isinstance(obj, Space):
        return _can_view_space(user, obj)
    if isinstance(obj, User):
        return type(obj).objects.filter(person_filter(user), pk=obj.pk).exists()
    raise TypeError(f"No access rule for {type(obj).__name__}")


def viewable_items(user, items) -> set[int]:
    """The pks of ``items`` (loaded rows) that ``user`` may see: ``can_view`` for many items at once, with one
    query for all those shared with named people instead of one each. For a page that shows items it has
    already loaded, where compiling ``item_filter`` into another query would cost more than the query."""
    items = list(items)
    named = [item.pk for item in items if item.visibility == Visibility.PEOPLE]
    shared = set()
    if named and user.is_authenticated:
        through = Item.shared_with.through.objects
        shared = set(through.filter(user_id=user.pk, item_id__in=named).values_list("item_id", flat=True))
    return {item.pk for item in items if _can_view_item(user, item, shared=shared)}


def _can_view_item(user, item: Item, *, shared: set[int] | None = None) -> bool:
    if item.deleted_at is not None:
        return False
    if not user.is_authenticated:
        return item.visibility == Visibility.PUBLIC and _public_web()
    if item.owner_id == user.pk:
        return True
    if is_site_admin(user):
        return item.visibility != Visibility.PRIVATE
    vis = item.visibility
    if vis == Visibility.PRIVATE:
        return False
    if vis == Visibility.PEOPLE:
        if shared is not None:  # the items shared with the user by name, looked up for many at once
            return item.pk in shared
        return item.shared_with.filter(pk=user.pk).exists()
    # The person's spaces (a query, once per request) only where the rule needs them.
    if vis == Visibility.SPACE or (vis == Visibility.ORGANISATION and is_guest(user)):
        return item.space_id is not None and item.space_id in space_roles(user)
    return True  # organisation-wide for a member, or public


def _can_view_space(user, space) -> bool:
    if not user.is_authenticated:
        return False
    if is_site_admin(user):
        return True
    from spaces.models import Membership

    if space.visibility != space.Visibility.INVITE_ONLY and not is_guest(user):
        return True
    return Membership.objects.filter(space=space, user=user).exclude(state=Membership.State.REQUESTED).exists()


def can_edit(user, obj) -> bool:
    if not user.is_authenticated:
        return False
    if isinstance(obj, Item):
        if not can_view(user, obj):
            return False
        if obj.owner_id == user.pk or can_admin(user, obj):
            return True
        if obj.kind in COLLABORATIVE_KINDS:
            # Written together: any member of the page's space, or the named people of a personal page.
            if obj.space_id is not None:
                return obj.space_id in space_roles(user)
            return obj.visibility == Visibility.PEOPLE and obj.shared_with.filter(pk=user.pk).exists()
        from core.kinds import extra_editor

        return extra_editor(obj.kind, user, obj)
    return can_admin(user, obj)


def can_admin(user, obj) -> bool:
    from people.models import User
    from spaces.models import Space

    if not user.is_authenticated:
        return False
    if isinstance(obj, Item):
        if obj.owner_id == user.pk:
            return True
        if is_site_admin(user):
            return obj.visibility != Visibility.PRIVATE
        return obj.space_id is not None and space_roles(user).get(obj.space_id) in SPACE_ADMIN_ROLES
    if isinstance(obj, Space):
        return is_site_admin(user) or space_roles(user).get(obj.pk) in SPACE_ADMIN_ROLES
    if isinstance(obj, User):
        return obj.pk == user.pk or is_site_admin(user)
    raise TypeError(f"No access rule for {type(obj).__name__}")


def can_create_in(user, space) -> bool:
    """May ``user`` add items to ``space`` (or to their own area when ``space`` is None)?"""
    if not user.is_authenticated:
        return False
    if space is None:
        return True
    return space.pk in space_roles(user) or is_site_admin(user)


def get_visible_or_404(user, queryset, **lookup):
    """Fetch one object the person may see; anything else, missing or hidden, is a 404."""
    obj = queryset.filter(**lookup).first()
    if obj is None or not can_view(user, obj):
        raise Http404("Not found")
    return obj
