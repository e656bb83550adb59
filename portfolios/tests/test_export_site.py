"""The offline site: a zip of web pages with relative links that all resolve inside the zip."""

import io
import re
import zipfile
from posixpath import dirname, join, normpath

from django.core.management import call_command

from portfolios import export
from portfolios.tests.test_leap2a_world import build_world


def _site(personas, portfolio=None):
    return zipfile.ZipFile(io.BytesIO(export.site_bytes(personas.alice, portfolio)))


def test_the_site_has_an_index_a_stylesheet_a_file_per_page_a_journal_and_the_files(personas):
    world = build_world(personas)
    names = set(_site(personas).namelist())
    folder = f"p{world['show'].pk}-my-best-work"
    assert {"index.html", "style.css", f"{folder}/about-me.html", f"{folder}/work.html"} <= names
    assert f"p{world['process'].pk}-learning-sql/journal.html" in names
    assert sum(1 for n in names if n.startswith("files/")) == 4


def test_every_link_and_image_is_relative_and_found_in_the_zip(personas):
    build_world(personas)
    site = _site(personas)
    names = set(site.namelist())
    for name in names:
        if not name.endswith(".html"):
            continue
        html = site.read(name).decode()
        for target in re.findall(r'(?:href|src)="([^"#]+)"', html):
            if target.startswith(("http://", "https://", "mailto:")):
                assert "/i/" not in target, f"{name} links back to the site: {target}"
                continue
            assert not target.startswith("/"), f"{name}: {target} is not relative"
            assert normpath(join(dirname(name), target)) in names, f"{name}: {target} is missing"


def test_the_owners_site_includes_private_parts_marked(personas):
    world = build_world(personas)
    site = _site(personas)
    about = site.read(f"p{world['show'].pk}-my-best-work/about-me.html").decode()
    assert "Ask for a raise." in about and "Private: only you saw this" in about
    journal = site.read(f"p{world['process'].pk}-learning-sql/journal.html").decode()
    assert "Practise more, privately." in journal and "reflection private" in journal


def test_the_index_lists_skills_with_their_endorsements(personas):
    build_world(personas)
    index = _site(personas).read("index.html").decode()
    assert "Python" in index and "Skilled" in index and "Endorsed by Mo Mentor" in index


def test_a_site_of_one_portfolio_leaves_the_others_out(personas):
    world = build_world(personas)
    names = _site(personas, world["process"]).namelist()
    assert not any(n.startswith(f"p{world['show'].pk}-") for n in names)


def test_the_command_writes_an_offline_site(personas, tmp_path, capsys):
    build_world(personas)
    call_command("export_leap2a", "alice", str(tmp_path / "site.zip"), "--site")
    assert "index.html" in zipfile.ZipFile(tmp_path / "site.zip").namelist()
    assert "2 portfolios" in capsys.readouterr().out
