"""The curators' mentoring API: a programme's applications, bulk match runs and the dashboard."""

import json

import pytest

from core.models import Activity
from mentoring.models import Match, MatchRun
from mentoring.tests.programme_helpers import mentee, mentor, new_programme, person, skills


@pytest.fixture
def cohort(personas):
    taxonomy = skills()
    programme = new_programme(personas.lee, title="Analysts")
    python = taxonomy["python"]
    return {
        "programme": programme,
        "mentees": [mentee(programme, person(n), skills=[python], languages=["en"]) for n in ("ann", "ben", "cat")],
        "mentors": [
            mentor(programme, person(n), skills=[python], languages=["en"], capacity=1) for n in ("max", "sol")
        ],
    }


def _send(client, method, path, body=None):
    if body is None:
        return getattr(client, method)(path)
    return getattr(client, method)(path, data=json.dumps(body), content_type="application/json")


def test_curators_list_a_programmes_applications(cohort, personas, client_for):
    programme = cohort["programme"]
    body = client_for(personas.lee).get(f"/api/mentoring/programmes/{programme.pk}/applications?side=mentor").json()
    assert [a["person"] for a in body["items"]] == ["sol", "max"] and body["count"] == 2
    assert client_for(personas.alice).get(f"/api/mentoring/programmes/{programme.pk}/applications").status_code == 404


def test_a_run_from_start_to_publishing(cohort, personas, client_for):
    programme = cohort["programme"]
    client = client_for(personas.lee)
    started = _send(client, "post", f"/api/mentoring/programmes/{programme.pk}/runs")
    body = started.json()
    assert started.status_code == 201 and body["state"] == "preview"
    assert body["stats"]["matched"] == 2 and body["stats"]["unmatched_count"] == 1
    assert len(body["pairs"]) == 2 and all(p["explanation"] for p in body["pairs"])
    run_id = body["id"]
    left, first = body["stats"]["unmatched"][0], body["pairs"][0]
    unpaired = {"mentee_application": _app_of(cohort, first["mentee"]), "mentor_application": None}
    moved = _send(client, "put", f"/api/mentoring/runs/{run_id}/pairs", unpaired)
    assert moved.status_code == 200 and moved.json()["stats"]["matched"] == 1
    repaired = {"mentee_application": left["application_id"], "mentor_application": _app_of(cohort, first["mentor"])}
    assert _send(client, "put", f"/api/mentoring/runs/{run_id}/pairs", repaired).status_code == 200
    published = _send(client, "post", f"/api/mentoring/runs/{run_id}/publish")
    assert published.json()["state"] == "published"
    assert Match.objects.filter(state=Match.State.ACTIVE).count() == 2
    assert Activity.objects.filter(verb=Activity.Verb.MATCHED).count() == 4
    assert _send(client, "post", f"/api/mentoring/runs/{run_id}/discard").status_code == 400


def _app_of(cohort, username):
    return next(a.pk for a in cohort["mentees"] + cohort["mentors"] if a.person.username == username)


def test_a_run_can_be_discarded(cohort, personas, client_for):
    client = client_for(personas.lee)
    run_id = _send(client, "post", f"/api/mentoring/programmes/{cohort['programme'].pk}/runs").json()["id"]
    assert _send(client, "post", f"/api/mentoring/runs/{run_id}/discard").json()["state"] == "discarded"
    assert not Match.objects.exists()


def test_runs_are_hidden_from_people_who_do_not_run_the_programme(cohort, personas, client_for):
    client = client_for(personas.lee)
    run_id = _send(client, "post", f"/api/mentoring/programmes/{cohort['programme'].pk}/runs").json()["id"]
    assert client_for(personas.alice).get(f"/api/mentoring/runs/{run_id}").status_code == 404
    assert _send(client_for(personas.alice), "post", f"/api/mentoring/runs/{run_id}/publish").status_code == 404
    assert MatchRun.objects.get().state == MatchRun.State.PREVIEW


def test_a_hand_pair_with_a_full_mentor_is_refused(cohort, personas, client_for):
    client = client_for(personas.lee)
    body = _send(client, "post", f"/api/mentoring/programmes/{cohort['programme'].pk}/runs").json()
    left = body["stats"]["unmatched"][0]
    response = _send(
        client,
        "put",
        f"/api/mentoring/runs/{body['id']}/pairs",
        {"mentee_application": left["application_id"], "mentor_application": cohort["mentors"][0].pk},
    )
    assert response.status_code == 400 and "is full" in response.json()["detail"]


def test_the_dashboard_gives_counts(cohort, personas, client_for):
    programme = cohort["programme"]
    body = client_for(personas.lee).get(f"/api/mentoring/programmes/{programme.pk}/dashboard").json()
    assert (body["mentees"], body["mentors"], body["active"], body["match_rate"]) == (3, 2, 0, 0)
    assert client_for(personas.mo).get(f"/api/mentoring/programmes/{programme.pk}/dashboard").status_code == 404


def test_a_programmes_runs_are_listed(cohort, personas, client_for):
    client = client_for(personas.lee)
    _send(client, "post", f"/api/mentoring/programmes/{cohort['programme'].pk}/runs")
    runs = client.get(f"/api/mentoring/programmes/{cohort['programme'].pk}/runs").json()
    assert len(runs) == 1 and runs[0]["matched"] == 2
