"""Journey: share an image and a PDF in a space, look at them, download one; a bad file is refused."""

import pytest
from playwright.sync_api import expect

from core.models import Item
from files.models import File
from spaces.services import create_space
from tests.browser.samples import image_width, pdf_bytes, write_junk, write_pdf, write_png
from tests.factories import UserFactory


@pytest.fixture
def alice_in_design(db):
    alice = UserFactory(username="alice", display_name="Alice Learner")
    create_space(creator=alice, name="Design team")
    return alice


def upload(page, path, *, title="", tags=""):
    page.get_by_label("Files").set_input_files(path)
    if title:
        page.get_by_label("Title").fill(title)
    if tags:
        page.get_by_label("Tags").fill(tags)
    page.get_by_role("button", name="Upload").click()


def test_it_shares_an_image_in_a_space_and_downloads_it(page, login_as, problems, alice_in_design, tmp_path):
    login_as(alice_in_design)
    png = write_png(tmp_path / "wireframe.png")
    page.goto("/spaces/design-team/")
    page.get_by_role("link", name="Share the first file.").click()
    expect(page.get_by_label("Share in")).to_have_value("design-team")
    expect(page.get_by_label("Space members")).to_be_checked()
    upload(page, png, title="Checkout wireframe", tags="ux, onboarding")

    expect(page.get_by_role("status")).to_contain_text("“Checkout wireframe” is shared.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Checkout wireframe")
    expect(page.locator(".file-page .meta")).to_contain_text("in Design team")
    expect(page.get_by_role("link", name="#ux")).to_be_visible()
    expect(page.get_by_role("link", name="#onboarding")).to_be_visible()
    preview = page.get_by_role("img", name="Checkout wireframe")
    expect(preview).to_be_visible()
    assert image_width(preview) == 320

    with page.expect_download() as info:
        page.get_by_role("link", name="Download").click()
    assert info.value.suggested_filename == "wireframe.png"
    assert info.value.path().read_bytes() == png.read_bytes()
    assert not problems, problems


def test_it_shows_a_pdf_in_a_frame(page, login_as, problems, alice_in_design, tmp_path):
    login_as(alice_in_design)
    page.goto("/files/upload/?space=design-team")
    upload(page, write_pdf(tmp_path / "handbook.pdf"), tags="handbook")

    expect(page.get_by_role("heading", level=1)).to_have_text("Handbook")
    frame = page.locator("iframe[title='Handbook (PDF)']")
    expect(frame).to_be_attached()
    response = page.request.get(frame.get_attribute("src"))
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline")
    assert response.body() == pdf_bytes()
    expect(page.locator(".file-facts")).to_contain_text("PDF document")
    assert not problems, problems


def test_it_refuses_a_file_that_is_not_what_its_name_says_and_keeps_nothing(
    page, login_as, alice_in_design, tmp_path, settings
):
    login_as(alice_in_design)
    page.goto("/files/upload/?space=design-team")
    upload(page, write_junk(tmp_path / "holiday.png"), title="Holiday photo", tags="fun")

    expect(page.get_by_role("alert")).to_contain_text("“holiday.png” is not in a format we recognise.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Share a file")
    expect(page.get_by_label("Title")).to_have_value("Holiday photo")
    assert not Item.objects.exists()
    assert not File.objects.exists()
    stored = settings.MEDIA_ROOT
    assert not stored.exists() or not [p for p in stored.rglob("*") if p.is_file()]
