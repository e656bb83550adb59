"""Space pages cost the same number of queries whether a space holds ten rows or two hundred."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Activity, Visibility
from spaces.models import Membership, Space
from tests.factories import ItemFactory, MembershipFactory, SpaceFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]


def grow(space, owner, n):
    """Add n items (with a tag each), n members, n requests, n invitations and 2n activities to the space."""
    for _ in range(n):
        person = UserFactory()
        MembershipFactory(space=space, user=person)
        MembershipFactory(space=space, state=Membership.State.REQUESTED)
        MembershipFactory(space=space, state=Membership.State.INVITED, invited_by=owner)
        item = ItemFactory(owner=owner, space=space, visibility=Visibility.SPACE)
        item.tags.create(name=f"tag {item.pk}", slug=f"tag-{item.pk}")
        Activity.objects.create(actor=person, verb=Activity.Verb.JOINED, space=space)
        Activity.objects.create(actor=owner, verb=Activity.Verb.CREATED, space=space, item=item)


def queries_for(client, path):
    client.get(path)  # the first request fills the site settings cache
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["spaces:space", "spaces:members"])
def test_it_loads_a_space_page_in_the_same_number_of_queries_at_1_10_and_200_rows(personas, client_for, page):
    # One row comes first so that lists capped below ten rows (the members panel) are checked too.
    client = client_for(personas.mo)
    path = reverse(page, args=["team"])
    counts = []
    for n in (1, 9, 190):
        grow(personas.team, personas.mo, n)
        counts.append(queries_for(client, path))
    assert counts[0] == counts[1] == counts[2]


def test_it_loads_the_space_list_in_the_same_number_of_queries_at_10_and_200_spaces(personas, client_for):
    client = client_for(personas.alice)
    counts = []
    for n in (10, 190):
        for _ in range(n):
            space = SpaceFactory(visibility=Space.Visibility.OPEN, cover="covers/x.jpg")
            MembershipFactory(space=space, user=personas.alice, state=Membership.State.INVITED)
        counts.append(queries_for(client, reverse("spaces:list")))
    assert counts[0] == counts[1]
