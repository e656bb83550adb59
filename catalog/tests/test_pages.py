import icalendar
import pytest
from django.urls import reverse

from catalog import services
from catalog.models import CalendarFeed, Course
from core.models import Visibility
from reviews.services import rate_item
from tests.factories import SkillFactory

BROWSE = reverse("catalog:browse")
CALENDAR = reverse("catalog:calendar")


def add_course(personas, title, **fields):
    return services.create_course(actor=personas.ada, title=title, **fields)


def feed_url(token):
    return reverse("catalog:calendar-feed", args=[token])


# --- browse ------------------------------------------------------------------------------------------


def test_browse_lists_courses_with_facet_counts(personas, client_for):
    python = SkillFactory(name="Python", slug="python")
    add_course(personas, "Python basics", format=Course.Format.ELEARNING, skills=[python], duration_minutes=45)
    add_course(personas, "Python in depth", format=Course.Format.CLASSROOM, skills=[python], duration_minutes=600)
    add_course(personas, "Public speaking", format=Course.Format.CLASSROOM)
    page = client_for(personas.alice).get(BROWSE)
    assert page.status_code == 200
    assert "Python basics" in page.text and "Public speaking" in page.text
    skill = next(f for f in page.context["facets"] if f["name"] == "skill")
    assert [(o["label"], o["count"]) for o in skill["options"]] == [("Python", 2)]
    formats = next(f for f in page.context["facets"] if f["name"] == "format")
    assert {o["value"]: o["count"] for o in formats["options"]} == {"classroom": 2, "elearning": 1}


def test_a_facet_narrows_the_courses_and_keeps_its_other_choices_counted(personas, client_for):
    add_course(personas, "Python basics", format=Course.Format.ELEARNING)
    add_course(personas, "Public speaking", format=Course.Format.CLASSROOM)
    page = client_for(personas.alice).get(BROWSE, {"format": "classroom"})
    assert [item.title for item in page.context["page"].rows] == ["Public speaking"]
    formats = next(f for f in page.context["facets"] if f["name"] == "format")
    assert {o["value"]: (o["count"], o["checked"]) for o in formats["options"]} == {
        "classroom": (1, True),
        "elearning": (1, False),
    }


def test_a_chosen_skill_stays_among_the_skill_choices_however_rare(personas, client_for, monkeypatch):
    monkeypatch.setattr("catalog.views.SKILL_FACET_SIZE", 1)
    common, rare = SkillFactory(name="Common", slug="common"), SkillFactory(name="Rare", slug="rare")
    add_course(personas, "One", skills=[common])
    add_course(personas, "Two", skills=[common, rare])
    page = client_for(personas.alice).get(BROWSE, {"skill": "rare"})
    skill = next(f for f in page.context["facets"] if f["name"] == "skill")
    assert [(o["label"], o["checked"]) for o in skill["options"]] == [("Rare", True)]
    assert [i.title for i in page.context["page"].rows] == ["Two"]


def test_it_filters_by_duration_language_and_upcoming_sessions(personas, client_for, make_session):
    short = add_course(personas, "Short one", duration_minutes=30, language="de")
    add_course(personas, "Long one", duration_minutes=900, language="de")
    add_course(personas, "English one", duration_minutes=30)
    make_session(short)
    client = client_for(personas.alice)
    titles = lambda params: [i.title for i in client.get(BROWSE, params).context["page"].rows]  # noqa: E731
    assert titles({"duration": "short", "language": "de"}) == ["Short one"]
    assert titles({"upcoming": "on"}) == ["Short one"]
    assert client.get(BROWSE).context["upcoming_count"] == 1


def test_it_filters_by_minimum_rating_and_sorts_by_rating(personas, client_for):
    good = add_course(personas, "Good course")
    poor = add_course(personas, "Poor course")
    add_course(personas, "Unrated course")
    rate_item(item=good.item, author=personas.alice, rating=5)
    rate_item(item=poor.item, author=personas.alice, rating=2)
    client = client_for(personas.mo)
    assert [i.title for i in client.get(BROWSE, {"rating": "4"}).context["page"].rows] == ["Good course"]
    rows = client.get(BROWSE, {"sort": "rating"}).context["page"].rows
    assert [i.title for i in rows] == ["Good course", "Unrated course", "Poor course"]


def test_it_sorts_by_popularity(personas, client_for):
    quiet = add_course(personas, "Quiet course", format=Course.Format.ELEARNING)
    busy = add_course(personas, "Busy course", format=Course.Format.ELEARNING)
    services.enrol(person=personas.alice, course=busy)
    services.enrol(person=personas.mo, course=busy)
    services.enrol(person=personas.mo, course=quiet)
    rows = client_for(personas.alice).get(BROWSE, {"sort": "popularity"}).context["page"].rows
    assert [i.title for i in rows] == ["Busy course", "Quiet course"]


def test_a_search_puts_title_matches_before_summary_matches(personas, client_for):
    add_course(personas, "Leading teams", summary="For new managers who coach.")
    add_course(personas, "Coaching conversations")
    add_course(personas, "Spreadsheets")
    rows = client_for(personas.alice).get(BROWSE, {"q": "coach"}).context["page"].rows
    assert [i.title for i in rows] == ["Coaching conversations", "Leading teams"]


def test_an_htmx_request_gets_only_the_results(personas, client_for):
    add_course(personas, "Python basics")
    page = client_for(personas.alice).get(BROWSE, headers={"HX-Request": "true"})
    assert "Python basics" in page.text and "<html" not in page.text


def test_bad_filters_are_refused_with_a_message(personas, client_for):
    page = client_for(personas.alice).get(BROWSE, {"format": "hologram", "language": "Not a code!"})
    assert page.status_code == 400
    assert "Select a valid choice" in page.text and "Language" in page.text


def test_guests_see_only_the_courses_of_their_spaces(personas, client_for):
    add_course(personas, "Team course", space=personas.team, visibility=Visibility.SPACE)
    add_course(personas, "Organisation course")
    add_course(personas, "Elsewhere course", space=personas.elsewhere, visibility=Visibility.SPACE)
    titles = {i.title for i in client_for(personas.gus).get(BROWSE).context["page"].rows}
    assert titles == {"Team course"}


def test_members_do_not_see_courses_of_other_spaces(personas, client_for):
    add_course(personas, "Elsewhere course", space=personas.elsewhere, visibility=Visibility.SPACE)
    add_course(personas, "Organisation course")
    page = client_for(personas.alice).get(BROWSE)
    assert "Organisation course" in page.text and "Elsewhere course" not in page.text


def test_browse_asks_visitors_to_sign_in(client):
    assert client.get(BROWSE).status_code == 302


# --- calendar feed ---------------------------------------------------------------------------------


def test_the_feed_address_serves_the_persons_sessions_without_signing_in(personas, course, make_session, client):
    session = make_session(course)
    services.enrol(person=personas.alice, session=session)
    _, token = services.create_calendar_feed(person=personas.alice)
    response = client.get(feed_url(token))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [session.ics_uid]


@pytest.mark.parametrize("token", ["unknown", "x" * 150])
def test_an_unknown_feed_token_is_not_found(db, client, token):
    assert client.get(feed_url(token)).status_code == 404


def test_a_revoked_feed_is_not_found(personas, client):
    feed, token = services.create_calendar_feed(person=personas.alice)
    services.revoke_calendar_feed(actor=personas.alice, feed=feed)
    assert client.get(feed_url(token)).status_code == 404


def test_making_a_feed_shows_its_address_once(personas, client_for):
    client = client_for(personas.alice)
    made = client.post(CALENDAR, {"action": "create"})
    assert made.status_code == 200
    url = made.context["feed_url"]
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert services.feed_for_token(token).person == personas.alice
    assert "Subscribe from web" in made.text and "From URL" in made.text
    assert url not in client.get(CALENDAR).text


def test_a_new_address_stops_the_old_one(personas, client_for, client):
    _, old = services.create_calendar_feed(person=personas.alice)
    client_for(personas.alice).post(CALENDAR, {"action": "create"})
    assert client.get(feed_url(old)).status_code == 404
    assert CalendarFeed.objects.filter(person=personas.alice, revoked_at__isnull=True).count() == 1


def test_turning_the_feed_off_revokes_it(personas, client_for):
    services.create_calendar_feed(person=personas.alice)
    response = client_for(personas.alice).post(CALENDAR, {"action": "revoke"})
    assert response.status_code == 302
    assert not CalendarFeed.objects.filter(person=personas.alice, revoked_at__isnull=True).exists()


def test_turning_off_a_feed_that_does_not_exist_is_refused(personas, client_for):
    response = client_for(personas.alice).post(CALENDAR, {"action": "revoke"})
    assert response.status_code == 400 and "no feed to turn off" in response.text


def test_an_unknown_feed_action_is_refused(personas, client_for):
    assert client_for(personas.alice).post(CALENDAR, {"action": "explode"}).status_code == 400


def test_the_feed_settings_ask_visitors_to_sign_in(client):
    assert client.get(CALENDAR).status_code == 302


# --- completions on the profile ----------------------------------------------------------------------


def complete(personas, course, person):
    services.record_completion(actor=personas.ada, course=course, person=person)


def test_the_profile_lists_completed_courses(personas, client_for):
    course = add_course(personas, "Negotiation")
    complete(personas, course, personas.alice)
    page = client_for(personas.mo).get(personas.alice.get_absolute_url())
    assert "Completed courses" in page.text and "Negotiation" in page.text


def test_the_profile_hides_completions_of_courses_the_viewer_cannot_see(personas, client_for):
    course = add_course(personas, "Team secret course", space=personas.team, visibility=Visibility.SPACE)
    complete(personas, course, personas.mo)
    assert "Team secret course" in client_for(personas.alice).get(personas.mo.get_absolute_url()).text
    outsider_view = client_for(personas.lee).get(personas.mo.get_absolute_url())
    assert outsider_view.status_code == 200 and "Team secret course" not in outsider_view.text
