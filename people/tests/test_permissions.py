"""Every people page and endpoint for every persona: who gets it, who is sent to sign in, who gets 404."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

EVERYONE = {"alice": 200, "mo": 200, "lee": 200, "ada": 200, "gus": 200, "olly": 200, None: 302}
CURATORS = {"alice": 404, "mo": 404, "lee": 200, "ada": 200, "gus": 404, "olly": 404, None: 302}
ADMINS = {"alice": 404, "mo": 404, "lee": 404, "ada": 200, "gus": 404, "olly": 404, None: 302}
NOT_GUESTS = EVERYONE | {"gus": 404}
# Gus the guest sees only the people of his spaces (alice, mo and himself).
OLLYS_PROFILE = EVERYONE | {"gus": 404}

PAGES = [
    (("people:directory", []), EVERYONE),
    (("people:profile", ["alice"]), EVERYONE),
    (("people:profile", ["olly"]), OLLYS_PROFILE),
    (("people:edit", []), EVERYONE),
    (("people:skills", []), EVERYONE),
    (("people:skill", ["python"]), EVERYONE),
    (("people:skill-autocomplete", []), EVERYONE),
    (("people:skill-import", []), CURATORS),
    (("people:invite-new", []), NOT_GUESTS),
    (("settings:site", []), ADMINS),
]
API = [
    ("/api/people/", 200),
    ("/api/people/me", 200),
    ("/api/people/alice", 200),
    ("/api/skills/", 200),
    ("/api/skills/python", 200),
]


@pytest.mark.parametrize(("route", "expected"), PAGES, ids=[p[0][0] for p in PAGES])
@pytest.mark.parametrize("who", list(EVERYONE))
def test_it_answers_each_persona_as_the_access_rule_says(personas, client_for, tree, route, expected, who):
    name, args = route
    response = client_for(getattr(personas, who) if who else None).get(reverse(name, args=args))
    assert response.status_code == expected[who]


@pytest.mark.parametrize(("path", "status"), API)
@pytest.mark.parametrize("who", list(EVERYONE))
def test_it_answers_the_api_for_each_persona(personas, client_for, tree, path, status, who):
    response = client_for(getattr(personas, who) if who else None).get(path)
    assert response.status_code == (status if who else 401)
    assert who or response.json() == {"detail": "Authentication required."}


def test_it_hides_olly_from_the_guest_in_the_api_too(personas, client_for):
    assert client_for(personas.gus).get("/api/people/olly").status_code == 404
    usernames = {p["username"] for p in client_for(personas.gus).get("/api/people/").json()["items"]}
    assert usernames == {"alice", "gus", "mo"}


def test_the_openapi_schema_describes_the_people_and_skills_endpoints(personas, client_for):
    paths = client_for(personas.alice).get("/api/openapi.json").json()["paths"]
    assert {"/api/people/", "/api/people/me", "/api/people/me/skills", "/api/skills/{slug}"} <= set(paths)
