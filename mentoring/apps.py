from django.apps import AppConfig


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = "Mentoring: programmes, matching, pairs, meetings and check-ins"

    def ready(self):
        from core.kinds import register_item_kind
        from mentoring.queries import search_text
        from mentoring.views.programmes import programme_item
        from search.index import register_item_text

        register_item_kind("programme", view=programme_item, detail_relation="programme")
        register_item_text("programme", search_text)
