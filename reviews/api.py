"""Ratings and reviews of any item: read them, write one's own, vote, report, and moderate.

Mounted at ``/api/reviews/``. An item or review the caller may not see answers 404; an action the
caller may not take on what they see answers 403 with the reason.
"""

from datetime import datetime
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from api.auth import ANONYMOUS_ALLOWED, api_auth_or_anonymous
from core.access import can_view, get_visible_or_404
from core.models import Item
from reviews import queries, services
from reviews.models import Review, ReviewReport

router = Router()

Sort = Literal["helpful", "newest", "highest", "lowest"]
Only = Literal["", "role", "department", "skill"]


class ErrorOut(Schema):
    detail: str


class ReviewOut(Schema):
    id: int
    item: int
    author: str
    rating: int
    body: str
    created: datetime
    updated: datetime
    verified: bool
    hidden: bool
    helpful_count: int
    unhelpful_count: int
    helpful_score: float
    reply: str
    reply_by: str | None
    reply_at: datetime | None

    @staticmethod
    def resolve_item(obj):
        return obj.item_id

    @staticmethod
    def resolve_author(obj):
        return obj.author.username

    @staticmethod
    def resolve_hidden(obj):
        return obj.hidden_at is not None

    @staticmethod
    def resolve_reply_by(obj):
        return obj.reply_by.username if obj.reply_by_id else None


class EditOut(Schema):
    rating: int
    body: str
    created: datetime


class RatingOut(Schema):
    item: int
    count: int
    mean: float | None
    bayes: float
    histogram: dict[str, int]


class ReviewIn(Schema):
    rating: int
    body: str = ""


class VoteIn(Schema):
    helpful: bool


class ReportIn(Schema):
    reason: str


class ReplyIn(Schema):
    body: str


class ReportOut(Schema):
    id: int
    review: ReviewOut
    reporter: str
    reason: str
    created: datetime

    @staticmethod
    def resolve_reporter(obj):
        return obj.reporter.username


REFUSALS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def _item(request, item_id: int) -> Item:
    return get_visible_or_404(request.user, Item.objects.all(), pk=item_id)


def _review(request, review_id: int) -> Review:
    review = Review.objects.select_related("item", "author", "reply_by").filter(pk=review_id).first()
    user = request.user
    if review is None or not can_view(user, review.item):
        raise HttpError(404, "Not found.")
    if review.hidden_at is not None and review.author_id != user.pk and not services.can_hide(user, review):
        raise HttpError(404, "Not found.")
    return review


@router.get(
    "/items/{item_id}/reviews",
    response=list[ReviewOut],
    auth=api_auth_or_anonymous,
    openapi_extra=ANONYMOUS_ALLOWED,
)
@paginate(LimitOffsetPagination)
def list_reviews(request, item_id: int, sort: Sort = "helpful", only: Only = ""):
    """An item's reviews. ``only`` keeps reviewers in the caller's role (job title), department, or who
    have a skill the caller wants to learn."""
    item = _item(request, item_id)
    return queries.review_list(item, request.user, sort=sort, only=only)


@router.get("/items/{item_id}/rating", response=RatingOut, auth=api_auth_or_anonymous, openapi_extra=ANONYMOUS_ALLOWED)
def rating(request, item_id: int):
    """The item's rating: count, mean, Bayesian average (what "sort by rating" uses) and histogram."""
    item = _item(request, item_id)
    summary = queries.aggregate(item)
    return {
        "item": item.pk,
        "count": summary.count,
        "mean": summary.mean,
        "bayes": queries.bayes(item.rating_sum, item.rating_count),
        "histogram": {str(stars): n for stars, n, _ in summary.bars},
    }


@router.put("/items/{item_id}/review", response={200: ReviewOut, 201: ReviewOut, **REFUSALS})
def put_review(request, item_id: int, payload: ReviewIn):
    """Write your review of the item (201), or change the one you wrote (200)."""
    item = _item(request, item_id)
    review, created = services.save_review(item=item, author=request.user, rating=payload.rating, body=payload.body)
    return Status(201 if created else 200, review)


@router.delete("/items/{item_id}/review", response={204: None, 404: ErrorOut})
def delete_review(request, item_id: int):
    item = _item(request, item_id)
    review = get_object_or_404(Review, item=item, author=request.user)
    services.delete_review(review=review, actor=request.user)
    return Status(204, None)


@router.get("/{review_id}", response=ReviewOut, auth=api_auth_or_anonymous, openapi_extra=ANONYMOUS_ALLOWED)
def get_review(request, review_id: int):
    return _review(request, review_id)


@router.get("/{review_id}/edits", response=list[EditOut], auth=api_auth_or_anonymous, openapi_extra=ANONYMOUS_ALLOWED)
def review_edits(request, review_id: int):
    """What the review said before each edit, the latest first."""
    return list(_review(request, review_id).edits.all())


@router.put("/{review_id}/vote", response={200: ReviewOut, **REFUSALS})
def put_vote(request, review_id: int, payload: VoteIn):
    """Say whether the review helped you (not on your own)."""
    return services.vote(review=_review(request, review_id), voter=request.user, helpful=payload.helpful)


@router.delete("/{review_id}/vote", response={200: ReviewOut, **REFUSALS})
def delete_vote(request, review_id: int):
    return services.vote(review=_review(request, review_id), voter=request.user, helpful=None)


@router.post("/{review_id}/report", response={201: None, **REFUSALS})
def post_report(request, review_id: int, payload: ReportIn):
    """Ask the moderators to look at the review."""
    services.report(review=_review(request, review_id), reporter=request.user, reason=payload.reason)
    return Status(201, None)


@router.put("/{review_id}/reply", response={200: ReviewOut, **REFUSALS})
def put_reply(request, review_id: int, payload: ReplyIn):
    """The item's owner or a curator answers the review; an empty body removes the answer."""
    return services.reply(review=_review(request, review_id), actor=request.user, body=payload.body)


@router.post("/{review_id}/hide", response={200: ReviewOut, **REFUSALS})
def hide(request, review_id: int):
    """Curators and administrators: take the review out of sight and out of the rating."""
    return services.hide(review=_review(request, review_id), actor=request.user)


@router.post("/{review_id}/unhide", response={200: ReviewOut, **REFUSALS})
def unhide(request, review_id: int):
    return services.unhide(review=_review(request, review_id), actor=request.user)


@router.get("/moderation/reports", response=list[ReportOut])
@paginate(LimitOffsetPagination)
def reports(request):
    """Open reports, the oldest first (curators and administrators)."""
    if not services.is_moderator(request.user):
        raise HttpError(403, "The moderation queue is for curators and administrators.")
    return queries.open_reports(request.user)


@router.post("/moderation/reports/{report_id}/dismiss", response={200: None, **REFUSALS})
def dismiss(request, report_id: int):
    """Close the review's open reports and leave it as it is."""
    if not services.is_moderator(request.user):
        raise HttpError(403, "Reports are handled by curators and administrators.")
    found = ReviewReport.objects.select_related("review__item").filter(pk=report_id, resolved_at__isnull=True).first()
    if found is None or not can_view(request.user, found.review.item):
        raise HttpError(404, "Not found.")
    services.dismiss_report(report=found, actor=request.user)
    return Status(200, None)
