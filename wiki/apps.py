from django.apps import AppConfig


class WikiConfig(AppConfig):
    name = "wiki"
    verbose_name = "Wiki: pages written together"

    def ready(self):
        from core.kinds import register_item_kind
        from search.index import register_item_text
        from wiki.queries import connect_signals, search_text
        from wiki.views import page_item

        register_item_kind("page", view=page_item, detail_relation="page")
        register_item_text("page", search_text)
        connect_signals()  # red links turn blue when the page they name appears
