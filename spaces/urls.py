from django.urls import include, path

from spaces import views

app_name = "spaces"

member_patterns = [
    # /spaces/<slug>/members/
    path("", views.members, name="members"),
    path("invite", views.invite, name="invite"),
    path("suggest", views.suggest, name="suggest"),
    path("<str:username>/approve", views.approve, name="approve"),
    path("<str:username>/decline", views.decline, name="decline"),
    path("<str:username>/role", views.set_role, name="set-role"),
    path("<str:username>/remove", views.remove, name="remove"),
]

space_patterns = [
    # /spaces/<slug>/
    path("", views.space, name="space"),
    path("edit/", views.edit, name="edit"),
    path("cover", views.cover, name="cover"),
    path("join", views.join, name="join"),
    path("leave", views.leave, name="leave"),
    path("invitation/accept", views.accept_invitation, name="accept"),
    path("invitation/decline", views.decline_invitation, name="decline-invitation"),
    path("watch", views.watch_toggle, name="watch"),
    path("members/", include(member_patterns)),
]

urlpatterns = [
    # /spaces/
    path("", views.space_list, name="list"),
    path("new/", views.create, name="create"),
    path("<slug:slug>/", include(space_patterns)),
]
