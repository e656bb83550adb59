import pytest
from django.urls import reverse

from spaces.models import Membership
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def boss(db):
    return UserFactory(username="boss", is_staff=True, is_superuser=True)


def test_it_lists_spaces_and_memberships_in_the_back_office(personas, boss, client_for):
    client = client_for(boss)
    assert b"Team" in client.get(reverse("admin:spaces_space_changelist")).content
    assert client.get(reverse("admin:spaces_membership_changelist")).status_code == 200
    assert client.get(reverse("admin:spaces_space_change", args=[personas.team.pk])).status_code == 200


def test_it_recounts_members_after_a_back_office_edit(personas, boss, client_for):
    response = client_for(boss).post(
        reverse("admin:spaces_membership_add"),
        {
            "space": personas.team.pk,
            "user": personas.lee.pk,
            "role": "member",
            "state": "active",
            "created_0": "2026-01-01",
            "created_1": "10:00:00",
        },
    )
    assert response.status_code == 302
    personas.team.refresh_from_db()
    assert personas.team.member_count == Membership.objects.filter(space=personas.team, state="active").count() == 4
