import pytest
from django.urls import reverse

from people.models import Invitation, Skill
from people.tests.helpers import give

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["user", "site", "skill", "personskill", "invitation"])
def test_it_lists_every_people_model_in_the_back_office(personas, client_for, tree, model):
    give(personas.alice, tree.python)
    response = client_for(personas.ada).get(reverse(f"admin:people_{model}_changelist"), {"q": "a"})
    assert response.status_code == 200


def test_it_edits_a_person_with_profile_fields_and_role(personas, client_for):
    response = client_for(personas.ada).get(reverse("admin:people_user_change", args=[personas.alice.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    for field in ('name="role"', 'name="job_title"', 'name="time_zone"', 'name="skills-TOTAL_FORMS"'):
        assert field in body


def test_it_updates_the_depth_under_a_skill_moved_in_the_back_office(personas, client_for, tree):
    url = reverse("admin:people_skill_change", args=[tree.programming.pk])
    data = {
        "name": "Programming",
        "slug": "programming",
        "parent": tree.negotiation.pk,
        "alt_labels": "",
        "description": "",
        "uri": "",
    }
    assert client_for(personas.ada).post(url, data).status_code == 302
    assert Skill.objects.get(pk=tree.django.pk).depth == 3


def test_it_refuses_to_put_a_skill_under_its_own_narrower_skill(personas, client_for, tree):
    url = reverse("admin:people_skill_change", args=[tree.programming.pk])
    data = {
        "name": "Programming",
        "slug": "programming",
        "parent": tree.django.pk,
        "alt_labels": "",
        "description": "",
        "uri": "",
    }
    response = client_for(personas.ada).post(url, data)
    assert "cannot sit under itself" in response.content.decode()
    assert Skill.objects.get(pk=tree.programming.pk).parent is None


def test_it_resends_invitations_from_the_back_office(
    personas, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    from people.services import invite_person

    invitation = invite_person(inviter=personas.ada, email="new@example.com", role="learner")
    data = {"action": "resend", "_selected_action": [invitation.pk]}
    with django_capture_on_commit_callbacks(execute=True):
        client_for(personas.ada).post(reverse("admin:people_invitation_changelist"), data)
    assert len(mailoutbox) == 1 and Invitation.objects.get().accepted_at is None


def test_it_gives_back_office_permissions_to_the_admin_role_only(personas):
    personas.lee.is_staff = True
    personas.lee.save()
    assert personas.ada.has_perm("people.change_skill") and personas.ada.has_module_perms("people")
    assert not personas.lee.has_perm("people.change_skill")
    personas.ada.is_active = False
    assert not personas.ada.has_perm("people.change_skill")
