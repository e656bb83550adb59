"""The sharing, feedback and submission API (``portfolios.api.sharing.router``) through the same services."""

import json

import pytest

from core.models import Visibility
from portfolios import sharing
from portfolios.models import Feedback, SecretLink, Submission
from portfolios.tests.test_sharing import make_portfolio

pytestmark = pytest.mark.django_db

PREFIX = "/api/portfolios"


def call(client, method, path, body=None):
    if body is None:
        return getattr(client, method)(PREFIX + path)
    return getattr(client, method)(PREFIX + path, data=json.dumps(body), content_type="application/json")


def test_anonymous_callers_are_asked_who_they_are(personas, client):
    portfolio = make_portfolio(personas.alice)
    assert call(client, "get", f"/{portfolio.pk}/sharing").status_code == 401


def test_the_owner_reads_and_changes_who_sees_it(personas, client_for):
    portfolio = make_portfolio(personas.alice)
    owner = client_for(personas.alice)
    assert call(owner, "get", f"/{portfolio.pk}/sharing").json()["headline"] == "Only you can see it."
    response = call(owner, "put", f"/{portfolio.pk}/sharing", {"visibility": "people", "shared_with": ["mo"]})
    assert response.status_code == 200
    assert response.json()["shared_with"] == ["mo"]


def test_the_api_refuses_a_public_portfolio(personas, client_for):
    portfolio = make_portfolio(personas.alice)
    response = call(client_for(personas.alice), "put", f"/{portfolio.pk}/sharing", {"visibility": "public"})
    assert response.status_code == 422
    portfolio.item.refresh_from_db()
    assert portfolio.item.visibility == Visibility.PRIVATE


def test_others_may_not_read_or_change_who_sees_it(personas, client_for):
    portfolio = make_portfolio(personas.alice, visibility=Visibility.ORGANISATION)
    assert call(client_for(personas.mo), "get", f"/{portfolio.pk}/sharing").status_code == 403
    assert call(client_for(personas.gus), "get", f"/{portfolio.pk}/sharing").status_code == 404


def test_a_secret_link_is_shown_once_and_revoked(personas, client_for, client):
    portfolio = make_portfolio(personas.alice)
    owner = client_for(personas.alice)
    made = call(owner, "post", f"/{portfolio.pk}/secret-links", {"label": "Panel"})
    assert made.status_code == 201
    url = made.json()["url"]
    assert client.get(url).status_code == 200
    listed = call(owner, "get", f"/{portfolio.pk}/secret-links").json()
    assert "url" not in listed[0] and listed[0]["live"] is True
    assert call(owner, "post", f"/{portfolio.pk}/secret-links/{made.json()['id']}/revoke").json()["live"] is False
    assert client.get(url).status_code == 404
    assert SecretLink.objects.get().token_hash not in url


def test_feedback_through_the_api_hides_private_feedback_from_others(personas, client_for):
    portfolio = make_portfolio(personas.alice, visibility=Visibility.SPACE, space=personas.team)
    made = call(client_for(personas.mo), "post", f"/{portfolio.pk}/feedback", {"body": "PAPAYA", "private": True})
    assert made.status_code == 201
    call(client_for(personas.gus), "post", f"/{portfolio.pk}/feedback", {"body": "Open"})
    for person, expected in ((personas.alice, 2), (personas.mo, 2), (personas.gus, 1), (personas.ada, 1)):
        bodies = [row["body"] for row in call(client_for(person), "get", f"/{portfolio.pk}/feedback").json()]
        assert len(bodies) == expected, person
        assert ("PAPAYA" in bodies) == (expected == 2)
    assert (
        call(client_for(personas.gus), "post", f"/feedback/{made.json()['id']}/replies", {"body": "x"}).status_code
        == 404
    )


def test_feedback_on_a_block_of_another_portfolio_is_not_found(personas, client_for):
    portfolio = make_portfolio(personas.alice, visibility=Visibility.ORGANISATION)
    other = make_portfolio(personas.lee, visibility=Visibility.ORGANISATION)
    block = other.pages.first().blocks.first()
    response = call(client_for(personas.mo), "post", f"/{portfolio.pk}/feedback", {"body": "Hi", "block": block.pk})
    assert response.status_code == 404


def test_the_owner_replies_and_marks_feedback_addressed(personas, client_for):
    portfolio = make_portfolio(personas.alice, visibility=Visibility.ORGANISATION)
    feedback = sharing.give_feedback(actor=personas.mo, portfolio=portfolio, body="Add numbers.")
    owner = client_for(personas.alice)
    assert call(owner, "post", f"/feedback/{feedback.pk}/replies", {"body": "Done"}).json()["parent"] == feedback.pk
    assert call(owner, "put", f"/feedback/{feedback.pk}/addressed").json()["addressed"] is not None
    assert call(owner, "delete", f"/feedback/{feedback.pk}/addressed").json()["addressed"] is None
    assert call(client_for(personas.mo), "put", f"/feedback/{feedback.pk}/addressed").status_code == 403


def test_empty_feedback_is_refused(personas, client_for):
    portfolio = make_portfolio(personas.alice, visibility=Visibility.ORGANISATION)
    assert call(client_for(personas.mo), "post", f"/{portfolio.pk}/feedback", {"body": "   "}).status_code == 400
    assert not Feedback.objects.exists()


def test_asking_for_feedback_through_the_api_says_whom_it_shared_with(personas, client_for):
    portfolio = make_portfolio(personas.alice)
    response = call(client_for(personas.alice), "post", f"/{portfolio.pk}/feedback-requests", {"people": ["mo"]})
    assert response.status_code == 201
    assert response.json()["newly_shared"] == ["mo"]
    asked = call(client_for(personas.mo), "get", "/feedback-requests").json()
    assert [row["portfolio"] for row in asked] == [portfolio.pk]


def test_asking_someone_outside_a_space_portfolio_is_a_400(personas, client_for):
    portfolio = make_portfolio(personas.alice, visibility=Visibility.SPACE, space=personas.team)
    response = call(client_for(personas.alice), "post", f"/{portfolio.pk}/feedback-requests", {"people": ["olly"]})
    assert response.status_code == 400
    assert "can't see this portfolio" in response.json()["detail"]


def test_submitting_and_assessing_through_the_api(personas, client_for):
    portfolio = make_portfolio(personas.alice)
    made = call(client_for(personas.alice), "post", f"/{portfolio.pk}/submissions", {"reviewer": "mo"})
    assert made.status_code == 201
    assert "PINEAPPLE" not in json.dumps(made.json()["content"])
    submission_id = made.json()["id"]
    assessed = call(
        client_for(personas.mo),
        "put",
        f"/submissions/{submission_id}/assessment",
        {"outcome": "meets", "assessment": "Good"},
    )
    assert assessed.json()["state"] == "assessed"
    assert call(client_for(personas.lee), "get", f"/submissions/{submission_id}").status_code == 404
    assert [row["id"] for row in call(client_for(personas.mo), "get", "/submissions?role=reviewer").json()] == [
        submission_id
    ]
    assert Submission.objects.get().outcome == "meets"


def test_a_private_block_does_not_exist_for_others_in_the_api(personas, client_for):
    portfolio = make_portfolio(personas.alice, visibility=Visibility.ORGANISATION)
    block = portfolio.pages.first().blocks.get(private=True)
    mo = client_for(personas.mo)
    assert call(mo, "get", f"/{portfolio.pk}/feedback?block={block.pk}").status_code == 404
    assert call(mo, "post", f"/{portfolio.pk}/feedback", {"body": "Hi", "block": block.pk}).status_code == 404
