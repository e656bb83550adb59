"""Reads for the home page."""

from django.db.models import Q

from core.access import item_filter, space_filter
from core.models import Activity, Item


def recent_activity_for(user, *, limit: int = 20):
    """Recent activities the person may see: about items visible to them or spaces they can see."""
    from spaces.models import Space

    visible_items = Item.objects.filter(item_filter(user), deleted_at__isnull=True).values("pk")
    visible_spaces = Space.objects.filter(space_filter(user)).values("pk")
    return (
        Activity.objects.filter(Q(item_id__in=visible_items) | Q(item__isnull=True, space_id__in=visible_spaces))
        .exclude(verb__in=[Activity.Verb.REQUESTED, Activity.Verb.INVITED, Activity.Verb.DOWNLOADED])
        .select_related("actor", "item", "space")
        .order_by("-created", "-pk")[:limit]
    )
