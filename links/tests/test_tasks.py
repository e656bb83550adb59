"""Previews, retries, broken-link checks and saved images, against an explicitly allow-listed local server."""

from __future__ import annotations

import io
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone
from PIL import Image

from links import tasks
from links.images import prepare_saved_image, store_saved_image
from links.models import Link
from links.services import record_preview_failure, save_link, url_hash
from links.tasks import check_links, fetch_preview, retry_previews
from tests.test_outbound import PageServer


def image_bytes(size=(1200, 630), fmt="PNG", colour=(200, 60, 30), **options) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, fmt, **options)
    return out.getvalue()


def article(image="/media/cover.png", icon='<link rel="icon" href="/favicon.ico">') -> str:
    return f"""<!doctype html><html><head><meta charset="utf-8">
    <title>Ignored for og:title</title>
    <meta property="og:title" content="Ten habits of effective code reviewers">
    <meta property="og:description" content="What the best reviewers do differently.">
    <meta property="og:image" content="{image}">{icon}
    </head><body><p>…</p></body></html>"""


@pytest.fixture
def server(settings):
    with PageServer() as running:
        settings.OUTBOUND_ALLOWLIST = [f"127.0.0.1:{running.port}"]
        yield running


def make_link(url: str, **fields) -> Link:
    return Link.objects.create(url=url, url_hash=url_hash(url), domain="127.0.0.1", save_count=1, **fields)


def stored_image(field) -> Image.Image:
    with field.open("rb") as stored:
        picture = Image.open(io.BytesIO(stored.read()))
        picture.load()
    return picture


def test_saving_a_link_fetches_its_preview_once_the_save_commits(personas, server, django_capture_on_commit_callbacks):
    server.page("/article", article())
    server.page("/media/cover.png", image_bytes(), content_type="image/png")
    server.page("/favicon.ico", image_bytes((48, 48), "ICO", sizes=[(16, 16), (48, 48)]), content_type="image/x-icon")

    with django_capture_on_commit_callbacks(execute=True):
        outcome = save_link(user=personas.alice, url=server.url("/article"))

    link = Link.objects.get(pk=outcome.bookmark.link_id)
    assert link.preview_status == Link.Preview.OK
    assert link.title == "Ten habits of effective code reviewers"
    assert link.description == "What the best reviewers do differently."
    assert stored_image(link.image).size == (640, 336)
    assert stored_image(link.favicon).size == (48, 48)
    outcome.bookmark.item.refresh_from_db()
    assert outcome.bookmark.item.title == "Ten habits of effective code reviewers"


def test_the_preview_image_is_re_encoded_without_its_metadata(db, server):
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Inc."  # camera maker
    server.page("/article", article("/photo.jpg"))
    server.page("/photo.jpg", image_bytes((800, 600), "JPEG", exif=exif), content_type="image/jpeg")
    link = make_link(server.url("/article"))

    fetch_preview.call(link.pk)

    link.refresh_from_db()
    assert link.image.name.endswith(".jpg")
    assert not stored_image(link.image).getexif()


def test_a_preview_image_that_is_not_an_image_is_skipped_and_the_preview_still_stored(db, server):
    server.page("/article", article("/fake.png"))
    server.page("/fake.png", "<html><script>alert(1)</script></html>", content_type="image/png")
    link = make_link(server.url("/article"))

    assert fetch_preview.call(link.pk) == "ok"

    link.refresh_from_db()
    assert link.preview_status == Link.Preview.OK
    assert not link.image
    assert not link.favicon  # /favicon.ico is not on the server either


def test_an_svg_favicon_is_passed_over_for_the_sites_favicon_ico(db, server):
    icon = '<link rel="icon" href="/icon.svg" type="image/svg+xml"><link rel="icon" href="/broken.png">'
    server.page("/article", article(icon=icon))
    server.page("/broken.png", b"\x89PNG\r\n\x1a\n truncated", content_type="image/png")
    server.page("/favicon.ico", image_bytes((32, 32), "PNG"), content_type="image/png")
    link = make_link(server.url("/article"))

    fetch_preview.call(link.pk)

    link.refresh_from_db()
    assert stored_image(link.favicon).size == (32, 32)
    assert [path for _m, path, _h in server.seen if path.startswith(("/icon", "/broken", "/favicon"))] == [
        "/broken.png",
        "/favicon.ico",
    ]


def test_a_second_link_to_the_same_site_reuses_its_favicon(db, server):
    server.page("/one", article(image=""))
    server.page("/two", article(image=""))
    server.page("/favicon.ico", image_bytes((32, 32), "PNG"), content_type="image/png")
    first, second = make_link(server.url("/one")), make_link(server.url("/two"))

    fetch_preview.call(first.pk)
    fetch_preview.call(second.pk)

    first.refresh_from_db()
    second.refresh_from_db()
    assert second.favicon.name == first.favicon.name
    assert [path for _m, path, _h in server.seen].count("/favicon.ico") == 1


def test_a_page_that_is_an_image_becomes_its_own_preview_image(db, server):
    server.page("/diagram.png", image_bytes((300, 200)), content_type="image/png")
    link = make_link(server.url("/diagram.png"))

    fetch_preview.call(link.pk)

    link.refresh_from_db()
    assert link.preview_status == Link.Preview.OK
    assert stored_image(link.image).size == (300, 200)


def test_a_failed_fetch_is_recorded_with_its_reason_and_retried_in_ten_minutes(db, server):
    server.page("/down", "oops", status=503, content_type="text/plain")
    link = make_link(server.url("/down"))

    assert fetch_preview.call(link.pk) == "failed"

    link.refresh_from_db()
    assert link.preview_status == Link.Preview.FAILED
    assert link.preview_error == "The site answered 503 Service Unavailable."
    assert link.preview_attempts == 1
    assert timedelta(minutes=9) < link.next_attempt_at - timezone.now() <= timedelta(minutes=10)


def test_a_link_into_the_private_network_fails_with_the_refusal_as_its_reason(db):
    link = make_link("http://169.254.169.254/latest/meta-data/")

    fetch_preview.call(link.pk)

    link.refresh_from_db()
    assert link.preview_status == Link.Preview.FAILED
    assert "link-local" in link.preview_error


def test_the_back_off_triples_each_time_and_stops_after_six_attempts(db):
    link = make_link("https://example.com/flaky")
    delays = []
    for _attempt in range(6):
        before = timezone.now()
        record_preview_failure(link=link, reason="The site did not answer in time.")
        delays.append(round((link.next_attempt_at - before).total_seconds() / 60) if link.next_attempt_at else None)

    assert delays == [10, 30, 90, 270, 810, None]
    assert link.preview_attempts == 6


def test_retrying_fetches_due_failures_and_forgotten_pending_links_only(db, server):
    server.page("/back", article(image="", icon=""))
    past, future = timezone.now() - timedelta(minutes=1), timezone.now() + timedelta(minutes=5)
    due = make_link(server.url("/back"), preview_status=Link.Preview.FAILED, preview_attempts=2, next_attempt_at=past)
    later = make_link(server.url("/back?later"), preview_status=Link.Preview.FAILED, next_attempt_at=future)
    given_up = make_link(server.url("/back?gone"), preview_status=Link.Preview.FAILED, preview_attempts=6)
    forgotten = make_link(server.url("/back?forgotten"), created=timezone.now() - timedelta(hours=2))
    just_saved = make_link(server.url("/back?new"))

    assert retry_previews.call() == 2

    statuses = dict(Link.objects.values_list("pk", "preview_status"))
    assert statuses[due.pk] == statuses[forgotten.pk] == Link.Preview.OK
    assert statuses[later.pk] == statuses[given_up.pk] == Link.Preview.FAILED
    assert statuses[just_saved.pk] == Link.Preview.PENDING


def test_a_link_being_retried_is_not_queued_again_by_the_next_round(db, monkeypatch):
    make_link("https://example.com/x", preview_status=Link.Preview.FAILED, next_attempt_at=timezone.now())
    queued = []
    monkeypatch.setattr(tasks, "fetch_preview", SimpleNamespace(enqueue=queued.append))

    retry_previews.call()
    retry_previews.call()

    assert len(queued) == 1


def _checked_days_ago(link, days):
    Link.objects.filter(pk=link.pk).update(checked_at=timezone.now() - timedelta(days=days))


def test_a_link_that_stops_answering_is_marked_broken_at_the_second_failed_check_and_unmarked_when_it_answers(
    db, server
):
    server.page("/page", "fine")
    link = make_link(server.url("/page"))

    check_links.call()
    link.refresh_from_db()
    assert (link.check_status, link.broken_since, link.failed_checks) == (200, None, 0)

    server.page("/page", "gone", status=404)
    _checked_days_ago(link, 8)
    check_links.call()
    link.refresh_from_db()
    assert (link.check_status, link.broken_since, link.failed_checks) == (404, None, 1)  # once is not dead

    assert check_links.call() == 0  # checked again a day later, not at once
    _checked_days_ago(link, 1)
    check_links.call()
    link.refresh_from_db()
    assert link.check_status == 404 and link.failed_checks == 2
    assert link.broken_since is not None

    server.page("/page", "back")
    _checked_days_ago(link, 8)
    check_links.call()
    link.refresh_from_db()
    assert (link.check_status, link.broken_since, link.failed_checks) == (200, None, 0)


def test_a_link_stays_broken_since_it_was_marked(db, server):
    since = timezone.now() - timedelta(days=14)
    link = make_link(
        server.url("/missing"), broken_since=since, failed_checks=2, checked_at=timezone.now() - timedelta(days=8)
    )

    check_links.call()

    link.refresh_from_db()
    assert link.broken_since == since and link.failed_checks == 3
    assert link.checked_at > since


def test_a_link_the_client_refuses_counts_as_failed_without_a_status(db):
    link = make_link("http://10.0.0.8/intranet")

    check_links.call()
    link.refresh_from_db()
    assert (link.failed_checks, link.check_status, link.broken_since) == (1, None, None)

    _checked_days_ago(link, 1)
    check_links.call()
    link.refresh_from_db()
    assert link.broken_since is not None and link.check_status is None


def test_a_round_in_which_no_server_answers_at_all_is_not_counted_against_the_links(db, monkeypatch):
    """Our network being down (every check failing before any server answered) is not every link dying."""
    links = [make_link(f"https://site{n}.example/page") for n in range(tasks.OUTAGE_MIN)]
    monkeypatch.setattr(tasks, "probe", lambda url: tasks.CheckResult(answered=False, status=None, reason="DNS"))

    assert check_links.call() == len(links)

    assert not Link.objects.filter(failed_checks__gt=0).exists()
    assert not Link.objects.filter(broken_since__isnull=False).exists()
    assert check_links.call() == 0
    Link.objects.update(checked_at=F("checked_at") - timedelta(days=1))
    assert check_links.call() == len(links)  # tried again the next day


def test_the_check_falls_back_on_get_when_the_server_refuses_head(db, server):
    def no_head(handler):
        status = 405 if handler.command == "HEAD" else 200
        PageServer.send(handler, b"page", status=status)

    server.routes["/no-head"] = no_head
    link = make_link(server.url("/no-head"))

    check_links.call()

    link.refresh_from_db()
    assert (link.check_status, link.broken_since) == (200, None)
    assert [method for method, _p, _h in server.seen] == ["HEAD", "GET"]


def test_the_check_skips_links_checked_this_week_and_links_nobody_saves(db, server):
    server.page("/page", "fine")
    recent = make_link(server.url("/page?recent"), checked_at=timezone.now() - timedelta(days=2))
    Link.objects.create(url=server.url("/page?orphan"), url_hash="orphan", domain="127.0.0.1", save_count=0)

    assert check_links.call() == 0
    assert server.seen == []
    recent.refresh_from_db()
    assert recent.check_status is None


def test_the_periodic_command_retries_previews_and_checks_links(db, server):
    server.page("/page", article(image="", icon=""))
    link = make_link(server.url("/page"), preview_status=Link.Preview.FAILED, next_attempt_at=timezone.now())

    call_command("run_periodic", "--once", stdout=io.StringIO())

    link.refresh_from_db()
    assert link.preview_status == Link.Preview.OK
    assert link.check_status == 200


# ------------------------------------------------------------------------------------------ saved images


@pytest.fixture
def bookmark(personas):
    return save_link(user=personas.alice, url="https://example.com/gallery").bookmark


def test_an_uploaded_image_is_stored_re_encoded_with_a_thumbnail(bookmark):
    upload = SimpleUploadedFile("Sunset photo.png", image_bytes((1600, 900)), content_type="image/png")

    store_saved_image(bookmark=bookmark, image=upload)

    bookmark.refresh_from_db()
    assert stored_image(bookmark.image).size == (1600, 900)
    assert stored_image(bookmark.thumbnail).size == (640, 360)
    assert "Sunset-photo" in bookmark.image.name


def test_an_image_url_is_fetched_through_the_guarded_client(bookmark, server):
    server.page("/pic", image_bytes((3000, 1000), "JPEG"), content_type="image/jpeg")

    store_saved_image(bookmark=bookmark, image=server.url("/pic"))

    bookmark.refresh_from_db()
    assert stored_image(bookmark.image).size == (2048, 683)
    assert stored_image(bookmark.thumbnail).width == 640


def test_an_image_prepared_before_the_save_is_stored_without_fetching_it_again(bookmark, server):
    server.page("/pic", image_bytes((200, 100), "WEBP"), content_type="image/webp")
    prepared = prepare_saved_image(server.url("/pic"))

    store_saved_image(bookmark=bookmark, image=prepared)

    assert len(server.seen) == 1
    assert stored_image(bookmark.thumbnail).size == (200, 100)


def test_an_image_url_inside_the_network_is_refused_with_the_reason(bookmark):
    with pytest.raises(ValidationError, match="loopback"):
        store_saved_image(bookmark=bookmark, image="http://127.0.0.1/secret.png")

    bookmark.refresh_from_db()
    assert not bookmark.image


def test_a_file_that_is_not_an_image_is_refused(bookmark):
    upload = SimpleUploadedFile("notes.png", b"%PDF-1.7 pretending", content_type="image/png")

    with pytest.raises(ValidationError, match="PDF"):
        store_saved_image(bookmark=bookmark, image=upload)


def test_replacing_a_saved_image_removes_the_old_files(bookmark):
    store_saved_image(bookmark=bookmark, image=SimpleUploadedFile("a.png", image_bytes((100, 100))))
    old = bookmark.image.name, bookmark.thumbnail.name

    store_saved_image(bookmark=bookmark, image=SimpleUploadedFile("b.jpg", image_bytes((100, 100), "JPEG")))

    storage = bookmark.image.storage
    assert not any(storage.exists(name) for name in old)
    assert storage.exists(bookmark.image.name)


def test_an_image_url_that_gives_a_web_page_is_refused_plainly(bookmark, server):
    server.page("/photo.jpg", "<html><body>Log in to see this photo</body></html>")

    with pytest.raises(ValidationError, match="not a PNG, JPEG, GIF or WebP image"):
        store_saved_image(bookmark=bookmark, image=server.url("/photo.jpg"))


def test_an_upload_over_the_photo_limit_is_refused_before_it_is_read(bookmark, settings):
    settings.WATERCOOLER_MAX_PHOTO_MB = 1
    upload = SimpleUploadedFile("huge.png", b"\x89PNG" + b"\0" * 2 * 1024 * 1024)

    with pytest.raises(ValidationError, match="at most 1 MB"):
        store_saved_image(bookmark=bookmark, image=upload)
