"""portfolios.services: the guided start, pages, blocks (layouts, moves, limits, validation), evidence, the
journal, and the curators' templates and prompts."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from catalog.models import Enrolment
from catalog.services import create_course, enrol, self_report_completion
from core.models import Item, ItemKind, Visibility
from lib import pagecache
from portfolios import services
from portfolios.models import Block, BlockImage, JournalEntry, Layout, Portfolio, PortfolioTemplate
from portfolios.tests.test_pages_helpers import (  # noqa: F401 — the autouse fixture is used by importing it
    block_titled,
    first_page,
    make_portfolio,
    no_link_previews,
    png,
    text_file,
)

pytestmark = pytest.mark.django_db


# --- the guided start -----------------------------------------------------------------------------------


def test_the_guided_start_lays_out_a_showcase_with_guidance_in_every_block(personas):
    portfolio = make_portfolio(personas.alice)
    pages = list(portfolio.pages.order_by("position"))
    assert [p.title for p in pages] == ["About me", "My best work", "What I learned"]
    assert pages[0].layout == Layout.WIDE_LEFT
    assert all(p.guidance for p in pages)
    blocks = Block.objects.filter(page__portfolio=portfolio)
    assert {b.kind for b in blocks} >= {"text", "skills", "artefact", "reflection"}
    assert all(b.guidance for b in blocks if b.kind != "reflection")
    assert portfolio.page_count == 3


def test_a_process_portfolio_starts_with_goals_and_a_timeline(personas):
    portfolio = make_portfolio(personas.alice, kind="process")
    assert [p.title for p in portfolio.pages.order_by("position")] == ["Goals", "Progress"]
    assert Block.objects.filter(page__portfolio=portfolio, kind="timeline").exists()


def test_a_reflection_block_starts_with_the_portfolios_prompts(personas):
    portfolio = make_portfolio(personas.alice)
    block = Block.objects.get(page__portfolio=portfolio, kind="reflection")
    assert [a["prompt"] for a in block.answers] == ["What happened?", "So what?", "Now what?"]
    assert all(a["answer"] == "" for a in block.answers)


def test_a_portfolio_starts_private_and_watched_by_its_owner(personas):
    portfolio = make_portfolio(personas.alice, visibility=Visibility.PRIVATE)
    assert portfolio.item.visibility == Visibility.PRIVATE
    assert portfolio.item.kind == ItemKind.PORTFOLIO
    assert portfolio.item.watches.filter(user=personas.alice).exists()


def test_a_portfolio_is_never_public_on_the_web(personas):
    with pytest.raises(ValidationError, match="never public"):
        make_portfolio(personas.alice, visibility=Visibility.PUBLIC)


def test_sharing_with_named_people_needs_someone(personas):
    with pytest.raises(ValidationError, match="Name at least one person"):
        make_portfolio(personas.alice, visibility=Visibility.PEOPLE)


def test_nobody_starts_a_portfolio_in_a_space_they_do_not_belong_to(personas):
    with pytest.raises(PermissionDenied):
        make_portfolio(personas.alice, space=personas.elsewhere, visibility=Visibility.SPACE)


def test_an_empty_title_is_refused(personas):
    with pytest.raises(ValidationError, match="title"):
        make_portfolio(personas.alice, title="   ")


def test_without_the_guided_start_a_portfolio_still_has_a_page(personas):
    portfolio = make_portfolio(personas.alice, guided=False)
    assert portfolio.pages.count() == 1
    assert portfolio.page_count == 1


def test_a_curators_published_template_sets_kind_pages_and_guidance(personas):
    template = services.save_template(
        actor=personas.lee,
        title="Apprentice log",
        kind="process",
        published=True,
        structure=[
            {"title": "Week one", "layout": "two", "blocks": [{"kind": "text", "column": 1, "guidance": "Why"}]}
        ],
    )
    portfolio = make_portfolio(personas.alice, template=template)
    assert portfolio.kind == Portfolio.Kind.PROCESS
    page = portfolio.pages.get()
    assert (page.title, page.layout) == ("Week one", "two")
    assert page.blocks.get().guidance == "Why"


def test_an_unpublished_template_cannot_be_started_from(personas):
    template = services.save_template(actor=personas.lee, title="Draft", kind="showcase", structure=[{"title": "A"}])
    with pytest.raises(ValidationError, match="not published"):
        make_portfolio(personas.alice, template=template)


# --- pages --------------------------------------------------------------------------------------------


def test_a_page_never_takes_an_address_the_portfolio_uses_itself(personas):
    portfolio = make_portfolio(personas.alice)
    page = services.add_page(actor=personas.alice, portfolio=portfolio, title="Journal")
    assert page.slug == "journal-2"


def test_pages_get_unique_addresses(personas):
    portfolio = make_portfolio(personas.alice)
    one = services.add_page(actor=personas.alice, portfolio=portfolio, title="Projects")
    two = services.add_page(actor=personas.alice, portfolio=portfolio, title="Projects")
    assert (one.slug, two.slug) == ("projects", "projects-2")


def test_only_the_owner_adds_pages(personas):
    portfolio = make_portfolio(personas.alice, visibility=Visibility.ORGANISATION)
    with pytest.raises(PermissionDenied):
        services.add_page(actor=personas.mo, portfolio=portfolio, title="Mine now")


def test_a_portfolio_holds_a_limited_number_of_pages(personas, monkeypatch):
    monkeypatch.setattr(services, "MAX_PAGES", 3)
    portfolio = make_portfolio(personas.alice)
    with pytest.raises(ValidationError, match="at most 3 pages"):
        services.add_page(actor=personas.alice, portfolio=portfolio, title="Fourth")


def test_moving_a_page_reorders_the_navigation(personas):
    portfolio = make_portfolio(personas.alice)
    last = portfolio.pages.order_by("position").last()
    services.move_page(actor=personas.alice, page=last, position=0)
    assert [p.title for p in portfolio.pages.order_by("position")] == ["What I learned", "About me", "My best work"]


def test_a_narrower_layout_moves_blocks_into_its_last_column(personas):
    portfolio = make_portfolio(personas.alice)
    page = portfolio.pages.get(title="About me")  # wide and narrow: skills sit in column 1
    services.update_page(actor=personas.alice, page=page, title="About me", layout=Layout.ONE)
    assert set(page.blocks.values_list("column", flat=True)) == {0}


def test_renaming_a_page_changes_its_address(personas):
    portfolio = make_portfolio(personas.alice)
    page = portfolio.pages.get(title="About me")
    services.update_page(actor=personas.alice, page=page, title="Who I am", layout=page.layout)
    assert page.slug == "who-i-am"


def test_the_last_page_cannot_be_deleted(personas):
    portfolio = make_portfolio(personas.alice, guided=False)
    with pytest.raises(ValidationError, match="at least one page"):
        services.delete_page(actor=personas.alice, page=portfolio.pages.get())


def test_deleting_a_page_counts_it_out(personas):
    portfolio = make_portfolio(personas.alice)
    services.delete_page(actor=personas.alice, page=portfolio.pages.get(title="What I learned"))
    portfolio.refresh_from_db()
    assert portfolio.page_count == 2


# --- blocks -------------------------------------------------------------------------------------------


def test_a_block_goes_at_the_end_of_its_column(personas):
    portfolio = make_portfolio(personas.alice)
    page = portfolio.pages.get(title="My best work")
    block = services.add_block(actor=personas.alice, page=page, kind="text", column=1, body="Hello")
    assert list(page.blocks.filter(column=1).order_by("position"))[-1] == block


def test_a_block_outside_the_layouts_columns_is_refused(personas):
    portfolio = make_portfolio(personas.alice)
    page = portfolio.pages.get(title="What I learned")  # one column
    with pytest.raises(ValidationError, match="1 column"):
        services.add_block(actor=personas.alice, page=page, kind="text", column=1)


def test_an_unknown_kind_of_block_is_refused(personas):
    portfolio = make_portfolio(personas.alice)
    with pytest.raises(ValidationError, match="kind of block"):
        services.add_block(actor=personas.alice, page=first_page(portfolio), kind="poem")


def test_a_page_holds_a_limited_number_of_blocks(personas, monkeypatch):
    monkeypatch.setattr(services, "MAX_BLOCKS_PER_PAGE", 2)
    portfolio = make_portfolio(personas.alice)
    with pytest.raises(ValidationError, match="at most 2 blocks"):
        services.add_block(actor=personas.alice, page=first_page(portfolio), kind="text")


def test_a_text_block_has_a_length_limit(personas):
    portfolio = make_portfolio(personas.alice)
    block = block_titled(portfolio, "Who I am")
    with pytest.raises(ValidationError, match="under"):
        services.update_block(actor=personas.alice, block=block, body="x" * (services.BODY_MAX + 1))


def test_moving_a_block_up_and_down_its_column(personas):
    portfolio = make_portfolio(personas.alice)
    page = portfolio.pages.get(title="What I learned")
    second = services.add_block(actor=personas.alice, page=page, kind="text", title="Second")
    services.nudge_block(actor=personas.alice, block=second, direction="up")
    assert [b.title for b in page.blocks.order_by("position")] == ["Second", "Looking back"]
    services.nudge_block(actor=personas.alice, block=second, direction="down")
    assert [b.title for b in page.blocks.order_by("position")] == ["Looking back", "Second"]


def test_moving_a_block_between_columns(personas):
    portfolio = make_portfolio(personas.alice)
    block = block_titled(portfolio, "What it shows")  # column 1 of two
    services.nudge_block(actor=personas.alice, block=block, direction="left")
    block.refresh_from_db()
    assert block.column == 0
    assert [b.title for b in block.page.blocks.filter(column=0).order_by("position")] == [
        "What it shows",
        "A piece of work",
    ]


def test_there_is_no_column_left_of_the_first(personas):
    portfolio = make_portfolio(personas.alice)
    with pytest.raises(ValidationError, match="no column"):
        services.nudge_block(actor=personas.alice, block=block_titled(portfolio, "A piece of work"), direction="left")


def test_a_move_changes_the_cached_pages(personas):
    portfolio = make_portfolio(personas.alice)
    before = pagecache.generation()
    services.nudge_block(actor=personas.alice, block=block_titled(portfolio, "What it shows"), direction="left")
    assert pagecache.generation() > before


def test_a_gallery_holds_images_only(personas):
    portfolio = make_portfolio(personas.alice)
    notes = services.evidence_from_upload(actor=personas.alice, portfolio=portfolio, uploaded=text_file())
    gallery = services.add_block(actor=personas.alice, page=first_page(portfolio), kind="gallery")
    with pytest.raises(ValidationError, match="not an image"):
        services.update_block(actor=personas.alice, block=gallery, images=[notes])


def test_a_gallery_keeps_images_in_order_with_captions(personas):
    portfolio = make_portfolio(personas.alice)
    one = services.evidence_from_upload(actor=personas.alice, portfolio=portfolio, uploaded=png("one.png"))
    two = services.evidence_from_upload(actor=personas.alice, portfolio=portfolio, uploaded=png("two.png"))
    gallery = services.add_block(actor=personas.alice, page=first_page(portfolio), kind="gallery")
    services.update_block(actor=personas.alice, block=gallery, images=[(two, "Second first"), one])
    assert list(gallery.images.values_list("item_id", "caption")) == [(two.pk, "Second first"), (one.pk, "")]


def test_uploading_into_a_gallery_refuses_a_file_that_is_not_an_image_and_keeps_nothing(personas):
    portfolio = make_portfolio(personas.alice)
    gallery = services.add_block(actor=personas.alice, page=first_page(portfolio), kind="gallery")
    files_before = Item.objects.filter(kind="file").count()
    from lib.uploads import UploadRejected

    with pytest.raises(UploadRejected):
        services.add_gallery_uploads(actor=personas.alice, block=gallery, uploads=[png(), text_file()])
    assert Item.objects.filter(kind="file").count() == files_before
    assert not BlockImage.objects.filter(block=gallery).exists()


def test_an_uploaded_artefact_is_shared_like_the_portfolio(personas):
    portfolio = make_portfolio(personas.alice, space=personas.team, visibility=Visibility.SPACE)
    block = block_titled(portfolio, "A piece of work")
    services.attach_upload(actor=personas.alice, block=block, uploaded=text_file("report.txt"))
    item = block.item
    assert (item.kind, item.visibility, item.space) == ("file", Visibility.SPACE, personas.team)


def test_a_saved_link_becomes_the_artefact(personas):
    portfolio = make_portfolio(personas.alice)
    block = block_titled(portfolio, "A piece of work")
    services.attach_link(actor=personas.alice, block=block, url="https://example.org/my-talk", title="My talk")
    assert (block.item.kind, block.item.title, block.item.visibility) == ("link", "My talk", Visibility.PRIVATE)


def test_an_artefact_is_only_something_the_owner_may_see(personas):
    portfolio = make_portfolio(personas.alice)
    secret = Item.objects.create(owner=personas.mo, kind="file", title="Mo's diary", visibility=Visibility.PRIVATE)
    with pytest.raises(ValidationError, match="does not exist"):
        services.update_block(actor=personas.alice, block=block_titled(portfolio, "A piece of work"), item=secret)


def test_a_portfolio_cannot_show_itself(personas):
    portfolio = make_portfolio(personas.alice)
    with pytest.raises(ValidationError, match="itself"):
        services.update_block(
            actor=personas.alice, block=block_titled(portfolio, "A piece of work"), item=portfolio.item
        )


def _completion(personas, person):
    course = create_course(actor=personas.lee, title="Statistics", format="book", visibility=Visibility.ORGANISATION)
    return self_report_completion(person=person, course=course, evidence="Read it.")


def test_a_course_completion_can_be_shown_as_an_artefact(personas):
    portfolio = make_portfolio(personas.alice)
    completion = _completion(personas, personas.alice)
    block = block_titled(portfolio, "A piece of work")
    services.update_block(actor=personas.alice, block=block, enrolment=completion)
    assert (block.enrolment, block.item) == (completion, None)


def test_only_ones_own_completed_courses_count(personas):
    portfolio = make_portfolio(personas.alice)
    someone_elses = _completion(personas, personas.mo)
    with pytest.raises(ValidationError, match="your own"):
        services.update_block(
            actor=personas.alice, block=block_titled(portfolio, "A piece of work"), enrolment=someone_elses
        )


def test_a_course_not_yet_completed_is_not_evidence(personas):
    portfolio = make_portfolio(personas.alice)
    course = create_course(actor=personas.lee, title="Later", format="book", visibility=Visibility.ORGANISATION)
    enrolment = enrol(person=personas.alice, course=course)
    assert enrolment.state != Enrolment.State.COMPLETED
    with pytest.raises(ValidationError, match="completed"):
        services.update_block(
            actor=personas.alice, block=block_titled(portfolio, "A piece of work"), enrolment=enrolment
        )


def test_milestones_need_a_date_and_a_title_and_are_kept_in_date_order(personas):
    portfolio = make_portfolio(personas.alice, kind="process")
    block = Block.objects.get(page__portfolio=portfolio, kind="timeline")
    with pytest.raises(ValidationError, match="date like"):
        services.update_block(actor=personas.alice, block=block, events=[{"date": "soon", "title": "Go"}])
    services.update_block(
        actor=personas.alice,
        block=block,
        events=[{"date": "2026-05-01", "title": "Second"}, {"date": "2026-01-01", "title": "First"}],
    )
    assert [e["title"] for e in block.events] == ["First", "Second"]


def test_reflection_answers_need_their_prompts(personas):
    portfolio = make_portfolio(personas.alice)
    block = Block.objects.get(page__portfolio=portfolio, kind="reflection")
    with pytest.raises(ValidationError, match="prompt"):
        services.update_block(actor=personas.alice, block=block, answers=[{"answer": "No question"}])


def test_opening_up_evidence_widens_the_owners_items_to_the_portfolios_readers(personas):
    portfolio = make_portfolio(personas.alice, visibility=Visibility.PRIVATE)
    block = block_titled(portfolio, "A piece of work")
    services.attach_upload(actor=personas.alice, block=block, uploaded=text_file())
    services.update_portfolio(
        actor=personas.alice,
        portfolio=portfolio,
        title="My work",
        summary="",
        visibility=Visibility.ORGANISATION,
        tags=[],
    )
    shared, refused = services.share_evidence_like_portfolio(actor=personas.alice, portfolio=portfolio)
    block.item.refresh_from_db()
    assert (shared, refused, block.item.visibility) == (1, [], Visibility.ORGANISATION)


def test_opening_up_evidence_never_touches_other_peoples_items(personas):
    portfolio = make_portfolio(personas.alice, visibility=Visibility.ORGANISATION)
    theirs = Item.objects.create(owner=personas.mo, kind="page", title="Mo's page", visibility=Visibility.PEOPLE)
    theirs.shared_with.add(personas.alice)
    services.update_block(actor=personas.alice, block=block_titled(portfolio, "A piece of work"), item=theirs)
    assert services.share_evidence_like_portfolio(actor=personas.alice, portfolio=portfolio) == (0, [])
    theirs.refresh_from_db()
    assert theirs.visibility == Visibility.PEOPLE


# --- settings -------------------------------------------------------------------------------------------


def test_choosing_no_prompt_set_goes_back_to_the_built_in_prompts(personas):
    prompts = services.save_reflection_template(actor=personas.lee, name="STAR", prompts=["Situation", "Task"])
    portfolio = make_portfolio(personas.alice, reflection_template=prompts)
    assert [p["prompt"] for p in portfolio.prompts()] == ["Situation", "Task"]
    services.update_portfolio(
        actor=personas.alice,
        portfolio=portfolio,
        title="My work",
        summary="",
        visibility=Visibility.PRIVATE,
        tags=[],
        reflection_template=None,
    )
    assert portfolio.prompts()[0]["prompt"] == "What happened?"


def test_deleting_a_portfolio_hides_it_everywhere(personas):
    portfolio = make_portfolio(personas.alice, visibility=Visibility.ORGANISATION)
    services.delete_portfolio(actor=personas.alice, portfolio=portfolio)
    assert not Item.objects.visible_to(personas.alice).filter(pk=portfolio.pk).exists()


# --- the journal ------------------------------------------------------------------------------------------


def test_a_journal_entry_keeps_its_reflection_and_counts(personas):
    portfolio = make_portfolio(personas.alice, kind="process")
    entry = services.add_entry(
        actor=personas.alice,
        portfolio=portfolio,
        title="First week",
        answers=[{"prompt": "What happened?", "answer": "I started."}],
        reflection_private=True,
    )
    portfolio.refresh_from_db()
    assert (portfolio.entry_count, entry.reflection_private, entry.answers[0]["answer"]) == (1, True, "I started.")


def test_an_entry_without_answers_gets_the_prompts_to_answer(personas):
    portfolio = make_portfolio(personas.alice, kind="process")
    entry = services.add_entry(actor=personas.alice, portfolio=portfolio, title="Day one")
    assert [a["prompt"] for a in entry.answers] == ["What happened?", "So what?", "Now what?"]


def test_only_the_owner_writes_in_the_journal_not_even_an_admin(personas):
    portfolio = make_portfolio(personas.alice, kind="process", visibility=Visibility.ORGANISATION)
    with pytest.raises(PermissionDenied):
        services.add_entry(actor=personas.ada, portfolio=portfolio, title="Admin was here")


def test_deleting_an_entry_counts_it_out(personas):
    portfolio = make_portfolio(personas.alice, kind="process")
    entry = services.add_entry(actor=personas.alice, portfolio=portfolio, title="Oops")
    services.delete_entry(actor=personas.alice, entry=entry)
    portfolio.refresh_from_db()
    assert (portfolio.entry_count, JournalEntry.objects.count()) == (0, 0)


# --- curators -------------------------------------------------------------------------------------------


def test_only_curators_save_templates(personas):
    with pytest.raises(PermissionDenied):
        services.save_template(actor=personas.alice, title="Mine", kind="showcase", structure=[{"title": "A"}])


@pytest.mark.parametrize(
    ("structure", "message"),
    [
        ([], "at least one page"),
        ([{"title": ""}], "Page 1 needs a title"),
        ([{"title": "A", "layout": "five"}], "layouts"),
        ([{"title": "A", "blocks": [{"kind": "poem"}]}], "kind of block"),
        ([{"title": "A", "layout": "two", "blocks": [{"kind": "text", "column": 2}]}], "2 column"),
    ],
)
def test_a_template_structure_is_checked(personas, structure, message):
    with pytest.raises(ValidationError, match=message):
        services.save_template(actor=personas.lee, title="T", kind="showcase", structure=structure)


def test_a_portfolios_structure_becomes_a_template_without_its_content(personas):
    portfolio = make_portfolio(personas.lee)
    services.update_block(actor=personas.lee, block=block_titled(portfolio, "Who I am"), body="My secret life")
    structure = services.template_from_portfolio(portfolio)
    template = services.save_template(actor=personas.lee, title="From mine", kind="showcase", structure=structure)
    assert [p["title"] for p in template.structure] == ["About me", "My best work", "What I learned"]
    assert "My secret life" not in str(template.structure)


def test_deleting_a_template_leaves_portfolios_started_from_it(personas):
    template = services.save_template(
        actor=personas.lee, title="T", kind="showcase", structure=[{"title": "A"}], published=True
    )
    portfolio = make_portfolio(personas.alice, template=template)
    services.delete_template(actor=personas.lee, template=template)
    portfolio.refresh_from_db()
    assert (portfolio.template, PortfolioTemplate.objects.count(), portfolio.pages.count()) == (None, 0, 1)


def test_a_set_of_prompts_needs_a_prompt_and_a_name_of_its_own(personas):
    with pytest.raises(ValidationError, match="at least one prompt"):
        services.save_reflection_template(actor=personas.lee, name="Empty", prompts=["  "])
    services.save_reflection_template(actor=personas.lee, name="STAR", prompts=["Situation"])
    with pytest.raises(ValidationError, match="Another set"):
        services.save_reflection_template(actor=personas.lee, name="star", prompts=["Task"])
