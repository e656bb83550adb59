"""mentoring.matching: what the engine reads, the score's parts and their words, hard constraints, time zones,
the taxonomy, suggestions, and the bulk assignment against the exact optimum."""

import dataclasses
import random
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from mentoring import matching
from mentoring.matching import (
    INPUTS,
    PROTECTED,
    SOURCES,
    Features,
    ProtectedAttributeError,
    Scorer,
    check_inputs,
    explain_pair,
    load_pool,
    match_pool,
    overlap_minutes,
    reference_monday,
    score_matrix,
    suggestions,
    weekly_utc,
)
from mentoring.models import Application, Match
from mentoring.tests.match_helpers import apply, make_person, make_programme, random_pool, skill_tree
from people.models import Site

MENTOR, MENTEE = Application.Side.MENTOR, Application.Side.MENTEE
WINTER = datetime(2026, 1, 14, 12, tzinfo=UTC)  # both London and New York on standard time
MARCH_GAP = datetime(2026, 3, 11, 12, tzinfo=UTC)  # New York on summer time since 8 March, London not till the 29th
SUMMER = datetime(2026, 7, 15, 12, tzinfo=UTC)


def part(suggestion, criterion):
    return next(p for p in suggestion.parts if p.criterion == criterion)


# --- what the engine reads ---------------------------------------------------------------------------------------


def test_no_protected_attribute_is_an_input():
    assert not INPUTS & PROTECTED
    assert {f.name for f in dataclasses.fields(Features)} <= INPUTS
    lookups = {word for paths in SOURCES.values() for path in paths for word in path.split("__")}
    assert not lookups & PROTECTED


@pytest.mark.parametrize(
    ("inputs", "sources", "fields"),
    [
        (INPUTS | {"gender"}, {**SOURCES, "gender": ("person__gender",)}, INPUTS),
        (INPUTS, {**SOURCES, "name": ("person__date_of_birth",)}, INPUTS),
        (INPUTS | {"age_band"}, {**SOURCES, "age_band": ("age_band",)}, INPUTS),
        (INPUTS, SOURCES, INPUTS | {"ethnicity"}),
        (INPUTS, SOURCES, INPUTS | {"job_title"}),  # a feature nobody declared
    ],
)
def test_adding_a_protected_or_undeclared_input_is_refused(inputs, sources, fields):
    with pytest.raises(ProtectedAttributeError):
        check_inputs(inputs, sources, fields)


def test_the_module_refuses_to_import_with_a_protected_input(monkeypatch):
    source = Path(matching.__file__).read_text()
    assert '        "goals",\n' in source
    edited = source.replace('        "goals",\n', '        "goals",\n        "gender",\n', 1)
    edited = edited.replace(
        '    "goals": ("goals",),\n', '    "goals": ("goals",),\n    "gender": ("person__gender",),\n'
    )
    module = ModuleType("mentoring.matching_with_gender")
    monkeypatch.setitem(sys.modules, module.__name__, module)
    # The copy defines its own ProtectedAttributeError; both are Django's ImproperlyConfigured.
    with pytest.raises(ImproperlyConfigured, match="“gender” is a protected attribute"):
        exec(compile(edited, "matching_with_gender.py", "exec"), module.__dict__)  # noqa: S102 - our own source


def test_the_feature_record_is_frozen_with_no_room_for_more():
    f = random_pool(random.Random(1), mentees=1, mentors=1).mentees[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.seniority = 5
    with pytest.raises((AttributeError, TypeError)):
        object.__setattr__(f, "gender", "x")  # slots: no __dict__ to put it in
    assert not hasattr(f, "__dict__")


def test_the_loader_asks_for_the_declared_columns_only_in_a_bounded_number_of_queries(personas):
    programme = make_programme(personas.lee)
    tree = skill_tree()
    for n in range(12):
        apply(programme, make_person(f"mentee_{n}"), MENTEE, skills=[tree["django"]], goals="learn django")
    for n in range(4):
        apply(programme, make_person(f"mentor_{n}"), MENTOR, skills=[tree["python"]], capacity=3)
    with CaptureQueriesContext(connection) as queries:
        pool = load_pool(programme)
    assert len(pool.mentees) == 12 and len(pool.mentors) == 4
    assert len(queries) <= 7
    sql = " ".join(q["sql"] for q in queries).lower()
    for column in ("job_title", "bio", "photo", "location", "last_active", "email", "preferences", "answers"):
        assert f'."{column}"' not in sql


# --- the parts of a score ----------------------------------------------------------------------------------------


@pytest.fixture
def programme(personas):
    return make_programme(personas.lee)


def test_a_pair_is_explained_in_plain_words_that_add_up_to_the_score(programme):
    tree = skill_tree()
    mentee = apply(
        programme,
        make_person("ana"),
        MENTEE,
        languages=["es", "en"],
        skills=[tree["python"], tree["sql"], tree["speaking"]],
        goals="I want to get better at data analysis with python",
        availability=[[0, 9 * 60, 12 * 60]],
        formats=["video"],
    )
    mentor = apply(
        programme,
        make_person("mo_mentor"),
        MENTOR,
        languages=["es"],
        skills=[tree["python"], tree["sql"]],
        goals="Data analysis, python and statistics",
        availability=[[0, 8 * 60, 17 * 60]],
        formats=["video", "chat"],
        seniority=3,
    )
    s = explain_pair(mentee, mentor)
    assert s.score == sum(p.points for p in s.parts)
    assert [p.criterion for p in s.parts] == list(matching.CRITERIA)
    assert part(s, "language").words == "you both speak Spanish"
    assert part(s, "hours").words == "3 h overlap a week in your working hours"
    assert part(s, "skills").words.startswith("Mo Mentor teaches 2 of your 3 goal skills (Python and SQL)")
    assert part(s, "skills").points == pytest.approx(4.0 * 2 / 3)
    assert "“python”" in part(s, "goals").words
    assert part(s, "format").words == "you can both meet by video"
    assert part(s, "seniority").words == "Mo Mentor is 1 step more senior, as you asked"
    assert s.as_json()[0] == {"criterion": "language", "points": 0.0, "words": "you both speak Spanish"}


def test_words_use_the_name_and_never_guess_a_pronoun():
    pool = random_pool(random.Random(7), mentees=8, mentors=8)
    scorer = Scorer(pool, now=WINTER)
    for e in scorer.mentees:
        for m in scorer.mentors:
            text = " " + " ".join(p.words for p in scorer.parts(e, m)).lower() + " "
            for pronoun in (" she ", " he ", " her ", " his ", " him ", " hers "):
                assert pronoun not in text


def test_a_broader_or_narrower_skill_counts_partly_a_step_further_less(programme):
    tree = skill_tree()
    mentee = apply(programme, make_person("learner"), MENTEE, skills=[tree["python"]])
    exact = apply(programme, make_person("exact"), MENTOR, skills=[tree["python"]])
    broader = apply(programme, make_person("broader"), MENTOR, skills=[tree["programming"]])
    narrower = apply(programme, make_person("narrower"), MENTOR, skills=[tree["django"]])
    cousin = apply(programme, make_person("cousin"), MENTOR, skills=[tree["sql"]])
    unrelated = apply(programme, make_person("unrelated"), MENTOR, skills=[tree["speaking"]])
    points = {
        a.person.username: part(explain_pair(mentee, a), "skills").points
        for a in (exact, broader, narrower, cousin, unrelated)
    }
    assert points == {"exact": 4.0, "broader": 2.0, "narrower": 2.0, "cousin": 0.0, "unrelated": 0.0}
    assert "Programming, broader than your Python" in part(explain_pair(mentee, broader), "skills").words
    assert "Django, a part of your Python" in part(explain_pair(mentee, narrower), "skills").words


def test_a_skill_two_steps_up_counts_a_quarter(programme):
    tree = skill_tree()
    mentee = apply(programme, make_person("learner"), MENTEE, skills=[tree["django"]])
    mentor = apply(programme, make_person("grand"), MENTOR, skills=[tree["programming"]])
    assert part(explain_pair(mentee, mentor), "skills").points == pytest.approx(4.0 * 0.25)


def test_teaching_below_the_level_wanted_counts_less_and_says_so(programme):
    tree = skill_tree()
    mentee = apply(programme, make_person("learner"), MENTEE, skills=[(tree["python"], 4)])
    mentor = apply(programme, make_person("starter"), MENTOR, skills=[(tree["python"], 1)])
    skills = part(explain_pair(mentee, mentor), "skills")
    assert skills.points == pytest.approx(4.0 * 1 / 4)
    assert "Python below the level you want" in skills.words


def test_the_programme_weights_scale_each_part(programme):
    programme.weights = {"skills": 0, "goals": 0, "hours": 10, "format": 0, "seniority": 0, "site": 0}
    programme.save()
    mentee = apply(programme, make_person("learner"), MENTEE, availability=[[0, 0, 90]])
    mentor = apply(programme, make_person("teacher"), MENTOR, availability=[[0, 0, 1440]])
    s = explain_pair(mentee, mentor)
    assert s.score == pytest.approx(10 * 90 / matching.HOURS_FULL)
    assert part(s, "hours").words == "1 h 30 min overlap a week in your working hours"


def test_site_preference_and_seniority_follow_what_the_mentee_asked(programme):
    lisbon, tokyo = Site.objects.create(name="Lisbon"), Site.objects.create(name="Tokyo")
    mentee = apply(
        programme, make_person("learner", site=lisbon), MENTEE, site_preference="same", wants_more_senior=True
    )
    here = apply(programme, make_person("here", site=lisbon), MENTOR, seniority=4)
    there = apply(programme, make_person("there", site=tokyo), MENTOR, seniority=2)
    near, far = explain_pair(mentee, here), explain_pair(mentee, there)
    assert part(near, "site").points == 1.0 and "at your site (Lisbon)" in part(near, "site").words
    assert part(far, "site").points == 0.0
    assert part(near, "seniority").points == 1.0
    assert part(far, "seniority").words == "There is as senior as you (you asked for someone more senior)"


# --- time zones --------------------------------------------------------------------------------------------------


def test_london_and_new_york_overlap_three_hours_a_day_in_winter_and_four_in_the_march_gap():
    london = weekly_utc("Europe/London", [[0, 540, 1020]], reference_monday(WINTER))
    new_york = weekly_utc("America/New_York", [[0, 540, 1020]], reference_monday(WINTER))
    assert overlap_minutes(london, new_york) == 180
    monday = reference_monday(MARCH_GAP)
    assert (
        overlap_minutes(
            weekly_utc("Europe/London", [[0, 540, 1020]], monday),
            weekly_utc("America/New_York", [[0, 540, 1020]], monday),
        )
        == 240
    )


def test_a_new_york_evening_meets_the_next_tokyo_morning_one_hour_less_in_summer():
    evening, morning = [[0, 19 * 60, 21 * 60]], [[1, 9 * 60, 11 * 60]]
    for now, expected in ((WINTER, 120), (SUMMER, 60)):
        monday = reference_monday(now)
        assert (
            overlap_minutes(weekly_utc("America/New_York", evening, monday), weekly_utc("Asia/Tokyo", morning, monday))
            == expected
        )


def test_london_and_tokyo_office_hours_never_meet():
    for now in (WINTER, SUMMER):
        monday = reference_monday(now)
        office = [[d, 540, 1020] for d in range(5)]
        assert (
            overlap_minutes(weekly_utc("Europe/London", office, monday), weekly_utc("Asia/Tokyo", office, monday)) == 0
        )


def test_a_window_that_wraps_round_the_week_is_split():
    monday = reference_monday(WINTER)
    # Monday 00:00–02:00 in Tokyo is Sunday 15:00–17:00 UTC, the end of the reference week.
    assert weekly_utc("Asia/Tokyo", [[0, 0, 120]], monday) == [(6 * 1440 + 900, 6 * 1440 + 1020)]
    # Monday morning in Sydney (UTC+11 in January) starts on Sunday in UTC: the window wraps.
    assert weekly_utc("Australia/Sydney", [[0, 0, 12 * 60]], monday) == [(0, 60), (10080 - 660, 10080)]


windows = st.lists(
    st.tuples(st.integers(0, 6), st.integers(0, 1439), st.integers(1, 600)).map(
        lambda t: [t[0], t[1], min(1440, t[1] + t[2])]
    ),
    max_size=5,
)


@given(windows, windows, st.sampled_from(["UTC", "Asia/Kolkata", "Asia/Tokyo", "America/St_Johns", "Pacific/Chatham"]))
@settings(max_examples=60, deadline=None)
def test_overlap_equals_counting_minute_by_minute(a, b, zone):
    monday = reference_monday(WINTER)
    x, y = weekly_utc("UTC", a, monday), weekly_utc(zone, b, monday)

    def minutes(spans):
        week = np.zeros(10080, dtype=bool)
        for lo, hi in spans:
            week[lo:hi] = True
        return week

    assert overlap_minutes(x, y) == int((minutes(x) & minutes(y)).sum())
    assert overlap_minutes(x, y) == overlap_minutes(y, x)


# --- hard constraints and suggestions ----------------------------------------------------------------------------


def test_no_shared_language_means_no_pair_and_says_why(programme):
    mentee = apply(programme, make_person("joao"), MENTEE, languages=["pt"])
    mentor = apply(programme, make_person("emma"), MENTOR, languages=["en"])
    assert explain_pair(mentee, mentor) is None
    refused = explain_pair(mentee, mentor, allow_excluded=True)
    assert refused.reasons_excluded == ["Emma and Joao share no language"]
    assert suggestions(mentee) == []


def test_regional_variants_of_a_language_are_the_same_language(programme):
    mentee = apply(programme, make_person("joao"), MENTEE, languages=["pt-BR"])
    mentor = apply(programme, make_person("rita"), MENTOR, languages=["pt-PT"])
    assert part(explain_pair(mentee, mentor), "language").words == "you both speak Portuguese"


def test_suggestions_leave_out_full_mentors_oneself_and_existing_pairs_and_rank_by_score(programme, personas):
    tree = skill_tree()
    learner = make_person("learner")
    mentee = apply(programme, learner, MENTEE, skills=[tree["python"]])
    best = apply(programme, make_person("best"), MENTOR, skills=[tree["python"]], capacity=2)
    good = apply(programme, make_person("good"), MENTOR, skills=[tree["programming"]], capacity=1)
    full = apply(programme, make_person("full"), MENTOR, skills=[tree["python"]], capacity=1)
    apply(programme, learner, MENTOR, skills=[tree["python"]], capacity=3)  # the mentee as a mentor
    Match.objects.create(programme=programme, mentor=full.person, mentee=personas.alice, state=Match.State.ACTIVE)
    paired = apply(programme, make_person("paired"), MENTOR, skills=[tree["python"]], capacity=3)
    Match.objects.create(programme=programme, mentor=paired.person, mentee=learner, state=Match.State.REQUESTED)
    found = suggestions(mentee)
    assert [s.mentor_application for s in found] == [best, good]
    assert found[0].score > found[1].score
    for s in found:
        assert s.score == sum(p.points for p in s.parts) and not s.reasons_excluded


def test_suggestions_take_a_bounded_number_of_queries(programme, django_assert_max_num_queries):
    tree = skill_tree()
    mentee = apply(programme, make_person("learner"), MENTEE, skills=[tree["python"]])
    for n in range(15):
        apply(programme, make_person(f"m{n}"), MENTOR, skills=[tree["python"], tree["sql"]], capacity=2)
        apply(programme, make_person(f"e{n}"), MENTEE, skills=[tree["sql"]])
    with django_assert_max_num_queries(9):
        assert len(suggestions(mentee, limit=10)) == 10


def test_a_withdrawn_or_mentor_application_gets_no_suggestions(programme):
    mentor = apply(programme, make_person("teacher"), MENTOR)
    mentee = apply(programme, make_person("learner"), MENTEE)
    mentee.state = Application.State.WITHDRAWN
    mentee.save()
    assert suggestions(mentee) == [] and suggestions(mentor) == []


# --- the vectorised score is the explained one -------------------------------------------------------------------


weights = st.fixed_dictionaries(
    {c: st.floats(0, 10) for c in ("skills", "goals", "hours", "format", "seniority", "site")}
)


@given(st.integers(0, 10_000), weights)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_parts_add_up_and_the_matrix_agrees_with_every_explanation(seed, w):
    pool = random_pool(random.Random(seed), mentees=7, mentors=6, weights=w)
    scorer, matrix = score_matrix(pool, now=WINTER)
    for i, e in enumerate(scorer.mentees):
        for j, m in enumerate(scorer.mentors):
            s = scorer.suggestion(e, m)
            assert s.score == sum(p.points for p in s.parts)
            assert all(p.points >= 0 for p in s.parts)
            if s.reasons_excluded:
                assert matrix[i, j] == -np.inf
            else:
                assert matrix[i, j] == pytest.approx(s.score, abs=1e-9)


# --- the bulk assignment -----------------------------------------------------------------------------------------


def exact_optimum(pool, scorer, matrix) -> float:
    """linear_sum_assignment on the full matrix of mentees × every slot of every mentor, unpruned."""
    owner = [j for j, m in enumerate(scorer.mentors) for _ in range(pool.room(m))]
    if not owner or not len(matrix):
        return 0.0
    slots = matrix[:, owner]
    usable = np.where(np.isfinite(slots), slots, 0.0)  # a forbidden pair adds nothing, so it never helps
    rows, cols = linear_sum_assignment(usable, maximize=True)
    return float(sum(usable[r, c] for r, c in zip(rows, cols, strict=True) if np.isfinite(slots[r, c])))


def check_result(pool, result):
    per_mentor = {}
    for pair in result.pairs:
        e, m = pair.mentee, pair.mentor
        assert e.languages & m.languages, "a pair without a shared language"
        assert e.person != m.person and (m.person, e.person) not in pool.live
        per_mentor[m.application] = per_mentor.get(m.application, 0) + 1
        assert pair.score == sum(p.points for p in pair.suggestion.parts)
    for m in result.mentors:
        assert per_mentor.get(m.application, 0) <= pool.room(m), "a mentor over capacity"
    matched = {p.mentee.application for p in result.pairs}
    assert len(matched) == len(result.pairs)
    assert matched | set(result.unmatched) == {f.application for f in result.mentees}
    assert not matched & set(result.unmatched)


@given(st.integers(0, 10_000), st.integers(1, 14), st.integers(1, 8))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_bulk_matching_reaches_the_exact_optimum_and_breaks_no_rule(seed, n_mentees, n_mentors):
    pool = random_pool(random.Random(seed), mentees=n_mentees, mentors=n_mentors, live={(500 + 2, 3)})
    result = match_pool(pool, now=WINTER)
    check_result(pool, result)
    scorer, matrix = score_matrix(pool, now=WINTER)
    assert result.total_score == pytest.approx(exact_optimum(pool, scorer, matrix), abs=1e-6)


def test_pruning_to_a_few_candidates_still_respects_every_rule_on_a_larger_programme():
    pool = random_pool(random.Random(3), mentees=300, mentors=60)
    result = match_pool(pool, k=5, now=WINTER)
    check_result(pool, result)
    scorer, matrix = score_matrix(pool, now=WINTER)
    best = exact_optimum(pool, scorer, matrix)
    assert result.total_score <= best + 1e-6
    assert result.total_score >= 0.95 * best
    assert result.k == 5 and set(result.timings) == {"load", "features", "score", "assign", "explain"}


def test_unmatched_mentees_are_told_why(programme):
    tree = skill_tree()
    alone = apply(programme, make_person("joao"), MENTEE, languages=["pt"])
    german = apply(programme, make_person("rui"), MENTEE, languages=["de"])
    de_mentor = apply(programme, make_person("hans"), MENTOR, languages=["de"], capacity=1)
    Match.objects.create(
        programme=programme, mentor=de_mentor.person, mentee=make_person("someone"), state=Match.State.ACTIVE
    )
    strong = apply(programme, make_person("strong"), MENTEE, skills=[tree["python"]])
    weak = apply(programme, make_person("weak"), MENTEE, skills=[tree["speaking"]])
    apply(programme, make_person("pythonista"), MENTOR, skills=[tree["python"]], capacity=1)
    result = matching.bulk_match(programme, now=WINTER)
    assert [(p.mentee.application) for p in result.pairs] == [strong.pk]
    assert result.unmatched == {
        alone.pk: "no mentor speaks Portuguese",
        german.pk: "every mentor who speaks German is full",
        weak.pk: "no candidate left after capacities: the one mentor who suits them went to another mentee",
    }


def test_mentees_already_in_a_pair_are_not_matched_again(programme):
    mentee = apply(programme, make_person("learner"), MENTEE)
    mentor = apply(programme, make_person("teacher"), MENTOR, capacity=3)
    Match.objects.create(programme=programme, mentor=mentor.person, mentee=mentee.person, state=Match.State.ACTIVE)
    result = matching.bulk_match(programme, now=WINTER)
    assert result.pairs == [] and result.unmatched == {}
    assert [f.application for f in result.already_paired] == [mentee.pk]
    assert result.rooms == {mentor.pk: 2}


def test_bulk_matching_reads_a_bounded_number_of_queries(programme, django_assert_max_num_queries):
    tree = skill_tree()
    for n in range(20):
        apply(programme, make_person(f"e{n}"), MENTEE, skills=[tree["sql"]], goals="sql reporting")
    for n in range(6):
        apply(programme, make_person(f"m{n}"), MENTOR, skills=[tree["programming"]], capacity=2)
    with django_assert_max_num_queries(7):
        result = matching.bulk_match(programme, now=WINTER)
    assert result.matched == 12


def test_a_negative_or_huge_weight_counts_as_none_or_the_most(programme):
    programme.weights = {"skills": -5, "goals": 1e12, "hours": -0.5}
    programme.save()
    mentee = apply(programme, make_person("learner"), MENTEE, goals="python data")
    mentor = apply(programme, make_person("teacher"), MENTOR, goals="python data")
    s = explain_pair(mentee, mentor)
    assert part(s, "skills").points == 0 and part(s, "hours").points == 0
    assert part(s, "goals").points == pytest.approx(matching.MAX_WEIGHT)
    assert s.score == sum(p.points for p in s.parts)


def test_department_is_read_for_the_fairness_report_only_never_for_a_score():
    pool = random_pool(random.Random(11), mentees=9, mentors=7)
    _, before = score_matrix(pool, now=WINTER)
    pool.mentees = [dataclasses.replace(f, department=f"Dept {f.person % 3}") for f in pool.mentees]
    pool.mentors = [dataclasses.replace(f, department=f"Dept {f.person % 2}", site_name="X") for f in pool.mentors]
    _, after = score_matrix(pool, now=WINTER)
    assert np.array_equal(before, after)
