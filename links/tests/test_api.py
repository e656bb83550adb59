"""The links JSON API at /api/links/ (mounted by api.api.mount_routers)."""

import pytest
from django.test import Client

from core.models import Item, SiteConfig, Visibility, Watch
from core.services import create_item
from links import services
from links.models import Board, BoardEntry, Bookmark, EntryProgress, Link
from people.models import Skill

pytestmark = pytest.mark.django_db

URL = "/api/links"
LIST = f"{URL}/"
BOARDS = f"{URL}/boards"


def save(user, url, title="", *, space=None, visibility=Visibility.ORGANISATION, tags=(), notes=""):
    return services.save_link(
        user=user, url=url, title=title, space=space, visibility=visibility, tags=tags, notes=notes
    ).bookmark


def board(owner, title="Statistics reading list", *, space=None, visibility=Visibility.ORGANISATION):
    return services.create_board(owner=owner, title=title, space=space, visibility=visibility)


def send(client, method, path, body=None):
    return getattr(client, method)(path, body, content_type="application/json")


def titles(response):
    return sorted(row["title"] for row in response.json()["items"])


@pytest.fixture
def saves(personas):
    """alice's public-to-the-organisation save, her team-only save and her private one; mo's save of the first."""
    p = personas
    return {
        "docs": save(p.alice, "https://docs.python.org/3/tutorial/", "Python tutorial", tags=["python"]),
        "team": save(p.alice, "https://sqlbolt.com/", "SQLBolt", space=p.team, visibility=Visibility.SPACE),
        "private": save(p.alice, "https://example.org/diary", "My diary", visibility=Visibility.PRIVATE),
        "mo": save(p.mo, "https://docs.python.org/3/tutorial/?utm_source=x", "The tutorial", notes="Start here."),
    }


# ------------------------------------------------------------------------------------------ links


def test_it_lists_only_the_saves_the_caller_may_see(personas, client_for, saves):
    assert titles(client_for(personas.alice).get(LIST)) == ["My diary", "Python tutorial", "SQLBolt", "The tutorial"]
    assert titles(client_for(personas.gus).get(LIST)) == ["SQLBolt"]
    assert titles(client_for(personas.olly).get(LIST)) == ["Python tutorial", "The tutorial"]
    assert Client().get(LIST).json() == {"items": [], "count": 0}


def test_it_filters_saves_by_tag_space_owner_and_domain(personas, client_for, saves):
    client = client_for(personas.alice)
    assert titles(client.get(LIST, {"tag": "python"})) == ["Python tutorial"]
    assert titles(client.get(LIST, {"space": "team"})) == ["SQLBolt"]
    assert titles(client.get(LIST, {"owner": "mo"})) == ["The tutorial"]
    assert titles(client.get(LIST, {"domain": "python.org"})) == ["Python tutorial", "The tutorial"]
    assert client_for(personas.olly).get(LIST, {"space": "team"}).json() == {"items": [], "count": 0}


def test_it_describes_a_save_with_its_link_and_notes(personas, client_for, saves):
    row = client_for(personas.alice).get(LIST, {"owner": "mo"}).json()["items"][0]
    assert row["link_url"] == "https://docs.python.org/3/tutorial/" and row["domain"] == "docs.python.org"
    assert (row["notes"], row["save_count"], row["owner"]) == ("Start here.", 2, "mo")
    assert row["link"] == saves["docs"].link_id and row["url"] == f"/i/{saves['mo'].pk}/"
    assert row["shared_with"] is None and row["broken"] is False


def test_it_lists_saves_in_the_same_number_of_queries_however_many_there_are(
    personas, client_for, saves, django_assert_max_num_queries
):
    client = client_for(personas.alice)
    client.get(LIST)
    with django_assert_max_num_queries(12) as few:
        client.get(LIST)
    for n in range(6):
        save(personas.mo, f"https://example.com/{n}", f"Page {n}", tags=[f"tag {n}"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(LIST).json()["count"] == 10


def test_it_reads_a_shared_link_with_only_the_saves_the_caller_may_see(personas, client_for, saves):
    save(personas.lee, "https://sqlbolt.com/#lesson", "Private copy", visibility=Visibility.PRIVATE)
    link = saves["team"].link
    save(personas.mo, "https://sqlbolt.com/", "SQL lessons")
    mine = client_for(personas.alice).get(f"{URL}/{link.pk}").json()
    theirs = client_for(personas.olly).get(f"{URL}/{link.pk}").json()
    assert (mine["url"], mine["save_count"]) == ("https://sqlbolt.com/", 3)
    assert sorted(s["title"] for s in mine["saves"]) == ["SQL lessons", "SQLBolt"]
    assert [s["title"] for s in theirs["saves"]] == ["SQL lessons"]


def test_it_hides_a_link_nobody_the_caller_may_see_saved(personas, client_for, saves):
    link = saves["private"].link
    assert client_for(personas.mo).get(f"{URL}/{link.pk}").status_code == 404
    assert client_for(personas.mo).get(f"{URL}/999999").json() == {"detail": "Not found."}


# ------------------------------------------------------------------------------------------ saves


def test_it_saves_a_link_and_answers_201(personas, client_for):
    body = {"url": "HTTPS://Example.COM:443/guide#top", "title": "Guide", "tags": ["Reading"], "notes": "Good"}
    response = send(client_for(personas.alice), "post", f"{URL}/saves", body | {"space": "team", "visibility": "space"})
    assert response.status_code == 201
    result = response.json()
    assert result["created"] is True
    assert (result["save"]["link_url"], result["save"]["space"]) == ("https://example.com/guide", "team")
    assert result["save"]["tags"] == ["reading"] and result["save"]["visibility"] == "space"
    assert Bookmark.objects.get(pk=result["save"]["id"]).notes == "Good"


def test_saving_a_link_again_answers_200_and_keeps_one_save(personas, client_for, saves):
    response = send(
        client_for(personas.alice),
        "post",
        f"{URL}/saves",
        {"url": "https://docs.python.org/3/tutorial/?fbclid=abc", "tags": ["docs"]},
    )
    assert response.status_code == 200
    result = response.json()
    assert result["created"] is False and result["save"]["id"] == saves["docs"].pk
    assert sorted(result["save"]["tags"]) == ["docs", "python"]
    assert Bookmark.objects.filter(saver=personas.alice, link=saves["docs"].link).count() == 1
    assert Link.objects.get(pk=saves["docs"].link_id).save_count == 2


def test_people_saving_the_same_page_share_one_link(personas, client_for):
    first = send(client_for(personas.alice), "post", f"{URL}/saves", {"url": "http://www.example.com/a?utm_medium=x"})
    second = send(client_for(personas.mo), "post", f"{URL}/saves", {"url": "http://WWW.example.com:80/a"})
    assert first.status_code == second.status_code == 201
    assert first.json()["save"]["link"] == second.json()["save"]["link"]
    assert second.json()["save"]["save_count"] == 2


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"url": "javascript:alert(1)"}, 400, ""),
        ({"url": "ftp://example.com/file"}, 400, ""),
        ({"url": "https://example.com/", "visibility": "space"}, 400, "space"),
        ({"url": "https://example.com/", "visibility": "people", "shared_with": ["nobody"]}, 400, "nobody"),
        ({"url": "https://example.com/", "visibility": "public"}, 400, "public"),
        ({"url": "https://example.com/", "space": "elsewhere"}, 404, "Not found"),
        ({"url": "https://example.com/", "visibility": "secret"}, 422, ""),
        ({"title": "No address"}, 422, ""),
    ],
)
def test_it_refuses_a_bad_save_with_a_detail(personas, client_for, body, status, words):
    response = send(client_for(personas.alice), "post", f"{URL}/saves", body)
    assert response.status_code == status
    assert response.json()["detail"] and words in str(response.json()["detail"])
    assert not Bookmark.objects.exists()


def test_it_refuses_saving_to_a_space_the_caller_sees_but_is_not_in(personas, client_for):
    from spaces.models import Space
    from tests.factories import SpaceFactory

    SpaceFactory(name="Open", slug="open", created_by=personas.mo, visibility=Space.Visibility.OPEN)
    response = send(client_for(personas.olly), "post", f"{URL}/saves", {"url": "https://a.example/", "space": "open"})
    assert response.status_code == 403 and "members" in response.json()["detail"]


def test_it_reads_one_save_and_hides_others_private_ones(personas, client_for, saves):
    assert client_for(personas.mo).get(f"{URL}/saves/{saves['docs'].pk}").json()["title"] == "Python tutorial"
    assert client_for(personas.mo).get(f"{URL}/saves/{saves['private'].pk}").status_code == 404
    file = create_item(owner=personas.alice, kind="file", title="Not a link", visibility=Visibility.ORGANISATION)
    assert client_for(personas.alice).get(f"{URL}/saves/{file.pk}").status_code == 404


def test_the_saver_changes_only_the_fields_they_send(personas, client_for, saves):
    path = f"{URL}/saves/{saves['docs'].pk}"
    response = send(client_for(personas.alice), "patch", path, {"notes": "Chapter 4 is the one", "tags": ["py"]})
    assert response.status_code == 200
    body = response.json()
    assert (body["title"], body["notes"], body["tags"]) == ("Python tutorial", "Chapter 4 is the one", ["py"])
    assert body["visibility"] == "organisation"


def test_others_may_not_change_or_delete_a_save(personas, client_for, saves):
    path = f"{URL}/saves/{saves['docs'].pk}"
    assert send(client_for(personas.mo), "patch", path, {"title": "Mine now"}).status_code == 403
    assert client_for(personas.mo).delete(path).status_code == 403
    assert Client().delete(path).status_code == 401


def test_deleting_a_save_keeps_the_link_for_the_others(personas, client_for, saves):
    assert client_for(personas.alice).delete(f"{URL}/saves/{saves['docs'].pk}").status_code == 204
    assert client_for(personas.alice).get(f"{URL}/saves/{saves['docs'].pk}").status_code == 404
    link = client_for(personas.alice).get(f"{URL}/{saves['docs'].link_id}").json()
    assert link["save_count"] == 1 and [s["owner"] for s in link["saves"]] == ["mo"]


def test_anonymous_callers_read_public_saves_when_the_site_allows_them(personas, saves):
    config = SiteConfig.load()
    config.public_web = True
    config.save()
    public = save(personas.mo, "https://peps.python.org/pep-0008/", "PEP 8", visibility=Visibility.PUBLIC)
    assert titles(Client().get(LIST)) == ["PEP 8"]
    assert Client().get(f"{URL}/saves/{public.pk}").status_code == 200
    assert send(Client(), "post", f"{URL}/saves", {"url": "https://example.com/"}).status_code == 401


# ----------------------------------------------------------------------------------------- boards


@pytest.fixture
def reading(personas, saves):
    """alice's board with two sections: the tutorial (for everyone) and her team-only save."""
    b = board(personas.alice)
    basics = services.add_section(board=b, actor=personas.alice, title="Basics")
    services.add_section(board=b, actor=personas.alice, title="Going further")
    services.add_entry(board=b, actor=personas.alice, item=saves["docs"].item, note="Read first", section=basics)
    services.add_entry(board=b, actor=personas.alice, item=saves["team"].item, note="Team only")
    return b


def test_it_creates_a_board_with_its_first_sections(personas, client_for):
    body = {"title": "Onboarding reads", "space": "team", "visibility": "space", "sections": ["Week 1", "Week 2"]}
    response = send(client_for(personas.mo), "post", BOARDS, body | {"layout": "wall", "tags": ["onboarding"]})
    assert response.status_code == 201
    created = response.json()
    assert [s["title"] for s in created["sections"]] == ["Week 1", "Week 2"]
    assert (created["layout"], created["space"], created["following"], created["can_edit"]) == (
        "wall",
        "team",
        True,
        True,
    )


def test_a_board_with_a_bad_section_is_not_created(personas, client_for):
    response = send(client_for(personas.mo), "post", BOARDS, {"title": "Reads", "sections": ["Fine", "  "]})
    assert response.status_code == 400 and "section" in response.json()["detail"]
    assert not Board.objects.exists()


def test_a_board_shows_only_the_entries_the_caller_may_see(personas, client_for, reading):
    mine = client_for(personas.alice).get(f"{BOARDS}/{reading.pk}").json()
    theirs = client_for(personas.olly).get(f"{BOARDS}/{reading.pk}").json()
    assert [e["item"]["title"] for e in mine["entries"]] == ["Python tutorial", "SQLBolt"]
    assert [e["item"]["title"] for e in theirs["entries"]] == ["Python tutorial"]
    first = theirs["entries"][0]
    assert (first["note"], first["added_by"], first["done"]) == ("Read first", "alice", False)
    assert first["section"] == theirs["sections"][0]["id"] and first["item"]["link_url"].startswith("https://docs")
    assert theirs["can_edit"] is False and theirs["entry_count"] == 2


def test_it_lists_boards_the_caller_owns_follows_or_that_are_official(personas, client_for, reading):
    other = board(personas.mo, "Testing reads")
    services.follow_board(board=other, user=personas.alice)
    hidden = board(personas.olly, "Olly's private list", visibility=Visibility.PRIVATE)
    client = client_for(personas.alice)
    assert titles(client.get(BOARDS)) == ["Statistics reading list", "Testing reads"]
    assert titles(client.get(BOARDS, {"mine": True})) == ["Statistics reading list"]
    assert titles(client.get(BOARDS, {"following": True})) == ["Statistics reading list", "Testing reads"]
    assert client.get(BOARDS, {"official": True}).json()["count"] == 0
    assert client.get(f"{BOARDS}/{hidden.pk}").status_code == 404


def test_the_owner_changes_a_board_and_others_may_not(personas, client_for, reading):
    path = f"{BOARDS}/{reading.pk}"
    changed = send(client_for(personas.alice), "patch", path, {"title": "Stats 101", "layout": "wall"})
    assert changed.status_code == 200 and (changed.json()["title"], changed.json()["layout"]) == ("Stats 101", "wall")
    assert send(client_for(personas.mo), "patch", path, {"title": "Mine"}).status_code == 403


def test_collaborators_edit_the_board_but_do_not_choose_who_sees_it(personas, client_for, reading):
    path = f"{BOARDS}/{reading.pk}"
    response = send(client_for(personas.alice), "put", f"{path}/collaborators", {"people": ["mo"]})
    assert response.status_code == 200 and response.json()["collaborators"] == ["mo"]
    mo = client_for(personas.mo)
    assert send(mo, "patch", path, {"description": "Curated with Mo"}).status_code == 200
    assert send(mo, "patch", path, {"visibility": "private"}).status_code == 403
    assert send(mo, "put", f"{path}/collaborators", {"people": []}).status_code == 403


def test_only_curators_mark_official_reading_lists_for_a_skill(personas, client_for, reading):
    stats = Skill.objects.create(name="Statistics", slug="statistics")
    path = f"{BOARDS}/{reading.pk}/official"
    body = {"official": True, "skill": "statistics", "role": "Data analyst"}
    assert send(client_for(personas.alice), "put", path, body).status_code == 403
    response = send(client_for(personas.lee), "put", path, body)
    assert response.status_code == 200 and (response.json()["official"], response.json()["skill"]) == (
        True,
        "statistics",
    )
    assert titles(client_for(personas.olly).get(BOARDS, {"skill": stats.slug})) == ["Statistics reading list"]
    assert send(client_for(personas.lee), "put", path, {"official": True, "skill": "nope"}).status_code == 400


def test_followers_follow_and_unfollow_a_board(personas, client_for, reading):
    client = client_for(personas.olly)
    assert client.post(f"{BOARDS}/{reading.pk}/follow").json() == {"following": True}
    assert Watch.objects.filter(user=personas.olly, item_id=reading.pk).exists()
    assert client.delete(f"{BOARDS}/{reading.pk}/follow").json() == {"following": False}
    assert not Watch.objects.filter(user=personas.olly, item_id=reading.pk).exists()
    hidden = board(personas.mo, "Team reads", space=personas.team, visibility=Visibility.SPACE)
    assert client.post(f"{BOARDS}/{hidden.pk}/follow").status_code == 404


# ---------------------------------------------------------------------------------- entries, sections


def test_an_editor_adds_any_item_they_may_see(personas, client_for, reading):
    page = create_item(owner=personas.mo, kind="file", title="Cheat sheet", visibility=Visibility.ORGANISATION)
    client = client_for(personas.alice)
    response = send(client, "post", f"{BOARDS}/{reading.pk}/entries", {"item": page.pk, "note": "Print it"})
    assert response.status_code == 201
    assert (response.json()["item"]["kind"], response.json()["note"]) == ("file", "Print it")
    again = send(client, "post", f"{BOARDS}/{reading.pk}/entries", {"item": page.pk})
    assert again.status_code == 400 and "already" in again.json()["detail"]


def test_it_refuses_entries_the_editor_may_not_see_or_a_section_of_another_board(personas, client_for, reading):
    secret = create_item(owner=personas.olly, kind="file", title="Secret", visibility=Visibility.PRIVATE)
    other = services.add_section(board=board(personas.alice, "Other"), actor=personas.alice, title="Elsewhere")
    mine = create_item(owner=personas.alice, kind="file", title="Mine", visibility=Visibility.ORGANISATION)
    client = client_for(personas.alice)
    assert send(client, "post", f"{BOARDS}/{reading.pk}/entries", {"item": secret.pk}).status_code == 404
    wrong = send(client, "post", f"{BOARDS}/{reading.pk}/entries", {"item": mine.pk, "section": other.pk})
    assert wrong.status_code == 400 and "no section" in wrong.json()["detail"]
    assert send(client_for(personas.mo), "post", f"{BOARDS}/{reading.pk}/entries", {"item": mine.pk}).status_code == 403


def test_an_editor_changes_an_entrys_note_and_section(personas, client_for, reading):
    entry = reading.entries.get(note="Read first")
    path = f"{BOARDS}/{reading.pk}/entries/{entry.pk}"
    response = send(client_for(personas.alice), "patch", path, {"note": "Read this first"})
    assert (response.json()["note"], response.json()["section"]) == ("Read this first", entry.section_id)
    response = send(client_for(personas.alice), "patch", path, {"section": None})
    assert (response.json()["note"], response.json()["section"]) == ("Read this first", None)


def test_an_editor_moves_an_entry(personas, client_for, reading):
    last = reading.entries.get(note="Team only")
    section = reading.sections.get(title="Going further")
    path = f"{BOARDS}/{reading.pk}/entries/{last.pk}/move"
    response = send(client_for(personas.alice), "post", path, {"position": 0, "section": section.pk})
    assert response.status_code == 200 and response.json()["section"] == section.pk
    order = client_for(personas.alice).get(f"{BOARDS}/{reading.pk}").json()["entries"]
    assert [e["note"] for e in order] == ["Team only", "Read first"]


def test_an_editor_removes_an_entry_and_others_may_not(personas, client_for, reading):
    entry = reading.entries.get(note="Read first")
    path = f"{BOARDS}/{reading.pk}/entries/{entry.pk}"
    assert client_for(personas.mo).delete(path).status_code == 403
    assert client_for(personas.alice).delete(path).status_code == 204
    assert not BoardEntry.objects.filter(pk=entry.pk).exists()
    assert Board.objects.get(pk=reading.pk).entry_count == 1


def test_an_entry_the_caller_may_not_see_answers_404(personas, client_for, reading):
    hidden = reading.entries.get(note="Team only")
    client = client_for(personas.olly)
    assert client.put(f"{BOARDS}/{reading.pk}/entries/{hidden.pk}/done").status_code == 404
    assert client.put(f"{BOARDS}/{reading.pk}/entries/999999/done").status_code == 404


def test_editors_add_rename_and_delete_sections(personas, client_for, reading):
    client = client_for(personas.alice)
    added = send(client, "post", f"{BOARDS}/{reading.pk}/sections", {"title": "Extras"})
    assert added.status_code == 201 and added.json()["title"] == "Extras"
    path = f"{BOARDS}/{reading.pk}/sections/{added.json()['id']}"
    assert send(client, "patch", path, {"title": "Optional"}).json()["title"] == "Optional"
    basics = reading.sections.get(title="Basics")
    assert client.delete(f"{BOARDS}/{reading.pk}/sections/{basics.pk}").status_code == 204
    assert reading.entries.get(note="Read first").section is None
    assert send(client_for(personas.mo), "post", f"{BOARDS}/{reading.pk}/sections", {"title": "X"}).status_code == 403


def test_readers_tick_entries_off_and_see_their_progress(personas, client_for, reading):
    entry = reading.entries.get(note="Read first")
    client = client_for(personas.olly)
    assert client.put(f"{BOARDS}/{reading.pk}/entries/{entry.pk}/done").json() == {"done": True}
    body = client.get(f"{BOARDS}/{reading.pk}").json()
    assert body["done"] == 1 and body["entries"][0]["done"] is True
    assert client.delete(f"{BOARDS}/{reading.pk}/entries/{entry.pk}/done").json() == {"done": False}
    assert not EntryProgress.objects.exists()


def test_the_curator_sees_how_far_followers_got(personas, client_for, reading):
    entry = reading.entries.get(note="Read first")
    services.follow_board(board=reading, user=personas.olly)
    services.follow_board(board=reading, user=personas.mo)
    services.mark_done(entry=entry, user=personas.olly)
    response = client_for(personas.alice).get(f"{BOARDS}/{reading.pk}/progress")
    assert response.status_code == 200
    rows = {row["person"]: (row["done"], row["following"]) for row in response.json()["followers"]}
    assert rows == {"olly": (1, True), "alice": (0, True), "mo": (0, True)}
    assert response.json()["entries"] == 2
    assert client_for(personas.olly).get(f"{BOARDS}/{reading.pk}/progress").status_code == 403


def test_a_board_reads_in_the_same_number_of_queries_however_many_entries_it_has(
    personas, client_for, reading, django_assert_max_num_queries
):
    client = client_for(personas.olly)
    client.get(f"{BOARDS}/{reading.pk}")
    with django_assert_max_num_queries(20) as few:
        client.get(f"{BOARDS}/{reading.pk}")
    for n in range(6):
        bookmark = save(personas.mo, f"https://example.com/{n}", f"Page {n}")
        services.add_entry(board=reading, actor=personas.alice, item=bookmark.item, note=f"Note {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(f"{BOARDS}/{reading.pk}").json()["entries"]) == 7


def test_anonymous_callers_cannot_change_boards(personas, reading):
    assert send(Client(), "post", BOARDS, {"title": "Drive-by"}).status_code == 401
    assert Client().post(f"{BOARDS}/{reading.pk}/follow").status_code == 401
    assert Item.objects.filter(kind="board").count() == 1


# ----------------------------------------------------------------------------------------- export


def test_it_exports_the_callers_links_as_netscape_html_and_csv(personas, client_for, saves):
    client = client_for(personas.alice)
    html = client.get(f"{URL}/export.html")
    assert html.status_code == 200 and html["Content-Type"].startswith("text/html")
    assert html["Content-Disposition"] == 'attachment; filename="alice-links.html"'
    body = html.content.decode()
    assert body.startswith("<!DOCTYPE NETSCAPE-Bookmark-file-1>")
    assert 'HREF="https://sqlbolt.com/"' in body and 'PRIVATE="1"' in body and "My diary" in body
    rows = client.get(f"{URL}/export.csv").content.decode().splitlines()
    assert rows[0].startswith("url,title") and len(rows) == 4


def test_it_exports_only_the_saves_of_another_person_the_caller_may_see(personas, client_for, saves):
    body = client_for(personas.mo).get(f"{URL}/export.html", {"person": "alice"}).content.decode()
    assert "Python tutorial" in body and "SQLBolt" in body and "My diary" not in body
    assert client_for(personas.gus).get(f"{URL}/export.csv", {"person": "olly"}).status_code == 404
    assert Client().get(f"{URL}/export.html").status_code == 401


def test_it_exports_a_board_with_its_sections_and_notes(personas, client_for, reading):
    body = client_for(personas.olly).get(f"{BOARDS}/{reading.pk}/export.html").content.decode()
    assert "<H3" in body and ">Basics</H3>" in body and 'NOTES="Read first"' in body
    assert "sqlbolt" not in body
    csv = client_for(personas.alice).get(f"{BOARDS}/{reading.pk}/export.csv").content.decode()
    assert "sqlbolt.com" in csv and "Team only" in csv


# ----------------------------------------------------------------------------------------- import

NETSCAPE = b"""<!DOCTYPE NETSCAPE-Bookmark-file-1>
<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">
<TITLE>Bookmarks</TITLE>
<H1>Bookmarks</H1>
<DL><p>
    <DT><H3 ADD_DATE="1700000000">Reading</H3>
    <DL><p>
        <DT><A HREF="https://sqlbolt.com/" ADD_DATE="1700000100" TAGS="sql">SQLBolt</A>
        <DT><A HREF="https://example.com/guide?utm_source=x" ADD_DATE="1700000200" PRIVATE="1">A guide</A>
        <DT><A HREF="javascript:alert(1)">Not a link</A>
    </DL><p>
</DL><p>
"""


def upload(client, content=NETSCAPE, **fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(f"{URL}/import", {"file": SimpleUploadedFile("bookmarks.html", content), **fields})


@pytest.fixture
def no_previews(monkeypatch):
    """Imports save links, and saved links queue a preview fetch: not from tests."""
    monkeypatch.setattr("links.services._queue_preview", lambda link_id: None)


def test_an_upload_is_planned_and_nothing_is_saved_until_it_starts(personas, client_for):
    response = upload(client_for(personas.alice), folders="board", visibility="organisation")
    assert response.status_code == 201
    job = response.json()
    assert (job["state"], job["folders"], job["total"], job["done"]) == ("planned", "board", 2, 0)
    assert (job["report"]["to_create"], job["report"]["refused_count"]) == (2, 1)
    assert job["report"]["boards"] == ["Reading"]
    assert not Bookmark.objects.exists()


def test_a_started_import_saves_the_links_and_reports_progress(
    personas, client_for, django_capture_on_commit_callbacks, no_previews
):
    client = client_for(personas.alice)
    job = upload(client).json()
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(f"{URL}/import/{job['id']}/start")
    assert started.status_code == 202
    done = client.get(f"{URL}/import/{job['id']}").json()
    assert (done["state"], done["done"], done["report"]["created"], done["report"]["refused_count"]) == (
        "done",
        2,
        2,
        1,
    )
    saved = {b.link.url: b.item.visibility for b in Bookmark.objects.filter(saver=personas.alice)}
    assert saved == {"https://sqlbolt.com/": "private", "https://example.com/guide": "private"}
    assert client.post(f"{URL}/import/{job['id']}/start").status_code == 400


def test_start_true_imports_at_once(personas, client_for, django_capture_on_commit_callbacks, no_previews):
    client = client_for(personas.mo)
    with django_capture_on_commit_callbacks(execute=True):
        job = upload(client, start="true", visibility="organisation").json()
    assert client.get(f"{URL}/import/{job['id']}").json()["state"] == "done"
    visibility = dict(Bookmark.objects.filter(saver=personas.mo).values_list("link__url", "item__visibility"))
    assert visibility == {"https://sqlbolt.com/": "organisation", "https://example.com/guide": "private"}


def test_an_import_is_its_owners_alone(personas, client_for):
    job = upload(client_for(personas.alice)).json()
    assert client_for(personas.mo).get(f"{URL}/import/{job['id']}").status_code == 404
    assert client_for(personas.mo).post(f"{URL}/import/{job['id']}/start").status_code == 404
    assert client_for(personas.ada).get(f"{URL}/import/{job['id']}").status_code == 404


def test_it_refuses_a_file_that_is_not_a_bookmark_export(personas, client_for):
    response = upload(client_for(personas.alice), content=b"\x89PNG\r\n\x1a\n not bookmarks")
    assert response.status_code == 400 and response.json()["detail"]
    assert upload(client_for(personas.olly), space="team").status_code == 404
    assert upload(Client()).status_code == 401


# ------------------------------------------------------------------------------------ image-linking


def png(name="chart.png"):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (300, 200), "teal").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_it_saves_an_image_with_the_page_it_comes_from(personas, client_for):
    body = {"url": "https://ourworldindata.org/literacy", "image": png(), "tags": "data-viz, charts", "notes": "Nice"}
    response = client_for(personas.alice).post(f"{URL}/images", body)
    assert response.status_code == 201
    saved = response.json()["save"]
    assert saved["link_url"] == "https://ourworldindata.org/literacy" and saved["tags"] == ["charts", "data-viz"]
    assert saved["image_url"] == f"/links/{saved['id']}/image"
    assert saved["thumbnail_url"] == f"/links/{saved['id']}/thumbnail"
    assert client_for(personas.mo).get(saved["thumbnail_url"]).status_code == 200


def test_an_image_must_be_a_picture_and_come_one_way(personas, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(personas.alice)
    fake = SimpleUploadedFile("chart.png", b"not a picture", content_type="image/png")
    refused = client.post(f"{URL}/images", {"url": "https://example.com/", "image": fake})
    assert refused.status_code == 400 and refused.json()["detail"]
    both = client.post(
        f"{URL}/images", {"url": "https://example.com/", "image": png(), "image_url": "https://x.y/a.png"}
    )
    assert both.status_code == 400 and "one of the two" in both.json()["detail"]
    assert client.post(f"{URL}/images", {"url": "https://example.com/"}).status_code == 400
    assert not Bookmark.objects.exists()
