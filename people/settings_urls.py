from django.urls import path

from api import views as api_views
from people import views

app_name = "settings"

urlpatterns = [
    # /settings/
    path("notifications/", views.notification_settings, name="notifications"),
    path("tokens/", api_views.tokens, name="tokens"),
    path("site/", views.site_settings, name="site"),
]
