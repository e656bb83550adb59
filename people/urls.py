from django.urls import path

from people import views

app_name = "people"

urlpatterns = [
    # /people/
    path("", views.directory, name="directory"),
    path("me/edit/", views.edit_profile, name="edit"),
    path("me/skills/add/", views.skill_add, name="skill-add"),
    path("me/skills/<int:pk>/remove/", views.skill_remove, name="skill-remove"),
    path("invite/", views.invite_new, name="invite-new"),
    path("invite/<str:token>/", views.accept_invite, name="invite"),
    # /people/skills/ (a skill's slug never takes "autocomplete" or "import", see RESERVED_SKILL_SLUGS)
    path("skills/", views.skills, name="skills"),
    path("skills/autocomplete/", views.skill_autocomplete, name="skill-autocomplete"),
    path("skills/import/", views.skill_import, name="skill-import"),
    path("skills/<slug:slug>/", views.skill, name="skill"),
    # /people/<username>/ last, so that the paths above are never taken for usernames
    path("<str:username>/", views.profile, name="profile"),
    path("<str:username>/photo", views.photo, name="photo"),
]
