import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.context_processors import site
from core.models import Activity, Notification, Visibility
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def notify(recipient, *, actor, title="Team handbook", read=False, visibility=Visibility.ORGANISATION):
    item = ItemFactory(title=title, owner=actor, visibility=visibility)
    activity = Activity.objects.create(actor=actor, verb=Activity.Verb.UPDATED, item=item)
    note = Notification.objects.create(recipient=recipient, activity=activity, kind="item_changed")
    if read:
        Notification.objects.filter(pk=note.pk).update(read_at=note.created)
    return note


def test_it_lists_notifications_with_unread_ones_marked(personas, client_for):
    notify(personas.alice, actor=personas.mo, title="Fresh news")
    notify(personas.alice, actor=personas.mo, title="Old news", read=True)
    html = client_for(personas.alice).get(reverse("notifications")).content.decode()
    rows = {("Fresh" if "Fresh news" in li else "Old"): li for li in html.split("<li")[1:] if "news" in li}
    assert rows["Fresh"].startswith(' class="notification unread"')
    assert rows["Old"].startswith(' class="notification"')
    assert "Mo Mentor updated Fresh news" in html


def test_it_marks_a_notification_read_when_opened_and_goes_to_its_item(personas, client_for):
    note = notify(personas.alice, actor=personas.mo)
    response = client_for(personas.alice).get(reverse("notification-open", args=[note.pk]))
    assert response.status_code == 302
    assert response["Location"] == note.activity.item.get_absolute_url()
    note.refresh_from_db()
    assert note.read_at is not None


def test_it_answers_404_for_someone_elses_notification(personas, client_for):
    note = notify(personas.alice, actor=personas.mo)
    response = client_for(personas.olly).get(reverse("notification-open", args=[note.pk]))
    assert response.status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_it_marks_all_read_and_answers_htmx_with_the_list_only(personas, client_for):
    for n in range(3):
        notify(personas.alice, actor=personas.mo, title=f"News {n}")
    client = client_for(personas.alice)
    response = client.post(reverse("notifications-read-all"), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'id="notification-list"' in html and "unread" not in html
    assert not Notification.objects.filter(recipient=personas.alice, read_at__isnull=True).exists()


def test_it_marks_all_read_without_javascript_and_comes_back(personas, client_for):
    notify(personas.alice, actor=personas.mo)
    response = client_for(personas.alice).post(reverse("notifications-read-all"), follow=True)
    assert response.redirect_chain == [(reverse("notifications"), 302)]
    assert "Marked 1 notification as read." in response.content.decode()


def test_it_pages_the_list_and_serves_a_page_as_a_fragment_to_htmx(personas, client_for):
    for n in range(32):
        notify(personas.alice, actor=personas.mo, title=f"Update number {n:02d}")
    client = client_for(personas.alice)
    first = client.get(reverse("notifications")).content.decode()
    second = client.get(reverse("notifications") + "?page=2", headers={"HX-Request": "true"}).content.decode()
    assert "Update number 31" in first and "Update number 01" not in first and 'rel="next"' in first
    assert "<html" not in second and "Update number 01" in second and "Update number 31" not in second


def test_it_leaves_out_notifications_about_items_now_hidden(personas, client_for):
    notify(personas.alice, actor=personas.mo, title="Went private", visibility=Visibility.PRIVATE)
    html = client_for(personas.alice).get(reverse("notifications")).content.decode()
    assert "Went private" not in html and "all caught up" in html


def test_it_shows_the_unread_count_in_the_top_bar(personas, client_for):
    notify(personas.alice, actor=personas.mo)
    notify(personas.alice, actor=personas.mo, read=True)
    html = client_for(personas.alice).get(reverse("browse")).content.decode()
    assert '<span class="badge-count">1</span>' in html
    assert 'aria-label="Notifications, 1 unread"' in html


def test_it_counts_unread_in_one_query_at_most_once_a_request(personas):
    for _ in range(5):
        notify(personas.alice, actor=personas.mo)
    request = RequestFactory().get("/")
    request.user = personas.alice
    count = site(request)["unread_notifications"]
    with CaptureQueriesContext(connection) as ctx:
        assert count() == 5
        assert count() == 5
        assert site(request)["unread_notifications"]() == 5
    assert len(ctx.captured_queries) == 1


def test_it_caps_the_badge_at_99_plus(personas, client_for):
    activity = Activity.objects.create(actor=personas.mo, verb=Activity.Verb.JOINED, space=personas.team)
    others = [Activity(actor=personas.mo, verb=Activity.Verb.JOINED, space=personas.team) for _ in range(120)]
    acts = [activity, *Activity.objects.bulk_create(others)]
    Notification.objects.bulk_create(Notification(recipient=personas.alice, activity=a, kind="x") for a in acts)
    html = client_for(personas.alice).get(reverse("browse")).content.decode()
    assert '<span class="badge-count">99+</span>' in html
