import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.access import can_view, space_roles
from core.models import Activity, Watch
from spaces import services
from spaces.models import Membership, Space
from tests.factories import SpaceFactory, UserFactory

pytestmark = pytest.mark.django_db

State = Membership.State
Role = Membership.Role


def state_of(space, user):
    return Membership.objects.filter(space=space, user=user).values_list("state", flat=True).first()


def make_space(owner, visibility=Space.Visibility.OPEN, name="Data club"):
    return services.create_space(creator=owner, name=name, kind=Space.Kind.COMMUNITY, visibility=visibility)


def test_it_makes_the_creator_the_owner_who_watches_the_space(personas):
    space = make_space(personas.alice)
    membership = Membership.objects.get(space=space, user=personas.alice)
    assert (membership.role, membership.state) == (Role.OWNER, State.ACTIVE)
    assert space.member_count == 1
    assert Watch.objects.filter(user=personas.alice, space=space).exists()
    assert Activity.objects.filter(actor=personas.alice, verb=Activity.Verb.CREATED, space=space).exists()
    assert space_roles(personas.alice)[space.pk] == Role.OWNER


def test_it_refuses_to_let_guests_create_spaces(personas):
    with pytest.raises(PermissionDenied):
        make_space(personas.gus)
    assert not Space.objects.filter(name="Data club").exists()


def test_it_makes_unique_addresses_from_names(personas):
    first = make_space(personas.alice, name="Data Club")
    second = make_space(personas.mo, name="Data club!")
    assert (first.slug, second.slug) == ("data-club", "data-club-2")
    assert make_space(personas.lee, name="New").slug == "new-2"


def test_it_refuses_an_address_that_is_taken(personas):
    make_space(personas.alice, name="Data club")
    with pytest.raises(ValidationError) as caught:
        services.create_space(creator=personas.mo, name="Other", slug="data-club", visibility="open")
    assert "slug" in caught.value.message_dict


def test_it_refuses_unknown_kinds_and_visibilities(personas):
    with pytest.raises(ValidationError) as caught:
        services.create_space(creator=personas.alice, name="X", kind="club", visibility="secret")
    assert set(caught.value.message_dict) == {"kind", "visibility"}


def test_it_lets_only_admins_edit_a_space(personas):
    fields = {"name": "Team two", "kind": "team", "description": "New words", "visibility": "invite"}
    with pytest.raises(PermissionDenied):
        services.update_space(editor=personas.alice, space=personas.team, **fields)
    services.update_space(editor=personas.mo, space=personas.team, **fields)
    personas.team.refresh_from_db()
    assert (personas.team.name, personas.team.description) == ("Team two", "New words")


def test_it_lets_people_join_open_spaces_at_once_and_watch_them(personas):
    space = make_space(personas.mo)
    membership = services.join_space(user=personas.alice, space=space)
    assert membership.state == State.ACTIVE
    space.refresh_from_db()
    assert space.member_count == 2
    assert Watch.objects.filter(user=personas.alice, space=space).exists()
    assert Activity.objects.filter(actor=personas.alice, verb=Activity.Verb.JOINED, space=space).exists()


def test_it_turns_joining_a_visible_space_into_a_request(personas):
    space = make_space(personas.mo, visibility=Space.Visibility.ORGANISATION)
    membership = services.join_space(user=personas.alice, space=space)
    assert membership.state == State.REQUESTED
    assert space.member_count == 1
    assert Activity.objects.filter(actor=personas.alice, verb=Activity.Verb.REQUESTED, space=space).exists()
    assert can_view(personas.alice, space)


def test_it_refuses_joining_an_invite_only_space_without_an_invitation(personas):
    with pytest.raises(PermissionDenied):
        services.join_space(user=personas.olly, space=personas.team)
    with pytest.raises(PermissionDenied):
        services.request_to_join(user=personas.olly, space=personas.team)
    assert state_of(personas.team, personas.olly) is None


def test_it_keeps_guests_out_of_open_spaces_unless_invited(personas):
    space = make_space(personas.mo)
    assert not can_view(personas.gus, space)
    with pytest.raises(PermissionDenied):
        services.join_space(user=personas.gus, space=space)
    services.invite_to_space(inviter=personas.mo, space=space, user=personas.gus)
    assert can_view(personas.gus, space)
    assert services.join_space(user=personas.gus, space=space).state == State.ACTIVE


def test_it_asks_people_to_join_open_spaces_directly_rather_than_request(personas):
    space = make_space(personas.mo)
    with pytest.raises(ValidationError):
        services.request_to_join(user=personas.alice, space=space)


def test_it_does_not_duplicate_a_request(personas):
    space = make_space(personas.mo, visibility=Space.Visibility.ORGANISATION)
    services.request_to_join(user=personas.alice, space=space)
    services.join_space(user=personas.alice, space=space)
    assert Membership.objects.filter(space=space, user=personas.alice).count() == 1
    assert Activity.objects.filter(verb=Activity.Verb.REQUESTED, space=space).count() == 1


def test_it_lets_space_admins_approve_requests(personas):
    space = make_space(personas.mo, visibility=Space.Visibility.ORGANISATION)
    services.request_to_join(user=personas.alice, space=space)
    services.approve_request(approver=personas.mo, space=space, user=personas.alice)
    assert state_of(space, personas.alice) == State.ACTIVE
    assert space.member_count == 2
    assert Watch.objects.filter(user=personas.alice, space=space).exists()
    approval = Activity.objects.get(verb=Activity.Verb.APPROVED, space=space)
    assert (approval.actor, approval.target) == (personas.mo, personas.alice)


def test_it_refuses_approvals_from_people_who_do_not_run_the_space(personas):
    space = make_space(personas.mo, visibility=Space.Visibility.ORGANISATION)
    services.join_space(user=personas.lee, space=space)
    services.request_to_join(user=personas.alice, space=space)
    services.approve_request(approver=personas.mo, space=space, user=personas.lee)
    with pytest.raises(PermissionDenied):
        services.approve_request(approver=personas.lee, space=space, user=personas.alice)
    with pytest.raises(PermissionDenied):
        services.decline_request(decliner=personas.lee, space=space, user=personas.alice)
    assert state_of(space, personas.alice) == State.REQUESTED


def test_it_lets_moderators_decline_requests(personas):
    space = make_space(personas.mo, visibility=Space.Visibility.ORGANISATION)
    services.invite_to_space(inviter=personas.mo, space=space, user=personas.lee)
    services.accept_invitation(user=personas.lee, space=space)
    services.set_member_role(actor=personas.mo, space=space, user=personas.lee, role=Role.MODERATOR)
    services.request_to_join(user=personas.alice, space=space)
    services.decline_request(decliner=personas.lee, space=space, user=personas.alice)
    assert state_of(space, personas.alice) is None
    declined = Activity.objects.get(space=space, extra__membership="request_declined")
    assert (declined.actor, declined.target) == (personas.lee, personas.alice)


def test_it_refuses_to_approve_someone_who_did_not_ask(personas):
    with pytest.raises(ValidationError):
        services.approve_request(approver=personas.mo, space=personas.team, user=personas.olly)


def test_it_records_invitations_and_lets_the_invited_person_accept(personas):
    membership = services.invite_to_space(inviter=personas.mo, space=personas.team, user=personas.lee)
    assert (membership.state, membership.invited_by) == (State.INVITED, personas.mo)
    invited = Activity.objects.get(verb=Activity.Verb.INVITED, space=personas.team)
    assert (invited.actor, invited.target) == (personas.mo, personas.lee)
    services.accept_invitation(user=personas.lee, space=personas.team)
    assert state_of(personas.team, personas.lee) == State.ACTIVE
    assert personas.team.member_count == 4
    assert Watch.objects.filter(user=personas.lee, space=personas.team).exists()


def test_it_lets_the_invited_person_decline(personas):
    services.invite_to_space(inviter=personas.mo, space=personas.team, user=personas.lee)
    services.decline_invitation(user=personas.lee, space=personas.team)
    assert state_of(personas.team, personas.lee) is None
    assert not can_view(personas.lee, personas.team)


def test_it_refuses_invitations_from_plain_members(personas):
    with pytest.raises(PermissionDenied):
        services.invite_to_space(inviter=personas.alice, space=personas.team, user=personas.lee)
    assert state_of(personas.team, personas.lee) is None


def test_it_refuses_to_invite_someone_twice_or_a_member(personas):
    services.invite_to_space(inviter=personas.mo, space=personas.team, user=personas.lee)
    with pytest.raises(ValidationError):
        services.invite_to_space(inviter=personas.mo, space=personas.team, user=personas.lee)
    with pytest.raises(ValidationError):
        services.invite_to_space(inviter=personas.mo, space=personas.team, user=personas.alice)


def test_it_treats_inviting_someone_who_asked_as_letting_them_in(personas):
    space = make_space(personas.mo, visibility=Space.Visibility.ORGANISATION)
    services.request_to_join(user=personas.alice, space=space)
    services.invite_to_space(inviter=personas.mo, space=space, user=personas.alice)
    assert state_of(space, personas.alice) == State.ACTIVE
    assert Activity.objects.filter(verb=Activity.Verb.APPROVED, target=personas.alice, space=space).exists()


def test_it_lets_members_leave_and_stop_watching(personas):
    space = make_space(personas.mo)
    services.join_space(user=personas.alice, space=space)
    services.leave_space(user=personas.alice, space=space)
    assert state_of(space, personas.alice) is None
    assert space.member_count == 1
    assert not Watch.objects.filter(user=personas.alice, space=space).exists()
    assert Activity.objects.filter(actor=personas.alice, verb=Activity.Verb.LEFT, space=space).exists()


def test_it_does_not_let_the_last_owner_leave(personas):
    with pytest.raises(ValidationError) as caught:
        services.leave_space(user=personas.mo, space=personas.team)
    assert "last owner" in caught.value.messages[0]
    assert state_of(personas.team, personas.mo) == State.ACTIVE


def test_it_lets_an_owner_leave_once_there_is_another(personas):
    services.set_member_role(actor=personas.mo, space=personas.team, user=personas.alice, role=Role.OWNER)
    services.leave_space(user=personas.mo, space=personas.team)
    assert state_of(personas.team, personas.mo) is None


def test_it_withdraws_a_request_when_the_person_leaves_before_approval(personas):
    space = make_space(personas.mo, visibility=Space.Visibility.ORGANISATION)
    services.request_to_join(user=personas.alice, space=space)
    services.leave_space(user=personas.alice, space=space)
    assert state_of(space, personas.alice) is None
    assert space.member_count == 1


def test_it_lets_only_owners_make_owners(personas):
    services.set_member_role(actor=personas.mo, space=personas.team, user=personas.alice, role=Role.MODERATOR)
    with pytest.raises(PermissionDenied):
        services.set_member_role(actor=personas.alice, space=personas.team, user=personas.gus, role=Role.OWNER)
    services.set_member_role(actor=personas.alice, space=personas.team, user=personas.gus, role=Role.MODERATOR)
    assert Membership.objects.get(space=personas.team, user=personas.gus).role == Role.MODERATOR
    with pytest.raises(PermissionDenied):
        services.set_member_role(actor=personas.alice, space=personas.team, user=personas.mo, role=Role.MEMBER)


def test_it_refuses_role_changes_from_plain_members(personas):
    with pytest.raises(PermissionDenied):
        services.set_member_role(actor=personas.gus, space=personas.team, user=personas.alice, role=Role.MODERATOR)


def test_it_does_not_demote_the_last_owner(personas):
    with pytest.raises(ValidationError):
        services.set_member_role(actor=personas.mo, space=personas.team, user=personas.mo, role=Role.MEMBER)
    assert Membership.objects.get(space=personas.team, user=personas.mo).role == Role.OWNER


def test_it_records_role_changes_with_their_details(personas):
    services.set_member_role(actor=personas.mo, space=personas.team, user=personas.alice, role=Role.MODERATOR)
    change = Activity.objects.get(space=personas.team, extra__membership="role")
    assert (change.actor, change.target, change.verb) == (personas.mo, personas.alice, Activity.Verb.UPDATED)
    assert (change.extra["role"], change.extra["previous"]) == ("moderator", "member")


def test_it_lets_admins_remove_members(personas):
    services.recount_members(space=personas.team)
    services.remove_member(actor=personas.mo, space=personas.team, user=personas.alice)
    assert state_of(personas.team, personas.alice) is None
    assert personas.team.member_count == 2
    assert not can_view(personas.alice, personas.team)


def test_it_refuses_removals_by_plain_members_and_of_owners_by_moderators(personas):
    with pytest.raises(PermissionDenied):
        services.remove_member(actor=personas.gus, space=personas.team, user=personas.alice)
    services.set_member_role(actor=personas.mo, space=personas.team, user=personas.alice, role=Role.MODERATOR)
    with pytest.raises(PermissionDenied):
        services.remove_member(actor=personas.alice, space=personas.team, user=personas.mo)
    assert state_of(personas.team, personas.mo) == State.ACTIVE


def test_it_withdraws_an_invitation_by_removing_it(personas):
    services.invite_to_space(inviter=personas.mo, space=personas.team, user=personas.lee)
    services.remove_member(actor=personas.mo, space=personas.team, user=personas.lee)
    assert state_of(personas.team, personas.lee) is None


def test_it_lets_site_admins_run_any_space(personas):
    services.invite_to_space(inviter=personas.ada, space=personas.elsewhere, user=personas.alice)
    services.accept_invitation(user=personas.alice, space=personas.elsewhere)
    services.set_member_role(actor=personas.ada, space=personas.elsewhere, user=personas.alice, role=Role.OWNER)
    assert Membership.objects.get(space=personas.elsewhere, user=personas.alice).role == Role.OWNER


def test_it_keeps_the_member_count_right_through_every_change(personas):
    space = make_space(personas.mo, visibility=Space.Visibility.ORGANISATION)
    others = UserFactory.create_batch(3)
    for person in others:
        services.request_to_join(user=person, space=space)
        services.approve_request(approver=personas.mo, space=space, user=person)
    services.leave_space(user=others[0], space=space)
    services.remove_member(actor=personas.mo, space=space, user=others[1])
    space.refresh_from_db()
    assert space.member_count == Membership.objects.filter(space=space, state=State.ACTIVE).count() == 2


def test_it_forgets_cached_roles_after_a_membership_changes(personas):
    space = SpaceFactory(visibility=Space.Visibility.OPEN, created_by=personas.mo)
    assert space.pk not in space_roles(personas.alice)
    services.join_space(user=personas.alice, space=space)
    assert space_roles(personas.alice)[space.pk] == Role.MEMBER
    services.leave_space(user=personas.alice, space=space)
    assert space.pk not in space_roles(personas.alice)


def test_it_keeps_the_member_count_when_a_stale_copy_of_the_space_is_edited(personas):
    space = make_space(personas.mo)
    stale = Space.objects.get(pk=space.pk)
    services.join_space(user=personas.alice, space=space)
    services.update_space(
        editor=personas.mo, space=stale, name="Renamed", kind="team", description="", visibility="open"
    )
    space.refresh_from_db()
    assert (space.name, space.member_count) == ("Renamed", 2)
