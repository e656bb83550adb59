"""Self-service matching: a mentee's suggested mentors with their reasons, asking one, the mentor's answer, and
stepping out of a request or a new pair."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.models import Activity
from mentoring import services
from mentoring.models import Agreement, Match, Meeting, Programme
from mentoring.tests.programme_helpers import mentee, mentor, new_programme, person, skills


@pytest.fixture
def world(personas):
    """Lee's programme; alice wants Python; mo teaches it, bo teaches public speaking, both speak English; jo
    teaches Python but speaks only Japanese."""
    taxonomy = skills()
    programme = new_programme(personas.lee)
    return {
        "programme": programme,
        "alice": mentee(programme, personas.alice, skills=[taxonomy["python"]], languages=["en"], goals="Learn Python"),
        "mo": mentor(programme, personas.mo, skills=[taxonomy["python"]], languages=["en"], capacity=1),
        "bo": mentor(programme, person("bo"), skills=[taxonomy["speaking"]], languages=["en"], capacity=5),
        "jo": mentor(programme, person("jo", languages=["ja"]), skills=[taxonomy["python"]], languages=["ja"]),
        "taxonomy": taxonomy,
    }


def _ask(world, who="mo", note="Could you help me with Python?"):
    return services.request_mentor(
        mentee_application=world["alice"], mentor_application=world[who], note=note, by=world["alice"].person
    )


def test_suggestions_rank_the_mentor_who_teaches_the_wanted_skill_first(world, client_for):
    page = client_for(world["alice"].person).get(f"/mentoring/applications/{world['alice'].pk}/suggestions/")
    content = page.content.decode()
    assert page.status_code == 200
    assert content.index(f'id="mentor-{world["mo"].pk}"') < content.index(f'id="mentor-{world["bo"].pk}"')
    assert f'id="mentor-{world["jo"].pk}"' not in content  # no language in common
    assert "/messages/mo/" in content and 'href="/people/mo/"' in content
    assert f"/mentoring/applications/{world['alice'].pk}/request/{world['mo'].pk}/" in content
    assert "% fit" in content


def test_suggestions_explain_each_mentor_in_words(world, client_for):
    content = (
        client_for(world["alice"].person)
        .get(f"/mentoring/applications/{world['alice'].pk}/suggestions/")
        .content.decode()
    )
    assert "English" in content and "Python" in content


def test_the_suggestions_page_costs_the_same_queries_however_many_mentors(
    world, client_for, django_assert_max_num_queries, no_page_cache
):
    client = client_for(world["alice"].person)
    url = f"/mentoring/applications/{world['alice'].pk}/suggestions/"
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for n in range(8):
        mentor(world["programme"], person(f"extra{n}"), skills=[world["taxonomy"]["python"]], languages=["en"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_only_the_mentee_sees_their_suggestions(world, client_for):
    url = f"/mentoring/applications/{world['alice'].pk}/suggestions/"
    assert client_for(world["mo"].person).get(url).status_code == 404


def test_asking_a_mentor_records_the_score_and_tells_them(world):
    match = _ask(world)
    assert match.state == Match.State.REQUESTED and match.origin == Match.Origin.REQUEST
    assert match.score == pytest.approx(sum(part["points"] for part in match.explanation))
    assert match.request_note == "Could you help me with Python?"
    told = Activity.objects.get(verb=Activity.Verb.MENTOR_REQUESTED)
    assert told.target == world["mo"].person and told.extra["url"] == "/mentoring/requests/"


def test_a_mentor_with_no_language_in_common_cannot_be_asked(world):
    with pytest.raises(ValidationError, match="cannot be your mentor here"):
        _ask(world, "jo")


def test_the_same_mentor_cannot_be_asked_twice(world):
    _ask(world)
    with pytest.raises(ValidationError, match="already asked Mo Mentor"):
        _ask(world)


def test_a_full_mentor_cannot_be_asked(world, personas):
    from mentoring.pairs import start_pair

    start_pair(Match.objects.create(programme=world["programme"], mentor=personas.mo, mentee=person("cy")))
    with pytest.raises(ValidationError, match="no room"):
        _ask(world)


def test_a_curator_run_programme_takes_no_requests(world):
    Programme.objects.filter(pk=world["programme"].pk).update(mode=Programme.Mode.BULK)
    world["alice"].programme.refresh_from_db()
    with pytest.raises(ValidationError, match="a curator matches everyone"):
        _ask(world)


def test_only_the_mentee_asks_from_their_application(world):
    with pytest.raises(PermissionDenied):
        services.request_mentor(
            mentee_application=world["alice"], mentor_application=world["mo"], by=world["bo"].person
        )


def test_a_mentee_has_at_most_three_requests_waiting(world):
    for name in ("p1", "p2", "p3"):
        world[name] = mentor(world["programme"], person(name), languages=["en"])
        _ask(world, name)
    with pytest.raises(ValidationError, match="3 requests waiting"):
        _ask(world)


def test_accepting_starts_the_pair_and_tells_the_mentee(world):
    match = services.respond(match=_ask(world), by=world["mo"].person, accept=True, note="Gladly")
    assert match.state == Match.State.ACTIVE and match.started is not None and match.ends_on is not None
    assert Agreement.objects.filter(match=match).exists()
    told = Activity.objects.get(verb=Activity.Verb.MATCH_ACCEPTED)
    assert told.target == world["alice"].person and told.extra["url"] == f"/mentoring/pairs/{match.pk}/"


def test_declining_ends_the_request_with_the_note(world):
    match = services.respond(match=_ask(world), by=world["mo"].person, accept=False, note="Too busy this term")
    assert match.state == Match.State.DECLINED and match.response_note == "Too busy this term"
    assert Activity.objects.get(verb=Activity.Verb.MATCH_DECLINED).target == world["alice"].person


def test_only_the_mentor_answers_and_only_once(world):
    match = _ask(world)
    with pytest.raises(PermissionDenied):
        services.respond(match=match, by=world["alice"].person, accept=True)
    services.respond(match=match, by=world["mo"].person, accept=False)
    with pytest.raises(ValidationError, match="already been answered"):
        services.respond(match=match, by=world["mo"].person, accept=True)


def test_a_mentor_full_by_now_cannot_accept(world):
    from mentoring.pairs import start_pair

    match = _ask(world)
    start_pair(Match.objects.create(programme=world["programme"], mentor=world["mo"].person, mentee=person("cy")))
    with pytest.raises(ValidationError, match="as many as you said you would take"):
        services.respond(match=match, by=world["mo"].person, accept=True)


def test_the_mentee_calls_off_a_request(world):
    match = services.decline_match(match=_ask(world), by=world["alice"].person, note="Found someone")
    assert match.state == Match.State.DECLINED and match.declined_by == world["alice"].person
    assert Activity.objects.get(verb=Activity.Verb.MATCH_DECLINED).target == world["mo"].person


def test_either_side_declines_a_pair_that_has_not_begun(world):
    match = services.respond(match=_ask(world), by=world["mo"].person, accept=True)
    services.decline_match(match=match, by=world["alice"].person, note="Wrong time for me")
    match.refresh_from_db()
    assert match.state == Match.State.DECLINED


def test_a_pair_that_has_met_is_closed_not_declined(world):
    match = services.respond(match=_ask(world), by=world["mo"].person, accept=True)
    Meeting.objects.create(match=match, starts=timezone.now(), state=Meeting.State.HELD)
    with pytest.raises(ValidationError, match="close the pair"):
        services.decline_match(match=match, by=world["alice"].person)


def test_someone_else_cannot_decline_a_pair(world):
    with pytest.raises(PermissionDenied):
        services.decline_match(match=_ask(world), by=world["bo"].person)


# --- pages ---------------------------------------------------------------------------------------------------------


def test_the_request_button_sends_the_note(world, client_for):
    url = f"/mentoring/applications/{world['alice'].pk}/request/{world['mo'].pk}/"
    response = client_for(world["alice"].person).post(url, {"note": "Hello Mo"})
    assert response.status_code == 302
    assert Match.objects.get().request_note == "Hello Mo"


def test_a_refused_request_shows_why_and_keeps_the_note(world, client_for):
    url = f"/mentoring/applications/{world['alice'].pk}/request/{world['jo'].pk}/"
    response = client_for(world["alice"].person).post(url, {"note": "Keep me"})
    content = response.content.decode()
    assert response.status_code == 400 and "cannot be your mentor here" in content and "Keep me" in content


def test_the_mentor_sees_the_request_with_its_reasons(world, client_for):
    match = _ask(world)
    content = client_for(world["mo"].person).get("/mentoring/requests/").content.decode()
    assert "Could you help me with Python?" in content and "Learn Python" in content
    assert f"/mentoring/requests/{match.pk}/respond/" in content


def test_the_requests_page_costs_the_same_queries_however_many_requests(
    world, client_for, django_assert_max_num_queries, no_page_cache
):
    _ask(world, "bo")
    client = client_for(world["bo"].person)
    client.get("/mentoring/requests/")
    with django_assert_max_num_queries(20) as few:
        client.get("/mentoring/requests/")
    for n in range(4):
        other = mentee(world["programme"], person(f"m{n}"), skills=[world["taxonomy"]["speaking"]], languages=["en"])
        services.request_mentor(mentee_application=other, mentor_application=world["bo"], by=other.person)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/mentoring/requests/")


def test_accepting_on_the_page_opens_the_pair(world, client_for):
    match = _ask(world)
    response = client_for(world["mo"].person).post(
        f"/mentoring/requests/{match.pk}/respond/", {"decision": "accept", "note": "Yes"}
    )
    assert response.status_code == 302 and response["Location"] == f"/mentoring/pairs/{match.pk}/"


def test_only_the_mentor_may_answer_on_the_page(world, client_for):
    match = _ask(world)
    response = client_for(world["alice"].person).post(
        f"/mentoring/requests/{match.pk}/respond/", {"decision": "accept"}
    )
    assert response.status_code == 404


def test_the_decline_button_returns_only_to_the_persons_own_pages(world, client_for):
    match = _ask(world)
    response = client_for(world["alice"].person).post(
        f"/mentoring/matches/{match.pk}/decline/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == "/mentoring/"
