from django.urls import include, path

from wiki import views

app_name = "wiki"

page_patterns = [
    # /wiki/<pk>/ (a page's item id; the page itself is at its address in its wiki, or /i/<pk>/)
    path("", views.page_by_id, name="by-id"),
    path("edit/", views.edit, name="edit"),
    path("history/", views.history, name="history"),
    path("diff/", views.diff, name="diff"),
    path("r/<int:number>/", views.revision, name="revision"),
    path("r/<int:number>/revert", views.revert, name="revert"),
    path("attribution/", views.attribution, name="attribution"),
    path("slides/", views.slides, name="slides"),
    path("links-here/", views.links_here, name="links-here"),
    path("export.md", views.export_markdown, name="export-md"),
    path("export.html", views.export_html, name="export-html"),
    path("settings/", views.page_settings, name="settings"),
    path("delete/", views.delete, name="delete"),
    path("restore/", views.restore, name="restore"),
    path("watch", views.watch_toggle, name="watch"),
]

template_patterns = [
    # /wiki/templates/
    path("", views.template_list, name="templates"),
    path("new/", views.template_create, name="template-new"),
    path("<int:template_pk>/", views.template_edit, name="template-edit"),
    path("<int:template_pk>/delete", views.template_delete, name="template-delete"),
]

space_patterns = [
    # /wiki/s/<space_slug>/
    path("", views.space_home, name="space"),
    path("export.zip", views.space_export, name="space-export"),
    path("import/", views.space_import, name="space-import"),
    path("<str:slug>/", views.space_page, name="page"),
]

urlpatterns = [
    # /wiki/
    path("", views.index, name="index"),
    path("new/", views.new_page, name="new"),
    path("preview", views.preview, name="preview"),
    path("files", views.file_picker, name="files"),
    path("templates/", include(template_patterns)),
    path("s/<slug:space_slug>/", include(space_patterns)),
    path("~<str:username>/", views.personal_home, name="personal"),
    path("~<str:username>/<str:slug>/", views.personal_page, name="personal-page"),
    path("<int:pk>/", include(page_patterns)),
]
