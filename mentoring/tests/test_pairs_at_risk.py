"""At-risk detection and check-in scheduling: which pairs are flagged and cleared, who is nudged, and that
running the round again changes nothing."""

import io
from datetime import datetime, timedelta

import pytest
from django.core.management import call_command
from freezegun import freeze_time

from core.models import Activity, Notification
from mentoring import pairs
from mentoring.models import CheckIn, Match
from mentoring.tests.pair_world import make_pair, make_programme
from spaces.models import Membership

START = datetime.fromisoformat("2030-01-07T09:00:00+00:00")  # a Monday


@pytest.fixture
def pair(personas):
    programme = make_programme(personas.lee, at_risk_after_days=42, checkin_every_days=28)
    p = personas
    return make_pair(mentor=p.mo, mentee=p.alice, curator=p.lee, programme=programme, started=START)


def at(days: float) -> datetime:
    return START + timedelta(days=days)


def nudges(verb=Activity.Verb.AT_RISK):
    addressed = Activity.objects.filter(verb=verb, target__isnull=False)
    return sorted(addressed.values_list("target__username", flat=True))


def test_a_pair_that_has_not_met_is_fine_until_the_programmes_limit(pair):
    assert pairs.detect_at_risk(now=at(41.9)) == {"flagged": 0, "cleared": 0, "at_risk": 0}
    pair.refresh_from_db()
    assert not pair.at_risk


def test_a_pair_that_never_met_is_flagged_counting_from_its_start(pair):
    assert pairs.detect_at_risk(now=at(42))["flagged"] == 1
    pair.refresh_from_db()
    assert pair.at_risk and pair.at_risk_since == at(42)
    assert pair.at_risk_reason == "No meeting held since the pair started 42 days ago"


def test_the_pair_and_the_programmes_curators_are_nudged_once(pair, personas):
    pairs.detect_at_risk(now=at(43))
    pairs.detect_at_risk(now=at(44))
    assert nudges() == ["alice", "lee", "mo"]
    activity = Activity.objects.get(verb=Activity.Verb.AT_RISK, target=personas.alice)
    assert activity.actor == personas.lee and activity.item == pair.programme.item
    assert "Mo Mentor" in activity.extra["says"] and activity.extra["url"] == f"/mentoring/pairs/{pair.pk}/"


def test_the_programme_owner_is_told_although_they_stand_in_as_the_actor(
    pair, personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pairs.detect_at_risk(now=at(43))
    note = Notification.objects.get(recipient=personas.lee, activity__verb=Activity.Verb.AT_RISK)
    assert note.kind == "mentoring"
    from core.notifications import describe

    assert describe(note).startswith("Mo Mentor and Alice Learner in Mentoring circle look at risk")


def test_admins_of_the_programmes_space_are_curators_too(personas):
    programme = make_programme(personas.alice, space=personas.team)
    Membership.objects.create(space=personas.team, user=personas.olly, role=Membership.Role.MODERATOR)
    assert {p.username for p in pairs.programme_curators(programme)} == {"alice", "mo", "olly"}


def test_a_held_meeting_resets_the_clock_and_clears_the_flag(pair, personas):
    pairs.detect_at_risk(now=at(43))
    pairs.log_meeting(match=pair, by=personas.mo, starts=at(43) - timedelta(hours=2), now=at(43))
    pair.refresh_from_db()
    assert not pair.at_risk and pair.at_risk_since is None
    assert pairs.detect_at_risk(now=at(43 + 41))["at_risk"] == 0
    assert pairs.detect_at_risk(now=at(43 + 42))["flagged"] == 1
    pair.refresh_from_db()
    assert pair.at_risk_reason == "No meeting held for 42 days"


def test_a_poor_latest_checkin_of_either_person_flags_the_pair(pair, personas):
    CheckIn.objects.filter(match=pair).update(due=at(28).date())
    pairs.log_meeting(match=pair, by=personas.mo, starts=at(27), now=at(27))
    mine = CheckIn.objects.get(match=pair, person=personas.mo)
    theirs = CheckIn.objects.get(match=pair, person=personas.alice)
    pairs.answer_checkin(checkin=mine, by=personas.mo, score=5, now=at(28))
    pairs.answer_checkin(checkin=theirs, by=personas.alice, score=1, now=at(28.1))
    pair.refresh_from_db()
    assert pair.at_risk and pair.at_risk_reason == "A check-in scored 1 of 5"
    assert pairs.detect_at_risk(now=at(29)) == {"flagged": 0, "cleared": 0, "at_risk": 1}


def test_detection_clears_a_flag_whose_reasons_are_gone(pair, personas):
    pairs.detect_at_risk(now=at(43))
    Match.objects.filter(pk=pair.pk).update(last_meeting=at(42))
    assert pairs.detect_at_risk(now=at(44))["cleared"] == 1
    pair.refresh_from_db()
    assert not pair.at_risk and pair.at_risk_reason == ""


def test_closed_pairs_are_never_flagged(pair, personas):
    pairs.close_pair(match=pair, by=personas.alice, now=at(10))
    assert pairs.detect_at_risk(now=at(100))["at_risk"] == 0


def test_each_programme_sets_its_own_limit(personas):
    quick = make_programme(personas.lee, title="Quick", at_risk_after_days=7)
    pair = make_pair(mentor=personas.mo, mentee=personas.olly, curator=personas.lee, programme=quick, started=START)
    pairs.detect_at_risk(now=at(7))
    pair.refresh_from_db()
    assert pair.at_risk


# --- check-ins ----------------------------------------------------------------------------------------------------


def test_a_new_checkin_is_made_and_announced_when_one_falls_due(pair, personas):
    assert pairs.schedule_checkins(now=at(27)) == 0
    assert pairs.schedule_checkins(now=at(28)) == 2
    dues = sorted(CheckIn.objects.filter(match=pair, person=personas.alice).values_list("due", flat=True))
    assert dues == [at(28).date(), at(56).date()]
    assert nudges(Activity.Verb.CHECKED_IN) == ["alice", "mo"]
    activity = Activity.objects.get(verb=Activity.Verb.CHECKED_IN, target=personas.alice)
    first = CheckIn.objects.get(match=pair, person=personas.alice, due=at(28).date())
    assert activity.extra["url"] == f"/mentoring/pairs/{pair.pk}/checkins/{first.pk}/"
    assert activity.extra["says"].startswith("Time for a mentoring check-in on your pair with Mo Mentor")


def test_scheduling_again_makes_and_announces_nothing_new(pair):
    pairs.schedule_checkins(now=at(28))
    assert pairs.schedule_checkins(now=at(28.5)) == 0
    assert pairs.schedule_checkins(now=at(40)) == 0
    assert len(nudges(Activity.Verb.CHECKED_IN)) == 2


def test_a_checkin_answered_before_the_round_is_not_nudged(pair, personas):
    checkin = CheckIn.objects.get(match=pair, person=personas.alice)
    pairs.answer_checkin(checkin=checkin, by=personas.alice, score=4, now=at(28))
    pairs.schedule_checkins(now=at(28.2))
    assert nudges(Activity.Verb.CHECKED_IN) == ["mo"]


def test_after_a_long_pause_the_rhythm_resumes_from_today(pair, personas):
    pairs.schedule_checkins(now=at(200))
    dues = sorted(CheckIn.objects.filter(match=pair, person=personas.mo).values_list("due", flat=True))
    assert dues == [at(28).date(), at(224).date()]


def test_run_periodic_runs_the_round(pair, personas):
    with freeze_time(at(43)):
        call_command("run_periodic", "--once", stdout=io.StringIO())
    pair.refresh_from_db()
    assert pair.at_risk
    assert CheckIn.objects.filter(match=pair).count() == 4  # the first ones fell due on day 28
    with freeze_time(at(43.5)):
        call_command("run_periodic", "--once", stdout=io.StringIO())
    assert len(nudges()) == 3 and CheckIn.objects.filter(match=pair).count() == 4
