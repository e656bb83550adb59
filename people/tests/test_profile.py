import pytest
from django.urls import reverse

from core.models import Visibility
from people.models import PersonSkill, Site
from people.tests.helpers import give
from spaces.models import Membership
from tests.factories import ItemFactory, MembershipFactory, SpaceFactory

pytestmark = pytest.mark.django_db


def test_it_shows_the_profile_with_skills_grouped_by_direction(personas, client_for, tree):
    mo = personas.mo
    mo.job_title, mo.department, mo.bio = "Staff engineer", "Platform", "I like *teaching*."
    mo.save()
    give(mo, tree.python, PersonSkill.Direction.TEACHES, PersonSkill.Level.EXPERT)
    give(mo, tree.negotiation, PersonSkill.Direction.WANTS, PersonSkill.Level.BEGINNER)
    body = client_for(personas.alice).get(reverse("people:profile", args=["mo"])).content.decode()
    assert "Staff engineer" in body and "Platform" in body and "I like *teaching*." in body
    teach, wants = body.index("Can teach"), body.index("Wants to learn")
    assert teach < body.index("Python") < wants < body.index("Negotiation")
    assert "Expert" in body and "Beginner" in body


def test_it_shows_local_time_site_and_languages(personas, client_for):
    alice = personas.alice
    alice.time_zone, alice.languages = "Asia/Tokyo", ["en", "pt-BR"]
    alice.site = Site.objects.create(name="Tokyo office", country="Japan")
    alice.save()
    body = client_for(personas.mo).get(reverse("people:profile", args=["alice"])).content.decode()
    assert "local time (Tokyo, 9 h ahead of you)" in body
    assert "English, Portuguese (BR)" in body
    assert "Tokyo office" in body


def test_it_offers_the_edit_link_only_on_your_own_profile(personas, client_for):
    edit = reverse("people:edit")
    assert (
        edit
        in client_for(personas.alice)
        .get(reverse("people:profile", args=["alice"]))
        .content.decode()
        .split("<main", 1)[1]
    )
    assert (
        edit
        not in client_for(personas.mo)
        .get(reverse("people:profile", args=["alice"]))
        .content.decode()
        .split("<main", 1)[1]
    )


def test_it_lists_only_the_spaces_the_viewer_may_see(personas, client_for):
    secret = SpaceFactory(name="Secret club", visibility="invite", created_by=personas.olly)
    MembershipFactory(space=secret, user=personas.alice, state=Membership.State.ACTIVE)
    mine = client_for(personas.alice).get(reverse("people:profile", args=["alice"])).content.decode()
    theirs = client_for(personas.lee).get(reverse("people:profile", args=["alice"])).content.decode()
    assert "Secret club" in mine and "Team" in mine
    assert "Secret club" not in theirs and "Team" not in theirs


def test_it_links_to_their_items_and_shows_only_visible_ones(personas, client_for):
    ItemFactory(owner=personas.alice, title="Public notes", visibility=Visibility.ORGANISATION)
    ItemFactory(owner=personas.alice, title="Diary", visibility=Visibility.PRIVATE)
    body = client_for(personas.mo).get(reverse("people:profile", args=["alice"])).content.decode()
    assert "/browse/?owner=alice" in body
    assert "Public notes" in body and "Diary" not in body


def test_it_answers_404_for_people_a_guest_does_not_share_a_space_with(personas, client_for):
    guest = client_for(personas.gus)
    assert guest.get(reverse("people:profile", args=["olly"])).status_code == 404
    assert guest.get(reverse("people:profile", args=["alice"])).status_code == 200
    assert client_for(personas.alice).get(reverse("people:profile", args=["nobody"])).status_code == 404


def test_it_asks_anonymous_visitors_to_sign_in(personas, client):
    response = client.get(reverse("people:profile", args=["alice"]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
