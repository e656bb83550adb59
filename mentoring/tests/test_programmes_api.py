"""The mentoring API for everyone: programmes, applications, suggestions, requests and answers."""

import json

import pytest

from core.models import Visibility
from mentoring.models import Application, Match, Programme
from mentoring.tests.programme_helpers import mentee, mentor, new_programme, person, skills


def _send(client, method, path, body=None):
    if body is None:
        return getattr(client, method)(path)
    return getattr(client, method)(path, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def taxonomy(db):
    return skills()


def test_a_curator_creates_a_programme(personas, client_for):
    response = _send(
        client_for(personas.lee),
        "post",
        "/api/mentoring/programmes",
        {
            "title": "Sales mentoring",
            "purpose": "Close bigger deals",
            "starts": "2031-09-01",
            "ends": "2032-03-01",
            "mode": "bulk",
            "weights": {"skills": 6, "site": 0},
            "questions": [{"label": "Your region?", "side": "mentee"}],
            "max_capacity": 3,
        },
    )
    body = response.json()
    assert response.status_code == 201, body
    assert body["title"] == "Sales mentoring" and body["mode"] == "bulk" and body["max_capacity"] == 3
    assert body["weights"]["skills"] == 6 and body["weights"]["goals"] == 2
    assert body["questions"] == [{"key": "your-region", "label": "Your region?", "side": "mentee"}]
    assert len(body["agreement_template"]) == 5 and body["can_run"] is True


def test_a_learner_cannot_create_a_programme(personas, client_for):
    response = _send(client_for(personas.alice), "post", "/api/mentoring/programmes", {"title": "Mine"})
    assert response.status_code == 403 and "curators" in response.json()["detail"]


def test_a_bad_programme_is_refused_with_the_reason(personas, client_for):
    response = _send(
        client_for(personas.lee), "post", "/api/mentoring/programmes", {"title": "X", "weights": {"age": 3}}
    )
    assert response.status_code == 400 and "Not a matching criterion: age" in response.json()["detail"]


def test_programmes_list_what_the_caller_may_see(personas, client_for):
    new_programme(personas.lee, title="For everyone")
    new_programme(
        personas.lee,
        title="For alice",
        visibility=Visibility.PEOPLE,
        mentee_audience=Programme.Audience.INVITED,
        invited_mentees=[personas.alice],
    )
    titles = lambda who: [p["title"] for p in client_for(who).get("/api/mentoring/programmes").json()["items"]]  # noqa: E731
    assert set(titles(personas.alice)) == {"For everyone", "For alice"}
    assert titles(personas.olly) == ["For everyone"]


def test_invited_people_are_shown_to_curators_only(personas, client_for):
    programme = new_programme(
        personas.lee,
        visibility=Visibility.PEOPLE,
        mentee_audience="invited",
        invited_mentees=[personas.alice],
        mentor_audience="invited",
        invited_mentors=[personas.mo],
    )
    assert client_for(personas.lee).get(f"/api/mentoring/programmes/{programme.pk}").json()["invited_mentees"] == [
        "alice"
    ]
    mine = client_for(personas.alice).get(f"/api/mentoring/programmes/{programme.pk}").json()
    assert mine["invited_mentees"] == [] and mine["may_apply"] == {"mentor": False, "mentee": True}


def test_the_open_programme_has_its_own_address(personas, client_for):
    body = client_for(personas.alice).get("/api/mentoring/programmes/open").json()
    assert body["always_open"] is True and body["mode"] == "self"


def test_a_curator_changes_a_programme(personas, client_for):
    programme = new_programme(personas.lee)
    response = _send(
        client_for(personas.lee), "patch", f"/api/mentoring/programmes/{programme.pk}", {"length_weeks": 12}
    )
    assert response.status_code == 200 and response.json()["length_weeks"] == 12
    refused = _send(client_for(personas.alice), "patch", f"/api/mentoring/programmes/{programme.pk}", {"title": "X"})
    assert refused.status_code == 403


def test_applying_fills_in_what_is_left_out_from_the_profile(personas, client_for, taxonomy):
    from people.models import PersonSkill

    programme = new_programme(personas.lee)
    personas.mo.languages = ["en", "es"]
    personas.mo.save()
    PersonSkill.objects.create(person=personas.mo, skill=taxonomy["python"], direction="teaches", level=4)
    defaults = (
        client_for(personas.mo).get(f"/api/mentoring/programmes/{programme.pk}/application-defaults?side=mentor").json()
    )
    assert defaults["languages"] == ["en", "es"] and defaults["skills"][0]["skill"] == "python"
    response = _send(
        client_for(personas.mo), "post", "/api/mentoring/applications", {"programme": programme.pk, "side": "mentor"}
    )
    body = response.json()
    assert response.status_code == 201, body
    assert body["languages"] == ["en", "es"] and body["skills"] == [{"skill": "python", "name": "Python", "level": 4}]


def test_an_application_with_a_bad_field_is_refused(personas, client_for):
    programme = new_programme(personas.lee)
    response = _send(
        client_for(personas.alice),
        "post",
        "/api/mentoring/applications",
        {"programme": programme.pk, "side": "mentee", "languages": ["en"], "availability": [[0, 600, 500]]},
    )
    assert response.status_code == 400 and "must start before it ends" in response.json()["detail"]


def test_applying_to_a_programme_one_cannot_see_is_not_found(personas, client_for):
    programme = new_programme(personas.lee, visibility=Visibility.PEOPLE, shared_with=[personas.alice])
    response = _send(
        client_for(personas.olly), "post", "/api/mentoring/applications", {"programme": programme.pk, "side": "mentee"}
    )
    assert response.status_code == 404


def test_applications_of_others_are_not_found(personas, client_for):
    application = mentee(new_programme(personas.lee), personas.alice, languages=["en"])
    assert client_for(personas.mo).get(f"/api/mentoring/applications/{application.pk}").status_code == 404
    assert client_for(personas.lee).get(f"/api/mentoring/applications/{application.pk}").status_code == 200
    assert client_for(personas.alice).get("/api/mentoring/applications").json()[0]["id"] == application.pk


def test_changing_and_withdrawing_an_application(personas, client_for):
    application = mentee(new_programme(personas.lee), personas.alice, languages=["en"])
    client = client_for(personas.alice)
    changed = _send(client, "patch", f"/api/mentoring/applications/{application.pk}", {"goals": "SQL", "seniority": 3})
    assert changed.json()["goals"] == "SQL" and changed.json()["seniority"] == 3
    refused = _send(client, "patch", f"/api/mentoring/applications/{application.pk}", {"goals": None})
    assert refused.status_code == 400
    withdrawn = _send(client, "post", f"/api/mentoring/applications/{application.pk}/withdraw")
    assert withdrawn.json()["state"] == "withdrawn"


def test_suggestions_come_with_their_parts(personas, client_for, taxonomy):
    programme = new_programme(personas.lee)
    application = mentee(programme, personas.alice, skills=[taxonomy["python"]], languages=["en"])
    mentor(programme, personas.mo, skills=[taxonomy["python"]], languages=["en"])
    body = client_for(personas.alice).get(f"/api/mentoring/applications/{application.pk}/suggestions").json()
    assert [s["mentor"] for s in body] == ["mo"]
    assert body[0]["score"] == pytest.approx(sum(p["points"] for p in body[0]["parts"]))
    assert body[0]["message_url"] == "/messages/mo/" and 0 < body[0]["fit_percent"] <= 100


def test_a_request_answered_through_the_api(personas, client_for, taxonomy):
    programme = new_programme(personas.lee)
    mine = mentee(programme, personas.alice, skills=[taxonomy["python"]], languages=["en"])
    theirs = mentor(programme, personas.mo, skills=[taxonomy["python"]], languages=["en"])
    asked = _send(
        client_for(personas.alice),
        "post",
        "/api/mentoring/requests",
        {"mentee_application": mine.pk, "mentor_application": theirs.pk, "note": "Hi"},
    )
    assert asked.status_code == 201 and asked.json()["state"] == "requested"
    match_id = asked.json()["id"]
    assert [m["id"] for m in client_for(personas.mo).get("/api/mentoring/requests").json()] == [match_id]
    assert [m["id"] for m in client_for(personas.alice).get("/api/mentoring/requests?role=mentee").json()] == [match_id]
    wrong = _send(client_for(personas.alice), "post", f"/api/mentoring/requests/{match_id}/respond", {"accept": True})
    assert wrong.status_code == 403
    accepted = _send(client_for(personas.mo), "post", f"/api/mentoring/requests/{match_id}/respond", {"accept": True})
    assert accepted.json()["state"] == "active" and accepted.json()["url"] == f"/mentoring/pairs/{match_id}/"
    declined = _send(client_for(personas.alice), "post", f"/api/mentoring/matches/{match_id}/decline", {"note": "x"})
    assert declined.json()["state"] == "declined"


def test_a_request_to_a_mentor_of_another_programme_is_refused(personas, client_for):
    mine = mentee(new_programme(personas.lee, title="A"), personas.alice, languages=["en"])
    theirs = mentor(new_programme(personas.lee, title="B"), personas.mo, languages=["en"])
    response = _send(
        client_for(personas.alice),
        "post",
        "/api/mentoring/requests",
        {"mentee_application": mine.pk, "mentor_application": theirs.pk},
    )
    assert response.status_code == 400 and not Match.objects.exists()


def test_someone_elses_match_is_not_found(personas, client_for):
    programme = new_programme(personas.lee)
    match = Match.objects.create(programme=programme, mentor=personas.mo, mentee=person("bo"))
    response = _send(client_for(personas.alice), "post", f"/api/mentoring/matches/{match.pk}/decline", {})
    assert response.status_code == 404
    assert Application.objects.count() == 0
