"""The demo's e-portfolios (core/seeding/portfolios.py), written by ``manage.py seed``."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from core.access import can_view
from core.models import Activity
from core.seeding.portfolios import PORTFOLIOS
from people.models import User
from portfolios import claims, queries, sharing
from portfolios.models import (
    Block,
    BlockImage,
    EndorsementRequest,
    Feedback,
    FeedbackRequest,
    JournalEntry,
    Portfolio,
    SecretLink,
    SkillClaim,
    Submission,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """One demo seed shared by this module's tests, undone after them."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        call_command("seed", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def person(username: str) -> User:
    return User.objects.get(username=username)


def alice_journal() -> Portfolio:
    return Portfolio.objects.get(item__owner__username="alice", kind=Portfolio.Kind.PROCESS)


def test_a_dozen_portfolios_of_both_kinds_by_different_people(seeded):
    portfolios = Portfolio.objects.select_related("item")
    assert portfolios.count() >= 12
    assert {p.kind for p in portfolios} == {Portfolio.Kind.SHOWCASE, Portfolio.Kind.PROCESS}
    assert len({p.item.owner_id for p in portfolios}) >= 12
    assert {p.item.visibility for p in portfolios} >= {"private", "people", "space", "organisation"}
    assert not portfolios.filter(item__visibility="public").exists()


def test_they_show_real_work_and_are_dated_in_the_past(seeded):
    now = timezone.now()
    shown = Block.objects.filter(kind=Block.Kind.ARTEFACT, item__isnull=False)
    assert shown.order_by().values("page__portfolio").distinct().count() >= 6
    assert {"page", "file"} <= set(shown.values_list("item__kind", flat=True))
    assert not Block.objects.filter(kind=Block.Kind.REFLECTION).filter(answers__0__answer="").exists()
    for portfolio in Portfolio.objects.select_related("item"):
        assert portfolio.item.created < now and portfolio.item.updated < now
        assert portfolio.page_count == portfolio.pages.count()
        assert portfolio.entry_count == portfolio.entries.count()
    assert JournalEntry.objects.filter(created__gte=now).count() == 0
    assert Activity.objects.filter(item__kind="portfolio", created__gte=now).count() == 0
    assert not Feedback.objects.filter(created__gte=now).exists()
    replies = Feedback.objects.filter(parent__isnull=False).select_related("parent")
    assert replies and all(reply.created > reply.parent.created for reply in replies)


def test_no_demo_portfolio_shows_an_item_its_owner_may_not_view(seeded):
    blocks = Block.objects.filter(item__isnull=False).select_related("item", "page__portfolio__item__owner")
    shown = [(b.page.portfolio.item, b.item) for b in blocks]
    images = BlockImage.objects.select_related("item", "block__page__portfolio__item__owner")
    shown += [(i.block.page.portfolio.item, i.item) for i in images]
    entries = JournalEntry.objects.filter(item__isnull=False).select_related("item", "portfolio__item__owner")
    shown += [(e.portfolio.item, e.item) for e in entries]
    assert len(shown) >= 20
    hidden = [(p.title, item.title) for p, item in shown if not can_view(p.owner, item)]
    assert hidden == []


def test_every_piece_of_work_the_demo_names_is_in_its_portfolio(seeded):
    for spec in PORTFOLIOS:
        portfolio = Portfolio.objects.get(item__owner__username=spec.owner, item__title=spec.title)
        named = {title for title, _ in spec.work} | {e.evidence for e in spec.entries if e.evidence}
        shown = set(Block.objects.filter(page__portfolio=portfolio).values_list("item__title", flat=True))
        shown |= set(portfolio.entries.values_list("item__title", flat=True))
        assert named - shown == set(), spec.title


def test_alice_keeps_a_journal_with_reflections_one_of_them_private(seeded):
    journal = alice_journal()
    alice, mo = person("alice"), person("mo")
    entries = list(journal.entries.all())
    assert len(entries) >= 5
    assert all(e.answers and all(a["answer"] for a in e.answers) for e in entries)
    private = [e for e in entries if e.reflection_private]
    assert len(private) == 1
    assert queries.entry_answers(alice, private[0])
    assert queries.entry_answers(mo, private[0]) == []
    assert any(e.item_id for e in entries)
    # A private block on her goals: only she sees it.
    goals = journal.pages.get(title="Goals")
    assert queries.visible_blocks(alice, goals).filter(private=True).exists()
    assert not queries.visible_blocks(mo, goals).filter(private=True).exists()


def test_mo_gave_alice_feedback_she_answered_one_of_it_private(seeded):
    journal = alice_journal()
    alice, mo, priya = person("alice"), person("mo"), person("priya")
    asked = FeedbackRequest.objects.get(portfolio=journal, reviewer=mo)
    assert asked.state == FeedbackRequest.State.ANSWERED
    from_mo = Feedback.objects.filter(portfolio=journal, author=mo, parent=None)
    assert from_mo.count() >= 2 and from_mo.filter(private=True).count() == 1
    assert from_mo.filter(entry__isnull=False, addressed__isnull=False).exists()
    assert Feedback.objects.filter(portfolio=journal, author=alice, parent__isnull=False).exists()
    private = from_mo.get(private=True)
    assert queries.visible_feedback(alice, journal).filter(pk=private.pk).exists()
    assert queries.visible_feedback(mo, journal).filter(pk=private.pk).exists()
    assert not queries.visible_feedback(priya, journal).filter(pk=private.pk).exists()
    assert set(sharing.asked_of(mo).values_list("portfolio", flat=True)) >= {journal.pk}


def test_submissions_are_assessed_or_waiting_and_a_secret_link_is_live(seeded):
    assert Submission.objects.filter(state=Submission.State.ASSESSED).exclude(assessment="").exists()
    assert Submission.objects.filter(state=Submission.State.SUBMITTED).exists()
    assert any(link.is_live() for link in SecretLink.objects.all())


def test_alice_has_an_endorsed_claim_with_evidence_on_her_profile_and_one_waiting(seeded):
    alice, mo, lee = person("alice"), person("mo"), person("lee")
    endorsed = SkillClaim.objects.get(person=alice, state=SkillClaim.State.ENDORSED)
    assert endorsed.portfolio == alice_journal()
    assert endorsed.evidence.filter(item__kind="page").exists() or endorsed.evidence.filter(enrolment__isnull=False)
    assert endorsed.endorsements.filter(endorser__username="priya").exists()
    for viewer in (alice, mo, lee):
        recognised = claims.recognised_skills(viewer, alice)
        assert [r.claim.pk for r in recognised] == [endorsed.pk]
        assert recognised[0].evidence and recognised[0].endorsers[0][0].username == "priya"
    waiting = EndorsementRequest.objects.get(claim__person=alice, state=EndorsementRequest.State.PENDING)
    assert waiting.endorser == mo
    assert claims.asked_of(mo).filter(pk=waiting.pk).exists()


def test_the_profile_page_shows_alices_recognised_skill(seeded, client):
    client.force_login(person("mo"))
    claim = SkillClaim.objects.get(person__username="alice", state=SkillClaim.State.ENDORSED)
    page = client.get(f"/people/{person('alice').username}/").content.decode()
    assert "Recognised skills" in page
    assert f"/portfolios/claims/{claim.pk}/" in page or f"{claim.skill.name}</strong>" in page
    assert "Endorsed by" in page and person("priya").name in page
