"""The top bar: its sections with the current one marked, and a menu with what each person looks after."""

import pytest


@pytest.mark.parametrize(
    ("path", "current"),
    [("/links/", "Links"), ("/links/boards/", "Boards"), ("/wiki/", "Wiki"), ("/browse/", "Browse")],
)
def test_the_current_section_is_marked(client, personas, path, current):
    client.force_login(personas.alice)
    body = client.get(path).content.decode()
    nav = body[body.index('<ul class="nav-links">') : body.index("</ul>", body.index('<ul class="nav-links">'))]
    assert nav.count('aria-current="page"') == 1
    assert f'aria-current="page">{current}</a>' in nav


def test_curators_find_what_they_look_after_in_the_menu_and_learners_do_not(client, personas):
    client.force_login(personas.lee)
    body = client.get("/browse/").content.decode()
    assert 'href="/reviews/moderation/">Reported reviews' in body and 'href="/catalog/curate/"' in body
    assert "Site settings" not in body
    client.force_login(personas.alice)
    body = client.get("/browse/").content.decode()
    assert "Reported reviews" not in body and "Mentoring programmes" not in body


def test_administrators_also_find_the_site_settings(client, personas):
    client.force_login(personas.ada)
    body = client.get("/browse/").content.decode()
    assert 'href="/settings/site/">Site settings' in body and "Reported reviews" in body
