"""Playwright driving Debian's Chromium against pytest-django's live server.

One Chromium per test process (session scope); each test gets fresh browser contexts (cookies,
storage) and a flushed database (``transactional_db``: the live server runs in another thread, so
the data a test makes must be committed for it to see). Tests sign in with ``login_as`` — a real
session cookie — and only ``test_signup`` goes through the sign-in form.

Skipped, with the reason shown, on a machine without /usr/bin/chromium (`.ci/run` installs it).
"""

import os
import shutil

import pytest
from django.conf import settings as django_settings
from django.test import Client

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
TIMEOUT_MS = 10_000
PERSONA_PASSWORD = "correct-horse-battery"  # what tests.factories gives everyone

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make between
# browser steps are ordinary synchronous code, so Django's async-safety guard does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
        )
        yield browser
        browser.close()


@pytest.fixture
def live(live_server, transactional_db, settings):
    """The live server, with the test settings it needs (any host name, e.g. 127.0.0.1 or localhost)."""
    settings.ALLOWED_HOSTS = ["*"]
    return live_server


@pytest.fixture
def new_context(browser, live):
    """Make another browser context (a second person at another computer), closed after the test."""
    contexts = []

    def make(*, user=None, color_scheme="light", viewport=None, javascript=True):
        context = browser.new_context(
            base_url=live.url,
            viewport=viewport or {"width": 1280, "height": 900},
            color_scheme=color_scheme,
            java_script_enabled=javascript,
            accept_downloads=True,
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        if user is not None:
            add_session_cookie(context, user, live.url)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()


def add_session_cookie(context, user, url: str) -> None:
    """Sign ``user`` in to ``context`` the way the sign-in form would leave them: a session cookie."""
    client = Client()
    client.force_login(user)
    session = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": session, "url": url}])


@pytest.fixture
def login_as(page, live):
    """Sign a person in to ``page`` (or to another context) without going through the form."""

    def do(user, context=None):
        add_session_cookie(context or page.context, user, live.url)
        return user

    return do


@pytest.fixture
def sign_in(page):
    """Sign in through allauth's form, as a person would."""

    def do(login, password=PERSONA_PASSWORD):
        page.goto("/accounts/login/")
        page.get_by_label("Login").fill(login)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign In").click()
        page.wait_for_url(lambda url: "/accounts/" not in url)

    return do


@pytest.fixture
def problems(page):
    """Console errors, uncaught exceptions and failed or 4xx/5xx sub-requests seen by ``page``."""
    seen = []
    page.on("console", lambda msg: seen.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: seen.append(f"uncaught: {exc}"))

    def on_failed(request):
        # ERR_ABORTED is the browser cancelling a request itself: a link that downloads a file, the
        # favicon of a page it is already leaving, the PDF viewer's internal requests. A request the
        # server failed shows up as an error status (on_response) or as another network error.
        if request.failure != "net::ERR_ABORTED":
            seen.append(f"failed: {request.method} {request.url} {request.failure}")

    page.on("requestfailed", on_failed)

    def on_response(response):
        if response.status >= 400:
            seen.append(f"HTTP {response.status}: {response.request.method} {response.url}")

    page.on("response", on_response)
    return seen
