"""Reads of spaces and their members."""

from django.db import models
from django.db.models import Case, IntegerField, OuterRef, Q, Subquery, Value, When


class SpaceQuerySet(models.QuerySet):
    def visible_to(self, user):
        from core.access import space_filter

        return self.filter(space_filter(user))

    def with_my_membership(self, user):
        """Annotate ``my_state`` and ``my_role`` (None when the person has no membership row)."""
        from spaces.models import Membership

        if not user.is_authenticated:
            return self.annotate(my_state=Value(None, models.CharField()), my_role=Value(None, models.CharField()))
        mine = Membership.objects.filter(space=OuterRef("pk"), user=user)
        return self.annotate(my_state=Subquery(mine.values("state")[:1]), my_role=Subquery(mine.values("role")[:1]))


def role_rank():
    """Owners first, then moderators, then members: the order every members list uses."""
    from spaces.models import Membership

    return Case(
        When(role=Membership.Role.OWNER, then=Value(0)),
        When(role=Membership.Role.MODERATOR, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


def space_list(viewer, *, q: str = "", kind: str = "", mine: bool = False):
    """The spaces the viewer may see, filtered as the list page asks, with the viewer's membership."""
    from spaces.models import Membership, Space

    spaces = Space.objects.visible_to(viewer).with_my_membership(viewer)
    if q:
        spaces = spaces.filter(name__icontains=q)
    if kind:
        spaces = spaces.filter(kind=kind)
    if mine:
        spaces = spaces.filter(
            pk__in=Membership.objects.filter(user=viewer, state=Membership.State.ACTIVE).values("space_id")
        )
    return spaces.order_by("name", "pk")


def pending_invitations_for(user, *, limit: int = 10):
    """Spaces that are waiting for the person to accept or decline an invitation."""
    from spaces.models import Membership

    return (
        Membership.objects.filter(user=user, state=Membership.State.INVITED)
        .select_related("space", "invited_by")
        .order_by("-created", "-pk")[:limit]
    )


def membership_of(user, space):
    """The person's membership row in the space, whatever its state, or None."""
    from spaces.models import Membership

    if not user.is_authenticated:
        return None
    return Membership.objects.filter(space=space, user=user).first()


def members(viewer, space, *, state: str = "active"):
    """Memberships of a space in one state, owners and moderators first, limited to people the viewer may see."""
    from core.access import person_filter_via
    from spaces.models import Membership

    return (
        Membership.objects.filter(person_filter_via(viewer, "user"), space=space, state=state)
        .select_related("user", "invited_by")
        .annotate(rank=role_rank())
        .order_by("rank", "user__display_name", "user__username")
    )


def space_items(viewer, space):
    """The items of a space that the viewer may see, newest first, ready for cards."""
    from core.models import Item

    return Item.objects.visible_to(viewer).filter(space=space).with_cards().order_by("-created", "-pk")


# Requests and invitations concern a few people, not the whole space; downloads are noise.
HIDDEN_VERBS = ("requested", "invited", "downloaded")


def space_activity(viewer, space, *, limit: int = 15):
    """Recent activities in a space: about items the viewer may see, or about the space itself.

    Membership administration (declined requests, role changes, removals) carries
    ``extra["membership"]``: an audit trail for admins, not news for the space.
    """
    from core.access import item_filter_via, visible_person_exists
    from core.models import PRIVATE_VERBS, Activity

    return (
        Activity.objects.filter(
            Q(item__isnull=True) | item_filter_via(viewer, "item"),
            Q(target__isnull=True) | visible_person_exists(viewer, "target_id"),
            visible_person_exists(viewer, "actor_id"),
            space=space,
        )
        .exclude(verb__in=HIDDEN_VERBS)
        .exclude(verb__in=PRIVATE_VERBS)
        .exclude(extra__has_key="membership")
        .select_related("actor", "item", "target")
        .order_by("-created", "-pk")[:limit]
    )


def person_suggestions(viewer, text: str, *, limit: int = 8):
    """People the viewer may see whose username or name starts a word with ``text``, for the invite box."""
    from people.models import User

    text = text.strip()
    if len(text) < 2:
        return User.objects.none()
    return (
        User.objects.visible_to(viewer)
        .filter(
            Q(username__istartswith=text)
            | Q(display_name__istartswith=text)
            | Q(display_name__icontains=" " + text)
            | Q(first_name__istartswith=text)
            | Q(last_name__istartswith=text)
        )
        .order_by("display_name", "username")[:limit]
    )
