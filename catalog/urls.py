from django.urls import path

from catalog import curate, views

app_name = "catalog"

urlpatterns = [
    # /catalog/ (a course's page is its item permalink /i/<id>/)
    path("", views.browse, name="browse"),
    path("calendar/", views.calendar_settings, name="calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
    # /catalog/curate/: the curators' pages (catalog/curate.py)
    path("curate/", curate.index, name="curate"),
    path("curate/new/", curate.course_new, name="curate-new"),
    path("curate/import/", curate.import_courses, name="curate-import"),
    path("curate/suggest/skills/", curate.suggest_skills, name="curate-suggest-skills"),
    path("curate/suggest/people/", curate.suggest_people, name="curate-suggest-people"),
    path("curate/<int:course_id>/", curate.manage, name="curate-course"),
    path("curate/<int:course_id>/edit/", curate.course_edit, name="curate-edit"),
    path("curate/<int:course_id>/sessions/new/", curate.session_add, name="curate-session-add"),
    path("curate/<int:course_id>/sessions/import/", curate.import_sessions, name="curate-import-sessions"),
    path("curate/<int:course_id>/sessions/<int:session_id>/edit/", curate.session_edit, name="curate-session-edit"),
    path(
        "curate/<int:course_id>/sessions/<int:session_id>/cancel/", curate.session_cancel, name="curate-session-cancel"
    ),
    path("curate/<int:course_id>/sessions/<int:session_id>/roster/", curate.roster, name="curate-session-roster"),
    path("curate/<int:course_id>/roster/", curate.roster, name="curate-roster"),
    path("curate/<int:course_id>/roster/act/", curate.roster_act, name="curate-roster-act"),
    path("curate/<int:course_id>/roster/completion/", curate.record_completion, name="curate-completion"),
]
