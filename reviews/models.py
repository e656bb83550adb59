"""Ratings and reviews on any item, with the aggregates the item keeps for ranking.

The item's ``rating_count`` and ``rating_sum`` and its ``RatingHistogram`` count the visible
reviews only: a hidden review leaves them and comes back when it is unhidden. ``reviews.services``
is the only writer and keeps all three exact in the transaction that writes the review.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

RATING_RANGE = Q(rating__gte=1, rating__lte=5)


class Review(models.Model):
    """One person's 1–5 stars on one item, with what they wrote and the owner's or a curator's reply."""

    item = models.ForeignKey("core.Item", on_delete=models.CASCADE, related_name="reviews")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews")
    rating = models.PositiveSmallIntegerField()
    body = models.TextField(blank=True, max_length=5000)
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(default=timezone.now)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified = models.BooleanField(default=False, help_text="The author did what the item is (a course completed).")
    helpful_count = models.PositiveIntegerField(default=0)
    unhelpful_count = models.PositiveIntegerField(default=0)
    # The Wilson lower bound of helpful votes, kept beside the counts so "most helpful" is an index walk.
    helpful_score = models.FloatField(default=0.0)
    reply = models.TextField(blank=True, max_length=5000)
    reply_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reply_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "author"], name="review_once_per_person"),
            models.CheckConstraint(condition=RATING_RANGE, name="review_rating_1_to_5"),
        ]
        indexes = [
            models.Index(fields=["item", "-helpful_score", "-created"], name="review_item_helpful"),
            models.Index(fields=["item", "-created"], name="review_item_newest"),
            models.Index(fields=["item", "-rating", "-created"], name="review_item_rating"),
        ]

    def __str__(self):
        return f"{self.author} rated {self.item} {self.rating}/5"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def was_edited(self) -> bool:
        return (self.updated - self.created).total_seconds() > 1


class ReviewEdit(models.Model):
    """What a review said before one of its author's edits."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="edits")
    rating = models.PositiveSmallIntegerField()
    body = models.TextField(blank=True)
    created = models.DateTimeField(default=timezone.now, help_text="When this version was replaced.")

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [models.CheckConstraint(condition=RATING_RANGE, name="reviewedit_rating_1_to_5")]

    def __str__(self):
        return f"Earlier version of {self.review}"


class ReviewVote(models.Model):
    """A reader's verdict on whether a review helped them."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_votes")
    helpful = models.BooleanField()
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "voter"], name="reviewvote_once_per_person")]

    def __str__(self):
        return f"{self.voter} found {self.review.pk} {'helpful' if self.helpful else 'unhelpful'}"


class ReviewReport(models.Model):
    """Someone asking the moderators to look at a review."""

    class Outcome(models.TextChoices):
        HIDDEN = "hidden", "Review hidden"
        DISMISSED = "dismissed", "Dismissed"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_reports")
    reason = models.CharField(max_length=500)
    created = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["review", "reporter"],
                condition=Q(resolved_at__isnull=True),
                name="reviewreport_one_open_per_person",
            )
        ]
        indexes = [models.Index(fields=["resolved_at", "created"], name="reviewreport_queue")]

    def __str__(self):
        return f"{self.reporter} reported review {self.review_id}"


class RatingHistogram(models.Model):
    """How many visible reviews of one item gave each number of stars."""

    item = models.OneToOneField("core.Item", on_delete=models.CASCADE, primary_key=True, related_name="histogram")
    n1 = models.PositiveIntegerField(default=0)
    n2 = models.PositiveIntegerField(default=0)
    n3 = models.PositiveIntegerField(default=0)
    n4 = models.PositiveIntegerField(default=0)
    n5 = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"Ratings of {self.item_id}"

    @property
    def counts(self) -> list[int]:
        """Counts from 5 stars down to 1, the order the bars are shown in."""
        return [self.n5, self.n4, self.n3, self.n2, self.n1]
