"""Helpers for bench/run: the database, the pages to measure, and a signed-in session.

prepare.py database URL      create the PostgreSQL database named in URL if it is missing
prepare.py pages             print "name<TAB>path<TAB>auth" for every page to measure (reads the seeded data)
prepare.py login BASE PAGES  sign the demo learner in, check every page answers 200, print the session cookie
prepare.py describe          print "engine<TAB>engine and version<TAB>what the database holds"
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from urllib.parse import quote_plus, urlsplit

ROOT = Path(__file__).resolve().parent.parent
LEARNER = "alice"
SEARCH = "python"
SKILL = "computer programming"


def database(url: str) -> None:
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        return
    import psycopg

    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')


def _django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "watercooler.settings")
    import django

    django.setup()


def pages() -> None:
    """The two references, then the pages people use, each on the busiest data the seed made."""
    _django()
    from django.db.models import Count

    from people.models import User
    from spaces.models import Space

    # The largest space alice may open, and the person who shared the most: the heaviest pages of their kind.
    space = (
        Space.objects.filter(visibility=Space.Visibility.OPEN).order_by("-member_count", "pk").values("slug").first()
    )
    person = (
        User.objects.filter(is_active=True, role=User.Role.LEARNER)
        .annotate(n=Count("items"))
        .order_by("-n", "pk")
        .values("username")
        .first()
    )
    rows = [
        ("minimal view (reference)", "/bench/minimal", "session"),
        ("50-row ORM page (reference)", "/bench/rows", "session"),
        ("sign-in page", "/accounts/login/", "anonymous"),
        ("home", "/", "session"),
        ("profile", f"/people/{person['username']}/", "session"),
        ("directory by skill", f"/people/?skill={quote_plus(SKILL)}", "session"),
        ("space", f"/spaces/{space['slug']}/", "session"),
        ("browse items", "/browse/", "session"),
        ("search", f"/search/?q={SEARCH}", "session"),
    ]
    for row in rows:
        print("\t".join(row))


def login(base: str, pages_file: str) -> None:
    import requests

    _django()
    from django.conf import settings

    session = requests.Session()
    form = session.get(f"{base}/accounts/login/", timeout=30)
    form.raise_for_status()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    if token is None:
        sys.exit("The sign-in page has no CSRF token.")
    answer = session.post(
        f"{base}/accounts/login/",
        data={"login": LEARNER, "password": settings.WATERCOOLER_DEMO_PASSWORD, "csrfmiddlewaretoken": token[1]},
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=30,
    )
    cookie = session.cookies.get("sessionid")
    if answer.status_code >= 400 or not cookie:
        sys.exit(f"Signing in as {LEARNER} failed ({answer.status_code}).")
    # Every page must really render: a redirect or an error would be measured as a fast page.
    for line in Path(pages_file).read_text().splitlines():
        name, path, auth = line.split("\t")
        client = session if auth == "session" else requests
        for _ in range(3):  # also warms both workers' caches and imports
            response = client.get(f"{base}{path}", allow_redirects=False, timeout=60)
            if response.status_code != 200:
                sys.exit(f"{name} ({path}) answered {response.status_code}, not 200.")
    print("; ".join(f"{name}={value}" for name, value in session.cookies.items()))


def describe() -> None:
    _django()
    import sqlite3

    from django.db import connection

    from core.models import Activity, Item
    from people.models import User
    from spaces.models import Space

    if connection.vendor == "sqlite":
        label = f"SQLite {sqlite3.sqlite_version}"
    else:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            label = f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    counts = [
        f"{User.objects.count():,} people",
        f"{Space.objects.count():,} spaces",
        f"{Item.objects.count():,} items",
        f"{Activity.objects.count():,} activities",
    ]
    print(f"{connection.vendor}\t{label}\t{', '.join(counts)} (manage.py seed --scale large)")


if __name__ == "__main__":
    command, *args = sys.argv[1:] or ["help"]
    if command == "database" and len(args) == 1:
        database(*args)
    elif command == "pages" and not args:
        pages()
    elif command == "login" and len(args) == 2:
        login(*args)
    elif command == "describe" and not args:
        describe()
    else:
        sys.exit(__doc__)
