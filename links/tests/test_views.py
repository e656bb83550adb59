"""The link pages: the list, a link's shared page, saving (share page, image-linking), one's own save,
discussion, import, export and feeds. Every refusal is a form error or a 404/403, never a 500."""

import io

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from core.models import Item, SiteConfig, Visibility
from links import discussion, services
from links.models import Bookmark, Comment, ImportJob, Link
from tests.shared_data import SHARED_DATA

pytestmark = pytest.mark.django_db

BOOKMARK_FILES = SHARED_DATA / "netscape-bookmarks"


@pytest.fixture(autouse=True)
def _no_previews(monkeypatch):
    """Saving queues a preview fetch; these tests never reach the network."""
    monkeypatch.setattr(services, "_queue_preview", lambda link_id: None)


def save(user, url, title="", *, space=None, visibility=Visibility.ORGANISATION, tags=(), notes="", **kwargs):
    return services.save_link(
        user=user, url=url, title=title, space=space, visibility=visibility, tags=tags, notes=notes, **kwargs
    ).bookmark


def png_bytes(size=(40, 30), colour=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def rows(response):
    return {item.title for item in response.context["page"].rows}


@pytest.fixture
def saves(personas):
    """alice's organisation-wide save, her team-only save and her private one; mo's save of the first page."""
    p = personas
    return {
        "docs": save(p.alice, "https://docs.python.org/3/tutorial/", "Python tutorial", tags=["python"]),
        "team": save(p.alice, "https://sqlbolt.com/", "SQLBolt", space=p.team, visibility=Visibility.SPACE),
        "private": save(p.alice, "https://example.org/diary", "My diary", visibility=Visibility.PRIVATE),
        "mo": save(p.mo, "https://docs.python.org/3/tutorial/?utm_source=x", "The tutorial", notes="Start here."),
    }


# ------------------------------------------------------------------------------------------------ list


def test_the_list_shows_each_person_only_the_saves_they_may_see(personas, client_for, saves):
    assert rows(client_for(personas.alice).get("/links/")) == {"My diary", "Python tutorial", "SQLBolt"}
    assert rows(client_for(personas.olly).get("/links/")) == {"The tutorial"}
    assert rows(client_for(personas.gus).get("/links/")) == {"SQLBolt"}


def test_the_list_shows_a_link_saved_by_several_people_once_with_all_its_savers(personas, client_for, saves):
    response = client_for(personas.lee).get("/links/")
    (card,) = response.context["page"].rows
    assert [other.owner for other in card.others] == [personas.alice]
    assert b"Mo Mentor</a> and <a" in response.content


def test_the_list_asks_anonymous_visitors_to_sign_in(client, saves):
    response = client.get("/links/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_list_filters_by_tag_space_person_and_domain(personas, client_for, saves):
    client = client_for(personas.alice)
    assert rows(client.get("/links/?tag=python")) == {"Python tutorial"}
    assert rows(client.get("/links/?space=team")) == {"SQLBolt"}
    assert rows(client.get("/links/?person=mo")) == {"The tutorial"}
    assert rows(client.get("/links/?domain=www.sqlbolt.com")) == {"SQLBolt"}


def test_the_list_shows_nothing_for_a_space_or_person_the_viewer_cannot_see(personas, client_for, saves):
    save(personas.olly, "https://olly.example/", "Olly's", space=personas.elsewhere, visibility=Visibility.SPACE)
    client = client_for(personas.gus)
    assert rows(client.get("/links/?space=elsewhere")) == set()
    assert rows(client.get("/links/?person=olly")) == set()


def test_most_saved_first_lists_each_link_once_with_the_viewers_own_save(personas, client_for, saves):
    save(personas.lee, "https://docs.python.org/3/tutorial/", "Lee's copy")
    response = client_for(personas.alice).get("/links/?sort=popular")
    cards = response.context["page"].rows
    assert [card.title for card in cards][0] == "Python tutorial"
    assert [card.title for card in cards].count("Python tutorial") == 1
    assert {other.owner.username for other in cards[0].others} == {"mo", "lee"}


def test_the_list_answers_htmx_with_only_the_results(personas, client_for, saves):
    response = client_for(personas.alice).get("/links/?tag=python", HTTP_HX_REQUEST="true")
    assert b"Python tutorial" in response.content and b"<html" not in response.content


def test_the_list_takes_a_tag_typed_with_its_hash_and_capitals(personas, client_for, saves):
    assert rows(client_for(personas.alice).get("/links/?tag=%23Python")) == {"Python tutorial"}


def test_the_list_ignores_nonsense_filters(personas, client_for, saves):
    response = client_for(personas.alice).get("/links/?sort=loudest&page=abc&tag=%00&space=%%&person=" + "x" * 400)
    assert response.status_code == 200


# ------------------------------------------------------------------------------------------ link page


def test_the_link_page_shows_every_visible_save_with_notes_and_tags(personas, client_for, saves):
    link = saves["docs"].link
    response = client_for(personas.lee).get(f"/links/l/{link.pk}/")
    assert response.status_code == 200
    assert {s.owner.username for s in response.context["saves"]} == {"alice", "mo"}
    assert b"Start here." in response.content and b"#python" in response.content


def test_the_link_page_leaves_out_saves_the_viewer_may_not_see(personas, client_for, saves):
    save(personas.mo, "https://example.org/diary", "Mo's diary copy")
    link = saves["private"].link
    response = client_for(personas.lee).get(f"/links/l/{link.pk}/")
    assert [s.title for s in response.context["saves"]] == ["Mo's diary copy"]
    assert b"My diary" not in response.content


def test_the_link_page_is_missing_for_someone_who_may_see_no_save_of_it(personas, client_for, saves):
    assert client_for(personas.olly).get(f"/links/l/{saves['team'].link_id}/").status_code == 404
    assert client_for(personas.lee).get(f"/links/l/{saves['private'].link_id}/").status_code == 404
    assert client_for(personas.lee).get("/links/l/999999/").status_code == 404


def test_anonymous_visitors_see_a_link_only_through_a_save_public_on_the_web(personas, client, saves):
    assert client.get(f"/links/l/{saves['docs'].link_id}/")["Location"].startswith("/accounts/login/")
    config = SiteConfig.load()
    config.public_web = True
    config.save()
    public = save(personas.lee, "https://public.example/", "Public", visibility=Visibility.PUBLIC)
    response = client.get(f"/links/l/{public.link_id}/")
    assert response.status_code == 200 and b"Sign in</a> to join the discussion" in response.content


def test_a_saves_permalink_shows_its_link_page_with_that_save_first(personas, client_for, saves):
    response = client_for(personas.alice).get(f"/i/{saves['mo'].item_id}/")
    assert response.status_code == 200
    assert response.context["saves"][0].pk == saves["mo"].item_id
    assert b'class="save is-focus"' in response.content


def test_the_link_page_marks_a_broken_link(personas, client_for, saves):
    Link.objects.filter(pk=saves["docs"].link_id).update(broken_since=timezone.now(), check_status=404)
    response = client_for(personas.alice).get(f"/links/l/{saves['docs'].link_id}/")
    assert b"Broken link" in response.content and b"HTTP 404" in response.content


def test_the_link_page_offers_to_save_it_too_or_to_edit_ones_own_save(personas, client_for, saves):
    link = saves["docs"].link
    assert b"Save this too" in client_for(personas.lee).get(f"/links/l/{link.pk}/").content
    mine = client_for(personas.alice).get(f"/links/l/{link.pk}/").content
    assert f"/links/{saves['docs'].item_id}/edit/".encode() in mine and b"Save this too" not in mine


def test_link_images_are_served_only_to_people_who_may_see_a_save(personas, client_for, saves):
    link = saves["team"].link
    services.record_preview(
        link=link, title="SQLBolt", description="", image=ContentFile(png_bytes(), name="p.png"), favicon=None
    )
    response = client_for(personas.gus).get(f"/links/l/{link.pk}/image")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert client_for(personas.olly).get(f"/links/l/{link.pk}/image").status_code == 404
    assert client_for(personas.gus).get(f"/links/l/{link.pk}/favicon").status_code == 404


# --------------------------------------------------------------------------------------------- saving


def test_the_share_page_is_prefilled_from_the_query(personas, client_for):
    response = client_for(personas.alice).get(
        "/links/save/?url=https://lwn.net/Articles/1/&title=An+article&description=Quoted+text"
    )
    form = response.context["form"]
    assert form.initial["url"] == "https://lwn.net/Articles/1/"
    assert form.initial["title"] == "An article" and form.initial["description"] == "Quoted text"


def test_the_share_page_warns_of_saves_by_others_the_viewer_may_see(personas, client_for, saves):
    Link.objects.filter(pk=saves["docs"].link_id).update(title="The Python Tutorial")
    response = client_for(personas.lee).get("/links/save/?url=https://docs.python.org/3/tutorial/%23intro")
    duplicates = response.context["duplicates"]
    assert {s.owner.username for s in duplicates["others"]} == {"alice", "mo"}
    assert b"Already saved here by 2 people" in response.content
    assert "Leave the title empty to use “The Python Tutorial”" in response.content.decode()


def test_the_duplicate_warning_never_names_saves_the_viewer_may_not_see(personas, client_for, saves):
    response = client_for(personas.lee).get("/links/save/check?url=https://example.org/diary")
    assert response.status_code == 200 and b"Already saved" not in response.content


def test_the_duplicate_check_tells_people_they_saved_it_already(personas, client_for, saves):
    response = client_for(personas.alice).get("/links/save/check?url=https://sqlbolt.com")
    assert b"You saved this page on" in response.content
    assert f"/links/{saves['team'].item_id}/edit/".encode() in response.content


def test_the_duplicate_check_says_nothing_of_an_address_that_is_not_one(personas, client_for):
    response = client_for(personas.alice).get("/links/save/check?url=javascript:alert(1)")
    assert response.status_code == 200 and response.content.strip() == b""


def test_saving_a_link_creates_a_save_and_opens_its_page(personas, client_for):
    response = client_for(personas.alice).post(
        "/links/save/",
        {
            "url": "https://LWN.net/Articles/1/?utm_source=feed",
            "title": "An article",
            "notes": "Worth it",
            "tags": "linux, kernel",
            "visibility": "organisation",
        },
    )
    bookmark = Bookmark.objects.get(saver=personas.alice)
    assert response.status_code == 302 and response["Location"] == f"/links/l/{bookmark.link_id}/"
    assert bookmark.link.url == "https://lwn.net/Articles/1/"
    assert sorted(bookmark.item.tags.values_list("name", flat=True)) == ["kernel", "linux"]


def test_saving_into_a_space_limits_the_save_to_its_members(personas, client_for):
    client_for(personas.alice).post(
        "/links/save/?space=team", {"url": "https://team.example/", "space": "team", "visibility": "space"}
    )
    item = Item.objects.get(kind="link", owner=personas.alice)
    assert item.space == personas.team and item.visibility == Visibility.SPACE


def test_saving_a_link_saved_before_updates_the_first_save(personas, client_for, saves):
    response = client_for(personas.alice).post(
        "/links/save/", {"url": "https://docs.python.org/3/tutorial/", "tags": "tutorial", "visibility": "private"}
    )
    assert response.status_code == 302
    assert Bookmark.objects.filter(saver=personas.alice, link=saves["docs"].link).count() == 1
    item = Item.objects.get(pk=saves["docs"].item_id)
    assert item.visibility == Visibility.ORGANISATION
    assert sorted(item.tags.values_list("name", flat=True)) == ["python", "tutorial"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"url": "javascript:alert(1)", "visibility": "organisation"}, "url"),
        ({"url": "", "visibility": "organisation"}, "url"),
        ({"url": "https://a.example/", "visibility": "space"}, "visibility"),
        ({"url": "https://a.example/", "visibility": "people"}, "shared_with"),
        ({"url": "https://a.example/", "visibility": "people", "shared_with": "nobody-here"}, "shared_with"),
        ({"url": "https://a.example/", "visibility": "organisation", "space": "elsewhere"}, "space"),
        ({"url": "https://a.example/", "visibility": "public"}, "visibility"),
        ({"url": "https://a.example/", "visibility": "organisation", "notes": "x" * 20_001}, "notes"),
    ],
)
def test_saving_refuses_bad_input_with_a_form_error(personas, client_for, data, field):
    response = client_for(personas.alice).post("/links/save/", data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Bookmark.objects.exists()


def test_the_bookmarklet_page_offers_a_bookmarklet_that_opens_the_share_page(personas, client_for):
    response = client_for(personas.alice).get("/links/bookmarklet/")
    code = response.context["code"]
    assert code.startswith("javascript:") and "http://testserver/links/save/?url=" in code
    assert "encodeURIComponent(location.href)" in code and "getSelection" in code


# -------------------------------------------------------------------------------------- image-linking


def test_saving_an_uploaded_image_keeps_it_with_its_source_link(personas, client_for):
    upload = ContentFile(png_bytes(), name="chart.png")
    response = client_for(personas.alice).post(
        "/links/image/",
        {"image": upload, "url": "https://charts.example/post", "title": "A chart", "visibility": "space"}
        | {"space": "team"},
    )
    assert response.status_code == 302
    bookmark = Bookmark.objects.get(saver=personas.alice)
    assert bookmark.image and bookmark.thumbnail and bookmark.link.url == "https://charts.example/post"
    assert client_for(personas.gus).get(f"/links/{bookmark.item_id}/image").status_code == 200
    assert client_for(personas.gus).get(f"/links/{bookmark.item_id}/thumbnail").status_code == 200
    assert client_for(personas.olly).get(f"/links/{bookmark.item_id}/image").status_code == 404


def test_an_image_that_is_not_one_is_refused_with_a_form_error(personas, client_for):
    upload = ContentFile(b"<script>alert(1)</script>", name="chart.png")
    response = client_for(personas.alice).post(
        "/links/image/", {"image": upload, "url": "https://charts.example/", "visibility": "organisation"}
    )
    assert response.status_code == 400 and response.context["form"].errors["image"]
    assert not Bookmark.objects.exists()


def test_an_image_address_on_a_private_network_is_refused(personas, client_for):
    response = client_for(personas.alice).post(
        "/links/image/",
        {"image_url": "http://127.0.0.1/x.png", "url": "https://charts.example/", "visibility": "organisation"},
    )
    assert response.status_code == 400 and response.context["form"].errors["image_url"]
    assert not Bookmark.objects.exists()


def test_an_image_needs_a_file_or_an_address(personas, client_for):
    response = client_for(personas.alice).post(
        "/links/image/", {"url": "https://charts.example/", "visibility": "organisation"}
    )
    assert response.status_code == 400 and "image" in response.context["form"].errors


# ---------------------------------------------------------------------------------- one's own save


def test_the_saver_edits_their_save(personas, client_for, saves):
    item_id = saves["docs"].item_id
    client = client_for(personas.alice)
    assert client.get(f"/links/{item_id}/edit/").status_code == 200
    response = client.post(
        f"/links/{item_id}/edit/", {"title": "Renamed", "notes": "New notes", "tags": "a", "visibility": "private"}
    )
    assert response.status_code == 302
    item = Item.objects.get(pk=item_id)
    assert (item.title, item.visibility, item.bookmark.notes) == ("Renamed", "private", "New notes")


def test_others_may_not_edit_a_save_they_can_see_and_cannot_find_one_they_cannot(personas, client_for, saves):
    assert client_for(personas.mo).get(f"/links/{saves['docs'].item_id}/edit/").status_code == 403
    assert client_for(personas.olly).get(f"/links/{saves['team'].item_id}/edit/").status_code == 404
    assert client_for(personas.mo).get(f"/links/{saves['private'].item_id}/edit/").status_code == 404


def test_an_edit_without_a_title_is_a_form_error(personas, client_for, saves):
    response = client_for(personas.alice).post(
        f"/links/{saves['docs'].item_id}/edit/", {"title": "", "visibility": "organisation"}
    )
    assert response.status_code == 400 and "title" in response.context["form"].errors


def test_the_saver_deletes_their_save_and_restores_it(personas, client_for, saves):
    client = client_for(personas.alice)
    item_id = saves["docs"].item_id
    response = client.post(f"/links/{item_id}/delete/")
    assert response.status_code == 302 and Item.objects.get(pk=item_id).deleted_at is not None
    assert b"Restore it" in client.get(f"/links/{item_id}/delete/").content
    assert client.post(f"/links/{item_id}/restore/").status_code == 302
    assert Item.objects.get(pk=item_id).deleted_at is None


def test_a_member_may_not_delete_anothers_save_and_an_outsider_cannot_find_it(personas, client_for, saves):
    assert client_for(personas.gus).post(f"/links/{saves['team'].item_id}/delete/").status_code == 403
    assert client_for(personas.olly).post(f"/links/{saves['team'].item_id}/delete/").status_code == 404
    assert client_for(personas.mo).post(f"/links/{saves['team'].item_id}/delete/").status_code == 302  # space owner


def test_a_deleted_save_stays_hidden_from_everyone_but_those_who_may_restore_it(personas, client_for, saves):
    services.delete_bookmark(bookmark=saves["docs"], actor=personas.alice)
    assert client_for(personas.lee).get(f"/links/{saves['docs'].item_id}/delete/").status_code == 404
    assert client_for(personas.lee).post(f"/links/{saves['docs'].item_id}/restore/").status_code == 404


# ----------------------------------------------------------------------------------------- discussion


def test_a_comment_is_posted_in_markdown_and_shown_sanitised(personas, client_for, saves):
    link = saves["docs"].link
    client = client_for(personas.lee)
    response = client.post(f"/links/l/{link.pk}/comments/", {"body": "**Great** read <script>alert(1)</script>"})
    assert response.status_code == 302
    page = client.get(f"/links/l/{link.pk}/").content
    assert b"<strong>Great</strong>" in page and b"<script>alert" not in page


def test_posting_a_comment_with_htmx_answers_with_the_discussion(personas, client_for, saves):
    link = saves["docs"].link
    response = client_for(personas.lee).post(f"/links/l/{link.pk}/comments/", {"body": "Nice"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b'id="link-discussion"' in response.content and b"Nice" in response.content
    assert b"<html" not in response.content


def test_an_empty_comment_is_a_form_error(personas, client_for, saves):
    client = client_for(personas.lee)
    response = client.post(f"/links/l/{saves['docs'].link_id}/comments/", {"body": "  "})
    assert response.status_code == 400 and b"Write something first." in response.content
    htmx = client.post(f"/links/l/{saves['docs'].link_id}/comments/", {"body": ""}, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 200 and b"Write something first." in htmx.content
    assert not Comment.objects.exists()


def test_people_who_may_see_no_save_cannot_comment(personas, client_for, saves):
    response = client_for(personas.olly).post(f"/links/l/{saves['team'].link_id}/comments/", {"body": "Hi"})
    assert response.status_code == 404 and not Comment.objects.exists()


def test_the_author_edits_a_comment_and_others_may_not(personas, client_for, saves):
    comment = discussion.add_comment(link=saves["docs"].link, author=personas.lee, body="First")
    assert client_for(personas.mo).get(f"/links/comments/{comment.pk}/edit/").status_code == 403
    response = client_for(personas.lee).post(f"/links/comments/{comment.pk}/edit/", {"body": "Second"})
    comment.refresh_from_db()
    assert response.status_code == 302 and comment.body == "Second" and comment.edited is not None


def test_a_comment_is_deleted_by_its_author_or_an_admin_only(personas, client_for, saves):
    first = discussion.add_comment(link=saves["docs"].link, author=personas.lee, body="First")
    second = discussion.add_comment(link=saves["docs"].link, author=personas.lee, body="Second")
    assert client_for(personas.mo).post(f"/links/comments/{first.pk}/delete/").status_code == 403
    assert client_for(personas.lee).post(f"/links/comments/{first.pk}/delete/").status_code == 302
    assert client_for(personas.ada).post(f"/links/comments/{second.pk}/delete/").status_code == 302
    assert not Comment.objects.exists()


def test_a_comment_on_a_link_the_viewer_may_not_see_is_missing(personas, client_for, saves):
    comment = discussion.add_comment(link=saves["team"].link, author=personas.mo, body="Team only")
    assert client_for(personas.olly).get(f"/links/comments/{comment.pk}/edit/").status_code == 404
    assert client_for(personas.olly).post(f"/links/comments/{comment.pk}/delete/").status_code == 404


# ---------------------------------------------------------------------------------------------- import


def upload(name):
    return ContentFile((BOOKMARK_FILES / name).read_bytes(), name=name)


def test_importing_previews_the_file_then_imports_it_when_confirmed(
    personas, client_for, django_capture_on_commit_callbacks
):
    client = client_for(personas.alice)
    response = client.post(
        "/links/import/", {"file": upload("firefox_nested.htm"), "folders": "tags", "visibility": "private"}
    )
    job = ImportJob.objects.get(owner=personas.alice)
    assert response.status_code == 302 and response["Location"] == f"/links/import/{job.pk}/"
    preview = client.get(f"/links/import/{job.pk}/")
    assert b"Preview: nothing is saved yet" in preview.content and not Bookmark.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/links/import/{job.pk}/").status_code == 302
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE
    report = client.get(f"/links/import/{job.pk}/?started=1")
    assert b"Imported" in report.content
    assert Bookmark.objects.filter(saver=personas.alice).count() == job.report["created"] > 0


def test_the_progress_of_a_running_import_is_polled_as_a_fragment(personas, client_for):
    job = ImportJob.objects.create(
        owner=personas.alice, original_name="big.html", state=ImportJob.State.RUNNING, total=200, done=50
    )
    response = client_for(personas.alice).get(f"/links/import/{job.pk}/", HTTP_HX_REQUEST="true")
    assert b"<html" not in response.content and b'hx-trigger="every 1s"' in response.content
    assert b'value="50"' in response.content and b"50 of 200 links (25%)." in response.content


def test_a_file_that_is_not_a_bookmark_export_is_a_form_error(personas, client_for):
    response = client_for(personas.alice).post(
        "/links/import/",
        {"file": ContentFile(b"\x89PNG\r\n\x1a\n...", name="x.html"), "folders": "tags"} | {"visibility": "private"},
    )
    assert response.status_code == 400 and response.context["form"].errors["file"]
    assert not ImportJob.objects.exists()


def test_an_import_into_a_space_the_person_is_not_in_is_refused(personas, client_for):
    response = client_for(personas.olly).post(
        "/links/import/", {"file": upload("shaarli.htm"), "folders": "tags", "visibility": "private", "space": "team"}
    )
    assert response.status_code == 400 and "space" in response.context["form"].errors


def test_someone_elses_import_is_missing(personas, client_for):
    job = ImportJob.objects.create(owner=personas.alice, original_name="mine.html")
    assert client_for(personas.mo).get(f"/links/import/{job.pk}/").status_code == 404
    assert client_for(personas.ada).post(f"/links/import/{job.pk}/").status_code == 404


# ---------------------------------------------------------------------------------------------- export


def test_exporting_gives_ones_own_links_as_bookmark_html_and_csv(personas, client_for, saves):
    client = client_for(personas.alice)
    html = client.get("/links/export.html")
    assert html["Content-Disposition"].startswith("attachment")
    assert b"<!DOCTYPE NETSCAPE-Bookmark-file-1>" in html.content and b"My diary" in html.content
    csv = client.get("/links/export.csv").content.decode()
    assert csv.splitlines()[0].startswith("url,title") and "SQLBolt" in csv


def test_exporting_another_persons_links_gives_only_what_the_viewer_may_see(personas, client_for, saves):
    content = client_for(personas.lee).get("/links/export.html?person=alice").content
    assert b"Python tutorial" in content and b"My diary" not in content and b"SQLBolt" not in content
    assert client_for(personas.gus).get("/links/export.csv?person=olly").status_code == 404


# ----------------------------------------------------------------------------------------------- feeds


def test_a_tag_feed_holds_the_tagged_saves_the_requester_may_see(personas, client_for, saves):
    save(personas.alice, "https://secret.example/", "Secret python", visibility=Visibility.PRIVATE, tags=["python"])
    feed = client_for(personas.lee).get("/links/feeds/tag/python.atom")
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert b"Python tutorial" in feed.content and b"Secret python" not in feed.content
    assert b"https://docs.python.org/3/tutorial/" in feed.content


def test_feed_readers_get_only_saves_public_on_the_web(personas, client, saves):
    assert b"<entry>" not in client.get("/links/feeds/tag/python.atom").content
    config = SiteConfig.load()
    config.public_web = True
    config.save()
    save(personas.alice, "https://public.example/", "Public python", visibility=Visibility.PUBLIC, tags=["python"])
    content = client.get("/links/feeds/tag/python.atom").content
    assert b"Public python" in content and b"Python tutorial" not in content


def test_a_persons_feed_holds_their_shared_saves_but_never_private_ones(personas, client_for, saves):
    content = client_for(personas.alice).get("/links/feeds/people/alice.atom").content
    assert b"Python tutorial" in content and b"My diary" not in content


def test_a_persons_feed_is_missing_when_the_requester_can_find_nobody(personas, client, client_for, saves):
    assert client.get("/links/feeds/people/alice.atom").status_code == 404
    assert client_for(personas.gus).get("/links/feeds/people/olly.atom").status_code == 404
    assert client.get("/links/feeds/people/nobody.atom").status_code == 404
