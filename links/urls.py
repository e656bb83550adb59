from django.urls import include, path

from links import board_urls, feeds, views

app_name = "links"

link_patterns = [
    # /links/l/<link_id>/ (the shared page of one address, with every save the viewer may see)
    path("", views.link_page, name="link"),
    path("image", views.link_image, name="link-image"),
    path("favicon", views.link_favicon, name="link-favicon"),
    path("comments/", views.comment_add, name="comment-add"),
]

save_patterns = [
    # /links/<item_id>/ (one save: its permalink is /i/<item_id>/)
    path("edit/", views.edit, name="edit"),
    path("delete/", views.delete, name="delete"),
    path("restore/", views.restore, name="restore"),
    path("image", views.saved_image, name="saved-image"),
    path("thumbnail", views.saved_thumbnail, name="saved-thumbnail"),
]

urlpatterns = [
    # /links/
    path("", views.link_list, name="list"),
    path("l/<int:link_id>/", include(link_patterns)),
    path("comments/<int:comment_id>/edit/", views.comment_edit, name="comment-edit"),
    path("comments/<int:comment_id>/delete/", views.comment_delete, name="comment-delete"),
    path("save/", views.save, name="save"),
    path("save/check", views.check, name="check"),
    path("bookmarklet/", views.bookmarklet, name="bookmarklet"),
    path("image/", views.image, name="image"),
    path("import/", views.import_start, name="import"),
    path("import/<int:job_id>/", views.import_job, name="import-job"),
    path("export.html", views.export_html, name="export-html"),
    path("export.csv", views.export_csv, name="export-csv"),
    path("feeds/tag/<slug:slug>.atom", feeds.TagFeed(), name="tag-feed"),
    path("feeds/people/<str:username>.atom", feeds.PersonFeed(), name="person-feed"),
    path("<int:item_id>/", include(save_patterns)),
    path("boards/", include(board_urls.urlpatterns)),
]
