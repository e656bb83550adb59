import pytest
from django.test import Client

from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def test_it_hides_the_fifty_row_reference_unless_benchmarking(settings):
    settings.WATERCOOLER_BENCH = False
    ItemFactory(title="private plans", visibility="private")
    response = Client().get("/bench/rows")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert b"private plans" not in response.content


def test_it_renders_the_fifty_newest_titles_when_benchmarking(settings):
    settings.WATERCOOLER_BENCH = True
    for n in range(55):
        ItemFactory(title=f"row {n:02d}")
    response = Client().get("/bench/rows")
    assert response.status_code == 200
    assert response.content.count(b"<tr><td>") == 50
    assert b"row 54" in response.content and b"row 04" not in response.content
