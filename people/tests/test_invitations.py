import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from core.models import SiteConfig
from people import services
from people.models import Invitation, User
from spaces.models import Membership

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-unusual-passphrase-42"


def set_mode(mode, domains=""):
    config = SiteConfig.load()
    config.signup_mode, config.allowed_domains = mode, domains
    config.save()


def sign_up(client, email, username="newbie"):
    data = {"email": email, "username": username, "password1": PASSWORD, "password2": PASSWORD}
    return client.post(reverse("account_signup"), data)


def invite(personas, email="pat@partner.example", role=User.Role.GUEST, space="team"):
    space = getattr(personas, space) if space else None
    return services.invite_person(inviter=personas.mo, email=email, role=role, space=space)


def test_it_emails_the_invitation_link(personas, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(personas)
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["pat@partner.example"] and "Mo Mentor invites you to Team" in message.subject
    assert reverse("people:invite", args=[invitation.token]) in message.body
    assert "as a guest" in message.body


def test_it_lets_only_the_right_people_invite(personas):
    with pytest.raises(PermissionDenied):
        services.invite_person(inviter=personas.gus, email="x@example.org", role=User.Role.LEARNER)
    with pytest.raises(PermissionDenied):
        services.invite_person(inviter=personas.alice, email="x@example.org", role=User.Role.CURATOR)
    with pytest.raises(PermissionDenied):
        services.invite_person(inviter=personas.alice, email="x@example.org", role=User.Role.GUEST, space=personas.team)
    with pytest.raises(ValidationError, match="Invite a guest to a space"):
        services.invite_person(inviter=personas.mo, email="x@example.org", role=User.Role.GUEST)
    assert services.invite_person(inviter=personas.ada, email="x@example.org", role=User.Role.CURATOR).pk


def test_it_refuses_to_invite_an_address_that_has_an_account(personas):
    with pytest.raises(ValidationError, match="already has an account"):
        services.invite_person(inviter=personas.mo, email="ALICE@example.com", role=User.Role.LEARNER)
    with pytest.raises(ValidationError, match="is not an e-mail address"):
        services.invite_person(inviter=personas.mo, email="not-an-address", role=User.Role.LEARNER)


def test_it_lets_anyone_sign_up_in_open_mode(db, client):
    set_mode(SiteConfig.SignupMode.OPEN)
    response = sign_up(client, "someone@anywhere.example")
    assert response.status_code == 302
    assert User.objects.get(username="newbie").role == User.Role.LEARNER


def test_it_limits_sign_up_to_the_allowed_domains(db, client):
    set_mode(SiteConfig.SignupMode.DOMAINS, "example.com\nexample.org")
    refused = sign_up(client, "someone@elsewhere.example")
    assert "Sign-up is limited to addresses at example.com, example.org." in refused.content.decode()
    assert sign_up(client, "someone@example.org").status_code == 302
    assert User.objects.filter(email="someone@example.org").exists()


def test_it_lets_an_invited_partner_past_the_domain_rule(personas, client):
    set_mode(SiteConfig.SignupMode.DOMAINS, "example.com")
    invitation = invite(personas)
    client.get(reverse("people:invite", args=[invitation.token]))
    assert sign_up(client, "pat@partner.example").status_code == 302
    assert User.objects.get(email="pat@partner.example").role == User.Role.GUEST


def test_it_closes_sign_up_without_an_invitation_in_invitation_mode(db, client):
    set_mode(SiteConfig.SignupMode.INVITATION)
    response = sign_up(client, "someone@example.com")
    assert not User.objects.filter(username="newbie").exists()
    assert "closed" in response.content.decode().lower()


def test_it_applies_the_invited_role_and_space_on_sign_up(personas, client):
    set_mode(SiteConfig.SignupMode.INVITATION)
    invitation = invite(personas)
    response = client.get(reverse("people:invite", args=[invitation.token]))
    assert response.status_code == 302 and response["Location"] == reverse("account_signup")
    assert "pat@partner.example" in client.get(reverse("account_signup")).content.decode()
    assert sign_up(client, "pat@partner.example").status_code == 302
    pat = User.objects.get(email="pat@partner.example")
    membership = Membership.objects.get(user=pat, space=personas.team)
    assert pat.role == User.Role.GUEST and membership.state == Membership.State.ACTIVE
    invitation.refresh_from_db()
    personas.team.refresh_from_db()
    assert invitation.accepted_at is not None and personas.team.member_count == 4


def test_it_marks_the_invited_address_as_verified(personas, client):
    from allauth.account.models import EmailAddress

    invitation = invite(personas)
    client.get(reverse("people:invite", args=[invitation.token]))
    sign_up(client, "pat@partner.example")
    assert EmailAddress.objects.get(email="pat@partner.example").verified


def test_it_refuses_an_invitation_used_with_another_address(personas, client):
    set_mode(SiteConfig.SignupMode.INVITATION)
    invitation = invite(personas)
    client.get(reverse("people:invite", args=[invitation.token]))
    response = sign_up(client, "someone.else@example.com")
    assert "This invitation is for pat@partner.example" in response.content.decode()
    assert not User.objects.filter(username="newbie").exists()


def test_it_answers_404_for_used_expired_or_unknown_invitations(personas, client):
    used, expired = invite(personas), invite(personas, email="old@partner.example")
    used.accepted_at = timezone.now()
    used.save()
    Invitation.objects.filter(pk=expired.pk).update(created=timezone.now() - timedelta(days=31))
    for token in (used.token, expired.token, "nonsense"):
        response = client.get(reverse("people:invite", args=[token]))
        assert response.status_code == 404 and "cannot be used" in response.content.decode()


def test_it_lets_a_signed_in_invitee_join_the_space(personas, client_for):
    # Lee made an account with the invited address before opening the link.
    invitation = invite(personas, email="Lee.New@example.com", space="team")
    personas.lee.email = "lee.new@example.com"
    personas.lee.save()
    client = client_for(personas.lee)
    page = client.get(reverse("people:invite", args=[invitation.token]))
    assert "Join Team" in page.content.decode()
    response = client.post(reverse("people:invite", args=[invitation.token]))
    assert response.status_code == 302
    assert Membership.objects.get(user=personas.lee, space=personas.team).state == Membership.State.ACTIVE
    personas.lee.refresh_from_db()
    assert personas.lee.role == User.Role.CURATOR


def test_it_sends_invitations_from_the_invite_page(
    personas, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for(personas.mo)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("people:invite-new"), {"email": "kim@example.net", "role": "learner"})
    assert response.status_code == 302 and len(mailoutbox) == 1
    assert "kim@example.net" in client.get(reverse("people:invite-new")).content.decode()
    assert client_for(personas.gus).get(reverse("people:invite-new")).status_code == 404


def test_it_shows_permission_problems_on_the_invite_page(personas, client_for):
    data = {"email": "kim@example.net", "role": "guest"}
    response = client_for(personas.mo).post(reverse("people:invite-new"), data)
    assert "Invite a guest to a space" in response.content.decode()
    assert not Invitation.objects.exists()


def test_it_keeps_reserved_usernames_for_paths(db, client):
    response = sign_up(client, "me@example.com", username="skills")
    assert re.search(r"That username is reserved", response.content.decode())


def test_it_does_not_let_someone_else_signed_in_use_the_invitation(personas, client_for):
    invitation = invite(personas)
    client = client_for(personas.olly)
    assert (
        "This invitation is for someone else"
        in client.get(reverse("people:invite", args=[invitation.token])).content.decode()
    )
    client.post(reverse("people:invite", args=[invitation.token]))
    assert not Membership.objects.filter(user=personas.olly, space=personas.team).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
