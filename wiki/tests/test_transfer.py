import io
import struct
import warnings
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from core.access import forget_space_roles
from core.models import Activity, Item, Visibility
from spaces.models import Membership
from tests.factories import MembershipFactory, SpaceFactory
from wiki import services, transfer
from wiki.models import Page, PageLink, Revision
from wiki.transfer import ONLY_MARKDOWN, ArchiveError

pytestmark = pytest.mark.django_db


def make_zip(entries: dict[str, str | bytes]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content.encode() if isinstance(content, str) else content)
    buffer.seek(0)
    return buffer


def read_zip(buffer) -> dict[str, str]:
    buffer.seek(0)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


def page(author, title, text="", *, space=None, parent=None, visibility=Visibility.SPACE, tags=()):
    return services.create_page(
        author=author, title=title, text=text, space=space, parent=parent, visibility=visibility, tags=tags
    )


def wiki_counts() -> tuple[int, ...]:
    return (Item.objects.count(), Page.objects.count(), Revision.objects.count(), Activity.objects.count())


@pytest.fixture
def tree(personas):
    """A small wiki in the team space: Handbook > (Onboarding > First week), Glossary; links between them."""
    mo, alice, team = personas.mo, personas.alice, personas.team
    handbook = page(mo, "Handbook", "# Handbook\n\nStart with [[Onboarding]].\n", space=team, tags=["Guides"])
    onboarding = page(
        alice, "Onboarding", "Read [[First week]] and [[team:Glossary|the glossary]].\n", space=team, parent=handbook
    )
    page(alice, "First week", "- [ ] laptop\n- [x] badge\n\nBack to [[Handbook]].", space=team, parent=onboarding)
    page(mo, "Glossary", "**API**: a contract.\n", space=team, tags=["Reference", "terms"])
    return handbook


# ---------------------------------------------------------------------------------------------- export


def test_a_page_exports_as_front_matter_then_its_text(tree):
    glossary = services.find_page(title="Glossary", space=tree.space)
    exported = transfer.export_page_markdown(glossary)
    assert exported == '---\ntitle: "Glossary"\ntags: ["Reference", "terms"]\nrevision: 1\n---\n**API**: a contract.\n'


def test_front_matter_keeps_quotes_and_colons_in_a_title(personas):
    odd = page(personas.mo, 'Q&A: "why" it fails', "text", space=personas.team)
    meta, body = transfer.split_front_matter(transfer.export_page_markdown(odd))
    assert (meta["title"], meta["tags"], body) == ('Q&A: "why" it fails', [], "text")


def test_a_page_exports_as_a_standalone_html_document_without_scripts(personas):
    text = "## Steps\n\n```python\nprint('hi')\n```\n\n<script>alert(1)</script>\n"
    risky = page(personas.mo, "Tips <b>bold</b>", text, space=personas.team)
    html = transfer.export_page_html(risky)
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert "<title>Tips &lt;b&gt;bold&lt;/b&gt;</title>" in html and "<h1>Tips &lt;b&gt;bold&lt;/b&gt;</h1>" in html
    assert '<h2 id="steps">Steps</h2>' in html and "<script>" not in html
    assert "Revision 1" in html


def test_html_export_does_not_repeat_a_title_the_text_opens_with(tree):
    html = transfer.export_page_html(tree)
    assert html.count("Handbook</h1>") == 1


def test_a_space_exports_as_markdown_files_in_folders_mirroring_the_tree(tree, personas):
    out = io.BytesIO()
    count = transfer.export_space_zip(personas.team, viewer=personas.mo, out=out)
    files = read_zip(out)
    assert count == 4
    assert sorted(files) == [
        "glossary.md",
        "handbook.md",
        "handbook/onboarding.md",
        "handbook/onboarding/first-week.md",
    ]
    assert files["handbook/onboarding.md"].endswith("Read [[First week]] and [[team:Glossary|the glossary]].\n")


def test_export_leaves_out_someone_elses_private_page_and_does_not_name_it_as_a_folder(tree, personas):
    secret = page(personas.alice, "Salary notes", "mine", space=personas.team, visibility=Visibility.PRIVATE)
    page(personas.alice, "Under the secret", "shared", space=personas.team, parent=secret)
    for viewer, expected in ((personas.mo, False), (personas.alice, True)):
        out = io.BytesIO()
        transfer.export_space_zip(personas.team, viewer=viewer, out=out)
        names = set(read_zip(out))
        assert ("salary-notes.md" in names) is expected
        assert ("salary-notes/under-the-secret.md" if expected else "under-the-secret.md") in names


def test_export_writes_to_a_stream_that_cannot_seek(tree, personas):
    class Pipe(io.RawIOBase):
        def __init__(self):
            self.data = bytearray()

        def writable(self):
            return True

        def write(self, chunk):
            self.data += chunk
            return len(chunk)

    pipe = Pipe()
    transfer.export_space_zip(personas.team, viewer=personas.mo, out=pipe)
    assert len(read_zip(io.BytesIO(bytes(pipe.data)))) == 4


# ---------------------------------------------------------------------------------------------- import


def test_a_round_trip_into_another_space_keeps_titles_tree_text_tags_and_links(tree, personas):
    out = io.BytesIO()
    transfer.export_space_zip(personas.team, viewer=personas.mo, out=out)
    copy = SpaceFactory(slug="copy", created_by=personas.mo)
    MembershipFactory(space=copy, user=personas.mo, role=Membership.Role.OWNER)
    forget_space_roles(personas.mo)
    plan = transfer.plan_import(out, space=copy, actor=personas.mo)
    assert (len(plan.created), plan.updated, plan.refused, plan.notes) == (4, [], [], [])
    transfer.apply_import(plan, actor=personas.mo)

    def shape(space):
        pages = Page.objects.filter(space=space).select_related("item", "current", "parent__item")
        return {
            p.item.title: (
                p.parent.item.title if p.parent else None,
                p.current.text,
                sorted(t.name for t in p.item.tags.all()),
            )
            for p in pages
        }

    assert shape(copy) == shape(personas.team)
    handbook = services.find_page(title="Handbook", space=copy)
    assert [link.target.item.title for link in PageLink.objects.filter(source=handbook)] == ["Onboarding"]


def test_importing_a_spaces_own_export_changes_nothing(tree, personas):
    out = io.BytesIO()
    transfer.export_space_zip(personas.team, viewer=personas.mo, out=out)
    plan = transfer.plan_import(out, space=personas.team, actor=personas.mo)
    assert (plan.created, plan.updated, len(plan.unchanged)) == ([], [], 4)


LATIN1 = "Caf\u00e9 notes".encode("latin-1")


@pytest.fixture
def vault():
    """An Obsidian vault as people zip it, with the things that must not get in."""
    entries = {
        ".obsidian/app.json": '{"legacyEditor": false}',
        ".obsidian/plugins/folder-notes/data.json": "{}",
        ".trash/Old.md": "thrown away",
        "Welcome.md": "# Welcome to the vault\n\nSee [[Install]] and [[Project Alpha|alpha]].\n",
        "Guides/index.md": "---\ntitle: Guides\n---\nHow we do things.\n",
        "Guides/Install.md": "---\ntags:\n  - setup\n  - '#howto'\n---\nRun `make`.\n",
        "Projects/Alpha.md": "---\ntitle: Project Alpha\ntags: [projects, alpha]\n---\nThe first one.\n",
        "Projects/Alpha/Meeting notes.md": "Talked about [[Welcome to the vault]].\n",
        "Archive/Hello.md": "---\ntitle: Welcome to the vault\n---\nAn older welcome.\n",
        "Attachments/diagram.png": b"\x89PNG\r\n\x1a\n" + b"\0" * 64,
        "Legacy/Cafe.md": LATIN1,
        "../evil.md": "# Evil",
        "/etc/passwd.md": "root",
        "Bomb.md": b"\0" * (50 * 1024 * 1024),
    }
    return make_zip(entries)


def test_an_obsidian_vault_gives_the_right_plan(vault, personas):
    plan = transfer.plan_import(vault, space=personas.team, actor=personas.mo)
    created = {p.title: (p.path, p.parent_title, p.made_up) for p in plan.created}
    assert created == {
        "Welcome to the vault": ("Welcome.md", "", False),
        "Guides": ("Guides/index.md", "", False),
        "Install": ("Guides/Install.md", "Guides", False),
        "Projects": ("Projects/", "", True),
        "Project Alpha": ("Projects/Alpha.md", "Projects", False),
        "Meeting notes": ("Projects/Alpha/Meeting notes.md", "Project Alpha", False),
    }
    refused = {r.path: r.reason for r in plan.refused}
    assert set(refused) == {
        "../evil.md",
        "/etc/passwd.md",
        "Archive/Hello.md",
        "Attachments/diagram.png",
        "Bomb.md",
        "Legacy/Cafe.md",
    }
    assert "outside the archive" in refused["../evil.md"] and "absolute" in refused["/etc/passwd.md"]
    assert (
        refused["Archive/Hello.md"] == "another file in the archive, Welcome.md, has the title “Welcome to the vault”"
    )
    assert refused["Attachments/diagram.png"] == ONLY_MARKDOWN
    assert "50.0 MB" in refused["Bomb.md"] and "not UTF-8" in refused["Legacy/Cafe.md"]
    assert {i.path: i.reason for i in plan.ignored} == {
        ".obsidian/app.json": "Obsidian settings",
        ".obsidian/plugins/folder-notes/data.json": "Obsidian settings",
        ".trash/Old.md": "Obsidian's trash",
    }
    assert plan.notes == ["The folder Projects/ has no page of its own: an empty page “Projects” is made for it."]


def test_an_obsidian_vault_keeps_tags_and_links_as_written(vault, personas):
    plan = transfer.plan_import(vault, space=personas.team, actor=personas.mo)
    by_title = {p.title: p for p in plan.created}
    assert by_title["Install"].tags == ["setup", "howto"] and by_title["Project Alpha"].tags == ["projects", "alpha"]
    assert by_title["Install"].text == "Run `make`.\n"
    assert by_title["Welcome to the vault"].text.endswith("See [[Install]] and [[Project Alpha|alpha]].\n")


def test_planning_writes_nothing(vault, personas):
    page(personas.mo, "Project Alpha", "Old text", space=personas.team)
    before = wiki_counts()
    plan = transfer.plan_import(vault, space=personas.team, actor=personas.mo)
    assert plan.has_work and wiki_counts() == before
    assert Revision.objects.filter(page__item__title="Project Alpha").count() == 1


def test_a_page_with_an_existing_title_becomes_a_new_revision_where_it_is(vault, personas):
    existing = page(personas.mo, "Project Alpha", "Old text", space=personas.team)
    plan = transfer.plan_import(vault, space=personas.team, actor=personas.alice)
    assert [p.title for p in plan.updated] == ["Project Alpha"] and "Project Alpha" not in {
        p.title for p in plan.created
    }
    assert transfer.UPDATE_POLICY in plan.notes[-1]
    report = transfer.apply_import(plan, actor=personas.alice)
    existing.refresh_from_db()
    assert report.updated == [existing] and (existing.current.number, existing.parent) == (2, None)
    assert (existing.current.text, existing.current.author) == ("The first one.\n", personas.alice)
    notes = services.find_page(title="Meeting notes", space=personas.team)
    assert notes.parent == existing


def test_applying_a_vault_creates_the_tree_and_resolves_links(vault, personas):
    plan = transfer.plan_import(vault, space=personas.team, actor=personas.mo)
    report = transfer.apply_import(plan, actor=personas.mo)
    assert len(report.created) == 6 and len(report.refused) == 6
    welcome = services.find_page(title="Welcome to the vault", space=personas.team)
    targets = {link.target_title: link.target for link in PageLink.objects.filter(source=welcome)}
    assert targets["Install"].item.title == "Install" and targets["Project Alpha"].item.title == "Project Alpha"
    projects = services.find_page(title="Projects", space=personas.team)
    assert (projects.current.text, projects.item.visibility) == ("", Visibility.SPACE)
    assert Revision.objects.filter(page__space=personas.team).first().summary.startswith("Imported from")


def test_a_folder_without_a_page_goes_under_an_existing_page_of_its_name(personas):
    existing = page(personas.mo, "Recipes", "Our recipes.", space=personas.team)
    plan = transfer.plan_import(make_zip({"Recipes/Soup.md": "Hot."}), space=personas.team, actor=personas.mo)
    assert [p.title for p in plan.created] == ["Soup"]
    assert plan.notes == ["The folder Recipes/ has no page of its own: its pages go under “Recipes”."]
    transfer.apply_import(plan, actor=personas.mo)
    assert services.find_page(title="Soup", space=personas.team).parent == existing


def test_a_private_page_of_someone_else_is_neither_revealed_nor_updated(personas):
    secret = page(personas.alice, "Plans", "alice's", space=personas.team, visibility=Visibility.PRIVATE)
    plan = transfer.plan_import(make_zip({"Plans.md": "mo's"}), space=personas.team, actor=personas.mo)
    assert ([p.title for p in plan.created], plan.updated, plan.refused) == (["Plans"], [], [])
    transfer.apply_import(plan, actor=personas.mo)
    secret.refresh_from_db()
    assert secret.current.text == "alice's"


def test_a_title_comes_from_front_matter_then_heading_then_file_name(personas):
    upload = make_zip(
        {
            "a.md": "---\ntitle: From front matter\n---\n# Not this\n",
            "b.md": "```\n# not a heading\n```\n# From heading\n",
            "c-file name.md": "no heading",
            "d.md": '---\ntitle: "Bad | title"\n---\n',
        }
    )
    plan = transfer.plan_import(upload, space=personas.team, actor=personas.mo)
    assert [p.title for p in plan.created] == ["From front matter", "From heading", "c-file name"]
    assert [(r.path, "wiki links use" in r.reason) for r in plan.refused] == [("d.md", True)]


def test_a_refused_folder_page_leaves_an_empty_page_for_its_folder(personas):
    upload = make_zip({"Guides.md": b"\xff\xfe bad", "Guides/Setup.md": "Steps."})
    plan = transfer.plan_import(upload, space=personas.team, actor=personas.mo)
    assert [(p.title, p.made_up, p.parent_title) for p in plan.created] == [
        ("Guides", True, ""),
        ("Setup", False, "Guides"),
    ]
    assert [r.path for r in plan.refused] == ["Guides.md"]


def test_a_made_up_folder_page_gives_way_to_a_real_file_with_its_name(personas):
    upload = make_zip({"Notes.md": "Real notes.", "a|b/Notes/x.md": "Deep."})
    plan = transfer.plan_import(upload, space=personas.team, actor=personas.mo)
    assert [(p.title, p.made_up) for p in plan.created] == [
        ("Notes", False),
        ("a-b", True),
        ("Notes (a-b/Notes)", True),
        ("x", False),
    ]
    transfer.apply_import(plan, actor=personas.mo)
    assert services.find_page(title="x", space=personas.team).parent.item.title == "Notes (a-b/Notes)"


def test_a_title_with_control_characters_is_refused(personas):
    upload = make_zip({"a.md": '---\ntitle: "Bell\\u0007 and NUL\\u0000"\n---\ntext'})
    plan = transfer.plan_import(upload, space=personas.team, actor=personas.mo)
    assert (plan.created, [(r.path, r.reason) for r in plan.refused]) == (
        [],
        [("a.md", "the title contains control characters")],
    )


def test_an_entry_that_unpacks_to_more_than_it_declares_is_refused(personas):
    buffer = make_zip({"Small.md": "x" * 100_000, "Fine.md": "ok"})
    data = bytearray(buffer.getvalue())
    # Make the archive claim 10 bytes for Small.md, in its local and central headers alike.
    local, central = data.find(b"PK\x03\x04"), data.find(b"PK\x01\x02")
    struct.pack_into("<I", data, local + 22, 10)
    struct.pack_into("<I", data, central + 24, 10)
    plan = transfer.plan_import(io.BytesIO(bytes(data)), space=personas.team, actor=personas.mo)
    assert [p.title for p in plan.created] == ["Fine"]
    assert [r.path for r in plan.refused] == ["Small.md"] and "damaged" in plan.refused[0].reason


def test_an_archive_that_is_not_a_zip_cannot_be_imported(personas):
    with pytest.raises(ArchiveError, match="not a zip"):
        transfer.plan_import(io.BytesIO(b"# just markdown"), space=personas.team, actor=personas.mo)


def test_an_archive_with_too_many_entries_cannot_be_imported(personas, monkeypatch):
    monkeypatch.setattr(transfer, "MAX_ENTRIES", 3)
    upload = make_zip({f"{n}.md": "x" for n in range(4)})
    with pytest.raises(ArchiveError, match="at most 3"):
        transfer.plan_import(upload, space=personas.team, actor=personas.mo)


def test_an_archive_that_would_unpack_too_large_cannot_be_imported(personas, monkeypatch):
    monkeypatch.setattr(transfer, "MAX_TOTAL_BYTES", 1000)
    upload = make_zip({"a.md": "x" * 600, "b.md": "y" * 600})
    with pytest.raises(ArchiveError, match="would unpack to 1,200 bytes"):
        transfer.plan_import(upload, space=personas.team, actor=personas.mo)


def test_someone_outside_the_space_cannot_import_into_it(personas):
    with pytest.raises(PermissionDenied):
        transfer.plan_import(make_zip({"a.md": "x"}), space=personas.team, actor=personas.olly)


def test_a_visibility_the_site_does_not_allow_is_refused_before_anything_is_read(personas):
    with pytest.raises(ValidationError, match="public on the web"):
        transfer.plan_import(io.BytesIO(b"not even a zip"), space=personas.team, actor=personas.mo, visibility="public")


def test_a_plan_is_carried_out_only_by_the_person_it_was_made_for(personas):
    plan = transfer.plan_import(make_zip({"a.md": "x"}), space=personas.team, actor=personas.mo)
    with pytest.raises(PermissionDenied):
        transfer.apply_import(plan, actor=personas.alice)
    assert not Page.objects.exists()


def test_an_edit_made_since_the_plan_is_merged_not_overwritten(personas):
    existing = page(personas.mo, "Notes", "one\ntwo\nthree\n", space=personas.team)
    plan = transfer.plan_import(
        make_zip({"Notes.md": "one\ntwo\nthree\nfour\n"}), space=personas.team, actor=personas.mo
    )
    services.save_page(page=existing, author=personas.alice, text="ONE\ntwo\nthree\n", base_number=1)
    transfer.apply_import(plan, actor=personas.mo)
    existing.refresh_from_db()
    assert existing.current.text == "ONE\ntwo\nthree\nfour\n" and existing.current.merged


# ------------------------------------------------------------------------------------------ properties

titles = (
    st.text(min_size=1, max_size=60)
    .map(lambda t: " ".join(t.split()))
    .filter(lambda t: t and "[[" not in t and "]]" not in t and "|" not in t)
)


@given(title=titles, tags=st.lists(st.text(min_size=1, max_size=12)), text=st.text().map(lambda t: t.replace("\r", "")))
def test_front_matter_gives_back_any_title_tags_and_text(title, tags, text):
    written = transfer._front_matter(title=title, tags=tags, revision=7) + text
    meta, body = transfer.split_front_matter(written)
    assert (meta["title"], meta["tags"], meta["revision"], body) == (title, tags, "7", text)


segments = st.sampled_from(["a", "B", "..", ".", "", ".obsidian", "index", "Notes", "Café", "x:y", "C:", "__MACOSX"])
entry_names = st.builds(
    lambda lead, parts, suffix: lead + "/".join(parts) + suffix,
    st.sampled_from(["", "/", "\\", "./"]),
    st.lists(segments, min_size=1, max_size=4).filter(lambda parts: any(parts)),
    st.sampled_from(["", ".md", ".MD", ".markdown", ".png", "/"]),
)
entry_contents = st.one_of(
    st.binary(max_size=40),
    st.text(max_size=40).map(str.encode),
    st.sampled_from([b"---\ntitle: Notes\n---\n", b"# Notes\n", b"---\ntitle: a|b\n---\n", b"\xff\xfe"]),
)


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.lists(st.tuples(entry_names, entry_contents), max_size=12))
def test_every_entry_of_any_archive_is_imported_refused_or_ignored_and_nothing_is_written(personas, entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of duplicate names, which the archive is meant to have
        for name, content in entries:
            archive.writestr(name, content)
    before = wiki_counts()
    plan = transfer.plan_import(buffer, space=personas.team, actor=personas.mo)
    files = [name for name, _ in entries if not name.endswith("/")]
    placed = [p for p in plan.created + plan.updated + plan.unchanged if not p.made_up]
    skipped = [n for n in files if not transfer._entry_parts(n)[0] and not transfer._entry_parts(n)[1]]
    assert len(files) == len(placed) + len(plan.refused) + len(plan.ignored) + len(skipped)
    keys = [" ".join(p.title.split()).casefold() for p in plan.created]
    assert len(keys) == len(set(keys)) and all(keys)
    created = set(plan.created)
    assert all(p.parent is None or p.parent in created or p.parent.existing for p in plan.created)
    assert all(
        created.isdisjoint([p.parent]) or plan.created.index(p.parent) < plan.created.index(p) for p in plan.created
    )
    assert wiki_counts() == before


# -------------------------------------------------------------------------------------------- commands


def test_import_wiki_prints_counts_and_reasons_and_succeeds_with_refusals(vault, personas, tmp_path):
    path = tmp_path / "vault.zip"
    path.write_bytes(vault.getvalue())
    out = io.StringIO()
    call_command("import_wiki", "team", str(path), "--as", "alice", stdout=out)
    printed = out.getvalue()
    assert "Imported into team as alice" in printed
    assert "  created: 6\n  updated: 0" in printed and "  refused: 6\n" in printed
    assert f"    Attachments/diagram.png: {ONLY_MARKDOWN}\n" in printed
    assert "  ignored: 3 (Obsidian settings: 2, Obsidian's trash: 1)" in printed
    assert Page.objects.filter(space=personas.team, item__owner=personas.alice).count() == 6


def test_import_wiki_writes_as_the_space_owner_by_default_and_can_only_show_the_plan(personas, tmp_path):
    path = tmp_path / "one.zip"
    path.write_bytes(make_zip({"One.md": "1"}).getvalue())
    out = io.StringIO()
    call_command("import_wiki", "team", str(path), "--dry-run", stdout=out)
    assert out.getvalue().startswith("Would import into team as mo:\n  created: 1") and not Page.objects.exists()
    call_command("import_wiki", "team", str(path), stdout=io.StringIO())
    assert Page.objects.get().item.owner == personas.mo


@pytest.mark.parametrize(
    ("space", "name", "user", "message"),
    [
        ("nowhere", "ok.zip", "mo", "There is no space “nowhere”"),
        ("team", "ok.zip", "nobody", "There is no user “nobody”"),
        ("team", "missing.zip", "mo", "cannot be read"),
        ("team", "text.zip", "mo", "not a zip"),
    ],
)
def test_import_wiki_fails_when_the_file_space_or_user_is_not_there(personas, tmp_path, space, name, user, message):
    (tmp_path / "ok.zip").write_bytes(make_zip({"a.md": "x"}).getvalue())
    (tmp_path / "text.zip").write_text("plain text")
    with pytest.raises(CommandError, match=message) as failure:
        call_command("import_wiki", space, str(tmp_path / name), "--as", user, stdout=io.StringIO())
    assert failure.value.returncode == 1 and not Page.objects.exists()


def test_export_wiki_writes_every_page_but_private_ones(tree, personas, tmp_path):
    page(personas.alice, "Diary", "mine", space=personas.team, visibility=Visibility.PRIVATE)
    target = tmp_path / "team.zip"
    out = io.StringIO()
    call_command("export_wiki", "team", str(target), stdout=out)
    assert out.getvalue() == f"Wrote 4 pages of team to {target}.\n"
    with target.open("rb") as fh:
        assert "diary.md" not in read_zip(fh) and len(read_zip(fh)) == 4


def test_export_wiki_fails_for_an_unknown_space_or_folder(personas, tmp_path):
    with pytest.raises(CommandError, match="no space"):
        call_command("export_wiki", "nowhere", str(tmp_path / "x.zip"))
    with pytest.raises(CommandError, match="does not exist"):
        call_command("export_wiki", "team", str(tmp_path / "no" / "x.zip"))
