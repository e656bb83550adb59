"""Programmes: who makes and changes them, what they hold, who sees them, the always-open one, and their pages."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.access import can_view
from core.models import Activity, Visibility
from mentoring import access, services
from mentoring.models import DEFAULT_AGREEMENT, DEFAULT_GUIDANCE, Programme
from mentoring.tests.programme_helpers import new_programme
from people.models import User
from search.index import item_fields


def test_only_curators_create_programmes(personas):
    with pytest.raises(PermissionDenied):
        new_programme(personas.alice)


def test_a_new_programme_starts_from_the_default_agreement_and_guidance(personas):
    programme = new_programme(personas.lee, purpose="Grow data skills", starts=date(2031, 1, 5))
    assert programme.agreement_template == [
        {"key": p["key"], "title": p["title"], "guidance": p["guidance"]} for p in DEFAULT_AGREEMENT
    ]
    assert programme.guidance == DEFAULT_GUIDANCE.strip()
    assert programme.item.kind == "programme" and programme.item.owner == personas.lee
    assert Activity.objects.filter(verb=Activity.Verb.CREATED, item=programme.item).exists()


def test_an_invitation_only_programme_is_seen_by_the_people_invited_and_nobody_else(personas):
    programme = new_programme(
        personas.lee,
        visibility=Visibility.PEOPLE,
        mentee_audience=Programme.Audience.INVITED,
        invited_mentees=[personas.alice],
        mentor_audience=Programme.Audience.INVITED,
        invited_mentors=[personas.mo],
    )
    assert can_view(personas.alice, programme.item) and can_view(personas.mo, programme.item)
    assert not can_view(personas.olly, programme.item)
    assert access.may_apply(personas.alice, programme, "mentee")
    assert not access.may_apply(personas.alice, programme, "mentor")


def test_inviting_someone_who_cannot_see_the_programme_is_refused(personas):
    from spaces.models import Membership

    Membership.objects.create(space=personas.team, user=personas.lee)
    with pytest.raises(ValidationError) as refused:
        new_programme(
            personas.lee,
            space=personas.team,
            visibility=Visibility.SPACE,
            mentee_audience=Programme.Audience.INVITED,
            invited_mentees=[personas.olly],
        )
    assert "Olly Outsider cannot see the programme" in " ".join(refused.value.messages)


def test_a_programme_in_a_space_is_hidden_from_people_outside_it(personas):
    from spaces.models import Membership

    Membership.objects.create(space=personas.team, user=personas.lee)
    programme = new_programme(personas.lee, space=personas.team, visibility=Visibility.SPACE)
    assert can_view(personas.gus, programme.item)
    assert not can_view(personas.olly, programme.item)


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"starts": date(2031, 5, 1), "ends": date(2031, 4, 1)}, "ends", "cannot end before it starts"),
        ({"weights": {"gender": 2}}, "weights", "Not a matching criterion: gender"),
        ({"weights": dict.fromkeys(("skills", "goals", "hours", "format", "seniority", "site"), 0)}, "weights",
         "At least one criterion"),
        ({"questions": [{"label": "Why?", "side": "everyone"}]}, "questions", "for mentors, mentees or both"),
        ({"default_capacity": 6, "max_capacity": 5}, "default_capacity", "cannot be above the most"),
        ({"mentor_audience": "roles"}, "mentor_roles", "Name at least one role"),
        ({"mentee_roles": ["wizard"]}, "mentee_roles", "Not a role: wizard"),
        ({"length_weeks": 0}, "length_weeks", "between 1 and 260"),
        ({"title": "   "}, "title", "needs a title"),
    ],
)  # fmt: skip
def test_it_names_what_is_wrong_with_a_programme(personas, fields, field, words):
    fields = {"title": "Data mentoring", **fields}
    with pytest.raises(ValidationError) as refused:
        services.create_programme(actor=personas.lee, **fields)
    assert words in " ".join(refused.value.message_dict[field])


def test_only_the_programmes_curators_change_it(personas):
    programme = new_programme(personas.lee)
    with pytest.raises(PermissionDenied):
        services.update_programme(actor=personas.alice, programme=programme, title="Mine now")
    services.update_programme(actor=personas.lee, programme=programme, title="Data mentors", max_capacity=3)
    programme.refresh_from_db()
    assert programme.item.title == "Data mentors" and programme.max_capacity == 3


def test_making_a_programme_invitation_only_shares_it_with_the_people_invited(personas):
    programme = new_programme(personas.lee)
    services.update_programme(
        actor=personas.lee,
        programme=programme,
        visibility=Visibility.PEOPLE,
        mentee_audience=Programme.Audience.INVITED,
        invited_mentees=[personas.alice],
    )
    assert set(programme.item.shared_with.all()) == {personas.alice}
    assert not can_view(personas.mo, programme.item)


def test_the_always_open_programme_is_made_once_for_the_whole_organisation(personas):
    first = services.get_or_create_open_programme()
    again = services.get_or_create_open_programme()
    assert first.pk == again.pk and first.always_open
    assert first.mode == Programme.Mode.SELF and first.item.visibility == Visibility.ORGANISATION
    assert first.item.owner == personas.ada  # the first site admin
    assert Programme.objects.filter(always_open=True).count() == 1


def test_the_always_open_programme_waits_for_someone_to_own_it(db):
    User.objects.create(username="solo")
    assert services.get_or_create_open_programme() is None


def test_guests_do_not_see_the_organisations_programme(personas):
    programme = services.get_or_create_open_programme()
    assert not can_view(personas.gus, programme.item)


def test_search_knows_a_programmes_purpose_and_questions(personas):
    programme = new_programme(
        personas.lee, purpose="Pairs for analysts", questions=[{"label": "Which dashboards do you own?"}]
    )
    text = item_fields(programme.item)["body"]
    assert "Pairs for analysts" in text and "Which dashboards do you own?" in text


# --- pages ---------------------------------------------------------------------------------------------------------


def test_the_programme_page_offers_each_side_the_person_may_join(personas, client_for):
    programme = new_programme(
        personas.lee,
        purpose="Grow data skills",
        mentor_audience=Programme.Audience.ROLES,
        mentor_roles=["curator"],
    )
    page = client_for(personas.alice).get(programme.get_absolute_url())
    content = page.content.decode()
    assert page.status_code == 200 and "Grow data skills" in content
    assert f"/mentoring/programmes/{programme.pk}/apply/mentee/" in content
    assert f"/mentoring/programmes/{programme.pk}/apply/mentor/" not in content
    assert "Mentors come from other roles." in content
    assert "The first meeting" in content  # the guidance, rendered from Markdown


def test_the_programme_page_offers_curators_its_dashboard(personas, client_for):
    programme = new_programme(personas.lee)
    assert (
        f"/mentoring/curate/{programme.pk}/"
        in client_for(personas.lee).get(programme.get_absolute_url()).content.decode()
    )
    assert (
        f"/mentoring/curate/{programme.pk}/"
        not in client_for(personas.alice).get(programme.get_absolute_url()).content.decode()
    )


def test_the_mentoring_page_puts_the_open_programme_first(personas, client_for):
    new_programme(personas.lee, title="Data mentoring")
    content = client_for(personas.alice).get("/mentoring/").content.decode()
    assert content.index("Informal mentoring") < content.index("Data mentoring")
    assert "Find a mentor" in content and "Offer to mentor" in content


def test_the_mentoring_page_costs_the_same_queries_however_many_programmes(
    personas, client_for, django_assert_max_num_queries, no_page_cache
):
    client = client_for(personas.alice)
    for n in range(3):
        new_programme(personas.lee, title=f"Programme {n}")
    client.get("/mentoring/")
    with django_assert_max_num_queries(14) as few:
        client.get("/mentoring/")
    for n in range(3, 12):
        new_programme(personas.lee, title=f"Programme {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/mentoring/")
