import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.http import Http404

from core.models import Activity, Notification, NotificationPreference
from home.queries import unread_count as unread_notifications
from messaging.models import Conversation, Participant
from messaging.queries import unread_count
from messaging.services import conversation_between, mark_read, send_message
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def send(on_commit, sender, recipient, body="Hello"):
    return on_commit(send_message, sender=sender, recipient=recipient, body=body)


def test_a_conversation_is_stored_once_with_the_lower_id_first(personas):
    first = conversation_between(personas.olly, personas.alice)
    again = conversation_between(personas.alice, personas.olly)
    assert first == again
    assert (first.low_id, first.high_id) == tuple(sorted((personas.alice.pk, personas.olly.pk)))
    assert set(Participant.objects.filter(conversation=first).values_list("person_id", flat=True)) == {
        personas.alice.pk,
        personas.olly.pk,
    }


def test_sending_keeps_the_text_as_typed_without_surrounding_blanks(personas, on_commit):
    message = send(on_commit, personas.alice, personas.mo, "  Hi Mo,\r\n\r\ncan we talk?  \n")
    assert message.body == "Hi Mo,\n\ncan we talk?"
    assert message.conversation.last_message_at == message.created


@pytest.mark.parametrize(
    ("body", "words"),
    [("", "Write a message first."), ("   \n ", "Write a message first."), ("x" * 5001, "at most 5,000")],
)
def test_it_refuses_empty_and_overlong_messages(personas, body, words):
    with pytest.raises(ValidationError, match=words):
        send_message(sender=personas.alice, recipient=personas.mo, body=body)
    assert not Conversation.objects.exists()


def test_a_message_of_exactly_5000_characters_counting_line_breaks_once_is_sent(personas, on_commit):
    body = ("x" * 99 + "\r\n") * 50
    assert len(send(on_commit, personas.alice, personas.mo, body).body) == 4999


def test_nobody_writes_to_themselves(personas):
    with pytest.raises(ValidationError, match="yourself"):
        send_message(sender=personas.alice, recipient=personas.alice, body="Note to self")


def test_a_guest_cannot_write_to_someone_outside_their_spaces(personas):
    with pytest.raises(Http404):
        send_message(sender=personas.gus, recipient=personas.olly, body="Hello?")
    assert not Conversation.objects.exists()


def test_a_guest_may_answer_someone_who_wrote_to_them(personas, on_commit):
    send(on_commit, personas.olly, personas.gus, "Welcome aboard")
    reply = send(on_commit, personas.gus, personas.olly, "Thanks!")
    assert reply.sender == personas.gus


def test_a_closed_account_receives_nothing(personas, on_commit):
    send(on_commit, personas.alice, personas.mo)
    personas.mo.is_active = False
    personas.mo.save()
    with pytest.raises(ValidationError, match="closed"):
        send_message(sender=personas.alice, recipient=personas.mo, body="Still there?")


def test_a_closed_account_nobody_wrote_to_is_not_found(personas):
    ghost = UserFactory(username="ghost", is_active=False)
    with pytest.raises(Http404):
        send_message(sender=personas.alice, recipient=ghost, body="Hi")


def test_sending_moves_the_conversation_up_for_both_and_the_sender_has_read_it(personas, on_commit):
    message = send(on_commit, personas.alice, personas.mo)
    parts = {p.person_id: p for p in Participant.objects.filter(conversation=message.conversation)}
    assert parts[personas.alice.pk].last_message_at == parts[personas.mo.pk].last_message_at == message.created
    assert parts[personas.alice.pk].last_read_at == message.created
    assert parts[personas.mo.pk].last_read_at is None


def test_unread_counts_what_the_other_person_wrote_since_you_last_read(personas, on_commit):
    send(on_commit, personas.alice, personas.mo, "One")
    send(on_commit, personas.alice, personas.mo, "Two")
    send(on_commit, personas.olly, personas.mo, "Three")
    assert unread_count(personas.mo) == 3
    assert unread_count(personas.alice) == 0


def test_reading_a_conversation_clears_its_unread_messages_only(personas, on_commit):
    first = send(on_commit, personas.alice, personas.mo, "One")
    send(on_commit, personas.olly, personas.mo, "Two")
    assert unread_count(personas.mo) == 2
    assert mark_read(conversation=first.conversation, person=personas.mo) is True
    assert unread_count(personas.mo) == 1
    assert mark_read(conversation=first.conversation, person=personas.mo) is False


def test_a_new_message_after_reading_is_unread_again(personas, on_commit):
    first = send(on_commit, personas.alice, personas.mo, "One")
    mark_read(conversation=first.conversation, person=personas.mo)
    send(on_commit, personas.alice, personas.mo, "Two")
    assert unread_count(personas.mo) == 1


def test_answering_reads_the_conversation(personas, on_commit):
    send(on_commit, personas.alice, personas.mo, "Question")
    send(on_commit, personas.mo, personas.alice, "Answer")
    assert unread_count(personas.mo) == 0
    assert unread_count(personas.alice) == 1


def test_the_first_message_notifies_the_recipient_in_the_app(personas, on_commit):
    send(on_commit, personas.alice, personas.mo)
    note = Notification.objects.get(recipient=personas.mo)
    assert (note.kind, note.activity.verb, note.activity.actor, note.activity.item) == (
        "message",
        Activity.Verb.MESSAGED,
        personas.alice,
        None,
    )
    assert note.activity.extra["url"] == "/messages/alice/"


def test_a_burst_of_messages_notifies_once(personas, on_commit):
    for body in ("Hi", "Quick question", "About Python"):
        send(on_commit, personas.alice, personas.mo, body)
    assert Notification.objects.filter(recipient=personas.mo).count() == 1
    assert Activity.objects.filter(verb=Activity.Verb.MESSAGED).count() == 1


def test_a_message_waiting_in_the_task_queue_counts_as_announced(personas):
    # No on_commit: the first activity's fan-out has not run, as when the worker lags.
    send_message(sender=personas.alice, recipient=personas.mo, body="Hi")
    send_message(sender=personas.alice, recipient=personas.mo, body="Are you there?")
    assert Activity.objects.filter(verb=Activity.Verb.MESSAGED).count() == 1


def test_after_reading_the_next_message_notifies_again(personas, on_commit):
    first = send(on_commit, personas.alice, personas.mo, "Hi")
    mark_read(conversation=first.conversation, person=personas.mo)
    send(on_commit, personas.alice, personas.mo, "Another thing")
    assert Notification.objects.filter(recipient=personas.mo).count() == 2


def test_reading_the_conversation_reads_its_notification(personas, on_commit):
    first = send(on_commit, personas.alice, personas.mo, "Hi")
    assert unread_notifications(personas.mo) == 1
    mark_read(conversation=first.conversation, person=personas.mo)
    assert Notification.objects.get(recipient=personas.mo).read_at is not None
    assert unread_notifications(personas.mo) == 0


def test_each_sender_notifies_separately(personas, on_commit):
    send(on_commit, personas.alice, personas.mo)
    send(on_commit, personas.olly, personas.mo)
    assert Notification.objects.filter(recipient=personas.mo).count() == 2


def test_the_email_says_who_wrote_but_not_what(personas, on_commit):
    send(on_commit, personas.alice, personas.mo, "My salary is a secret")
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [personas.mo.email]
    assert "Alice Learner sent a message to you" in email.subject
    assert "/messages/alice/" in email.body
    assert "salary" not in email.subject + email.body


def test_one_email_per_burst(personas, on_commit):
    for body in ("Hi", "Hello?", "Ping"):
        send(on_commit, personas.alice, personas.mo, body)
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(("channel", "emails", "notes"), [("in_app", 0, 1), ("digest", 0, 1), ("off", 0, 0)])
def test_the_recipients_preference_decides_the_email(personas, on_commit, channel, emails, notes):
    NotificationPreference.objects.create(user=personas.mo, kind="message", channel=channel)
    send(on_commit, personas.alice, personas.mo)
    assert len(mail.outbox) == emails
    assert Notification.objects.filter(recipient=personas.mo).count() == notes


def test_a_digest_preference_waits_for_the_digest(personas, on_commit):
    NotificationPreference.objects.create(user=personas.mo, kind="message", channel="digest")
    send(on_commit, personas.alice, personas.mo)
    assert Notification.objects.get(recipient=personas.mo).digest_pending is True


def test_messages_never_enter_the_activity_stream(personas, on_commit):
    send(on_commit, personas.alice, personas.mo, "Private words")
    from home.queries import recent_activity_for

    assert not [a for a in recent_activity_for(personas.mo) if a.verb == Activity.Verb.MESSAGED]


def test_a_message_to_someone_looking_at_the_conversation_rings_nothing(personas, on_commit):
    from messaging.services import note_looking

    first = send(on_commit, personas.alice, personas.mo, "Hi")
    mark_read(conversation=first.conversation, person=personas.mo)
    note_looking(conversation=first.conversation, person=personas.mo)
    send(on_commit, personas.alice, personas.mo, "You are reading this as I type")
    assert Notification.objects.filter(recipient=personas.mo).count() == 1
    assert len(mail.outbox) == 1
    assert unread_count(personas.mo) == 1
