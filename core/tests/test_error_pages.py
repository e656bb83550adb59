"""Error pages: in the site's frame with a way on, and a signed-out visitor asked to sign in rather than told a
page does not exist."""


def test_a_missing_page_is_in_the_frame_with_search_and_a_way_home(client, personas):
    client.force_login(personas.alice)
    response = client.get("/wiki/999999/history/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Nothing here" in body and 'class="topbar"' in body and 'name="q"' in body


def test_a_signed_out_visitor_is_asked_to_sign_in_and_comes_back(client, db):
    response = client.get("/wiki/999999/history/?tab=1", HTTP_ACCEPT="text/html")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/wiki/999999/history/%3Ftab%3D1"


def test_downloads_feeds_and_the_api_keep_their_404_for_the_signed_out(client, db):
    assert client.get("/links/feeds/people/nobody.atom").status_code == 404
    assert client.get("/wiki/999999/export.md").status_code == 404
    api = client.get("/api/items/999999", HTTP_ACCEPT="text/html")
    assert api.status_code == 404 and api["Content-Type"].startswith("application/json")


def test_a_refusal_says_why_in_the_frame(client, personas):
    client.force_login(personas.alice)  # not a curator
    response = client.get("/wiki/templates/new/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "You can't do that here" in body and "curator" in body and 'class="topbar"' in body


def test_the_500_page_needs_no_database_or_request():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Something went wrong on our side" in html and "nothing you saved is lost" in html
