import pytest

from core.models import Visibility
from files.services import upload_file
from files.tests import samples


def stored_files(settings) -> list[str]:
    """Everything under MEDIA_ROOT (each test has its own), to prove a refusal wrote nothing."""
    root = settings.MEDIA_ROOT
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def make_file(personas):
    """Upload a real file through the service: make_file(owner=..., name=..., data=..., space=..., visibility=...)."""

    def make(*, owner=None, name="notes.txt", data=b"Shared notes\n", space=None, visibility=None, **kwargs):
        visibility = visibility or (Visibility.SPACE if space else Visibility.ORGANISATION)
        return upload_file(
            owner=owner or personas.alice,
            uploaded=samples.upload(name, data),
            space=space,
            visibility=visibility,
            **kwargs,
        )

    return make
