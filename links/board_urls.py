"""Board (reading list) pages, included by links/urls.py under "boards/" in the "links" namespace."""

from django.urls import include, path

from links import boards

entry_patterns = [
    # /links/boards/<pk>/entries/
    path("add/", boards.entry_add, name="board-entry-add"),
    path("search/", boards.entry_search, name="board-entry-search"),
    path("<int:entry_pk>/edit/", boards.entry_edit, name="board-entry-edit"),
    path("<int:entry_pk>/move", boards.entry_move, name="board-entry-move"),
    path("<int:entry_pk>/remove", boards.entry_remove, name="board-entry-remove"),
    path("<int:entry_pk>/done", boards.entry_done, name="board-entry-done"),
]

section_patterns = [
    # /links/boards/<pk>/sections/
    path("add", boards.section_add, name="board-section-add"),
    path("<int:section_pk>/rename", boards.section_rename, name="board-section-rename"),
    path("<int:section_pk>/delete", boards.section_delete, name="board-section-delete"),
]

board_patterns = [
    # /links/boards/<pk>/ (a board's item id; the same page is its permalink /i/<pk>/)
    path("", boards.board_detail, name="board"),
    path("edit/", boards.board_edit, name="board-edit"),
    path("delete/", boards.board_delete, name="board-delete"),
    path("entries/", include(entry_patterns)),
    path("sections/", include(section_patterns)),
    path("collaborators/", boards.collaborators, name="board-collaborators"),
    path("follow", boards.follow, name="board-follow"),
    path("official/", boards.official, name="board-official"),
    path("progress/", boards.progress, name="board-progress"),
    path("export.html", boards.export_html, name="board-export-html"),
    path("export.csv", boards.export_csv, name="board-export-csv"),
    path("feed.atom", boards.board_feed, name="board-feed"),
]

urlpatterns = [
    # /links/boards/
    path("", boards.board_list, name="boards"),
    path("new/", boards.board_new, name="board-new"),
    path("save/<int:item_pk>/", boards.save_to_board, name="board-save"),
    path("people-suggestions", boards.people_suggestions, name="board-people-suggestions"),
    path("image/<int:entry_pk>", boards.entry_image, name="board-entry-image"),
    path("<int:pk>/", include(board_patterns)),
]
