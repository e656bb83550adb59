"""Reads of items that more than one view needs."""

from django.db import models


class ItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        from core.access import item_filter

        return self.filter(item_filter(user), deleted_at__isnull=True)

    def alive(self):
        return self.filter(deleted_at__isnull=True)

    def with_cards(self):
        """What an item card shows, loaded without a query per row."""
        from core.kinds import detail_relations

        return self.select_related("owner", "space", *detail_relations).prefetch_related("tags")

    def filter_browse(self, *, kind="", tag="", space=None, owner=None):
        qs = self
        if kind:
            qs = qs.filter(kind=kind)
        if tag:
            qs = qs.filter(tags__slug=tag)
        if space is not None:
            qs = qs.filter(space=space)
        if owner is not None:
            qs = qs.filter(owner=owner)
        return qs
