import zoneinfo
from datetime import datetime, timedelta

from django.core import mail
from django.urls import reverse

from catalog import services
from catalog.models import Course, Enrolment, Session

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
SINGAPORE = zoneinfo.ZoneInfo("Asia/Singapore")


def add_url(course):
    return reverse("catalog:curate-session-add", args=[course.pk])


def edit_url(session):
    return reverse("catalog:curate-session-edit", args=[session.course_id, session.pk])


def cancel_url(session):
    return reverse("catalog:curate-session-cancel", args=[session.course_id, session.pk])


def times(**overrides):
    data = {
        "starts": "2031-06-02T09:00",
        "ends": "2031-06-02T12:30",
        "time_zone": "Europe/Berlin",
        "place": "Room 4",
        "online_url": "",
        "capacity": "12",
    }
    data.update(overrides)
    return data


def test_a_session_is_added_at_the_time_on_the_clock_of_the_zone_chosen(personas, client_for, course):
    personas.lee.time_zone = "America/New_York"  # the curator's own zone does not move the session
    personas.lee.save()
    response = client_for(personas.lee).post(add_url(course), times())
    assert response.status_code == 302
    session = Session.objects.get()
    assert session.starts == datetime(2031, 6, 2, 9, 0, tzinfo=BERLIN)
    assert session.ends == datetime(2031, 6, 2, 12, 30, tzinfo=BERLIN)
    assert (session.time_zone, session.place, session.capacity) == ("Europe/Berlin", "Room 4", 12)


def test_the_edit_form_shows_the_session_back_in_its_own_zone(personas, client_for, course):
    personas.lee.time_zone = "America/New_York"
    personas.lee.save()
    start = datetime(2031, 6, 2, 9, 0, tzinfo=SINGAPORE)
    session = services.add_session(
        actor=personas.lee, course=course, starts=start, ends=start + timedelta(hours=2), time_zone="Asia/Singapore"
    )
    page = client_for(personas.lee).get(edit_url(session))
    assert page.status_code == 200
    assert 'value="2031-06-02T09:00"' in page.text and 'value="2031-06-02T11:00"' in page.text
    assert '<option value="Asia/Singapore" selected>' in page.text


def test_the_new_session_form_starts_in_the_curators_own_zone(personas, client_for, course):
    personas.lee.time_zone = "Asia/Singapore"
    personas.lee.save()
    assert client_for(personas.lee).get(add_url(course)).context["form"]["time_zone"].value() == "Asia/Singapore"


def test_a_time_the_clocks_skip_is_refused_on_its_field(personas, client_for, course):
    response = client_for(personas.lee).post(add_url(course), times(starts="2031-03-30T02:30", ends="2031-03-30T04:00"))
    assert response.status_code == 400
    assert "does not exist in Europe/Berlin" in response.context["form"].errors["starts"][0]
    assert not Session.objects.exists()


def test_a_session_ending_before_it_starts_is_refused_and_what_was_typed_stays(personas, client_for, course):
    response = client_for(personas.lee).post(add_url(course), times(ends="2031-06-02T08:00", place="Hall B"))
    assert response.status_code == 400
    assert response.context["form"].errors["ends"] == ["The session must end after it starts."]
    assert 'value="Hall B"' in response.text and 'value="2031-06-02T08:00"' in response.text


def test_bad_dates_links_and_zones_are_refused(personas, client_for, course):
    data = times(starts="next tuesday", online_url="javascript:alert(1)", time_zone="Mars/Olympus", capacity="0")
    response = client_for(personas.lee).post(add_url(course), data)
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"starts", "online_url", "time_zone", "capacity"}


def test_a_self_paced_course_takes_no_sessions(personas, client_for):
    book = services.create_course(actor=personas.lee, title="Reading", format=Course.Format.BOOK)
    client = client_for(personas.lee)
    assert "taken at one's own pace" in client.get(add_url(book)).text
    response = client.post(add_url(book), times())
    assert response.status_code == 400 and "no sessions" in response.text
    assert not Session.objects.exists()


def test_moving_a_session_sends_its_people_an_updated_invite(
    personas, client_for, course, make_session, django_capture_on_commit_callbacks
):
    session = make_session(course)
    services.enrol(person=personas.alice, session=session)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(personas.lee).post(
            edit_url(session), times(starts="2031-06-03T10:00", ends="2031-06-03T12:00", capacity="")
        )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.starts == datetime(2031, 6, 3, 10, 0, tzinfo=BERLIN) and session.capacity is None
    assert session.sequence == 1
    (invite,) = mail.outbox
    assert invite.to == ["alice@example.com"] and "METHOD:REQUEST" in invite.attachments[0][1]


def test_a_capacity_below_the_seats_taken_is_refused_with_the_services_reason(
    personas, client_for, course, make_session
):
    session = make_session(course)
    services.enrol(person=personas.alice, session=session)
    services.enrol(person=personas.mo, session=session)
    local = session.starts.astimezone(BERLIN)
    data = times(starts=f"{local:%Y-%m-%dT%H:%M}", ends=f"{local + timedelta(hours=3):%Y-%m-%dT%H:%M}", capacity="1")
    response = client_for(personas.lee).post(edit_url(session), data)
    assert response.status_code == 400
    assert "2 people already hold seats" in response.text


def test_cancelling_asks_first_then_sends_each_seat_holder_a_cancellation(
    personas, client_for, course, make_session, django_capture_on_commit_callbacks
):
    session = make_session(course)
    services.enrol(person=personas.alice, session=session)
    client = client_for(personas.lee)
    page = client.get(cancel_url(session))
    assert page.status_code == 200 and "1 person holds a seat" in page.text
    assert not Session.objects.get().cancelled
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(cancel_url(session))
    assert response.status_code == 302
    assert Session.objects.get().cancelled
    assert Enrolment.objects.get().state == Enrolment.State.ENROLLED  # stays on record
    (cancellation,) = mail.outbox
    assert "METHOD:CANCEL" in cancellation.attachments[0][1]


def test_a_cancelled_session_cannot_be_edited(personas, client_for, course, make_session):
    session = make_session(course)
    services.cancel_session(actor=personas.lee, session=session)
    client = client_for(personas.lee)
    assert "it cannot be changed" in client.get(edit_url(session)).text
    response = client.post(edit_url(session), times())
    assert response.status_code == 400 and "This session was cancelled" in response.text


def test_a_session_of_another_course_is_not_found(personas, client_for, course, make_session):
    other = services.create_course(actor=personas.lee, title="Other")
    session = make_session(other)
    url = reverse("catalog:curate-session-edit", args=[course.pk, session.pk])
    assert client_for(personas.lee).get(url).status_code == 404


def test_learners_cannot_manage_sessions(personas, client_for, course, make_session):
    session = make_session(course)
    client = client_for(personas.alice)
    assert client.get(add_url(course)).status_code == 403
    assert client.post(cancel_url(session)).status_code == 403
    assert not Session.objects.get().cancelled


def test_the_manage_page_lists_sessions_at_their_own_clock_time(personas, client_for, course):
    start = datetime(2031, 6, 2, 9, 0, tzinfo=SINGAPORE)
    services.add_session(
        actor=personas.lee, course=course, starts=start, ends=start + timedelta(hours=2), time_zone="Asia/Singapore"
    )
    page = client_for(personas.lee).get(reverse("catalog:curate-course", args=[course.pk]))
    assert "Mon 2 Jun 2031, 09:00–11:00" in page.text and "Asia/Singapore" in page.text
