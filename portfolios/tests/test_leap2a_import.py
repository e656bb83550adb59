"""Leap2A imports: every real export in the shared data imports; bad uploads are refused with nothing
written; endorsements cannot be forged."""

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image

from core.models import Item
from files.models import File
from portfolios import leap2a
from portfolios.models import Block, Portfolio, SkillClaim
from portfolios.tests.test_leap2a_world import build_world, export_bytes
from tests.shared_data import SHARED_DATA

MAHARA = sorted((SHARED_DATA / "leap2a").glob("*.xml"))


def _plan(user, data: bytes, name="upload.zip"):
    return leap2a.plan_import(leap2a.open_source(io.BytesIO(data), name=name), user=user)


def _import(user, data: bytes, name="upload.zip"):
    source = leap2a.open_source(io.BytesIO(data), name=name)
    plan = leap2a.plan_import(source, user=user)
    return plan, leap2a.apply_import(plan, source, user=user)


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _nothing_written(user):
    return not Portfolio.objects.filter(item__owner=user).exists() and not File.objects.exists()


@pytest.mark.parametrize("path", MAHARA, ids=[p.name for p in MAHARA])
def test_every_shared_leap2a_file_imports(personas, path):
    plan, report = _import(personas.alice, path.read_bytes(), name=path.name)
    assert report.created["portfolios"] == 2
    titles = set(Portfolio.objects.filter(item__owner=personas.alice).values_list("item__title", flat=True))
    assert titles == {"Portfolio page Alice 1", "Alice User1's Journal"}


@pytest.mark.parametrize("path", MAHARA, ids=[p.name for p in MAHARA])
def test_a_mahara_page_keeps_its_layout_and_text(personas, path):
    _import(personas.alice, path.read_bytes(), name=path.name)
    page = Portfolio.objects.get(item__title="Portfolio page Alice 1").pages.get()
    assert page.layout == "three"
    block = page.blocks.get()
    assert (block.kind, block.title, block.column) == (Block.Kind.TEXT, "Alice Text 1", 0)
    assert block.body.startswith("<p>Ut tincidunt")


def test_a_mahara_journal_becomes_a_process_portfolio(personas):
    _import(personas.alice, MAHARA[0].read_bytes(), name=MAHARA[0].name)
    journal = Portfolio.objects.get(item__title="Alice User1's Journal")
    assert journal.kind == Portfolio.Kind.PROCESS
    entry = journal.entries.get()
    assert entry.title == "Journal entry Alice 1" and str(entry.happened) == "2018-07-25"
    assert "Cras non dolor" in entry.body


def test_the_preview_says_what_cannot_be_mapped_and_why(personas):
    plan = _plan(personas.alice, MAHARA[1].read_bytes(), name=MAHARA[1].name)
    reasons = {r["what"]: r["reason"] for r in plan["unmapped"]}
    assert "profile page" in reasons["Page “Profile page”"]
    assert "dashboard" in reasons["Page “Dashboard page”"]
    assert "inbox" in reasons["Mahara block “inbox” on “Dashboard page”"]
    assert "Plans" in reasons["Plan “Alice Plan”"]
    assert "not in the upload" in reasons["File “dummy document3.odt”"]
    assert plan["counts"]["portfolios"] == 2 and plan["counts"]["unmapped"] == len(plan["unmapped"])


def test_planning_writes_nothing(personas):
    _plan(personas.alice, MAHARA[0].read_bytes())
    assert _nothing_written(personas.alice)


def test_namespaces_are_matched_by_their_tail(personas):
    plans = [_plan(personas.alice, path.read_bytes()) for path in MAHARA]
    assert [p["counts"] for p in plans][0] == [p["counts"] for p in plans][1]


def test_a_mahara_zip_with_its_files_imports_them(personas):
    jpeg = io.BytesIO()
    Image.new("RGB", (215, 194), "orange").save(jpeg, "JPEG")
    data = _zip({"leap2a.xml": MAHARA[0].read_bytes(), "files/1-215x194images 15.jpg": jpeg.getvalue()})
    plan, report = _import(personas.alice, data)
    assert report.created["files"] == 1
    item = Item.objects.get(owner=personas.alice, kind="file")
    assert item.title == "215x194images 15.jpg" and item.visibility == "private"
    assert "dummy document3.odt" in json.dumps(plan["unmapped"])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"\x00\x01not a portfolio", "neither a zip nor an XML"),
        (b"<feed", "not well-formed"),
        (b'<?xml version="1.0"?><rss/>', "not an Atom feed"),
        (b"PK\x03\x04broken", "not a zip"),
    ],
)
def test_unreadable_uploads_are_refused_with_a_reason(personas, data, message):
    with pytest.raises(leap2a.ArchiveError, match=message):
        _plan(personas.alice, data)
    assert _nothing_written(personas.alice)


def test_a_zip_without_leap2a_xml_is_refused(personas):
    with pytest.raises(leap2a.ArchiveError, match="no leap2a.xml"):
        _plan(personas.alice, _zip({"notes.txt": b"hello"}))


def test_entity_expansion_is_refused_before_parsing(personas):
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>&b;</title></feed>'
    )
    with pytest.raises(leap2a.ArchiveError, match="document type or entities"):
        _plan(personas.alice, bomb)


def test_external_entities_are_refused(personas, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret")
    xxe = (
        f'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>&x;</title></feed>'
    ).encode()
    with pytest.raises(leap2a.ArchiveError, match="document type"):
        _plan(personas.alice, xxe)


def test_zip_bombs_and_path_tricks_are_not_read(personas):
    members = {
        "leap2a.xml": MAHARA[0].read_bytes(),
        "../../etc/passwd": b"root:x:0:0",
        "files/bomb.txt": b"0" * (5 * 1024 * 1024),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    plan = _plan(personas.alice, out.getvalue())
    reasons = " ".join(r["reason"] for r in plan["unmapped"])
    assert "outside the archive" in reasons and "zip bomb" in reasons
    assert _nothing_written(personas.alice)


def test_an_oversized_file_in_the_zip_is_refused_and_the_rest_imports(personas, settings):
    settings.WATERCOOLER_MAX_UPLOAD_MB = 1
    big = io.BytesIO()
    Image.effect_noise((800, 800), 100).convert("RGB").save(big, "PNG")
    assert big.tell() > 1024 * 1024
    data = _zip({"leap2a.xml": MAHARA[0].read_bytes(), "files/1-215x194images 15.jpg": big.getvalue()})
    plan, report = _import(personas.alice, data)
    assert report.created["portfolios"] == 2 and not report.created.get("files")


def test_a_failure_while_writing_leaves_nothing_behind(personas, monkeypatch):
    build_world(personas)
    data = export_bytes(personas.alice)
    Portfolio.objects.all().delete()
    File.objects.all().delete()
    SkillClaim.objects.all().delete()
    media = Path(settings.MEDIA_ROOT)
    before = {p for p in media.rglob("*") if p.is_file()}

    def boom(self, planned, portfolio):
        raise RuntimeError("disk full")

    monkeypatch.setattr(leap2a._Applier, "claim", boom)
    with pytest.raises(RuntimeError):
        _import(personas.alice, data)
    assert _nothing_written(personas.alice)
    assert {p for p in media.rglob("*") if p.is_file()} == before


def test_endorsements_from_someone_elses_export_are_not_carried_over(personas):
    build_world(personas)
    data = export_bytes(personas.alice)
    plan, report = _import(personas.olly, data)
    claim = SkillClaim.objects.get(person=personas.olly, skill__name="Python")
    assert claim.state == SkillClaim.State.CLAIMED and not claim.endorsements.exists()
    assert any("Endorsement of Python" in r["what"] for r in plan["unmapped"])


def test_a_tampered_endorsement_is_refused(personas):
    build_world(personas)
    data = export_bytes(personas.alice)
    archive = zipfile.ZipFile(io.BytesIO(data))
    xml = (
        archive.read("leap2a.xml")
        .decode()
        .replace("&quot;level&quot;: 3, &quot;signature", "&quot;level&quot;: 5, &quot;signature")
    )
    xml = xml.replace('"level": 3, "signature"', '"level": 5, "signature"')
    members = {name: archive.read(name) for name in archive.namelist()}
    members["leap2a.xml"] = xml.encode()
    SkillClaim.objects.filter(person=personas.alice).delete()
    plan = _plan(personas.alice, _zip(members))
    reasons = [r["reason"] for r in plan["unmapped"] if r["what"].startswith("Endorsement")]
    assert reasons and "signature does not match" in reasons[0]


def test_a_claim_for_an_unknown_skill_is_reported(personas):
    feed = (
        b'<feed xmlns="http://www.w3.org/2005/Atom" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        b'xmlns:leap2="http://terms.leapspecs.org/"><leap2:version>http://www.leapspecs.org/2010-07/2A/</leap2:version>'
        b"<id>x</id><title>t</title><updated>2020-01-01T00:00:00Z</updated>"
        b"<entry><id>a1</id><title>Underwater basket weaving</title><updated>2020-01-01T00:00:00Z</updated>"
        b'<rdf:type rdf:resource="leap2:ability"/></entry></feed>'
    )
    plan = _plan(personas.alice, feed)
    assert plan["unmapped"][0]["what"] == "Skill claim “Underwater basket weaving”"


def test_the_command_prints_what_was_created_and_refused(personas, capsys):
    from django.core.management import call_command

    call_command("import_leap2a", "alice", str(MAHARA[1]))
    out = capsys.readouterr().out
    assert "Created: 2 portfolios" in out and "Refused (" in out and "inbox" in out


def test_the_command_fails_only_when_the_file_cannot_be_read(personas, tmp_path):
    from django.core.management import CommandError, call_command

    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK\x03\x04nope")
    with pytest.raises(CommandError, match="not a zip"):
        call_command("import_leap2a", "alice", str(bad))
