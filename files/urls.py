from django.urls import path

from files import views

app_name = "files"

urlpatterns = [
    # /files/
    path("upload/", views.upload, name="upload"),
    path("<int:pk>/download", views.download, name="download"),
    path("<int:pk>/thumbnail", views.thumbnail, name="thumbnail"),
]
