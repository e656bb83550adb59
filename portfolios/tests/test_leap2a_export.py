"""A Leap2A export follows the 2010-07 structure: Atom's required elements, leap2:version, known item types,
every link's target present, every enclosure in the zip; and it carries what Mahara's exports lose."""

import io
import json
import zipfile
from xml.etree import ElementTree as ET

import pytest

from portfolios import leap2a
from portfolios.tests.test_leap2a_world import build_world, export_bytes

A, RDF, LEAP2, MAHARA, WC = (
    "{http://www.w3.org/2005/Atom}",
    "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}",
    "{http://terms.leapspecs.org/}",
    "{" + leap2a.NS_MAHARA + "}",
    "{" + leap2a.NS_WC + "}",
)
ATOM_RELS = {"enclosure", "related", "alternate", "self"}
LEAP2_RELS = {
    "leap2:has_part",
    "leap2:is_part_of",
    "leap2:has_evidence",
    "leap2:is_evidence_of",
    "leap2:reflects_on",
    "leap2:reflected_on_by",
    "leap2:relation",
}


@pytest.fixture
def exported(personas):
    world = build_world(personas)
    data = export_bytes(personas.alice)
    archive = zipfile.ZipFile(io.BytesIO(data))
    root = ET.fromstring(archive.read("leap2a.xml"))  # noqa: S314 - our own export, just written
    entries = {e.findtext(f"{A}id"): e for e in root.findall(f"{A}entry")}
    return world, archive, root, entries


def _types(entry):
    return [t.get(f"{RDF}resource") for t in entry.findall(f"{RDF}type")]


def _links(entry, rel=None):
    return [(lk.get("rel"), lk.get("href")) for lk in entry.findall(f"{A}link") if rel is None or lk.get("rel") == rel]


def _ext(entry, name):
    return json.loads(entry.findtext(f"{WC}{name}"))


def test_the_feed_has_atoms_required_elements_and_the_leap2a_version(exported):
    _, _, root, _ = exported
    assert root.tag == f"{A}feed"
    assert root.findtext(f"{LEAP2}version") == "http://www.leapspecs.org/2010-07/2A/"
    for required in ("id", "title", "updated"):
        assert root.findtext(f"{A}{required}").strip()
    assert root.find(f"{A}author/{A}name").text == "Alice Learner"


def test_every_entry_has_an_id_a_title_an_updated_date_and_one_leap2a_type(exported):
    _, _, root, entries = exported
    assert len(entries) == len(root.findall(f"{A}entry")), "ids are unique"
    for entry_id, entry in entries.items():
        assert entry_id and entry.findtext(f"{A}title").strip() and entry.findtext(f"{A}updated")
        (kind,) = _types(entry)
        assert kind.startswith("leap2:") and kind[6:] in leap2a.ITEM_TYPES, kind


def test_every_link_target_is_in_the_feed_and_every_enclosure_in_the_zip(exported):
    _, archive, _, entries = exported
    names = set(archive.namelist())
    for entry in entries.values():
        for rel, href in _links(entry):
            assert rel in ATOM_RELS | LEAP2_RELS, rel
            if rel == "enclosure":
                assert href in names
            elif rel.startswith("leap2:"):
                assert href in entries, f"{rel} → {href}"


def test_relationships_are_written_in_both_directions(exported):
    _, _, _, entries = exported
    inverse = {"leap2:has_part": "leap2:is_part_of", "leap2:reflected_on_by": "leap2:reflects_on"}
    for entry_id, entry in entries.items():
        for rel, href in _links(entry):
            if rel in inverse and href.startswith(("portfolio:page", "portfolio:block", "portfolio:reflection")):
                assert (inverse[rel], entry_id) in _links(entries[href]), f"{entry_id} {rel} {href}"


def test_pages_are_webpage_selections_with_mahara_layouts(exported):
    _, _, _, entries = exported
    pages = [e for e in entries.values() if e.find(f"{A}category[@term='Webpage']") is not None]
    assert {p.findtext(f"{A}title") for p in pages} == {"About me", "Work", "Goals"}
    about = next(p for p in pages if p.findtext(f"{A}title") == "About me")
    view = about.find(f"{MAHARA}view")
    assert view.get(f"{MAHARA}layout") == "67,33"
    columns = view.findall(f"{MAHARA}row/{MAHARA}column")
    assert len(columns) == 2
    first = columns[0].find(f"{MAHARA}blockinstance")
    assert first.get(f"{MAHARA}blocktype") == "text"
    assert "analyse" in json.loads(first.find(f"{MAHARA}text").text)[0]


def test_a_portfolio_is_a_website_selection_of_its_pages_in_order(exported):
    world, _, _, entries = exported
    portfolio = entries[f"portfolio:portfolio{world['show'].pk}"]
    assert portfolio.find(f"{A}category").get("term") == "Website"
    parts = [href for _, href in _links(portfolio, "leap2:has_part")]
    assert [entries[h].findtext(f"{A}title") for h in parts] == ["About me", "Work"]


def test_files_are_resources_with_enclosures_and_their_bytes(exported):
    world, archive, _, entries = exported
    block = next(e for e in entries.values() if e.findtext(f"{A}title") == "Me")
    assert _types(block) == ["leap2:resource"]
    (enclosure,) = [lk for lk in block.findall(f"{A}link") if lk.get("rel") == "enclosure"]
    assert enclosure.get("type") == "image/png"
    data = archive.read(enclosure.get("href"))
    assert len(data) == int(enclosure.get("length")) == world["photo"].file.size


def test_private_blocks_and_reflections_are_in_the_owners_export_marked(exported):
    _, _, _, entries = exported
    private = [e for e in entries.values() if e.find(f"{A}category[@term='Private']") is not None]
    titles = {e.findtext(f"{A}title") for e in private}
    assert titles == {"Notes to self", "Reflection on Window functions"}


def test_the_journal_is_a_blog_of_entries_each_reflected_on(exported):
    world, _, _, entries = exported
    journal = entries[f"portfolio:journal{world['process'].pk}"]
    assert journal.find(f"{A}category").get("term") == "Blog"
    posts = [entries[h] for _, h in _links(journal, "leap2:has_part")]
    assert [p.findtext(f"{A}title") for p in posts] == ["First joins", "Window functions"]
    (reflection,) = [h for _, h in _links(posts[0], "leap2:reflected_on_by")]
    assert _ext(entries[reflection], "reflection")["answers"][0]["answer"] == "Joins made sense."
    assert posts[0].find(f"{LEAP2}date").text == "2026-02-01"


def test_the_competency_map_survives_claims_levels_evidence_and_endorsements(exported):
    world, _, _, entries = exported
    claim = entries[f"portfolio:claim{world['claim'].pk}"]
    assert _types(claim) == ["leap2:ability"]
    data = _ext(claim, "claim")
    assert (data["skill"], data["level"], data["level_name"]) == ("Python", 3, "Skilled (Data skills)")
    assert data["framework"]["levels"][1]["descriptor"] == "Works alone"
    evidence = [h for _, h in _links(claim, "leap2:has_evidence")]
    assert len(evidence) == 5  # two blocks, a file, a course completion, an endorsement
    for href in evidence:
        assert ("leap2:is_evidence_of", f"portfolio:claim{world['claim'].pk}") in _links(entries[href])
    endorsement = next(entries[h] for h in evidence if h.startswith("portfolio:endorsement"))
    assert endorsement.find(f"{A}author/{A}name").text == "Mo Mentor"
    assert _ext(endorsement, "endorsement")["signature"]


def test_an_export_of_one_portfolio_holds_only_it_and_its_claims(personas):
    world = build_world(personas)
    data = export_bytes(personas.alice, world["process"])
    root = ET.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("leap2a.xml"))  # noqa: S314 - our own export
    titles = {e.findtext(f"{A}title") for e in root.findall(f"{A}entry")}
    assert "Learning SQL" in titles and "My best work" not in titles
    assert not [e for e in root.findall(f"{A}entry") if _types(e) == ["leap2:ability"]]


def test_xhtml_content_is_well_formed_and_sanitised(personas):
    from portfolios import services

    world = build_world(personas)
    page = world["show"].pages.first()
    services.add_block(
        actor=personas.alice,
        page=page,
        kind="text",
        title="Tricky",
        body="<script>x()</script>a<br>b &nbsp; <img src=x onerror=y>",
    )
    data = zipfile.ZipFile(io.BytesIO(export_bytes(personas.alice))).read("leap2a.xml")
    root = ET.fromstring(data)  # noqa: S314 - our own export, just written
    tricky = next(e for e in root.findall(f"{A}entry") if e.findtext(f"{A}title") == "Tricky")
    xhtml = ET.tostring(tricky.find(f"{A}content"), encoding="unicode")
    assert "script" not in xhtml and "onerror" not in xhtml and "<html:br />" in xhtml


def test_progress_grows_and_never_passes_the_total(personas):
    build_world(personas)
    seen = []
    leap2a.write_leap2a(io.BytesIO(), owner=personas.alice, progress=lambda done, total: seen.append((done, total)))
    dones = [done for done, _ in seen]
    assert seen and dones == sorted(dones) and all(0 < done <= total for done, total in seen)
