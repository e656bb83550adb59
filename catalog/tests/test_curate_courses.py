from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalog import services
from catalog.models import Course
from core.models import Activity, Visibility
from tests.factories import SkillFactory, UserFactory

NEW = reverse("catalog:curate-new")
CURATE = reverse("catalog:curate")


def edit_url(course):
    return reverse("catalog:curate-edit", args=[course.pk])


def manage_url(course):
    return reverse("catalog:curate-course", args=[course.pk])


def filled(**overrides):
    data = {
        "title": "Negotiation for engineers",
        "summary": "Getting to yes, with numbers.",
        "code": "LD-200",
        "provider": "Harbour Academy",
        "format": "classroom",
        "level": "intermediate",
        "duration_minutes": "180",
        "language": "en",
        "skills": "",
        "cost": "250",
        "currency": "eur",
        "prerequisites": "None.",
        "launch_url": "",
        "curator": "lee",
        "tags": "soft skills, negotiation",
        "space": "",
        "visibility": "organisation",
    }
    data.update(overrides)
    return data


@pytest.fixture
def skills(db):
    return SkillFactory(name="Negotiation", slug="negotiation"), SkillFactory(name="Python", slug="python")


def test_a_curator_adds_a_course_with_every_field(personas, client_for, skills):
    response = client_for(personas.lee).post(NEW, filled(skills="Negotiation; python", curator="mo"))
    course = Course.objects.select_related("item").get(code="LD-200")
    assert response.status_code == 302 and response["Location"] == manage_url(course)
    assert (course.item.title, course.item.summary, course.provider) == (
        "Negotiation for engineers",
        "Getting to yes, with numbers.",
        "Harbour Academy",
    )
    assert (course.format, course.level, course.duration_minutes, course.language) == (
        "classroom",
        "intermediate",
        180,
        "en",
    )
    assert (course.cost, course.currency, course.prerequisites) == (Decimal("250.00"), "EUR", "None.")
    assert {s.slug for s in course.skills.all()} == {"negotiation", "python"}
    assert course.curator == personas.mo and course.item.owner == personas.lee
    assert sorted(t.name for t in course.item.tags.all()) == ["negotiation", "soft skills"]
    assert Activity.objects.filter(item=course.item, verb=Activity.Verb.CREATED).count() == 1


def test_the_new_course_form_suggests_the_curator_themselves(personas, client_for):
    page = client_for(personas.lee).get(NEW)
    assert page.status_code == 200 and page.context["form"]["curator"].value() == "lee"


def test_bad_fields_are_shown_beside_each_field_and_nothing_typed_is_lost(personas, client_for, skills):
    data = filled(
        title="  ",
        language="english!",
        currency="",
        launch_url="ftp://files.example/course",
        skills="Negotiation; Juggling",
        curator="nobody",
    )
    response = client_for(personas.lee).post(NEW, data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"title", "language", "currency", "launch_url", "skills", "curator"}
    assert "A course that costs something needs a currency." in errors["currency"]
    assert "Juggling" in errors["skills"][0] and "Negotiation" not in errors["skills"][0]
    assert "No one here has the username nobody." in errors["curator"]
    assert 'value="Harbour Academy"' in response.text and "Getting to yes, with numbers." in response.text
    assert not Course.objects.exists()


def test_a_code_already_in_the_catalogue_is_refused_on_its_field(personas, client_for, course):
    services.update_course(actor=personas.lee, course=course, code="LD-200")
    response = client_for(personas.lee).post(NEW, filled())
    assert response.status_code == 400
    assert response.context["form"].errors["code"] == ["Another course already has the code “LD-200”."]


def test_only_a_course_in_a_space_can_be_for_its_members_only(personas, client_for):
    response = client_for(personas.ada).post(NEW, filled(visibility="space"))
    assert response.status_code == 400 and "visibility" in response.context["form"].errors


def test_a_course_can_go_in_a_space_its_curator_belongs_to(personas, client_for):
    from spaces.models import Membership

    Membership.objects.create(space=personas.team, user=personas.lee)
    response = client_for(personas.lee).post(NEW, filled(space="team", visibility="space"))
    assert response.status_code == 302
    item = Course.objects.get(code="LD-200").item
    assert (item.space, item.visibility) == (personas.team, Visibility.SPACE)


def test_a_space_the_curator_is_not_in_is_refused(personas, client_for):
    response = client_for(personas.lee).post(NEW, filled(space="elsewhere"))
    assert response.status_code == 400 and "space" in response.context["form"].errors


def test_people_who_are_not_curators_cannot_add_courses(personas, client_for):
    assert client_for(personas.alice).get(NEW).status_code == 403
    assert client_for(personas.alice).post(NEW, filled()).status_code == 403
    assert not Course.objects.exists()


def test_editing_shows_the_course_as_it_is_and_saves_every_change(personas, client_for, course, skills):
    services.update_course(actor=personas.lee, course=course, skills=[skills[0]], tags=["old"])
    client = client_for(personas.lee)
    form = client.get(edit_url(course)).context["form"]
    assert form["title"].value() == "Negotiation skills" and form["skills"].value() == "Negotiation"
    assert form["tags"].value() == "old" and "space" not in form.fields
    response = client.post(
        edit_url(course),
        filled(title="Negotiation, revised", format="live_online", skills="Python", cost="0", currency="", tags=""),
    )
    assert response.status_code == 302
    course.refresh_from_db()
    course.item.refresh_from_db()
    assert (course.item.title, course.format, course.cost) == ("Negotiation, revised", "live_online", 0)
    assert [s.slug for s in course.skills.all()] == ["python"] and not course.item.tags.exists()


def test_a_course_keeps_its_own_code_when_edited(personas, client_for, course):
    services.update_course(actor=personas.lee, course=course, code="LD-200")
    assert client_for(personas.lee).post(edit_url(course), filled()).status_code == 302


def test_emptying_the_curator_leaves_the_course_to_its_owner(personas, client_for, course):
    assert client_for(personas.lee).post(edit_url(course), filled(curator="")).status_code == 302
    course.refresh_from_db()
    assert course.curator is None


def test_a_named_curator_who_is_no_curator_may_edit_their_course(personas, client_for, course):
    services.update_course(actor=personas.lee, course=course, curator=personas.mo)
    client = client_for(personas.mo)
    assert client.get(edit_url(course)).status_code == 200
    assert client.get(manage_url(course)).status_code == 200
    assert client_for(personas.alice).get(edit_url(course)).status_code == 403


def test_a_course_the_person_cannot_see_is_not_found(personas, client_for):
    course = services.create_course(actor=personas.lee, title="Private plan", visibility=Visibility.PRIVATE)
    assert client_for(personas.ada).get(edit_url(course)).status_code == 404
    assert client_for(personas.ada).get(manage_url(course)).status_code == 404


def test_the_manage_page_shows_the_course_and_its_curators_tools(personas, client_for, course, make_session):
    make_session(course, capacity=12)
    page = client_for(personas.lee).get(manage_url(course))
    assert page.status_code == 200
    assert "Add a session" in page.text and "Import from a calendar" in page.text and "0 of 12" in page.text


def test_the_curate_page_lists_the_courses_the_curator_runs_with_completions_to_confirm(personas, client_for, course):
    other = services.create_course(actor=personas.ada, title="Run by Ada")
    book = services.create_course(actor=personas.lee, title="Reading list", format="book")
    services.self_report_completion(person=personas.alice, course=book, evidence="Read every chapter.")
    page = client_for(personas.lee).get(CURATE)
    titles = [item.title for item in page.context["page"].rows]
    assert titles == ["Reading list", "Negotiation skills"]  # what waits for the curator comes first
    assert [e.person for e in page.context["waiting"]] == [personas.alice]
    everything = client_for(personas.lee).get(CURATE, {"show": "all", "q": "ada"})
    assert [item.title for item in everything.context["page"].rows] == [other.item.title]


def test_the_curate_page_is_for_curators(personas, client_for):
    assert client_for(personas.alice).get(CURATE).status_code == 403
    assert client_for(personas.ada).get(CURATE).status_code == 200


def test_browse_links_curators_to_the_curate_page_and_the_course_page_to_manage_it(personas, client_for, course):
    link = f'href="{CURATE}"'
    assert link in client_for(personas.lee).get(reverse("catalog:browse")).text
    assert link not in client_for(personas.alice).get(reverse("catalog:browse")).text
    manage = f'href="{manage_url(course)}"'
    assert manage in client_for(personas.lee).get(course.item.get_absolute_url()).text
    assert manage not in client_for(personas.alice).get(course.item.get_absolute_url()).text


def test_skill_suggestions_complete_the_last_name_typed(personas, client_for, skills):
    url = reverse("catalog:curate-suggest-skills")
    response = client_for(personas.lee).get(url, {"skills": "Negotiation; pyt"})
    assert '<option value="Negotiation; Python">' in response.text
    assert client_for(personas.lee).get(url, {"skills": "Negotiation;"}).text.strip() == ""


def test_people_suggestions_name_only_people_the_viewer_may_see(personas, client_for):
    url = reverse("catalog:curate-suggest-people")
    assert '<option value="mo">' in client_for(personas.lee).get(url, {"curator": "mo"}).text
    assert "olly" not in client_for(personas.gus).get(url, {"person": "ol"}).text


def queries_for(client, url):
    client.get(url)  # fills the per-process caches (site settings)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_curate_page_costs_the_same_queries_at_3_and_30_courses(personas, client_for, no_page_cache):
    client = client_for(personas.lee)
    counts = []
    for n in (3, 30):
        for i in range(Course.objects.count(), n):
            course = services.create_course(
                actor=personas.lee, title=f"Course {i}", format="book" if i % 2 else "classroom"
            )
            if course.self_paced:
                services.self_report_completion(person=personas.alice, course=course, evidence="Done.")
        counts.append(queries_for(client, CURATE))
    assert counts[0] == counts[1]


def test_the_manage_page_costs_the_same_queries_at_2_and_20_sessions(personas, client_for, course, no_page_cache):
    client = client_for(personas.lee)
    counts = []
    for n in (2, 20):
        for i in range(course.sessions.count(), n):
            starts = timezone.now() + timedelta(days=i + 1)
            session = services.add_session(
                actor=personas.lee, course=course, starts=starts, ends=starts + timedelta(hours=1), time_zone="UTC"
            )
            services.enrol(person=UserFactory(), session=session)
        counts.append(queries_for(client, manage_url(course)))
    assert counts[0] == counts[1]
