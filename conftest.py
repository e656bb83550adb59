"""Shared personas (STYLE.md §16) and fixtures for every app's tests."""

import pytest
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from tests.caching import clear_cache
from tests.factories import make_personas

# Property tests check behaviour, not speed: a busy CI machine must not fail them for drawing inputs slowly.
hypothesis_settings.register_profile("watercooler", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("watercooler")


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Each test gets its own media folder and an empty cache (the database is rolled back anyway)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    clear_cache()  # only this worker's keys: the prefix is per xdist worker
    yield


@pytest.fixture
def personas(db):
    """alice (learner), mo (mentor), lee (L&D curator), ada (admin), gus (guest), olly (outsider),
    with a space 'team' that alice, mo and gus belong to (mo owns it) and a space 'elsewhere' of olly's."""
    return make_personas()


@pytest.fixture
def client_for():
    def make(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def no_page_cache(settings):
    """Build every page afresh: query-count tests measure the view, not the page cache (lib/pagecache.py)."""
    settings.WATERCOOLER_PAGE_CACHE = False
