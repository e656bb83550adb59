"""The pair space's pages: who sees them, what they show, the forms, and a bounded number of queries."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time

from mentoring import pairs
from mentoring.models import CheckIn, Closing, Goal, Match, Meeting
from mentoring.tests.pair_world import make_pair


@pytest.fixture
def pair(personas):
    return make_pair(mentor=personas.mo, mentee=personas.alice, curator=personas.lee)


def url(pair, rest=""):
    return f"/mentoring/pairs/{pair.pk}/{rest}"


def page(client, path):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def test_the_pair_space_shows_the_other_person_agreement_guidance_and_goals(pair, personas, client_for):
    pairs.add_goal(match=pair, by=personas.alice, title="Run a design review", progress=40)
    html = page(client_for(personas.alice), url(pair))
    assert "Mo Mentor" in html and "Your mentor" in html
    assert "Two or three things the mentee wants" in html  # the guidance beside the agreement's first part
    assert '<progress max="100" value="40"' in html and "Run a design review" in html
    assert "Mo Mentor has not signed" in html and "Sign the agreement" in html
    assert "The first meeting" in page(client_for(personas.mo), url(pair))  # the programme's guidance


@pytest.mark.parametrize("who", ["lee", "ada", "olly", "gus"])
def test_nobody_but_the_two_people_finds_the_pair(pair, personas, client_for, who):
    client = client_for(getattr(personas, who))
    meeting = pairs.log_meeting(match=pair, by=personas.mo, starts=timezone.now() - timedelta(hours=1))
    checkin = CheckIn.objects.filter(match=pair).first()
    for path in (url(pair), url(pair, f"meetings/{meeting.pk}/"), url(pair, f"meetings/{meeting.pk}/invite.ics")):
        assert client.get(path).status_code == 404
    assert client.get(url(pair, f"checkins/{checkin.pk}/")).status_code == 404
    assert client.get(url(pair, "agreement/")).status_code == 404


def test_a_run_draft_is_not_a_pair_space_even_for_its_people(personas, client_for):
    draft = make_pair(mentor=personas.mo, mentee=personas.alice, curator=personas.lee, state=Match.State.DRAFT)
    assert client_for(personas.alice).get(url(draft)).status_code == 404


def test_the_mentor_sees_a_request_with_its_note_and_the_mentee_waits(personas, client_for):
    request = make_pair(mentor=personas.mo, mentee=personas.alice, curator=personas.lee, state=Match.State.REQUESTED)
    html = page(client_for(personas.mo), url(request))
    assert "Alice Learner would like you as their mentor" in html and "design reviews" in html
    assert "teaches 2 of your 3 goal skills" in html
    assert "Waiting for Mo Mentor to answer" in page(client_for(personas.alice), url(request))


def test_the_list_of_my_pairs(pair, personas, client_for):
    html = page(client_for(personas.alice), "/mentoring/pairs/")
    assert f"/mentoring/pairs/{pair.pk}/" in html and "Mentoring circle" in html
    assert f"/mentoring/pairs/{pair.pk}/" not in page(client_for(personas.lee), "/mentoring/pairs/")


def test_the_pair_page_runs_a_bounded_number_of_queries(pair, personas, client_for, django_assert_max_num_queries):
    client = client_for(personas.alice)
    client.get(url(pair))
    for n in range(15):
        pairs.add_goal(match=pair, by=personas.alice, title=f"Goal {n}")
        meeting = pairs.log_meeting(match=pair, by=personas.mo, starts=timezone.now() - timedelta(days=1, hours=n))
        pairs.save_private_note(meeting=meeting, by=personas.alice, text=f"note {n}")
        pairs.schedule_meeting(match=pair, by=personas.mo, starts=timezone.now() + timedelta(days=1, hours=n))
    with django_assert_max_num_queries(16):
        assert client.get(url(pair)).status_code == 200


def test_the_meeting_page_runs_a_bounded_number_of_queries(pair, personas, client_for, django_assert_max_num_queries):
    meeting = pairs.log_meeting(match=pair, by=personas.mo, starts=timezone.now() - timedelta(hours=3))
    client = client_for(personas.mo)
    client.get(url(pair))
    for n in range(10):
        pairs.save_private_note(meeting=meeting, by=personas.mo, text=f"note {n}")
        pairs.update_shared_notes(meeting=meeting, by=personas.alice, text=f"notes {n}")
    with django_assert_max_num_queries(12):
        assert client.get(url(pair, f"meetings/{meeting.pk}/")).status_code == 200


# --- private notes --------------------------------------------------------------------------------------------


SECRET = "Mo private worry about the pace"


@pytest.fixture
def secret(pair, personas):
    meeting = pairs.log_meeting(match=pair, by=personas.mo, starts=timezone.now() - timedelta(hours=2))
    pairs.save_private_note(meeting=meeting, by=personas.mo, text=SECRET)
    return meeting


def test_a_private_note_shows_to_its_author_marked_only_you(pair, secret, personas, client_for):
    html = page(client_for(personas.mo), url(pair, f"meetings/{secret.pk}/"))
    assert SECRET in html and "Only you see this note" in html
    assert "Your note" in page(client_for(personas.mo), url(pair))


@pytest.mark.parametrize("who", ["alice", "lee", "ada", "olly", "gus"])
def test_a_private_note_never_shows_to_anyone_else(pair, secret, personas, client_for, who):
    client = client_for(getattr(personas, who))
    paths = [url(pair), url(pair, f"meetings/{secret.pk}/"), "/mentoring/pairs/", "/notifications/", "/"]
    paths += [f"/api/mentoring/matches/{pair.pk}/meetings", f"/api/mentoring/matches/{pair.pk}/meetings/{secret.pk}"]
    paths += [f"/api/mentoring/matches/{pair.pk}/meetings/{secret.pk}/note", "/search/?q=worry"]
    for path in paths:
        response = client.get(path)
        assert SECRET not in response.content.decode(), (who, path)


# --- forms -------------------------------------------------------------------------------------------------------


def test_booking_reads_the_time_in_the_persons_own_zone(pair, personas, client_for):
    # Alice's application says Asia/Tokyo: 18:00 typed there is 09:00 UTC.
    response = client_for(personas.alice).post(
        url(pair, "meetings/new/"), {"starts": "2031-01-09T18:00", "minutes": "60", "format": "video", "place": ""}
    )
    meeting = Meeting.objects.get(match=pair)
    assert response.status_code == 302 and response["Location"] == url(pair, f"meetings/{meeting.pk}/")
    assert meeting.starts == datetime(2031, 1, 9, 9, 0, tzinfo=UTC)


def test_booking_in_the_past_shows_the_form_again_with_the_reason(pair, personas, client_for):
    response = client_for(personas.mo).post(
        url(pair, "meetings/new/"), {"starts": "2020-01-09T18:00", "minutes": "60", "format": "video"}
    )
    assert response.status_code == 400 and "Choose a time in the future" in response.content.decode()
    assert not Meeting.objects.exists()


def test_the_booking_form_shows_both_peoples_hours_in_both_zones(personas, client_for):
    with freeze_time("2031-01-06 12:00:00"):
        pair = make_pair(
            mentor=personas.mo,
            mentee=personas.alice,
            curator=personas.lee,
            mentor_hours=[(0, 540, 1020)],  # Mon 9:00–17:00 in London
            mentee_hours=[(0, 1020, 1260)],  # Mon 17:00–21:00 in Tokyo = 8:00–12:00 in London (winter)
        )
        html = page(client_for(personas.mo), url(pair, "meetings/new/"))
    assert "Mon 9:00–12:00 your time = 18:00–21:00 theirs" in html
    assert "Mon 9:00–17:00 your time = 18:00–2:00 theirs" not in html  # crosses midnight: named by day
    assert "Mon 9:00–17:00 your time = Mon 18:00–24:00 and Tue 0:00–2:00 theirs" in html
    assert "Mon 17:00–21:00 their time = 8:00–12:00 yours" in html
    assert 'class="both"' in html and "the first time you are both free" in html
    assert "Mon 13 Jan, 09:00</strong> your time = <strong>Mon 13 Jan, 18:00</strong> for Alice Learner" in html


def test_a_meeting_is_marked_held_with_notes_and_a_private_note_saved(pair, personas, client_for):
    meeting = pairs.schedule_meeting(match=pair, by=personas.mo, starts=timezone.now() + timedelta(hours=1))
    Meeting.objects.filter(pk=meeting.pk).update(starts=timezone.now() - timedelta(minutes=30))
    client = client_for(personas.alice)
    response = client.post(url(pair, f"meetings/{meeting.pk}/held"), {"shared_notes": "We met.", "base": ""})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.HELD and meeting.shared_notes == "We met."
    client.post(url(pair, f"meetings/{meeting.pk}/my-note"), {"text": "Ask about the deadline."})
    assert meeting.private_notes.get().author == personas.alice


def test_a_notes_conflict_keeps_what_was_typed(pair, personas, client_for):
    meeting = pairs.log_meeting(match=pair, by=personas.mo, starts=timezone.now() - timedelta(hours=1))
    pairs.update_shared_notes(meeting=meeting, by=personas.mo, text="Mo's version.", base="")
    response = client_for(personas.alice).post(
        url(pair, f"meetings/{meeting.pk}/notes"), {"shared_notes": "Alice's version.", "base": ""}
    )
    html = response.content.decode()
    assert response.status_code == 400 and "Mo Mentor changed" in html
    assert "Mo&#x27;s version." in html and "Alice&#x27;s version." in html


def test_the_agreement_is_edited_and_signed_through_the_pages(pair, personas, client_for):
    client = client_for(personas.alice)
    keys = [part["key"] for part in pair.agreement.parts]
    form = {f"text_{key}": "" for key in keys} | {f"base_{key}": "" for key in keys}
    response = client.post(url(pair, "agreement/"), form | {"text_goals": "Lead a review."})
    assert response.status_code == 302
    pair.agreement.refresh_from_db()
    client.post(url(pair, "agreement/sign"), {"seen": pair.agreement.updated.isoformat()})
    pair.agreement.refresh_from_db()
    assert pair.agreement.mentee_signed_at is not None


def test_goals_are_added_and_moved_with_htmx_returning_the_section(pair, personas, client_for):
    client = client_for(personas.mo)
    response = client.post(url(pair, "goals/"), {"title": "Give a talk"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'id="goals"' in response.content.decode()
    goal = Goal.objects.get(match=pair)
    client.post(url(pair, f"goals/{goal.pk}/"), {"progress": "60"})
    goal.refresh_from_db()
    assert goal.progress == 60


def test_a_checkin_is_answered_on_its_page_and_the_others_is_not_found(pair, personas, client_for):
    CheckIn.objects.filter(match=pair).update(due=timezone.now().date())
    mine = CheckIn.objects.get(match=pair, person=personas.alice)
    theirs = CheckIn.objects.get(match=pair, person=personas.mo)
    client = client_for(personas.alice)
    assert "Answer the check-in" in page(client, url(pair))
    assert client.get(url(pair, f"checkins/{theirs.pk}/")).status_code == 404
    response = client.post(url(pair, f"checkins/{mine.pk}/"), {"score": "4", "comment": "Going well."})
    assert response.status_code == 302
    assert "Going well." in page(client, url(pair)) and "Going well." not in page(client_for(personas.mo), url(pair))


def test_closing_through_the_page_and_putting_the_reflection_in_the_portfolio(pair, personas, client_for):
    client = client_for(personas.alice)
    response = client.post(
        url(pair, "close/"), {"reflection": "Ask earlier.", "rating": "5", "feedback": "", "portfolio": ""}
    )
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.state == Match.State.CLOSED
    html = page(client, url(pair))
    assert "Ask earlier." in html and "Put it into my portfolio" in html
    assert "Ask earlier." not in page(client_for(personas.mo), url(pair))
    client.post(url(pair, "close/portfolio"), {"portfolio": ""})
    assert Closing.objects.get(person=personas.alice).portfolio_entry is not None
    assert "open the journal entry" in page(client, url(pair))


def test_the_ics_downloads_for_the_pair(pair, personas, client_for):
    meeting = pairs.schedule_meeting(match=pair, by=personas.mo, starts=timezone.now() + timedelta(days=1))
    response = client_for(personas.alice).get(url(pair, f"meetings/{meeting.pk}/invite.ics"))
    assert response["Content-Type"].startswith("text/calendar")
    assert b"METHOD:REQUEST" in response.content and f"mentoring-meeting-{meeting.pk}".encode() in response.content
