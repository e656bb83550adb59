import pytest

from search.services import rebuild_index


@pytest.fixture
def reindex(db):
    """Rebuild the whole index from the database, as ``manage.py reindex`` does."""
    return rebuild_index
