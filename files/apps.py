from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "files"
    verbose_name = "Files: documents, images, audio and video"

    def ready(self):
        from core.kinds import register_item_kind
        from files.queries import search_text
        from files.views import file_item
        from search.index import register_item_text

        register_item_kind("file", view=file_item, detail_relation="file")
        register_item_text("file", search_text)
