from django.urls import path

from home import views

urlpatterns = [
    path("", views.home, name="home"),
    path("notifications/", views.notifications, name="notifications"),
    path("site/logo", views.site_logo, name="site-logo"),
]
