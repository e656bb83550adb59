import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import Item
from reviews import services
from reviews.models import RatingHistogram, Review, ReviewReport
from reviews.queries import bayes, by_rating, site_mean, wilson_lower_bound
from reviews.verification import register_verifier, unregister_verifier
from tests.factories import ItemFactory, UserFactory

pytestmark = pytest.mark.django_db


def counts(item):
    item = Item.objects.get(pk=item.pk)
    histogram = RatingHistogram.objects.filter(item=item).first()
    return item.rating_count, item.rating_sum, histogram.counts if histogram else [0] * 5


def test_a_rating_counts_in_the_item_and_its_histogram(personas, open_item):
    services.rate_item(item=open_item, author=personas.alice, rating=4, body="Clear.")
    services.rate_item(item=open_item, author=personas.lee, rating=2)
    assert counts(open_item) == (2, 6, [0, 1, 0, 1, 0])


def test_each_person_reviews_an_item_once(personas, open_item):
    services.rate_item(item=open_item, author=personas.alice, rating=4)
    with pytest.raises(services.AlreadyReviewed):
        services.rate_item(item=open_item, author=personas.alice, rating=5)
    assert Review.objects.filter(item=open_item).count() == 1
    assert counts(open_item)[:2] == (1, 4)


def test_an_edit_keeps_what_the_review_said_before(personas, open_item):
    review = services.rate_item(item=open_item, author=personas.alice, rating=3, body="Hard going.")
    services.update_review(review=review, actor=personas.alice, rating=5, body="It clicked on a second read.")
    review.refresh_from_db()
    assert (review.rating, review.body) == (5, "It clicked on a second read.")
    assert [(e.rating, e.body) for e in review.edits.all()] == [(3, "Hard going.")]
    assert counts(open_item) == (1, 5, [1, 0, 0, 0, 0])


def test_only_the_author_changes_a_review(personas, open_item):
    review = services.rate_item(item=open_item, author=personas.alice, rating=3)
    with pytest.raises(PermissionDenied):
        services.update_review(review=review, actor=personas.lee, rating=1)


def test_deleting_a_review_takes_its_stars_out(personas, open_item):
    review = services.rate_item(item=open_item, author=personas.alice, rating=3)
    services.rate_item(item=open_item, author=personas.lee, rating=5)
    services.delete_review(review=review, actor=personas.alice)
    assert counts(open_item) == (1, 5, [1, 0, 0, 0, 0])


def test_hidden_reviews_leave_the_aggregates_and_unhiding_puts_them_back(personas, open_item):
    review = services.rate_item(item=open_item, author=personas.alice, rating=1, body="Rubbish!!")
    services.rate_item(item=open_item, author=personas.olly, rating=4)
    services.hide(review=review, actor=personas.lee)
    services.hide(review=review, actor=personas.lee)  # twice: counted out once
    assert counts(open_item) == (1, 4, [0, 1, 0, 0, 0])
    services.unhide(review=review, actor=personas.ada)
    assert counts(open_item) == (2, 5, [0, 1, 0, 0, 1])


def test_editing_a_hidden_review_leaves_the_aggregates_alone(personas, open_item):
    review = services.rate_item(item=open_item, author=personas.alice, rating=1)
    services.hide(review=review, actor=personas.lee)
    services.update_review(review=review, actor=personas.alice, rating=2)
    assert counts(open_item) == (0, 0, [0, 0, 0, 0, 0])
    services.unhide(review=review, actor=personas.lee)
    assert counts(open_item) == (1, 2, [0, 0, 0, 1, 0])


def test_deleting_a_hidden_review_does_not_count_it_out_twice(personas, open_item):
    review = services.rate_item(item=open_item, author=personas.alice, rating=1)
    services.hide(review=review, actor=personas.lee)
    services.delete_review(review=review, actor=personas.alice)
    assert counts(open_item) == (0, 0, [0, 0, 0, 0, 0])


def test_owners_cannot_review_their_own_items(personas, open_item):
    with pytest.raises(PermissionDenied):
        services.rate_item(item=open_item, author=personas.mo, rating=5)


def test_nobody_reviews_what_they_cannot_see(personas, team_file):
    with pytest.raises(PermissionDenied):
        services.rate_item(item=team_file, author=personas.olly, rating=1)


@pytest.mark.parametrize("rating", [0, 6, "5", 4.5, True])
def test_a_rating_is_a_whole_number_from_one_to_five(personas, open_item, rating):
    with pytest.raises(ValidationError):
        services.rate_item(item=open_item, author=personas.alice, rating=rating)


def test_curators_and_admins_hide_but_learners_and_the_items_owner_do_not(personas):
    item = ItemFactory(owner=personas.lee)
    review = services.rate_item(item=item, author=personas.alice, rating=1)
    for who in (personas.olly, personas.lee):  # a learner; a curator who owns the item
        with pytest.raises(PermissionDenied):
            services.hide(review=review, actor=who)
    services.hide(review=review, actor=personas.ada)
    assert Review.objects.get(pk=review.pk).hidden_at is not None


def test_hiding_closes_the_reviews_open_reports(personas, open_item):
    review = services.rate_item(item=open_item, author=personas.alice, rating=1, body="Spam spam")
    services.report(review=review, reporter=personas.olly, reason="Spam")
    services.hide(review=review, actor=personas.lee)
    report = ReviewReport.objects.get()
    assert (report.outcome, report.resolved_by) == ("hidden", personas.lee)


def test_a_person_has_one_open_report_per_review_and_none_on_their_own(personas, open_item):
    review = services.rate_item(item=open_item, author=personas.alice, rating=1)
    services.report(review=review, reporter=personas.olly, reason="Rude")
    with pytest.raises(ValidationError):
        services.report(review=review, reporter=personas.olly, reason="Still rude")
    with pytest.raises(PermissionDenied):
        services.report(review=review, reporter=personas.alice, reason="Oops")


def test_votes_count_once_per_person_can_change_and_not_on_your_own(personas, open_item):
    review = services.rate_item(item=open_item, author=personas.alice, rating=4)
    services.vote(review=review, voter=personas.lee, helpful=True)
    services.vote(review=review, voter=personas.lee, helpful=True)
    services.vote(review=review, voter=personas.olly, helpful=True)
    services.vote(review=review, voter=personas.olly, helpful=False)
    review.refresh_from_db()
    assert (review.helpful_count, review.unhelpful_count) == (1, 1)
    assert review.helpful_score == pytest.approx(wilson_lower_bound(1, 2))
    services.vote(review=review, voter=personas.olly, helpful=None)
    review.refresh_from_db()
    assert (review.helpful_count, review.unhelpful_count) == (1, 0)
    with pytest.raises(PermissionDenied):
        services.vote(review=review, voter=personas.alice, helpful=True)


def test_the_owner_or_a_curator_replies_and_others_may_not(personas, open_item):
    review = services.rate_item(item=open_item, author=personas.alice, rating=2)
    services.reply(review=review, actor=personas.mo, body="Thanks, section 2 is rewritten.")
    assert Review.objects.get(pk=review.pk).reply_by == personas.mo
    services.reply(review=review, actor=personas.lee, body="")
    assert Review.objects.get(pk=review.pk).reply == ""
    with pytest.raises(PermissionDenied):
        services.reply(review=review, actor=personas.olly, body="Me too")


def test_a_registered_verifier_marks_reviews_verified(personas, open_item):
    register_verifier("page", lambda user, item: user.username == "alice")
    try:
        mine = services.rate_item(item=open_item, author=personas.alice, rating=5)
        theirs = services.rate_item(item=open_item, author=personas.olly, rating=5)
    finally:
        unregister_verifier("page")
    assert (mine.verified, theirs.verified) == (True, False)


def test_nothing_is_verified_while_no_kind_registers_a_verifier(personas, open_item):
    assert services.rate_item(item=open_item, author=personas.alice, rating=5).verified is False


def _rate_many(item, ratings):
    for rating in ratings:
        services.rate_item(item=item, author=UserFactory(), rating=rating)


def test_one_five_star_review_does_not_beat_a_hundred_4_7s(personas):
    lucky = ItemFactory(title="One lucky review")
    proven = ItemFactory(title="A hundred reviews")
    usual = ItemFactory(title="The site's usual")
    _rate_many(lucky, [5])
    # A hundred ratings averaging 4.7, and the rest of the site rating as sites do (about 3.5).
    Item.objects.filter(pk=proven.pk).update(rating_count=100, rating_sum=470)
    Item.objects.filter(pk=usual.pk).update(rating_count=200, rating_sum=700)
    ranked = list(by_rating(Item.objects.filter(pk__in=[lucky.pk, proven.pk, usual.pk])))
    assert [i.title for i in ranked] == ["A hundred reviews", "One lucky review", "The site's usual"]
    assert ranked[0].bayes == pytest.approx(bayes(470, 100))


def test_the_site_mean_is_cached_and_starts_at_the_middle_of_the_scale(personas, open_item, django_assert_num_queries):
    assert site_mean() == 3.0
    services.rate_item(item=open_item, author=personas.alice, rating=5)
    with django_assert_num_queries(0):
        assert site_mean() == 3.0  # cached for a few minutes


def test_wilson_puts_nine_of_ten_helpful_above_one_of_one():
    assert wilson_lower_bound(9, 10) > wilson_lower_bound(1, 1) > wilson_lower_bound(0, 1) == 0
    assert wilson_lower_bound(0, 0) == 0


def test_most_helpful_reviews_come_first_by_wilson_not_by_raw_share(personas, open_item):
    voters = [UserFactory() for _ in range(10)]
    one_of_one = services.rate_item(item=open_item, author=personas.alice, rating=5)
    nine_of_ten = services.rate_item(item=open_item, author=personas.lee, rating=4)
    services.vote(review=one_of_one, voter=voters[0], helpful=True)
    for n, voter in enumerate(voters):
        services.vote(review=nine_of_ten, voter=voter, helpful=n < 9)
    from reviews.queries import review_list

    assert [r.pk for r in review_list(open_item, personas.olly, sort="helpful")] == [nine_of_ten.pk, one_of_one.pk]
