"""The curators' pages: their programmes, making and changing one, its applications, a bulk match from preview to
publishing, and the dashboard's figures."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import Activity
from mentoring import queries, runs, services
from mentoring.models import Application, CheckIn, Closing, Match, MatchRun, Meeting, Programme
from mentoring.pairs import start_pair
from mentoring.tests.programme_helpers import mentee, mentor, new_programme, person, skills


@pytest.fixture
def cohort(personas):
    """Lee's programme with three mentees and two mentors (one speaking only Japanese, so one mentee is left)."""
    taxonomy = skills()
    programme = new_programme(personas.lee, title="Analysts")
    python = taxonomy["python"]
    return {
        "programme": programme,
        "mentees": [
            mentee(programme, person(name), skills=[python], languages=languages)
            for name, languages in (("ann", ["en"]), ("ben", ["en"]), ("kai", ["de"]))
        ],
        "mentors": [
            mentor(programme, person("max"), skills=[python], languages=["en"], capacity=1),
            mentor(programme, person("sol"), skills=[python], languages=["en"], capacity=1),
        ],
    }


# --- who gets in ---------------------------------------------------------------------------------------------------


def test_the_curators_page_is_for_curators(personas, client_for):
    new_programme(personas.lee, title="Analysts")
    assert client_for(personas.alice).get("/mentoring/curate/").status_code == 404
    page = client_for(personas.lee).get("/mentoring/curate/")
    assert page.status_code == 200 and "Analysts" in page.content.decode()


def test_a_programmes_pages_are_for_those_who_run_it(personas, client_for):
    programme = new_programme(personas.lee)
    for path in ("", "edit/", "applications/"):
        assert client_for(personas.alice).get(f"/mentoring/curate/{programme.pk}/{path}").status_code == 404
        assert client_for(personas.lee).get(f"/mentoring/curate/{programme.pk}/{path}").status_code == 200
        assert client_for(personas.ada).get(f"/mentoring/curate/{programme.pk}/{path}").status_code == 200


def test_curators_see_only_the_programmes_they_run(personas, client_for):
    from people.models import User

    other = User.objects.create(username="cleo", role=User.Role.CURATOR)
    new_programme(other, title="Cleo's circle")
    new_programme(personas.lee, title="Analysts")
    content = client_for(personas.lee).get("/mentoring/curate/").content.decode()
    assert "Analysts" in content and "Cleo&#x27;s circle" not in content


# --- the programme form --------------------------------------------------------------------------------------------


def _form(**overrides):
    data = {
        "title": "Engineers mentoring",
        "summary": "Senior engineers with new joiners",
        "purpose": "Faster onboarding",
        "visibility": "organisation",
        "mentor_audience": "everyone",
        "mentee_audience": "everyone",
        "mode": "both",
        "default_capacity": "2",
        "max_capacity": "4",
        "length_weeks": "12",
        "checkin_every_days": "14",
        "at_risk_after_days": "30",
        "weight_skills": "6",
        "weight_goals": "2",
        "weight_hours": "1",
        "weight_format": "1",
        "weight_seniority": "0",
        "weight_site": "1",
        "question_label_0": "What do you hope to learn?",
        "question_side_0": "mentee",
        "question_label_1": "",
        "question_side_1": "both",
        "part_title_0": "Goals",
        "part_guidance_0": "Two or three goals",
        "part_title_1": "Confidentiality",
        "part_guidance_1": "",
        "guidance": "Meet **every two weeks**.",
    }
    data.update(overrides)
    return data


def test_a_curator_makes_a_programme_from_the_form(personas, client_for):
    response = client_for(personas.lee).post("/mentoring/curate/new/", _form())
    programme = Programme.objects.get()
    assert response.status_code == 302 and response["Location"] == programme.get_absolute_url()
    assert programme.item.title == "Engineers mentoring" and programme.max_capacity == 4
    assert programme.criterion_weights["skills"] == 6 and programme.criterion_weights["seniority"] == 0
    assert [q["label"] for q in programme.questions] == ["What do you hope to learn?"]
    assert [p["title"] for p in programme.agreement_template] == ["Goals", "Confidentiality"]


def test_the_programme_form_shows_the_default_weights(personas, client_for):
    content = client_for(personas.lee).get("/mentoring/curate/new/").content.decode()
    assert 'name="weight_skills"' in content and 'value="4.0"' in content
    assert "Default 4." in content


def test_the_programme_form_keeps_what_was_typed_when_it_refuses_it(personas, client_for):
    response = client_for(personas.lee).post(
        "/mentoring/curate/new/", _form(default_capacity="5", max_capacity="3", purpose="Keep me")
    )
    content = response.content.decode()
    assert response.status_code == 400 and "cannot be above the most" in content and "Keep me" in content
    assert not Programme.objects.exists()


def test_an_invitation_only_programme_from_the_form_is_shared_with_the_people_invited(personas, client_for):
    client_for(personas.lee).post(
        "/mentoring/curate/new/",
        _form(visibility="people", mentee_audience="invited", invited_mentees="alice", mentor_audience="invited",
              invited_mentors="mo"),
    )  # fmt: skip
    programme = Programme.objects.get()
    assert set(programme.item.shared_with.all()) == {personas.alice, personas.mo}


def test_editing_keeps_question_keys_so_answers_stay_with_their_question(personas, client_for):
    programme = new_programme(personas.lee, questions=[{"key": "team", "label": "Your team?", "side": "mentee"}])
    client_for(personas.lee).post(
        f"/mentoring/curate/{programme.pk}/edit/",
        _form(question_label_0="Which team are you in?", question_side_0="mentee", question_label_1=""),
    )
    programme.refresh_from_db()
    assert programme.questions == [{"key": "team", "label": "Which team are you in?", "side": "mentee"}]


# --- applications --------------------------------------------------------------------------------------------------


def test_the_applications_page_lists_both_sides(cohort, personas, client_for):
    content = client_for(personas.lee).get(f"/mentoring/curate/{cohort['programme'].pk}/applications/").content.decode()
    for name in ("Ann", "Ben", "Kai", "Max", "Sol"):
        assert name in content


def test_the_applications_page_costs_the_same_queries_however_many_apply(
    cohort, personas, client_for, django_assert_max_num_queries, no_page_cache
):
    client = client_for(personas.lee)
    url = f"/mentoring/curate/{cohort['programme'].pk}/applications/"
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for n in range(6):
        mentee(cohort["programme"], person(f"more{n}"), languages=["en"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


# --- a bulk match --------------------------------------------------------------------------------------------------


def test_starting_a_run_shows_its_preview(cohort, personas, client_for):
    client = client_for(personas.lee)
    response = client.post(f"/mentoring/curate/{cohort['programme'].pk}/runs/")
    run = MatchRun.objects.get()
    assert response["Location"] == f"/mentoring/curate/{cohort['programme'].pk}/runs/{run.pk}/"
    content = client.get(response["Location"]).content.decode()
    assert "Preview — nobody has been told yet" in content
    assert "mt-hist-fill" in content  # the score distribution
    assert "Kai" in content and "No mentor speaks German" in content  # the reason, in words
    assert "By site" in content and "By department" in content and "By seniority" in content
    assert not Activity.objects.filter(verb=Activity.Verb.MATCHED).exists()


def test_the_preview_costs_the_same_queries_however_many_pairs(
    cohort, personas, client_for, django_assert_max_num_queries, no_page_cache
):
    programme = cohort["programme"]
    run = runs.start_run(programme, by=personas.lee)
    client = client_for(personas.lee)
    url = f"/mentoring/curate/{programme.pk}/runs/{run.pk}/"
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for n in range(5):
        mentee(programme, person(f"me{n}"), languages=["en"])
        mentor(programme, person(f"mr{n}"), languages=["en"], capacity=1)
    bigger = runs.start_run(programme, by=personas.lee)
    assert bigger.matches.count() > run.matches.count()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(f"/mentoring/curate/{programme.pk}/runs/{bigger.pk}/")


def test_a_curator_pairs_an_unmatched_mentee_by_hand(cohort, personas, client_for):
    programme = cohort["programme"]
    Application.objects.filter(pk=cohort["mentors"][1].pk).update(capacity=2)
    run = runs.start_run(programme, by=personas.lee)
    ann = cohort["mentees"][0]
    drafted = run.matches.get(mentee=ann.person)
    other = next(m for m in cohort["mentors"] if m.person_id != drafted.mentor_id)
    response = client_for(personas.lee).post(
        f"/mentoring/curate/{programme.pk}/runs/{run.pk}/pair/",
        {"mentee": ann.pk, "mentor_username": other.person.username},
    )
    assert response.status_code == 302
    assert run.matches.get(mentee=ann.person).mentor_id == other.person_id
    assert run.matches.get(mentee=ann.person).origin == Match.Origin.HAND


def test_a_hand_pair_that_breaks_a_rule_is_refused_with_the_reason(cohort, personas, client_for):
    programme = cohort["programme"]
    Application.objects.filter(side="mentor").update(capacity=3)  # room left: only the language stands in the way
    run = runs.start_run(programme, by=personas.lee)
    kai = cohort["mentees"][2]
    response = client_for(personas.lee).post(
        f"/mentoring/curate/{programme.pk}/runs/{run.pk}/pair/",
        {"mentee": kai.pk, "mentor_username": cohort["mentors"][0].person.username},
        follow=True,
    )
    assert "These two cannot be paired" in response.content.decode()
    assert not run.matches.filter(mentee=kai.person).exists()


def test_publishing_starts_every_pair_and_tells_both_people(cohort, personas, client_for):
    programme = cohort["programme"]
    run = runs.start_run(programme, by=personas.lee)
    response = client_for(personas.lee).post(f"/mentoring/curate/{programme.pk}/runs/{run.pk}/publish/")
    assert response["Location"] == f"/mentoring/curate/{programme.pk}/"
    assert Match.objects.filter(programme=programme, state=Match.State.ACTIVE).count() == 2
    assert Activity.objects.filter(verb=Activity.Verb.MATCHED).count() == 4


def test_discarding_a_preview_tells_nobody(cohort, personas, client_for):
    programme = cohort["programme"]
    run = runs.start_run(programme, by=personas.lee)
    client_for(personas.lee).post(f"/mentoring/curate/{programme.pk}/runs/{run.pk}/discard/")
    run.refresh_from_db()
    assert run.state == MatchRun.State.DISCARDED and not Match.objects.exists()


def test_someone_who_does_not_run_the_programme_cannot_run_its_matching(cohort, personas, client_for):
    programme = cohort["programme"]
    assert client_for(personas.mo).post(f"/mentoring/curate/{programme.pk}/runs/").status_code == 404
    assert not MatchRun.objects.exists()


# --- the dashboard -------------------------------------------------------------------------------------------------


def _pair(programme, mentor_person, mentee_person, *, started_days_ago=30):
    match = Match.objects.create(programme=programme, mentor=mentor_person, mentee=mentee_person)
    return start_pair(match, now=timezone.now() - timedelta(days=started_days_ago))


def test_the_dashboard_counts_applications_pairs_meetings_checkins_and_completion(cohort, personas):
    programme = cohort["programme"]
    ann, ben, kai = (a.person for a in cohort["mentees"])
    max_, sol = (a.person for a in cohort["mentors"])
    active = _pair(programme, max_, ann)
    risky = _pair(programme, sol, ben)
    Match.objects.filter(pk=risky.pk).update(at_risk=True, at_risk_reason="No meeting for 6 weeks")
    Meeting.objects.create(match=active, starts=timezone.now() - timedelta(days=3), state=Meeting.State.HELD)
    Meeting.objects.create(match=active, starts=timezone.now() + timedelta(days=3))
    CheckIn.objects.filter(match=active).update(score=4, answered_at=timezone.now())
    CheckIn.objects.filter(match=risky, person=ben).update(score=1, answered_at=timezone.now())
    finished = _pair(programme, max_, kai, started_days_ago=400)
    Match.objects.filter(pk=finished.pk).update(state=Match.State.CLOSED, closed_at=timezone.now())
    early = _pair(programme, sol, person("dee"), started_days_ago=10)
    Match.objects.filter(pk=early.pk).update(state=Match.State.CLOSED, closed_at=timezone.now())
    Closing.objects.create(match=early, person=sol)
    board = queries.dashboard(programme)
    assert (board.mentees, board.mentors, board.mentor_places) == (3, 2, 2)
    assert board.mentees_matched == 3 and board.match_rate == 1
    assert (board.active, board.at_risk, board.closed, board.completed) == (2, 1, 2, 1)
    assert board.completion_rate == 0.5
    assert (board.meetings_held, board.meetings_planned) == (1, 1)
    assert board.checkins_answered == 3 and board.checkin_mean == pytest.approx(3) and board.checkins_low == 1
    assert [m.pk for m in board.pairs][0] == risky.pk  # at risk first


def test_the_dashboard_page_shows_how_pairs_are_doing_never_what_they_wrote(cohort, personas, client_for):
    programme = cohort["programme"]
    active = _pair(programme, cohort["mentors"][0].person, cohort["mentees"][0].person)
    Meeting.objects.create(
        match=active, starts=timezone.now(), state=Meeting.State.HELD, shared_notes="Secret plans for Q3"
    )
    content = client_for(personas.lee).get(f"/mentoring/curate/{programme.pk}/").content.decode()
    assert "pairs active" in content and "meetings held" in content
    assert "Secret plans for Q3" not in content


def test_the_dashboard_costs_the_same_queries_however_many_pairs(
    cohort, personas, client_for, django_assert_max_num_queries, no_page_cache
):
    programme = cohort["programme"]
    _pair(programme, cohort["mentors"][0].person, cohort["mentees"][0].person)
    client = client_for(personas.lee)
    url = f"/mentoring/curate/{programme.pk}/"
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for n in range(6):
        _pair(programme, person(f"r{n}"), person(f"e{n}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_curators_start_page_shows_each_programmes_figures(cohort, personas, client_for):
    _pair(cohort["programme"], cohort["mentors"][0].person, cohort["mentees"][0].person)
    row = queries.with_figures(queries.programmes_run_by(personas.lee)).get(pk=cohort["programme"].pk)
    assert (row.mentors, row.mentees, row.active, row.at_risk) == (2, 3, 1, 0)


def test_services_refuse_a_run_to_someone_who_does_not_run_the_programme(cohort, personas):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        runs.start_run(cohort["programme"], by=personas.alice)
    assert services.can_create_programme(personas.lee) and not services.can_create_programme(personas.alice)
