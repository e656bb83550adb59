"""The portfolio pages: my portfolios, the guided start, reading pages and the journal, the page editor (with and
without htmx), settings, journal entries, and the curators' templates and prompts. Every refusal is a form error
or a 404/403, never a 500."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Item, Visibility
from portfolios import services
from portfolios.models import Block, JournalEntry, Portfolio, PortfolioTemplate, ReflectionTemplate
from portfolios.tests.test_pages_helpers import (  # noqa: F401 — the autouse fixture is used by importing it
    block_titled,
    first_page,
    make_portfolio,
    no_link_previews,
    png,
    text_file,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def team_portfolio(personas):
    """alice's showcase for the team, with a filled text block and a private block."""
    portfolio = make_portfolio(personas.alice, title="Team showcase", space=personas.team, visibility=Visibility.SPACE)
    services.update_block(actor=personas.alice, block=block_titled(portfolio, "Who I am"), body="Hello **team**.")
    services.add_block(
        actor=personas.alice, page=first_page(portfolio), kind="text", title="Diary", body="Secret plans", private=True
    )
    return portfolio


def editor(portfolio, slug="about-me"):
    return f"/portfolios/{portfolio.pk}/{slug}/edit/"


# --- my portfolios and the guided start -------------------------------------------------------------------


def test_my_portfolios_list_mine_and_say_who_sees_them(personas, client_for, team_portfolio):
    response = client_for(personas.alice).get("/portfolios/")
    assert response.status_code == 200
    assert [i.title for i in response.context["page"].rows] == ["Team showcase"]
    assert b"Members of Team" in response.content


def test_portfolios_shared_with_me_are_listed_apart(personas, client_for, team_portfolio):
    response = client_for(personas.mo).get("/portfolios/?shared=1")
    assert [i.title for i in response.context["page"].rows] == ["Team showcase"]
    assert client_for(personas.olly).get("/portfolios/?shared=1").context["page"].rows == []


def test_the_guided_start_explains_both_kinds(personas, client_for):
    response = client_for(personas.alice).get("/portfolios/new/")
    assert response.status_code == 200
    for words in (b"Showcase", b"Process", b"What goes in it", b"My best work", b"Goals"):
        assert words in response.content


def test_starting_a_portfolio_opens_its_first_page_in_the_editor(personas, client_for):
    response = client_for(personas.alice).post(
        "/portfolios/new/", {"start": "process", "title": "Learning SQL", "visibility": "private"}
    )
    portfolio = Portfolio.objects.get(item__title="Learning SQL")
    assert response.status_code == 302
    assert response["Location"] == f"/portfolios/{portfolio.pk}/goals/edit/"
    assert (portfolio.kind, portfolio.item.visibility) == ("process", "private")


def test_the_guided_start_says_what_is_wrong_and_keeps_what_was_typed(personas, client_for):
    response = client_for(personas.alice).post(
        "/portfolios/new/", {"start": "showcase", "title": "Kept title", "visibility": "people"}
    )
    assert response.status_code == 400
    assert b"Name at least one person" in response.content
    assert b"Kept title" in response.content
    assert not Portfolio.objects.exists()


def test_a_portfolio_can_be_started_from_a_curators_template(personas, client_for):
    template = services.save_template(
        actor=personas.lee, title="Onboarding", kind="process", published=True, structure=[{"title": "First week"}]
    )
    client = client_for(personas.alice)
    assert b"Onboarding" in client.get(f"/portfolios/new/?start=template-{template.pk}").content
    client.post("/portfolios/new/", {"start": f"template-{template.pk}", "title": "Mine", "visibility": "private"})
    portfolio = Portfolio.objects.get()
    assert (portfolio.template, portfolio.kind) == (template, "process")


# --- reading ----------------------------------------------------------------------------------------------


def test_the_permalink_shows_the_first_page(personas, client_for, team_portfolio):
    response = client_for(personas.mo).get(f"/i/{team_portfolio.pk}/")
    assert response.status_code == 200
    assert response.context["page"].title == "About me"
    assert b"Hello <strong>team</strong>." in response.content


def test_readers_never_see_private_blocks_or_empty_blocks_guidance(personas, client_for, team_portfolio):
    content = client_for(personas.mo).get(f"/i/{team_portfolio.pk}/").content
    assert b"Secret plans" not in content
    assert b"What to put here" not in content


def test_the_owner_sees_private_blocks_and_what_to_put_in_empty_ones(personas, client_for, team_portfolio):
    content = client_for(personas.alice).get(f"/i/{team_portfolio.pk}/").content
    assert b"Secret plans" in content and b"Private: only you" in content
    assert b"What to put here" in content
    assert b"Claim the skills this portfolio shows" in content


def test_a_page_has_its_own_address_and_the_collections_navigation(personas, client_for, team_portfolio):
    response = client_for(personas.mo).get(f"/portfolios/{team_portfolio.pk}/my-best-work/")
    assert response.status_code == 200
    assert (response.context["previous"].title, response.context["next"].title) == ("About me", "What I learned")


def test_an_unknown_page_is_not_found(personas, client_for, team_portfolio):
    assert client_for(personas.alice).get(f"/portfolios/{team_portfolio.pk}/nowhere/").status_code == 404


def test_an_item_the_reader_may_not_see_is_not_shared_with_them(personas, client_for, team_portfolio):
    mine = Item.objects.create(owner=personas.alice, kind="page", title="Private notes", visibility="private")
    services.update_block(actor=personas.alice, block=block_titled(team_portfolio, "A piece of work"), item=mine)
    content = client_for(personas.mo).get(f"/portfolios/{team_portfolio.pk}/my-best-work/").content
    assert b"not shared with you" in content
    assert b"Private notes" not in content


def test_a_course_completion_shows_to_those_who_may_see_the_course(personas, client_for, team_portfolio, no_page_cache):
    from catalog.services import create_course, self_report_completion

    course = create_course(actor=personas.lee, title="Statistics", format="book", visibility=Visibility.ORGANISATION)
    completion = self_report_completion(person=personas.alice, course=course, evidence="Read it.")
    block = block_titled(team_portfolio, "A piece of work")
    services.update_block(actor=personas.alice, block=block, enrolment=completion)
    page = f"/portfolios/{team_portfolio.pk}/my-best-work/"
    content = client_for(personas.mo).get(page).content.decode()
    assert "Course completed" in content and "Statistics" in content and "Self-reported" in content
    Item.objects.filter(pk=course.pk).update(visibility=Visibility.PRIVATE)
    content = client_for(personas.mo).get(page).content.decode()
    assert "This piece of work is not shared with you." in content and "Statistics" not in content


def test_a_page_prints_cleanly(personas, client_for, team_portfolio, settings):
    from pathlib import Path

    content = client_for(personas.mo).get(f"/i/{team_portfolio.pk}/").content
    assert b"css/portfolios.css" in content
    css = (Path(settings.BASE_DIR) / "static/css/portfolios.css").read_text()
    rules = css.split("@media print", 1)[1]
    assert ".topbar" in rules and ".pf-nav" in rules and "attr(href)" in rules and "pf-layout-two" in rules


def test_a_page_of_forty_blocks_costs_the_queries_of_one_with_four(personas, client_for, no_page_cache):
    portfolio = make_portfolio(personas.alice, guided=False, visibility=Visibility.ORGANISATION)
    page = first_page(portfolio)
    services.update_page(actor=personas.alice, page=page, title=page.title, layout="three")
    image = services.evidence_from_upload(actor=personas.alice, portfolio=portfolio, uploaded=png())
    link = services.evidence_from_link(actor=personas.alice, portfolio=portfolio, url="https://example.org/a")
    other = Item.objects.create(owner=personas.mo, kind="page", title="Mo's page", visibility="organisation")
    services.add_entry(actor=personas.alice, portfolio=portfolio, title="An entry")  # the timeline shows it

    def add(count):
        kinds = [
            {"kind": "text", "body": "Some **text**"},
            {"kind": "artefact", "item": link, "body": "Why"},
            {"kind": "gallery", "images": [(image, "A caption")]},
            {"kind": "embed", "item": other},
            {"kind": "reflection", "answers": [{"prompt": "So what?", "answer": "Yes"}]},
            {"kind": "skills"},
            {"kind": "timeline", "events": [{"date": "2026-01-01", "title": "Start"}]},
            {"kind": "text", "body": "Private", "private": True},
        ]
        for n in range(count):
            spec = dict(kinds[n % len(kinds)])
            services.add_block(actor=personas.alice, page=page, column=n % 3, **spec)

    def cost(viewer):
        client = client_for(viewer)
        client.get(f"/i/{portfolio.pk}/")  # warm the session, the site settings and the Markdown cache
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/i/{portfolio.pk}/").status_code == 200
        return len(queries)

    add(8)
    small = {viewer.username: cost(viewer) for viewer in (personas.alice, personas.mo)}
    add(32)
    assert Block.objects.filter(page=page).count() == 40
    assert {viewer.username: cost(viewer) for viewer in (personas.alice, personas.mo)} == small


# --- the page editor ----------------------------------------------------------------------------------------


def test_the_editor_is_the_owners(personas, client_for, team_portfolio):
    assert client_for(personas.alice).get(editor(team_portfolio)).status_code == 200
    assert client_for(personas.gus).get(editor(team_portfolio)).status_code == 403
    assert client_for(personas.olly).get(editor(team_portfolio)).status_code == 404


def test_adding_a_block_without_javascript_opens_its_form(personas, client_for, team_portfolio):
    response = client_for(personas.alice).post(
        f"/portfolios/{team_portfolio.pk}/about-me/blocks/add", {"kind": "reflection", "column": "0"}
    )
    block = Block.objects.filter(kind="reflection", page__slug="about-me").get()
    assert response["Location"] == f"/portfolios/{team_portfolio.pk}/blocks/{block.pk}/edit/"


def test_adding_a_block_with_htmx_swaps_the_columns_and_opens_it(personas, client_for, team_portfolio):
    response = client_for(personas.alice).post(
        f"/portfolios/{team_portfolio.pk}/about-me/blocks/add", {"kind": "gallery", "column": "1"}, **HTMX
    )
    block = Block.objects.get(kind="gallery")
    assert response.status_code == 200
    assert b'id="pf-editor-columns"' in response.content and b"<html" not in response.content
    assert b'hx-trigger="load, click"' in response.content
    assert block.column == 1


def test_a_block_in_a_column_the_layout_lacks_is_refused_with_a_reason(personas, client_for, team_portfolio):
    response = client_for(personas.alice).post(
        f"/portfolios/{team_portfolio.pk}/what-i-learned/blocks/add", {"kind": "text", "column": "2"}, follow=True
    )
    assert b"1 column" in response.content


def test_editing_a_text_block(personas, client_for, team_portfolio):
    block = block_titled(team_portfolio, "Who I am")
    client = client_for(personas.alice)
    assert client.get(f"/portfolios/{team_portfolio.pk}/blocks/{block.pk}/edit/").status_code == 200
    response = client.post(
        f"/portfolios/{team_portfolio.pk}/blocks/{block.pk}/edit/", {"title": "About", "body": "New *words*"}
    )
    block.refresh_from_db()
    assert response.status_code == 302 and (block.title, block.body) == ("About", "New *words*")


def test_a_refused_block_edit_keeps_what_was_typed(personas, client_for, team_portfolio):
    block = block_titled(team_portfolio, "Who I am")
    response = client_for(personas.alice).post(
        f"/portfolios/{team_portfolio.pk}/blocks/{block.pk}/edit/",
        {"title": "About", "body": "x" * (services.BODY_MAX + 1)},
    )
    assert response.status_code == 400
    assert b"characters" in response.content


def test_an_htmx_refusal_comes_back_into_the_blocks_place(personas, client_for, team_portfolio):
    block = Block.objects.get(page__portfolio=team_portfolio, kind="reflection")
    response = client_for(personas.alice).post(
        f"/portfolios/{team_portfolio.pk}/blocks/{block.pk}/edit/", {"title": "x" * 300}, **HTMX
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#block-{block.pk}"


def test_an_artefact_from_an_uploaded_file(personas, client_for, team_portfolio):
    block = block_titled(team_portfolio, "A piece of work")
    response = client_for(personas.alice).post(
        f"/portfolios/{team_portfolio.pk}/blocks/{block.pk}/edit/",
        {"title": "Report", "upload": text_file("report.txt", b"Quarterly report\n")},
    )
    block.refresh_from_db()
    assert response.status_code == 302
    assert (block.item.kind, block.item.visibility, block.item.space) == ("file", "space", personas.team)


def test_an_upload_the_files_app_refuses_is_a_form_error(personas, client_for, team_portfolio):
    from django.core.files.uploadedfile import SimpleUploadedFile

    block = block_titled(team_portfolio, "A piece of work")
    bad = SimpleUploadedFile("photo.png", b"not a picture at all", content_type="image/png")
    response = client_for(personas.alice).post(
        f"/portfolios/{team_portfolio.pk}/blocks/{block.pk}/edit/", {"title": "Photo", "upload": bad}
    )
    assert response.status_code in (400, 415)
    assert not Item.objects.filter(kind="file").exists()


def test_an_artefact_from_a_saved_link(personas, client_for, team_portfolio):
    block = block_titled(team_portfolio, "A piece of work")
    client_for(personas.alice).post(
        f"/portfolios/{team_portfolio.pk}/blocks/{block.pk}/edit/", {"title": "Talk", "url": "https://example.org/t"}
    )
    block.refresh_from_db()
    assert block.item.kind == "link"


def test_an_artefact_chosen_from_what_i_can_see(personas, client_for, team_portfolio):
    page = Item.objects.create(owner=personas.mo, kind="page", title="Mo's guide", visibility="organisation")
    block = block_titled(team_portfolio, "A piece of work")
    client_for(personas.alice).post(
        f"/portfolios/{team_portfolio.pk}/blocks/{block.pk}/edit/", {"title": "Guide", "item": page.pk}
    )
    block.refresh_from_db()
    assert block.item == page


def test_two_sources_at_once_are_refused(personas, client_for, team_portfolio):
    block = block_titled(team_portfolio, "A piece of work")
    response = client_for(personas.alice).post(
        f"/portfolios/{team_portfolio.pk}/blocks/{block.pk}/edit/",
        {"title": "Both", "url": "https://example.org/t", "upload": text_file()},
    )
    assert response.status_code == 400 and b"Choose one thing to show" in response.content


def test_an_item_nobody_showed_me_cannot_be_chosen(personas, client_for, team_portfolio):
    secret = Item.objects.create(owner=personas.mo, kind="page", title="Secret", visibility="private")
    block = block_titled(team_portfolio, "A piece of work")
    response = client_for(personas.alice).post(
        f"/portfolios/{team_portfolio.pk}/blocks/{block.pk}/edit/", {"title": "X", "item": secret.pk}
    )
    assert response.status_code == 400 and b"does not exist" in response.content


def test_a_gallery_takes_uploads_and_keeps_captions(personas, client_for, team_portfolio):
    gallery = services.add_block(actor=personas.alice, page=first_page(team_portfolio), kind="gallery")
    url = f"/portfolios/{team_portfolio.pk}/blocks/{gallery.pk}/edit/"
    client = client_for(personas.alice)
    client.post(url, {"title": "Shots", "uploads": [png("a.png"), png("b.png")]})
    images = list(gallery.images.all())
    assert len(images) == 2
    client.post(url, {"title": "Shots", f"caption_{images[0].pk}": "First", f"remove_{images[1].pk}": "1"})
    assert list(gallery.images.values_list("caption", flat=True)) == ["First"]


def test_reflection_answers_are_saved(personas, client_for, team_portfolio):
    block = Block.objects.get(page__portfolio=team_portfolio, kind="reflection")
    client_for(personas.alice).post(
        f"/portfolios/{team_portfolio.pk}/blocks/{block.pk}/edit/",
        {"title": "Looking back", "answer_0": "It went well", "answer_2": "More of it", "private": "on"},
    )
    block.refresh_from_db()
    assert [a["answer"] for a in block.answers] == ["It went well", "", "More of it"]
    assert block.private


def test_timeline_milestones_from_the_form(personas, client_for):
    portfolio = make_portfolio(personas.alice, kind="process")
    block = Block.objects.get(page__portfolio=portfolio, kind="timeline")
    url = f"/portfolios/{portfolio.pk}/blocks/{block.pk}/edit/"
    response = client_for(personas.alice).post(url, {"title": "T", "ev_0_date": "2026-03-01", "ev_0_title": ""})
    assert response.status_code == 400 and b"needs a date and a title" in response.content
    client_for(personas.alice).post(url, {"title": "T", "ev_0_date": "2026-03-01", "ev_0_title": "Passed"})
    block.refresh_from_db()
    assert block.events == [{"date": "2026-03-01", "title": "Passed", "text": ""}]


def test_moving_a_block_without_javascript_comes_back_to_it(personas, client_for, team_portfolio):
    block = block_titled(team_portfolio, "Diary")
    response = client_for(personas.alice).post(
        f"/portfolios/{team_portfolio.pk}/blocks/{block.pk}/move", {"direction": "up"}
    )
    assert response["Location"] == f"/portfolios/{team_portfolio.pk}/about-me/edit/#block-{block.pk}"


def test_moving_a_block_with_htmx_returns_the_columns(personas, client_for, team_portfolio):
    block = block_titled(team_portfolio, "Who I am")
    response = client_for(personas.alice).post(
        f"/portfolios/{team_portfolio.pk}/blocks/{block.pk}/move", {"direction": "right"}, **HTMX
    )
    block.refresh_from_db()
    assert response.status_code == 200 and block.column == 1
    assert b"<html" not in response.content


def test_marking_a_block_private_is_the_owners_choice(personas, client_for, team_portfolio):
    block = block_titled(team_portfolio, "Who I am")
    client_for(personas.alice).post(f"/portfolios/{team_portfolio.pk}/blocks/{block.pk}/private", {"private": "1"})
    block.refresh_from_db()
    assert block.private
    response = client_for(personas.mo).post(
        f"/portfolios/{team_portfolio.pk}/blocks/{block.pk}/private", {"private": "0"}
    )
    assert response.status_code == 404  # a private block is its owner's alone, even for the space's owner


def test_deleting_a_block(personas, client_for, team_portfolio):
    block = block_titled(team_portfolio, "Diary")
    client_for(personas.alice).post(f"/portfolios/{team_portfolio.pk}/blocks/{block.pk}/delete")
    assert not Block.objects.filter(pk=block.pk).exists()


def test_pages_are_added_renamed_moved_and_deleted(personas, client_for, team_portfolio):
    client = client_for(personas.alice)
    base = f"/portfolios/{team_portfolio.pk}"
    response = client.post(f"{base}/pages/add", {"title": "Projects", "layout": "three"})
    assert response["Location"] == f"{base}/projects/edit/"
    response = client.post(f"{base}/projects/update", {"title": "Side projects", "layout": "two"})
    assert response["Location"] == f"{base}/side-projects/edit/"
    client.post(f"{base}/side-projects/move", {"direction": "up", "from": "side-projects"})
    titles = list(team_portfolio.pages.order_by("position").values_list("title", flat=True))
    assert titles == ["About me", "My best work", "Side projects", "What I learned"]
    client.post(f"{base}/side-projects/delete")
    assert not team_portfolio.pages.filter(title="Side projects").exists()


def test_a_new_page_without_a_title_is_a_form_error(personas, client_for, team_portfolio):
    response = client_for(personas.alice).post(f"/portfolios/{team_portfolio.pk}/pages/add", {"title": ""})
    assert response.status_code == 400
    assert b"This field is required" in response.content


def test_finding_items_to_show(personas, client_for, team_portfolio):
    services.evidence_from_upload(actor=personas.alice, portfolio=team_portfolio, uploaded=png("sunset.png"))
    response = client_for(personas.alice).get(f"/portfolios/{team_portfolio.pk}/find?find=&pick=add_image")
    assert b"Sunset" in response.content and b'type="checkbox"' in response.content


def test_the_markdown_preview(personas, client_for):
    response = client_for(personas.alice).post("/portfolios/preview", {"body": "# Hi\n\n<script>x</script>"})
    assert b"<h1" in response.content and b"<script" not in response.content


# --- settings -------------------------------------------------------------------------------------------


def test_settings_change_sharing_and_open_up_evidence(personas, client_for):
    portfolio = make_portfolio(personas.alice)
    block = block_titled(portfolio, "A piece of work")
    services.attach_upload(actor=personas.alice, block=block, uploaded=text_file())
    response = client_for(personas.alice).post(
        f"/portfolios/{portfolio.pk}/settings/",
        {"title": "Renamed", "visibility": "people", "shared_with": "mo", "share_evidence": "on"},
    )
    assert response.status_code == 302
    portfolio.item.refresh_from_db()
    block.item.refresh_from_db()
    assert (portfolio.item.title, portfolio.item.visibility) == ("Renamed", "people")
    assert list(block.item.shared_with.all()) == [personas.mo]
    assert client_for(personas.mo).get(f"/i/{block.item.pk}/").status_code == 200


def test_settings_refuse_the_public_web(personas, client_for):
    portfolio = make_portfolio(personas.alice)
    response = client_for(personas.alice).post(
        f"/portfolios/{portfolio.pk}/settings/", {"title": "T", "visibility": "public"}
    )
    assert response.status_code == 400


def test_deleting_a_portfolio(personas, client_for):
    portfolio = make_portfolio(personas.alice)
    client = client_for(personas.alice)
    assert client.get(f"/portfolios/{portfolio.pk}/delete/").status_code == 200
    assert client.post(f"/portfolios/{portfolio.pk}/delete/")["Location"] == "/portfolios/"
    assert client.get(f"/i/{portfolio.pk}/").status_code == 404


# --- the journal ------------------------------------------------------------------------------------------


@pytest.fixture
def process(personas):
    portfolio = make_portfolio(personas.alice, kind="process", space=personas.team, visibility=Visibility.SPACE)
    services.add_entry(
        actor=personas.alice,
        portfolio=portfolio,
        title="Week one",
        happened=date(2026, 1, 5),
        body="Did *things*",
        answers=[{"prompt": "So what?", "answer": "Scary but fine"}],
        reflection_private=True,
    )
    return portfolio


def test_the_journal_shows_entries_and_keeps_private_reflections_to_the_owner(personas, client_for, process):
    mine = client_for(personas.alice).get(f"/portfolios/{process.pk}/journal/").content
    theirs = client_for(personas.mo).get(f"/portfolios/{process.pk}/journal/").content
    assert b"Week one" in mine and b"Scary but fine" in mine
    assert b"Week one" in theirs and b"<em>things</em>" in theirs
    assert b"Scary but fine" not in theirs


def test_a_showcase_has_no_journal(personas, client_for, team_portfolio):
    assert client_for(personas.alice).get(f"/portfolios/{team_portfolio.pk}/journal/").status_code == 404


def test_writing_an_entry_with_a_private_reflection(personas, client_for, process):
    response = client_for(personas.alice).post(
        f"/portfolios/{process.pk}/journal/new/",
        {
            "happened": "2026-01-12",
            "title": "Week two",
            "body": "More",
            "answer_0": "I presented",
            "reflection_private": "on",
            "url": "https://example.org/slides",
        },
    )
    entry = JournalEntry.objects.get(title="Week two")
    assert response["Location"] == f"/portfolios/{process.pk}/journal/#entry-{entry.pk}"
    assert entry.reflection_private and entry.answers[0]["answer"] == "I presented" and entry.item.kind == "link"


def test_an_entry_needs_a_date_and_a_title(personas, client_for, process):
    response = client_for(personas.alice).post(f"/portfolios/{process.pk}/journal/new/", {"body": "Kept text"})
    assert response.status_code == 400 and b"Kept text" in response.content


def test_editing_and_deleting_an_entry(personas, client_for, process):
    entry = process.entries.get()
    client = client_for(personas.alice)
    assert client.get(f"/portfolios/{process.pk}/journal/{entry.pk}/edit/").status_code == 200
    client.post(f"/portfolios/{process.pk}/journal/{entry.pk}/edit/", {"happened": "2026-01-06", "title": "Week 1"})
    entry.refresh_from_db()
    assert (entry.title, entry.reflection_private) == ("Week 1", False)
    client.post(f"/portfolios/{process.pk}/journal/{entry.pk}/delete")
    assert not process.entries.exists()


def test_the_journal_is_written_by_its_owner_only(personas, client_for, process):
    assert client_for(personas.mo).get(f"/portfolios/{process.pk}/journal/new/").status_code == 403
    assert client_for(personas.olly).get(f"/portfolios/{process.pk}/journal/new/").status_code == 404


# --- curators ---------------------------------------------------------------------------------------------


def structure_post(**extra):
    data = {
        "title": "Apprenticeship",
        "kind": "process",
        "audience": "Apprentices",
        "pages": "2",
        "p0_title": "Plan",
        "p0_layout": "two",
        "p0_guidance": "Your plan",
        "p0_order": "2",
        "p0_blocks": "2",
        "p0_b0_kind": "text",
        "p0_b0_title": "Goals",
        "p0_b0_column": "2",
        "p0_b0_guidance": "Three goals",
        "p0_b1_kind": "",
        "p1_title": "Evidence",
        "p1_layout": "one",
        "p1_order": "1",
        "p1_blocks": "1",
        "p1_b0_kind": "artefact",
        "published": "on",
    }
    data.update(extra)
    return data


def test_curators_lay_out_a_template_without_javascript(personas, client_for):
    client = client_for(personas.lee)
    assert client.get("/portfolios/templates/new/").status_code == 200
    response = client.post("/portfolios/templates/new/", structure_post())
    template = PortfolioTemplate.objects.get()
    assert response.status_code == 302
    assert [p["title"] for p in template.structure] == ["Evidence", "Plan"]
    assert template.structure[1]["blocks"] == [
        {"kind": "text", "title": "Goals", "column": 1, "guidance": "Three goals", "private": False}
    ]


def test_a_template_with_a_block_outside_its_layout_is_refused(personas, client_for):
    response = client_for(personas.lee).post("/portfolios/templates/new/", structure_post(p1_b0_column="2"))
    assert response.status_code == 400 and b"1 column" in response.content


def test_only_curators_make_templates(personas, client_for):
    assert client_for(personas.alice).get("/portfolios/templates/new/").status_code == 403
    assert client_for(personas.alice).get("/portfolios/templates/").status_code == 200


def test_a_curator_saves_a_portfolio_as_a_template(personas, client_for):
    portfolio = make_portfolio(personas.lee)
    response = client_for(personas.lee).post(f"/portfolios/{portfolio.pk}/as-template")
    template = PortfolioTemplate.objects.get()
    assert response["Location"] == f"/portfolios/templates/{template.pk}/"
    assert not template.published and len(template.structure) == 3


def test_curators_write_reflection_prompts(personas, client_for):
    client = client_for(personas.lee)
    response = client.post(
        "/portfolios/prompts/new/", {"name": "STAR", "prompt_0": "Situation", "help_0": "Where", "prompt_2": "Result"}
    )
    prompts = ReflectionTemplate.objects.get()
    assert response.status_code == 302
    assert prompts.prompts == [{"prompt": "Situation", "help": "Where"}, {"prompt": "Result", "help": ""}]
    client.post(f"/portfolios/prompts/{prompts.pk}/delete")
    assert not ReflectionTemplate.objects.exists()


def test_without_javascript_the_block_form_searches_by_reloading(personas, client_for, team_portfolio):
    from search.index import index_item

    guide = Item.objects.create(owner=personas.mo, kind="page", title="Onboarding guide", visibility="organisation")
    index_item(guide)
    block = block_titled(team_portfolio, "A piece of work")
    response = client_for(personas.alice).get(
        f"/portfolios/{team_portfolio.pk}/blocks/{block.pk}/edit/?find=onboarding"
    )
    assert b"Onboarding guide" in response.content and b'name="item"' in response.content


def test_the_space_admin_edits_the_page_without_seeing_its_private_block(personas, client_for, team_portfolio):
    response = client_for(personas.mo).get(editor(team_portfolio))
    assert response.status_code == 200
    assert b"Secret plans" not in response.content
