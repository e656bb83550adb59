"""Twenty people rating one item at the same moment: the aggregates must count every one of them.

Each thread has its own database connection and transaction, as requests in different processes
would. Run it on PostgreSQL with DATABASE_URL=postgres://... as well as on SQLite.
"""

import threading

import pytest
from django.db import connection, connections

from core.models import Item, Visibility
from core.services import create_item
from reviews import services
from reviews.models import RatingHistogram, Review
from tests.factories import UserFactory

RATERS = 20


def _in_memory_sqlite() -> bool:
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


@pytest.mark.django_db(transaction=True)
def test_concurrent_ratings_and_changes_keep_the_aggregates_exact():
    if _in_memory_sqlite():
        # Threads share an in-memory test database through SQLite's shared cache, whose table locks
        # fail at once instead of waiting; a file database (SQLITE_TEST_NAME=/tmp/x.sqlite3) works.
        pytest.skip("needs a file or PostgreSQL test database: set SQLITE_TEST_NAME or DATABASE_URL")
    owner = UserFactory(username="owner")
    item = create_item(owner=owner, kind="file", title="Popular", visibility=Visibility.ORGANISATION)
    people = [UserFactory(username=f"rater{n}") for n in range(RATERS)]
    start = threading.Barrier(RATERS)
    errors = []

    def rate(person, n):
        try:
            start.wait()
            review, _ = services.save_review(item=item, author=person, rating=1 + n % 5)
            # Half of them change their mind straight away, while the others are still rating.
            if n % 2:
                services.update_review(review=review, actor=person, rating=5)
        except Exception as exc:  # reported below: a thread's failure must fail the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=rate, args=(p, n)) for n, p in enumerate(people)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    ratings = list(Review.objects.filter(item=item).values_list("rating", flat=True))
    item = Item.objects.get(pk=item.pk)
    histogram = RatingHistogram.objects.get(item=item)
    assert (item.rating_count, item.rating_sum) == (RATERS, sum(ratings))
    assert histogram.counts == [ratings.count(stars) for stars in (5, 4, 3, 2, 1)]
