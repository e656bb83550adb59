import pytest
from django.urls import reverse

from people.models import PersonSkill
from people.tests.helpers import give

pytestmark = pytest.mark.django_db


def test_it_shows_a_skill_with_broader_and_narrower_skills(personas, client_for, tree):
    body = client_for(personas.alice).get(reverse("people:skill", args=[tree.python.slug])).content.decode()
    assert "Also called: py, Python 3" in body
    assert body.index("Programming") < body.index("<h1>Python</h1>")
    assert reverse("people:skill", args=[tree.django.slug]) in body


def test_it_lists_experts_best_first_and_learners(personas, client_for, tree):
    give(personas.mo, tree.django, PersonSkill.Direction.TEACHES, PersonSkill.Level.PRACTITIONER)
    give(personas.lee, tree.python, PersonSkill.Direction.TEACHES, PersonSkill.Level.EXPERT)
    give(personas.olly, tree.python, PersonSkill.Direction.WANTS, PersonSkill.Level.BEGINNER)
    response = client_for(personas.alice).get(reverse("people:skill", args=[tree.python.slug]))
    assert [p.username for p in response.context["experts"]] == ["lee", "mo"]
    assert [p.username for p in response.context["learners"]] == ["olly"]
    assert "?skill=python&amp;direction=teaches" in response.content.decode()


def test_it_hides_experts_a_guest_may_not_see(personas, client_for, tree):
    give(personas.olly, tree.python, PersonSkill.Direction.TEACHES)
    response = client_for(personas.gus).get(reverse("people:skill", args=[tree.python.slug]))
    assert list(response.context["experts"]) == []


def test_it_answers_404_for_an_unknown_skill(personas, client_for):
    assert client_for(personas.alice).get(reverse("people:skill", args=["no-such-skill"])).status_code == 404


def test_it_lists_top_level_skills_and_searches_them(personas, client_for, tree):
    client = client_for(personas.alice)
    top = [s.name for s in client.get(reverse("people:skills")).context["page"].rows]
    assert top == ["Negotiation", "Programming"]
    found = [s.name for s in client.get(reverse("people:skills"), {"q": "py"}).context["page"].rows]
    assert found == ["Python"]


def test_it_never_gives_a_skill_a_slug_that_shadows_a_page(db):
    from people.models import Skill

    assert Skill.objects.create(name="Import").slug == "import-2"
    assert Skill.objects.create(name="Autocomplete").slug == "autocomplete-2"
