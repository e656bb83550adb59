"""mentoring.runs and ``manage.py match``: a curator's preview run, hand edits, publishing (pairs started, both
people told) and discarding; the run's report; the command's dry run."""

from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from core.models import Activity, Notification
from mentoring import pairs, runs, services
from mentoring.models import Agreement, Application, CheckIn, Match, MatchRun
from mentoring.tests.match_helpers import apply, make_person, make_programme, skill_tree
from people.models import Site

pytestmark = pytest.mark.django_db

MENTOR, MENTEE = Application.Side.MENTOR, Application.Side.MENTEE
NOW = datetime(2026, 1, 14, 12, tzinfo=UTC)


@pytest.fixture
def world(personas):
    """A programme run by lee: three mentees who want Python, one who speaks only Portuguese, and two mentors
    (one with room for two, one for one), at two sites."""
    lisbon, tokyo = Site.objects.create(name="Lisbon"), Site.objects.create(name="Tokyo")
    programme = make_programme(personas.lee)
    tree = skill_tree()
    people = {}
    for name, site, department, seniority in (
        ("ana", lisbon, "Data", 1),
        ("ben", lisbon, "Sales", 2),
        ("cleo", tokyo, "Data", 1),
    ):
        person = make_person(name, site=site, department=department)
        people[name] = apply(programme, person, MENTEE, skills=[tree["python"]], seniority=seniority)
    people["joao"] = apply(programme, make_person("joao", site=tokyo, department="Sales"), MENTEE, languages=["pt"])
    people["mo"] = apply(
        programme, make_person("mo_mentor", site=lisbon), MENTOR, skills=[tree["python"]], capacity=2, seniority=3
    )
    people["zoe"] = apply(
        programme, make_person("zoe", site=tokyo), MENTOR, skills=[tree["programming"]], capacity=1, seniority=3
    )
    return programme, people, tree


def told_url(match):
    return f"/mentoring/pairs/{match.pk}/"


# --- the preview ---------------------------------------------------------------------------------------------------


def test_a_run_previews_draft_pairs_with_explanations_and_a_report(world, personas):
    programme, people, _ = world
    run = runs.start_run(programme, by=personas.lee, now=NOW)
    assert run.state == MatchRun.State.PREVIEW and run.started_by == personas.lee
    matches = list(run.matches.all())
    assert len(matches) == 3
    assert all(m.state == Match.State.DRAFT and m.origin == Match.Origin.RUN for m in matches)
    for m in matches:
        assert m.score == pytest.approx(sum(part["points"] for part in m.explanation), abs=1e-9)
    stats = run.stats
    assert stats["matched"] == 3 and stats["mentees"] == 4 and stats["mentor_room"] == 3
    assert stats["unmatched"] == [
        {
            "application_id": people["joao"].pk,
            "person_id": people["joao"].person_id,
            "name": "Joao",
            "reason": "no mentor speaks Portuguese",
        }
    ]
    assert stats["total_score"] == pytest.approx(sum(m.score for m in matches))
    assert sum(b["count"] for b in stats["histogram"]) == 3 and len(stats["histogram"]) == 10
    assert set(stats["seconds"]) >= {"load", "features", "score", "assign", "explain", "write", "total"}


def test_the_fairness_report_gives_match_rate_and_mean_score_by_site_department_and_seniority(world, personas):
    programme, _, _ = world
    fairness = runs.start_run(programme, by=personas.lee, now=NOW).stats["fairness"]
    by_site = {row["group"]: row for row in fairness["site"]}
    assert by_site["Lisbon"]["mentees"] == 2 and by_site["Lisbon"]["match_rate"] == 1.0
    assert by_site["Tokyo"]["mentees"] == 2 and by_site["Tokyo"]["matched"] == 1
    assert by_site["Tokyo"]["match_rate"] == 0.5
    by_department = {row["group"]: row for row in fairness["department"]}
    assert by_department["Sales"]["match_rate"] == 0.5 and by_department["Data"]["match_rate"] == 1.0
    assert {row["group"] for row in fairness["seniority"]} == {"Early career", "Experienced"}
    assert all(row["mean_score"] > 0 for row in fairness["seniority"])


def test_only_the_programmes_curators_run_it(world, personas):
    programme, _, _ = world
    with pytest.raises(PermissionDenied):
        runs.start_run(programme, by=personas.alice)
    assert not MatchRun.objects.exists()


def test_mentors_in_live_pairs_count_against_their_capacity(world, personas):
    programme, people, _ = world
    Match.objects.create(programme=programme, mentor=people["mo"].person, mentee=personas.alice, state="active")
    run = runs.start_run(programme, by=personas.lee, now=NOW)
    mentors = [m.mentor_id for m in run.matches.all()]
    assert mentors.count(people["mo"].person_id) == 1 and run.stats["mentor_room"] == 2
    assert run.stats["matched"] == 2


def test_starting_a_run_takes_a_bounded_number_of_queries(world, personas, django_assert_max_num_queries):
    programme, _, tree = world
    for n in range(30):
        apply(programme, make_person(f"extra{n}"), MENTEE, skills=[tree["sql"]])
    with django_assert_max_num_queries(20):
        runs.start_run(programme, by=personas.lee, now=NOW)


# --- hand edits ----------------------------------------------------------------------------------------------------


def test_a_curator_pairs_by_hand_and_the_report_follows(world, personas):
    programme, people, _ = world
    run = runs.start_run(programme, by=personas.lee, now=NOW)
    ben = Match.objects.get(run=run, mentee=people["ben"].person)
    runs.set_pair(run, mentee_application=people["ben"], mentor_application=None, by=personas.lee)
    run.refresh_from_db()
    assert run.stats["matched"] == 2 and run.stats["hand_edits"] == 1
    assert {"name": "Ben", "reason": "left unmatched by hand by Lee Curator"}.items() <= run.stats["unmatched"][
        0
    ].items()
    free = people["mo"] if ben.mentor_id == people["mo"].person_id else people["zoe"]
    match = runs.set_pair(run, mentee_application=people["ben"], mentor_application=free, by=personas.lee)
    assert match.origin == Match.Origin.HAND and match.state == Match.State.DRAFT
    assert match.score == pytest.approx(sum(p["points"] for p in match.explanation))
    run.refresh_from_db()
    assert run.stats["matched"] == 3 and [u["name"] for u in run.stats["unmatched"]] == ["Joao"]


def test_a_hand_pair_with_a_full_mentor_is_refused(world, personas):
    programme, people, _ = world
    run = runs.start_run(programme, by=personas.lee, now=NOW)
    zoe_mentee = Match.objects.get(run=run, mentor=people["zoe"].person).mentee
    other = next(a for k, a in people.items() if k in ("ana", "ben", "cleo") and a.person != zoe_mentee)
    with pytest.raises(ValidationError, match="Zoe is full"):
        runs.set_pair(run, mentee_application=other, mentor_application=people["zoe"], by=personas.lee)
    assert run.matches.filter(mentee=other.person).exists()  # the refused edit changed nothing


def test_a_hand_pair_without_a_shared_language_is_refused(world, personas):
    programme, people, _ = world
    run = runs.start_run(programme, by=personas.lee, now=NOW)
    mos_mentee = Match.objects.filter(run=run, mentor=people["mo"].person).first().mentee
    freed = Application.objects.get(programme=programme, person=mos_mentee, side=MENTEE)
    runs.set_pair(run, mentee_application=freed, mentor_application=None, by=personas.lee)
    with pytest.raises(ValidationError, match="share no language"):
        runs.set_pair(run, mentee_application=people["joao"], mentor_application=people["mo"], by=personas.lee)


def test_only_curators_edit_and_only_a_preview(world, personas):
    programme, people, _ = world
    run = runs.start_run(programme, by=personas.lee, now=NOW)
    with pytest.raises(PermissionDenied):
        runs.set_pair(run, mentee_application=people["ana"], mentor_application=None, by=personas.mo)
    runs.discard_run(run, by=personas.lee)
    with pytest.raises(ValidationError, match="discarded"):
        runs.set_pair(run, mentee_application=people["ana"], mentor_application=None, by=personas.lee)
    with pytest.raises(ValidationError):
        runs.publish_run(run, by=personas.lee)


# --- publishing and discarding -------------------------------------------------------------------------------------


def test_publishing_starts_every_pair_and_tells_both_people(world, personas, django_capture_on_commit_callbacks):
    programme, _, _ = world
    run = runs.start_run(programme, by=personas.lee, now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        published = runs.publish_run(run, by=personas.lee, now=NOW)
    assert len(published) == 3
    run.refresh_from_db()
    assert run.state == MatchRun.State.PUBLISHED and run.published_at == NOW and run.stats["published"] == 3
    for match in published:
        match.refresh_from_db()
        assert match.state == Match.State.ACTIVE and match.started == NOW and match.ends_on is not None
        assert Agreement.objects.get(match=match).parts[0]["key"] == "goals"
        assert set(CheckIn.objects.filter(match=match).values_list("person_id", flat=True)) == {
            match.mentor_id,
            match.mentee_id,
        }
        told = Activity.objects.filter(verb=Activity.Verb.MATCHED, item=programme.item, actor=personas.lee)
        assert set(told.filter(extra__url=told_url(match)).values_list("target_id", flat=True)) == {
            match.mentor_id,
            match.mentee_id,
        }
        for person in (match.mentor, match.mentee):
            notes = Notification.objects.filter(
                recipient=person, kind="mentoring", activity__extra__url=told_url(match)
            )
            assert [n.activity.extra["says"][:28] for n in notes] == ["Lee Curator matched you with"]


def test_a_published_pair_is_the_same_as_one_started_by_start_pair(world, personas):
    """publish_run starts pairs in bulk; this guards it against drifting from mentoring.pairs.start_pair."""
    programme, people, _ = world
    run = runs.start_run(programme, by=personas.lee, now=NOW)
    published = runs.publish_run(run, by=personas.lee, now=NOW)[0]
    single = Match.objects.create(
        programme=programme, mentor=personas.mo, mentee=personas.alice, state=Match.State.DRAFT, origin="hand"
    )
    pairs.start_pair(single, now=NOW)
    published.refresh_from_db()
    single.refresh_from_db()
    for name in ("state", "started", "ends_on", "responded_at", "closed_at", "at_risk"):
        assert getattr(published, name) == getattr(single, name), name
    assert published.agreement.parts == single.agreement.parts
    assert published.agreement.updated == single.agreement.updated
    assert sorted(published.checkins.values_list("due", "answered_at", "score")) == sorted(
        single.checkins.values_list("due", "answered_at", "score")
    )
    for relation in Match._meta.related_objects:  # anything else start_pair comes to make, a run must make too
        accessor = relation.get_accessor_name()
        if relation.one_to_one:
            assert hasattr(published, accessor) == hasattr(single, accessor), accessor
        else:
            assert getattr(published, accessor).count() == getattr(single, accessor).count(), accessor


def test_either_person_may_decline_a_published_pair(world, personas):
    programme, _, _ = world
    run = runs.start_run(programme, by=personas.lee, now=NOW)
    first, second = runs.publish_run(run, by=personas.lee, now=NOW)[:2]
    services.decline_match(match=first, by=first.mentee, note="Not now")
    services.decline_match(match=second, by=second.mentor)
    assert Match.objects.get(pk=first.pk).state == Match.State.DECLINED
    assert Match.objects.get(pk=second.pk).state == Match.State.DECLINED


def test_publishing_drops_a_pair_when_something_changed_meanwhile(world, personas):
    programme, people, _ = world
    run = runs.start_run(programme, by=personas.lee, now=NOW)
    Application.objects.filter(pk=people["ana"].pk).update(state=Application.State.WITHDRAWN)
    published = runs.publish_run(run, by=personas.lee, now=NOW)
    assert len(published) == 2
    run.refresh_from_db()
    assert run.stats["dropped_at_publish"][0]["reason"] == "Ana withdrew"
    assert not Match.objects.filter(mentee=people["ana"].person).exists()


def test_publishing_never_overfills_a_mentor_filled_meanwhile(world, personas):
    programme, people, _ = world
    run = runs.start_run(programme, by=personas.lee, now=NOW)
    Match.objects.create(programme=programme, mentor=people["zoe"].person, mentee=personas.alice, state="requested")
    runs.publish_run(run, by=personas.lee, now=NOW)
    live = Match.objects.filter(mentor=people["zoe"].person, state__in=["requested", "active"])
    assert live.count() == 1
    run.refresh_from_db()
    assert run.stats["dropped_at_publish"][0]["reason"] == "Zoe filled up meanwhile"


def test_discarding_a_preview_removes_its_drafts(world, personas):
    programme, _, _ = world
    run = runs.start_run(programme, by=personas.lee, now=NOW)
    runs.discard_run(run, by=personas.lee)
    run.refresh_from_db()
    assert run.state == MatchRun.State.DISCARDED and not run.matches.exists()
    with pytest.raises(PermissionDenied):
        runs.discard_run(runs.start_run(programme, by=personas.lee), by=personas.alice)


# --- manage.py match -----------------------------------------------------------------------------------------------


def counts():
    return (Match.objects.count(), MatchRun.objects.count(), Activity.objects.count(), Agreement.objects.count())


def test_the_commands_dry_run_prints_the_result_and_writes_nothing(world):
    programme, _, _ = world
    before, out = counts(), StringIO()
    call_command("match", str(programme.pk), "--dry-run", stdout=out)
    text = out.getvalue()
    assert counts() == before
    assert "Pairs matched: 3" in text and "Unmatched: 1" in text
    assert "Joao (application" in text and "no mentor speaks Portuguese" in text
    assert "Total score: " in text and "Time taken: " in text and "Dry run: nothing written." in text


def test_the_command_finds_a_programme_by_title_and_publishes(world):
    programme, _, _ = world
    out = StringIO()
    call_command("match", "data-mentoring", stdout=out)
    assert "Published run" in out.getvalue()
    assert Match.objects.filter(programme=programme, state=Match.State.ACTIVE).count() == 3
    assert MatchRun.objects.get().state == MatchRun.State.PUBLISHED


def test_the_command_can_save_a_preview_only(world):
    programme, _, _ = world
    call_command("match", "Data mentoring", "--preview", stdout=StringIO())
    assert MatchRun.objects.get().state == MatchRun.State.PREVIEW
    assert not Match.objects.filter(state=Match.State.ACTIVE).exists()


def test_the_command_refuses_an_unknown_programme_or_a_person_who_may_not_run_it(world):
    programme, _, _ = world
    with pytest.raises(CommandError, match="no programme"):
        call_command("match", "no such thing", stdout=StringIO())
    with pytest.raises(CommandError, match="may not run"):
        call_command("match", str(programme.pk), "--dry-run", "--as", "alice", stdout=StringIO())
