"""Reads for ratings and reviews: ranking items by rating, ordering and filtering reviews.

Ranking items by their plain mean puts one lucky 5-star above a hundred 4.7s. ``with_bayes`` ranks
by the Bayesian average instead: each item's ratings plus ``C`` imaginary ratings at the site-wide
mean ``m``,

    bayes = (C·m + rating_sum) / (C + rating_count)

so an item needs many ratings above the site's usual to climb far above it. ``m`` is cached for a
few minutes (it moves slowly and costs a scan of every rated item).

Reviews are ordered by helpfulness with the Wilson score interval's lower bound (95 %), kept on each
review as ``helpful_score`` by ``services.vote``: 9 of 10 helpful outranks 1 of 1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Exists, F, FloatField, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast

SITE_MEAN_KEY = "reviews:site-mean"
SITE_MEAN_SECONDS = 600
# With no ratings anywhere yet, the middle of the scale.
DEFAULT_MEAN = 3.0
Z = 1.96  # 95 % confidence

SORTS = {
    "helpful": ("Most helpful", ["-helpful_score", "-created", "-pk"]),
    "newest": ("Newest", ["-created", "-pk"]),
    "highest": ("Highest rating", ["-rating", "-created", "-pk"]),
    "lowest": ("Lowest rating", ["rating", "-created", "-pk"]),
}
FILTERS = {
    "role": "People in my role",
    "department": "People in my department",
    "skill": "People with a skill I want to learn",
}


def prior_weight() -> float:
    """C: how many imaginary ratings at the site mean every item starts with."""
    return float(getattr(settings, "REVIEWS_PRIOR_WEIGHT", 10))


def site_mean() -> float:
    """m: the mean of every visible rating on the site, cached."""
    value = cache.get(SITE_MEAN_KEY)
    if value is None:
        from core.models import Item

        totals = Item.objects.filter(deleted_at__isnull=True, rating_count__gt=0).aggregate(
            n=Sum("rating_count"), s=Sum("rating_sum")
        )
        value = totals["s"] / totals["n"] if totals["n"] else DEFAULT_MEAN
        cache.set(SITE_MEAN_KEY, value, SITE_MEAN_SECONDS)
    return value


def bayes(rating_sum: int, rating_count: int, *, m: float | None = None, c: float | None = None) -> float:
    m = site_mean() if m is None else m
    c = prior_weight() if c is None else c
    return (c * m + rating_sum) / (c + rating_count)


def with_bayes(queryset: QuerySet) -> QuerySet:
    """Annotate any Item queryset with ``bayes``, the Bayesian average to sort by rating."""
    c, m = prior_weight(), site_mean()
    numerator = Cast(F("rating_sum"), FloatField()) + Value(c * m, output_field=FloatField())
    denominator = Cast(F("rating_count"), FloatField()) + Value(c, output_field=FloatField())
    return queryset.annotate(bayes=numerator / denominator)


def by_rating(queryset: QuerySet) -> QuerySet:
    """Best rated first, by the Bayesian average; ties go to the more rated, then the newer."""
    return with_bayes(queryset).order_by("-bayes", "-rating_count", "-created", "-pk")


def wilson_lower_bound(positive: int, total: int, z: float = Z) -> float:
    """The lower bound of the Wilson score interval for the share of positive votes."""
    if total <= 0:
        return 0.0
    p = positive / total
    z2 = z * z
    centre = p + z2 / (2 * total)
    spread = z * math.sqrt((p * (1 - p) + z2 / (4 * total)) / total)
    return (centre - spread) / (1 + z2 / total)


@dataclass
class Aggregate:
    """What the panel's summary shows: count, mean and the histogram from 5 stars down."""

    count: int
    mean: float | None
    bars: list[tuple[int, int, int]]  # (stars, count, percent of the count)

    @property
    def rounded(self) -> int:
        return round(self.mean) if self.mean else 0


def aggregate(item) -> Aggregate:
    from reviews.models import RatingHistogram

    # An unrated item shows no bars: no query for them (the panel is on every item page).
    histogram = RatingHistogram.objects.filter(item_id=item.pk).first() if item.rating_count else None
    counts = histogram.counts if histogram else [0, 0, 0, 0, 0]
    total = item.rating_count
    bars = [(5 - i, n, round(100 * n / total) if total else 0) for i, n in enumerate(counts)]
    return Aggregate(count=total, mean=item.rating_mean, bars=bars)


def review_list(item, viewer, *, sort: str = "helpful", only: str = "") -> QuerySet:
    """The item's reviews a viewer reads: visible ones (and their own even if hidden), sorted and filtered.

    ``only`` narrows to reviewers like the viewer: the same job title (``role``), department
    (``department``), or who have a skill the viewer wants to learn (``skill``). A filter the viewer
    has nothing for (no job title given) matches no one, rather than everyone.
    """
    from reviews.models import Review

    qs = Review.objects.filter(item=item).select_related("author", "reply_by")
    mine = Q(author_id=viewer.pk) if viewer.is_authenticated else Q(pk__in=[])
    qs = qs.filter(Q(hidden_at__isnull=True) | mine)
    qs = qs.filter(_like_me(viewer, only))
    return qs.order_by(*SORTS.get(sort, SORTS["helpful"])[1])


def _like_me(viewer, only: str) -> Q:
    if not only:
        return Q()
    if not viewer.is_authenticated or only not in FILTERS:
        return Q(pk__in=[])
    if only == "role":
        return Q(author__job_title__iexact=viewer.job_title) if viewer.job_title.strip() else Q(pk__in=[])
    if only == "department":
        return Q(author__department__iexact=viewer.department) if viewer.department.strip() else Q(pk__in=[])
    from people.models import PersonSkill

    wanted = PersonSkill.objects.filter(person=viewer, direction=PersonSkill.Direction.WANTS).values("skill_id")
    has = PersonSkill.objects.filter(
        person_id=OuterRef("author_id"), direction=PersonSkill.Direction.HAS, skill_id__in=wanted
    )
    return Q(Exists(has))


def votes_of(viewer, reviews) -> dict[int, bool]:
    """{review id: helpful?} for the viewer's votes on these reviews, in one query."""
    from reviews.models import ReviewVote

    if not viewer.is_authenticated or not reviews:
        return {}
    return dict(
        ReviewVote.objects.filter(voter=viewer, review__in=[r.pk for r in reviews]).values_list("review_id", "helpful")
    )


def open_reports(moderator):
    """The moderation queue: open reports on reviews of items the moderator may see and does not own,
    the oldest first."""
    from core.access import item_filter_via
    from reviews.models import ReviewReport

    return (
        ReviewReport.objects.filter(item_filter_via(moderator, "review__item"), resolved_at__isnull=True)
        .exclude(review__item__owner_id=moderator.pk)
        .select_related("review__author", "review__item", "review__hidden_by", "reporter")
        .order_by("created", "pk")
    )
