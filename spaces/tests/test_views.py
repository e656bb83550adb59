import pytest
from django.urls import reverse

from core.models import Visibility, Watch
from spaces import services
from spaces.models import Membership, Space
from tests.factories import ItemFactory, SpaceFactory

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"spaces:{name}", args=args)


def test_it_lists_only_the_spaces_a_guest_belongs_to(personas, client_for):
    SpaceFactory(name="Open house", visibility=Space.Visibility.OPEN)
    response = client_for(personas.gus).get(url("list"))
    assert response.status_code == 200
    names = [s.name for s in response.context["page"].rows]
    assert names == ["Team"]
    assert b"Create a space" not in response.content


def test_it_lists_visible_spaces_with_my_membership_state(personas, client_for):
    SpaceFactory(name="Open house", visibility=Space.Visibility.OPEN)
    response = client_for(personas.alice).get(url("list"))
    rows = {s.name: s.my_state for s in response.context["page"].rows}
    assert rows == {"Open house": None, "Team": "active"}
    assert b"Elsewhere" not in response.content


def test_it_filters_spaces_by_kind_name_and_mine(personas, client_for):
    SpaceFactory(name="Python guild", kind=Space.Kind.COMMUNITY)
    SpaceFactory(name="Python rewrite", kind=Space.Kind.PROJECT)
    client = client_for(personas.alice)
    names = lambda query: [s.name for s in client.get(url("list"), query).context["page"].rows]  # noqa: E731
    assert names({"q": "python"}) == ["Python guild", "Python rewrite"]
    assert names({"q": "python", "kind": "project"}) == ["Python rewrite"]
    assert names({"mine": "on"}) == ["Team"]


def test_it_answers_htmx_filtering_with_only_the_results(personas, client_for):
    response = client_for(personas.alice).get(url("list"), {"q": "team"}, HTTP_HX_REQUEST="true")
    assert b"<html" not in response.content
    assert b"Team" in response.content


def test_it_shows_pending_invitations_on_the_list(personas, client_for):
    services.invite_to_space(inviter=personas.olly, space=personas.elsewhere, user=personas.alice)
    response = client_for(personas.alice).get(url("list"))
    assert b"You are invited" in response.content
    assert url("accept", "elsewhere").encode() in response.content


def test_it_creates_a_space_from_the_form(personas, client_for):
    response = client_for(personas.alice).post(
        url("create"), {"name": "Data club", "slug": "", "kind": "community", "visibility": "open"}
    )
    space = Space.objects.get(slug="data-club")
    assert response.status_code == 302 and response["Location"] == space.get_absolute_url()
    assert Membership.objects.get(space=space, user=personas.alice).role == Membership.Role.OWNER


def test_it_shows_form_errors_for_a_taken_address(personas, client_for):
    response = client_for(personas.alice).post(
        url("create"), {"name": "Another", "slug": "team", "kind": "community", "visibility": "open"}
    )
    assert response.status_code == 400
    assert "taken" in response.context["form"].errors["slug"][0]


def test_it_refuses_the_create_page_to_guests(personas, client_for):
    client = client_for(personas.gus)
    assert client.get(url("create")).status_code == 403
    response = client.post(url("create"), {"name": "Sneaky", "kind": "community", "visibility": "open"})
    assert response.status_code == 403
    assert not Space.objects.filter(name="Sneaky").exists()


def test_it_lets_space_admins_edit_and_others_not(personas, client_for):
    data = {"name": "Team A", "slug": "team", "kind": "team", "description": "Hi", "visibility": "invite"}
    assert client_for(personas.alice).post(url("edit", "team"), data).status_code == 403
    assert client_for(personas.olly).get(url("edit", "team")).status_code == 404
    response = client_for(personas.mo).post(url("edit", "team"), data)
    assert response.status_code == 302
    personas.team.refresh_from_db()
    assert personas.team.name == "Team A"


def test_it_answers_404_for_invite_only_spaces_to_outsiders(personas, client_for):
    client = client_for(personas.olly)
    for name in ("space", "members", "cover"):
        assert client.get(url(name, "team")).status_code == 404
    for name in ("join", "leave", "watch", "accept"):
        assert client.post(url(name, "team")).status_code == 404


def test_it_shows_the_space_home_with_items_members_and_activity(personas, client_for):
    ItemFactory(title="Team notes", owner=personas.mo, space=personas.team, visibility=Visibility.SPACE)
    services.set_member_role(actor=personas.mo, space=personas.team, user=personas.alice, role="moderator")
    response = client_for(personas.gus).get(url("space", "team"))
    assert response.status_code == 200
    assert b"Team notes" in response.content
    members = [m.user.username for m in response.context["members"]]
    assert members == ["mo", "alice", "gus"]
    assert response.context["membership"].state == "active"


def test_it_keeps_items_the_viewer_may_not_see_off_the_space_page(personas, client_for):
    ItemFactory(title="Mo's diary", owner=personas.mo, space=personas.team, visibility=Visibility.PRIVATE)
    response = client_for(personas.alice).get(url("space", "team"))
    assert b"Mo&#x27;s diary" not in response.content and b"Mo's diary" not in response.content


def test_it_lets_people_join_and_leave_an_open_space(personas, client_for):
    space = SpaceFactory(slug="open", visibility=Space.Visibility.OPEN, created_by=personas.mo)
    client = client_for(personas.alice)
    assert client.post(url("join", "open")).status_code == 302
    assert Membership.objects.get(space=space, user=personas.alice).state == "active"
    assert client.post(url("leave", "open")).status_code == 302
    assert not Membership.objects.filter(space=space, user=personas.alice).exists()


def test_it_reports_why_the_last_owner_cannot_leave(personas, client_for):
    response = client_for(personas.mo).post(url("leave", "team"), follow=True)
    assert "last owner" in response.content.decode()
    assert Membership.objects.filter(space=personas.team, user=personas.mo).exists()


def test_it_toggles_watching_with_and_without_htmx(personas, client_for):
    client = client_for(personas.alice)
    response = client.post(url("watch", "team"), {"watch": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and b"Stop watching" in response.content and b"<html" not in response.content
    assert Watch.objects.filter(user=personas.alice, space=personas.team).exists()
    response = client.post(url("watch", "team"), {"watch": "0"})
    assert response.status_code == 302
    assert not Watch.objects.filter(user=personas.alice, space=personas.team).exists()


def test_it_shows_admins_requests_invitations_and_the_invite_form(personas, client_for):
    space = SpaceFactory(slug="asking", visibility=Space.Visibility.ORGANISATION, created_by=personas.mo)
    Membership.objects.create(space=space, user=personas.mo, role="owner")
    services.request_to_join(user=personas.alice, space=space)
    services.invite_to_space(inviter=personas.mo, space=space, user=personas.lee)
    response = client_for(personas.mo).get(url("members", "asking"))
    assert [m.user for m in response.context["requests"]] == [personas.alice]
    assert [m.user for m in response.context["invitations"]] == [personas.lee]
    assert b'name="who"' in response.content


def test_it_hides_requests_and_the_invite_form_from_plain_members(personas, client_for):
    response = client_for(personas.alice).get(url("members", "team"))
    assert response.status_code == 200
    assert "requests" not in response.context and b'name="who"' not in response.content
    assert [m.user.username for m in response.context["page"].rows] == ["mo", "alice", "gus"]


def test_it_invites_a_person_by_username_or_name(personas, client_for):
    client = client_for(personas.mo)
    assert client.post(url("invite", "team"), {"who": "lee"}).status_code == 302
    assert client.post(url("invite", "team"), {"who": "Olly Outsider"}).status_code == 302
    states = dict(Membership.objects.filter(space=personas.team).values_list("user__username", "state"))
    assert states["lee"] == states["olly"] == "invited"


def test_it_explains_when_nobody_matches_the_invitation(personas, client_for):
    response = client_for(personas.mo).post(url("invite", "team"), {"who": "nobody-here"})
    assert response.status_code == 400
    assert "Nobody called" in response.context["invite_form"].errors["who"][0]


def test_it_explains_when_the_person_is_already_a_member(personas, client_for):
    response = client_for(personas.mo).post(url("invite", "team"), {"who": "alice"})
    assert response.status_code == 400
    assert "already a member" in response.context["invite_form"].errors["who"][0]


def test_it_refuses_invitations_from_plain_members(personas, client_for):
    response = client_for(personas.alice).post(url("invite", "team"), {"who": "lee"})
    assert response.status_code == 403
    assert not Membership.objects.filter(space=personas.team, user=personas.lee).exists()


def test_it_lets_admins_approve_and_plain_members_not(personas, client_for):
    space = SpaceFactory(slug="asking", visibility=Space.Visibility.ORGANISATION, created_by=personas.mo)
    Membership.objects.create(space=space, user=personas.mo, role="owner")
    Membership.objects.create(space=space, user=personas.lee)
    services.request_to_join(user=personas.alice, space=space)
    client_for(personas.lee).post(url("approve", "asking", "alice"))
    assert Membership.objects.get(space=space, user=personas.alice).state == "requested"
    client_for(personas.mo).post(url("approve", "asking", "alice"))
    assert Membership.objects.get(space=space, user=personas.alice).state == "active"


def test_it_changes_roles_and_removes_members_from_the_members_page(personas, client_for):
    client = client_for(personas.mo)
    client.post(url("set-role", "team", "alice"), {"role": "moderator"})
    assert Membership.objects.get(space=personas.team, user=personas.alice).role == "moderator"
    client.post(url("remove", "team", "gus"))
    assert not Membership.objects.filter(space=personas.team, user=personas.gus).exists()


def test_it_suggests_people_to_invite_as_the_admin_types(personas, client_for):
    response = client_for(personas.mo).get(url("suggest", "team"), {"who": "ol"})
    assert b'<option value="olly">Olly Outsider</option>' in response.content
    assert client_for(personas.alice).get(url("suggest", "team"), {"who": "ol"}).status_code == 403


def test_it_asks_anonymous_visitors_to_sign_in(personas, client):
    response = client.get(url("space", "team"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_invites_an_unknown_address_to_sign_up_into_the_space(
    personas, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    from people.models import Invitation

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(personas.mo).post(url("invite", "team"), {"who": "pat@partner.example", "role": "guest"})
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="pat@partner.example")
    assert (invitation.space, invitation.role, invitation.invited_by) == (personas.team, "guest", personas.mo)
    assert mailoutbox[0].to == ["pat@partner.example"]


def test_it_invites_a_known_address_as_that_person(personas, client_for):
    client_for(personas.mo).post(url("invite", "team"), {"who": "LEE@example.com"})
    assert Membership.objects.get(space=personas.team, user=personas.lee).state == "invited"


def test_it_returns_to_the_list_after_leaving_a_space_that_is_now_hidden(personas, client_for):
    response = client_for(personas.alice).post(url("leave", "team"))
    assert response["Location"] == url("list")


def test_it_returns_to_the_list_after_declining_an_invitation(personas, client_for):
    services.invite_to_space(inviter=personas.olly, space=personas.elsewhere, user=personas.alice)
    response = client_for(personas.alice).post(url("decline-invitation", "elsewhere"))
    assert response["Location"] == url("list")
    assert not Membership.objects.filter(space=personas.elsewhere, user=personas.alice).exists()
