from django.urls import path

from api import views as api_views
from home import views as home_views
from people import views

app_name = "settings"

urlpatterns = [
    # /settings/
    path("notifications/", home_views.notification_settings, name="notifications"),
    path("tokens/", api_views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke", api_views.revoke, name="token-revoke"),
    path("site/", views.site_settings, name="site"),
]
