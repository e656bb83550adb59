import json

import pytest

from messaging.models import Message
from messaging.queries import unread_count
from messaging.services import send_message
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def post(client, path, body=None):
    return client.post(path, data=json.dumps(body or {}), content_type="application/json")


def test_sending_by_username_answers_the_message(personas, client_for):
    response = post(client_for(personas.alice), "/api/messages/", {"to": "mo", "body": "Hi Mo"})
    assert response.status_code == 201
    message = Message.objects.get()
    assert response.json() == {
        "id": message.pk,
        "conversation": message.conversation_id,
        "sender": "alice",
        "body": "Hi Mo",
        "created": response.json()["created"],
    }


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"to": "mo", "body": " "}, 400, "Write a message first."),
        ({"to": "mo", "body": "x" * 5001}, 400, "at most 5,000"),
        ({"to": "alice", "body": "Me"}, 400, "yourself"),
        ({"to": "nobody", "body": "Hi"}, 404, "Not found."),
    ],
)
def test_a_refused_message_says_why(personas, client_for, body, status, words):
    response = post(client_for(personas.alice), "/api/messages/", body)
    assert response.status_code == status
    assert words in response.json()["detail"]


def test_a_guest_cannot_find_someone_outside_their_spaces(personas, client_for):
    response = post(client_for(personas.gus), "/api/messages/", {"to": "olly", "body": "Hi"})
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_a_missing_field_is_a_422_with_details(personas, client_for):
    response = post(client_for(personas.alice), "/api/messages/", {"to": "mo"})
    assert response.status_code == 422
    assert "detail" in response.json()


def test_the_conversation_list_shows_the_other_person_preview_and_unread(personas, client_for):
    send_message(sender=personas.mo, recipient=personas.alice, body="Line one\nLine two")
    send_message(sender=personas.mo, recipient=personas.alice, body="And a question")
    rows = client_for(personas.alice).get("/api/messages/conversations").json()
    assert rows["count"] == 1
    row = rows["items"][0]
    assert row["other"] == {"username": "mo", "name": "Mo Mentor", "url": "/people/mo/"}
    assert (row["last_message"], row["last_sender"], row["unread"], row["url"]) == (
        "And a question",
        "mo",
        2,
        "/messages/mo/",
    )


def test_the_list_finds_the_conversation_with_one_person(personas, client_for):
    send_message(sender=personas.mo, recipient=personas.alice, body="Hi")
    send_message(sender=personas.olly, recipient=personas.alice, body="Hello")
    client = client_for(personas.alice)
    found = client.get("/api/messages/conversations?with_username=olly").json()["items"]
    assert [row["other"]["username"] for row in found] == ["olly"]
    assert client.get("/api/messages/conversations?with_username=lee").json()["items"] == []


def test_a_thread_pages_backwards_from_the_latest(personas, client_for):
    sent = [send_message(sender=personas.mo, recipient=personas.alice, body=f"Line {n}") for n in range(7)]
    client = client_for(personas.alice)
    conversation = sent[0].conversation_id
    latest = client.get(f"/api/messages/conversations/{conversation}?limit=3").json()
    assert [m["body"] for m in latest["messages"]] == ["Line 4", "Line 5", "Line 6"]
    assert (latest["has_older"], latest["has_newer"], latest["can_write"]) == (True, False, True)
    older = client.get(f"/api/messages/conversations/{conversation}?limit=3&before={sent[4].pk}").json()
    assert [m["body"] for m in older["messages"]] == ["Line 1", "Line 2", "Line 3"]
    newer = client.get(f"/api/messages/conversations/{conversation}?after={sent[5].pk}").json()
    assert [m["body"] for m in newer["messages"]] == ["Line 6"]


def test_reading_a_thread_through_the_api_does_not_mark_it_read_until_asked(personas, client_for):
    message = send_message(sender=personas.mo, recipient=personas.alice, body="Hi")
    client = client_for(personas.alice)
    client.get(f"/api/messages/conversations/{message.conversation_id}")
    assert client.get("/api/messages/unread-count").json() == {"unread": 1, "capped": False}
    marked = post(client, f"/api/messages/conversations/{message.conversation_id}/read")
    assert marked.status_code == 200 and marked.json()["unread"] == 0
    assert unread_count(personas.alice) == 0


@pytest.mark.parametrize("persona", ["olly", "ada", "lee"])
def test_nobody_else_reads_a_conversation_not_even_an_admin(personas, client_for, persona):
    message = send_message(sender=personas.mo, recipient=personas.alice, body="Between us")
    client = client_for(getattr(personas, persona))
    for response in (
        client.get(f"/api/messages/conversations/{message.conversation_id}"),
        post(client, f"/api/messages/conversations/{message.conversation_id}/read"),
    ):
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}
    assert "Between us" not in client.get("/api/messages/conversations").content.decode()


def test_the_unread_count_stops_at_a_hundred(personas, client_for):
    for n in range(101):
        send_message(sender=personas.mo, recipient=personas.alice, body=f"{n}")
    assert client_for(personas.alice).get("/api/messages/unread-count").json() == {"unread": 100, "capped": True}


def test_a_token_caller_sends_and_lists(personas, client_for):
    from api.services import create_token

    _, secret = create_token(user=personas.alice, name="bot")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    client = client_for(None)
    sent = client.post(
        "/api/messages/",
        data=json.dumps({"to": "mo", "body": "From a script"}),
        content_type="application/json",
        **headers,
    )
    assert sent.status_code == 201
    assert client.get("/api/messages/conversations", **headers).json()["count"] == 1
    assert client.get("/api/messages/conversations").status_code == 401


def test_the_conversation_list_costs_the_same_queries_however_many(personas, client_for, django_assert_max_num_queries):
    client = client_for(personas.alice)
    send_message(sender=personas.mo, recipient=personas.alice, body="Hi")
    with django_assert_max_num_queries(8) as few:
        client.get("/api/messages/conversations")
    for n in range(20):
        send_message(sender=UserFactory(username=f"w{n}"), recipient=personas.alice, body="Hi")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/api/messages/conversations")


def test_ids_beyond_any_row_find_nothing_rather_than_fail(personas, client_for):
    message = send_message(sender=personas.mo, recipient=personas.alice, body="Hi")
    client = client_for(personas.alice)
    huge = 10**30
    assert client.get(f"/api/messages/conversations/{huge}").status_code == 404
    page = client.get(f"/api/messages/conversations/{message.conversation_id}?before={huge}&limit={huge}").json()
    assert [m["body"] for m in page["messages"]] == ["Hi"]
    assert client.get(f"/messages/mo/new?after={huge}").status_code == 204
    assert client.get(f"/messages/mo/?before=-{huge}").status_code == 200
