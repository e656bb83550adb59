import pytest
from django.urls import reverse

from core.models import Item
from people.models import PersonSkill
from reviews import services
from reviews.models import Review, ReviewReport
from tests.factories import ItemFactory, SkillFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_item_page_shows_the_panel_with_the_rating(personas, client_for, open_item, no_page_cache):
    services.rate_item(item=open_item, author=personas.alice, rating=4, body="Handy checklist.")
    response = client_for(personas.lee).get(open_item.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="reviews"' in html and "Handy checklist." in html and "4.0 out of 5 stars" in html


def test_posting_the_form_rates_the_item_and_returns_to_it(personas, client_for, open_item):
    response = client_for(personas.alice).post(
        reverse("reviews:save", args=[open_item.pk]), {"rating": "5", "body": "Great", "next": "/i/1/"}
    )
    assert response.status_code == 302 and response["Location"] == "/i/1/#reviews"
    assert Item.objects.get(pk=open_item.pk).rating_sum == 5


def test_posting_again_changes_the_review_instead_of_adding_one(personas, client_for, open_item):
    client = client_for(personas.alice)
    client.post(reverse("reviews:save", args=[open_item.pk]), {"rating": "5"})
    client.post(reverse("reviews:save", args=[open_item.pk]), {"rating": "2", "body": "On reflection"})
    review = Review.objects.get()
    assert (review.rating, review.edits.count()) == (2, 1)


def test_a_missing_rating_is_refused_with_a_message(personas, client_for, open_item):
    response = client_for(personas.alice).post(reverse("reviews:save", args=[open_item.pk]), {"body": "No stars"})
    assert response.status_code == 400
    assert "Choose from 1 to 5 stars." in response.content.decode()


def test_htmx_gets_the_panel_back(personas, client_for, open_item):
    response = client_for(personas.alice).post(
        reverse("reviews:save", args=[open_item.pk]), {"rating": "3"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith('<section id="reviews"')
    assert "1 rating" in html


def test_owners_cannot_review_their_own_item(personas, client_for, open_item):
    response = client_for(personas.mo).post(reverse("reviews:save", args=[open_item.pk]), {"rating": "5"})
    assert response.status_code == 403
    assert not Review.objects.exists()


@pytest.mark.parametrize("who", ["olly", None])
def test_people_who_cannot_see_the_item_find_nothing(personas, client_for, team_file, who):
    client = client_for(getattr(personas, who) if who else None)
    response = client.get(reverse("reviews:item", args=[team_file.pk]))
    assert response.status_code == 404 if who else response["Location"].startswith("/accounts/login/")
    if who:
        assert client.post(reverse("reviews:save", args=[team_file.pk]), {"rating": "1"}).status_code == 404


def test_the_guest_member_may_review_the_spaces_file(personas, client_for, team_file):
    response = client_for(personas.gus).post(reverse("reviews:save", args=[team_file.pk]), {"rating": "4"})
    assert response.status_code == 302


def test_a_helpful_vote_with_htmx_redraws_the_review(personas, client_for, open_item):
    review = services.rate_item(item=open_item, author=personas.alice, rating=4)
    response = client_for(personas.lee).post(
        reverse("reviews:vote", args=[review.pk]), {"helpful": "yes"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and "1 found this helpful" in response.content.decode()


def test_voting_on_your_own_review_is_refused(personas, client_for, open_item):
    review = services.rate_item(item=open_item, author=personas.alice, rating=4)
    response = client_for(personas.alice).post(reverse("reviews:vote", args=[review.pk]), {"helpful": "yes"})
    assert response.status_code == 403


def test_a_nonsense_vote_is_a_clear_400(personas, client_for, open_item):
    review = services.rate_item(item=open_item, author=personas.alice, rating=4)
    response = client_for(personas.lee).post(reverse("reviews:vote", args=[review.pk]), {"helpful": "maybe"})
    assert response.status_code == 400 and "helpful" in response.content.decode()


def test_hidden_reviews_are_gone_for_readers_but_shown_to_their_author(personas, client_for, open_item):
    review = services.rate_item(item=open_item, author=personas.alice, rating=1, body="Shouting")
    services.hide(review=review, actor=personas.lee)
    url = reverse("reviews:item", args=[open_item.pk])
    assert "Shouting" not in client_for(personas.olly).get(url).content.decode()
    assert "Shouting" in client_for(personas.alice).get(url).content.decode()
    assert (
        client_for(personas.olly).post(reverse("reviews:vote", args=[review.pk]), {"helpful": "no"}).status_code == 404
    )


def test_the_moderation_queue_is_for_curators_and_admins(personas, client_for, open_item):
    review = services.rate_item(item=open_item, author=personas.alice, rating=1, body="Spam link")
    services.report(review=review, reporter=personas.olly, reason="Advertising")
    assert client_for(personas.olly).get(reverse("reviews:moderation")).status_code == 403
    page = client_for(personas.lee).get(reverse("reviews:moderation")).content.decode()
    assert "Advertising" in page and "Spam link" in page


def test_a_moderator_hides_from_the_queue_and_dismisses_reports(personas, client_for, open_item):
    review = services.rate_item(item=open_item, author=personas.alice, rating=1)
    report = services.report(review=review, reporter=personas.olly, reason="Rude")
    lee = client_for(personas.lee)
    assert lee.post(reverse("reviews:hide", args=[review.pk])).status_code == 302
    assert Item.objects.get(pk=open_item.pk).rating_count == 0
    other = services.rate_item(item=open_item, author=personas.olly, rating=5)
    second = services.report(review=other, reporter=personas.alice, reason="Too keen")
    assert lee.post(reverse("reviews:dismiss", args=[second.pk])).status_code == 302
    assert ReviewReport.objects.get(pk=second.pk).outcome == "dismissed"
    assert ReviewReport.objects.get(pk=report.pk).outcome == "hidden"


def test_the_items_owner_cannot_hide_reviews_of_it_even_as_a_curator(personas, client_for):
    item = ItemFactory(owner=personas.lee)
    review = services.rate_item(item=item, author=personas.alice, rating=1)
    assert client_for(personas.lee).post(reverse("reviews:hide", args=[review.pk])).status_code == 403


def test_readers_filter_reviews_to_people_in_their_role_department_or_with_a_skill_they_want(
    personas, client_for, open_item
):
    analyst = UserFactory(username="ana", job_title="Data analyst", department="Finance")
    engineer = UserFactory(username="eng", job_title="Engineer", department="Platform")
    reader = UserFactory(username="rea", job_title="data analyst", department="Platform")
    sql = SkillFactory(name="SQL")
    PersonSkill.objects.create(person=reader, skill=sql, direction=PersonSkill.Direction.WANTS)
    PersonSkill.objects.create(person=analyst, skill=sql, direction=PersonSkill.Direction.HAS)
    services.rate_item(item=open_item, author=analyst, rating=5, body="From the analyst")
    services.rate_item(item=open_item, author=engineer, rating=2, body="From the engineer")
    client = client_for(reader)
    url = reverse("reviews:item", args=[open_item.pk])

    def shown(only):
        html = client.get(url, {"only": only}).content.decode()
        return sorted(who for who in ("analyst", "engineer") if f"From the {who}" in html)

    assert shown("role") == ["analyst"]
    assert shown("department") == ["engineer"]
    assert shown("skill") == ["analyst"]
    assert shown("") == ["analyst", "engineer"]


def test_sorting_by_lowest_puts_the_harshest_first(personas, client_for, open_item):
    services.rate_item(item=open_item, author=personas.alice, rating=5, body="Loved it")
    services.rate_item(item=open_item, author=personas.lee, rating=1, body="Hated it")
    html = client_for(personas.olly).get(reverse("reviews:item", args=[open_item.pk]), {"sort": "lowest"}).content
    html = html.decode()
    assert html.index("Hated it") < html.index("Loved it")


def test_the_history_page_shows_earlier_versions(personas, client_for, open_item):
    review = services.rate_item(item=open_item, author=personas.alice, rating=3, body="First thoughts")
    services.update_review(review=review, actor=personas.alice, rating=4, body="Second thoughts")
    html = client_for(personas.olly).get(reverse("reviews:history", args=[review.pk])).content.decode()
    assert "First thoughts" in html and "Second thoughts" in html


def test_browse_sorts_by_rating_with_the_bayesian_average(personas, client_for, no_page_cache):
    good = ItemFactory(title="Often praised")
    fluke = ItemFactory(title="Praised once")
    ItemFactory(title="Average stuff", rating_count=200, rating_sum=700)
    Item.objects.filter(pk=good.pk).update(rating_count=50, rating_sum=235)
    services.rate_item(item=fluke, author=personas.alice, rating=5)
    html = client_for(personas.olly).get("/browse/", {"sort": "rating"}).content.decode()
    assert html.index("Often praised") < html.index("Praised once") < html.index("Average stuff")


def _queries_with(n, item, client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    have = Review.objects.filter(item=item).count()
    authors = UserFactory.create_batch(n - have)
    Review.objects.bulk_create(
        [Review(item=item, author=a, rating=1 + i % 5, body="Fine") for i, a in enumerate(authors)]
    )
    client.get(url)  # warm the per-process caches (site settings, the site mean)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("where", ["list", "item page"])
def test_an_items_reviews_cost_the_same_queries_at_10_and_200_reviews(
    personas, client_for, open_item, no_page_cache, where
):
    url = (
        reverse("reviews:item", args=[open_item.pk]) + "?sort=newest"
        if where == "list"
        else open_item.get_absolute_url()
    )
    client = client_for(personas.olly)
    at_10 = _queries_with(10, open_item, client, url)
    at_200 = _queries_with(200, open_item, client, url)
    assert at_10 == at_200
    if where == "list":
        assert at_10 <= 9
