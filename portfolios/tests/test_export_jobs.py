"""Export and import pages, background export jobs and the transfer API: each job is its owner's alone."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from ninja.testing import TestClient

from portfolios import leap2a, tasks
from portfolios.api.transfer import router
from portfolios.models import ExportJob, ImportJob, Portfolio
from portfolios.tests.test_leap2a_world import build_world
from tests.shared_data import SHARED_DATA

MAHARA = SHARED_DATA / "leap2a" / "mahara_behat_leap2a_2022.xml"


def _mahara_upload():
    return SimpleUploadedFile(MAHARA.name, MAHARA.read_bytes(), content_type="application/xml")


def test_an_export_runs_in_the_background_and_its_owner_downloads_it(personas, client_for, run_on_commit):
    world = build_world(personas)
    client = client_for(personas.alice)
    with run_on_commit(execute=True):
        response = client.post("/portfolios/export/", {"portfolio": str(world["show"].pk), "format": "leap2a"})
    job = ExportJob.objects.get(owner=personas.alice)
    assert response.status_code == 302 and response["Location"] == f"/portfolios/export/{job.pk}/"
    assert job.state == ExportJob.State.DONE and job.done == job.total > 0  # the test task backend runs at once
    download = client.get(f"/portfolios/export/{job.pk}/download")
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert "leap2a.xml" in archive.namelist()


def test_nobody_else_sees_or_downloads_an_export(personas, client_for):
    build_world(personas)
    job = tasks.create_export_job(owner=personas.alice, format="html")
    for someone in (personas.mo, personas.ada):
        assert client_for(someone).get(f"/portfolios/export/{job.pk}/").status_code == 404
        assert client_for(someone).get(f"/portfolios/export/{job.pk}/download").status_code == 404


def test_nobody_exports_someone_elses_portfolio(personas, client_for):
    world = build_world(personas)
    response = client_for(personas.mo).post(
        "/portfolios/export/", {"portfolio": str(world["show"].pk), "format": "leap2a"}
    )
    assert response.status_code == 400 and not ExportJob.objects.exists()


def test_the_progress_fragment_polls_until_the_export_is_ready(personas, client_for):
    job = ExportJob.objects.create(owner=personas.alice, format="leap2a", state="running", done=3, total=12)
    response = client_for(personas.alice).get(f"/portfolios/export/{job.pk}/", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html and 'hx-trigger="every 1s"' in html and "25% written" in html


def test_a_failed_export_is_recorded_with_its_reason(personas, monkeypatch, run_on_commit):
    def broken(out, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(leap2a, "write_leap2a", broken)
    with run_on_commit(execute=True):
        job = tasks.create_export_job(owner=personas.alice, format="leap2a")
    job.refresh_from_db()
    assert job.state == ExportJob.State.FAILED and "OSError" in job.error and not job.file


def test_a_person_keeps_only_their_last_exports(personas, run_on_commit):
    for _ in range(tasks.KEEP_EXPORTS + 2):
        with run_on_commit(execute=True):
            tasks.create_export_job(owner=personas.alice, format="leap2a")
    assert ExportJob.objects.filter(owner=personas.alice).count() == tasks.KEEP_EXPORTS + 1


def _export_page_queries(client, django_assert_max_num_queries) -> int:
    with django_assert_max_num_queries(50) as captured:
        assert client.get("/portfolios/export/").status_code == 200
    return len(captured)


def test_the_export_page_costs_the_same_queries_with_more_portfolios(
    personas, client_for, no_page_cache, django_assert_max_num_queries
):
    from portfolios import services

    client = client_for(personas.alice)
    services.create_portfolio(owner=personas.alice, title="First", guided=False)
    tasks.create_export_job(owner=personas.alice, format="html")
    client.get("/portfolios/export/")  # the site's settings and brand are cached by the first page
    few = _export_page_queries(client, django_assert_max_num_queries)
    for n in range(20):
        services.create_portfolio(owner=personas.alice, title=f"P{n}", guided=False)
        tasks.create_export_job(owner=personas.alice, format="html")
    assert _export_page_queries(client, django_assert_max_num_queries) == few


def test_an_import_is_previewed_then_confirmed(personas, client_for):
    client = client_for(personas.alice)
    response = client.post("/portfolios/import/", {"file": _mahara_upload()})
    job = ImportJob.objects.get(owner=personas.alice)
    assert response.status_code == 302
    preview = client.get(f"/portfolios/import/{job.pk}/").content.decode()
    assert "nothing is saved yet" in preview and "Dashboard page" in preview
    assert not Portfolio.objects.filter(item__owner=personas.alice).exists()
    assert client.post(f"/portfolios/import/{job.pk}/").status_code == 302
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE and not job.upload
    assert Portfolio.objects.filter(item__owner=personas.alice).count() == 2
    assert "Imported" in client.get(f"/portfolios/import/{job.pk}/").content.decode()


def test_confirming_twice_imports_once(personas, client_for):
    client = client_for(personas.alice)
    client.post("/portfolios/import/", {"file": _mahara_upload()})
    job = ImportJob.objects.get()
    client.post(f"/portfolios/import/{job.pk}/")
    client.post(f"/portfolios/import/{job.pk}/")
    assert Portfolio.objects.filter(item__owner=personas.alice).count() == 2


def test_a_bad_upload_is_refused_on_the_form_with_nothing_kept(personas, client_for):
    bad = SimpleUploadedFile("export.zip", b"PK\x03\x04broken")
    response = client_for(personas.alice).post("/portfolios/import/", {"file": bad})
    assert response.status_code == 400 and "not a zip" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_nobody_else_sees_or_confirms_an_import(personas, client_for):
    job = leap2a.create_import_job(user=personas.alice, upload=_mahara_upload())
    for someone in (personas.mo, personas.ada):
        assert client_for(someone).get(f"/portfolios/import/{job.pk}/").status_code == 404
        assert client_for(someone).post(f"/portfolios/import/{job.pk}/").status_code == 404
    assert ImportJob.objects.get().state == ImportJob.State.PLANNED


# --- the API router (portfolios.api.transfer), exercised without mounting it --------------------------


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """The export task is queued when the transaction commits; tests run inside one, so run it then."""
    return django_capture_on_commit_callbacks


@pytest.fixture
def api():
    return TestClient(router)


def test_the_api_starts_an_export_and_serves_it_to_its_owner(personas, api, run_on_commit):
    build_world(personas)
    with run_on_commit(execute=True):
        response = api.post("/exports", json={"format": "leap2a"}, user=personas.alice)
    assert response.status_code == 201 and response.json()["state"] == "queued"
    job = api.get(f"/exports/{response.json()['id']}", user=personas.alice).json()
    assert job["state"] == "done" and job["download"].endswith(f"/exports/{job['id']}/download")
    assert api.get(f"/exports/{job['id']}/download", user=personas.alice).status_code == 200
    assert api.get(f"/exports/{job['id']}", user=personas.mo).status_code == 404
    assert [j["id"] for j in api.get("/exports", user=personas.alice).json()] == [job["id"]]


def test_the_api_refuses_someone_elses_portfolio_and_a_bad_format(personas, api):
    world = build_world(personas)
    assert api.post("/exports", json={"portfolio": world["show"].pk}, user=personas.mo).status_code == 404
    assert api.post("/exports", json={"format": "pdf"}, user=personas.alice).status_code == 422


def test_the_api_plans_an_import_and_confirms_it(personas, api):
    response = api.post("/imports", FILES={"file": _mahara_upload()}, user=personas.alice)
    assert response.status_code == 201
    job = response.json()
    assert job["plan"]["counts"]["portfolios"] == 2 and job["state"] == "planned"
    assert api.post(f"/imports/{job['id']}/confirm", user=personas.mo).status_code == 404
    done = api.post(f"/imports/{job['id']}/confirm", user=personas.alice)
    assert done.status_code == 200 and done.json()["report"]["created"]["portfolios"] == 2
    assert api.post(f"/imports/{job['id']}/confirm", user=personas.alice).status_code == 400


def test_the_api_answers_a_bad_upload_with_its_reason(personas, api):
    bad = SimpleUploadedFile("x.zip", b"nothing")
    response = api.post("/imports", FILES={"file": bad}, user=personas.alice)
    assert response.status_code == 400 and "neither a zip nor an XML" in response.json()["detail"]
