import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import SiteConfig
from messaging.models import Message
from messaging.queries import unread_count
from messaging.services import send_message
from people.models import User
from tests.caching import clear_cache
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def send(on_commit, sender, recipient, body="Hello"):
    return on_commit(send_message, sender=sender, recipient=recipient, body=body)


def test_the_inbox_lists_conversations_newest_first_with_unread_counts(personas, client_for, on_commit):
    send(on_commit, personas.mo, personas.alice, "From Mo")
    send(on_commit, personas.olly, personas.alice, "First from Olly")
    send(on_commit, personas.olly, personas.alice, "Second from Olly")
    page = client_for(personas.alice).get("/messages/").content.decode()
    assert page.index("Olly Outsider") < page.index("Mo Mentor")
    assert "Second from Olly" in page and "First from Olly" not in page
    assert re.search(r'class="convo-count">2<span class="visually-hidden"> unread', page)


def test_the_inbox_marks_your_own_last_message(personas, client_for, on_commit):
    send(on_commit, personas.alice, personas.mo, "See you then")
    assert "You: See you then" in client_for(personas.alice).get("/messages/").content.decode()


def test_an_empty_inbox_says_how_to_start(personas, client_for):
    assert "No conversations yet" in client_for(personas.alice).get("/messages/").content.decode()


def test_opening_a_thread_shows_its_messages_and_reads_them(personas, client_for, on_commit):
    send(on_commit, personas.mo, personas.alice, "Shall we meet on Tuesday?")
    assert unread_count(personas.alice) == 1
    page = client_for(personas.alice).get("/messages/mo/").content.decode()
    assert "Shall we meet on Tuesday?" in page
    assert 'class="thread-new"' in page
    assert unread_count(personas.alice) == 0
    assert 'class="thread-new"' not in client_for(personas.alice).get("/messages/mo/").content.decode()


def test_a_thread_with_someone_new_is_empty_with_a_composer(personas, client_for):
    page = client_for(personas.alice).get("/messages/olly/").content.decode()
    assert "This is the beginning of your conversation with Olly Outsider" in page
    assert 'id="send-form"' in page


def test_there_is_no_thread_with_yourself_or_with_nobody(personas, client_for):
    client = client_for(personas.alice)
    assert client.get("/messages/alice/").status_code == 404
    assert client.get("/messages/nobody/").status_code == 404


def test_sending_without_javascript_redirects_to_the_message(personas, client_for):
    response = client_for(personas.alice).post("/messages/mo/", {"body": "Hi Mo"})
    message = Message.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/messages/mo/#message-{message.pk}"
    assert message.body == "Hi Mo"


def test_an_empty_message_without_javascript_shows_the_error(personas, client_for):
    response = client_for(personas.alice).post("/messages/mo/", {"body": "   "})
    assert response.status_code == 200
    assert "Write a message first." in response.content.decode()
    assert not Message.objects.exists()


def test_sending_with_htmx_returns_the_new_message_and_an_empty_composer(personas, client_for):
    response = client_for(personas.alice).post("/messages/mo/", {"body": "Hi Mo", "after": "0"}, **HTMX)
    message = Message.objects.get()
    html = response.content.decode()
    assert f'id="message-{message.pk}"' in html
    assert f'id="thread-after" form="send-form" value="{message.pk}" hx-swap-oob="true"' in html
    assert 'id="composer-fields" hx-swap-oob="true"' in html
    assert "Hi Mo</textarea>" not in html
    assert "<html" not in html


def test_sending_with_htmx_also_brings_what_arrived_meanwhile(personas, client_for, on_commit):
    seen = send(on_commit, personas.mo, personas.alice, "Seen")
    send(on_commit, personas.mo, personas.alice, "Arrived meanwhile")
    html = (
        client_for(personas.alice).post("/messages/mo/", {"body": "Reply", "after": seen.pk}, **HTMX).content.decode()
    )
    assert "Arrived meanwhile" in html and "Reply" in html and ">Seen<" not in html


def test_an_htmx_send_that_fails_keeps_the_text_and_says_why(personas, client_for):
    long = "x" * 5001
    html = client_for(personas.alice).post("/messages/mo/", {"body": long, "after": "0"}, **HTMX).content.decode()
    assert "at most 5,000 characters" in html
    assert long in html
    assert not Message.objects.exists()


def test_polling_returns_only_messages_after_the_last_one_shown(personas, client_for, on_commit):
    old = send(on_commit, personas.mo, personas.alice, "Old news")
    client = client_for(personas.alice)
    assert client.get(f"/messages/mo/new?after={old.pk}", **HTMX).status_code == 204
    new = send(on_commit, personas.mo, personas.alice, "Fresh news")
    html = client.get(f"/messages/mo/new?after={old.pk}", **HTMX).content.decode()
    assert "Fresh news" in html and "Old news" not in html
    assert f'value="{new.pk}" hx-swap-oob="true"' in html


def test_polling_reads_what_it_shows(personas, client_for, on_commit):
    old = send(on_commit, personas.mo, personas.alice, "Old news")
    client = client_for(personas.alice)
    client.get("/messages/mo/")
    send(on_commit, personas.mo, personas.alice, "Fresh news")
    assert unread_count(personas.alice) == 1
    client.get(f"/messages/mo/new?after={old.pk}", **HTMX)
    assert unread_count(personas.alice) == 0


def test_the_open_thread_polls_every_ten_seconds_from_its_last_message(personas, client_for, on_commit):
    last = send(on_commit, personas.mo, personas.alice, "Hi")
    html = client_for(personas.alice).get("/messages/mo/").content.decode()
    assert 'hx-get="/messages/mo/new" hx-trigger="every 10s" hx-include="#thread-after"' in html
    assert f'id="thread-after" form="send-form" value="{last.pk}"' in html


def test_a_long_thread_shows_the_latest_fifty_and_loads_older_ones(personas, client_for):
    messages = [send_message(sender=personas.mo, recipient=personas.alice, body=f"Line {n}") for n in range(60)]
    client = client_for(personas.alice)
    html = client.get("/messages/mo/").content.decode()
    assert ">Line 59<" in html and ">Line 10<" in html and ">Line 9<" not in html
    older = client.get(f"/messages/mo/?before={messages[10].pk}", **HTMX).content.decode()
    assert ">Line 9<" in older and ">Line 0<" in older and ">Line 10<" not in older
    assert "This is the beginning of your conversation" in older


def test_older_messages_without_javascript_are_a_page_of_their_own(personas, client_for):
    messages = [send_message(sender=personas.mo, recipient=personas.alice, body=f"Line {n}") for n in range(60)]
    html = client_for(personas.alice).get(f"/messages/mo/?before={messages[10].pk}").content.decode()
    assert ">Line 0<" in html and ">Line 10<" not in html
    assert "Jump to the latest messages" in html


def test_a_thread_with_a_closed_account_is_read_only(personas, client_for, on_commit):
    send(on_commit, personas.mo, personas.alice, "Goodbye, I am leaving")
    personas.mo.is_active = False
    personas.mo.save()
    html = client_for(personas.alice).get("/messages/mo/").content.decode()
    assert "Goodbye, I am leaving" in html
    assert "account is closed" in html and 'id="send-form"' not in html


def test_a_guest_finds_no_thread_with_someone_outside_their_spaces(personas, client_for):
    assert client_for(personas.gus).get("/messages/olly/").status_code == 404


def test_a_guest_can_answer_someone_who_wrote_first(personas, client_for, on_commit):
    send(on_commit, personas.olly, personas.gus, "Welcome")
    client = client_for(personas.gus)
    assert "Welcome" in client.get("/messages/olly/").content.decode()
    assert client.post("/messages/olly/", {"body": "Thanks"}).status_code == 302


def test_message_text_is_escaped_and_links_are_clickable(personas, client_for, on_commit):
    send(on_commit, personas.mo, personas.alice, "<script>alert(1)</script> see https://example.org/guide")
    html = client_for(personas.alice).get("/messages/mo/").content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html
    assert 'href="https://example.org/guide"' in html


def test_the_top_bar_shows_unread_messages(personas, client_for, on_commit):
    send(on_commit, personas.mo, personas.alice, "Hi")
    send(on_commit, personas.mo, personas.alice, "Hi again")
    html = client_for(personas.alice).get("/people/").content.decode()
    assert 'aria-label="Messages, 2 unread"' in html
    assert 'class="badge-count">2</span>' in html


def test_the_profile_offers_a_message_button_to_others_only(personas, client_for):
    assert 'href="/messages/mo/"' in client_for(personas.alice).get("/people/mo/").content.decode()
    assert 'href="/messages/alice/"' not in client_for(personas.alice).get("/people/alice/").content.decode()


def _queries(client, path, **extra) -> int:
    user = User.objects.get(pk=client.session["_auth_user_id"])
    clear_cache()  # every measurement starts cold: unread counts are queried each time
    client.force_login(user)  # with Redis the session lived in the cache just cleared
    SiteConfig.load()  # made once per database, on its first page
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, **extra).status_code in (200, 204)
    return len(captured.captured_queries)


def test_the_inbox_costs_the_same_queries_with_many_conversations(personas, client_for, no_page_cache):
    client = client_for(personas.alice)
    send_message(sender=personas.mo, recipient=personas.alice, body="Hi")
    few = _queries(client, "/messages/")
    for n in range(25):
        writer = UserFactory(username=f"writer{n}")
        send_message(sender=writer, recipient=personas.alice, body=f"Hello {n}")
        send_message(sender=personas.alice, recipient=writer, body="Hi back")
    assert _queries(client, "/messages/") == few
    assert few <= 8


def test_a_thread_costs_the_same_queries_however_long(personas, client_for, no_page_cache):
    client = client_for(personas.alice)
    send_message(sender=personas.mo, recipient=personas.alice, body="Hi")
    few = _queries(client, "/messages/mo/")
    for n in range(80):
        send_message(sender=personas.mo, recipient=personas.alice, body=f"Line {n}")
    for n in range(15):
        send_message(sender=UserFactory(username=f"other{n}"), recipient=personas.alice, body="Hey")
    assert _queries(client, "/messages/mo/") == few
    assert few <= 14


def test_a_poll_costs_a_handful_of_queries(personas, client_for):
    client = client_for(personas.alice)
    first = send_message(sender=personas.mo, recipient=personas.alice, body="Hi")
    for n in range(30):
        send_message(sender=personas.mo, recipient=personas.alice, body=f"Line {n}")
    assert _queries(client, f"/messages/mo/new?after={first.pk}", **HTMX) <= 8


def test_an_open_thread_silences_notifications_for_its_reader(personas, client_for, on_commit):
    from core.models import Notification

    send(on_commit, personas.mo, personas.alice, "Hi")
    client_for(personas.alice).get("/messages/mo/")
    send(on_commit, personas.mo, personas.alice, "Seen live")
    assert Notification.objects.filter(recipient=personas.alice, read_at__isnull=True).count() == 0
