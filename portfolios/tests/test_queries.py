"""portfolios.queries: who sees which parts of a portfolio, how a page is readied for rendering, the lists."""

import pytest

from core.models import Item, Visibility
from portfolios import queries, services
from portfolios.models import Block
from portfolios.tests.test_pages_helpers import (  # noqa: F401 — the autouse fixture is used by importing it
    block_titled,
    first_page,
    make_portfolio,
    no_link_previews,
    png,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(personas):
    """alice's showcase, shared with the team, with a private block and a filled text block."""
    portfolio = make_portfolio(personas.alice, space=personas.team, visibility=Visibility.SPACE)
    services.update_block(actor=personas.alice, block=block_titled(portfolio, "Who I am"), body="I am *Alice*.")
    page = first_page(portfolio)
    services.add_block(actor=personas.alice, page=page, kind="text", title="Diary", body="Secret plans", private=True)
    return portfolio


def titles(columns):
    return {block.title for column in columns for block in column}


def test_a_private_block_is_the_owners_alone_not_even_an_admins(personas, shared):
    page = first_page(shared)
    assert "Diary" in titles(queries.page_blocks(personas.alice, page))
    for other in (personas.mo, personas.gus, personas.ada):
        assert "Diary" not in titles(queries.page_blocks(other, page))


def test_text_is_rendered_as_sanitised_markdown(personas, shared):
    services.update_block(
        actor=personas.alice, block=block_titled(shared, "Who I am"), body="Hi <script>alert(1)</script> **there**"
    )
    block = next(b for c in queries.page_blocks(personas.mo, first_page(shared)) for b in c if b.title == "Who I am")
    assert "<strong>there</strong>" in block.html
    assert "<script" not in block.html


def test_an_item_the_viewer_may_not_see_is_hidden_not_shown(personas, shared):
    mine = Item.objects.create(owner=personas.alice, kind="page", title="Only mine", visibility=Visibility.PRIVATE)
    block = block_titled(shared, "A piece of work")
    services.update_block(actor=personas.alice, block=block, item=mine)
    page = block.page
    for_owner = next(b for c in queries.page_blocks(personas.alice, page) for b in c if b.pk == block.pk)
    for_member = next(b for c in queries.page_blocks(personas.mo, page) for b in c if b.pk == block.pk)
    assert (for_owner.shown.title, for_owner.hidden) == ("Only mine", None)
    assert (for_member.shown, for_member.hidden) == (None, True)


def test_items_shared_by_name_show_to_those_named_and_deleted_ones_to_nobody(
    personas, shared, django_assert_max_num_queries
):
    page = first_page(shared)
    named = {}
    for n, person in enumerate((personas.mo, personas.gus, personas.mo)):
        item = Item.objects.create(owner=personas.alice, kind="page", title=f"For {n}", visibility=Visibility.PEOPLE)
        item.shared_with.add(person)
        named[services.add_block(actor=personas.alice, page=page, kind="embed", item=item).pk] = person
    gone = Item.objects.create(owner=personas.alice, kind="page", title="Gone", visibility=Visibility.ORGANISATION)
    deleted = services.add_block(actor=personas.alice, page=page, kind="embed", item=gone).pk
    Item.objects.filter(pk=gone.pk).update(deleted_at=gone.created)
    for viewer in (personas.mo, personas.gus, personas.lee):
        with django_assert_max_num_queries(8):
            blocks = {b.pk: b for c in queries.page_blocks(viewer, page) for b in c}
        for pk, person in named.items():
            expected = (True, None) if viewer == person else (False, True)
            assert (blocks[pk].shown is not None, blocks[pk].hidden) == expected
        assert (blocks[deleted].shown, blocks[deleted].hidden) == (None, True)


def test_text_is_kept_rendered_and_rendered_again_when_written_by_another_renderer(personas, shared):
    block = block_titled(shared, "Who I am")
    block.refresh_from_db()
    assert "<em>Alice</em>" in block.body_html
    Block.objects.filter(pk=block.pk).update(body="Now **bold**", body_html="stale", body_html_version=0)
    prepared = next(b for c in queries.page_blocks(personas.mo, first_page(shared)) for b in c if b.pk == block.pk)
    assert "<strong>bold</strong>" in prepared.html and "stale" not in prepared.html


def test_the_editor_warns_when_evidence_is_seen_by_fewer_people_than_the_portfolio(personas, shared):
    mine = Item.objects.create(owner=personas.alice, kind="page", title="Only mine", visibility=Visibility.PRIVATE)
    block = block_titled(shared, "A piece of work")
    services.update_block(actor=personas.alice, block=block, item=mine)
    prepared = next(b for c in queries.page_blocks(personas.alice, block.page) for b in c if b.pk == block.pk)
    assert prepared.narrower == "Only mine"


def test_gallery_images_the_viewer_may_not_see_are_counted_not_shown(personas, shared):
    page = first_page(shared)
    visible = services.evidence_from_upload(actor=personas.alice, portfolio=shared, uploaded=png("a.png"))
    hidden = services.evidence_from_upload(actor=personas.alice, portfolio=shared, uploaded=png("b.png"))
    Item.objects.filter(pk=hidden.pk).update(visibility=Visibility.PRIVATE)
    gallery = services.add_block(actor=personas.alice, page=page, kind="gallery", images=[visible, hidden])
    prepared = next(b for c in queries.page_blocks(personas.mo, page) for b in c if b.pk == gallery.pk)
    assert ([i.item_id for i in prepared.images_shown], prepared.images_hidden) == ([visible.pk], 1)


def test_empty_blocks_carry_their_guidance(personas, shared):
    columns = queries.page_blocks(personas.alice, first_page(shared))
    skills = next(b for c in columns for b in c if b.kind == "skills")
    assert skills.empty and skills.help.startswith("Claim the skills")
    assert not next(b for c in columns for b in c if b.title == "Who I am").empty


def test_a_block_without_guidance_of_its_own_gets_its_kinds(personas, shared):
    block = services.add_block(actor=personas.alice, page=first_page(shared), kind="gallery")
    prepared = next(b for c in queries.page_blocks(personas.alice, first_page(shared)) for b in c if b.pk == block.pk)
    assert prepared.help == queries.DEFAULT_GUIDANCE["gallery"]


def test_a_page_where_nothing_is_filled_in_shows_nothing_to_others(personas):
    portfolio = make_portfolio(personas.alice, visibility=Visibility.ORGANISATION)
    columns = queries.page_blocks(personas.mo, portfolio.pages.get(title="What I learned"))
    assert columns.nothing_shown and not columns.blockless


def test_a_timeline_lists_milestones_and_journal_entries_in_date_order(personas):
    from datetime import date

    portfolio = make_portfolio(personas.alice, kind="process")
    block = Block.objects.get(page__portfolio=portfolio, kind="timeline")
    services.update_block(actor=personas.alice, block=block, events=[{"date": "2026-02-01", "title": "Milestone"}])
    services.add_entry(actor=personas.alice, portfolio=portfolio, title="Entry", happened=date(2026, 1, 15))
    prepared = next(b for c in queries.page_blocks(personas.alice, block.page) for b in c if b.pk == block.pk)
    assert [row["title"] for row in prepared.timeline] == ["Entry", "Milestone"]


def test_a_private_reflection_is_the_owners_alone(personas):
    portfolio = make_portfolio(personas.alice, kind="process", visibility=Visibility.ORGANISATION)
    entry = services.add_entry(
        actor=personas.alice,
        portfolio=portfolio,
        title="Week one",
        answers=[{"prompt": "So what?", "answer": "I was scared"}],
        reflection_private=True,
    )
    assert queries.entry_answers(personas.alice, entry)[0]["answer"] == "I was scared"
    assert queries.entry_answers(personas.ada, entry) == []
    (prepared,) = queries.entries_for(personas.mo, portfolio, [entry])
    assert (prepared.reflection, prepared.reflection_hidden) == ([], True)


def test_search_text_leaves_out_private_blocks_and_private_reflections(personas, shared):
    process = make_portfolio(personas.alice, kind="process", visibility=Visibility.ORGANISATION)
    services.add_entry(
        actor=personas.alice,
        portfolio=process,
        title="Visible title",
        answers=[{"prompt": "So what?", "answer": "hidden feelings"}],
        reflection_private=True,
    )
    assert "Secret plans" not in queries.search_text(shared.item)
    assert "I am *Alice*." in queries.search_text(shared.item)
    text = queries.search_text(process.item)
    assert "Visible title" in text and "hidden feelings" not in text


def test_my_portfolios_and_the_ones_shared_with_me(personas, shared):
    mine = make_portfolio(personas.mo, title="Mo's own")
    assert set(queries.my_portfolios(personas.mo)) == {mine.item}
    assert set(queries.shared_with_me(personas.mo)) == {shared.item}
    assert set(queries.shared_with_me(personas.olly)) == set()


def test_finding_images_keeps_images_only(personas, shared):
    services.evidence_from_upload(actor=personas.alice, portfolio=shared, uploaded=png("sunset.png"))
    from portfolios.tests.test_pages_helpers import text_file

    services.evidence_from_upload(actor=personas.alice, portfolio=shared, uploaded=text_file("sunset.txt"))
    found = queries.find_items(personas.alice, "", images_only=True)
    assert [i.title for i in found] == ["Sunset"]
    assert {i.title for i in queries.find_items(personas.alice, "")} >= {"Sunset"}


def test_drafts_of_claims_are_the_owners_alone(personas, shared):
    from people.models import Skill
    from portfolios.models import SkillClaim

    skill = Skill.objects.create(name="Python")
    SkillClaim.objects.create(person=personas.alice, skill=skill, level=2, portfolio=shared, state="draft")
    assert queries.portfolio_claims(shared, personas.alice).count() == 1
    assert queries.portfolio_claims(shared, personas.mo).count() == 0
