"""Our export re-imports without loss: the structures before and after compare equal."""

import io

from django.utils import timezone

from portfolios import leap2a, services
from portfolios.models import Portfolio, SkillClaim
from portfolios.tests.test_leap2a_world import build_world, export_bytes, snapshot


def _forget_everything(user):
    for portfolio in Portfolio.objects.filter(item__owner=user):
        services.delete_portfolio(actor=user, portfolio=portfolio)
    SkillClaim.objects.filter(person=user).delete()


def _reimport(user, data: bytes):
    source = leap2a.open_source(io.BytesIO(data), name="export.zip")
    plan = leap2a.plan_import(source, user=user)
    return plan, leap2a.apply_import(plan, source, user=user)


def test_an_export_of_everything_reimports_without_loss(personas):
    build_world(personas)
    before = snapshot(personas.alice)
    data = export_bytes(personas.alice)
    _forget_everything(personas.alice)
    plan, report = _reimport(personas.alice, data)
    assert snapshot(personas.alice) == before, plan["unmapped"]


def test_one_portfolio_reimports_without_loss(personas):
    world = build_world(personas)
    before = snapshot(personas.alice)["portfolios"]
    data = export_bytes(personas.alice, world["show"])
    services.delete_portfolio(actor=personas.alice, portfolio=world["show"])
    SkillClaim.objects.filter(portfolio=world["show"]).delete()
    _reimport(personas.alice, data)
    assert snapshot(personas.alice)["portfolios"] == before


def test_files_are_copied_back_when_the_originals_are_gone(personas):
    from core.models import Item

    build_world(personas)
    before = snapshot(personas.alice)
    data = export_bytes(personas.alice)
    _forget_everything(personas.alice)
    Item.objects.filter(owner=personas.alice, kind="file").update(deleted_at=timezone.now())
    plan, report = _reimport(personas.alice, data)
    assert report.created["files"] == 4 and not report.created.get("files_linked")
    assert snapshot(personas.alice) == before


def test_a_reimport_into_someone_else_keeps_everything_but_what_only_the_site_vouches_for(personas):
    build_world(personas)
    data = export_bytes(personas.alice)
    plan, report = _reimport(personas.mo, data)
    after = snapshot(personas.mo)
    assert [p["title"] for p in after["portfolios"]] == ["Learning SQL", "My best work"]
    assert report.created["files"] == 4  # mo cannot see alice's private files: he gets his own copies
    python = next(c for c in after["claims"] if c["skill"] == "Python")
    assert python["endorsements"] == [] and python["level"] == 3
