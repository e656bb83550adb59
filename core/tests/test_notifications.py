"""Who is told about what, by which channel: the flows end to end through the task backend."""

import pytest

from core.models import Activity, Notification, NotificationPreference, Visibility, Watch
from core.services import create_item, record_activity, update_item, watch
from core.tasks import send_daily_digests, send_notification_email
from spaces import services as spaces
from spaces.models import Space
from tests.factories import SpaceFactory

pytestmark = pytest.mark.django_db

Verb = Activity.Verb


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run what services queue for after the commit (fan-out, e-mails) as a real commit would."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


def notes_for(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def share_in_team(personas, run_on_commit, *, visibility=Visibility.SPACE, title="Onboarding notes"):
    def create():
        item = create_item(owner=personas.mo, kind="file", title=title, space=personas.team, visibility=visibility)
        record_activity(actor=personas.mo, verb=Verb.CREATED, item=item)
        return item

    return run_on_commit(create)


def test_it_tells_an_invited_person_at_once_by_email(personas, run_on_commit, mailoutbox):
    run_on_commit(spaces.invite_to_space, inviter=personas.mo, space=personas.team, user=personas.olly)
    assert notes_for(personas.olly) == ["invited"]
    assert [m.to for m in mailoutbox] == [[personas.olly.email]]
    assert "Mo Mentor invited you to Team" in mailoutbox[0].subject
    assert "/spaces/team/" in mailoutbox[0].body
    assert Notification.objects.get(recipient=personas.olly).emailed_at is not None


def test_it_tells_the_space_owners_when_someone_asks_to_join(personas, run_on_commit, mailoutbox):
    club = SpaceFactory(slug="club", created_by=personas.mo, visibility=Space.Visibility.ORGANISATION)
    spaces.Membership.objects.create(space=club, user=personas.mo, role="owner")
    run_on_commit(spaces.request_to_join, user=personas.lee, space=club)
    assert notes_for(personas.mo) == ["join_request"]
    assert notes_for(personas.lee) == []
    assert [m.to for m in mailoutbox] == [[personas.mo.email]]


def test_it_tells_the_requester_in_the_app_when_approved(personas, run_on_commit, mailoutbox):
    club = SpaceFactory(slug="club", created_by=personas.mo, visibility=Space.Visibility.ORGANISATION)
    spaces.Membership.objects.create(space=club, user=personas.mo, role="owner")
    run_on_commit(spaces.request_to_join, user=personas.lee, space=club)
    mailoutbox.clear()
    run_on_commit(spaces.approve_request, approver=personas.mo, space=club, user=personas.lee)
    assert notes_for(personas.lee) == ["request_approved"]
    assert mailoutbox == []  # in the app only, by default


def test_it_tells_owners_in_the_app_when_someone_joins(personas, run_on_commit, mailoutbox):
    club = SpaceFactory(slug="club", created_by=personas.mo, visibility=Space.Visibility.OPEN)
    spaces.Membership.objects.create(space=club, user=personas.mo, role="owner")
    run_on_commit(spaces.join_space, user=personas.alice, space=club)
    assert notes_for(personas.mo) == ["member_joined"]
    assert mailoutbox == []


def test_it_holds_new_items_in_a_watched_space_for_the_digest(personas, run_on_commit, mailoutbox):
    watch(user=personas.alice, space=personas.team)
    share_in_team(personas, run_on_commit)
    note = Notification.objects.get(recipient=personas.alice)
    assert (note.kind, note.digest_pending, note.emailed_at) == ("new_in_space", True, None)
    assert mailoutbox == []
    assert send_daily_digests.call([personas.alice.pk]) == 1
    assert len(mailoutbox) == 1 and "Onboarding notes" in mailoutbox[0].body
    assert not Notification.objects.filter(digest_pending=True).exists()


def test_it_tells_no_watcher_who_may_not_see_the_new_item(personas, run_on_commit):
    Watch.objects.create(user=personas.olly, space=personas.team)
    watch(user=personas.alice, space=personas.team)
    share_in_team(personas, run_on_commit, visibility=Visibility.SPACE)
    assert notes_for(personas.olly) == []
    assert notes_for(personas.alice) == ["new_in_space"]


def test_it_tells_watchers_of_an_item_about_a_change_but_not_the_editor(personas, run_on_commit):
    item = share_in_team(personas, run_on_commit)
    watch(user=personas.alice, item=item)
    watch(user=personas.mo, item=item)

    def edit():
        update_item(item=item, title="Onboarding v2", summary="", visibility=item.visibility, tags=[])
        record_activity(actor=personas.mo, verb=Verb.UPDATED, item=item)

    run_on_commit(edit)
    assert notes_for(personas.alice) == ["item_changed"]
    assert notes_for(personas.mo) == []


def test_it_tells_a_mentioned_person_at_once_only_if_they_may_see_where(personas, run_on_commit, mailoutbox):
    seen = share_in_team(personas, run_on_commit, title="Team plan")
    hidden = share_in_team(personas, run_on_commit, title="Secret plan")
    run_on_commit(record_activity, actor=personas.mo, verb=Verb.MENTIONED, item=seen, target=personas.alice)
    run_on_commit(record_activity, actor=personas.mo, verb=Verb.MENTIONED, item=hidden, target=personas.olly)
    assert notes_for(personas.alice) == ["mentioned"]
    assert notes_for(personas.olly) == []
    assert [m.to for m in mailoutbox] == [[personas.alice.email]]
    assert "mentioned you in Team plan" in mailoutbox[0].subject


def test_it_sends_nothing_at_all_for_a_type_switched_off(personas, run_on_commit, mailoutbox):
    NotificationPreference.objects.create(user=personas.olly, kind="invited", channel="off")
    run_on_commit(spaces.invite_to_space, inviter=personas.mo, space=personas.team, user=personas.olly)
    assert notes_for(personas.olly) == []
    assert mailoutbox == []


def test_it_emails_at_once_a_type_the_person_moved_from_digest_to_email(personas, run_on_commit, mailoutbox):
    NotificationPreference.objects.create(user=personas.alice, kind="new_in_space", channel="email")
    watch(user=personas.alice, space=personas.team)
    share_in_team(personas, run_on_commit)
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [personas.alice.email]
    assert not Notification.objects.get(recipient=personas.alice).digest_pending


def test_it_keeps_a_digest_type_in_the_app_only_when_set_to_in_app(personas, run_on_commit, mailoutbox):
    NotificationPreference.objects.create(user=personas.alice, kind="new_in_space", channel="in_app")
    watch(user=personas.alice, space=personas.team)
    share_in_team(personas, run_on_commit)
    assert send_daily_digests.call([personas.alice.pk]) == 0
    assert notes_for(personas.alice) == ["new_in_space"]
    assert mailoutbox == []


def test_it_never_emails_the_same_notification_twice(personas, run_on_commit, mailoutbox):
    run_on_commit(spaces.invite_to_space, inviter=personas.mo, space=personas.team, user=personas.olly)
    note = Notification.objects.get(recipient=personas.olly)
    assert send_notification_email.call(note.pk) is False
    assert len(mailoutbox) == 1


def test_it_leaves_out_of_the_digest_what_the_person_may_no_longer_see(personas, run_on_commit, mailoutbox):
    watch(user=personas.alice, space=personas.team)
    item = share_in_team(personas, run_on_commit, visibility=Visibility.SPACE)
    item.visibility = Visibility.PRIVATE
    item.save()
    assert send_daily_digests.call([personas.alice.pk]) == 0
    assert mailoutbox == []
    assert not Notification.objects.filter(digest_pending=True).exists()


def test_it_keeps_newlines_in_titles_out_of_email_subjects(personas, run_on_commit, mailoutbox):
    seen = share_in_team(personas, run_on_commit, title="Plan\nBcc: someone@evil.example")
    run_on_commit(record_activity, actor=personas.mo, verb=Verb.MENTIONED, item=seen, target=personas.alice)
    assert len(mailoutbox) == 1
    assert "\n" not in mailoutbox[0].subject


def addressed(personas, run_on_commit, verb, *, visibility=Visibility.PRIVATE, extra=None):
    def act():
        item = create_item(owner=personas.alice, kind="file", title="My portfolio", visibility=visibility)
        record_activity(actor=personas.alice, verb=verb, item=item, target=personas.mo, extra=extra or {})
        return item

    return run_on_commit(act)


def test_it_tells_the_one_person_an_activity_is_addressed_to(personas, run_on_commit, mailoutbox):
    addressed(personas, run_on_commit, Verb.FEEDBACK_ASKED, visibility=Visibility.ORGANISATION)
    assert notes_for(personas.mo) == ["feedback"]
    assert "Alice Learner asked for feedback on My portfolio" in mailoutbox[0].subject
    assert notes_for(personas.lee) == []


def test_it_says_nothing_to_someone_about_what_they_may_not_see(personas, run_on_commit, mailoutbox):
    addressed(personas, run_on_commit, Verb.SUBMITTED)
    assert notes_for(personas.mo) == [] and mailoutbox == []


def test_an_addressed_notification_may_link_to_a_page_of_its_own(personas, run_on_commit, mailoutbox):
    addressed(
        personas, run_on_commit, Verb.ENDORSE_ASKED, visibility=Visibility.ORGANISATION, extra={"url": "/answer/me/"}
    )
    assert notes_for(personas.mo) == ["endorsement"]
    assert "/answer/me/" in mailoutbox[0].body
