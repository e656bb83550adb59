import io
import json

import pytest
from django.test import Client
from PIL import Image

from api.services import create_token
from spaces import services
from spaces.models import Membership, Space
from tests.factories import SpaceFactory

pytestmark = pytest.mark.django_db

BASE = "/api/spaces/"


def api_client(user):
    _, secret = create_token(user=user, name="tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def send(client, method, path, body=None):
    kwargs = {"content_type": "application/json"}
    if body is not None:
        kwargs["data"] = json.dumps(body)
    return getattr(client, method)(BASE + path, **kwargs)


def test_it_lists_only_the_spaces_the_caller_may_see(personas):
    SpaceFactory(name="Open house", slug="open-house")
    slugs = lambda user: [s["slug"] for s in api_client(user).get(BASE).json()["items"]]  # noqa: E731
    assert slugs(personas.gus) == ["team"]
    assert slugs(personas.olly) == ["elsewhere", "open-house"]
    assert slugs(personas.ada) == ["elsewhere", "open-house", "team"]


def test_it_reports_the_callers_membership_in_each_space(personas):
    body = api_client(personas.alice).get(BASE + "team").json()
    assert (body["my_state"], body["my_role"], body["url"]) == ("active", "member", "/spaces/team/")


def test_it_answers_404_for_a_hidden_space(personas):
    client = api_client(personas.olly)
    assert client.get(BASE + "team").status_code == 404
    assert send(client, "post", "team/join").status_code == 404
    assert client.get(BASE + "team/members").json() == {"detail": "Not found."}


def test_it_refuses_anonymous_callers(personas):
    assert Client().get(BASE).status_code == 401


def test_it_creates_a_space_and_makes_the_caller_owner(personas):
    response = send(api_client(personas.alice), "post", "", {"name": "Data club", "kind": "project"})
    assert response.status_code == 201
    assert (response.json()["slug"], response.json()["my_role"]) == ("data-club", "owner")
    assert Space.objects.get(slug="data-club").member_count == 1


def test_it_refuses_guests_creating_spaces_with_a_detail(personas):
    response = send(api_client(personas.gus), "post", "", {"name": "Data club"})
    assert response.status_code == 403
    assert response.json() == {"detail": "Guests cannot create spaces."}


def test_it_answers_bad_input_with_a_detail_not_a_500(personas):
    client = api_client(personas.alice)
    assert send(client, "post", "", {"name": "X", "kind": "club"}).status_code == 422
    taken = send(client, "post", "", {"name": "X", "slug": "team"})
    assert taken.status_code == 400 and "taken" in taken.json()["detail"]
    assert send(client, "post", "", {"name": "   "}).status_code == 400


def test_it_updates_a_space_for_its_admins_only(personas):
    assert send(api_client(personas.alice), "patch", "team", {"name": "Nope"}).status_code == 403
    response = send(api_client(personas.mo), "patch", "team", {"description": "Our team"})
    assert response.status_code == 200
    assert (response.json()["name"], response.json()["description"]) == ("Team", "Our team")


def test_it_replaces_the_cover_with_an_uploaded_picture(personas):
    buffer = io.BytesIO()
    Image.new("RGB", (2400, 600), "teal").save(buffer, "PNG")
    buffer.name = "cover.png"
    buffer.seek(0)
    response = api_client(personas.mo).post(BASE + "team/cover", {"file": buffer})
    assert response.status_code == 200 and response.json()["cover_url"] == "/spaces/team/cover"
    personas.team.refresh_from_db()
    assert Image.open(personas.team.cover.open("rb")).size == (1600, 400)


def test_it_joins_requests_and_leaves_through_the_api(personas):
    SpaceFactory(slug="open", visibility=Space.Visibility.OPEN)
    SpaceFactory(slug="asking", visibility=Space.Visibility.ORGANISATION)
    client = api_client(personas.alice)
    assert send(client, "post", "open/join").json()["state"] == "active"
    assert send(client, "post", "asking/request").json()["state"] == "requested"
    assert send(client, "post", "open/leave").status_code == 204
    assert send(client, "post", "open/request").status_code == 400


def test_it_keeps_the_last_owner_in_with_a_detail(personas):
    response = send(api_client(personas.mo), "post", "team/leave")
    assert response.status_code == 400
    assert "last owner" in response.json()["detail"]


def test_it_lists_members_and_keeps_requests_for_admins(personas):
    client = api_client(personas.alice)
    members = client.get(BASE + "team/members").json()["items"]
    assert [(m["username"], m["role"]) for m in members] == [("mo", "owner"), ("alice", "member"), ("gus", "member")]
    assert client.get(BASE + "team/members?state=invited").status_code == 403
    assert api_client(personas.mo).get(BASE + "team/members?state=invited").status_code == 200


def test_it_invites_approves_sets_roles_and_removes_through_the_api(personas):
    mo = api_client(personas.mo)
    invited = send(mo, "post", "team/invite", {"username": "lee"})
    assert invited.status_code == 201 and invited.json()["state"] == "invited"
    assert send(api_client(personas.lee), "post", "team/invitation/accept").json()["state"] == "active"
    role = send(mo, "put", "team/members/lee/role", {"role": "moderator"})
    assert role.json()["role"] == "moderator"
    assert send(mo, "delete", "team/members/lee").status_code == 204
    assert not Membership.objects.filter(space=personas.team, user=personas.lee).exists()


def test_it_refuses_approvals_from_plain_members(personas):
    space = SpaceFactory(slug="asking", visibility=Space.Visibility.ORGANISATION)
    Membership.objects.create(space=space, user=personas.mo, role="owner")
    Membership.objects.create(space=space, user=personas.lee)
    services.request_to_join(user=personas.alice, space=space)
    assert send(api_client(personas.lee), "post", "asking/members/alice/approve").status_code == 403
    approved = send(api_client(personas.mo), "post", "asking/members/alice/approve")
    assert approved.status_code == 200 and approved.json()["state"] == "active"


def test_it_watches_and_unwatches_through_the_api(personas):
    client = api_client(personas.alice)
    assert send(client, "put", "team/watch").json() == {"watching": True}
    assert personas.alice.watches.filter(space=personas.team).exists()
    assert send(client, "delete", "team/watch").json() == {"watching": False}
    assert not personas.alice.watches.filter(space=personas.team).exists()


def test_it_invites_an_unknown_address_through_the_api_for_admins_only(personas):
    from people.models import Invitation

    body = {"email": "pat@partner.example"}
    assert send(api_client(personas.alice), "post", "team/invite-by-email", body).status_code == 403
    response = send(api_client(personas.mo), "post", "team/invite-by-email", body)
    assert response.status_code == 201
    assert response.json() == {"space": "team", "email": "pat@partner.example", "role": "guest"}
    assert Invitation.objects.filter(email="pat@partner.example", space=personas.team).count() == 1
