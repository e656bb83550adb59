"""Asking for feedback, giving it (on the portfolio, a page, a block, a journal entry), private feedback,
replies and "addressed"."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Activity, Notification, Visibility
from portfolios import sharing
from portfolios.models import Feedback, FeedbackRequest
from portfolios.tests.test_sharing import make_portfolio

pytestmark = pytest.mark.django_db


def shared_with_mo(personas):
    return make_portfolio(personas.alice, visibility=Visibility.PEOPLE, shared_with=[personas.mo])


def first_block(portfolio, *, private=False):
    return portfolio.pages.order_by("position").first().blocks.get(private=private, title__in=["What I built", "Diary"])


# --- asking -----------------------------------------------------------------------------------------------------


def test_asking_for_feedback_notifies_the_people_asked(personas, django_capture_on_commit_callbacks):
    portfolio = shared_with_mo(personas)
    with django_capture_on_commit_callbacks(execute=True):
        sharing.request_feedback(actor=personas.alice, portfolio=portfolio, reviewers=[personas.mo], message="Honest?")
    note = Notification.objects.get(recipient=personas.mo)
    assert note.kind == "feedback"
    assert note.activity.verb == Activity.Verb.FEEDBACK_ASKED


def test_asking_someone_who_cannot_see_a_private_portfolio_shares_it_with_them(personas):
    portfolio = make_portfolio(personas.alice)
    asked = sharing.request_feedback(actor=personas.alice, portfolio=portfolio, reviewers=[personas.mo])
    portfolio.item.refresh_from_db()
    assert asked.newly_shared == [personas.mo]
    assert portfolio.item.visibility == Visibility.PEOPLE
    assert list(portfolio.item.shared_with.all()) == [personas.mo]


def test_asking_adds_to_the_people_already_named(personas):
    portfolio = shared_with_mo(personas)
    sharing.request_feedback(actor=personas.alice, portfolio=portfolio, reviewers=[personas.lee])
    assert set(portfolio.item.shared_with.all()) == {personas.mo, personas.lee}


def test_asking_someone_outside_a_space_only_portfolio_is_refused_with_a_reason(personas):
    portfolio = make_portfolio(personas.alice, visibility=Visibility.SPACE, space=personas.team)
    with pytest.raises(ValidationError, match="Olly Outsider can't see this portfolio"):
        sharing.request_feedback(actor=personas.alice, portfolio=portfolio, reviewers=[personas.olly])
    assert not FeedbackRequest.objects.exists()
    portfolio.item.refresh_from_db()
    assert portfolio.item.visibility == Visibility.SPACE


def test_asking_the_same_person_twice_while_they_have_not_answered_is_refused(personas):
    portfolio = shared_with_mo(personas)
    sharing.request_feedback(actor=personas.alice, portfolio=portfolio, reviewers=[personas.mo])
    with pytest.raises(ValidationError, match="already asked Mo Mentor"):
        sharing.request_feedback(actor=personas.alice, portfolio=portfolio, reviewers=[personas.mo])


def test_nobody_asks_for_feedback_on_someone_elses_portfolio(personas):
    portfolio = make_portfolio(personas.alice, visibility=Visibility.ORGANISATION)
    with pytest.raises(PermissionDenied):
        sharing.request_feedback(actor=personas.mo, portfolio=portfolio, reviewers=[personas.lee])


def test_the_ask_form_tells_the_owner_whom_it_was_shared_with(personas, client_for):
    portfolio = make_portfolio(personas.alice)
    response = client_for(personas.alice).post(
        f"/portfolios/{portfolio.pk}/feedback/ask", {"people": "mo", "message": "Please"}, follow=True
    )
    page = response.content.decode()
    assert "Asked Mo Mentor for feedback" in page
    assert "could not see this portfolio, so it is now shared with them by name" in page


def test_the_feedback_asked_of_me_list_shows_waiting_requests(personas, client_for):
    portfolio = shared_with_mo(personas)
    sharing.request_feedback(actor=personas.alice, portfolio=portfolio, reviewers=[personas.mo], message="Thoughts?")
    page = client_for(personas.mo).get("/portfolios/feedback/").content.decode()
    assert "Data apprenticeship" in page
    assert "Waiting for you" in page
    assert "Thoughts?" in page


# --- giving -----------------------------------------------------------------------------------------------------


def test_a_first_comment_answers_the_request(personas):
    portfolio = shared_with_mo(personas)
    sharing.request_feedback(actor=personas.alice, portfolio=portfolio, reviewers=[personas.mo])
    given = sharing.give_feedback(actor=personas.mo, portfolio=portfolio, body="Strong start.")
    asked = FeedbackRequest.objects.get()
    assert asked.state == FeedbackRequest.State.ANSWERED
    assert given.request == asked


def test_feedback_on_a_block_is_kept_with_the_block(personas, client_for):
    portfolio = shared_with_mo(personas)
    block = first_block(portfolio)
    response = client_for(personas.mo).post(
        f"/portfolios/{portfolio.pk}/feedback/?block={block.pk}", {"body": "Show the numbers.", "block": block.pk}
    )
    assert response.status_code == 302
    assert Feedback.objects.get().block == block
    page = client_for(personas.alice).get(f"/portfolios/{portfolio.pk}/feedback/?block={block.pk}").content.decode()
    assert "Show the numbers." in page


def test_feedback_on_a_journal_entry_and_a_page(personas):
    portfolio = shared_with_mo(personas)
    entry = portfolio.entries.get()
    page = portfolio.pages.first()
    sharing.give_feedback(actor=personas.mo, portfolio=portfolio, body="On the entry", entry=entry)
    sharing.give_feedback(actor=personas.mo, portfolio=portfolio, body="On the page", page=page)
    assert [t.feedback.body for t in sharing.feedback_threads(personas.alice, portfolio, entry=entry)] == [
        "On the entry"
    ]
    assert [t.feedback.body for t in sharing.feedback_threads(personas.alice, portfolio, page=page)] == ["On the page"]


def test_nobody_but_the_owner_comments_on_a_private_block(personas):
    portfolio = shared_with_mo(personas)
    with pytest.raises(ValidationError):
        sharing.give_feedback(
            actor=personas.mo, portfolio=portfolio, body="Hm", block=first_block(portfolio, private=True)
        )


def test_the_feedback_page_of_a_private_block_does_not_exist_for_others(personas, client_for):
    portfolio = shared_with_mo(personas)
    block = first_block(portfolio, private=True)
    assert client_for(personas.mo).get(f"/portfolios/{portfolio.pk}/feedback/?block={block.pk}").status_code == 404


def test_someone_who_cannot_see_the_portfolio_cannot_comment(personas, client_for):
    portfolio = shared_with_mo(personas)
    with pytest.raises(PermissionDenied):
        sharing.give_feedback(actor=personas.olly, portfolio=portfolio, body="Hi")
    assert client_for(personas.olly).post(f"/portfolios/{portfolio.pk}/feedback/", {"body": "Hi"}).status_code == 404


def test_empty_feedback_is_refused_with_a_message(personas, client_for):
    portfolio = shared_with_mo(personas)
    response = client_for(personas.mo).post(f"/portfolios/{portfolio.pk}/feedback/", {"body": "   "})
    assert response.status_code == 400
    assert not Feedback.objects.exists()


def test_giving_feedback_notifies_the_owner_without_quoting_it(personas, django_capture_on_commit_callbacks):
    portfolio = shared_with_mo(personas)
    with django_capture_on_commit_callbacks(execute=True):
        sharing.give_feedback(actor=personas.mo, portfolio=portfolio, body="GUAVA insight")
    note = Notification.objects.get(recipient=personas.alice)
    assert note.activity.verb == Activity.Verb.GAVE_FEEDBACK
    assert "GUAVA" not in str(note.activity.extra)
    assert mail.outbox and all("GUAVA" not in m.body + m.subject for m in mail.outbox)


# --- private feedback ---------------------------------------------------------------------------------------------


@pytest.fixture
def private_feedback(personas):
    portfolio = make_portfolio(personas.alice, visibility=Visibility.SPACE, space=personas.team)
    feedback = sharing.give_feedback(actor=personas.mo, portfolio=portfolio, body="PAPAYA private remark", private=True)
    sharing.give_feedback(actor=personas.gus, portfolio=portfolio, body="Open remark")
    return portfolio, feedback


def test_private_feedback_is_read_by_the_owner_and_its_author_only(personas, private_feedback):
    portfolio, _ = private_feedback
    assert "PAPAYA private remark" in [t.feedback.body for t in sharing.feedback_threads(personas.alice, portfolio)]
    assert "PAPAYA private remark" in [t.feedback.body for t in sharing.feedback_threads(personas.mo, portfolio)]
    assert [t.feedback.body for t in sharing.feedback_threads(personas.gus, portfolio)] == ["Open remark"]


def test_private_feedback_is_not_on_the_feedback_page_for_others(personas, private_feedback, client_for):
    portfolio, _ = private_feedback
    for person in (personas.gus, personas.ada):
        page = client_for(person).get(f"/portfolios/{portfolio.pk}/feedback/").content.decode()
        assert "Open remark" in page
        assert "PAPAYA" not in page


def test_a_reply_to_private_feedback_is_private_too(personas, private_feedback):
    portfolio, feedback = private_feedback
    reply = sharing.reply_to_feedback(actor=personas.alice, feedback=feedback, body="KUMQUAT answer")
    assert reply.private
    assert all(
        "KUMQUAT" not in t.feedback.body + "".join(r.body for r in t.replies)
        for t in sharing.feedback_threads(personas.gus, portfolio)
    )


def test_private_feedback_stays_out_of_feeds_and_search(personas, private_feedback, django_capture_on_commit_callbacks):
    from home.queries import recent_activity_for
    from search.queries import search
    from search.services import rebuild_index

    portfolio, _ = private_feedback
    rebuild_index()
    for person in (personas.gus, personas.mo, personas.ada):
        assert not list(search(person, "papaya"))
    about_private = [a for a in recent_activity_for(personas.gus) if a.extra.get("feedback") and a.item_id is None]
    assert about_private == []
    private_activity = Activity.objects.get(verb=Activity.Verb.GAVE_FEEDBACK, actor=personas.mo)
    assert private_activity.item is None and "PAPAYA" not in str(private_activity.extra)


def test_private_feedback_stays_out_of_notification_mail(personas, django_capture_on_commit_callbacks):
    portfolio = shared_with_mo(personas)
    with django_capture_on_commit_callbacks(execute=True):
        sharing.give_feedback(actor=personas.mo, portfolio=portfolio, body="PAPAYA secret", private=True)
    assert Notification.objects.filter(recipient=personas.alice).exists()
    assert all("PAPAYA" not in m.body + m.subject for m in mail.outbox)


# --- replies and addressed ---------------------------------------------------------------------------------------


def test_the_owner_replies_and_the_author_hears_of_it(personas, django_capture_on_commit_callbacks):
    portfolio = shared_with_mo(personas)
    feedback = sharing.give_feedback(actor=personas.mo, portfolio=portfolio, body="Add numbers.")
    with django_capture_on_commit_callbacks(execute=True):
        reply = sharing.reply_to_feedback(actor=personas.alice, feedback=feedback, body="Done, see page 2.")
    assert reply.parent == feedback
    assert Notification.objects.filter(recipient=personas.mo, activity__verb=Activity.Verb.GAVE_FEEDBACK).exists()


def test_only_the_owner_and_the_author_reply(personas):
    portfolio = make_portfolio(personas.alice, visibility=Visibility.ORGANISATION)
    feedback = sharing.give_feedback(actor=personas.mo, portfolio=portfolio, body="Nice.")
    with pytest.raises(PermissionDenied):
        sharing.reply_to_feedback(actor=personas.lee, feedback=feedback, body="Me too")


def test_the_owner_marks_feedback_addressed_and_unaddressed(personas, client_for):
    portfolio = shared_with_mo(personas)
    feedback = sharing.give_feedback(actor=personas.mo, portfolio=portfolio, body="Add numbers.")
    owner = client_for(personas.alice)
    assert owner.post(f"/portfolios/feedback/{feedback.pk}/addressed", {"addressed": "1"}).status_code == 302
    feedback.refresh_from_db()
    assert feedback.addressed is not None
    owner.post(f"/portfolios/feedback/{feedback.pk}/addressed", {"addressed": "0"})
    feedback.refresh_from_db()
    assert feedback.addressed is None


def test_only_the_owner_marks_feedback_addressed(personas, client_for):
    portfolio = shared_with_mo(personas)
    feedback = sharing.give_feedback(actor=personas.mo, portfolio=portfolio, body="Add numbers.")
    assert (
        client_for(personas.mo).post(f"/portfolios/feedback/{feedback.pk}/addressed", {"addressed": "1"}).status_code
        == 403
    )


def test_the_author_deletes_their_feedback_and_nobody_else_does(personas, client_for):
    portfolio = shared_with_mo(personas)
    feedback = sharing.give_feedback(actor=personas.mo, portfolio=portfolio, body="Oops.")
    assert client_for(personas.alice).post(f"/portfolios/feedback/{feedback.pk}/delete").status_code == 403
    assert client_for(personas.mo).post(f"/portfolios/feedback/{feedback.pk}/delete").status_code == 302
    assert not Feedback.objects.exists()


# --- bounded queries ------------------------------------------------------------------------------------------------


def _feedback_page_queries(client, portfolio) -> int:
    client.get(f"/portfolios/{portfolio.pk}/feedback/")  # the unread count and the rendered comments are cached
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/portfolios/{portfolio.pk}/feedback/")
    assert response.status_code == 200
    return len(captured)


def test_the_feedback_page_costs_the_same_queries_however_much_feedback(personas, client_for, no_page_cache):
    from tests.factories import UserFactory

    portfolio = make_portfolio(personas.alice, visibility=Visibility.ORGANISATION)
    authors = [UserFactory() for _ in range(6)]
    for n, author in enumerate(authors[:2]):
        feedback = sharing.give_feedback(actor=author, portfolio=portfolio, body=f"Comment {n}", private=n % 2 == 0)
        sharing.reply_to_feedback(actor=personas.alice, feedback=feedback, body="Thanks")
    owner = client_for(personas.alice)
    few = _feedback_page_queries(owner, portfolio)
    for n, author in enumerate(authors * 5):
        feedback = sharing.give_feedback(actor=author, portfolio=portfolio, body=f"More {n}", private=n % 3 == 0)
        sharing.reply_to_feedback(actor=personas.alice, feedback=feedback, body=f"Reply {n}")
    assert _feedback_page_queries(owner, portfolio) == few


def test_the_feedback_asked_of_me_list_costs_the_same_queries_however_many(personas, client_for, no_page_cache):
    from tests.factories import UserFactory

    def asked_by_someone():
        owner = UserFactory()
        portfolio = make_portfolio(owner)
        sharing.request_feedback(actor=owner, portfolio=portfolio, reviewers=[personas.mo], message="Look?")

    reviewer = client_for(personas.mo)
    asked_by_someone()
    reviewer.get("/portfolios/feedback/")  # the unread count is cached after the first page
    with CaptureQueriesContext(connection) as few:
        reviewer.get("/portfolios/feedback/")
    for _ in range(8):
        asked_by_someone()
    reviewer.get("/portfolios/feedback/")
    with CaptureQueriesContext(connection) as many:
        reviewer.get("/portfolios/feedback/")
    assert len(many) == len(few)
