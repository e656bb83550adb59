import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from catalog.importing import COLUMNS, CsvError, apply_courses_import, parse_csv, plan_courses_import
from catalog.models import Course, Session
from core.models import Item
from tests.factories import SkillFactory
from tests.shared_data import SHARED_DATA

HEADER = "code,title,format,level,duration_minutes,language,skills,cost,currency,launch_url,tags\n"


@pytest.fixture
def skills(db):
    return SkillFactory(name="Negotiation", slug="negotiation"), SkillFactory(name="Python", slug="python")


def test_a_clean_file_adds_every_course_with_its_skills(personas, skills):
    data = HEADER + (
        "LD-1,Negotiation basics,Classroom,beginner,180,en,Negotiation,250,eur,,soft skills\n"
        "LD-2,Python for analysts,E-learning,intermediate,600,en,python;Negotiation,0,,https://learn.example/py,\n"
    )
    plan = plan_courses_import(data, actor=personas.lee)
    assert plan.ok, plan.report()
    courses = apply_courses_import(plan, actor=personas.lee)
    first, second = sorted(courses, key=lambda c: c.code)
    assert (first.format, first.cost, first.currency) == ("classroom", 250, "EUR")
    assert second.format == "elearning" and {s.slug for s in second.skills.all()} == {"python", "negotiation"}
    assert first.item.kind == "course" and [t.name for t in first.item.tags.all()] == ["soft skills"]


def test_a_row_with_a_known_code_updates_that_course(personas, skills):
    apply_courses_import(
        plan_courses_import(HEADER + "LD-1,Old title,classroom,,,,,,,,\n", actor=personas.lee), actor=personas.lee
    )
    plan = plan_courses_import(HEADER + "LD-1,New title,live online,,90,,,,,,\n", actor=personas.lee)
    assert [row.action for row in plan.rows] == ["update"]
    apply_courses_import(plan, actor=personas.lee)
    course = Course.objects.get(code="LD-1")
    assert (course.item.title, course.format, course.duration_minutes) == ("New title", "live_online", 90)


def test_bad_rows_refuse_the_whole_file_with_a_report_line_by_line(personas, skills):
    data = HEADER + (
        "LD-1,Fine course,classroom,,,,,,,,\n"
        ",,webinar,,,,,,,,\n"
        "LD-3,Costly,classroom,,-5,xx_YY,Juggling,12,,ftp://nope,\n"
        "LD-1,Duplicate code,classroom,,,,,,,,\n"
    )
    plan = plan_courses_import(data, actor=personas.lee)
    assert not plan.ok
    report = "\n".join(plan.report())
    assert "Line 3: A course needs a title." in report
    assert "Line 3: “webinar” is not a format" in report
    assert "Line 4: The skill “Juggling” is not in the skills taxonomy." in report
    assert "Line 4: A course that costs something needs a currency." in report
    assert "Line 4: The launch URL “ftp://nope” is not a web address" in report
    assert "Line 5: The code “LD-1” is also on line 2." in report
    with pytest.raises(ValidationError):
        apply_courses_import(plan, actor=personas.lee)
    assert not Item.objects.filter(kind="course").exists()


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ("", "The file is empty"),
        ("title,colour\nA,red\n", "Unknown column: colour"),
        ("code,summary\nA,b\n", "The columns title, format must be present."),
        ("title,format,title\nA,b,c\n", "The column title appears more than once."),
        ("title,format\n", "holds no courses"),
    ],
)
def test_a_file_that_is_not_the_catalogues_csv_is_refused_saying_why(personas, data, problem):
    plan = plan_courses_import(data, actor=personas.lee)
    assert not plan.ok and problem in " ".join(plan.report())


def test_only_curators_import_courses(personas):
    plan = plan_courses_import(HEADER + "LD-1,A,classroom,,,,,,,,\n", actor=personas.alice)
    assert plan.problems == ["Only curators can import courses."]


def test_excel_files_with_semicolons_a_byte_order_mark_or_a_windows_code_page_are_read():
    utf8 = "\ufefftitle;format;cost;currency\nSpreadsheets;book;12.50;GBP\n".encode()
    assert parse_csv(utf8) == [(2, {"title": "Spreadsheets", "format": "book", "cost": "12.50", "currency": "GBP"})]
    cp1252 = "title,format\nCafé talks,video\n".encode("cp1252")
    assert parse_csv(cp1252) == [(2, {"title": "Café talks", "format": "video"})]


cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(cells, min_size=1, max_size=6), max_size=8), st.sampled_from([",", ";", "\t"]))
def test_the_csv_parser_reads_anything_or_refuses_it_with_a_csv_error(rows, delimiter):
    text = "\n".join(delimiter.join(row) for row in rows)
    try:
        parsed = parse_csv(text)
    except CsvError as exc:
        assert str(exc)
        return
    for line, row in parsed:
        assert line >= 2
        assert set(row) <= set(COLUMNS) | {"__error__"}


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(cells, cells), min_size=1, max_size=6))
def test_titles_and_codes_written_with_the_csv_module_read_back_unchanged(pairs):
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["title", "format", "code"])
    for title, code in pairs:
        writer.writerow([title, "book", code])
    parsed = parse_csv(out.getvalue())
    wanted = [(t.strip(), c.strip()) for t, c in pairs]
    assert [(row["title"], row["code"]) for _, row in parsed] == wanted


def test_the_import_courses_command_imports_a_file(personas, tmp_path, capsys):
    path = tmp_path / "courses.csv"
    path.write_text(HEADER + "LD-9,Command course,video,,,,,,,,\n")
    call_command("import_courses", str(path), "--as", "lee")
    assert Course.objects.get(code="LD-9").item.owner == personas.lee
    assert "1 course added" in capsys.readouterr().out


def test_the_import_courses_command_refuses_a_bad_file_listing_its_rows(personas, tmp_path):
    path = tmp_path / "courses.csv"
    path.write_text(HEADER + ",,video,,,,,,,,\n")
    with pytest.raises(CommandError, match="Line 2: A course needs a title."):
        call_command("import_courses", str(path), "--as", "lee")
    assert not Course.objects.exists()


def test_the_import_sessions_command_adds_sessions_to_a_course_by_its_code(personas, course, capsys):
    course.code = "NEG-1"
    course.save()
    ics = SHARED_DATA / "ical" / "apple_tentative-apple-calendar.ics"
    call_command("import_sessions", "NEG-1", str(ics), "--capacity", "8", "--as", "lee")
    assert list(course.sessions.values_list("capacity", flat=True)) == [8, 8, 8]
    assert "3 new sessions" in capsys.readouterr().out


def test_the_import_sessions_command_refuses_a_broken_file_and_writes_nothing(personas, course):
    ics = SHARED_DATA / "ical" / "google_parsing_error.ics"
    with pytest.raises(CommandError, match="EXDATE"):
        call_command("import_sessions", str(course.pk), str(ics), "--as", "lee")
    assert not Session.objects.exists()


def test_the_import_sessions_command_dry_run_writes_nothing(personas, course, capsys):
    ics = SHARED_DATA / "ical" / "non-ascii-tzid_issue_237.ics"
    call_command("import_sessions", str(course.pk), str(ics), "--dry-run", "--as", "lee")
    assert "2017-05-11 13:30 America/Sao_Paulo" in capsys.readouterr().out
    assert not Session.objects.exists()


def test_the_import_commands_name_an_unknown_course_or_a_person_who_is_not_a_curator(personas, tmp_path):
    with pytest.raises(CommandError, match="no course “nope”"):
        call_command("import_sessions", "nope", str(tmp_path / "x.ics"))
    path = tmp_path / "x.csv"
    path.write_text(HEADER)
    with pytest.raises(CommandError, match="alice is not a curator"):
        call_command("import_courses", str(path), "--as", "alice")
