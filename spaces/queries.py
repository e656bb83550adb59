"""Reads of spaces and their members."""

from django.db import models


class SpaceQuerySet(models.QuerySet):
    def visible_to(self, user):
        from core.access import space_filter

        return self.filter(space_filter(user))
