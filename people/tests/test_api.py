import pytest

from people.models import PersonSkill, Site
from people.tests.helpers import give, picture

pytestmark = pytest.mark.django_db


def test_it_lists_people_with_directory_filters(personas, client_for, tree):
    give(personas.mo, tree.django, PersonSkill.Direction.TEACHES, PersonSkill.Level.ADVANCED)
    give(personas.lee, tree.python, PersonSkill.Direction.TEACHES, PersonSkill.Level.EXPERT)
    client = client_for(personas.alice)
    experts = client.get("/api/people/", {"skill": "Programming", "direction": "teaches"}).json()
    assert [p["username"] for p in experts["items"]] == ["lee", "mo"]
    assert experts["items"][1]["skills"][0] == {
        "id": personas.mo.skills.get().pk,
        "skill": "django",
        "skill_name": "Django",
        "direction": "teaches",
        "level": 3,
    }
    assert [p["username"] for p in client.get("/api/people/", {"q": "olly"}).json()["items"]] == ["olly"]


def test_it_answers_bad_filters_with_a_detail(personas, client_for):
    client = client_for(personas.alice)
    response = client.get("/api/people/", {"skill": "Underwater basket weaving"})
    assert response.status_code == 400 and "no skill called" in response.json()["detail"]
    assert client.get("/api/people/", {"direction": "sideways"}).status_code == 400
    assert client.get("/api/people/", {"site": 999}).status_code == 404


def test_it_shows_a_person_only_to_those_who_may_see_them(personas, client_for):
    assert client_for(personas.alice).get("/api/people/olly").json()["name"] == "Olly Outsider"
    response = client_for(personas.gus).get("/api/people/olly")
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}
    assert client_for(None).get("/api/people/olly").status_code == 401


def test_it_updates_only_the_given_fields_of_your_own_profile(personas, client_for):
    site = Site.objects.create(name="Berlin")
    personas.alice.bio = "Keep me."
    personas.alice.save()
    payload = {"job_title": "Analyst", "site": site.pk, "languages": ["de", "en-gb"], "time_zone": "Europe/Berlin"}
    response = client_for(personas.alice).patch("/api/people/me", payload, content_type="application/json")
    body = response.json()
    assert response.status_code == 200 and body["job_title"] == "Analyst" and body["site"]["name"] == "Berlin"
    assert body["languages"] == ["de", "en-GB"] and body["bio"] == "Keep me."


def test_it_refuses_bad_profile_values_with_a_detail(personas, client_for):
    client = client_for(personas.alice)
    response = client.patch("/api/people/me", {"languages": ["klingon"]}, content_type="application/json")
    assert response.status_code == 400 and "ISO 639-1" in response.json()["detail"]
    response = client.patch("/api/people/me", {"time_zone": "Mars/Base"}, content_type="application/json")
    assert response.status_code == 400 and "time zone" in response.json()["detail"]
    response = client.patch("/api/people/me", {"job_title": "x" * 500}, content_type="application/json")
    assert response.status_code == 400 and "at most 120 characters" in response.json()["detail"]


def test_it_clears_the_site_with_null(personas, client_for):
    personas.alice.site = Site.objects.create(name="Oslo")
    personas.alice.save()
    client_for(personas.alice).patch("/api/people/me", {"site": None}, content_type="application/json")
    personas.alice.refresh_from_db()
    assert personas.alice.site is None


def test_it_adds_and_removes_your_own_skills(personas, client_for, tree):
    client = client_for(personas.alice)
    payload = {"skill": "py", "direction": "wants", "level": 1}
    response = client.post("/api/people/me/skills", payload, content_type="application/json")
    assert response.status_code == 201 and response.json()["skill"] == "python"
    theirs = give(personas.mo, tree.django)
    assert client.delete(f"/api/people/me/skills/{theirs.pk}").status_code == 404
    assert client.delete(f"/api/people/me/skills/{response.json()['id']}").status_code == 204
    assert not personas.alice.skills.exists() and personas.mo.skills.exists()


def test_it_refuses_an_unknown_skill_or_level(personas, client_for, tree):
    client = client_for(personas.alice)
    response = client.post("/api/people/me/skills", {"skill": "Juggling"}, content_type="application/json")
    assert response.status_code == 400 and "Juggling" in response.json()["detail"]
    response = client.post("/api/people/me/skills", {"skill": "Python", "level": 9}, content_type="application/json")
    assert response.status_code == 400 and "level" in response.json()["detail"]


def test_it_uploads_a_photo_and_refuses_other_files(personas, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(personas.alice)
    response = client.post("/api/people/me/photo", {"photo": picture()})
    assert response.status_code == 200 and response.json()["photo_url"] == "/people/alice/photo"
    fake = SimpleUploadedFile("x.png", b"hello", content_type="image/png")
    response = client.post("/api/people/me/photo", {"photo": fake})
    assert response.status_code == 400 and "not a picture" in response.json()["detail"]


def test_it_searches_the_skills(personas, client_for, tree):
    client = client_for(personas.gus)
    assert [s["slug"] for s in client.get("/api/skills/", {"q": "python 3"}).json()["items"]] == ["python"]
    under = client.get("/api/skills/", {"parent": "programming"}).json()["items"]
    assert [s["name"] for s in under] == ["Python"] and under[0]["alt_labels"] == ["py", "Python 3"]


def test_it_gives_a_skill_with_its_experts(personas, client_for, tree):
    give(personas.mo, tree.django, PersonSkill.Direction.TEACHES, PersonSkill.Level.EXPERT)
    give(personas.olly, tree.python, PersonSkill.Direction.TEACHES, PersonSkill.Level.BEGINNER)
    body = client_for(personas.alice).get("/api/skills/python").json()
    assert [e["username"] for e in body["experts"]] == ["mo", "olly"] and body["experts"][0]["level"] == 4
    assert body["broader"] == [{"slug": "programming", "name": "Programming"}]
    assert body["narrower"] == [{"slug": "django", "name": "Django"}]
    guest = client_for(personas.gus).get("/api/skills/python").json()
    assert [e["username"] for e in guest["experts"]] == ["mo"]
    assert client_for(personas.alice).get("/api/skills/nope").status_code == 404
