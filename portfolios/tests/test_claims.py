"""Skill claims, their evidence, endorsements and frameworks (``portfolios.claims``)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from catalog.services import create_course, self_report_completion
from core.models import Activity, Notification, Visibility
from core.notifications import describe, link
from core.services import create_item
from people.models import PersonSkill
from portfolios import claims
from portfolios.models import EndorsementRequest, SkillClaim
from portfolios.services import add_block, create_portfolio
from search.index import index_item
from tests.factories import SkillFactory

pytestmark = pytest.mark.django_db


def python():
    return SkillFactory(name="Python", slug="python")


def a_file(owner, title="Pipeline notes", **kwargs):
    kwargs.setdefault("visibility", Visibility.ORGANISATION)
    item = create_item(owner=owner, kind="file", title=title, **kwargs)
    index_item(item)  # what the evidence search finds
    return item


def a_claim(person, skill=None, level=2, **kwargs):
    return claims.create_claim(person=person, skill=skill or python(), level=level, **kwargs)


def a_framework(curator, *, skills=(), levels=3):
    rows = [{"name": f"Stage {n}", "descriptor": f"What stage {n} means."} for n in range(1, levels + 1)]
    return claims.save_framework(actor=curator, title="Data apprenticeship", levels=rows, skills=skills)


def ask(claim, *people, message="Fair?"):
    return claims.ask_for_endorsement(actor=claim.person, claim=claim, endorsers=people, message=message)


# --- rubrics ----------------------------------------------------------------------------------------------------


def test_the_taxonomy_rubric_has_four_levels_each_with_a_descriptor():
    assert [level.name for level in claims.TAXONOMY_LEVELS] == ["Beginner", "Practitioner", "Advanced", "Expert"]
    assert all(len(level.descriptor) > 40 for level in claims.TAXONOMY_LEVELS)


def test_a_framework_level_maps_onto_the_taxonomy_from_beginner_to_expert(personas):
    five = a_framework(personas.lee, levels=5)
    assert [claims.taxonomy_level(five, n) for n in range(1, 6)] == [1, 2, 3, 3, 4]
    assert [claims.taxonomy_level(a_framework(personas.lee, levels=2), n) for n in (1, 2)] == [1, 4]


# --- claims -----------------------------------------------------------------------------------------------------


def test_a_person_claims_a_skill_with_a_statement_and_evidence(personas):
    notes = a_file(personas.alice)
    claim = a_claim(
        personas.alice,
        level=3,
        statement="I run the team's pipelines.",
        evidence=[claims.EvidenceChoice(item=notes, note="The design")],
    )
    assert claim.state == SkillClaim.State.CLAIMED
    assert claims.about(claim) == "Python at Advanced"
    assert [(ev.item_id, ev.note) for ev in claim.evidence.all()] == [(notes.pk, "The design")]
    assert Activity.objects.filter(verb=Activity.Verb.CLAIMED, actor=personas.alice, item=None).exists()


def test_a_level_outside_the_rubric_is_refused_with_the_levels_it_has(personas):
    with pytest.raises(ValidationError, match="Beginner"):
        a_claim(personas.alice, level=5)
    assert not SkillClaim.objects.exists()


def test_the_same_skill_cannot_be_claimed_twice_against_the_same_rubric(personas):
    skill = python()
    a_claim(personas.alice, skill)
    with pytest.raises(ValidationError, match="already claim Python"):
        a_claim(personas.alice, skill, level=3)


def test_a_claim_against_a_framework_uses_its_levels(personas):
    skill = python()
    framework = a_framework(personas.lee, skills=[skill])
    claim = a_claim(personas.alice, skill, level=3, framework=framework)
    assert claims.about(claim) == "Python at Stage 3"
    a_claim(personas.alice, skill, level=4)  # the taxonomy's rubric is another claim


def test_a_framework_for_other_skills_is_refused(personas):
    framework = a_framework(personas.lee, skills=[SkillFactory(name="SQL")])
    with pytest.raises(ValidationError, match="not a framework for Python"):
        a_claim(personas.alice, level=1, framework=framework)


def test_a_claim_is_shown_only_in_the_claimants_own_portfolio(personas):
    skill = python()
    theirs = create_portfolio(owner=personas.mo, title="Mo's")
    with pytest.raises(ValidationError, match="your own portfolios"):
        a_claim(personas.alice, skill, portfolio=theirs)
    mine = create_portfolio(owner=personas.alice, title="Mine")
    claim = a_claim(personas.alice, skill, portfolio=mine)
    assert Activity.objects.get(verb=Activity.Verb.CLAIMED).item_id == mine.pk
    assert list(mine.claims.all()) == [claim]


def test_evidence_must_be_something_the_claimant_can_see(personas):
    hidden = a_file(personas.mo, visibility=Visibility.PRIVATE)
    with pytest.raises(ValidationError, match="something you can see"):
        a_claim(personas.alice, evidence=[claims.EvidenceChoice(item=hidden)])
    assert not SkillClaim.objects.exists()  # all or nothing


def test_evidence_can_be_a_block_of_the_claimants_portfolio_only(personas):
    portfolio = create_portfolio(owner=personas.mo, title="Mo's")
    block = add_block(actor=personas.mo, page=portfolio.pages.first(), kind="text", body="Work")
    with pytest.raises(ValidationError, match="own portfolios"):
        a_claim(personas.alice, evidence=[claims.EvidenceChoice(block=block)])


def test_evidence_can_be_a_course_the_claimant_completed(personas):
    course = create_course(actor=personas.lee, title="Python for analysts")
    completion = self_report_completion(person=personas.alice, course=course, evidence="Certificate")
    claim = a_claim(personas.alice, evidence=[claims.EvidenceChoice(enrolment=completion)])
    assert claim.evidence.get().enrolment_id == completion.pk
    mo_done = self_report_completion(person=personas.mo, course=course, evidence="Certificate")
    with pytest.raises(ValidationError, match="course you completed"):
        claims.add_evidence(actor=personas.alice, claim=claim, choices=[claims.EvidenceChoice(enrolment=mo_done)])


def test_the_same_evidence_is_not_added_twice(personas):
    notes = a_file(personas.alice)
    claim = a_claim(personas.alice, evidence=[claims.EvidenceChoice(item=notes)])
    with pytest.raises(ValidationError, match="already evidence"):
        claims.add_evidence(actor=personas.alice, claim=claim, choices=[claims.EvidenceChoice(item=notes)])


def test_only_the_claimant_changes_or_withdraws_a_claim(personas):
    claim = a_claim(personas.alice)
    with pytest.raises(PermissionDenied):
        claims.update_claim(actor=personas.mo, claim=claim, level=4)
    with pytest.raises(PermissionDenied):
        claims.withdraw_claim(actor=personas.ada, claim=claim)
    claims.update_claim(actor=personas.alice, claim=claim, level=4, statement="Better now.")
    claim.refresh_from_db()
    assert (claim.level, claim.statement) == (4, "Better now.")
    claims.withdraw_claim(actor=personas.alice, claim=claim)
    assert not SkillClaim.objects.exists()


def test_the_skill_of_a_claim_stays_once_someone_was_asked(personas):
    claim = a_claim(personas.alice)
    ask(claim, personas.mo)
    with pytest.raises(ValidationError, match="stay as they are"):
        claims.update_claim(actor=personas.alice, claim=claim, skill=SkillFactory(name="SQL"), level=2)


def test_a_draft_is_recorded_as_a_claim_only_when_claimed(personas):
    claim = a_claim(personas.alice, draft=True)
    assert claim.state == SkillClaim.State.DRAFT
    assert not Activity.objects.filter(verb=Activity.Verb.CLAIMED).exists()
    claims.update_claim(actor=personas.alice, claim=claim, draft=False)
    assert claim.state == SkillClaim.State.CLAIMED
    assert Activity.objects.filter(verb=Activity.Verb.CLAIMED).count() == 1


# --- asking for and giving endorsements -------------------------------------------------------------------------


def test_asking_for_an_endorsement_notifies_the_person_with_the_page_to_answer(
    personas, django_capture_on_commit_callbacks
):
    claim = a_claim(personas.alice, level=3)
    with django_capture_on_commit_callbacks(execute=True):
        (request,) = ask(claim, personas.mo)
    activity = Activity.objects.get(verb=Activity.Verb.ENDORSE_ASKED)
    assert (activity.target, activity.item) == (personas.mo, None)
    assert activity.extra["about"] == "Python at Advanced"
    assert activity.extra["url"] == f"/portfolios/endorsements/{request.pk}/"
    note = Notification.objects.get(recipient=personas.mo)
    assert note.kind == "endorsement"
    assert describe(note) == "Alice Learner asked for an endorsement of Python at Advanced"
    assert link(note) == f"/portfolios/endorsements/{request.pk}/"


def test_nobody_can_be_asked_to_endorse_their_own_claim(personas):
    claim = a_claim(personas.alice)
    with pytest.raises(ValidationError, match="your own claim"):
        ask(claim, personas.alice)


def test_a_guest_can_ask_only_people_they_can_see(personas):
    claim = a_claim(personas.gus)
    with pytest.raises(ValidationError, match="olly"):
        ask(claim, personas.olly)
    assert ask(claim, personas.mo)  # they share the team space


def test_the_same_person_is_not_asked_twice_while_they_have_not_answered(personas):
    claim = a_claim(personas.alice)
    ask(claim, personas.mo)
    with pytest.raises(ValidationError, match="already has your request"):
        ask(claim, personas.mo)


def test_asking_about_a_draft_makes_it_a_claim(personas):
    claim = a_claim(personas.alice, draft=True)
    ask(claim, personas.mo)
    claim.refresh_from_db()
    assert claim.state == SkillClaim.State.CLAIMED


def test_endorsing_marks_the_claim_endorsed_and_tells_the_claimant(personas, django_capture_on_commit_callbacks):
    claim = a_claim(personas.alice, level=2)
    (request,) = ask(claim, personas.mo)
    with django_capture_on_commit_callbacks(execute=True):
        endorsement = claims.endorse(actor=personas.mo, request=request, level=3, comment="Leads our pipelines.")
    claim.refresh_from_db()
    request.refresh_from_db()
    assert claim.state == SkillClaim.State.ENDORSED and claim.endorsed_at is not None
    assert (endorsement.level, request.state) == (3, EndorsementRequest.State.ENDORSED)
    activity = Activity.objects.get(verb=Activity.Verb.ENDORSED)
    assert (activity.actor, activity.target, activity.extra["about"]) == (
        personas.mo,
        personas.alice,
        "Python at Advanced",
    )
    assert Notification.objects.get(recipient=personas.alice).kind == "endorsement"


def test_only_the_person_asked_endorses_and_only_once(personas):
    claim = a_claim(personas.alice)
    (request,) = ask(claim, personas.mo)
    with pytest.raises(PermissionDenied):
        claims.endorse(actor=personas.alice, request=request, level=2)
    with pytest.raises(PermissionDenied):
        claims.endorse(actor=personas.lee, request=request, level=2)
    claims.endorse(actor=personas.mo, request=request, level=2)
    with pytest.raises(ValidationError, match="You answered"):
        claims.endorse(actor=personas.mo, request=request, level=3)


def test_an_endorsement_at_a_level_outside_the_rubric_is_refused(personas):
    claim = a_claim(personas.alice)
    (request,) = ask(claim, personas.mo)
    with pytest.raises(ValidationError, match="Choose a level"):
        claims.endorse(actor=personas.mo, request=request, level=7)
    claim.refresh_from_db()
    assert claim.state == SkillClaim.State.CLAIMED


def test_declining_leaves_the_claim_as_it_was_with_a_note_for_the_claimant(personas):
    claim = a_claim(personas.alice)
    (request,) = ask(claim, personas.mo)
    claims.decline(actor=personas.mo, request=request, note="Ask Lee, who saw more of it.")
    request.refresh_from_db()
    claim.refresh_from_db()
    assert (request.state, request.response) == (EndorsementRequest.State.DECLINED, "Ask Lee, who saw more of it.")
    assert claim.state == SkillClaim.State.CLAIMED


def test_declining_tells_the_claimant_alone_with_the_note(personas, django_capture_on_commit_callbacks, mailoutbox):
    claim = a_claim(personas.alice, level=3)
    (request,) = ask(claim, personas.mo)
    with django_capture_on_commit_callbacks(execute=True):
        claims.decline(actor=personas.mo, request=request, note="Show me the pipeline first.")
    activity = Activity.objects.get(verb=Activity.Verb.ENDORSE_DECLINED)
    assert (activity.actor, activity.target, activity.item) == (personas.mo, personas.alice, None)
    note = Notification.objects.get(activity=activity)
    assert (note.recipient, note.kind) == (personas.alice, "endorsement")
    assert describe(note) == "Mo Mentor declined to endorse Python at Advanced: “Show me the pipeline first.”"
    assert link(note) == f"/portfolios/claims/{claim.pk}/#asked"
    (mail,) = [m for m in mailoutbox if "declined" in m.subject]
    assert mail.to == [personas.alice.email] and "Show me the pipeline first." in mail.body
    assert not Notification.objects.filter(activity=activity).exclude(recipient=personas.alice).exists()


def test_declining_without_a_note_says_only_that(personas, django_capture_on_commit_callbacks):
    claim = a_claim(personas.alice, level=3)
    (request,) = ask(claim, personas.mo)
    with django_capture_on_commit_callbacks(execute=True):
        claims.decline(actor=personas.mo, request=request)
    note = Notification.objects.get(activity__verb=Activity.Verb.ENDORSE_DECLINED)
    assert describe(note) == "Mo Mentor declined to endorse Python at Advanced"


def test_a_declined_request_cannot_be_declined_or_endorsed_again(personas):
    claim = a_claim(personas.alice)
    (request,) = ask(claim, personas.mo)
    claims.decline(actor=personas.mo, request=request, note="Not yet.")
    with pytest.raises(ValidationError, match="You answered"):
        claims.decline(actor=personas.mo, request=request, note="Still no.")
    with pytest.raises(ValidationError, match="You answered"):
        claims.endorse(actor=personas.mo, request=request, level=2)
    assert Activity.objects.filter(verb=Activity.Verb.ENDORSE_DECLINED).count() == 1


def test_an_endorsement_raises_the_profile_skill_but_never_lowers_it(personas):
    skill = python()
    claim = a_claim(personas.alice, skill, level=2)
    (first,) = ask(claim, personas.mo)
    claims.endorse(actor=personas.mo, request=first, level=3)
    has = PersonSkill.objects.get(person=personas.alice, skill=skill, direction=PersonSkill.Direction.HAS)
    assert has.level == 3
    (second,) = ask(claim, personas.lee)
    claims.endorse(actor=personas.lee, request=second, level=1)
    has.refresh_from_db()
    assert has.level == 3


def test_an_endorsement_against_a_framework_reaches_the_profile_on_the_taxonomys_scale(personas):
    skill = python()
    framework = a_framework(personas.lee, skills=[skill], levels=5)
    claim = a_claim(personas.alice, skill, level=5, framework=framework)
    (request,) = ask(claim, personas.mo)
    claims.endorse(actor=personas.mo, request=request, level=5)
    assert PersonSkill.objects.get(person=personas.alice, skill=skill).level == PersonSkill.Level.EXPERT


# --- who sees a claim and its evidence --------------------------------------------------------------------------


def test_a_draft_is_seen_by_its_owner_only(personas):
    portfolio = create_portfolio(owner=personas.alice, title="Mine", visibility=Visibility.ORGANISATION)
    claim = a_claim(personas.alice, portfolio=portfolio, draft=True)
    assert claims.can_view_claim(personas.alice, claim)
    assert not claims.can_view_claim(personas.mo, claim)
    assert not claims.can_view_claim(personas.ada, claim)


def test_a_claim_is_seen_through_its_portfolio_and_once_endorsed_by_whoever_sees_the_person(personas):
    portfolio = create_portfolio(owner=personas.alice, title="Team", space=personas.team, visibility=Visibility.SPACE)
    claim = a_claim(personas.alice, portfolio=portfolio)
    assert claims.can_view_claim(personas.gus, claim)  # a member of the team
    assert not claims.can_view_claim(personas.lee, claim)
    (request,) = ask(claim, personas.mo)
    claims.endorse(actor=personas.mo, request=request, level=2)
    claim.refresh_from_db()
    assert claims.can_view_claim(personas.lee, claim)  # now on alice's profile
    assert claims.can_view_claim(personas.olly, claim)


def test_the_person_asked_sees_only_the_evidence_they_may_open(personas):
    shared = a_file(personas.alice, title="Shared notes")
    private = a_file(personas.alice, title="Private diary", visibility=Visibility.PRIVATE)
    claim = a_claim(
        personas.alice,
        evidence=[claims.EvidenceChoice(item=shared), claims.EvidenceChoice(item=private, note="Secret note")],
    )
    ask(claim, personas.mo)
    shown = claims.claim_for(personas.mo, claim.pk)
    claims.show_evidence(personas.mo, [shown])
    assert [(ev.title, ev.hidden) for ev in shown.shown_evidence] == [("Shared notes", False), ("", True)]
    assert all(ev.note != "Secret note" for ev in shown.shown_evidence)
    assert claims.hidden_from(personas.mo, claim) == 1


def test_a_private_block_is_evidence_not_shared_with_anyone_but_its_owner(personas):
    portfolio = create_portfolio(owner=personas.alice, title="Open", visibility=Visibility.ORGANISATION)
    block = add_block(actor=personas.alice, page=portfolio.pages.first(), kind="text", body="Mine", private=True)
    claim = a_claim(personas.alice, evidence=[claims.EvidenceChoice(block=block)])
    for viewer, hidden in ((personas.alice, False), (personas.mo, True), (personas.ada, True)):
        shown = SkillClaim.objects.prefetch_related(*claims.evidence_prefetch()).get(pk=claim.pk)
        claims.show_evidence(viewer, [shown])
        assert shown.shown_evidence[0].hidden is hidden


def test_recognised_skills_show_the_highest_endorsed_level_and_who_endorsed_it(personas):
    notes = a_file(personas.alice)
    claim = a_claim(personas.alice, level=2, evidence=[claims.EvidenceChoice(item=notes)])
    (by_mo,) = ask(claim, personas.mo)
    (by_lee,) = ask(claim, personas.lee)
    claims.endorse(actor=personas.mo, request=by_mo, level=2)
    claims.endorse(actor=personas.lee, request=by_lee, level=3)
    (recognised,) = claims.recognised_skills(personas.olly, personas.alice)
    assert recognised.level_label == "Advanced"
    assert [(who.username, level) for who, level, _ in recognised.endorsers] == [
        ("mo", "Practitioner"),
        ("lee", "Advanced"),
    ]
    assert [ev.title for ev in recognised.evidence] == ["Pipeline notes"]


def test_a_guest_is_not_told_who_outside_their_spaces_endorsed_a_skill(personas):
    claim = a_claim(personas.alice)
    (request,) = ask(claim, personas.lee)
    claims.endorse(actor=personas.lee, request=request, level=2)
    (recognised,) = claims.recognised_skills(personas.gus, personas.alice)
    assert recognised.endorsers[0][0] is None


# --- frameworks -------------------------------------------------------------------------------------------------


def test_only_curators_keep_frameworks(personas):
    with pytest.raises(PermissionDenied):
        a_framework(personas.alice)
    assert a_framework(personas.lee).levels[0] == {"level": 1, "name": "Stage 1", "descriptor": "What stage 1 means."}


def test_a_framework_level_needs_a_name_and_a_descriptor(personas):
    with pytest.raises(ValidationError, match="Say what “Novice” means"):
        claims.save_framework(
            actor=personas.lee, title="F", levels=[{"name": "Novice"}, {"name": "Pro", "descriptor": "Good."}]
        )


def test_a_level_in_use_cannot_be_removed_from_a_framework(personas):
    skill = python()
    framework = a_framework(personas.lee, skills=[skill], levels=3)
    a_claim(personas.alice, skill, level=3, framework=framework)
    with pytest.raises(ValidationError, match="above 2"):
        claims.save_framework(
            actor=personas.lee,
            framework=framework,
            title=framework.title,
            levels=[{"name": "A", "descriptor": "a"}, {"name": "B", "descriptor": "b"}],
            skills=[skill],
        )


def test_a_claimed_skill_cannot_be_dropped_from_its_framework(personas):
    skill = python()
    framework = a_framework(personas.lee, skills=[skill])
    a_claim(personas.alice, skill, level=1, framework=framework)
    with pytest.raises(ValidationError, match="People claim Python"):
        claims.save_framework(
            actor=personas.lee,
            framework=framework,
            title=framework.title,
            levels=framework.levels,
            skills=[SkillFactory(name="SQL")],
        )
