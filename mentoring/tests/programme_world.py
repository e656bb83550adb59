"""The permission matrix's programmes (tests/test_permission_matrix.py): lee, a curator and a member of the team
space, runs a programme limited to the team with alice (mentee), gus (mentee), mo and bea (mentors) applied,
alice's request to mo waiting, and a preview run; and an invitation-only programme alice alone is invited to."""

from __future__ import annotations

from core.models import Visibility
from mentoring import runs, services
from mentoring.models import Programme

# The application form the matrix posts: the fields a person must fill in.
APPLICATION_FORM = {
    "time_zone": "UTC",
    "languages": "en",
    "formats": "video",
    "seniority": "2",
    "site_preference": "any",
    "slot": "0-9",
}
# The programme form the matrix posts: what a curator must fill in (the weights keep their defaults).
PROGRAMME_FORM = {
    "title": "Matrix programme",
    "visibility": "space",
    "mentor_audience": "everyone",
    "mentee_audience": "everyone",
    "mode": "both",
    "default_capacity": "2",
    "max_capacity": "5",
    "length_weeks": "26",
    "checkin_every_days": "28",
    "at_risk_after_days": "42",
}


def matrix_values(p) -> dict:
    from people.models import User

    bea = User.objects.get(username="bea")
    programme = services.create_programme(
        actor=p.lee, title="Team mentoring", space=p.team, visibility=Visibility.SPACE
    )
    invited = services.create_programme(
        actor=p.lee,
        title="Invited mentoring",
        visibility=Visibility.PEOPLE,
        mentee_audience=Programme.Audience.INVITED,
        invited_mentees=[p.alice],
        mentor_audience=Programme.Audience.INVITED,
        invited_mentors=[p.lee],
    )
    hours = {"availability": [[day, 540, 1020] for day in range(5)], "languages": ["en"]}
    mentee_app = services.apply(programme=programme, person=p.alice, side="mentee", **hours)
    gus_app = services.apply(programme=programme, person=p.gus, side="mentee", **hours)
    mentor_app = services.apply(programme=programme, person=p.mo, side="mentor", capacity=2, **hours)
    bea_app = services.apply(programme=programme, person=bea, side="mentor", capacity=2, **hours)
    request = services.request_mentor(mentee_application=mentee_app, mentor_application=mentor_app, by=p.alice)
    run = runs.start_run(programme, by=p.lee)
    return {
        "mt_programme": programme.pk,
        "mt_invited": invited.pk,
        "mt_mentee_app": mentee_app.pk,
        "mt_gus_app": gus_app.pk,
        "mt_mentor_app": mentor_app.pk,
        "mt_bea_app": bea_app.pk,
        "mt_request": request.pk,
        "mt_run": run.pk,
    }
