import contextlib
import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from people.models import Skill
from people.services import import_skills
from people.skill_import import Format, parse_skills_file, plan_skill_import
from people.tests.helpers import SKILLS_DIR, skills_file

pytestmark = pytest.mark.django_db

HIERARCHY = "esco-1.2.0_skillsHierarchy_en.csv"
TRANSVERSAL = "esco-1.2.0_transversalSkillsCollection_en.csv"
DIGCOMP = "esco-1.2.0_digCompSkillsCollection_en.csv"
ONET = "onet-29.3_Content_Model_Reference.txt"


def simple(*rows, header=("name", "parent", "alt_labels", "description")) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def assert_depths_consistent():
    for skill in Skill.objects.select_related("parent"):
        assert skill.depth == (skill.parent.depth + 1 if skill.parent else 0), skill.name


def test_it_imports_the_esco_hierarchy_with_four_levels():
    plan = import_skills(data=skills_file(HIERARCHY))
    assert plan.format == Format.ESCO_HIERARCHY and plan.counts["created"] == 640 and not plan.refused
    assert Skill.objects.filter(parent__isnull=True).count() == 4
    assert sorted(set(Skill.objects.values_list("depth", flat=True))) == [0, 1, 2, 3]
    languages = Skill.objects.get(uri="http://data.europa.eu/esco/skill/e434e71a-f068-44ed-8059-d1af9eb592d7")
    assert languages.name == "classical languages" and languages.parent.name == "language skills and knowledge"
    assert "Latin from Antiquity" in languages.description and "Scope: Excludes:" in languages.description
    assert_depths_consistent()


def test_it_hangs_esco_collections_under_the_hierarchy_with_their_alt_labels():
    import_skills(data=skills_file(HIERARCHY))
    plan = import_skills(data=skills_file(TRANSVERSAL))
    assert plan.counts == {"created": 95, "updated": 0, "unchanged": 0, "refused": 0}
    initiative = Skill.objects.get(name="show initiative")
    assert initiative.parent.name == "taking a proactive approach" and initiative.parent.uri.startswith("http")
    assert "take the initiative" in initiative.alt_label_list
    assert initiative.depth == initiative.parent.depth + 1
    assert_depths_consistent()


def test_it_creates_broader_concepts_missing_from_the_taxonomy():
    plan = import_skills(data=skills_file(DIGCOMP))
    stubs = [p for p in plan.to_create if p.stub]
    assert plan.counts["created"] == 25 + len(stubs) and stubs
    assert Skill.objects.get(name="use e-services").parent is not None
    assert_depths_consistent()


def test_it_leaves_everything_unchanged_when_a_file_is_imported_again():
    import_skills(data=skills_file(HIERARCHY))
    import_skills(data=skills_file(TRANSVERSAL))
    before = Skill.objects.count()
    assert import_skills(data=skills_file(TRANSVERSAL)).counts == {
        "created": 0,
        "updated": 0,
        "unchanged": 95,
        "refused": 0,
    }
    assert import_skills(data=skills_file(HIERARCHY)).counts["unchanged"] == 640
    assert Skill.objects.count() == before


def test_it_reads_the_tab_separated_onet_content_model():
    plan = import_skills(data=skills_file(ONET))
    assert plan.format == Format.ONET and plan.counts["created"] == 627
    reading = Skill.objects.get(uri="onet:2.A.1.a")
    assert reading.name == "Reading Comprehension" and reading.parent.uri == "onet:2.A.1"
    assert_depths_consistent()


def test_it_imports_the_simple_format_with_parents_by_name_in_any_order():
    data = simple(
        ("Django", "Python", "django framework|DRF", "Web."),
        ("Python", "Programming", "", ""),
        ("Programming", "", "", ""),
    )
    plan = import_skills(data=data)
    assert plan.counts["created"] == 3
    django = Skill.objects.get(name="Django")
    assert (django.parent.name, django.parent.parent.name, django.depth) == ("Python", "Programming", 2)
    assert django.alt_label_list == ["django framework", "DRF"]


def test_it_moves_a_stored_skill_and_updates_the_depth_of_everything_under_it(tree):
    plan = import_skills(data=simple(("Programming", "Negotiation", "", "")))
    assert plan.counts["updated"] == 1 and plan.depth_changes
    tree.django.refresh_from_db()
    assert tree.django.depth == 3
    assert_depths_consistent()


def test_it_refuses_rows_that_would_make_a_loop(tree):
    plan = import_skills(data=simple(("Programming", "Django", "", "")))
    assert plan.counts["refused"] == 1
    assert "It would make a loop: Programming → Django → Python → Programming." in plan.refused[0].reason
    tree.programming.refresh_from_db()
    assert tree.programming.parent is None


def test_it_reports_refused_rows_and_imports_the_rest():
    data = simple(
        ("Good", "", "", ""),
        ("", "Good", "", ""),
        ("Orphan", "Nowhere", "", ""),
        ("Good", "", "", ""),
        ("x" * 201, "", "", ""),
    )
    plan = import_skills(data=data)
    reasons = {r.line: r.reason for r in plan.refused}
    assert reasons == {
        3: "The name is empty.",
        4: "Its parent “Nowhere” is not in the file or the taxonomy.",
        5: "It repeats the skill on line 2.",
        6: "The name is over 200 characters.",
    }
    assert list(Skill.objects.values_list("name", flat=True)) == ["Good"]


def test_it_imports_nothing_in_strict_mode_when_a_row_is_refused():
    with pytest.raises(ValidationError, match="1 rows were refused"):
        import_skills(data=simple(("Good", "", "", ""), ("Orphan", "Nowhere", "", "")), strict=True)
    assert not Skill.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "This is not a text file."),
        ("name\nCafé".encode("latin-1"), "The file is not UTF-8 text."),
        (b"title,author\nDune,Herbert\n", "The columns are not a skills file we know."),
        (b"name,parent\n", "The file has a header but no skills."),
    ],
)
def test_it_refuses_files_it_cannot_read_with_a_clear_message(data, message):
    with pytest.raises(ValidationError) as info:
        parse_skills_file(data)
    assert message in info.value.messages[0]


def test_it_imports_from_the_command_line_and_can_dry_run():
    out = io.StringIO()
    call_command("import_skills", f"{SKILLS_DIR}/{HIERARCHY}", "--dry-run", stdout=out)
    assert "Would import" in out.getvalue() and "640 created" in out.getvalue()
    assert not Skill.objects.exists()
    call_command("import_skills", f"{SKILLS_DIR}/{HIERARCHY}", stdout=io.StringIO())
    assert Skill.objects.count() == 640


def test_it_fails_the_command_cleanly_on_a_bad_file(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"title\nx\n")
    with pytest.raises(CommandError, match="not a skills file"):
        call_command("import_skills", str(bad))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_skills", str(tmp_path / "missing.csv"))


def test_it_previews_before_importing_on_the_curator_page(personas, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(personas.lee)
    upload = SimpleUploadedFile("transversal.csv", skills_file(TRANSVERSAL), content_type="text/csv")
    preview = client.post(reverse("people:skill-import"), {"file": upload})
    assert "Preview: transversal.csv" in preview.content.decode() and not Skill.objects.exists()
    token = preview.context["token"]
    report = client.post(reverse("people:skill-import"), {"token": token, "confirm": "1"})
    assert "Import finished" in report.content.decode()
    assert Skill.objects.filter(name="show initiative").exists()
    again = client.post(reverse("people:skill-import"), {"token": token, "confirm": "1"}, follow=True)
    assert "no longer waiting" in again.content.decode()


def test_it_cancels_a_previewed_import(personas, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(personas.ada)
    upload = SimpleUploadedFile("mine.csv", simple(("Baking", "", "", "")), content_type="text/csv")
    token = client.post(reverse("people:skill-import"), {"file": upload}).context["token"]
    response = client.post(reverse("people:skill-import"), {"token": token, "cancel": "1"}, follow=True)
    assert "nothing changed" in response.content.decode() and not Skill.objects.exists()


def test_it_shows_a_file_error_on_the_upload_form(personas, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("notes.csv", b"title\nhello\n", content_type="text/csv")
    response = client_for(personas.lee).post(reverse("people:skill-import"), {"file": upload})
    assert response.status_code == 200 and "not a skills file we know" in response.content.decode()


def test_it_hides_the_import_page_from_people_who_are_not_curators(personas, client_for):
    assert client_for(personas.alice).get(reverse("people:skill-import")).status_code == 404
    assert client_for(personas.lee).get(reverse("people:skill-import")).status_code == 200


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_the_parser_only_ever_raises_a_validation_error_on_random_bytes(data):
    with contextlib.suppress(ValidationError):
        parse_skills_file(data)


cell = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(
        [
            "name,parent,alt_labels,description",
            "conceptUri,preferredLabel,broaderConceptUri,broaderConceptPT,altLabels,status",
            "Level 0 URI,Level 0 preferred term,Level 1 URI,Level 1 preferred term,Description",
            "Element ID\tElement Name\tDescription",
        ]
    ),
    st.lists(st.lists(cell, max_size=6), max_size=12),
)
def test_the_parser_and_planner_handle_random_rows_of_every_format(header, rows):
    delimiter = "\t" if "\t" in header else ","
    out = io.StringIO()
    out.write(header + "\n")
    csv.writer(out, delimiter=delimiter).writerows(rows)
    try:
        parsed = parse_skills_file(out.getvalue().encode())
    except ValidationError:
        return
    plan = plan_skill_import(parsed, existing=[])
    assert plan.counts["refused"] + len({p.line for p in plan.planned if not p.stub}) <= len(rows)
    assert all(p.depth == 0 or p.parent_row is not None or p.parent_id is not None for p in plan.planned)


# Stored names too (from the tree fixture), so rows also move stored skills around.
NAMES = ["a", "b", "c", "Programming", "python", "Django"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(NAMES), st.sampled_from(["", *NAMES])), min_size=1, max_size=10))
def test_random_simple_imports_keep_the_tree_free_of_loops_and_depths_right(tree, pairs):
    from django.db import transaction

    with transaction.atomic():
        import_skills(data=simple(*[(name, parent, "", "") for name, parent in pairs]))
        assert_depths_consistent()
        transaction.set_rollback(True)


def test_it_deletes_uploads_abandoned_for_a_day_when_someone_previews(personas, client_for):
    import os
    import time

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.core.files.uploadedfile import SimpleUploadedFile

    old = default_storage.save("imports/skills/old.csv", ContentFile(b"name\nx\n"))
    two_days_ago = time.time() - 2 * 86400
    os.utime(default_storage.path(old), (two_days_ago, two_days_ago))
    upload = SimpleUploadedFile("mine.csv", simple(("Baking", "", "", "")), content_type="text/csv")
    client_for(personas.lee).post(reverse("people:skill-import"), {"file": upload})
    assert not default_storage.exists(old)
    assert len(default_storage.listdir("imports/skills")[1]) == 1
