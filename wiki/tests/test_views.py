"""The wiki's pages through the test client: each view's main path, its refusals, and no lost text."""

import io
import zipfile

import pytest
from django.urls import reverse

from core.models import Visibility, Watch
from spaces.models import Membership, Space
from tests.factories import ItemFactory, SpaceFactory
from wiki import markdown, queries
from wiki.models import Page, PageTemplate, Revision
from wiki.services import create_page, delete_page, save_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def make_page(personas):
    """create_page with team-space defaults: make_page(title=..., text=..., author=..., space=..., ...)."""

    def make(*, title="Onboarding", text="Welcome to the team.\n", author=None, space="team", **kwargs):
        space = personas.team if space == "team" else space
        kwargs.setdefault("visibility", Visibility.SPACE if space is not None else Visibility.ORGANISATION)
        return create_page(author=author or personas.alice, title=title, text=text, space=space, **kwargs)

    return make


def url(page) -> str:
    return queries.url_of(Page.objects.select_related("space", "area_owner").get(pk=page.pk))


def edit(client, page, *, text, base, title=None, **extra):
    data = {"title": title or page.item.title, "text": text, "base": base, "summary": "", **extra}
    return client.post(reverse("wiki:edit", args=[page.pk]), data)


def html(response) -> str:
    return response.content.decode()


# ----------------------------------------------------------------------------------------------- reading


def test_a_member_reads_a_space_page_with_its_tree_and_table_of_contents(personas, client_for, make_page):
    parent = make_page(title="Handbook", text="# Handbook\n\n## Tools\n\nText\n\n## People\n")
    make_page(title="Laptop setup", parent=parent)
    response = client_for(personas.gus).get(url(parent))
    body = html(response)
    assert response.status_code == 200
    assert '<h1 id="page-title" class="wiki-title">Handbook</h1>' in body
    assert body.count(">Handbook</h1>") == 1  # the text's own first heading repeats the title: shown once
    assert 'href="#tools"' in body and 'href="#people"' in body
    assert 'aria-current="page">Handbook</a>' in body and ">Laptop setup</a>" in body


def test_breadcrumbs_follow_the_parent_chain(personas, client_for, make_page):
    top = make_page(title="Handbook")
    middle = make_page(title="Engineering", parent=top)
    leaf = make_page(title="Code review", parent=middle)
    body = html(client_for(personas.alice).get(url(leaf)))
    crumbs = body[body.index('class="breadcrumbs"') : body.index("</nav>", body.index('class="breadcrumbs"'))]
    assert crumbs.index(">Team<") < crumbs.index(">Handbook<") < crumbs.index(">Engineering<")


def test_wiki_links_are_blue_when_the_page_exists_and_red_offering_to_create_it(personas, client_for, make_page):
    make_page(title="Laptop setup")
    page = make_page(title="Start", text="See [[Laptop setup]] and [[Parking]].\n")
    body = html(client_for(personas.alice).get(url(page)))
    assert '<a href="/wiki/s/team/laptop-setup/" class="wikilink" ' in body
    assert '<a href="/wiki/new/?space=team&amp;title=Parking" class="wikilink missing" ' in body


def test_a_red_link_turns_blue_once_the_page_is_written(personas, client_for, make_page):
    page = make_page(title="Start", text="See [[Parking]].\n")
    client = client_for(personas.alice)
    assert "wikilink missing" in html(client.get(url(page)))
    make_page(title="Parking")
    assert 'href="/wiki/s/team/parking/" class="wikilink"' in html(client.get(url(page)))


def test_a_link_into_another_space_turns_blue_when_that_page_is_written(personas, client_for, make_page):
    page = make_page(title="Start", text="Ask [[elsewhere:Help desk]].\n", visibility=Visibility.ORGANISATION)
    client = client_for(personas.alice)
    assert "wikilink missing" in html(client.get(url(page)))
    make_page(title="Help desk", space=personas.elsewhere, author=personas.olly)
    assert 'href="/wiki/s/elsewhere/help-desk/" class="wikilink"' in html(client.get(url(page)))


def test_a_link_turns_red_again_when_its_page_is_deleted(personas, client_for, make_page):
    target = make_page(title="Parking")
    page = make_page(title="Start", text="See [[Parking]].\n")
    client = client_for(personas.alice)
    assert "wikilink missing" not in html(client.get(url(page)))
    delete_page(page=target, actor=personas.alice)
    assert "wikilink missing" in html(client.get(url(page)))


def test_the_rendered_html_is_cached_per_revision(personas, client_for, make_page, monkeypatch):
    page = make_page(text="Some **text**.\n")
    client = client_for(personas.alice)
    client.get(url(page))
    renders = []
    original = markdown.render
    monkeypatch.setattr(markdown, "render", lambda *a, **k: renders.append(1) or original(*a, **k))
    assert "<strong>text</strong>" in html(client.get(url(page)))
    assert renders == []


def test_the_permalink_shows_the_same_page(personas, client_for, make_page):
    page = make_page(title="Handbook", text="Hello there.\n")
    response = client_for(personas.alice).get(reverse("core:item", args=[page.pk]))
    assert response.status_code == 200 and "Hello there." in html(response)


def test_a_personal_page_lives_at_its_owners_address(personas, client_for, make_page):
    page = make_page(title="My notes", space=None, author=personas.mo)
    assert url(page) == "/wiki/~mo/my-notes/"
    assert client_for(personas.alice).get(url(page)).status_code == 200


def test_a_page_with_an_accented_title_has_a_working_address(personas, client_for, make_page):
    page = make_page(title="Über uns", text="Hallo.\n")
    assert url(page) == "/wiki/s/team/%C3%BCber-uns/"
    assert "Hallo." in html(client_for(personas.alice).get(url(page)))


def test_a_page_titled_like_an_address_the_wiki_uses_itself_gets_another(personas, client_for, make_page):
    page = make_page(title="Import")
    assert page.slug == "import-2"
    response = client_for(personas.alice).get(url(page))
    assert response.status_code == 200 and "Import" in response.content.decode()


def test_non_members_get_404_and_anonymous_visitors_are_asked_to_sign_in_for_a_space_members_page(
    personas, client_for, make_page
):
    page = make_page()
    assert client_for(personas.olly).get(url(page)).status_code == 404
    assert client_for(personas.lee).get(url(page)).status_code == 404
    assert client_for(None).get(url(page))["Location"].startswith("/accounts/login/?next=")
    assert client_for(personas.gus).get(url(page)).status_code == 200


def test_a_guest_does_not_see_an_organisation_page_of_a_space_they_are_not_in(personas, client_for, make_page):
    page = make_page(space=personas.elsewhere, author=personas.olly, visibility=Visibility.ORGANISATION)
    assert client_for(personas.gus).get(url(page)).status_code == 404
    assert client_for(personas.alice).get(url(page)).status_code == 200


def test_a_deleted_page_is_not_found(personas, client_for, make_page):
    page = make_page()
    delete_page(page=page, actor=personas.alice)
    assert client_for(personas.alice).get(url(page)).status_code == 404


@pytest.mark.parametrize(
    "name", ["wiki:history", "wiki:diff", "wiki:attribution", "wiki:slides", "wiki:links-here", "wiki:export-md"]
)
def test_every_view_of_a_hidden_page_is_404(personas, client_for, make_page, name):
    assert client_for(personas.alice).get(reverse(name, args=[10**30])).status_code == 404
    page = make_page()
    assert client_for(personas.olly).get(reverse(name, args=[page.pk])).status_code == 404


def test_what_links_here_lists_the_visible_pages_that_link(personas, client_for, make_page):
    target = make_page(title="Parking")
    make_page(title="Start", text="See [[Parking]].\n")
    make_page(title="Secret", text="[[Parking]] too\n", visibility=Visibility.PRIVATE, author=personas.mo)
    client = client_for(personas.alice)
    assert "1 page</a>" in html(client.get(url(target)))
    body = html(client.get(reverse("wiki:links-here", args=[target.pk])))
    assert ">Start</a>" in body and "Secret" not in body


# ----------------------------------------------------------------------------------------------- editing


def test_an_edit_saves_a_revision_and_returns_to_the_page(personas, client_for, make_page):
    page = make_page(text="One\n")
    response = edit(client_for(personas.gus), page, text="One\nTwo\n", base=1, summary="More")
    assert response.status_code == 302 and response["Location"] == url(page)
    latest = Revision.objects.get(page=page, number=2)
    assert latest.text == "One\nTwo\n" and latest.author == personas.gus and latest.summary == "More"


def test_the_editor_shows_the_text_the_base_revision_and_a_live_preview(personas, client_for, make_page):
    page = make_page(text="Some *text*\n")
    body = html(client_for(personas.alice).get(reverse("wiki:edit", args=[page.pk])))
    assert 'name="base" value="1"' in body and "Some *text*" in body and "<em>text</em>" in body
    assert f'hx-post="{reverse("wiki:preview")}"' in body and "keyup changed delay:400ms" in body


def test_an_edit_made_from_an_old_revision_is_merged_without_asking(personas, client_for, make_page):
    page = make_page(text="alpha\nbeta\ngamma\n")
    save_page(page=page, author=personas.mo, text="ALPHA\nbeta\ngamma\n", base_number=1)
    client = client_for(personas.alice)
    response = edit(client, page, text="alpha\nbeta\nGAMMA\n", base=1)
    assert response.status_code == 302
    assert Page.objects.get(pk=page.pk).current.text == "ALPHA\nbeta\nGAMMA\n"
    message = html(client.get(response["Location"]))
    assert "Merged with changes Mo Mentor saved meanwhile" in message


def test_an_overlapping_edit_shows_the_conflict_screen_and_saves_nothing(personas, client_for, make_page):
    page = make_page(text="alpha\nbeta\n")
    save_page(page=page, author=personas.mo, text="alpha\nBETA by Mo\n", base_number=1)
    response = edit(client_for(personas.alice), page, text="alpha\nbeta by Alice\n", base=1)
    body = html(response)
    assert response.status_code == 409
    assert Page.objects.get(pk=page.pk).revision_count == 2
    assert 'name="base" value="2"' in body
    assert "<<<<<<< your version\nbeta by Alice\n=======\nBETA by Mo\n>>>>>>> saved meanwhile by others" in (
        body.replace("&lt;", "<").replace("&gt;", ">")
    )
    mine = body[body.index('id="wiki-mine"') :]
    assert "alpha\nbeta by Alice\n</textarea>" in mine


def test_a_resolved_conflict_saves_on_the_latest_revision(personas, client_for, make_page):
    page = make_page(text="alpha\nbeta\n")
    save_page(page=page, author=personas.mo, text="alpha\nBETA by Mo\n", base_number=1)
    client = client_for(personas.alice)
    edit(client, page, text="alpha\nbeta by Alice\n", base=1)
    response = edit(client, page, text="alpha\nBETA by Mo and Alice\n", base=2)
    assert response.status_code == 302
    assert Page.objects.get(pk=page.pk).current.text == "alpha\nBETA by Mo and Alice\n"


def test_text_still_holding_conflict_markers_is_refused_with_the_text_kept(personas, client_for, make_page):
    page = make_page(text="alpha\n")
    marked = "<<<<<<< your version\nmine\n=======\ntheirs\n>>>>>>> saved meanwhile by others\n"
    response = edit(client_for(personas.alice), page, text=marked, base=1)
    assert response.status_code == 400
    assert "conflict markers" in html(response) and "&gt;&gt;&gt;&gt;&gt;&gt;&gt; saved meanwhile" in html(response)
    assert Page.objects.get(pk=page.pk).revision_count == 1


def test_choosing_my_own_text_after_a_conflict_fills_the_editor_and_saves_nothing(personas, client_for, make_page):
    page = make_page(text="alpha\n")
    data = {"title": "Onboarding", "text": "<<<<<<< x", "mine": "my own words\n", "base": 2, "action": "use-mine"}
    response = client_for(personas.alice).post(reverse("wiki:edit", args=[page.pk]), data)
    body = html(response)
    assert response.status_code == 200 and "my own words" in body and "Saving it replaces" in body
    assert Page.objects.get(pk=page.pk).revision_count == 1


def test_an_empty_title_is_a_form_error_that_keeps_the_text(personas, client_for, make_page):
    page = make_page(text="alpha\n")
    response = edit(client_for(personas.alice), page, title=" ", text="my long careful paragraph\n", base=1)
    assert response.status_code == 400
    assert "my long careful paragraph" in html(response) and "This field is required." in html(response)


@pytest.mark.parametrize("base", ["abc", "", "0", "99"])
def test_a_bad_base_revision_is_a_clear_error_not_a_500(personas, client_for, make_page, base):
    page = make_page(text="alpha\n")
    response = edit(client_for(personas.alice), page, text="my words\n", base=base)
    assert response.status_code == 400 and "my words" in html(response)


def test_saving_the_same_text_writes_no_revision(personas, client_for, make_page):
    page = make_page(text="alpha\n")
    client = client_for(personas.alice)
    response = edit(client, page, text="alpha\n", base=1)
    assert response.status_code == 302 and Page.objects.get(pk=page.pk).revision_count == 1
    assert "Nothing changed" in html(client.get(response["Location"]))


def test_the_preview_button_renders_the_text_without_saving(personas, client_for, make_page):
    page = make_page(text="alpha\n")
    response = edit(client_for(personas.alice), page, text="**bold** move\n", base=1, action="preview")
    assert response.status_code == 200 and "<strong>bold</strong>" in html(response)
    assert Page.objects.get(pk=page.pk).revision_count == 1


def test_someone_who_lost_the_right_to_edit_while_typing_gets_their_text_back(personas, client_for, make_page):
    page = make_page(text="alpha\n", author=personas.mo, visibility=Visibility.ORGANISATION)
    client = client_for(personas.alice)
    assert client.get(reverse("wiki:edit", args=[page.pk])).status_code == 200
    Membership.objects.filter(user=personas.alice, space=personas.team).delete()
    response = edit(client, page, text="what alice typed\n", base=1)
    assert response.status_code == 403 and "what alice typed" in html(response)
    assert Page.objects.get(pk=page.pk).revision_count == 1


def test_a_reader_who_may_not_edit_gets_403(personas, client_for, make_page):
    page = make_page(visibility=Visibility.ORGANISATION)
    assert client_for(personas.lee).get(reverse("wiki:edit", args=[page.pk])).status_code == 403
    assert edit(client_for(personas.lee), page, text="x\n", base=1).status_code == 403


def test_the_live_preview_renders_markdown_with_links_resolved(personas, client_for, make_page):
    make_page(title="Parking")
    page = make_page(title="Start")
    response = client_for(personas.alice).post(
        reverse("wiki:preview"), {"text": "**Hi** [[Parking]] [[Nowhere]]", "page": page.pk}, HTTP_HX_REQUEST="true"
    )
    body = html(response)
    assert "<strong>Hi</strong>" in body and 'class="wikilink" rel="noopener noreferrer">Parking' in body
    assert "wikilink missing" in body


def test_the_preview_of_a_new_page_resolves_links_in_the_chosen_space(personas, client_for, make_page):
    make_page(title="Parking")
    response = client_for(personas.alice).post(reverse("wiki:preview"), {"text": "[[Parking]]", "space": "team"})
    assert 'href="/wiki/s/team/parking/" class="wikilink"' in html(response)


def test_the_preview_never_writes_script(personas, client_for):
    response = client_for(personas.alice).post(reverse("wiki:preview"), {"text": "<script>alert(1)</script><b>x</b>"})
    assert "<script" not in html(response) and "<b>x</b>" in html(response)


def test_the_preview_is_for_signed_in_people(client_for):
    assert client_for(None).post(reverse("wiki:preview"), {"text": "x"}).status_code == 302


# ------------------------------------------------------------------------------------------------ new page


def test_a_red_link_opens_the_new_page_form_with_its_space_and_title(personas, client_for):
    response = client_for(personas.alice).get(reverse("wiki:new") + "?space=team&title=Parking")
    form = response.context["form"]
    assert response.status_code == 200
    assert form.initial["title"] == "Parking" and form.initial["space"] == "team"
    assert form.initial["visibility"] == Visibility.SPACE


def test_a_template_fills_the_new_page_text(personas, client_for):
    template = PageTemplate.objects.get(name="Meeting notes")
    response = client_for(personas.alice).get(reverse("wiki:new") + f"?space=team&template={template.pk}")
    assert response.context["form"].initial["text"] == template.text


def test_a_new_page_is_created_under_its_parent(personas, client_for, make_page):
    parent = make_page(title="Handbook")
    data = {"title": "Laptop", "space": "team", "parent": parent.pk, "text": "Set it up.\n", "visibility": "space"}
    response = client_for(personas.alice).post(reverse("wiki:new"), data)
    page = Page.objects.get(slug="laptop")
    assert response.status_code == 302 and response["Location"] == "/wiki/s/team/laptop/"
    assert page.parent == parent and page.current.text == "Set it up.\n" and page.item.owner == personas.alice


def test_a_parent_from_another_wiki_is_refused(personas, client_for, make_page):
    elsewhere = make_page(title="Theirs", space=personas.elsewhere, author=personas.olly)
    data = {"title": "Laptop", "space": "team", "parent": elsewhere.pk, "text": "typed\n", "visibility": "space"}
    response = client_for(personas.alice).post(reverse("wiki:new"), data)
    assert response.status_code == 400 and "parent" in response.context["form"].errors
    assert "typed" in html(response) and not Page.objects.filter(slug="laptop").exists()


def test_someone_outside_a_space_cannot_write_a_page_in_it(personas, client_for):
    SpaceFactory(name="Open", slug="open", visibility=Space.Visibility.OPEN)
    client = client_for(personas.lee)
    assert "Only members of Open" in html(client.get(reverse("wiki:new") + "?space=open&title=X"))
    data = {"title": "X", "space": "open", "text": "typed by lee\n", "visibility": "organisation"}
    response = client.post(reverse("wiki:new"), data)
    assert response.status_code == 400 and "typed by lee" in html(response)
    assert not Page.objects.exists()


def test_a_new_page_without_a_title_keeps_the_text(personas, client_for):
    data = {"title": "", "space": "team", "text": "a whole paragraph\n", "visibility": "space"}
    response = client_for(personas.alice).post(reverse("wiki:new"), data)
    assert response.status_code == 400 and "a whole paragraph" in html(response)


def test_a_page_in_my_own_area(personas, client_for):
    data = {"title": "My notes", "space": "", "text": "Mine.\n", "visibility": "private"}
    response = client_for(personas.alice).post(reverse("wiki:new"), data)
    assert response.status_code == 302 and response["Location"] == "/wiki/~alice/my-notes/"
    assert client_for(personas.mo).get("/wiki/~alice/my-notes/").status_code == 404


def test_space_members_visibility_needs_a_space(personas, client_for):
    data = {"title": "My notes", "space": "", "text": "Mine.\n", "visibility": "space"}
    response = client_for(personas.alice).post(reverse("wiki:new"), data)
    assert response.status_code == 400 and "visibility" in response.context["form"].errors


def test_choosing_another_space_fetches_its_parent_choices(personas, client_for, make_page):
    make_page(title="Handbook")
    response = client_for(personas.alice).get(reverse("wiki:new") + "?space=team", HTTP_HX_REQUEST="true")
    body = html(response)
    assert body.lstrip().startswith('<div class="field" id="parent-field">') and ">Handbook</option>" in body


# ----------------------------------------------------------------------------------- history and revisions


def test_the_history_lists_revisions_with_their_size_changes(personas, client_for, make_page):
    page = make_page(text="12345\n")
    save_page(page=page, author=personas.mo, text="12\n", base_number=1, summary="Shorter", minor=True)
    body = html(client_for(personas.alice).get(reverse("wiki:history", args=[page.pk])))
    assert "Shorter" in body and ">minor</span>" in body and ">-3</span>" in body and ">+6</span>" in body


def test_the_history_is_paginated(personas, client_for, make_page, monkeypatch):
    monkeypatch.setattr("wiki.views.HISTORY_PER_PAGE", 2)
    page = make_page(text="0\n")
    for n in range(1, 5):
        save_page(page=page, author=personas.alice, text=f"{n}\n", base_number=n)
    client = client_for(personas.alice)
    first = client.get(reverse("wiki:history", args=[page.pk]))
    assert [r.number for r in first.context["rows"]] == [5, 4] and first.context["pager"]["has_next"]
    last = client.get(reverse("wiki:history", args=[page.pk]) + "?page=3")
    assert [r.number for r in last.context["rows"]] == [1] and not last.context["pager"]["has_next"]
    assert client.get(reverse("wiki:history", args=[page.pk]) + "?page=9").status_code == 404


def test_a_diff_marks_changed_words_inline_and_side_by_side(personas, client_for, make_page):
    page = make_page(text="The quick brown fox\n")
    save_page(page=page, author=personas.mo, text="The quick red fox\n", base_number=1)
    client = client_for(personas.alice)
    inline = html(client.get(reverse("wiki:diff", args=[page.pk]) + "?from=1&to=2"))
    assert "<del>brown</del>" in inline and "<ins>red</ins>" in inline
    split = html(client.get(reverse("wiki:diff", args=[page.pk]) + "?from=1&to=2&view=split"))
    assert "wiki-diff-split" in split and "<ins>red</ins>" in split


def test_a_diff_defaults_to_the_latest_change(personas, client_for, make_page):
    page = make_page(text="a\n")
    save_page(page=page, author=personas.mo, text="b\n", base_number=1)
    response = client_for(personas.alice).get(reverse("wiki:diff", args=[page.pk]))
    assert response.context["old"].number == 1 and response.context["new"].number == 2


@pytest.mark.parametrize(
    ("query", "status"),
    [("?from=abc&to=2", 400), ("?from=1&to=99", 404), ("?to=-3", 400), ("?to=x", 400), (f"?to={10**30}", 400)],
)
def test_a_diff_of_revisions_that_do_not_exist_says_so(personas, client_for, make_page, query, status):
    page = make_page(text="a\n")
    save_page(page=page, author=personas.mo, text="b\n", base_number=1)
    response = client_for(personas.alice).get(reverse("wiki:diff", args=[page.pk]) + query)
    assert response.status_code == status and "message-error" in html(response)


def test_an_old_revision_shows_its_text_under_a_banner(personas, client_for, make_page):
    page = make_page(text="Old words\n")
    save_page(page=page, author=personas.mo, text="New words\n", base_number=1)
    response = client_for(personas.alice).get(reverse("wiki:revision", args=[page.pk, 1]))
    assert response.status_code == 200 and "Old words" in html(response) and "old revision" in html(response)
    assert client_for(personas.alice).get(reverse("wiki:revision", args=[page.pk, 7])).status_code == 404


def test_revert_asks_first_then_restores_the_revision_as_a_new_one(personas, client_for, make_page):
    page = make_page(text="Old words\n")
    save_page(page=page, author=personas.mo, text="Vandalised\n", base_number=1)
    client = client_for(personas.alice)
    assert "Restore revision 1?" in html(client.get(reverse("wiki:revert", args=[page.pk, 1])))
    assert Page.objects.get(pk=page.pk).revision_count == 2
    response = client.post(reverse("wiki:revert", args=[page.pk, 1]))
    current = Page.objects.get(pk=page.pk).current
    assert response.status_code == 302 and current.number == 3 and current.text == "Old words\n"
    assert current.reverted_to == 1


def test_reverting_to_the_current_revision_explains_why_not(personas, client_for, make_page):
    page = make_page(text="a\n")
    client = client_for(personas.alice)
    response = client.post(reverse("wiki:revert", args=[page.pk, 1]), follow=True)
    assert "already the current revision" in html(response)


def test_a_reader_who_may_not_edit_cannot_revert(personas, client_for, make_page):
    page = make_page(text="a\n", visibility=Visibility.ORGANISATION)
    save_page(page=page, author=personas.mo, text="b\n", base_number=1)
    assert client_for(personas.lee).post(reverse("wiki:revert", args=[page.pk, 1])).status_code == 403


# ------------------------------------------------------------------------------ attribution, slides, export


def test_who_wrote_what_marks_each_line_with_its_author_and_revision(personas, client_for, make_page):
    page = make_page(text="alice line\n")
    save_page(page=page, author=personas.mo, text="alice line\nmo line\n", base_number=1, summary="Mo adds")
    response = client_for(personas.alice).get(reverse("wiki:attribution", args=[page.pk]))
    runs = response.context["runs"]
    assert [(r.revision.author.username, r.lines) for r in runs] == [("alice", ["alice line"]), ("mo", ["mo line"])]
    assert runs[0].colour != runs[1].colour
    body = html(response)
    assert f'href="{reverse("wiki:revision", args=[page.pk, 2])}"' in body and "“Mo adds”" in body
    assert [(c.person.username, c.share) for c in response.context["shares"]] == [("alice", 50.0), ("mo", 50.0)]


def test_a_contributor_keeps_their_colour_unless_it_is_taken_on_the_page():
    assert queries.colours_for([14, 26]) == {14: 2, 26: 3}
    assert queries.colours_for([3, 5]) == {3: 3, 5: 5}


def test_slides_split_the_page_at_rules(personas, client_for, make_page):
    page = make_page(text="# One\n\n---\n\n# Two\n\n---\n\n# Three\n")
    response = client_for(personas.alice).get(reverse("wiki:slides", args=[page.pk]))
    assert response.status_code == 200 and len(response.context["slides"]) == 3
    assert 'aria-label="Slide 3 of 3"' in html(response)


def test_a_page_downloads_as_markdown_with_its_title(personas, client_for, make_page):
    page = make_page(title="Handbook", text="Body text\n")
    response = client_for(personas.alice).get(reverse("wiki:export-md", args=[page.pk]))
    assert (
        response["Content-Type"].startswith("text/markdown")
        and 'filename="handbook.md"' in response["Content-Disposition"]
    )
    assert 'title: "Handbook"' in html(response) and html(response).endswith("Body text\n")


def test_a_page_downloads_as_html_with_working_links(personas, client_for, make_page):
    make_page(title="Parking")
    page = make_page(title="Handbook", text="See [[Parking]]\n")
    response = client_for(personas.alice).get(reverse("wiki:export-html", args=[page.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    assert 'href="http://testserver/wiki/s/team/parking/"' in html(response)


def test_a_space_wiki_downloads_as_a_zip_of_the_pages_the_person_may_see(personas, client_for, make_page):
    parent = make_page(title="Handbook")
    make_page(title="Laptop", parent=parent)
    make_page(title="Secret", author=personas.mo, visibility=Visibility.PRIVATE)
    response = client_for(personas.alice).get(reverse("wiki:space-export", args=["team"]))
    names = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()
    assert sorted(names) == ["handbook.md", "handbook/laptop.md"]


# -------------------------------------------------------------------------------------------------- import


def zip_of(files: dict[str, str], name="wiki.zip"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path, text in files.items():
            archive.writestr(path, text)
    buffer.seek(0)
    buffer.name = name
    return buffer


def test_an_import_is_previewed_and_written_only_when_confirmed(personas, client_for):
    client = client_for(personas.alice)
    address = reverse("wiki:space-import", args=["team"])
    archive = zip_of({"Guides.md": "# Guides\n", "Guides/Install.md": "Steps\n", "notes.txt": "x"})
    preview = client.post(address, {"archive": archive, "visibility": "space"})
    assert preview.status_code == 200 and "Import 2 pages" in html(preview) and not Page.objects.exists()
    done = client.post(address, {"action": "confirm", "token": preview.context["token"]})
    assert done.status_code == 200 and "2 pages created" in html(done)
    assert Page.objects.get(slug="install").parent == Page.objects.get(slug="guides")
    again = client.post(address, {"action": "confirm", "token": preview.context["token"]})
    assert again.status_code == 302 and Page.objects.count() == 2


def test_a_cancelled_import_writes_nothing(personas, client_for):
    client = client_for(personas.alice)
    address = reverse("wiki:space-import", args=["team"])
    preview = client.post(address, {"archive": zip_of({"a.md": "A\n"}), "visibility": "space"})
    response = client.post(address, {"action": "cancel", "token": preview.context["token"]})
    assert response.status_code == 302 and not Page.objects.exists()


def test_an_import_that_is_not_a_zip_is_a_form_error(personas, client_for):
    upload = io.BytesIO(b"not a zip at all")
    upload.name = "wiki.zip"
    response = client_for(personas.alice).post(
        reverse("wiki:space-import", args=["team"]), {"archive": upload, "visibility": "space"}
    )
    assert response.status_code == 400 and "not a zip file" in html(response)


def test_another_persons_import_cannot_be_confirmed(personas, client_for):
    address = reverse("wiki:space-import", args=["team"])
    preview = client_for(personas.alice).post(address, {"archive": zip_of({"a.md": "A\n"}), "visibility": "space"})
    response = client_for(personas.mo).post(address, {"action": "confirm", "token": preview.context["token"]})
    assert response.status_code == 302 and not Page.objects.exists()


def test_only_members_import_into_a_space(personas, client_for):
    SpaceFactory(name="Open", slug="open", visibility=Space.Visibility.OPEN)
    assert client_for(personas.lee).get(reverse("wiki:space-import", args=["open"])).status_code == 403
    assert client_for(personas.olly).get(reverse("wiki:space-import", args=["team"])).status_code == 404


# ------------------------------------------------------------------------------- settings, delete, watch


def test_settings_move_a_page_and_change_its_address(personas, client_for, make_page):
    parent = make_page(title="Handbook")
    page = make_page(title="Laptop")
    data = {"parent": parent.pk, "slug": "laptop-setup", "tags": "it, setup", "visibility": "space"}
    response = client_for(personas.gus).post(reverse("wiki:settings", args=[page.pk]), data)
    page.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == "/wiki/s/team/laptop-setup/"
    assert page.parent == parent and sorted(t.name for t in page.item.tags.all()) == ["it", "setup"]


def test_settings_refuse_moving_a_page_under_its_own_sub_page(personas, client_for, make_page):
    parent = make_page(title="Handbook")
    child = make_page(title="Laptop", parent=parent)
    data = {"parent": child.pk, "slug": "handbook", "tags": "", "visibility": "space"}
    response = client_for(personas.alice).post(reverse("wiki:settings", args=[parent.pk]), data)
    assert response.status_code == 400 and "parent" in response.context["form"].errors


def test_settings_refuse_an_address_another_page_has(personas, client_for, make_page):
    make_page(title="Handbook")
    page = make_page(title="Laptop")
    data = {"slug": "handbook", "tags": "", "visibility": "space"}
    response = client_for(personas.alice).post(reverse("wiki:settings", args=[page.pk]), data)
    assert response.status_code == 400 and "already has the address" in html(response)


def test_only_an_owner_or_moderator_changes_who_may_see_a_page(personas, client_for, make_page):
    page = make_page(author=personas.mo)
    data = {"slug": page.slug, "tags": "", "visibility": "organisation"}
    client_for(personas.gus).post(reverse("wiki:settings", args=[page.pk]), data)
    page.item.refresh_from_db()
    assert page.item.visibility == Visibility.SPACE  # the field is disabled for gus: his choice is ignored


def test_delete_asks_first_and_hides_the_page(personas, client_for, make_page):
    page = make_page()
    client = client_for(personas.alice)
    assert "Delete “Onboarding”?" in html(client.get(reverse("wiki:delete", args=[page.pk])))
    response = client.post(reverse("wiki:delete", args=[page.pk]))
    assert response.status_code == 302 and response["Location"] == "/wiki/s/team/"
    assert client.get(url(page)).status_code == 404


def test_a_member_who_does_not_own_a_page_cannot_delete_it(personas, client_for, make_page):
    page = make_page(author=personas.mo)
    assert client_for(personas.alice).post(reverse("wiki:delete", args=[page.pk])).status_code == 403


def test_moderators_see_deleted_pages_on_the_wiki_home_and_restore_them(personas, client_for, make_page):
    page = make_page(title="Gone for now")
    delete_page(page=page, actor=personas.alice)
    assert "Gone for now" not in html(client_for(personas.alice).get(reverse("wiki:space", args=["team"])))
    mo = client_for(personas.mo)
    assert "Gone for now" in html(mo.get(reverse("wiki:space", args=["team"])))
    response = mo.post(reverse("wiki:restore", args=[page.pk]))
    assert response.status_code == 302 and mo.get(url(page)).status_code == 200


def test_a_deleted_page_cannot_be_restored_by_someone_who_may_not(personas, client_for, make_page):
    page = make_page(author=personas.mo)
    delete_page(page=page, actor=personas.mo)
    assert client_for(personas.alice).post(reverse("wiki:restore", args=[page.pk])).status_code == 404


def test_watching_a_page_with_htmx_swaps_the_button(personas, client_for, make_page):
    page = make_page(author=personas.mo)
    response = client_for(personas.alice).post(
        reverse("wiki:watch", args=[page.pk]), {"action": "watch"}, HTTP_HX_REQUEST="true"
    )
    assert 'aria-pressed="true"' in html(response) and "<html" not in html(response)
    assert Watch.objects.filter(user=personas.alice, item=page.item).exists()


# ----------------------------------------------------------------------------------------------- templates


def test_a_curator_adds_changes_and_deletes_a_template(personas, client_for):
    client = client_for(personas.lee)
    data = {"name": "Retro", "description": "What went well", "text": "## Went well\n"}
    assert client.post(reverse("wiki:template-new"), data).status_code == 302
    template = PageTemplate.objects.get(name="Retro")
    client.post(reverse("wiki:template-edit", args=[template.pk]), {**data, "text": "## Better\n"})
    assert PageTemplate.objects.get(pk=template.pk).text == "## Better\n"
    assert client.post(reverse("wiki:template-delete", args=[template.pk])).status_code == 302
    assert not PageTemplate.objects.filter(name="Retro").exists()


def test_a_template_name_taken_already_is_a_form_error(personas, client_for):
    data = {"name": "Meeting notes", "text": "x"}
    response = client_for(personas.lee).post(reverse("wiki:template-new"), data)
    assert response.status_code == 400 and "already a template" in html(response)


def test_learners_see_templates_but_cannot_change_them(personas, client_for):
    client = client_for(personas.alice)
    assert "Meeting notes" in html(client.get(reverse("wiki:templates")))
    assert client.get(reverse("wiki:template-new")).status_code == 403
    template = PageTemplate.objects.first()
    assert client.post(reverse("wiki:template-delete", args=[template.pk])).status_code == 403


# ---------------------------------------------------------------------------------------------- wiki homes


def test_the_wiki_index_lists_my_spaces_and_recent_changes(personas, client_for, make_page):
    make_page(title="Handbook")
    body = html(client_for(personas.alice).get(reverse("wiki:index")))
    assert 'href="/wiki/s/team/"' in body and 'href="/wiki/s/team/handbook/"' in body
    assert "Handbook" not in html(client_for(personas.olly).get(reverse("wiki:index")))


def test_a_space_wiki_home_lists_its_page_tree(personas, client_for, make_page):
    parent = make_page(title="Handbook")
    make_page(title="Laptop", parent=parent)
    response = client_for(personas.alice).get(reverse("wiki:space", args=["team"]))
    assert response.status_code == 200 and response.context["page_count"] == 2
    assert ">Laptop</a>" in html(response)
    assert client_for(personas.olly).get(reverse("wiki:space", args=["team"])).status_code == 404


def test_a_persons_own_pages_show_only_what_the_viewer_may_see(personas, client_for, make_page):
    make_page(title="Open notes", space=None, author=personas.mo)
    make_page(title="Private notes", space=None, author=personas.mo, visibility=Visibility.PRIVATE)
    body = html(client_for(personas.alice).get(reverse("wiki:personal", args=["mo"])))
    assert "Open notes" in body and "Private notes" not in body
    assert "Private notes" in html(client_for(personas.mo).get(reverse("wiki:personal", args=["mo"])))


def test_the_file_picker_offers_visible_files_as_markdown_to_insert(personas, client_for):
    from files.models import File

    def file_item(owner, title, family, visibility, space=None):
        item = ItemFactory(owner=owner, title=title, kind="file", visibility=visibility, space=space)
        File.objects.create(
            item=item, blob="files/x", original_name="x", content_type="image/png", family=family, size=1, sha256="0"
        )
        return item

    diagram = file_item(personas.mo, "Deploy [diagram]", "image", Visibility.ORGANISATION)
    handbook = file_item(personas.mo, "Deploy handbook", "document", Visibility.ORGANISATION)
    file_item(personas.olly, "Deploy secrets", "document", Visibility.SPACE, space=personas.elsewhere)
    body = client_for(personas.alice).get(reverse("wiki:files"), {"file_q": "deploy"}).content.decode()
    assert f"![Deploy (diagram)](/files/{diagram.pk}/inline)" in body
    assert f"[Deploy handbook](/i/{handbook.pk}/)" in body
    assert "Deploy secrets" not in body


def test_a_pages_id_address_leads_to_the_page(personas, client_for, make_page):
    page = make_page()
    response = client_for(personas.gus).get(f"/wiki/{page.item_id}/")
    assert response.status_code == 302 and response["Location"] == page.item.get_absolute_url()
    assert client_for(personas.olly).get(f"/wiki/{page.item_id}/").status_code == 404
