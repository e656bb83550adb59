import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from people.models import PersonSkill, Site
from people.queries import experts
from people.tests.helpers import give
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TEACHES, WANTS = PersonSkill.Direction.TEACHES, PersonSkill.Direction.WANTS


def names(response):
    return [p.username for p in response.context["page"].rows]


def test_it_filters_by_free_text_over_names_titles_and_skills(personas, client_for, tree):
    personas.lee.job_title = "Learning designer"
    personas.lee.save()
    give(personas.mo, tree.negotiation)
    client = client_for(personas.alice)
    assert names(client.get(reverse("people:directory"), {"q": "designer"})) == ["lee"]
    assert names(client.get(reverse("people:directory"), {"q": "negoti"})) == ["mo"]
    assert names(client.get(reverse("people:directory"), {"q": "olly"})) == ["olly"]


def test_it_filters_by_a_skill_including_narrower_skills(personas, client_for, tree):
    give(personas.mo, tree.django)
    give(personas.lee, tree.python, WANTS)
    give(personas.olly, tree.negotiation)
    client = client_for(personas.alice)
    assert names(client.get(reverse("people:directory"), {"skill": "Programming"})) == ["lee", "mo"]
    assert names(client.get(reverse("people:directory"), {"skill": "python", "direction": "wants"})) == ["lee"]


def test_it_filters_by_location_site_department_and_time_zone(personas, client_for):
    lisbon = Site.objects.create(name="Lisbon")
    UserFactory(username="ana", site=lisbon, department="Sales", time_zone="Europe/Lisbon")
    UserFactory(username="bo", location="Lisbon area", department="Sales", time_zone="Europe/London")
    client = client_for(personas.alice)
    assert names(client.get(reverse("people:directory"), {"location": "lisbon"})) == ["ana", "bo"]
    assert names(client.get(reverse("people:directory"), {"site": lisbon.pk})) == ["ana"]
    assert names(client.get(reverse("people:directory"), {"department": "Sales", "time_zone": "Europe/London"})) == [
        "bo"
    ]


def test_it_ranks_experts_by_level_then_activity(personas, tree):
    give(personas.mo, tree.python, TEACHES, PersonSkill.Level.PRACTITIONER)
    give(personas.lee, tree.django, TEACHES, PersonSkill.Level.EXPERT)
    give(personas.olly, tree.python, TEACHES, PersonSkill.Level.PRACTITIONER)
    give(personas.ada, tree.python, PersonSkill.Direction.HAS, PersonSkill.Level.EXPERT)
    personas.olly.activity_score = 50
    personas.olly.save()
    ranked = list(experts(personas.alice, tree.programming))
    assert [p.username for p in ranked] == ["lee", "olly", "mo"]
    assert [p.match_level for p in ranked] == [4, 2, 2]


def test_it_finds_experts_from_the_directory_entry(personas, client_for, tree):
    give(personas.mo, tree.django, TEACHES, PersonSkill.Level.ADVANCED)
    give(personas.lee, tree.django, PersonSkill.Direction.HAS)
    response = client_for(personas.alice).get(reverse("people:directory"), {"skill": "Python", "direction": "teaches"})
    body = response.content.decode()
    assert names(response) == ["mo"]
    assert "Who can teach Python" in body and "Advanced" in body
    assert "Find an expert" in client_for(personas.alice).get(reverse("people:directory")).content.decode()


def test_it_hides_people_from_guests_outside_their_spaces(personas, client_for, tree):
    for person in (personas.mo, personas.olly):
        give(person, tree.python, TEACHES)
    response = client_for(personas.gus).get(reverse("people:directory"), {"skill": "Python", "direction": "teaches"})
    assert names(response) == ["mo"]
    assert sorted(names(client_for(personas.gus).get(reverse("people:directory")))) == ["alice", "gus", "mo"]


def test_it_explains_an_unknown_skill(personas, client_for, tree):
    response = client_for(personas.alice).get(reverse("people:directory"), {"skill": "Basket weaving"})
    assert names(response) == []
    assert "There is no skill called “Basket weaving”" in response.content.decode()


def test_it_returns_only_the_results_partial_to_htmx(personas, client_for):
    response = client_for(personas.alice).get(reverse("people:directory"), {"q": "mo"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and "Mo Mentor" in body and "Find an expert" not in body


def test_it_paginates_the_directory(personas, client_for):
    UserFactory.create_batch(30)
    client = client_for(personas.alice)
    first, second = client.get(reverse("people:directory")), client.get(reverse("people:directory"), {"page": 2})
    assert len(first.context["page"].rows) == 24 and first.context["page"].has_next
    assert len(second.context["page"].rows) == 12 and not set(names(first)) & set(names(second))


def _people_with_skills(count, tree, site):
    for person in UserFactory.create_batch(count, site=site, department="Ops"):
        give(person, tree.django, TEACHES, PersonSkill.Level.ADVANCED)
        give(person, tree.negotiation, WANTS)


def _queries(client, params):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("people:directory"), params).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("params", [{}, {"skill": "Programming", "direction": "teaches"}, {"q": "person"}])
@pytest.mark.usefixtures("no_page_cache")
def test_it_uses_the_same_number_of_queries_for_10_and_200_people(personas, client_for, tree, params):
    site = Site.objects.create(name="HQ")
    client = client_for(personas.alice)
    _people_with_skills(10, tree, site)
    client.get(reverse("people:directory"), params)  # warms the site settings cache
    few = _queries(client, params)
    _people_with_skills(190, tree, site)
    assert _queries(client, params) == few
