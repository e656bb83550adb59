from django.urls import path

from files import views

app_name = "files"

urlpatterns = [
    # /files/ (a file's page is its item permalink /i/<id>/)
    path("upload/", views.upload, name="upload"),
    path("share-suggestions", views.share_suggestions, name="share-suggestions"),
    path("<int:pk>/download", views.download, name="download"),
    path("<int:pk>/inline", views.inline, name="inline"),
    path("<int:pk>/thumbnail", views.thumbnail, name="thumbnail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/watch", views.watch_toggle, name="watch"),
]
