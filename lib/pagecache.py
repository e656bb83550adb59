"""Whole-page caching for signed-in people, safe because the person is part of the key.

The pages people open again and again (home, a profile, the directory, a space, browse, search, a wiki
page) cost ten to thirty times a bare ORM page to build. ``cache_for_viewer`` keeps each person's copy
of such a page and serves it again until anything changes:

- **Who**: the key holds the person's id, so one person never sees another's page (what a page shows
  depends on the access rule, the person's time zone and language, all of which belong to them).
- **When anything changes**: every save or delete of one of our models (and every change to their
  many-to-many relations) bumps one content generation that is part of every key, so the next view
  is built afresh. Writes that bypass signals (``QuerySet.update``, ``bulk_create``) call
  ``content_changed()`` themselves. Models whose changes no cached page shows are listed in
  ``IGNORED_MODELS``; the top bar's unread counts (notifications, messages) are part of the key instead.
- **Only plain views**: GET and HEAD, a 200 answer, no pending flash messages, and the CSRF cookie in
  the key so the tokens in cached forms stay valid. A short timeout bounds anything missed.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache, wraps
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers

GENERATION_KEY = "pagecache:generation"
# Rows whose changes no cached page shows, or that change on every request (last use of a token).
IGNORED_MODELS = {
    "core.notification",  # the unread count is in the key; the notifications page is not cached
    "core.notificationpreference",
    "api.apitoken",
    "home.periodicrun",
    "search.searchdocument",  # rebuilt in bulk; search.index calls content_changed() after writing
}
# Apps whose models the cached pages show.
WATCHED_APPS = {
    "core",
    "people",
    "spaces",
    "files",
    "search",
    "wiki",
    "links",
    "reviews",
    "catalog",
    "portfolios",
    "home",
    "api",
}


@lru_cache(maxsize=1)
def release() -> str:
    """A fingerprint of the code and templates this process serves, so a deploy never shows pages kept by
    the previous release. Every worker of one release computes the same value from the files' sizes and
    modification times (a few milliseconds, once per process)."""
    root = Path(settings.BASE_DIR)
    skip = {".venv", "var", "node_modules", ".git", "bench", "staticfiles"}
    digest = hashlib.blake2b(digest_size=8)
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in skip and not d.startswith("."))
        for name in sorted(files):
            if name.endswith((".py", ".html")):
                info = os.stat(os.path.join(folder, name))
                digest.update(f"{folder}/{name}:{info.st_size}:{info.st_mtime_ns}".encode())
    return digest.hexdigest()


def timeout() -> int:
    return getattr(settings, "WATERCOOLER_PAGE_CACHE_SECONDS", 300)


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = 1
        cache.add(GENERATION_KEY, value, None)
    return value


def content_changed() -> None:
    """Make every cached page stale once the current transaction commits (at once outside one).

    At the commit, not before: until then other processes cannot see the new rows, and a page they
    build meanwhile would be stored under the new generation and outlive the change. One bump per
    transaction however many rows it writes.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _bump()
        return
    if connection.atomic_blocks[0]._from_testcase:
        # A test case's transaction never commits: its writes count as committed when made.
        _bump()
        return
    if not any(func is _bump for _, func, _ in connection.run_on_commit):
        transaction.on_commit(_bump)


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # the key expired or was evicted: any fresh value makes old keys unreachable
        import time

        cache.set(GENERATION_KEY, time.time_ns(), None)


def _on_save(sender, instance=None, update_fields=None, **kwargs):
    label = sender._meta.label_lower
    if label == "people.user" and update_fields == {"last_login"}:
        return
    if label == "core.activity" and instance.verb == "messaged":
        return  # a message notifies one person and shows on no cached page (messaging/services.py)
    content_changed()


def _on_change(sender, **kwargs):
    content_changed()


def connect_signals() -> None:
    """Listen to our own models only: a listener on every model would stop Django's fast bulk deletes."""
    from django.apps import apps

    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        owner = meta.auto_created._meta if meta.auto_created else meta
        if owner.app_label not in WATCHED_APPS or owner.label_lower in IGNORED_MODELS:
            continue
        if meta.auto_created:
            m2m_changed.connect(_on_change, sender=model, dispatch_uid=f"pagecache-m2m-{meta.label_lower}")
        else:
            post_save.connect(_on_save, sender=model, dispatch_uid=f"pagecache-save-{meta.label_lower}")
            post_delete.connect(_on_change, sender=model, dispatch_uid=f"pagecache-delete-{meta.label_lower}")


def _key(request) -> str | None:
    user = request.user
    if not user.is_authenticated or request.method not in ("GET", "HEAD"):
        return None
    if "messages" in request.COOKIES or "_messages" in request.session:
        return None  # a flash message shows once; the page under it must not be kept
    from home.queries import unread_count
    from messaging.queries import unread_count as unread_messages

    parts = [
        request.get_full_path(),
        str(user.pk),
        str(generation()),
        release(),
        str(unread_count(user)),
        str(unread_messages(user)),
        request.headers.get("HX-Request", ""),
        request.headers.get("HX-Target", ""),
        request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
        getattr(request, "LANGUAGE_CODE", ""),
    ]
    return "pagecache:" + hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest()


def cache_for_viewer(view):
    """Serve the signed-in person's own cached copy of this page until something changes."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        key = _key(request) if getattr(settings, "WATERCOOLER_PAGE_CACHE", True) else None
        if key is not None:
            hit = cache.get(key)
            if hit is not None:
                content, content_type = hit
                response = HttpResponse(content, content_type=content_type)
                response["X-Page-Cache"] = "hit"
                return _private(response)
        response = view(request, *args, **kwargs)
        if (
            key is not None
            and response.status_code == 200
            and not getattr(response, "streaming", False)
            and not response.cookies
            and "_messages" not in request.session
        ):
            if hasattr(response, "render") and callable(response.render):
                response.render()
            cache.set(key, (response.content, response["Content-Type"]), timeout())
        return _private(response) if key is not None else response

    return wrapper


def _private(response):
    patch_vary_headers(response, ("Cookie",))
    patch_cache_control(response, private=True)
    return response
