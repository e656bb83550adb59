from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog import queries, services
from catalog.models import Enrolment
from core.models import SiteConfig
from links.services import create_board, set_official
from tests.factories import SkillFactory
from wiki.services import create_page


def session_at(personas, course, **kwargs):
    starts = datetime(2031, 6, 2, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    return services.add_session(
        actor=personas.lee,
        course=course,
        starts=starts,
        ends=starts + timedelta(hours=2),
        time_zone="Europe/Berlin",
        **kwargs,
    )


def test_the_course_page_shows_session_times_in_the_viewers_time_zone(personas, course, client_for):
    session_at(personas, course)
    personas.alice.time_zone = "America/New_York"
    personas.alice.save()
    page = client_for(personas.alice).get(course.item.get_absolute_url())
    assert page.status_code == 200
    assert "Mon 2 Jun 2031, 03:00–05:00" in page.text and "planned in Berlin time" in page.text


def test_enrolling_and_withdrawing_from_the_course_page(personas, course, client_for):
    session = session_at(personas, course, capacity=1)
    client = client_for(personas.alice)
    url = course.item.get_absolute_url()
    assert client.post(url, {"action": "enrol", "session": session.pk}).status_code == 302
    enrolment = Enrolment.objects.get(person=personas.alice)
    assert enrolment.state == "enrolled"
    assert "Withdraw" in client.get(url).text
    client.post(url, {"action": "withdraw", "enrolment": enrolment.pk})
    assert Enrolment.objects.get(pk=enrolment.pk).state == "withdrawn"


def test_a_full_session_offers_the_waiting_list(personas, course, client_for):
    session = session_at(personas, course, capacity=1)
    services.enrol(person=personas.mo, session=session)
    assert "Join the waiting list" in client_for(personas.alice).get(course.item.get_absolute_url()).text


def test_bad_enrol_requests_answer_400_with_a_message(personas, course, client_for):
    response = client_for(personas.alice).post(course.item.get_absolute_url(), {"action": "enrol", "session": "nope"})
    assert response.status_code == 400 and "That session does not exist." in response.text


def test_anonymous_visitors_of_a_public_course_are_sent_to_sign_in_to_enrol(personas, course, client_for):
    config = SiteConfig.load()
    config.public_web = True
    config.save()
    course.item.visibility = "public"
    course.item.save()
    response = client_for(None).post(course.item.get_absolute_url(), {"action": "enrol"})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not Enrolment.objects.exists()


def test_a_course_outside_the_viewers_spaces_answers_404(personas, client_for):
    course = services.create_course(
        actor=personas.ada, title="Team only", format="classroom", space=personas.team, visibility="space"
    )
    assert client_for(personas.olly).get(course.item.get_absolute_url()).status_code == 404


# --- reporting a completion ------------------------------------------------------------------------


def test_an_enrolled_learner_reports_completing_the_course_and_sees_it_awaits_confirmation(
    personas, course, client_for
):
    session = session_at(personas, course)
    client = client_for(personas.alice)
    url = course.item.get_absolute_url()
    client.post(url, {"action": "enrol", "session": session.pk})
    assert "I completed this" in client.get(url).text
    evidence = {"action": "report", "evidence": "Took it in Berlin.", "evidence_url": "https://certs.example/a1"}
    assert client.post(url, evidence).status_code == 302
    enrolment = Enrolment.objects.get(person=personas.alice)
    assert enrolment.state == "completed" and enrolment.self_reported and not enrolment.verified_completion
    page = client.get(url).text
    assert "awaiting a curator's confirmation" in page and "https://certs.example/a1" in page


def test_a_report_with_a_bad_link_is_refused_and_keeps_what_was_typed(personas, course, client_for):
    services.enrol(person=personas.alice, session=session_at(personas, course))
    url = course.item.get_absolute_url()
    response = client_for(personas.alice).post(
        url, {"action": "report", "evidence": "Took it in Berlin.", "evidence_url": "certificate please"}
    )
    assert response.status_code == 400
    assert "is not a web address" in response.text and "not saved yet" in response.text
    assert "Took it in Berlin." in response.text and 'value="certificate please"' in response.text
    assert Enrolment.objects.get(person=personas.alice).state == "enrolled"


def test_a_report_without_any_evidence_is_refused(personas, course, client_for):
    services.enrol(person=personas.alice, session=session_at(personas, course))
    response = client_for(personas.alice).post(course.item.get_absolute_url(), {"action": "report"})
    assert response.status_code == 400 and "link to a certificate or other evidence" in response.text
    assert Enrolment.objects.get(person=personas.alice).state == "enrolled"


def test_a_confirmed_completion_names_the_curator_and_offers_no_more_reports(personas, course, client_for):
    services.enrol(person=personas.alice, session=session_at(personas, course))
    reported = services.self_report_completion(person=personas.alice, course=course, evidence="Done")
    services.confirm_completion(actor=personas.lee, enrolment=reported)
    page = client_for(personas.alice).get(course.item.get_absolute_url()).text
    assert "confirmed by Lee Curator" in page
    assert "I completed this" not in page and "Change your evidence" not in page


def test_only_people_enrolled_or_who_attended_are_offered_the_report(personas, course, client_for):
    session = session_at(personas, course, capacity=1)
    services.enrol(person=personas.mo, session=session)
    services.enrol(person=personas.alice, session=session)  # on the waiting list
    url = course.item.get_absolute_url()
    assert "I completed this" not in client_for(personas.alice).get(url).text
    assert "I completed this" not in client_for(personas.gus).get(url).text
    assert "I completed this" in client_for(personas.mo).get(url).text


def test_an_elearning_course_offers_a_start_button_once_enrolled(personas, client_for):
    course = services.create_course(
        actor=personas.lee, title="Git", format="elearning", launch_url="https://learn.example/git"
    )
    client = client_for(personas.alice)
    url = course.item.get_absolute_url()
    assert "https://learn.example/git" not in client.get(url).text
    client.post(url, {"action": "enrol"})
    page = client.get(url).text
    assert '<a class="btn btn-primary" href="https://learn.example/git" rel="noopener">Start</a>' in page


# --- related reading lists and wiki pages ------------------------------------------------------------


@pytest.fixture
def negotiation(personas, course):
    skill = SkillFactory(name="Negotiation")
    course.skills.set([skill])
    return skill


def _board(personas, title, *, owner=None, tags=(), official_for=None, **kwargs):
    board = create_board(owner=owner or personas.lee, title=title, tags=tags, **kwargs)
    if official_for is not None:
        set_official(board=board, actor=personas.lee, official=True, skill=official_for)
    return board


def test_the_course_page_lists_reading_lists_and_wiki_pages_about_its_skills(personas, course, negotiation, client_for):
    _board(personas, "Tagged list", tags=["negotiation"])
    _board(personas, "Official list", official_for=negotiation)
    _board(personas, "Cooking", tags=["cooking"])
    _board(personas, "Mo's private list", owner=personas.mo, tags=["negotiation"], visibility="private")
    create_page(author=personas.mo, title="Negotiating with suppliers", text="Hi", tags=["negotiation"])
    related = queries.related_to_course(personas.alice, [negotiation])
    assert [b.title for b in related["boards"]] == ["Official list", "Tagged list"]
    assert [p.title for p in related["pages"]] == ["Negotiating with suppliers"]
    page = client_for(personas.alice).get(course.item.get_absolute_url()).text
    assert "Official list" in page and "Negotiating with suppliers" in page
    assert "Cooking" not in page and "Mo&#x27;s private list" not in page


def test_a_course_without_related_content_shows_no_related_section(personas, course, negotiation, client_for):
    assert "Related" not in client_for(personas.alice).get(course.item.get_absolute_url()).text


def test_the_course_page_costs_the_same_queries_however_much_is_related(
    personas, course, negotiation, client_for, no_page_cache
):
    client = client_for(personas.alice)
    url = course.item.get_absolute_url()
    services.enrol(person=personas.alice, session=session_at(personas, course))

    def add(n):
        for i in range(n):
            _board(personas, f"List {i}", tags=["negotiation"])
            create_page(author=personas.mo, title=f"Page {i} {n}", text="Hi", tags=["negotiation"])

    add(1)
    client.get(url)  # the first request fills caches every page shares (site settings, the rating mean)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add(9)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert page.text.count("List ") == queries.RELATED_LIMIT and page.text.count(">Page ") == queries.RELATED_LIMIT
    assert len(many) == len(few) <= 15
