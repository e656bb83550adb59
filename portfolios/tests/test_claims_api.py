"""The claims API (``portfolios.api.claims.router``): claims, evidence, endorsement requests and frameworks."""

import json

import pytest

from core.models import Visibility
from portfolios import claims
from portfolios.models import ClaimEvidence, EndorsementRequest, Framework, SkillClaim
from portfolios.services import add_block, create_portfolio
from portfolios.tests.test_claims import a_claim, a_file, a_framework, ask, python

pytestmark = pytest.mark.django_db

PREFIX = "/api/portfolios"


def call(client, method, path, body=None):
    if body is None:
        return getattr(client, method)(PREFIX + path)
    return getattr(client, method)(PREFIX + path, data=json.dumps(body), content_type="application/json")


# --- claims ------------------------------------------------------------------------------------------------------


def test_anonymous_callers_are_asked_who_they_are(personas, client):
    assert call(client, "get", "/claims").status_code == 401


def test_a_person_claims_a_skill_with_evidence_and_reads_it_back(personas, client_for):
    python()
    notes = a_file(personas.alice)
    body = {"skill": "python", "level": 3, "statement": "I run it.", "evidence": [{"item": notes.pk, "note": "Design"}]}
    response = call(client_for(personas.alice), "post", "/claims", body)
    assert response.status_code == 201
    claim = response.json()
    assert (claim["level_name"], claim["state"], claim["rubric"]) == ("Advanced", "claimed", claims.TAXONOMY_RUBRIC)
    assert claim["evidence"][0] | {"id": 0} == {
        "id": 0,
        "kind": "item",
        "shared": True,
        "title": "Pipeline notes",
        "url": f"/i/{notes.pk}/",
        "label": "File",
        "context": "by Alice Learner",
        "note": "Design",
    }
    listed = call(client_for(personas.alice), "get", "/claims").json()
    assert [c["id"] for c in listed] == [claim["id"]]


def test_bad_claims_answer_400_with_a_reason_and_write_nothing(personas, client_for):
    python()
    client = client_for(personas.alice)
    assert (
        call(client, "post", "/claims", {"skill": "Python", "level": 9}).json()["detail"].startswith("Choose a level")
    )
    assert call(client, "post", "/claims", {"skill": "Nope", "level": 1}).status_code == 400
    for missing in (99999, 10**30):
        response = call(client, "post", "/claims", {"skill": "Python", "level": 1, "evidence": [{"item": missing}]})
        assert response.status_code == 400
    assert not SkillClaim.objects.exists()


def test_a_claim_someone_may_not_see_is_not_found(personas, client_for):
    claim = a_claim(personas.alice, draft=True)
    assert call(client_for(personas.mo), "get", f"/claims/{claim.pk}").status_code == 404
    assert call(client_for(personas.alice), "get", f"/claims/{claim.pk}").status_code == 200
    assert call(client_for(personas.alice), "get", f"/claims/{2**70}").status_code == 404


def test_the_owner_changes_and_withdraws_a_claim_others_are_refused(personas, client_for):
    portfolio = create_portfolio(owner=personas.alice, title="Open", visibility=Visibility.ORGANISATION)
    claim = a_claim(personas.alice, portfolio=portfolio)
    assert call(client_for(personas.mo), "patch", f"/claims/{claim.pk}", {"level": 4}).status_code == 403
    response = call(client_for(personas.alice), "patch", f"/claims/{claim.pk}", {"level": 4, "portfolio": None})
    assert (response.json()["level"], response.json()["portfolio"]) == (4, None)
    assert call(client_for(personas.alice), "delete", f"/claims/{claim.pk}").status_code == 204
    assert not SkillClaim.objects.exists()


def test_evidence_is_added_and_removed(personas, client_for):
    claim = a_claim(personas.alice)
    portfolio = create_portfolio(owner=personas.alice, title="Mine")
    block = add_block(actor=personas.alice, page=portfolio.pages.first(), kind="text", title="Pipeline", body="x")
    client = client_for(personas.alice)
    response = call(client, "post", f"/claims/{claim.pk}/evidence", {"block": block.pk})
    assert response.status_code == 201
    assert response.json()["label"] == "Portfolio block"
    assert call(client, "post", f"/claims/{claim.pk}/evidence", {"block": block.pk, "item": 1}).status_code == 400
    evidence_id = response.json()["id"]
    assert call(client, "delete", f"/claims/{claim.pk}/evidence/{evidence_id}").status_code == 204
    assert not ClaimEvidence.objects.exists()


# --- endorsements ------------------------------------------------------------------------------------------------


def test_asking_tells_how_much_evidence_each_person_cannot_open(personas, client_for):
    private = a_file(personas.alice, visibility=Visibility.PRIVATE)
    claim = a_claim(personas.alice, evidence=[claims.EvidenceChoice(item=private)])
    response = call(
        client_for(personas.alice), "post", f"/claims/{claim.pk}/endorsement-requests", {"endorsers": ["mo"]}
    )
    assert response.status_code == 201
    assert response.json()["not_shared"] == {"mo": 1}
    assert response.json()["requests"][0]["answer_url"].startswith("/portfolios/endorsements/")


def test_asking_yourself_or_someone_unknown_is_refused(personas, client_for):
    claim = a_claim(personas.alice)
    client = client_for(personas.alice)
    assert call(client, "post", f"/claims/{claim.pk}/endorsement-requests", {"endorsers": ["alice"]}).status_code == 400
    assert call(client, "post", f"/claims/{claim.pk}/endorsement-requests", {"endorsers": ["zed"]}).status_code == 400


def test_the_person_asked_lists_reads_and_endorses(personas, client_for):
    hidden = a_file(personas.alice, title="Diary", visibility=Visibility.PRIVATE)
    claim = a_claim(personas.alice, level=2, evidence=[claims.EvidenceChoice(item=hidden, note="secret")])
    (request,) = ask(claim, personas.mo)
    client = client_for(personas.mo)
    listed = call(client, "get", "/endorsement-requests?state=pending").json()
    assert [(r["id"], r["about"], r["claimant"]) for r in listed] == [(request.pk, "Python at Practitioner", "alice")]
    detail = call(client, "get", f"/endorsement-requests/{request.pk}").json()
    assert detail["claim_detail"]["evidence"][0]["shared"] is False
    assert detail["claim_detail"]["evidence"][0]["note"] == ""
    assert detail["claim_detail"]["requests"] == []  # who else was asked is the owner's business
    response = call(client, "post", f"/endorsement-requests/{request.pk}/endorse", {"level": 3, "comment": "Good"})
    assert response.json()["level_name"] == "Advanced"
    claim.refresh_from_db()
    assert claim.state == SkillClaim.State.ENDORSED


def test_the_claimant_cannot_endorse_and_others_find_nothing(personas, client_for):
    (request,) = ask(a_claim(personas.alice), personas.mo)
    assert (
        call(
            client_for(personas.alice), "post", f"/endorsement-requests/{request.pk}/endorse", {"level": 2}
        ).status_code
        == 403
    )
    assert (
        call(client_for(personas.lee), "post", f"/endorsement-requests/{request.pk}/endorse", {"level": 2}).status_code
        == 404
    )
    assert call(client_for(personas.lee), "get", f"/endorsement-requests/{request.pk}").status_code == 404


def test_declining_through_the_api(personas, client_for):
    (request,) = ask(a_claim(personas.alice), personas.mo)
    response = call(client_for(personas.mo), "post", f"/endorsement-requests/{request.pk}/decline", {"note": "Ask Lee"})
    assert (response.json()["state"], response.json()["response"]) == ("declined", "Ask Lee")
    again = call(client_for(personas.mo), "post", f"/endorsement-requests/{request.pk}/decline", {"note": "x"})
    assert again.status_code == 400
    assert EndorsementRequest.objects.get().response == "Ask Lee"


# --- frameworks --------------------------------------------------------------------------------------------------


FRAMEWORK = {
    "title": "Analysts",
    "levels": [{"name": "Novice", "descriptor": "Starts out."}, {"name": "Fluent", "descriptor": "Does it well."}],
    "skills": ["python"],
}


def test_curators_create_and_change_frameworks_everyone_reads_them(personas, client_for):
    python()
    assert call(client_for(personas.alice), "post", "/frameworks", FRAMEWORK).status_code == 403
    made = call(client_for(personas.lee), "post", "/frameworks", FRAMEWORK)
    assert made.status_code == 201
    framework_id = made.json()["id"]
    changed = call(client_for(personas.lee), "patch", f"/frameworks/{framework_id}", {"title": "Data analysts"})
    assert changed.json()["title"] == "Data analysts" and len(changed.json()["levels"]) == 2
    listed = call(client_for(personas.alice), "get", "/frameworks").json()
    assert [(f["title"], [s["slug"] for s in f["skills"]]) for f in listed] == [("Data analysts", ["python"])]
    assert call(client_for(personas.alice), "get", f"/frameworks/{framework_id}").status_code == 200


def test_a_framework_without_descriptors_is_refused(personas, client_for):
    body = {"title": "Thin", "levels": [{"name": "A", "descriptor": ""}, {"name": "B", "descriptor": "b"}]}
    response = call(client_for(personas.lee), "post", "/frameworks", body)
    assert response.status_code == 400
    assert not Framework.objects.exists()


def test_a_claim_against_a_framework_through_the_api(personas, client_for):
    skill = python()
    framework = a_framework(personas.lee, skills=[skill])
    response = call(
        client_for(personas.alice), "post", "/claims", {"skill": "Python", "level": 2, "framework": framework.pk}
    )
    assert response.json()["level_name"] == "Stage 2" and response.json()["rubric"] == "Data apprenticeship"
