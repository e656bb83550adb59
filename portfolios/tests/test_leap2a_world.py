"""A person's portfolios with something of every kind, for the Leap2A and offline-site tests, and a way to
compare two people's (or one person's, before and after) portfolios as plain structures."""

import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from catalog.services import create_course, self_report_completion
from core.models import Visibility
from files.models import File
from files.services import upload_file
from portfolios import leap2a, services
from portfolios.models import (
    Block,
    ClaimEvidence,
    Endorsement,
    Framework,
    Layout,
    Portfolio,
    SkillClaim,
)
from tests.factories import SkillFactory
from wiki.services import create_page


def png(name: str, colour: str = "teal") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def build_world(p):
    """alice's showcase and process portfolios, with files, a gallery, private parts, a journal with
    reflections (one private), and skill claims with evidence and an endorsement by mo."""
    alice = p.alice
    photo = upload_file(owner=alice, uploaded=png("me at work.png"), visibility=Visibility.PRIVATE)
    notes = upload_file(
        owner=alice,
        uploaded=SimpleUploadedFile("notes.txt", b"What I learned\n", content_type="text/plain"),
        visibility=Visibility.PRIVATE,
    )
    red = upload_file(owner=alice, uploaded=png("red.png", "red"), visibility=Visibility.PRIVATE)
    blue = upload_file(owner=alice, uploaded=png("blue.png", "blue"), visibility=Visibility.PRIVATE)
    wiki = create_page(author=alice, title="How we deploy", text="Steps.\n", visibility=Visibility.ORGANISATION)
    course = create_course(actor=p.lee, title="Data basics", format="book", visibility=Visibility.ORGANISATION)
    completion = self_report_completion(person=alice, course=course, evidence="Read it all.")

    show = services.create_portfolio(
        owner=alice,
        title="My best work",
        kind=Portfolio.Kind.SHOWCASE,
        summary="What I do.",
        guided=False,
        tags=["data", "python"],
    )
    about = show.pages.get()
    services.update_page(actor=alice, page=about, title="About me", layout=Layout.WIDE_LEFT)
    intro = services.add_block(
        actor=alice,
        page=about,
        kind=Block.Kind.TEXT,
        title="Who I am",
        body="I *analyse* data. See [our site](https://example.org).\n\n- one\n- two & three <b>x</b>\n",
    )
    services.add_block(
        actor=alice, page=about, kind=Block.Kind.TEXT, title="Notes to self", body="Ask for a raise.", private=True
    )
    services.add_block(
        actor=alice,
        page=about,
        kind=Block.Kind.REFLECTION,
        column=1,
        title="Looking back",
        answers=[{"prompt": "What happened?", "answer": "A lot."}, {"prompt": "So what?", "answer": "I grew."}],
    )
    services.add_block(actor=alice, page=about, kind=Block.Kind.SKILLS, column=1, title="Skills")
    work = services.add_page(actor=alice, portfolio=show, title="Work", layout=Layout.TWO)
    shot = services.add_block(
        actor=alice, page=work, kind=Block.Kind.ARTEFACT, title="Me", item=photo, body="At my desk."
    )
    services.add_block(actor=alice, page=work, kind=Block.Kind.ARTEFACT, column=1, title="Notes", item=notes)
    services.add_block(actor=alice, page=work, kind=Block.Kind.GALLERY, title="Colours", images=[red, blue])
    services.add_block(actor=alice, page=work, kind=Block.Kind.EMBED, column=1, title="Deploying", item=wiki.item)
    services.add_block(actor=alice, page=work, kind=Block.Kind.ARTEFACT, column=1, title="Course", enrolment=completion)
    services.add_block(
        actor=alice,
        page=work,
        kind=Block.Kind.TIMELINE,
        title="Milestones",
        body="The year.",
        events=[{"date": "2026-01-10", "title": "Started", "text": "Day one"}],
    )

    process = services.create_portfolio(owner=alice, title="Learning SQL", kind=Portfolio.Kind.PROCESS, guided=False)
    services.add_entry(
        actor=alice,
        portfolio=process,
        title="First joins",
        happened=date(2026, 2, 1),
        body="Joined **tables**.",
        answers=[{"prompt": "What happened?", "answer": "Joins made sense."}],
    )
    services.add_entry(
        actor=alice,
        portfolio=process,
        title="Window functions",
        happened=date(2026, 2, 8),
        body="Hard.",
        answers=[{"prompt": "Now what?", "answer": "Practise more, privately."}],
        reflection_private=True,
        item=notes,
    )

    python = SkillFactory(name="Python", slug="python")
    writing = SkillFactory(name="Writing", slug="writing")
    framework = Framework.objects.create(
        title="Data skills",
        levels=[{"level": 1, "name": "Aware"}, {"level": 3, "name": "Skilled", "descriptor": "Works alone"}],
    )
    claim = SkillClaim.objects.create(
        person=alice,
        skill=python,
        framework=framework,
        level=3,
        statement="I write **Python** daily.",
        portfolio=show,
        state=SkillClaim.State.ENDORSED,
        endorsed_at=timezone.now(),
    )
    ClaimEvidence.objects.create(claim=claim, block=intro, note="My intro", position=0)
    ClaimEvidence.objects.create(claim=claim, block=shot, note="Screenshot", position=1)
    ClaimEvidence.objects.create(claim=claim, item=notes, note="Notes file", position=2)
    ClaimEvidence.objects.create(claim=claim, enrolment=completion, note="The course", position=3)
    Endorsement.objects.create(claim=claim, endorser=p.mo, level=3, comment="Saw it myself.")
    other = SkillClaim.objects.create(
        person=alice, skill=writing, level=2, statement="Docs.", state=SkillClaim.State.CLAIMED
    )
    ClaimEvidence.objects.create(claim=other, item=wiki.item, note="A wiki page I wrote", position=0)
    return {"show": show, "process": process, "claim": claim, "photo": photo, "notes": notes}


def _item_ref(item_id):
    if item_id is None:
        return None
    detail = File.objects.filter(item_id=item_id).first()
    return ("file", detail.sha256) if detail else ("item", item_id)


def snapshot(user) -> dict:
    """Everything of ``user``'s portfolios and claims that an export must carry, without database ids."""
    portfolios = []
    for p in Portfolio.objects.filter(item__owner=user, item__deleted_at__isnull=True).order_by("item__title"):
        portfolios.append(
            {
                "title": p.item.title,
                "summary": p.item.summary,
                "kind": p.kind,
                "tags": sorted(t.name for t in p.item.tags.all()),
                "pages": [
                    {
                        "title": page.title,
                        "layout": page.layout,
                        "guidance": page.guidance,
                        "blocks": [
                            {
                                "kind": b.kind,
                                "column": b.column,
                                "position": b.position,
                                "title": b.title,
                                "body": b.body,
                                "answers": b.answers,
                                "events": b.events,
                                "private": b.private,
                                "guidance": b.guidance,
                                "item": _item_ref(b.item_id),
                                "enrolment": b.enrolment_id,
                                "images": [(_item_ref(i.item_id), i.caption) for i in b.images.all()],
                            }
                            for b in page.blocks.order_by("column", "position", "pk")
                        ],
                    }
                    for page in p.pages.order_by("position")
                ],
                "journal": [
                    {
                        "title": e.title,
                        "happened": e.happened,
                        "body": e.body,
                        "answers": e.answers,
                        "reflection_private": e.reflection_private,
                        "item": _item_ref(e.item_id),
                    }
                    for e in p.entries.order_by("happened", "pk")
                ],
            }
        )
    claims = []
    for c in SkillClaim.objects.filter(person=user).order_by("skill__name"):
        claims.append(
            {
                "skill": c.skill.name,
                "framework": c.framework.title if c.framework else None,
                "level": c.level,
                "statement": c.statement,
                "state": c.state,
                "portfolio": c.portfolio.item.title if c.portfolio else None,
                "evidence": [
                    (
                        ev.note,
                        ev.position,
                        (ev.block.title, ev.block.kind) if ev.block else None,
                        _item_ref(ev.item_id),
                        ev.enrolment_id,
                    )
                    for ev in c.evidence.order_by("position")
                ],
                "endorsements": [(e.endorser.username, e.level, e.comment) for e in c.endorsements.all()],
            }
        )
    return {"portfolios": portfolios, "claims": claims}


def export_bytes(user, portfolio=None) -> bytes:
    out = io.BytesIO()
    leap2a.write_leap2a(out, owner=user, portfolio=portfolio)
    return out.getvalue()
