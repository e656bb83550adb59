"""What the pages helper's tests share (imported by test_services, test_queries and test_pages*): real image
uploads, a portfolio built through the guided start, and no network for saved links."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.models import Visibility
from portfolios import services
from portfolios.models import Block


def png(name="picture.png", size=(60, 40), colour="teal") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def text_file(name="notes.txt", data=b"Some notes\n") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/plain")


@pytest.fixture(autouse=True)
def no_link_previews(monkeypatch):
    """Saving a link queues a preview fetch; these tests never reach the network."""
    from links import services as link_services

    monkeypatch.setattr(link_services, "_queue_preview", lambda link_id: None)


def make_portfolio(owner, *, kind="showcase", title="My work", visibility=Visibility.PRIVATE, **kwargs):
    return services.create_portfolio(owner=owner, title=title, kind=kind, visibility=visibility, **kwargs)


def block_titled(portfolio, title) -> Block:
    return Block.objects.select_related("page__portfolio__item").get(page__portfolio=portfolio, title=title)


def first_page(portfolio):
    page = portfolio.pages.order_by("position").first()
    page.portfolio = portfolio
    return page
