import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import Visibility
from core.services import set_tags
from people.models import PersonSkill
from search.models import SearchDocument
from search.queries import search
from tests.factories import ItemFactory, SkillFactory, SpaceFactory, UserFactory

pytestmark = pytest.mark.django_db


def titles(user, q, **filters):
    return [r.title for r in search(user, q, **filters)]


def test_it_finds_items_by_words_in_title_summary_and_tags(personas, reindex):
    ItemFactory(title="Quarterly roadmap", owner=personas.mo)
    ItemFactory(title="Notes", summary="Our kubernetes migration plan", owner=personas.mo)
    tagged = ItemFactory(title="Slides", owner=personas.mo)
    set_tags(item=tagged, names=["Observability"])
    reindex()
    assert titles(personas.alice, "roadmap") == ["Quarterly roadmap"]
    assert titles(personas.alice, "kubernetes") == ["Notes"]
    assert titles(personas.alice, "observability") == ["Slides"]


def test_it_finds_people_by_name_job_and_skill(personas, reindex):
    person = UserFactory(username="priya", display_name="Priya Raman", job_title="Data engineer")
    PersonSkill.objects.create(person=person, skill=SkillFactory(name="Terraform"))
    reindex()
    for q in ("priya", "raman", "engineer", "terraform"):
        assert titles(personas.alice, q, kind="person") == ["Priya Raman"], q


def test_it_finds_spaces_by_name_and_description(personas, reindex):
    SpaceFactory(name="Guild of testers", description="Property based testing and fuzzing")
    reindex()
    assert titles(personas.alice, "guild", kind="space") == ["Guild of testers"]
    assert titles(personas.alice, "fuzzing") == ["Guild of testers"]


def test_it_matches_other_forms_of_a_word(personas, reindex):
    ItemFactory(title="Be a mentor", owner=personas.mo)
    ItemFactory(title="Mentoring circles", owner=personas.mo)
    reindex()
    assert set(titles(personas.alice, "mentoring ", kind="item")) == {"Be a mentor", "Mentoring circles"}
    assert set(titles(personas.alice, "mentors ", kind="item")) == {"Be a mentor", "Mentoring circles"}


def test_it_matches_the_word_being_typed_as_a_prefix(personas, reindex):
    ItemFactory(title="Onboarding checklist", owner=personas.mo)
    reindex()
    assert titles(personas.alice, "onbo") == ["Onboarding checklist"]
    assert titles(personas.alice, "onbo ") == []


def test_it_ranks_title_matches_above_body_matches(personas, reindex):
    ItemFactory(title="Weekly notes", summary="We talked about python packaging at length", owner=personas.mo)
    ItemFactory(title="Python packaging", summary="A guide", owner=personas.mo)
    reindex()
    assert titles(personas.alice, "python packaging") == ["Python packaging", "Weekly notes"]


def test_it_narrows_items_by_kind_space_and_tag(personas, reindex):
    in_team = ItemFactory(title="Budget in team", owner=personas.mo, space=personas.team)
    elsewhere = ItemFactory(title="Budget at large", owner=personas.mo)
    set_tags(item=elsewhere, names=["finance"])
    reindex()
    assert titles(personas.alice, "budget", space=personas.team) == [in_team.title]
    assert titles(personas.alice, "budget", tag="finance") == [elsewhere.title]
    assert set(titles(personas.alice, "budget", item_kind="file")) == {in_team.title, elsewhere.title}
    assert titles(personas.alice, "budget", kind="person") == []


def test_it_highlights_matches_and_escapes_the_rest(personas, reindex):
    ItemFactory(title="<script>alert(1)</script> tips", summary="Never <b>trust</b> input", owner=personas.mo)
    reindex()
    (result,) = search(personas.alice, "trust")
    assert result.snippet == "Never &lt;b&gt;<mark>trust</mark>&lt;/b&gt; input"
    assert "<script>" not in result.title_html
    assert result.title_html.startswith("&lt;script&gt;alert(1)&lt;/script&gt;")


def test_it_hides_items_of_invite_only_spaces_from_non_members(personas, reindex):
    ItemFactory(title="Olly's secret plan", owner=personas.olly, space=personas.elsewhere, visibility="space")
    ItemFactory(title="Elsewhere open plan", owner=personas.olly, space=personas.elsewhere)
    reindex()
    assert titles(personas.alice, "plan") == ["Elsewhere open plan"]
    assert set(titles(personas.olly, "plan")) == {"Olly's secret plan", "Elsewhere open plan"}
    assert titles(personas.alice, "elsewhere", kind="space") == []


def test_it_hides_organisation_items_outside_a_guests_spaces(personas, reindex):
    ItemFactory(title="Org wide handbook", owner=personas.lee, visibility=Visibility.ORGANISATION)
    ItemFactory(title="Team handbook", owner=personas.mo, space=personas.team, visibility=Visibility.ORGANISATION)
    reindex()
    assert titles(personas.gus, "handbook") == ["Team handbook"]
    assert set(titles(personas.alice, "handbook")) == {"Org wide handbook", "Team handbook"}


def test_it_hides_private_items_and_named_shares_from_others(personas, reindex):
    ItemFactory(title="Diary entry", owner=personas.mo, visibility=Visibility.PRIVATE)
    shared = ItemFactory(title="Shared entry", owner=personas.mo, visibility=Visibility.PEOPLE)
    shared.shared_with.add(personas.lee)
    reindex()
    assert titles(personas.alice, "entry") == []
    assert titles(personas.lee, "entry") == ["Shared entry"]
    assert set(titles(personas.mo, "entry")) == {"Diary entry", "Shared entry"}


def test_it_drops_deleted_items_even_before_the_index_catches_up(personas, reindex):
    item = ItemFactory(title="Retired process", owner=personas.mo)
    reindex()
    item.deleted_at = timezone.now()
    item.save()
    assert SearchDocument.objects.filter(item=item).exists()
    assert titles(personas.alice, "retired") == []


def test_it_applies_the_live_rule_when_the_index_lags_behind(personas, reindex):
    item = ItemFactory(title="Salary bands", owner=personas.mo)
    reindex()
    item.visibility = Visibility.PRIVATE
    item.save()
    assert titles(personas.alice, "salary") == []
    assert titles(personas.mo, "salary") == ["Salary bands"]


def test_it_pages_through_results(personas, reindex):
    ItemFactory.create_batch(5, title="Lunch and learn", owner=personas.mo)
    reindex()
    first = search(personas.alice, "lunch", limit=3)
    second = search(personas.alice, "lunch", limit=3, offset=3)
    assert (len(first), first.has_next, len(second), second.has_next) == (3, True, 2, False)
    assert not {r.object.pk for r in first} & {r.object.pk for r in second}


def test_it_issues_the_same_queries_however_many_items_match(personas, reindex):
    UserFactory(display_name="Design Reviewer")
    SpaceFactory(name="Design review guild")

    def queries_for(count):
        for item in ItemFactory.create_batch(count, summary="A design review", owner=personas.mo, space=personas.team):
            set_tags(item=item, names=["critique"])
        reindex()
        with CaptureQueriesContext(connection) as queries:
            results = search(personas.alice, "design review", limit=100)
        assert {r.kind for r in results} == {"item", "person", "space"}
        return len(queries)

    assert queries_for(10) == queries_for(190) == 5  # match, items, their tags, people, spaces
