from django.urls import path

from people import views

app_name = "people"

urlpatterns = [
    # /people/
    path("", views.directory, name="directory"),
    path("me/edit/", views.edit_profile, name="edit"),
    path("skills/autocomplete/", views.skill_autocomplete, name="skill-autocomplete"),
    path("skills/<slug:slug>/", views.skill, name="skill"),
    path("<str:username>/", views.profile, name="profile"),
    path("<str:username>/photo", views.photo, name="photo"),
]
