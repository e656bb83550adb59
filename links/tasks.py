"""Background work for links: fetching previews, retrying the ones that failed, checking for broken links.

All of it goes through the guarded client (``lib.outbound``) and none of it is on a request's path:
saving a link queues ``fetch_preview`` after the transaction commits, and ``run_periodic`` queues
``retry_previews`` and ``check_links``.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from lib.outbound import OutboundError, OutboundFailed, fetch
from links import images
from links.models import Link
from links.preview import PagePreview, default_favicon, is_html, parse_page
from links.services import MAX_ATTEMPTS, record_check, record_preview, record_preview_failure

log = logging.getLogger(__name__)

PAGE_BYTES = 1536 * 1024
PAGE_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
RETRY_BATCH = 100
# A link queued for a retry (or pending since long ago) is not queued again for this long.
RETRY_LEASE = timedelta(hours=1)
PENDING_GRACE = timedelta(minutes=30)  # a new link's own fetch is normally queued on save; this catches lost ones
FAVICON_REUSE = timedelta(days=30)
CHECK_EVERY = timedelta(days=7)
RECHECK_AFTER = timedelta(days=1)  # a link that failed a check is checked again this soon
# A round in which at least this many links all failed without any server answering says our own network is
# down, not that the links died: it is not counted against them.
OUTAGE_MIN = 5
CHECK_BATCH = 500
CHECK_THREADS = 8
CHECK_TIMEOUT = 8.0


@task()
def fetch_preview(link_id: int) -> str:
    """Fetch a link's page and store its title, description, picture and icon; record a failure for a retry."""
    link = Link.objects.filter(pk=link_id).first()
    if link is None:
        return "gone"
    try:
        page = fetch(link.url, max_bytes=PAGE_BYTES, accept=PAGE_ACCEPT, truncate=True)
    except OutboundError as exc:
        record_preview_failure(link=link, reason=exc.reason)
        return "failed"
    if is_html(page.content_type, page.content):
        preview = parse_page(page.content, url=page.url, content_type=page.headers.get("Content-Type", ""))
    elif page.content_type.startswith("image/"):
        preview = PagePreview(image_url=page.url, favicon_url=default_favicon(page.url))
    else:  # a PDF, a video: nothing to read, but the site still has an icon
        preview = PagePreview(favicon_url=default_favicon(page.url))
    if preview.image_url:
        images.store_preview_image(link, preview.image_url)
    _store_favicon(link, preview.favicon_url, page_url=page.url)
    record_preview(link=link, title=preview.title, description=preview.description)
    return "ok"


def _store_favicon(link: Link, url: str, *, page_url: str) -> None:
    if images.reuse_favicon(link, since=timezone.now() - FAVICON_REUSE):
        return
    fallback = default_favicon(page_url)
    if not images.store_favicon(link, url) and url != fallback:
        images.store_favicon(link, fallback)


@task()
def retry_previews() -> int:
    """Queue the previews that are due again: failed ones whose back-off has passed, pending ones never fetched."""
    now = timezone.now()
    failed = Q(preview_status=Link.Preview.FAILED, next_attempt_at__lte=now, preview_attempts__lt=MAX_ATTEMPTS)
    pending = Q(preview_status=Link.Preview.PENDING, created__lte=now - PENDING_GRACE) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    due = Link.objects.filter(failed | pending).order_by(F("next_attempt_at").asc(nulls_first=True), "pk")
    ids = list(due.values_list("pk", flat=True)[:RETRY_BATCH])
    if not ids:
        return 0
    # Claimed before queued, so a slow queue is not filled twice with the same links by the next round.
    Link.objects.filter(pk__in=ids).update(next_attempt_at=now + RETRY_LEASE)
    for link_id in ids:
        fetch_preview.enqueue(link_id)
    return len(ids)


@dataclass(frozen=True)
class CheckResult:
    """What one broken-link check found: whether the page answered, and with which status."""

    answered: bool
    status: int | None
    reason: str = ""


def probe(url: str) -> CheckResult:
    """Ask for the page with HEAD, then with GET when the server will not answer HEAD properly."""
    try:
        head = fetch(url, method="HEAD", timeout=CHECK_TIMEOUT)
        return CheckResult(answered=True, status=head.status)
    except OutboundFailed as exc:
        if exc.status is None:
            return CheckResult(answered=False, status=None, reason=exc.reason)
    except OutboundError as exc:
        return CheckResult(answered=False, status=None, reason=exc.reason)
    # Many servers answer HEAD with 403, 404 or 405 while serving the page to GET.
    try:
        page = fetch(url, max_bytes=64 * 1024, truncate=True, timeout=CHECK_TIMEOUT)
        return CheckResult(answered=True, status=page.status)
    except OutboundError as exc:
        return CheckResult(answered=False, status=exc.status, reason=exc.reason)


@task()
def check_links() -> int:
    """Check the links not checked for a week (or for a day, after a failed check), oldest first, a bounded batch
    at a time."""
    now = timezone.now()
    stale = (
        Q(checked_at__isnull=True)
        | Q(checked_at__lte=now - CHECK_EVERY)
        | Q(failed_checks__gt=0, checked_at__lte=now - RECHECK_AFTER)
    )
    links = list(
        Link.objects.filter(stale, save_count__gt=0)
        .order_by(F("checked_at").asc(nulls_first=True), "pk")
        .only("pk", "url", "broken_since", "failed_checks")[:CHECK_BATCH]
    )
    if not links:
        return 0
    # Claimed first: a second round starting before this one ends takes the next links instead.
    Link.objects.filter(pk__in=[link.pk for link in links]).update(checked_at=now)
    # The checks wait on the network, not the processor, so a few run side by side; only this thread writes.
    with ThreadPoolExecutor(max_workers=CHECK_THREADS) as pool:
        results = list(pool.map(probe, [link.url for link in links]))
    if len(results) >= OUTAGE_MIN and not any(r.answered or r.status for r in results):
        log.warning("none of %s links answered (%s): is the network down? Not counted.", len(links), results[0].reason)
        retry = now - CHECK_EVERY + RECHECK_AFTER  # stale again tomorrow
        Link.objects.filter(pk__in=[link.pk for link in links]).update(checked_at=retry)
        return len(links)
    for link, result in zip(links, results, strict=True):
        if not result.answered:
            log.info("link %s did not answer: %s", link.pk, result.reason)
        record_check(link=link, answered=result.answered, status=result.status)
    return len(links)
