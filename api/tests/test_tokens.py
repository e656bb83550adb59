import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from api.models import ApiToken
from api.services import create_token, revoke_token

pytestmark = pytest.mark.django_db


def bearer(secret):
    return {"Authorization": f"Bearer {secret}"}


def test_it_lets_a_token_call_the_api_as_its_owner(personas):
    _, secret = create_token(user=personas.alice, name="script")
    response = Client().get("/api/notifications/unread-count", headers=bearer(secret))
    assert response.status_code == 200
    assert response.json() == {"unread": 0, "capped": False}
    assert ApiToken.objects.get().last_used is not None


def test_it_refuses_a_revoked_token_with_401(personas):
    token, secret = create_token(user=personas.alice, name="script")
    revoke_token(token=token)
    response = Client().get("/api/notifications/unread-count", headers=bearer(secret))
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication required."}


@pytest.mark.parametrize("secret", ["wc_not-a-real-token", "something-else", ""])
def test_it_refuses_a_wrong_token_with_401_even_where_anonymous_may_read(personas, secret):
    for url in ("/api/notifications/", "/api/items/"):
        response = Client().get(url, headers=bearer(secret))
        assert response.status_code == 401, url
        assert "detail" in response.json()


def test_it_refuses_a_wrong_token_on_writes_with_401_not_a_csrf_error(personas):
    response = Client().post("/api/notifications/read-all", headers=bearer("wc_wrong"))
    assert response.status_code == 401


def test_it_refuses_a_deactivated_persons_token(personas):
    _, secret = create_token(user=personas.alice, name="script")
    personas.alice.is_active = False
    personas.alice.save()
    assert Client().get("/api/tokens/", headers=bearer(secret)).status_code == 401


def test_it_stores_only_a_digest_of_the_secret(personas):
    token, secret = create_token(user=personas.alice, name="script")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM api_apitoken")
        stored = " ".join(str(value) for row in cursor.fetchall() for value in row)
    assert secret not in stored
    assert secret[10:20] not in stored
    assert token.digest == ApiToken.digest_of(secret) and token.prefix == secret[:10]


def test_it_prints_a_working_token_from_the_command_line(personas):
    out = io.StringIO()
    call_command("createtoken", "alice", "--name", "cron job", stdout=out)
    secret = out.getvalue().strip()
    assert ApiToken.objects.get(user=personas.alice).name == "cron job"
    response = Client().get("/api/tokens/", headers=bearer(secret))
    assert response.status_code == 200 and response.json()[0]["name"] == "cron job"


def test_it_creates_lists_and_revokes_tokens_through_the_api(personas, client_for):
    client = client_for(personas.alice)
    made = client.post("/api/tokens/", {"name": "laptop"}, content_type="application/json")
    assert made.status_code == 201 and made.json()["secret"].startswith("wc_")
    token_id = made.json()["id"]
    assert [t["name"] for t in client.get("/api/tokens/").json()] == ["laptop"]
    assert "secret" not in client.get("/api/tokens/").json()[0]
    assert client.post(f"/api/tokens/{token_id}/revoke").json()["revoked_at"] is not None
    assert Client().get("/api/tokens/", headers=bearer(made.json()["secret"])).status_code == 401


def test_it_will_not_revoke_someone_elses_token_through_the_api(personas, client_for):
    token, _ = create_token(user=personas.mo, name="mo's")
    response = client_for(personas.alice).post(f"/api/tokens/{token.pk}/revoke")
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}
    token.refresh_from_db()
    assert token.revoked_at is None


def test_it_shows_the_secret_once_on_the_tokens_page(personas, client_for):
    client = client_for(personas.alice)
    response = client.post(reverse("settings:tokens"), {"name": "reading list script"})
    secret = response.context["secret"]
    assert secret in response.content.decode() and "only time it is shown" in response.content.decode()
    again = client.get(reverse("settings:tokens")).content.decode()
    assert secret not in again and "reading list script" in again and secret[:10] in again


def test_it_asks_for_a_name_on_the_tokens_page(personas, client_for):
    response = client_for(personas.alice).post(reverse("settings:tokens"), {"name": "  "})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_it_revokes_from_the_tokens_page(personas, client_for):
    token, _ = create_token(user=personas.alice, name="old script")
    response = client_for(personas.alice).post(reverse("settings:token-revoke", args=[token.pk]), follow=True)
    assert "is revoked" in response.content.decode() and "Revoked" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_it_answers_404_when_revoking_someone_elses_token_from_the_page(personas, client_for):
    token, _ = create_token(user=personas.mo, name="mo's")
    response = client_for(personas.alice).post(reverse("settings:token-revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
