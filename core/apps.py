from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core: items, activities, access"

    def ready(self):
        from lib.pagecache import connect_signals

        connect_signals()
