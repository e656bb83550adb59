from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from catalog import services
from catalog.models import Enrolment
from core.models import SiteConfig


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
    assert "Mon 2 Jun 2031, 03:00–05:00" in page.text and "planned in Europe/Berlin" in page.text


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
