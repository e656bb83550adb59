"""The daily digest goes out at 07:00 in each person's time zone, once, however often the scheduler runs."""

import io
from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from freezegun import freeze_time

from core.models import Activity, Notification
from home.models import PeriodicRun
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def waiting_for(person, *, at: str, title="Reading list"):
    item = ItemFactory(title=title, owner=person)
    activity = Activity.objects.create(actor=person, verb=Activity.Verb.UPDATED, item=item)
    created = datetime.fromisoformat(at).replace(tzinfo=UTC)
    return Notification.objects.create(
        recipient=person, activity=activity, kind="item_changed", digest_pending=True, created=created
    )


def tick(at: str):
    with freeze_time(at):
        call_command("run_periodic", "--once", stdout=io.StringIO())


def test_it_sends_the_digest_after_seven_in_the_morning_utc(personas, mailoutbox):
    waiting_for(personas.alice, at="2025-03-03 18:00")
    tick("2025-03-04 06:59:00")
    assert mailoutbox == []
    tick("2025-03-04 07:00:30")
    assert [m.to for m in mailoutbox] == [[personas.alice.email]]
    assert "Reading list" in mailoutbox[0].body


def test_it_follows_each_persons_own_time_zone(personas, mailoutbox):
    personas.alice.time_zone = "Asia/Tokyo"
    personas.alice.save()
    waiting_for(personas.alice, at="2025-03-03 12:00")
    tick("2025-03-03 21:59:00")  # 06:59 in Tokyo
    assert mailoutbox == []
    tick("2025-03-03 22:01:00")  # 07:01 in Tokyo
    assert len(mailoutbox) == 1


def test_it_sends_once_a_day_however_often_it_runs(personas, mailoutbox):
    waiting_for(personas.alice, at="2025-03-03 18:00")
    tick("2025-03-04 07:01:00")
    waiting_for(personas.alice, at="2025-03-04 06:00", title="Arrived before seven, not yet sent")
    tick("2025-03-04 07:02:00")
    tick("2025-03-04 23:59:00")
    assert len(mailoutbox) == 1
    tick("2025-03-05 07:00:00")
    assert len(mailoutbox) == 2


def test_it_keeps_what_arrives_after_seven_for_the_next_morning(personas, mailoutbox):
    waiting_for(personas.alice, at="2025-03-04 09:30")
    tick("2025-03-04 09:31:00")
    tick("2025-03-04 23:00:00")
    assert mailoutbox == []
    tick("2025-03-05 07:00:00")
    assert len(mailoutbox) == 1


def test_it_catches_up_when_the_scheduler_was_down_at_seven(personas, mailoutbox):
    waiting_for(personas.alice, at="2025-03-03 18:00")
    tick("2025-03-04 15:00:00")
    assert len(mailoutbox) == 1


def test_it_records_each_run_in_the_database(personas, mailoutbox):
    waiting_for(personas.alice, at="2025-03-03 18:00")
    waiting_for(personas.mo, at="2025-03-03 18:00")
    tick("2025-03-04 07:00:00")
    runs = dict(PeriodicRun.objects.values_list("user__username", "last_run"))
    assert runs == {
        "alice": datetime(2025, 3, 4, 7, tzinfo=UTC),
        "mo": datetime(2025, 3, 4, 7, tzinfo=UTC),
    }
    assert sorted(m.to[0] for m in mailoutbox) == [personas.alice.email, personas.mo.email]


def test_it_does_not_send_again_when_a_run_was_recorded_but_mail_is_still_waiting(personas, mailoutbox):
    waiting_for(personas.alice, at="2025-03-03 18:00")
    # Another scheduler claimed this morning's digest a moment ago; its worker has not sent it yet.
    PeriodicRun.objects.create(
        job=PeriodicRun.Job.DIGEST, user=personas.alice, last_run=datetime(2025, 3, 4, 7, tzinfo=UTC)
    )
    tick("2025-03-04 07:01:00")
    assert mailoutbox == []


def test_it_sends_no_digest_to_someone_without_an_email_address(personas, mailoutbox):
    personas.alice.email = ""
    personas.alice.save()
    waiting_for(personas.alice, at="2025-03-03 18:00")
    tick("2025-03-04 07:00:00")
    assert mailoutbox == []
    assert not Notification.objects.filter(digest_pending=True).exists()
