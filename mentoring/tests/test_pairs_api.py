"""The pair space through the API (/api/mentoring/matches/...)."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from mentoring import pairs
from mentoring.models import CheckIn, Match, Meeting
from mentoring.tests.pair_world import make_pair

API = "/api/mentoring/matches"


@pytest.fixture
def pair(personas):
    return make_pair(mentor=personas.mo, mentee=personas.alice, curator=personas.lee)


def send(client, method, path, body=None):
    return getattr(client, method)(path, data=json.dumps(body or {}), content_type="application/json")


def soon(days=2):
    return (timezone.now() + timedelta(days=days)).replace(microsecond=0).isoformat()


def test_my_matches_and_one_matchs_detail(pair, personas, client_for):
    client = client_for(personas.alice)
    listed = client.get(API).json()
    assert [(m["id"], m["my_role"], m["mentor"]) for m in listed["items"]] == [(pair.pk, "mentee", "mo")]
    detail = client.get(f"{API}/{pair.pk}").json()
    assert detail["other"] == {"username": "mo", "name": "Mo Mentor", "time_zone": "Europe/London"}
    assert detail["me"]["time_zone"] == "Asia/Tokyo"
    assert [p["key"] for p in detail["agreement"]["parts"]][0] == "goals"
    assert detail["checkin_due"] is None


@pytest.mark.parametrize("who", ["lee", "ada", "olly"])
def test_others_find_no_match(pair, personas, client_for, who):
    client = client_for(getattr(personas, who))
    assert client.get(f"{API}/{pair.pk}").status_code == 404
    assert client.get(f"{API}/{pair.pk}/meetings").status_code == 404
    assert send(client, "post", f"{API}/{pair.pk}/goals", {"title": "x"}).status_code == 404
    assert client.get(API).json()["items"] == []


def test_the_agreement_is_written_signed_and_a_conflict_refused(pair, personas, client_for):
    alice, mo = client_for(personas.alice), client_for(personas.mo)
    body = {"texts": {"goals": "Reviews."}, "base": {"goals": ""}}
    written = send(alice, "patch", f"{API}/{pair.pk}/agreement", body)
    assert written.status_code == 200
    refused = send(mo, "patch", f"{API}/{pair.pk}/agreement", {"texts": {"goals": "Talks."}, "base": {"goals": ""}})
    assert refused.status_code == 400 and "Alice Learner changed" in refused.json()["detail"]
    signed = send(mo, "post", f"{API}/{pair.pk}/agreement/sign", {"seen": written.json()["updated"]})
    assert signed.status_code == 200 and signed.json()["mentor_signed_at"]
    assert send(mo, "post", f"{API}/{pair.pk}/agreement/sign", {}).status_code == 400


def test_goals(pair, personas, client_for):
    client = client_for(personas.mo)
    made = send(client, "post", f"{API}/{pair.pk}/goals", {"title": "Give a talk", "progress": 10})
    assert made.status_code == 201
    goal = made.json()["id"]
    assert send(client, "patch", f"{API}/{pair.pk}/goals/{goal}", {"done": True}).json()["progress"] == 100
    assert send(client, "patch", f"{API}/{pair.pk}/goals/{goal}", {"progress": 101}).status_code == 422
    assert client.delete(f"{API}/{pair.pk}/goals/{goal}").status_code == 204
    assert client.get(f"{API}/{pair.pk}/goals").json() == []


def test_meetings_are_booked_moved_held_and_cancelled(pair, personas, client_for):
    client = client_for(personas.alice)
    made = send(client, "post", f"{API}/{pair.pk}/meetings", {"starts": soon(), "minutes": 45, "place": "Room 1"})
    assert made.status_code == 201 and made.json()["sequence"] == 0
    meeting = made.json()["id"]
    moved = send(client, "patch", f"{API}/{pair.pk}/meetings/{meeting}", {"starts": soon(3)})
    assert moved.json()["sequence"] == 1
    assert send(client, "post", f"{API}/{pair.pk}/meetings/{meeting}/held", {}).status_code == 400  # still ahead
    cancelled = send(client, "post", f"{API}/{pair.pk}/meetings/{meeting}/cancel")
    assert cancelled.json()["state"] == "cancelled" and cancelled.json()["sequence"] == 2
    logged = send(
        client, "post", f"{API}/{pair.pk}/meetings", {"starts": soon(-1), "held": True, "shared_notes": "Met."}
    )
    assert logged.status_code == 201 and logged.json()["state"] == "held"
    assert [m["state"] for m in client.get(f"{API}/{pair.pk}/meetings").json()["items"]] == ["cancelled", "held"]


def test_a_start_in_the_past_or_without_an_offset_is_refused(pair, personas, client_for):
    client = client_for(personas.alice)
    assert send(client, "post", f"{API}/{pair.pk}/meetings", {"starts": soon(-1)}).status_code == 400
    naive = (timezone.now() + timedelta(days=2)).replace(tzinfo=None).isoformat()
    response = send(client, "post", f"{API}/{pair.pk}/meetings", {"starts": naive})
    assert response.status_code == 400 and "UTC offset" in response.json()["detail"]


def test_a_private_note_is_read_back_by_its_author_only(pair, personas, client_for):
    meeting = pairs.log_meeting(match=pair, by=personas.mo, starts=timezone.now() - timedelta(hours=1))
    path = f"{API}/{pair.pk}/meetings/{meeting.pk}/note"
    mo, alice = client_for(personas.mo), client_for(personas.alice)
    assert send(mo, "put", path, {"text": "Mine alone."}).json()["text"] == "Mine alone."
    assert mo.get(path).json()["text"] == "Mine alone."
    assert alice.get(path).json() == {"text": "", "updated": None}
    assert alice.get(f"{API}/{pair.pk}/meetings/{meeting.pk}").json()["has_my_note"] is False
    assert mo.get(f"{API}/{pair.pk}/meetings/{meeting.pk}").json()["has_my_note"] is True


def test_checkins_are_mine_and_answered(pair, personas, client_for):
    CheckIn.objects.filter(match=pair).update(due=timezone.now().date())
    client = client_for(personas.alice)
    (mine,) = client.get(f"{API}/{pair.pk}/checkins").json()
    theirs = CheckIn.objects.get(match=pair, person=personas.mo)
    assert send(client, "post", f"{API}/{pair.pk}/checkins/{theirs.pk}", {"score": 3}).status_code == 404
    answered = send(client, "post", f"{API}/{pair.pk}/checkins/{mine['id']}", {"score": 2, "comment": "Slow."})
    assert answered.status_code == 200 and answered.json()["score"] == 2
    assert client.get(f"{API}/{pair.pk}").json()["at_risk"] is True


def test_closing_and_continuing(pair, personas, client_for):
    alice, mo = client_for(personas.alice), client_for(personas.mo)
    closed = send(alice, "post", f"{API}/{pair.pk}/close", {"reflection": "Good.", "wants_to_continue": True})
    assert closed.status_code == 201 and closed.json()["pair_state"] == "closed"
    assert send(alice, "post", f"{API}/{pair.pk}/close", {}).status_code == 400
    assert send(mo, "post", f"{API}/{pair.pk}/close", {"rating": 6}).status_code == 422
    both = send(mo, "post", f"{API}/{pair.pk}/close", {"wants_to_continue": True, "to_portfolio": False})
    assert both.json()["can_continue"] is True
    new = send(mo, "post", f"{API}/{pair.pk}/continue")
    assert new.status_code == 201 and new.json()["state"] == "active"
    assert Match.objects.filter(state=Match.State.ACTIVE).count() == 1


def test_closing_into_a_portfolio_of_someone_else_is_refused(pair, personas, client_for):
    from portfolios.services import create_portfolio

    theirs = create_portfolio(owner=personas.mo, title="Mo's", kind="process")
    response = send(
        client_for(personas.alice),
        "post",
        f"{API}/{pair.pk}/close",
        {"reflection": "x", "to_portfolio": True, "portfolio": theirs.pk},
    )
    assert response.status_code == 400
    assert not Meeting.objects.exists() and Match.objects.get(pk=pair.pk).state == Match.State.ACTIVE
