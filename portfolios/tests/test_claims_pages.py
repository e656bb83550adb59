"""The claim pages: my claims, claiming with evidence, asking for and answering endorsements, frameworks, and the
recognised skills on a profile."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Notification, Visibility
from portfolios import claims
from portfolios.models import ClaimEvidence, EndorsementRequest, Framework, SkillClaim
from portfolios.services import add_block, create_portfolio
from portfolios.tests.test_claims import a_claim, a_file, a_framework, ask, python
from tests.factories import SkillFactory

pytestmark = pytest.mark.django_db


def endorsed(person, skill, endorser, *, level=3, evidence=()):
    claim = a_claim(person, skill, level=level, evidence=evidence)
    (request,) = ask(claim, endorser)
    claims.endorse(actor=endorser, request=request, level=level, comment="Seen it often.")
    return claim


# --- my claims ---------------------------------------------------------------------------------------------------


def test_my_claims_are_grouped_by_state(personas, client_for):
    skill = python()
    endorsed(personas.alice, skill, personas.mo)
    a_claim(personas.alice, SkillFactory(name="SQL"), level=1, draft=True)
    page = client_for(personas.alice).get("/portfolios/claims/").content.decode()
    assert page.index("Endorsed") < page.index("Python") < page.index("Drafts") < page.index("SQL")
    assert "Claim a skill" in page


def test_a_first_time_claimant_is_told_what_to_do(personas, client_for):
    page = client_for(personas.alice).get("/portfolios/claims/").content.decode()
    assert "Claim your first skill" in page and "Attach evidence" in page


def test_my_claims_cost_the_same_queries_for_one_claim_or_twenty(personas, client_for, no_page_cache):
    client = client_for(personas.alice)
    a_claim(personas.alice, SkillFactory(name="Skill 0"), level=1)
    client.get("/portfolios/claims/")  # the first request fills caches every page shares
    with CaptureQueriesContext(connection) as one:
        assert client.get("/portfolios/claims/").status_code == 200
    for n in range(1, 20):
        a_claim(
            personas.alice,
            SkillFactory(name=f"Skill {n}"),
            level=2,
            evidence=[claims.EvidenceChoice(item=a_file(personas.alice))],
        )
    client.get("/portfolios/claims/")
    with CaptureQueriesContext(connection) as twenty:
        assert client.get("/portfolios/claims/").status_code == 200
    assert len(twenty) == len(one) <= 8


# --- claiming ----------------------------------------------------------------------------------------------------


def test_the_claim_form_offers_the_rubric_levels_and_evidence_to_tick(personas, client_for):
    a_file(personas.alice, title="Pipeline notes")
    page = client_for(personas.alice).get("/portfolios/claims/new/").content.decode()
    for text in (
        "Beginner",
        "Expert",
        claims.TAXONOMY_DESCRIPTORS[4],
        "Pipeline notes",
        "/people/skills/autocomplete/",
    ):
        assert text in page


def test_claiming_with_ticked_evidence_makes_the_claim(personas, client_for):
    python()
    notes = a_file(personas.alice)
    portfolio = create_portfolio(owner=personas.alice, title="Mine")
    block = add_block(actor=personas.alice, page=portfolio.pages.first(), kind="text", title="The pipeline", body="x")
    response = client_for(personas.alice).post(
        "/portfolios/claims/new/",
        {
            "skill": "python",
            "rubric": "",
            "level": "3",
            "statement": "I built it.",
            "item": notes.pk,
            "block": block.pk,
        },
    )
    claim = SkillClaim.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/portfolios/claims/{claim.pk}/"
    assert claim.level == 3 and claim.evidence.count() == 2


def test_a_claim_without_a_level_is_refused_and_nothing_is_lost(personas, client_for):
    python()
    response = client_for(personas.alice).post(
        "/portfolios/claims/new/", {"skill": "Python", "rubric": "", "statement": "Keep me"}
    )
    assert response.status_code == 400
    assert "Choose the level you claim." in response.content.decode()
    assert "Keep me" in response.content.decode()
    assert not SkillClaim.objects.exists()


def test_an_unknown_skill_is_refused_with_suggestions(personas, client_for):
    python()
    response = client_for(personas.alice).post("/portfolios/claims/new/", {"skill": "Pyth", "level": "2"})
    assert response.status_code == 400
    assert "Did you mean: Python?" in response.content.decode()


def test_choosing_a_framework_shows_its_levels(personas, client_for):
    framework = a_framework(personas.lee)
    client = client_for(personas.alice)
    fragment = client.get(f"/portfolios/claims/levels?rubric={framework.pk}").content.decode()
    assert "Stage 3" in fragment and "Beginner" not in fragment
    # Without JavaScript, "Show its levels" reloads the form with what was typed.
    page = client.get(f"/portfolios/claims/new/?skill=Python&rubric={framework.pk}&statement=Mine").content.decode()
    assert "Stage 3" in page and "Mine" in page


def test_searching_for_evidence_finds_what_the_person_can_see(personas, client_for):
    a_file(personas.mo, title="Shared handbook")
    a_file(personas.mo, title="Hidden handbook", visibility=Visibility.PRIVATE)
    fragment = client_for(personas.alice).get("/portfolios/claims/find?find=handbook").content.decode()
    assert "Shared handbook" in fragment and "Hidden handbook" not in fragment


def test_editing_a_claim_removes_and_adds_evidence(personas, client_for):
    old, new = a_file(personas.alice, title="Old"), a_file(personas.alice, title="New")
    claim = a_claim(personas.alice, evidence=[claims.EvidenceChoice(item=old)])
    evidence = claim.evidence.get()
    response = client_for(personas.alice).post(
        f"/portfolios/claims/{claim.pk}/edit/",
        {"skill": "Python", "rubric": "", "level": "4", "remove": evidence.pk, "item": new.pk},
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.level == 4
    assert [ev.item.title for ev in claim.evidence.all()] == ["New"]


def test_withdrawing_a_claim_asks_first(personas, client_for):
    claim = a_claim(personas.alice)
    client = client_for(personas.alice)
    assert "Withdraw the claim" in client.get(f"/portfolios/claims/{claim.pk}/delete/").content.decode()
    assert client.post(f"/portfolios/claims/{claim.pk}/delete/").status_code == 302
    assert not SkillClaim.objects.exists()


def test_the_owner_adds_and_removes_evidence_on_the_claim_page(personas, client_for):
    claim = a_claim(personas.alice)
    notes = a_file(personas.alice)
    client = client_for(personas.alice)
    response = client.post(f"/portfolios/claims/{claim.pk}/evidence/", {"item": notes.pk, "note": "The design"})
    assert response.status_code == 302
    evidence = ClaimEvidence.objects.get()
    assert evidence.note == "The design"
    client.post(f"/portfolios/claims/{claim.pk}/evidence/{evidence.pk}/remove")
    assert not ClaimEvidence.objects.exists()


def test_adding_no_evidence_says_what_to_do(personas, client_for):
    claim = a_claim(personas.alice)
    response = client_for(personas.alice).post(f"/portfolios/claims/{claim.pk}/evidence/", {"note": "x"})
    assert response.status_code == 400
    assert "Tick something to add as evidence." in response.content.decode()


# --- asking and answering ----------------------------------------------------------------------------------------


def test_asking_from_the_claim_page_notifies_and_warns_of_evidence_they_cannot_open(
    personas, client_for, django_capture_on_commit_callbacks
):
    private = a_file(personas.alice, title="Diary", visibility=Visibility.PRIVATE)
    claim = a_claim(personas.alice, evidence=[claims.EvidenceChoice(item=private)])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(personas.alice).post(
            f"/portfolios/claims/{claim.pk}/ask", {"people": "mo", "message": "Fair?"}, follow=True
        )
    page = response.content.decode()
    assert "Asked Mo Mentor to endorse it" in page
    assert "cannot open 1 piece of the evidence" in page
    assert Notification.objects.get(recipient=personas.mo).kind == "endorsement"


def test_asking_yourself_is_refused_on_the_page(personas, client_for):
    claim = a_claim(personas.alice)
    response = client_for(personas.alice).post(f"/portfolios/claims/{claim.pk}/ask", {"people": "alice"})
    assert response.status_code == 400
    assert "You cannot endorse your own claim" in response.content.decode()


def test_the_inbox_lists_endorsements_asked_of_me_waiting_first(personas, client_for):
    first = a_claim(personas.alice)
    (answered,) = ask(first, personas.mo)
    claims.decline(actor=personas.mo, request=answered)
    ask(a_claim(personas.gus, SkillFactory(name="SQL")), personas.mo)
    page = client_for(personas.mo).get("/portfolios/endorsements/").content.decode()
    assert page.index("Gus Guest") < page.index("Alice Learner")
    assert "Read and answer" in page and "Declined" in page


def test_the_person_asked_reads_the_evidence_they_may_see_and_endorses(personas, client_for):
    shared = a_file(personas.alice, title="Shared notes")
    private = a_file(personas.alice, title="Diary", visibility=Visibility.PRIVATE)
    claim = a_claim(personas.alice, evidence=[claims.EvidenceChoice(item=shared), claims.EvidenceChoice(item=private)])
    (request,) = ask(claim, personas.mo, message="You saw the pipeline.")
    client = client_for(personas.mo)
    page = client.get(f"/portfolios/endorsements/{request.pk}/").content.decode()
    assert "Shared notes" in page and "Diary" not in page
    assert "An item not shared with you." in page and "You saw the pipeline." in page
    response = client.post(f"/portfolios/endorsements/{request.pk}/endorse", {"level": "3", "comment": "Yes"})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.state == SkillClaim.State.ENDORSED


def test_an_endorsement_without_a_level_is_refused(personas, client_for):
    (request,) = ask(a_claim(personas.alice), personas.mo)
    response = client_for(personas.mo).post(f"/portfolios/endorsements/{request.pk}/endorse", {"comment": "Yes"})
    assert response.status_code == 400
    assert "Choose the level you judge." in response.content.decode()


def test_declining_on_the_page_keeps_the_note_for_the_claimant(personas, client_for):
    claim = a_claim(personas.alice)
    (request,) = ask(claim, personas.mo)
    client_for(personas.mo).post(f"/portfolios/endorsements/{request.pk}/decline", {"note": "Ask Lee."})
    request.refresh_from_db()
    assert request.state == EndorsementRequest.State.DECLINED
    assert "Ask Lee." in client_for(personas.alice).get(f"/portfolios/claims/{claim.pk}/").content.decode()


def test_the_claimant_reads_a_declined_requests_note_in_notifications_and_on_the_claim(
    personas, client_for, django_capture_on_commit_callbacks
):
    claim = a_claim(personas.alice)
    (request,) = ask(claim, personas.mo)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(personas.mo).post(f"/portfolios/endorsements/{request.pk}/decline", {"note": "Ask Lee first."})
    alice = client_for(personas.alice)
    listed = alice.get("/notifications/").content.decode()
    assert "Mo Mentor declined to endorse" in listed and "Ask Lee first." in listed
    note = Notification.objects.get(recipient=personas.alice, activity__verb="endorse_declined")
    opened = alice.get(f"/notifications/{note.pk}/open")
    assert opened["Location"] == f"/portfolios/claims/{claim.pk}/#asked"
    assert 'id="asked"' in alice.get(f"/portfolios/claims/{claim.pk}/").content.decode()
    for other in (personas.lee, personas.gus):
        assert "Ask Lee first." not in client_for(other).get("/notifications/").content.decode()


def test_the_claimant_is_sent_to_the_claim_and_cannot_endorse_it(personas, client_for):
    claim = a_claim(personas.alice)
    (request,) = ask(claim, personas.mo)
    client = client_for(personas.alice)
    assert client.get(f"/portfolios/endorsements/{request.pk}/")["Location"] == f"/portfolios/claims/{claim.pk}/"
    assert client.post(f"/portfolios/endorsements/{request.pk}/endorse", {"level": "4"}).status_code == 403


# --- recognised skills on the profile ----------------------------------------------------------------------------


def test_the_profile_shows_recognised_skills_with_who_endorsed_them_and_the_evidence(personas, client_for):
    notes = a_file(personas.alice, title="Pipeline notes")
    diary = a_file(personas.alice, title="Diary", visibility=Visibility.PRIVATE)
    evidence = [claims.EvidenceChoice(item=notes), claims.EvidenceChoice(item=diary)]
    endorsed(personas.alice, python(), personas.mo, level=3, evidence=evidence)
    page = client_for(personas.olly).get("/people/alice/").content.decode()
    section = page[page.index("Recognised skills") :]
    assert "Python" in section and "Advanced" in section and "Mo Mentor" in section
    assert "Pipeline notes" in section and "Diary" not in section and "1 not shared with you" in section


def test_a_claim_not_yet_endorsed_is_not_on_the_profile(personas, client_for):
    a_claim(personas.alice)
    page = client_for(personas.mo).get("/people/alice/").content.decode()
    assert "Recognised skills" not in page


def test_the_profile_costs_the_same_queries_for_one_recognised_skill_or_twenty(personas, client_for, no_page_cache):
    client = client_for(personas.mo)
    endorsed(
        personas.alice,
        SkillFactory(name="Skill 0"),
        personas.lee,
        evidence=[claims.EvidenceChoice(item=a_file(personas.alice))],
    )
    client.get("/people/alice/")  # the first request fills caches every page shares
    with CaptureQueriesContext(connection) as one:
        assert client.get("/people/alice/").status_code == 200
    for n in range(1, 20):
        portfolio = create_portfolio(owner=personas.alice, title=f"P{n}", visibility=Visibility.ORGANISATION)
        block = add_block(actor=personas.alice, page=portfolio.pages.first(), kind="text", title=f"B{n}", body="x")
        evidence = [claims.EvidenceChoice(item=a_file(personas.alice)), claims.EvidenceChoice(block=block)]
        endorsed(personas.alice, SkillFactory(name=f"Skill {n}"), personas.lee, evidence=evidence)
    client.get("/people/alice/")
    with CaptureQueriesContext(connection) as twenty:
        page = client.get("/people/alice/").content.decode()
    assert page.count('class="level-badge"') >= 20
    assert len(twenty) == len(one) <= 25


# --- frameworks --------------------------------------------------------------------------------------------------


def test_everyone_reads_the_frameworks_and_curators_keep_them(personas, client_for):
    a_framework(personas.lee)
    assert "Stage 2" in client_for(personas.alice).get("/portfolios/frameworks/").content.decode()
    assert client_for(personas.alice).get("/portfolios/frameworks/new/").status_code == 403
    assert client_for(personas.lee).get("/portfolios/frameworks/new/").status_code == 200


def test_a_curator_makes_a_framework_from_the_form(personas, client_for):
    python()
    data = {"title": "Analysts", "skills": "Python", "level_name_0": "Novice", "level_descriptor_0": "Starts out."}
    data |= {"level_name_1": "Fluent", "level_descriptor_1": "Does it well."}
    response = client_for(personas.lee).post("/portfolios/frameworks/new/", data)
    assert response.status_code == 302
    framework = Framework.objects.get()
    assert [lv.name for lv in claims.levels_of(framework)] == ["Novice", "Fluent"]
    assert [s.name for s in framework.skills.all()] == ["Python"]


def test_a_framework_with_one_level_is_refused_on_the_form(personas, client_for):
    data = {"title": "Thin", "level_name_0": "Only", "level_descriptor_0": "One."}
    response = client_for(personas.lee).post("/portfolios/frameworks/new/", data)
    assert response.status_code == 400
    assert "at least two levels" in response.content.decode()


def test_a_curator_edits_a_framework(personas, client_for):
    framework = a_framework(personas.lee)
    client = client_for(personas.lee)
    assert "Stage 3" in client.get(f"/portfolios/frameworks/{framework.pk}/edit/").content.decode()
    data = {"title": "Renamed", "level_name_0": "A", "level_descriptor_0": "a", "level_name_1": "B"}
    data["level_descriptor_1"] = "b"
    assert client.post(f"/portfolios/frameworks/{framework.pk}/edit/", data).status_code == 302
    framework.refresh_from_db()
    assert framework.title == "Renamed" and len(framework.levels) == 2


def test_an_endorsement_shows_at_once_on_a_profile_seen_before(personas, client_for):
    claim = a_claim(personas.alice)
    (request,) = ask(claim, personas.mo)
    client = client_for(personas.olly)
    assert "Recognised skills" not in client.get("/people/alice/").content.decode()  # now kept by the page cache
    claims.endorse(actor=personas.mo, request=request, level=2)
    assert "Recognised skills" in client.get("/people/alice/").content.decode()
