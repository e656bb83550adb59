from django.contrib import admin
from django.urls import include, path

from api.api import api
from core import views as core_views

urlpatterns = [
    path("", include("home.urls")),
    path("healthz", core_views.healthz, name="healthz"),
    path("bench/minimal", core_views.minimal, name="bench-minimal"),
    path("bench/rows", core_views.bench_rows, name="bench-rows"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i/", include("core.urls")),
    path("browse/", core_views.browse, name="browse"),
    path("people/", include("people.urls")),
    path("spaces/", include("spaces.urls")),
    path("files/", include("files.urls")),
    path("wiki/", include("wiki.urls")),
    path("links/", include("links.urls")),
    path("reviews/", include("reviews.urls")),
    path("catalog/", include("catalog.urls")),
    path("portfolios/", include("portfolios.urls")),
    path("mentoring/", include("mentoring.urls")),
    path("messages/", include("messaging.urls")),
    path("search/", include("search.urls")),
    path("settings/", include("people.settings_urls")),
]

handler404 = "core.views.not_found"
