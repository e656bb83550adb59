from django.urls import path

from spaces import views

app_name = "spaces"

urlpatterns = [
    # /spaces/
    path("", views.space_list, name="list"),
    path("<slug:slug>/", views.space, name="space"),
]
