from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db


def test_it_reports_ok_when_the_database_answers():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_it_reports_503_when_the_database_does_not_answer():
    with mock.patch("django.db.backends.base.base.BaseDatabaseWrapper.cursor", side_effect=OperationalError("down")):
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] != "ok"


@pytest.mark.django_db
def test_a_method_the_api_does_not_take_answers_405_with_a_detail(client):
    response = client.delete("/api/search/?q=notes")
    assert response.status_code == 405
    assert response.json() == {"detail": "DELETE is not allowed here; use GET."}
    assert response["Allow"] == "GET"
