"""The demo's mentoring (core/seeding/mentoring.py), written by ``manage.py seed``."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from core.models import PRIVATE_VERBS, Activity, Notification
from home.queries import recent_activity_for
from mentoring.models import Agreement, Match, MatchRun, Meeting, MeetingNote, Programme
from messaging.models import Message
from people.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """One demo seed shared by this module's tests, undone after them."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        call_command("seed", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def test_two_programmes_one_always_open_one_matched_by_a_run(seeded):
    assert Programme.objects.filter(always_open=True).count() == 1
    cohort = Programme.objects.get(always_open=False)
    assert cohort.applications.filter(side="mentor").count() >= 3
    assert cohort.applications.filter(side="mentee").count() >= 4
    run = MatchRun.objects.get(programme=cohort)
    assert run.state == MatchRun.State.PUBLISHED
    assert cohort.matches.filter(state=Match.State.ACTIVE, origin=Match.Origin.RUN).count() >= 3


def test_pairs_span_time_zones_and_live_a_little(seeded):
    active = Match.objects.filter(state=Match.State.ACTIVE).select_related("mentor", "mentee")
    zones = {zone for match in active for zone in (match.mentor.time_zone, match.mentee.time_zone)}
    assert len(zones) >= 3
    assert any(match.mentor.time_zone != match.mentee.time_zone for match in active)
    assert Meeting.objects.filter(state=Meeting.State.HELD).count() >= 8
    assert Meeting.objects.filter(state=Meeting.State.SCHEDULED).exists()
    assert MeetingNote.objects.exists()
    assert Agreement.objects.filter(mentor_signed_at__isnull=False, mentee_signed_at__isnull=False).exists()
    assert Message.objects.count() >= 10
    assert Match.objects.filter(state=Match.State.REQUESTED).exists()
    for match in active:
        assert match.checkins.filter(answered_at__isnull=False).exists() or match.at_risk


def test_one_pair_is_at_risk_for_a_reason_in_words(seeded):
    alice_and_mo = Match.objects.get(mentee__username="alice", mentor__username="mo")
    assert alice_and_mo.at_risk is False
    quiet = Match.objects.get(mentee__username="lucas", mentor__username="kenji")
    assert quiet.at_risk
    assert "No meeting held" in quiet.at_risk_reason
    lee = User.objects.get(username="lee")
    assert Notification.objects.filter(recipient=lee, activity__verb=Activity.Verb.AT_RISK).exists()


def test_what_happens_between_two_people_stays_out_of_the_stream(seeded):
    olly = User.objects.get(username="olly")
    alice = User.objects.get(username="alice")
    for person in (olly, alice):
        assert not [a for a in recent_activity_for(person, limit=200) if a.verb in PRIVATE_VERBS]
