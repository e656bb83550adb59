import pytest
from django.test import Client

from core.models import Activity, Notification, NotificationPreference
from core.notifications import KINDS
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def notify(recipient, *, actor, title="Handbook"):
    item = ItemFactory(title=title, owner=actor)
    activity = Activity.objects.create(actor=actor, verb=Activity.Verb.UPDATED, item=item)
    return Notification.objects.create(recipient=recipient, activity=activity, kind="item_changed")


def test_it_lists_my_notifications_newest_first(personas, client_for):
    notify(personas.alice, actor=personas.mo, title="First")
    notify(personas.alice, actor=personas.mo, title="Second")
    notify(personas.olly, actor=personas.mo, title="Not for alice")
    body = client_for(personas.alice).get("/api/notifications/").json()
    assert body["count"] == 2
    assert [n["text"] for n in body["items"]] == ["Mo Mentor updated Second", "Mo Mentor updated First"]
    assert body["items"][0]["actor"] == "mo" and body["items"][0]["url"].startswith("/i/")


def test_it_counts_and_filters_unread(personas, client_for):
    read = notify(personas.alice, actor=personas.mo, title="Seen")
    notify(personas.alice, actor=personas.mo, title="Unseen")
    Notification.objects.filter(pk=read.pk).update(read_at=read.created)
    client = client_for(personas.alice)
    assert client.get("/api/notifications/unread-count").json() == {"unread": 1, "capped": False}
    assert [n["text"] for n in client.get("/api/notifications/?unread=true").json()["items"]] == [
        "Mo Mentor updated Unseen"
    ]


def test_it_marks_one_read(personas, client_for):
    note = notify(personas.alice, actor=personas.mo)
    response = client_for(personas.alice).post(f"/api/notifications/{note.pk}/read")
    assert response.status_code == 200 and response.json()["read_at"] is not None
    note.refresh_from_db()
    assert note.read_at is not None


def test_it_answers_404_for_another_persons_notification(personas, client_for):
    note = notify(personas.olly, actor=personas.mo)
    response = client_for(personas.alice).post(f"/api/notifications/{note.pk}/read")
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}


def test_it_marks_all_read(personas, client_for):
    notify(personas.alice, actor=personas.mo)
    notify(personas.alice, actor=personas.lee)
    other = notify(personas.olly, actor=personas.mo)
    assert client_for(personas.alice).post("/api/notifications/read-all").json() == {"marked": 2}
    other.refresh_from_db()
    assert other.read_at is None


def test_it_reads_and_writes_preferences(personas, client_for):
    client = client_for(personas.alice)
    prefs = {p["kind"]: p for p in client.get("/api/notifications/preferences").json()}
    assert set(prefs) == set(KINDS) and prefs["invited"]["channel"] == "email"
    response = client.put(
        "/api/notifications/preferences", {"channels": {"invited": "off"}}, content_type="application/json"
    )
    assert {p["kind"]: p["channel"] for p in response.json()}["invited"] == "off"
    assert NotificationPreference.objects.get(user=personas.alice).channel == "off"


@pytest.mark.parametrize("channels", [{"invited": "pigeon"}, {"no_such_kind": "off"}, "off"])
def test_it_refuses_bad_preferences_with_422(personas, client_for, channels):
    response = client_for(personas.alice).put(
        "/api/notifications/preferences", {"channels": channels}, content_type="application/json"
    )
    assert response.status_code == 422 and "detail" in response.json()
    assert not NotificationPreference.objects.exists()


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/notifications/"),
        ("get", "/api/notifications/unread-count"),
        ("post", "/api/notifications/read-all"),
        ("post", "/api/notifications/1/read"),
        ("get", "/api/notifications/preferences"),
        ("put", "/api/notifications/preferences"),
        ("get", "/api/tokens/"),
        ("post", "/api/tokens/"),
    ],
)
def test_it_requires_authentication(db, method, url):
    response = getattr(Client(), method)(url)
    assert response.status_code == 401 and response.json() == {"detail": "Authentication required."}
