import pytest
from django.test import Client

from api.services import create_token
from core.models import Item, SiteConfig, Visibility
from files.tests import samples
from files.tests.conftest import stored_files

pytestmark = pytest.mark.django_db

URL = "/api/files/"


def bearer(user) -> dict:
    _, secret = create_token(user=user, name="tests")
    return {"Authorization": f"Bearer {secret}"}


def test_it_uploads_through_the_api_with_a_token(personas):
    response = Client().post(
        URL,
        {
            "file": samples.upload("road_map.png", samples.png()),
            "space": "team",
            "visibility": "space",
            "tags": "plans",
        },
        headers=bearer(personas.alice),
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["title"], body["space"], body["family"], body["content_type"]) == (
        "Road map",
        "team",
        "image",
        "image/png",
    )
    assert body["tags"] == ["plans"] and body["width"] == 64 and body["thumbnail_url"]
    assert Item.objects.get().pk == body["id"]


@pytest.mark.parametrize(
    ("name", "data", "status"),
    [
        ("invoice.pdf", samples.HTML, 415),
        ("invoice.pdf", samples.png(), 400),
        ("photo.png", samples.noisy_png()[:300], 400),
        ("setup.exe", samples.ELF, 415),
    ],
)
def test_it_answers_refused_uploads_with_a_detail_and_the_right_status(
    personas, client_for, settings, name, data, status
):
    response = client_for(personas.alice).post(URL, {"file": samples.upload(name, data)})
    assert response.status_code == status
    assert isinstance(response.json()["detail"], str)
    assert not Item.objects.exists() and stored_files(settings) == []


def test_it_answers_an_oversized_upload_with_413(personas, client_for, settings):
    settings.WATERCOOLER_MAX_UPLOAD_MB = 1
    response = client_for(personas.alice).post(URL, {"file": samples.upload("big.csv", b"a,b\n" * 300_000)})
    assert response.status_code == 413 and "limit" in response.json()["detail"]


def test_it_refuses_posting_in_a_space_the_caller_is_not_in(personas, client_for):
    client = client_for(personas.olly)
    assert client.post(URL, {"file": samples.upload("a.txt", b"hi"), "space": "team"}).status_code == 404
    assert client.post(URL, {"file": samples.upload("a.txt", b"hi"), "visibility": "space"}).status_code == 400
    assert not Item.objects.exists()


def test_it_lists_only_files_the_caller_may_see_with_filters(personas, client_for, make_file):
    make_file(title="Team plan", space=personas.team)
    make_file(title="Org photo", name="a.png", data=samples.png(), owner=personas.mo)
    olly = client_for(personas.olly).get(URL).json()
    assert [row["title"] for row in olly["items"]] == ["Org photo"]
    alice = client_for(personas.alice)
    assert [r["title"] for r in alice.get(URL, {"family": "image"}).json()["items"]] == ["Org photo"]
    assert [r["title"] for r in alice.get(URL, {"space": "team"}).json()["items"]] == ["Team plan"]
    assert alice.get(URL, {"owner": "nobody"}).json()["items"] == []


def test_it_hides_a_team_file_from_outsiders(personas, client_for, make_file):
    item = make_file(space=personas.team)
    olly = client_for(personas.olly)
    for method, path in [("get", ""), ("get", "/download"), ("patch", ""), ("delete", "")]:
        response = getattr(olly, method)(f"{URL}{item.pk}{path}", {}, content_type="application/json")
        assert response.status_code == 404, (method, path)
        assert response.json() == {"detail": "Not found."}


def test_it_updates_only_the_fields_given(personas, client_for, make_file):
    item = make_file(title="Draft", summary="Keep me", tags=["old"])
    response = client_for(personas.alice).patch(
        f"{URL}{item.pk}", {"title": "Final", "tags": ["new"]}, content_type="application/json"
    )
    assert response.status_code == 200
    assert (response.json()["title"], response.json()["summary"], response.json()["tags"]) == (
        "Final",
        "Keep me",
        ["new"],
    )


def test_it_refuses_updates_from_viewers_and_bad_visibilities(personas, client_for, make_file):
    item = make_file()
    patch = {"title": "Mine"}
    assert client_for(personas.mo).patch(f"{URL}{item.pk}", patch, content_type="application/json").status_code == 403
    public = client_for(personas.alice).patch(
        f"{URL}{item.pk}", {"visibility": "public"}, content_type="application/json"
    )
    assert public.status_code == 400 and "public" in public.json()["detail"]


def test_it_shows_who_a_file_is_shared_with_only_to_its_owner(personas, client_for, make_file):
    item = make_file(visibility=Visibility.PEOPLE, shared_with=[personas.mo])
    assert client_for(personas.alice).get(f"{URL}{item.pk}").json()["shared_with"] == ["mo"]
    assert client_for(personas.mo).get(f"{URL}{item.pk}").json()["shared_with"] is None


def test_it_replaces_the_content_through_the_api(personas, client_for, make_file):
    item = make_file(name="plan.txt", data=b"one")
    client = client_for(personas.alice)
    refused = client.post(f"{URL}{item.pk}/content", {"file": samples.upload("plan.docx", samples.zip_bomb_docx())})
    assert refused.status_code == 400
    response = client.post(f"{URL}{item.pk}/content", {"file": samples.upload("plan.pdf", samples.PDF)})
    assert response.status_code == 200 and response.json()["content_type"] == "application/pdf"


def test_it_deletes_and_downloads(personas, client_for, make_file):
    item = make_file(name="minutes.txt", data=b"All agreed.")
    client = client_for(personas.alice)
    download = client.get(f"{URL}{item.pk}/download", headers={"Range": "bytes=4-"})
    assert download.status_code == 206 and b"".join(download.streaming_content) == b"agreed."
    assert client.delete(f"{URL}{item.pk}").status_code == 204
    assert client.get(f"{URL}{item.pk}").status_code == 404


def test_it_lets_anonymous_callers_read_public_files_only_when_the_site_allows(personas, make_file):
    config = SiteConfig.load()
    config.public_web = True
    config.save()
    item = make_file(visibility=Visibility.PUBLIC)
    make_file(title="Internal")
    assert [r["id"] for r in Client().get(URL).json()["items"]] == [item.pk]
    config.public_web = False
    config.save()
    assert Client().get(f"{URL}{item.pk}").status_code == 404
