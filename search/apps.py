from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self):
        from search.backends import ensure_fulltext

        post_migrate.connect(ensure_fulltext, sender=self, dispatch_uid="search.ensure_fulltext")
