"""Submitting a frozen copy of a portfolio for review, and the reviewer's assessment."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import Activity, ItemKind, Notification, Visibility
from core.services import create_item
from portfolios import sharing
from portfolios.models import Block, Submission
from portfolios.services import add_block, update_block
from portfolios.tests.test_sharing import make_portfolio

pytestmark = pytest.mark.django_db


def submit(personas, portfolio=None, reviewer=None, **kwargs):
    portfolio = portfolio or make_portfolio(personas.alice)
    done = sharing.submit_for_review(
        actor=personas.alice, portfolio=portfolio, reviewer=reviewer or personas.mo, **kwargs
    )
    return done.submission


def frozen_text(submission) -> str:
    return str(Submission.objects.get(pk=submission.pk).content)


def test_a_snapshot_does_not_change_when_the_live_page_does(personas):
    portfolio = make_portfolio(personas.alice)
    submission = submit(personas, portfolio)
    block = Block.objects.get(page__portfolio=portfolio, title="What I built")
    update_block(actor=personas.alice, block=block, body="Rewritten BANANA text")
    add_block(actor=personas.alice, page=block.page, kind="text", title="Added later", body="CHERRY")
    text = frozen_text(submission)
    assert "<strong>sales</strong>" in text
    assert "BANANA" not in text and "Added later" not in text


def test_a_snapshot_leaves_out_private_blocks_and_private_reflections(personas):
    text = frozen_text(submit(personas))
    assert "What I built" in text and "First sprint" in text
    assert "PINEAPPLE" not in text and "Diary" not in text
    assert "MANGO" not in text


def test_a_snapshot_leaves_out_feedback(personas):
    portfolio = make_portfolio(personas.alice, visibility=Visibility.PEOPLE, shared_with=[personas.lee])
    sharing.give_feedback(actor=personas.lee, portfolio=portfolio, body="FIG feedback")
    assert "FIG" not in frozen_text(submit(personas, portfolio))


def test_a_snapshot_names_items_the_reviewer_may_open_and_hides_the_others(personas):
    portfolio = make_portfolio(personas.alice)
    page = portfolio.pages.first()
    shared = create_item(owner=personas.alice, kind=ItemKind.FILE, title="Open report", visibility="organisation")
    mine = create_item(owner=personas.alice, kind=ItemKind.FILE, title="PLUM draft", visibility="private")
    add_block(actor=personas.alice, page=page, kind="artefact", title="Report", item=shared)
    add_block(actor=personas.alice, page=page, kind="artefact", title="Draft", item=mine)
    done = sharing.submit_for_review(actor=personas.alice, portfolio=portfolio, reviewer=personas.mo)
    text = frozen_text(done.submission)
    assert "Open report" in text and f"/i/{shared.pk}/" in text
    assert "PLUM" not in text
    assert done.left_out == 1


def test_the_reviewer_is_notified_and_nobody_elses_feed_hears_of_it(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submission = submit(personas, message="For the apprenticeship panel")
    note = Notification.objects.get(recipient=personas.mo)
    assert note.kind == "assessment"
    assert note.activity.item is None
    assert note.activity.extra["url"] == f"/portfolios/submissions/{submission.pk}/"


def test_nobody_submits_someone_elses_portfolio_or_to_themselves(personas):
    portfolio = make_portfolio(personas.alice, visibility=Visibility.ORGANISATION)
    with pytest.raises(PermissionDenied):
        sharing.submit_for_review(actor=personas.mo, portfolio=portfolio, reviewer=personas.lee)
    with pytest.raises(ValidationError):
        sharing.submit_for_review(actor=personas.alice, portfolio=portfolio, reviewer=personas.alice)


def test_a_second_copy_to_the_same_reviewer_waits_for_the_first_to_be_assessed(personas):
    portfolio = make_portfolio(personas.alice)
    submit(personas, portfolio)
    with pytest.raises(ValidationError, match="not assessed"):
        submit(personas, portfolio)


def test_the_reviewer_assesses_and_the_owner_is_told(personas, django_capture_on_commit_callbacks):
    submission = submit(personas)
    with django_capture_on_commit_callbacks(execute=True):
        sharing.assess_submission(actor=personas.mo, submission=submission, outcome="meets", assessment="Solid work.")
    submission.refresh_from_db()
    assert (submission.state, submission.outcome) == (Submission.State.ASSESSED, "meets")
    note = Notification.objects.get(recipient=personas.alice)
    assert note.activity.verb == Activity.Verb.ASSESSED


def test_only_the_reviewer_assesses(personas):
    submission = submit(personas)
    for person in (personas.alice, personas.ada, personas.lee):
        with pytest.raises(PermissionDenied):
            sharing.assess_submission(actor=person, submission=submission, outcome="meets", assessment="Fine")


def test_an_assessment_needs_an_outcome_and_words(personas, client_for):
    submission = submit(personas)
    response = client_for(personas.mo).post(
        f"/portfolios/submissions/{submission.pk}/assess", {"outcome": "meets", "assessment": ""}
    )
    assert response.status_code == 400
    submission.refresh_from_db()
    assert submission.state == Submission.State.SUBMITTED


def test_a_withdrawn_submission_cannot_be_assessed(personas):
    submission = submit(personas)
    sharing.withdraw_submission(actor=personas.alice, submission=submission)
    with pytest.raises(ValidationError, match="withdrew"):
        sharing.assess_submission(actor=personas.mo, submission=submission, outcome="meets", assessment="Fine")


def test_a_submission_is_seen_by_its_owner_its_reviewer_and_site_admins_only(personas, client_for):
    submission = submit(personas)
    url = f"/portfolios/submissions/{submission.pk}/"
    for person, status in ((personas.alice, 200), (personas.mo, 200), (personas.ada, 200)):
        assert client_for(person).get(url).status_code == status
    for person in (personas.lee, personas.gus, personas.olly):
        assert client_for(person).get(url).status_code == 404


def test_the_submission_page_shows_the_frozen_copy_and_the_assessment(personas, client_for):
    portfolio = make_portfolio(personas.alice)
    submission = submit(personas, portfolio)
    sharing.assess_submission(
        actor=personas.mo, submission=submission, outcome="exceeds", assessment="**Great** loader."
    )
    block = Block.objects.get(page__portfolio=portfolio, title="What I built")
    update_block(actor=personas.alice, block=block, body="Changed afterwards")
    page = client_for(personas.alice).get(f"/portfolios/submissions/{submission.pk}/").content.decode()
    assert "<strong>sales</strong>" in page and "Changed afterwards" not in page
    assert "Exceeds the standard" in page
    assert "<strong>Great</strong> loader." in page


def test_submitting_from_the_page_sends_the_copy(personas, client_for):
    portfolio = make_portfolio(personas.alice)
    response = client_for(personas.alice).post(
        f"/portfolios/{portfolio.pk}/submit/", {"people": "mo", "message": "Ready for review"}
    )
    submission = Submission.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/portfolios/submissions/{submission.pk}/"
    assert submission.reviewer == personas.mo


def test_the_submit_page_refuses_an_unknown_reviewer_and_keeps_the_message(personas, client_for):
    portfolio = make_portfolio(personas.alice)
    response = client_for(personas.alice).post(
        f"/portfolios/{portfolio.pk}/submit/", {"people": "nobody", "message": "Ready for review"}
    )
    assert response.status_code == 400
    assert "No one here has the username nobody" in response.content.decode()
    assert "Ready for review" in response.content.decode()
    assert not Submission.objects.exists()


def test_stored_html_is_sanitised_again_when_shown(personas, client_for):
    submission = submit(personas)
    content = submission.content
    content["pages"][0]["columns"][0][0]["html"] = '<p onclick="steal()">Hi</p><script>alert(1)</script>'
    Submission.objects.filter(pk=submission.pk).update(content=content)
    page = client_for(personas.mo).get(f"/portfolios/submissions/{submission.pk}/").content.decode()
    assert "<script>alert(1)" not in page and "steal()" not in page
