import pytest

from core.models import Visibility
from core.services import create_item


@pytest.fixture
def team_file(personas):
    """alice's file in the invite-only space "team", for its members (mo owns the space; gus is a guest)."""
    return create_item(
        owner=personas.alice, kind="file", title="Team notes", space=personas.team, visibility=Visibility.SPACE
    )


@pytest.fixture
def open_item(personas):
    """mo's wiki page for the whole organisation."""
    from wiki.services import create_page

    page = create_page(
        author=personas.mo, title="Everyone's guide", text="Start here.\n", visibility=Visibility.ORGANISATION
    )
    return page.item
