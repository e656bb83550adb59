from django.urls import path

from catalog import views

app_name = "catalog"

urlpatterns = [
    # /catalog/ (a course's page is its item permalink /i/<id>/)
    path("", views.browse, name="browse"),
    path("calendar/", views.calendar_settings, name="calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
]
