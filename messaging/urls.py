from django.urls import path

from messaging import views

app_name = "messaging"

urlpatterns = [
    # /messages/
    path("", views.inbox, name="inbox"),
    path("<str:username>/", views.thread, name="thread"),
    path("<str:username>/new", views.new_messages, name="new"),
]
