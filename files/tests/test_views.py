import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Item, Visibility, Watch
from files.models import File
from files.tests import samples
from files.tests.conftest import stored_files
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def post_upload(client, data: dict, query: str = ""):
    return client.post(reverse("files:upload") + query, data)


def test_it_uploads_a_file_from_the_form_and_shows_its_page(personas, client_for):
    client = client_for(personas.alice)
    response = post_upload(
        client,
        {
            "file": samples.upload("Sprint_review.pdf", samples.PDF),
            "summary": "Slides from Friday",
            "tags": "sprint, review",
            "space": "team",
            "visibility": "space",
        },
    )
    item = Item.objects.get()
    assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
    page = client.get(item.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "Sprint review" in html and "Slides from Friday" in html and "#sprint" in html
    assert f'<iframe src="{reverse("files:inline", args=[item.pk])}"' in html


def test_it_prefills_the_space_from_the_address(personas, client_for):
    response = client_for(personas.alice).get(reverse("files:upload") + "?space=team")
    form = response.context["form"]
    assert form.initial["space"] == "team" and form.initial["visibility"] == Visibility.SPACE
    assert [s.slug for s in form.fields["space"].queryset] == ["team"]


def test_it_offers_only_spaces_the_person_may_post_in(personas, client_for):
    response = client_for(personas.olly).get(reverse("files:upload") + "?space=team")
    assert response.context["space"] is None
    assert [s.slug for s in response.context["form"].fields["space"].queryset] == ["elsewhere"]
    assert post_upload(
        client_for(personas.olly), {"file": samples.upload("a.txt", b"hi"), "space": "team", "visibility": "space"}
    ).status_code == 400  # fmt: skip
    assert not Item.objects.exists()


def test_it_hides_public_unless_the_site_allows_it(personas, client_for):
    response = client_for(personas.alice).get(reverse("files:upload"))
    values = [value for value, _ in response.context["form"].fields["visibility"].choices]
    assert "public" not in values and "people" in values


def test_it_shares_with_named_people_by_username(personas, client_for):
    response = post_upload(
        client_for(personas.alice),
        {"file": samples.upload("a.txt", b"hi"), "visibility": "people", "shared_with": "mo, @lee"},
    )
    assert response.status_code == 302
    assert {p.username for p in Item.objects.get().shared_with.all()} == {"mo", "lee"}


def test_it_explains_an_unknown_username(personas, client_for):
    response = post_upload(
        client_for(personas.alice),
        {"file": samples.upload("a.txt", b"hi"), "visibility": "people", "shared_with": "nobody"},
    )
    assert response.status_code == 400
    assert "nobody" in response.context["form"].errors["shared_with"][0]


def test_it_uploads_several_files_at_once_each_titled_by_its_name(personas, client_for):
    files = [samples.upload("first_notes.txt", b"one"), samples.upload("second.png", samples.png())]
    response = post_upload(client_for(personas.alice), {"file": files, "visibility": "organisation"})
    assert response.status_code == 302 and response["Location"] == personas.alice.get_absolute_url()
    assert sorted(Item.objects.values_list("title", flat=True)) == ["First notes", "Second"]


def test_it_shows_the_refusal_and_writes_nothing(personas, client_for, settings):
    response = post_upload(
        client_for(personas.alice), {"file": samples.upload("invoice.pdf", samples.HTML), "visibility": "private"}
    )
    assert response.status_code == 415
    assert "HTML" in response.context["form"].errors["file"][0]
    assert not Item.objects.exists() and stored_files(settings) == []


def test_it_stops_receiving_a_file_over_the_size_limit(personas, client_for, settings):
    settings.WATERCOOLER_MAX_UPLOAD_MB = 1
    big = samples.upload("huge.txt", b"x" * (1024 * 1024 + 10))
    response = post_upload(client_for(personas.alice), {"file": big, "visibility": "private"})
    assert response.status_code == 413
    assert response.context["form"].errors["file"] == ["“huge.txt” is larger than the 1 MB limit."]
    assert not Item.objects.exists() and stored_files(settings) == []


def test_it_previews_images_audio_and_video_in_place(personas, client_for, make_file):
    client = client_for(personas.alice)
    for name, data, tag in [
        ("a.png", samples.png(), "<img src"),
        ("a.wav", samples.wav(), "<audio controls"),
        ("a.mp4", samples.mp4(), "<video controls"),
    ]:
        item = make_file(name=name, data=data)
        assert tag in client.get(item.get_absolute_url()).content.decode()


def test_it_shows_the_start_of_a_text_file_escaped(personas, client_for, make_file):
    item = make_file(name="notes.md", data=b"# Plan\n<script>x</script>")
    html = client_for(personas.mo).get(item.get_absolute_url()).content.decode()
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "<script>x" not in html


def test_it_downloads_as_an_attachment_with_the_sniffed_type(personas, client_for, make_file):
    item = make_file(name="minutes.txt", data=b"All agreed.")
    response = client_for(personas.mo).get(reverse("files:download", args=[item.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"All agreed."
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="minutes.txt"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_it_serves_pdfs_and_images_inline_but_everything_else_as_attachments(personas, client_for, make_file):
    client = client_for(personas.alice)
    pdf = make_file(name="a.pdf", data=samples.PDF)
    docx = make_file(name="a.docx", data=samples.ooxml())
    shown = client.get(reverse("files:inline", args=[pdf.pk]))
    assert shown["Content-Type"] == "application/pdf" and shown["Content-Disposition"].startswith("inline")
    kept = client.get(reverse("files:inline", args=[docx.pk]))
    assert kept["Content-Disposition"].startswith("attachment")


def test_it_answers_a_byte_range_with_206(personas, client_for, make_file):
    data = samples.wav()
    item = make_file(name="talk.wav", data=data)
    url = reverse("files:inline", args=[item.pk])
    client = client_for(personas.alice)
    response = client.get(url, headers={"Range": "bytes=100-199"})
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 100-199/{len(data)}" and response["Content-Length"] == "100"
    assert b"".join(response.streaming_content) == data[100:200]
    assert response["Content-Type"] == "audio/wav" and response["Accept-Ranges"] == "bytes"


def test_it_answers_open_ended_and_suffix_ranges(personas, client_for, make_file):
    data = samples.wav()
    item = make_file(name="talk.wav", data=data)
    client, url = client_for(personas.alice), reverse("files:inline", args=[item.pk])
    tail = client.get(url, headers={"Range": f"bytes={len(data) - 10}-"})
    assert b"".join(tail.streaming_content) == data[-10:]
    suffix = client.get(url, headers={"Range": "bytes=-25"})
    assert suffix["Content-Range"] == f"bytes {len(data) - 25}-{len(data) - 1}/{len(data)}"
    clamped = client.get(url, headers={"Range": f"bytes=0-{len(data) * 2}"})
    assert clamped.status_code == 206 and b"".join(clamped.streaming_content) == data


def test_it_refuses_a_range_beyond_the_end_with_416(personas, client_for, make_file):
    data = samples.wav()
    item = make_file(name="talk.wav", data=data)
    response = client_for(personas.alice).get(
        reverse("files:inline", args=[item.pk]), headers={"Range": f"bytes={len(data)}-"}
    )
    assert response.status_code == 416 and response["Content-Range"] == f"bytes */{len(data)}"


def test_it_sends_the_whole_file_for_multiple_or_stale_ranges(personas, client_for, make_file):
    item = make_file(name="talk.wav", data=samples.wav())
    client, url = client_for(personas.alice), reverse("files:download", args=[item.pk])
    assert client.get(url, headers={"Range": "bytes=0-1,5-9"}).status_code == 200
    assert client.get(url, headers={"Range": "bytes=0-1", "If-Range": '"old"'}).status_code == 200
    current = f'"{item.file.sha256}"'
    assert client.get(url, headers={"Range": "bytes=0-1", "If-Range": current}).status_code == 206
    assert client.get(url, headers={"If-None-Match": current}).status_code == 304


def test_it_hides_a_team_file_from_outsiders_everywhere(personas, client_for, make_file):
    item = make_file(name="a.png", data=samples.png(), space=personas.team)
    olly = client_for(personas.olly)
    for url in [
        item.get_absolute_url(),
        reverse("files:inline", args=[item.pk]),
        reverse("files:download", args=[item.pk]),
        reverse("files:thumbnail", args=[item.pk]),
        reverse("files:edit", args=[item.pk]),
        reverse("files:delete", args=[item.pk]),
    ]:
        assert olly.get(url).status_code == 404, url
    assert olly.post(reverse("files:watch", args=[item.pk]), {"action": "watch"}).status_code == 404


def test_it_serves_the_thumbnail_to_those_who_may_see_it(personas, client_for, make_file):
    item = make_file(name="a.png", data=samples.png(size=(1000, 500)), space=personas.team)
    response = client_for(personas.gus).get(reverse("files:thumbnail", args=[item.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8")


def test_it_shows_edit_and_delete_only_to_those_allowed(personas, client_for, make_file):
    item = make_file(space=personas.team)
    gus_page = client_for(personas.gus).get(item.get_absolute_url()).content.decode()
    mo_page = client_for(personas.mo).get(item.get_absolute_url()).content.decode()
    assert reverse("files:edit", args=[item.pk]) not in gus_page
    assert reverse("files:delete", args=[item.pk]) in mo_page
    assert client_for(personas.gus).get(reverse("files:edit", args=[item.pk])).status_code == 403


def test_it_saves_an_edit_from_the_form(personas, client_for, make_file):
    item = make_file(title="Draft")
    client = client_for(personas.alice)
    form = client.get(reverse("files:edit", args=[item.pk])).context["form"]
    data = {**form.initial, "title": "Final", "tags": "done", "updated": form.initial["updated"].isoformat()}
    response = client.post(reverse("files:edit", args=[item.pk]), data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Final" and [t.slug for t in item.tags.all()] == ["done"]


def test_it_reports_a_conflicting_edit(personas, client_for, make_file):
    item = make_file(title="Draft")
    client = client_for(personas.alice)
    stale = client.get(reverse("files:edit", args=[item.pk])).context["form"].initial
    Item.objects.filter(pk=item.pk).update(title="Changed by someone")
    item.refresh_from_db()
    Item.objects.filter(pk=item.pk).update(updated=item.updated.replace(year=item.updated.year + 1))
    data = {**stale, "title": "Mine", "updated": stale["updated"].isoformat()}
    response = client.post(reverse("files:edit", args=[item.pk]), data)
    assert response.status_code == 409
    assert Item.objects.get(pk=item.pk).title == "Changed by someone"


def test_it_deletes_after_confirmation(personas, client_for, make_file):
    item = make_file(space=personas.team)
    client = client_for(personas.mo)
    assert client.get(reverse("files:delete", args=[item.pk])).status_code == 200
    response = client.post(reverse("files:delete", args=[item.pk]))
    assert response.status_code == 302 and response["Location"] == personas.team.get_absolute_url()
    assert client.get(item.get_absolute_url()).status_code == 404
    assert File.objects.filter(item=item).exists()


def test_it_watches_and_unwatches_with_htmx(personas, client_for, make_file):
    item = make_file(owner=personas.mo)
    client = client_for(personas.lee)
    url = reverse("files:watch", args=[item.pk])
    response = client.post(url, {"action": "watch"}, headers={"HX-Request": "true"})
    assert 'aria-pressed="true"' in response.content.decode() and "<html" not in response.content.decode()
    assert Watch.objects.filter(user=personas.lee, item=item).exists()
    assert client.post(url, {"action": "unwatch"}).status_code == 302
    assert not Watch.objects.filter(user=personas.lee, item=item).exists()


def test_it_lists_more_from_the_same_space(personas, client_for, make_file):
    item = make_file(title="This one", space=personas.team)
    make_file(title="A sibling", space=personas.team, owner=personas.mo)
    make_file(title="Elsewhere", space=personas.elsewhere, owner=personas.olly)
    html = client_for(personas.alice).get(item.get_absolute_url()).content.decode()
    assert "More from Team" in html and "A sibling" in html and "Elsewhere</h3>" not in html


def test_it_renders_the_file_page_in_the_same_queries_however_full_the_space(personas, client_for, make_file):
    item = make_file(name="a.png", data=samples.png(), space=personas.team, tags=["x"])
    client = client_for(personas.alice)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(item.get_absolute_url()).status_code == 200
        return len(queries)

    make_file(space=personas.team, tags=["y"])
    count()  # the first request also creates the site settings row
    few = count()
    for i in range(5):
        make_file(name=f"p{i}.png", data=samples.png(), space=personas.team, owner=personas.mo, tags=[f"t{i}"])
    assert count() == few
    assert few <= 12


def test_it_suggests_people_to_share_with_keeping_the_names_typed(personas, client_for):
    url = reverse("files:share-suggestions")
    html = client_for(personas.alice).get(url, {"shared_with": "mo, le"}).content.decode()
    assert '<option value="mo, lee">Lee Curator</option>' in html
    assert "olly" not in client_for(personas.gus).get(url, {"shared_with": "ol"}).content.decode()


def test_it_keeps_csrf_protection_on_the_upload_form(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.alice)
    response = client.post(reverse("files:upload"), {"file": samples.upload("a.txt", b"hi"), "visibility": "private"})
    assert response.status_code == 403 and not Item.objects.exists()


def test_it_answers_404_for_a_file_item_without_its_file(personas, client_for):
    item = ItemFactory(owner=personas.alice)
    client = client_for(personas.alice)
    assert client.get(item.get_absolute_url()).status_code == 404
    assert client.get(reverse("files:download", args=[item.pk])).status_code == 404


def test_it_shows_public_files_to_anonymous_visitors_when_the_site_allows(personas, make_file):
    from core.models import SiteConfig

    config = SiteConfig.load()
    config.public_web = True
    config.save()
    item = make_file(name="a.png", data=samples.png(), visibility=Visibility.PUBLIC)
    page = Client().get(item.get_absolute_url())
    assert page.status_code == 200 and "Watch" not in page.content.decode()
    assert Client().get(reverse("files:inline", args=[item.pk])).status_code == 200
    config.public_web = False
    config.save()
    assert Client().get(reverse("files:inline", args=[item.pk]))["Location"].startswith("/accounts/login/")
