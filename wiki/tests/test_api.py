"""The wiki's JSON API at /api/wiki/ (mounted by api.api.mount_routers)."""

import pytest
from django.test import Client

from api.services import create_token
from core.models import SiteConfig, Visibility
from spaces.models import Membership, Space
from tests.factories import SpaceFactory
from wiki import services
from wiki.models import Revision

pytestmark = pytest.mark.django_db

URL = "/api/wiki/pages"

TEXT = (
    "# Onboarding\n\nWelcome to the team.\n\n"
    "## Laptop\n\nAsk IT for a laptop.\n\n"
    "## Badge\n\nCollect it at reception.\n"
)


def page(author, title="Onboarding", text=TEXT, *, space=None, parent=None, visibility=Visibility.SPACE, tags=()):
    return services.create_page(
        author=author, title=title, text=text, space=space, parent=parent, visibility=visibility, tags=tags
    )


def save(page, author, text, base):
    return services.save_page(page=page, author=author, text=text, base_number=base)


def put(client, pk, body):
    return client.put(f"{URL}/{pk}", body, content_type="application/json")


def post(client, body):
    return client.post(URL, body, content_type="application/json")


def bearer(user) -> dict:
    _, secret = create_token(user=user, name="tests")
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def onboarding(personas):
    return page(personas.alice, space=personas.team, tags=["Guides"])


# ------------------------------------------------------------------------------------------------ read


def test_it_lists_only_pages_the_caller_may_see(personas, client_for, onboarding):
    page(personas.olly, "Elsewhere notes", space=personas.elsewhere)
    page(personas.mo, "Open to all", space=personas.team, visibility=Visibility.ORGANISATION)
    alice = client_for(personas.alice).get(URL).json()
    olly = client_for(personas.olly).get(URL).json()
    assert sorted(row["title"] for row in alice["items"]) == ["Onboarding", "Open to all"]
    assert sorted(row["title"] for row in olly["items"]) == ["Elsewhere notes", "Open to all"]


def test_it_filters_pages_by_space_and_by_parent_in_their_order(personas, client_for, onboarding):
    second = page(personas.mo, "Second", space=personas.team, parent=onboarding)
    first = page(personas.alice, "First", space=personas.team, parent=onboarding)
    page(personas.alice, "My own notes", visibility=Visibility.PRIVATE)
    client = client_for(personas.alice)
    in_team = client.get(URL, {"space": "team"}).json()["items"]
    assert sorted(row["title"] for row in in_team) == ["First", "Onboarding", "Second"]
    children = client.get(URL, {"parent": onboarding.pk}).json()["items"]
    assert [(row["title"], row["parent"]) for row in children] == [("Second", onboarding.pk), ("First", onboarding.pk)]
    assert second.position < first.position


def test_it_answers_an_empty_list_for_a_space_or_parent_the_caller_cannot_see(personas, client_for, onboarding):
    page(personas.alice, "Child", space=personas.team, parent=onboarding)
    client = client_for(personas.olly)
    assert client.get(URL, {"space": "team"}).json() == {"items": [], "count": 0}
    assert client.get(URL, {"parent": onboarding.pk}).json() == {"items": [], "count": 0}


def test_it_lists_pages_in_the_same_number_of_queries_however_many_there_are(
    personas, client_for, onboarding, django_assert_max_num_queries
):
    client = client_for(personas.alice)
    client.get(URL)  # warm the session and site settings
    with django_assert_max_num_queries(12) as few:
        client.get(URL)
    for n in range(6):
        page(personas.mo, f"Page {n}", space=personas.team, tags=[f"tag {n}"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(URL).json()["count"] == 7


def test_it_reads_a_page_with_its_text_rendered_html_and_revision(personas, client_for, onboarding):
    body = client_for(personas.gus).get(f"{URL}/{onboarding.pk}").json()
    assert (body["id"], body["title"], body["space"], body["owner"]) == (onboarding.pk, "Onboarding", "team", "alice")
    assert body["text"] == TEXT and body["revision"] == 1 and body["revision_count"] == 1
    assert '<h2 id="laptop">Laptop</h2>' in body["html"]
    assert [h["anchor"] for h in body["toc"]] == ["onboarding", "laptop", "badge"]
    assert body["current"]["author"] == "alice" and body["current"]["base"] is None
    assert body["tags"] == ["guides"] and body["wiki_url"] == "/wiki/s/team/onboarding/"


def test_it_hides_a_page_from_callers_who_may_not_see_it(personas, client_for, onboarding):
    for path in ("", "/revisions", "/revisions/1", "/diff", "/attribution"):
        response = client_for(personas.olly).get(f"{URL}/{onboarding.pk}{path}")
        assert response.status_code == 404, path
        assert response.json() == {"detail": "Not found."}


def test_it_answers_404_for_an_item_that_is_not_a_page(personas, client_for):
    from core.services import create_item

    item = create_item(owner=personas.alice, kind="file", title="Not a page", visibility=Visibility.ORGANISATION)
    response = client_for(personas.alice).get(f"{URL}/{item.pk}")
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}


def test_anonymous_callers_read_public_pages_when_the_site_allows_them(personas, onboarding):
    config = SiteConfig.load()
    config.public_web = True
    config.save()
    public = page(personas.alice, "Public guide", "Hello.\n", visibility=Visibility.PUBLIC)
    assert Client().get(f"{URL}/{public.pk}").json()["html"] == "<p>Hello.</p>\n"
    assert [row["title"] for row in Client().get(URL).json()["items"]] == ["Public guide"]
    assert Client().get(f"{URL}/{onboarding.pk}").status_code == 404


# ---------------------------------------------------------------------------------------------- create


def test_it_creates_a_page_in_a_space_under_a_parent(personas, client_for, onboarding):
    body = {"title": "Day one", "text": "Arrive at *nine*.\n", "space": "team", "parent": onboarding.pk}
    response = post(
        client_for(personas.gus), body | {"visibility": "space", "tags": ["Guides"], "summary": "First draft"}
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["title"], body["space"], body["parent"], body["owner"]) == ("Day one", "team", onboarding.pk, "gus")
    assert body["html"] == "<p>Arrive at <em>nine</em>.</p>\n"
    assert (body["revision"], body["current"]["summary"]) == (1, "First draft")
    assert Revision.objects.get(page_id=body["id"]).text == "Arrive at *nine*.\n"


def test_it_creates_a_page_in_the_callers_own_area(personas, client_for):
    response = post(client_for(personas.olly), {"title": "Scratchpad", "visibility": "private"})
    assert response.status_code == 201
    body = response.json()
    assert body["space"] is None and body["text"] == "" and body["wiki_url"] == "/wiki/~olly/scratchpad/"


def test_it_refuses_writing_in_a_space_the_caller_is_not_in(personas, client_for):
    open_space = SpaceFactory(name="Open", slug="open", created_by=personas.mo, visibility=Space.Visibility.OPEN)
    Membership.objects.create(space=open_space, user=personas.mo, role=Membership.Role.OWNER)
    client = client_for(personas.olly)
    assert post(client, {"title": "Hidden", "space": "team"}).status_code == 404
    refused = post(client, {"title": "Not mine", "space": "open"})
    assert refused.status_code == 403 and "members" in refused.json()["detail"]
    assert not Revision.objects.exists()


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"title": "   "}, 400, "needs a title"),
        ({"title": "A [[link]]"}, 400, "cannot contain"),
        ({"title": "Mine", "visibility": "space"}, 400, "space"),
        ({"title": "Shared", "visibility": "people", "shared_with": ["nobody"]}, 400, "nobody"),
        ({"title": "Nul", "text": "a\x00b"}, 400, "NUL"),
        ({"title": "Orphan", "parent": 999999}, 404, "Not found"),
        ({"title": "Odd", "visibility": "secret"}, 422, ""),
    ],
)
def test_it_refuses_bad_input_with_a_detail(personas, client_for, body, status, words):
    response = post(client_for(personas.alice), body)
    assert response.status_code == status
    assert words in str(response.json()["detail"])
    assert not Revision.objects.exists()


def test_anonymous_callers_cannot_write(personas, onboarding):
    assert post(Client(), {"title": "Drive-by"}).status_code == 401
    assert put(Client(), onboarding.pk, {"text": "x", "base_revision": 1}).status_code == 401


# ---------------------------------------------------------------------------------------------- update


def test_it_saves_an_edit_made_from_the_current_revision(personas, client_for, onboarding):
    edited = TEXT.replace("a laptop", "a laptop and a charger")
    response = put(
        client_for(personas.gus),
        onboarding.pk,
        {"text": edited, "base_revision": 1, "summary": "Charger", "minor": True},
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["revision"], body["text"], body["current"]["author"]) == (2, edited, "gus")
    assert (body["current"]["summary"], body["current"]["minor"], body["current"]["merged"]) == ("Charger", True, False)
    assert "a laptop and a charger" in body["html"] and body["current"]["base"] == 1


def test_it_saves_through_a_token(personas, onboarding):
    response = Client().put(
        f"{URL}/{onboarding.pk}",
        {"text": "Short now.\n", "base_revision": 1, "title": "Onboarding, briefly"},
        content_type="application/json",
        headers=bearer(personas.mo),
    )
    assert response.status_code == 200
    assert (response.json()["title"], response.json()["text"]) == ("Onboarding, briefly", "Short now.\n")


def test_it_merges_an_edit_from_an_older_revision_with_changes_saved_meanwhile(personas, client_for, onboarding):
    save(onboarding, personas.mo, TEXT.replace("Welcome to the team.", "Welcome aboard!"), 1)
    mine = TEXT.replace("Collect it at reception.", "Collect it at the front desk.")
    response = put(client_for(personas.alice), onboarding.pk, {"text": mine, "base_revision": 1})
    assert response.status_code == 200
    body = response.json()
    assert body["revision"] == 3 and body["current"]["merged"] and body["current"]["base"] == 1
    assert "Welcome aboard!" in body["text"] and "the front desk" in body["text"]


def test_it_answers_an_overlapping_edit_with_409_and_saves_nothing(personas, client_for, onboarding):
    save(onboarding, personas.mo, TEXT.replace("Ask IT for a laptop.", "Order a laptop online."), 1)
    mine = TEXT.replace("Ask IT for a laptop.", "Ask Sam for a laptop.")
    response = put(client_for(personas.alice), onboarding.pk, {"text": mine, "base_revision": 1})
    assert response.status_code == 409
    body = response.json()
    assert "nothing was saved" in body["detail"]
    assert (body["conflict"]["base"], body["conflict"]["theirs"]) == (1, 2)
    marked = body["conflict"]["marked"]
    assert "<<<<<<< your version\nAsk Sam for a laptop.\n=======\nOrder a laptop online.\n>>>>>>>" in marked
    assert Revision.objects.filter(page=onboarding).count() == 2


def test_a_resolved_conflict_saves_from_the_revision_it_reports(personas, client_for, onboarding):
    save(onboarding, personas.mo, TEXT.replace("Ask IT for a laptop.", "Order a laptop online."), 1)
    client = client_for(personas.alice)
    conflict = put(client, onboarding.pk, {"text": TEXT.replace("Ask IT", "Ask Sam"), "base_revision": 1}).json()
    resolved = TEXT.replace("Ask IT for a laptop.", "Order a laptop online, or ask Sam.")
    response = put(client, onboarding.pk, {"text": resolved, "base_revision": conflict["conflict"]["theirs"]})
    assert response.status_code == 200 and response.json()["text"] == resolved


def test_an_edit_that_changes_nothing_keeps_the_revision(personas, client_for, onboarding):
    response = put(client_for(personas.alice), onboarding.pk, {"text": TEXT, "base_revision": 1})
    assert response.status_code == 200 and response.json()["revision"] == 1
    assert Revision.objects.filter(page=onboarding).count() == 1


@pytest.mark.parametrize("base", [0, 2, -1])
def test_it_refuses_an_edit_from_a_revision_that_does_not_exist(personas, client_for, onboarding, base):
    response = put(client_for(personas.alice), onboarding.pk, {"text": "x", "base_revision": base})
    assert response.status_code == 400 and f"no revision {base}" in response.json()["detail"]


def test_it_refuses_an_edit_by_someone_who_may_only_read(personas, client_for):
    shared = page(personas.mo, "Team handbook", space=personas.team, visibility=Visibility.ORGANISATION)
    response = put(client_for(personas.olly), shared.pk, {"text": "Vandalised", "base_revision": 1})
    assert response.status_code == 403 and response.json()["detail"] == "You cannot edit this page."
    assert Revision.objects.filter(page=shared).count() == 1


# ------------------------------------------------------------------------------------ revisions, diffs


def test_it_lists_revisions_newest_first_without_their_texts(personas, client_for, onboarding):
    save(onboarding, personas.mo, TEXT + "More.\n", 1)
    save(onboarding, personas.gus, TEXT.replace("# Onboarding", "# Welcome"), 1)  # merged with mo's
    rows = client_for(personas.alice).get(f"{URL}/{onboarding.pk}/revisions").json()["items"]
    assert [(r["number"], r["author"], r["base"], r["merged"]) for r in rows] == [
        (3, "gus", 1, True),
        (2, "mo", 1, False),
        (1, "alice", None, False),
    ]
    assert "text" not in rows[0] and rows[1]["size"] == len(TEXT + "More.\n")


def test_it_reads_an_old_revision_with_its_text_and_html(personas, client_for, onboarding):
    save(onboarding, personas.mo, "Replaced.\n", 1)
    client = client_for(personas.alice)
    body = client.get(f"{URL}/{onboarding.pk}/revisions/1").json()
    assert (body["number"], body["author"], body["text"]) == (1, "alice", TEXT)
    assert '<h1 id="onboarding">Onboarding</h1>' in body["html"]
    missing = client.get(f"{URL}/{onboarding.pk}/revisions/9")
    assert missing.status_code == 404 and missing.json()["detail"] == "This page has no revision 9."


def test_it_diffs_the_latest_change_by_default_with_word_segments(personas, client_for, onboarding):
    save(onboarding, personas.mo, TEXT.replace("Ask IT for a laptop.", "Ask IT for a new laptop."), 1)
    body = client_for(personas.alice).get(f"{URL}/{onboarding.pk}/diff", {"context": 1}).json()
    assert (body["old"], body["new"]) == (1, 2)
    (hunk,) = body["hunks"]
    assert (hunk["old_start"], hunk["old_count"], hunk["new_start"], hunk["new_count"]) == (6, 3, 6, 3)
    changed = [line for line in hunk["lines"] if line["op"] != "equal"]
    assert [(line["op"], line["paired"]) for line in changed] == [("delete", True), ("insert", True)]
    assert {"op": "insert", "text": "new "} in changed[1]["segments"]


def test_it_diffs_any_two_revisions_either_way_and_whole(personas, client_for, onboarding):
    save(onboarding, personas.mo, TEXT + "Two.\n", 1)
    save(onboarding, personas.mo, TEXT + "Two.\nThree.\n", 2)
    client = client_for(personas.alice)
    body = client.get(f"{URL}/{onboarding.pk}/diff", {"from": 3, "to": 1, "whole": True}).json()
    (hunk,) = body["hunks"]
    assert (body["old"], body["new"]) == (3, 1)
    assert [line["op"] for line in hunk["lines"]].count("delete") == 2 and len(hunk["lines"]) == 13
    assert client.get(f"{URL}/{onboarding.pk}/diff", {"from": 2, "to": 2}).json()["hunks"] == []


@pytest.mark.parametrize(("query", "status"), [({"from": 7}, 404), ({"to": 0}, 404), ({"context": -1}, 422)])
def test_it_refuses_diffs_of_revisions_that_do_not_exist(personas, client_for, onboarding, query, status):
    response = client_for(personas.alice).get(f"{URL}/{onboarding.pk}/diff", query)
    assert response.status_code == status and response.json()["detail"]


def test_it_attributes_each_line_to_the_revision_and_person_that_last_wrote_it(personas, client_for, onboarding):
    save(onboarding, personas.mo, TEXT.replace("Ask IT for a laptop.", "Order a laptop online."), 1)
    body = client_for(personas.alice).get(f"{URL}/{onboarding.pk}/attribution").json()
    assert body["revision"] == 2
    assert len(body["lines"]) == len(TEXT.splitlines())
    assert body["lines"][6] == {"number": 7, "text": "Order a laptop online.", "revision": 2, "author": "mo"}
    assert body["lines"][0] == {"number": 1, "text": "# Onboarding", "revision": 1, "author": "alice"}
    shares = {c["author"]: (c["lines"], c["share"]) for c in body["contributors"]}
    assert shares == {"alice": (10, round(100 * 10 / 11, 2)), "mo": (1, round(100 / 11, 2))}
