from django.urls import path

from core import views

app_name = "core"

urlpatterns = [
    # /i/
    path("<int:pk>/", views.item, name="item"),
]
