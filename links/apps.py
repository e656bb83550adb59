from django.apps import AppConfig


class LinksConfig(AppConfig):
    name = "links"
    verbose_name = "Links: shared bookmarks, image boards and reading lists"

    def ready(self):
        from core.kinds import register_item_kind
        from links.queries import board_editors, card_thumbnail, search_text
        from links.views import board_item, bookmark_item
        from search.index import register_item_text

        register_item_kind("link", view=bookmark_item, detail_relation="bookmark__link", thumbnail=card_thumbnail)
        register_item_kind("board", view=board_item, detail_relation="board", editors=board_editors)
        register_item_text("link", search_text)
        register_item_text("board", search_text)
