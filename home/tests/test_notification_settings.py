import pytest
from django.urls import reverse

from core.models import NotificationPreference
from core.notifications import KINDS, preferences_of

pytestmark = pytest.mark.django_db


def choices(**changes):
    data = {kind: default for kind, (_, default) in KINDS.items()}
    data.update(changes)
    return data


def test_it_shows_one_row_per_type_with_the_defaults_chosen(personas, client_for):
    html = client_for(personas.alice).get(reverse("settings:notifications")).content.decode()
    for kind, (label, default) in KINDS.items():
        assert label in html
        assert f'name="{kind}" value="{default}"' in html
    assert html.count("checked") == len(KINDS)
    assert personas.alice.email in html


def test_it_saves_a_channel_for_every_type(personas, client_for):
    response = client_for(personas.alice).post(
        reverse("settings:notifications"), choices(invited="off", new_in_space="email")
    )
    assert response.status_code == 302
    saved = dict(NotificationPreference.objects.filter(user=personas.alice).values_list("kind", "channel"))
    assert saved == choices(invited="off", new_in_space="email")
    assert preferences_of(personas.alice)["invited"] == "off"


def test_it_changes_a_saved_choice_rather_than_adding_another(personas, client_for):
    client = client_for(personas.alice)
    client.post(reverse("settings:notifications"), choices(mentioned="digest"))
    client.post(reverse("settings:notifications"), choices(mentioned="in_app"))
    assert NotificationPreference.objects.filter(user=personas.alice).count() == len(KINDS)
    assert preferences_of(personas.alice)["mentioned"] == "in_app"


def test_it_refuses_an_unknown_channel_with_a_form_error(personas, client_for):
    response = client_for(personas.alice).post(reverse("settings:notifications"), choices(invited="carrier-pigeon"))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_it_keeps_anonymous_visitors_out(client):
    response = client.get(reverse("settings:notifications"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
