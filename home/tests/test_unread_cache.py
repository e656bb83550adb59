import pytest

from core import notifications
from core.models import Activity, Notification
from home.queries import unread_count
from home.services import mark_all_notifications_read, mark_notification_read

pytestmark = pytest.mark.django_db


def invite(personas):
    activity = Activity.objects.create(actor=personas.mo, verb=Activity.Verb.INVITED, target=personas.olly)
    return activity


def test_the_unread_count_is_kept_between_pages(personas, django_assert_num_queries):
    unread_count(personas.olly)
    with django_assert_num_queries(0):
        assert unread_count(personas.olly) == 0


def test_a_new_notification_shows_in_the_count_at_once(personas, django_capture_on_commit_callbacks):
    assert unread_count(personas.olly) == 0
    with django_capture_on_commit_callbacks(execute=True):
        notifications.deliver(invite(personas))
    assert unread_count(personas.olly) == 1


def test_reading_notifications_lowers_the_count_at_once(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notifications.deliver(invite(personas))
        notifications.deliver(invite(personas))
    assert unread_count(personas.olly) == 2
    mark_notification_read(notification=Notification.objects.filter(recipient=personas.olly).first())
    assert unread_count(personas.olly) == 1
    mark_all_notifications_read(user=personas.olly)
    assert unread_count(personas.olly) == 0
