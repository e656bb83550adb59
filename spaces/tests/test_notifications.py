"""The membership services feed core.notifications: the right person hears about each change."""

import pytest

from core.models import Notification
from spaces import services
from spaces.models import Space

pytestmark = pytest.mark.django_db


def kinds_for(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_it_tells_the_invited_person(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_to_space(inviter=personas.mo, space=personas.team, user=personas.lee)
    assert kinds_for(personas.lee) == ["invited"]
    assert kinds_for(personas.mo) == []


def test_it_tells_a_guest_they_are_invited(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_to_space(inviter=personas.olly, space=personas.elsewhere, user=personas.gus)
    note = Notification.objects.get(recipient=personas.gus)
    assert (note.kind, note.activity.space) == ("invited", personas.elsewhere)


def test_it_tells_the_space_admins_when_someone_asks_to_join(personas, django_capture_on_commit_callbacks):
    space = services.create_space(creator=personas.mo, name="Asking", visibility=Space.Visibility.ORGANISATION)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_to_join(user=personas.alice, space=space)
    assert kinds_for(personas.mo) == ["join_request"]
    assert kinds_for(personas.alice) == []


def test_it_tells_the_person_whose_request_is_approved(personas, django_capture_on_commit_callbacks):
    space = services.create_space(creator=personas.mo, name="Asking", visibility=Space.Visibility.ORGANISATION)
    services.request_to_join(user=personas.alice, space=space)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_request(approver=personas.mo, space=space, user=personas.alice)
    assert kinds_for(personas.alice) == ["request_approved"]


def test_it_tells_the_space_admins_when_someone_joins(personas, django_capture_on_commit_callbacks):
    space = services.create_space(creator=personas.mo, name="Open house", visibility=Space.Visibility.OPEN)
    with django_capture_on_commit_callbacks(execute=True):
        services.join_space(user=personas.alice, space=space)
    assert kinds_for(personas.mo) == ["member_joined"]


def test_it_tells_the_inviter_when_the_invitation_is_accepted(personas, django_capture_on_commit_callbacks):
    services.invite_to_space(inviter=personas.mo, space=personas.team, user=personas.lee)
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_invitation(user=personas.lee, space=personas.team)
    assert kinds_for(personas.mo) == ["member_joined"]
    assert kinds_for(personas.lee) == []


def test_it_tells_nobody_about_a_declined_request(personas, django_capture_on_commit_callbacks):
    space = services.create_space(creator=personas.mo, name="Asking", visibility=Space.Visibility.ORGANISATION)
    services.request_to_join(user=personas.alice, space=space)
    before = Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        services.decline_request(decliner=personas.mo, space=space, user=personas.alice)
    assert Notification.objects.count() == before
