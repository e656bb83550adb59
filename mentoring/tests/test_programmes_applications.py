"""Applying to a programme: what is prefilled from the profile, what is checked, who may apply, withdrawing, and
the application form."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import Activity
from mentoring import services
from mentoring.models import Application, Match, Programme
from mentoring.tests.programme_helpers import mentee, mentor, new_programme, person, skills, teaches, wants


@pytest.fixture
def taxonomy(db):
    return skills()


def test_a_mentor_application_starts_from_the_skills_they_can_teach(personas, taxonomy):
    programme = new_programme(personas.lee)
    mo = personas.mo
    mo.time_zone, mo.languages = "Asia/Tokyo", ["ja", "en"]
    mo.save()
    teaches(mo, taxonomy["python"], level=4)
    wants(mo, taxonomy["speaking"])
    application = services.apply(programme=programme, person=mo, side="mentor")
    assert application.time_zone == "Asia/Tokyo" and application.languages == ["ja", "en"]
    assert [(s.skill, s.level) for s in application.skills.all()] == [(taxonomy["python"], 4)]
    assert application.capacity == programme.default_capacity


def test_a_mentee_application_starts_from_the_skills_they_want(personas, taxonomy):
    programme = new_programme(personas.lee)
    alice = personas.alice
    alice.languages = ["en"]
    alice.save()
    wants(alice, taxonomy["speaking"])
    teaches(alice, taxonomy["python"])
    application = services.apply(programme=programme, person=alice, side="mentee")
    assert [s.skill for s in application.skills.all()] == [taxonomy["speaking"]]
    assert application.availability == [[day, 540, 1020] for day in range(5)]


def test_a_second_application_starts_from_the_first(personas):
    first, second = new_programme(personas.lee, title="One"), new_programme(personas.lee, title="Two")
    mentee(first, personas.alice, languages=["en"], availability=[[2, 600, 720]], formats=["chat"], goals="SQL")
    again = services.application_defaults(programme=second, person=personas.alice, side="mentee")
    assert again["availability"] == [[2, 600, 720]] and again["formats"] == ["chat"] and again["goals"] == "SQL"


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"time_zone": "Mars/Olympus"}, "time_zone", "is not a time zone"),
        ({"availability": [[0, 600, 540]]}, "availability", "must start before it ends"),
        ({"availability": [[7, 60, 120]]}, "availability", "0 (Monday) to 6 (Sunday)"),
        ({"availability": [[1, 60, 180], [1, 120, 240]]}, "availability", "overlap"),
        ({"availability": [[1, "nine", 600]]}, "availability", "three whole numbers"),
        ({"languages": []}, "languages", "at least one language"),
        ({"languages": ["klingon"]}, "languages", "Not a language code: klingon"),
        ({"formats": ["telepathy"]}, "formats", "Not a way of meeting: telepathy"),
        ({"capacity": 9}, "capacity", "between 1 and 5"),
        ({"skills": [(987654, 2)]}, "skills", "No skill has the id 987654"),
        ({"skills": [(1, 7)]}, "skills", "the level is 1 (beginner) to 4 (expert)"),
        ({"answers": {"nope": "x"}}, "answers", "no question with the key nope"),
    ],
)
def test_it_names_what_is_wrong_with_an_application(personas, data, field, words):
    programme = new_programme(personas.lee)
    with pytest.raises(ValidationError) as refused:
        services.apply(programme=programme, person=personas.mo, side="mentor", **{"languages": ["en"], **data})
    assert words in " ".join(refused.value.message_dict[field])
    assert not Application.objects.exists()


def test_applying_twice_on_one_side_is_refused_but_a_withdrawn_application_opens_again(personas):
    programme = new_programme(personas.lee)
    first = mentee(programme, personas.alice, languages=["en"])
    with pytest.raises(ValidationError):
        mentee(programme, personas.alice, languages=["en"])
    services.withdraw(actor=personas.alice, application=first)
    again = mentee(programme, personas.alice, languages=["fr"])
    assert again.pk == first.pk and again.state == Application.State.OPEN and again.languages == ["fr"]


def test_a_programme_limited_to_roles_refuses_other_roles(personas):
    programme = new_programme(personas.lee, mentor_audience=Programme.Audience.ROLES, mentor_roles=["curator"])
    with pytest.raises(PermissionDenied):
        mentor(programme, personas.alice, languages=["en"])
    assert mentor(programme, personas.lee, languages=["en"]).side == "mentor"


def test_the_programmes_curator_hears_of_each_application(personas):
    programme = new_programme(personas.lee)
    application = mentee(programme, personas.alice, languages=["en"])
    activity = Activity.objects.get(verb=Activity.Verb.APPLIED)
    assert activity.target == personas.lee and activity.item == programme.item
    assert activity.extra["url"] == f"/mentoring/curate/{programme.pk}/applications/"
    assert activity.extra["application"] == application.pk


def test_nobody_is_told_of_applications_to_the_open_programme(personas):
    mentee(services.get_or_create_open_programme(), personas.alice, languages=["en"])
    assert Activity.objects.get(verb=Activity.Verb.APPLIED).target is None


def test_only_the_applicant_changes_an_application(personas):
    application = mentee(new_programme(personas.lee), personas.alice, languages=["en"])
    with pytest.raises(PermissionDenied):
        services.update_application(actor=personas.lee, application=application, goals="Other")
    services.update_application(actor=personas.alice, application=application, goals="Learn SQL")
    application.refresh_from_db()
    assert application.goals == "Learn SQL"


def test_a_mentor_cannot_take_fewer_mentees_than_they_mentor_now(personas):
    from mentoring.pairs import start_pair

    programme = new_programme(personas.lee)
    offer = mentor(programme, personas.mo, languages=["en"], capacity=2)
    for name in ("bo", "cy"):
        match = Match.objects.create(programme=programme, mentor=personas.mo, mentee=person(name))
        start_pair(match)
    with pytest.raises(ValidationError) as refused:
        services.update_application(actor=personas.mo, application=offer, capacity=1)
    assert "You mentor 2 people" in refused.value.message_dict["capacity"][0]


def test_withdrawing_calls_off_the_requests_still_waiting(personas):
    programme = new_programme(personas.lee)
    mentee(programme, personas.alice, languages=["en"])
    offer = mentor(programme, personas.mo, languages=["en"])
    waiting = Match.objects.create(programme=programme, mentor=personas.mo, mentee=personas.alice)
    services.withdraw(actor=personas.mo, application=offer)
    waiting.refresh_from_db()
    assert waiting.state == Match.State.DECLINED and waiting.declined_by == personas.mo
    assert Activity.objects.filter(verb=Activity.Verb.MATCH_DECLINED, target=personas.alice).exists()


def test_an_ended_programme_takes_no_applications(personas):
    from datetime import date

    programme = new_programme(personas.lee, starts=date(2020, 1, 1), ends=date(2020, 6, 30))
    with pytest.raises(ValidationError, match="ended on 30 June 2020"):
        mentee(programme, personas.alice, languages=["en"])


# --- the form ------------------------------------------------------------------------------------------------------


def _posted(**overrides):
    data = {
        "goals": "Present data to leaders",
        "time_zone": "Europe/Lisbon",
        "languages": "en, pt",
        "formats": ["video", "chat"],
        "seniority": "2",
        "site_preference": "any",
        "wants_more_senior": "on",
        "skill": ["Public speaking", ""],
        "skill_level": ["1", "2"],
        "slot": ["0-9", "0-10", "2-14"],
    }
    data.update(overrides)
    return data


def test_the_form_shows_the_hours_prefilled_from_the_profile(personas, client_for, taxonomy):
    programme = new_programme(personas.lee)
    wants(personas.alice, taxonomy["speaking"])
    page = client_for(personas.alice).get(f"/mentoring/programmes/{programme.pk}/apply/mentee/")
    content = page.content.decode()
    assert page.status_code == 200
    assert 'value="0-9" aria-label="Mon 09:00" checked' in content
    assert 'value="5-9" aria-label="Sat 09:00" >' in content  # weekends are not prefilled
    assert 'value="Public speaking"' in content


def test_applying_as_a_mentee_leads_to_the_suggested_mentors(personas, client_for, taxonomy):
    programme = new_programme(personas.lee)
    response = client_for(personas.alice).post(f"/mentoring/programmes/{programme.pk}/apply/mentee/", _posted())
    application = Application.objects.get(person=personas.alice)
    assert (
        response.status_code == 302 and response["Location"] == f"/mentoring/applications/{application.pk}/suggestions/"
    )
    assert application.availability == [[0, 540, 660], [2, 840, 900]]
    assert application.languages == ["en", "pt"] and application.time_zone == "Europe/Lisbon"
    assert [(s.skill.name, s.level) for s in application.skills.all()] == [("Public speaking", 1)]


def test_the_form_keeps_what_was_typed_when_it_refuses_it(personas, client_for, taxonomy):
    programme = new_programme(personas.lee)
    response = client_for(personas.alice).post(
        f"/mentoring/programmes/{programme.pk}/apply/mentee/",
        _posted(skill=["Juggling"], goals="Keep this text", slot=[]),
    )
    content = response.content.decode()
    assert response.status_code == 400
    assert "Not in the skills taxonomy: Juggling" in content and "Tick at least one hour" in content
    assert "Keep this text" in content and 'value="Juggling"' in content
    assert not Application.objects.exists()


def test_the_form_asks_the_programmes_own_questions(personas, client_for, taxonomy):
    programme = new_programme(
        personas.lee,
        questions=[{"label": "Which team are you in?", "side": "mentee"}, {"label": "Why mentor?", "side": "mentor"}],
    )
    client = client_for(personas.alice)
    content = client.get(f"/mentoring/programmes/{programme.pk}/apply/mentee/").content.decode()
    assert "Which team are you in?" in content and "Why mentor?" not in content
    key = programme.questions[0]["key"]
    client.post(f"/mentoring/programmes/{programme.pk}/apply/mentee/", _posted(**{f"answer_{key}": "Finance"}))
    assert Application.objects.get().answers == {key: "Finance"}


def test_a_mentor_sets_how_many_mentees_they_take(personas, client_for, taxonomy):
    programme = new_programme(personas.lee, max_capacity=3)
    client = client_for(personas.mo)
    refused = client.post(f"/mentoring/programmes/{programme.pk}/apply/mentor/", _posted(capacity="4"))
    assert refused.status_code == 400 and "less than or equal to 3" in refused.content.decode()
    client.post(f"/mentoring/programmes/{programme.pk}/apply/mentor/", _posted(capacity="3"))
    assert Application.objects.get(side="mentor").capacity == 3


def test_someone_who_applied_is_sent_to_their_application(personas, client_for):
    programme = new_programme(personas.lee)
    application = mentee(programme, personas.alice, languages=["en"])
    response = client_for(personas.alice).get(f"/mentoring/programmes/{programme.pk}/apply/mentee/")
    assert response["Location"] == f"/mentoring/applications/{application.pk}/"


def test_a_changed_application_is_saved(personas, client_for, taxonomy):
    application = mentee(new_programme(personas.lee), personas.alice, languages=["en"])
    response = client_for(personas.alice).post(f"/mentoring/applications/{application.pk}/", _posted(goals="SQL"))
    application.refresh_from_db()
    assert response.status_code == 302 and application.goals == "SQL"


def test_the_withdraw_button_withdraws(personas, client_for):
    application = mentee(new_programme(personas.lee), personas.alice, languages=["en"])
    client_for(personas.alice).post(f"/mentoring/applications/{application.pk}/withdraw/")
    application.refresh_from_db()
    assert application.state == Application.State.WITHDRAWN
