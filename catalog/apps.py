from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = "Catalogue: courses, sessions and enrolments"

    def ready(self):
        from catalog.queries import search_text
        from catalog.views import course_item
        from core.kinds import register_item_kind
        from search.index import register_item_text

        register_item_kind("course", view=course_item, detail_relation="course")
        register_item_text("course", search_text)
        try:
            from reviews.verification import register_verifier
        except ImportError:  # the reviews app is optional: without it nobody asks who completed a course
            return
        from catalog.queries import completed_course

        register_verifier("course", completed_course)
