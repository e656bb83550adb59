from django.urls import path

from search import views

app_name = "search"

urlpatterns = [
    # /search/
    path("", views.search, name="search"),
]
