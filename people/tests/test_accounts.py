import re

import pytest
from django.urls import reverse

from people.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def log_in(client, login, password):
    return client.post(reverse("account_login"), {"login": login, "password": password})


def test_it_throttles_the_sixth_wrong_password_in_a_row(db, client):
    UserFactory(username="sam")
    for _ in range(5):
        body = log_in(client, "sam", "wrong-password").content.decode()
        assert "The username and/or password you specified are not correct." in body
    body = log_in(client, "sam", "wrong-password").content.decode()
    assert "Too many failed login attempts. Try again later." in body


def test_it_keeps_refusing_a_throttled_account_even_with_the_right_password(db, client):
    UserFactory(username="sam")
    for _ in range(6):
        log_in(client, "sam", "wrong-password")
    response = log_in(client, "sam", PASSWORD)
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_signs_up_signs_out_signs_in_and_resets_a_password(db, client, mailoutbox):
    data = {
        "email": "kai@example.com",
        "username": "kai",
        "password1": "a-long-passphrase-9",
        "password2": "a-long-passphrase-9",
    }
    assert client.post(reverse("account_signup"), data).status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(username="kai").pk)
    assert any("kai@example.com" in m.to for m in mailoutbox)  # the address confirmation
    assert client.post(reverse("account_logout")).status_code == 302
    assert "_auth_user_id" not in client.session
    assert log_in(client, "kai@example.com", "a-long-passphrase-9").status_code == 302
    client.post(reverse("account_logout"))
    mailoutbox.clear()
    assert client.post(reverse("account_reset_password"), {"email": "kai@example.com"}).status_code == 302
    assert len(mailoutbox) == 1 and re.search(r"/accounts/password/reset/key/\S+", mailoutbox[0].body)


def test_it_sets_a_new_password_from_the_reset_link(db, client, mailoutbox):
    UserFactory(username="sam", email="sam@example.com")
    client.post(reverse("account_reset_password"), {"email": "sam@example.com"})
    link = re.search(r"http://\S+(/accounts/password/reset/key/\S+)", mailoutbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    new = {"password1": "brand-new-passphrase-7", "password2": "brand-new-passphrase-7"}
    assert client.post(form_url, new).status_code == 302
    assert log_in(client, "sam", PASSWORD).status_code == 200
    assert log_in(client, "sam", "brand-new-passphrase-7").status_code == 302


def test_a_newcomer_is_findable_in_search_as_soon_as_they_sign_up(db, client, django_capture_on_commit_callbacks):
    from search.models import SearchDocument

    data = {"email": "noor@example.com", "username": "noor", "password1": "a-long-passphrase-9"}
    data["password2"] = data["password1"]
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("account_signup"), data).status_code == 302
    assert SearchDocument.objects.filter(person__username="noor").exists()
