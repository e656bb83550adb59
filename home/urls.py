from django.urls import path

from home import views

urlpatterns = [
    # /
    path("", views.home, name="home"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read-all", views.mark_all_read, name="notifications-read-all"),
    path("notifications/<int:pk>/open", views.open_notification, name="notification-open"),
    path("site/logo", views.site_logo, name="site-logo"),
]
