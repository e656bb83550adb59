"""Every write to ratings and reviews, keeping the item's aggregates exact.

Each change to a review that counts (created, re-rated, deleted, hidden, unhidden) moves the item's
``rating_count``/``rating_sum`` and its histogram with ``F()`` expressions in the transaction that
writes the review row, so concurrent raters never lose each other's stars: the database adds, not
Python. The review row is locked (``select_for_update``) before a change that depends on its old
state, so two requests about the same review (a double-clicked "hide") apply once.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from core.access import can_view
from core.models import Activity, Item
from core.services import record_activity
from lib.pagecache import content_changed
from reviews.models import RatingHistogram, Review, ReviewEdit, ReviewReport, ReviewVote
from reviews.queries import wilson_lower_bound
from reviews.verification import is_verified

BODY_MAX = 5000
REASON_MAX = 500


class AlreadyReviewed(ValidationError):
    """The person has reviewed this item already: they edit that review instead."""


def is_moderator(user) -> bool:
    """Curators and admins look after reviews everywhere."""
    return bool(user.is_authenticated and getattr(user, "is_curator", False))


def can_hide(user, review: Review) -> bool:
    # An owner hiding the reviews of their own item would be editing their reputation.
    return is_moderator(user) and review.item.owner_id != user.pk


def can_reply(user, review: Review) -> bool:
    return user.is_authenticated and (review.item.owner_id == user.pk or is_moderator(user))


def may_review(user, item: Item) -> bool:
    return user.is_authenticated and item.owner_id != user.pk and can_view(user, item)


def _check_rating(rating) -> int:
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError("A rating is a whole number of stars from 1 to 5.")
    return rating


def _check_body(body: str) -> str:
    body = (body or "").strip()
    if len(body) > BODY_MAX:
        raise ValidationError(f"A review can be at most {BODY_MAX} characters long (this one has {len(body)}).")
    return body


def _move(item_id: int, *, add: int | None = None, remove: int | None = None) -> None:
    """Count a rating in (``add``) and/or out (``remove``) of the item's aggregates, in the database."""
    count = (add is not None) - (remove is not None)
    total = (add or 0) - (remove or 0)
    if count or total:
        Item.objects.filter(pk=item_id).update(
            rating_count=F("rating_count") + count, rating_sum=F("rating_sum") + total
        )
    # The row may not exist yet; ignore_conflicts lets two first raters both go on to the update below.
    RatingHistogram.objects.bulk_create([RatingHistogram(item_id=item_id)], ignore_conflicts=True)
    changes = {}
    if add is not None:
        changes[f"n{add}"] = F(f"n{add}") + 1
    if remove is not None:
        changes[f"n{remove}"] = (changes.get(f"n{remove}") or F(f"n{remove}")) - 1
    if add is not None and add == remove:
        return
    if changes:
        RatingHistogram.objects.filter(item_id=item_id).update(**changes)


def rate_item(*, item: Item, author, rating: int, body: str = "") -> Review:
    """Write ``author``'s first review of ``item``; a second one is refused (they edit the first)."""
    rating, body = _check_rating(rating), _check_body(body)
    if not can_view(author, item):
        raise PermissionDenied("You cannot review what you cannot see.")
    if item.owner_id == author.pk:
        raise PermissionDenied("You cannot review your own item.")
    verified = is_verified(author, item)
    try:
        with transaction.atomic():
            review = Review.objects.create(item=item, author=author, rating=rating, body=body, verified=verified)
            _move(item.pk, add=rating)
            record_activity(actor=author, verb=Activity.Verb.REVIEWED, item=item, extra={"rating": rating})
    except IntegrityError:
        # The unique constraint, not a read-then-write check, decides under concurrent double submits.
        raise AlreadyReviewed("You have reviewed this already; change your review instead.") from None
    content_changed()
    return review


def update_review(*, review: Review, actor, rating: int, body: str = "") -> Review:
    """Change one's own review, keeping what it said before as history."""
    rating, body = _check_rating(rating), _check_body(body)
    if review.author_id != actor.pk:
        raise PermissionDenied("Only its author can change a review.")
    with transaction.atomic():
        current = Review.objects.select_for_update().get(pk=review.pk)
        if current.rating == rating and current.body == body:
            return current
        ReviewEdit.objects.create(review=current, rating=current.rating, body=current.body)
        if current.hidden_at is None and current.rating != rating:
            _move(current.item_id, add=rating, remove=current.rating)
        current.rating, current.body, current.updated = rating, body, timezone.now()
        current.verified = is_verified(actor, current.item)
        current.save(update_fields=["rating", "body", "updated", "verified"])
    content_changed()
    return current


def refresh_verified(*, author, item: Item) -> None:
    """Ask again whether ``author``'s review of ``item`` is from someone who did it (a completion confirmed
    after the review was written)."""
    if Review.objects.filter(item=item, author=author).update(verified=is_verified(author, item)):
        content_changed()


def save_review(*, item: Item, author, rating: int, body: str = "") -> tuple[Review, bool]:
    """Create ``author``'s review of ``item`` or change the one they wrote; True when it was created."""
    existing = Review.objects.filter(item=item, author=author).first()
    if existing is not None:
        return update_review(review=existing, actor=author, rating=rating, body=body), False
    try:
        return rate_item(item=item, author=author, rating=rating, body=body), True
    except AlreadyReviewed:  # written by a concurrent request meanwhile
        existing = Review.objects.get(item=item, author=author)
        return update_review(review=existing, actor=author, rating=rating, body=body), False


def delete_review(*, review: Review, actor) -> None:
    """Remove one's own review (site admins may remove any), taking its stars out of the aggregates."""
    if review.author_id != actor.pk and not getattr(actor, "is_site_admin", False):
        raise PermissionDenied("Only its author can delete a review.")
    with transaction.atomic():
        current = Review.objects.select_for_update().filter(pk=review.pk).first()
        if current is None:
            return
        if current.hidden_at is None:
            _move(current.item_id, remove=current.rating)
        current.delete()
    content_changed()


def vote(*, review: Review, voter, helpful: bool | None) -> Review:
    """Record whether ``voter`` found the review helpful; ``None`` withdraws their vote."""
    if review.author_id == voter.pk:
        raise PermissionDenied("You cannot vote on your own review.")
    if review.hidden_at is not None or not can_view(voter, review.item):
        raise PermissionDenied("This review cannot be voted on.")
    with transaction.atomic():
        current = Review.objects.select_for_update().get(pk=review.pk)
        before = ReviewVote.objects.filter(review=current, voter=voter).first()
        old = None if before is None else before.helpful
        if old == helpful:
            return current
        changes = {}
        if old is not None:
            field = "helpful_count" if old else "unhelpful_count"
            changes[field] = F(field) - 1
        if helpful is not None:
            field = "helpful_count" if helpful else "unhelpful_count"
            changes[field] = F(field) + 1
        if helpful is None:
            before.delete()
        elif before is None:
            ReviewVote.objects.create(review=current, voter=voter, helpful=helpful)
        else:
            before.helpful = helpful
            before.save(update_fields=["helpful"])
        Review.objects.filter(pk=current.pk).update(**changes)
        current.refresh_from_db(fields=["helpful_count", "unhelpful_count"])
        current.helpful_score = wilson_lower_bound(
            current.helpful_count, current.helpful_count + current.unhelpful_count
        )
        current.save(update_fields=["helpful_score"])
    content_changed()
    return current


def report(*, review: Review, reporter, reason: str) -> ReviewReport:
    """Ask the moderators to look at a review; one open report per person per review."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError("Say what is wrong with this review.")
    if len(reason) > REASON_MAX:
        raise ValidationError(f"Keep the reason under {REASON_MAX} characters.")
    if review.author_id == reporter.pk:
        raise PermissionDenied("You cannot report your own review; edit or delete it instead.")
    if not can_view(reporter, review.item):
        raise PermissionDenied("This review cannot be reported.")
    try:
        with transaction.atomic():
            return ReviewReport.objects.create(review=review, reporter=reporter, reason=reason)
    except IntegrityError:
        raise ValidationError("You have reported this review already; a moderator will look at it.") from None


def _resolve_reports(review: Review, *, actor, outcome: str) -> int:
    return ReviewReport.objects.filter(review=review, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=actor, outcome=outcome
    )


def hide(*, review: Review, actor) -> Review:
    """Take a review out of sight and out of the aggregates, closing its open reports."""
    if not can_hide(actor, review):
        raise PermissionDenied("Only curators and administrators hide reviews, and not of their own items.")
    with transaction.atomic():
        current = Review.objects.select_for_update().get(pk=review.pk)
        if current.hidden_at is None:
            current.hidden_at, current.hidden_by = timezone.now(), actor
            current.save(update_fields=["hidden_at", "hidden_by"])
            _move(current.item_id, remove=current.rating)
        _resolve_reports(current, actor=actor, outcome=ReviewReport.Outcome.HIDDEN)
    content_changed()
    return current


def unhide(*, review: Review, actor) -> Review:
    """Show a hidden review again, counting its stars back in."""
    if not can_hide(actor, review):
        raise PermissionDenied("Only curators and administrators unhide reviews, and not of their own items.")
    with transaction.atomic():
        current = Review.objects.select_for_update().get(pk=review.pk)
        if current.hidden_at is not None:
            current.hidden_at, current.hidden_by = None, None
            current.save(update_fields=["hidden_at", "hidden_by"])
            _move(current.item_id, add=current.rating)
    content_changed()
    return current


def dismiss_report(*, report: ReviewReport, actor) -> int:
    """Close every open report on the report's review, leaving the review as it is."""
    if not can_hide(actor, report.review):
        raise PermissionDenied("Only curators and administrators handle reports, and not on their own items.")
    closed = _resolve_reports(report.review, actor=actor, outcome=ReviewReport.Outcome.DISMISSED)
    content_changed()
    return closed


def reply(*, review: Review, actor, body: str) -> Review:
    """The item's owner or a curator answers a review; an empty body removes the answer."""
    if not can_reply(actor, review) or not can_view(actor, review.item):
        raise PermissionDenied("Only the item's owner or a curator can reply to a review.")
    body = _check_body(body)
    review.reply = body
    review.reply_by = actor if body else None
    review.reply_at = timezone.now() if body else None
    review.save(update_fields=["reply", "reply_by", "reply_at"])
    content_changed()
    return review
