"""Portfolio sharing through the API: who sees a portfolio, secret links, feedback and requests for it,
submissions for review and their assessment. The same services as the pages (``portfolios.sharing``).

Paths are relative to where the router is mounted (``/api/portfolios/``). A portfolio you may not see
answers 404; one you see but do not own answers 403 where only its owner may act. Feedback comes through
``portfolios.queries.visible_feedback``: private feedback is listed for the portfolio's owner and its author
only. A secret link's token is in the answer that makes it, once; it is never stored.
"""

from datetime import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from ninja import Field, Router, Schema, Status

from core.access import get_visible_or_404
from core.forms import people_named
from core.models import Item, ItemKind
from portfolios import queries, sharing
from portfolios.models import Block, Feedback, FeedbackRequest, JournalEntry, Portfolio, PortfolioPage, Submission

router = Router()

VisibilityIn = Literal["private", "people", "space", "organisation"]
OutcomeIn = Literal["not_yet", "meets", "exceeds"]
LISTED_MAX = 200


class ErrorOut(Schema):
    detail: str


REFUSALS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def _portfolio(request, portfolio_id: int) -> Portfolio:
    item = get_visible_or_404(
        request.user,
        Item.objects.filter(kind=ItemKind.PORTFOLIO).select_related("owner", "space", "portfolio"),
        pk=portfolio_id,
    )
    return item.portfolio


def _owned(request, portfolio_id: int) -> Portfolio:
    portfolio = _portfolio(request, portfolio_id)
    if not queries.is_owner(request.user, portfolio):
        raise PermissionDenied("Only the portfolio's owner can do that.")
    return portfolio


def _person(request, username: str):
    people = people_named(username, request.user)
    if len(people) != 1:
        raise ValidationError("Name one person by their username.")
    return people[0]


# --- who sees it ------------------------------------------------------------------------------------------


class SharingOut(Schema):
    visibility: str
    space: str | None = Field(None, description="The space's slug, when the portfolio is in one.")
    shared_with: list[str] = Field(description="Usernames of the people named.")
    headline: str = Field(description="Who can see it now, in one sentence.")
    details: list[str]
    live_links: int = Field(description="Secret links that work now.")


class SharingIn(Schema):
    visibility: VisibilityIn
    shared_with: list[str] = Field(default_factory=list, description="Usernames, for visibility “people”.")
    space: str | None = Field(
        "", description="A space's slug to move it into, null to take it out of its space; left out: unchanged."
    )


def _sharing_out(portfolio: Portfolio) -> dict:
    item = portfolio.item
    told = sharing.audience(portfolio)
    return {
        "visibility": item.visibility,
        "space": item.space.slug if item.space_id else None,
        "shared_with": [person.username for person in item.shared_with.all()],
        "headline": told.headline,
        "details": told.details,
        "live_links": told.live_links,
    }


@router.get("/{portfolio_id}/sharing", response={200: SharingOut, **REFUSALS})
def get_sharing(request, portfolio_id: int):
    """Who can see the portfolio now (its owner only)."""
    return _sharing_out(_owned(request, portfolio_id))


@router.put("/{portfolio_id}/sharing", response={200: SharingOut, **REFUSALS})
def put_sharing(request, portfolio_id: int, payload: SharingIn):
    """Change who can see it. A portfolio is never public on the web: people outside get a secret link."""
    from spaces.models import Space

    portfolio = _owned(request, portfolio_id)
    space = ...
    if "space" in payload.model_fields_set:
        space = get_visible_or_404(request.user, Space.objects, slug=payload.space) if payload.space else None
    shared_with = people_named(", ".join(payload.shared_with), request.user)
    sharing.change_sharing(
        actor=request.user, portfolio=portfolio, visibility=payload.visibility, shared_with=shared_with, space=space
    )
    return _sharing_out(_portfolio(request, portfolio_id))


# --- secret links -----------------------------------------------------------------------------------------


class SecretLinkOut(Schema):
    id: int
    label: str
    created: datetime
    expires: datetime | None
    revoked_at: datetime | None
    last_used: datetime | None = Field(description="Written at most once a minute.")
    use_count: int
    live: bool

    @staticmethod
    def resolve_live(obj):
        return obj.is_live()


class NewSecretLinkOut(SecretLinkOut):
    url: str = Field(description="The secret address. It is shown this once only.")


class SecretLinkIn(Schema):
    label: str = Field("", max_length=sharing.LABEL_MAX)
    expires: datetime | None = Field(None, description="When it stops working; null: when you revoke it.")


@router.get("/{portfolio_id}/secret-links", response={200: list[SecretLinkOut], **REFUSALS})
def list_secret_links(request, portfolio_id: int):
    """The portfolio's secret links, working ones first (its owner only)."""
    return list(sharing.secret_links(_owned(request, portfolio_id)))


@router.post("/{portfolio_id}/secret-links", response={201: NewSecretLinkOut, **REFUSALS})
def create_secret_link(request, portfolio_id: int, payload: SecretLinkIn):
    """Make a link for people outside to read the portfolio without signing in."""
    portfolio = _owned(request, portfolio_id)
    link, token = sharing.create_secret_link(
        actor=request.user, portfolio=portfolio, label=payload.label, expires=payload.expires
    )
    link.url = request.build_absolute_uri(reverse("portfolios:secret", args=[token]))
    return Status(201, link)


@router.post("/{portfolio_id}/secret-links/{link_id}/revoke", response={200: SecretLinkOut, **REFUSALS})
def revoke_secret_link(request, portfolio_id: int, link_id: int):
    """Stop a link working at once; revoking a revoked link changes nothing."""
    portfolio = _owned(request, portfolio_id)
    link = portfolio.secret_links.filter(pk=link_id).first()
    if link is None:
        raise Http404
    link.portfolio = portfolio
    return sharing.revoke_secret_link(actor=request.user, link=link)


# --- feedback ---------------------------------------------------------------------------------------------


class FeedbackOut(Schema):
    id: int
    parent: int | None = Field(None, alias="parent_id", description="The feedback this replies to.")
    author: str
    author_name: str
    body: str = Field(description="Markdown.")
    private: bool = Field(description="Only the portfolio's owner and the author see it.")
    addressed: datetime | None
    created: datetime
    page: int | None = Field(None, alias="page_id")
    block: int | None = Field(None, alias="block_id")
    entry: int | None = Field(None, alias="entry_id")

    @staticmethod
    def resolve_author(obj):
        return obj.author.username

    @staticmethod
    def resolve_author_name(obj):
        return obj.author.name


class FeedbackIn(Schema):
    body: str = Field(min_length=1, max_length=sharing.BODY_MAX, description="Markdown.")
    private: bool = False
    page: int | None = Field(None, description="A page of the portfolio; give at most one of page, block, entry.")
    block: int | None = None
    entry: int | None = None


class ReplyIn(Schema):
    body: str = Field(min_length=1, max_length=sharing.BODY_MAX)


def _target(request, portfolio: Portfolio, *, page: int | None, block: int | None, entry: int | None) -> dict:
    """The page, block or entry named, in this portfolio (a 404 otherwise; a private block is the owner's alone)."""
    found = {"page": None, "block": None, "entry": None}
    if page is not None:
        found["page"] = PortfolioPage.objects.filter(pk=page, portfolio=portfolio).first() or _missing()
    if block is not None:
        found["block"] = (
            Block.objects.filter(pk=block, page__portfolio=portfolio).select_related("page").first() or _missing()
        )
        found["block"].page.portfolio = portfolio
        if found["block"].private and not queries.is_owner(request.user, portfolio):
            raise Http404
    if entry is not None:
        found["entry"] = JournalEntry.objects.filter(pk=entry, portfolio=portfolio).first() or _missing()
    return found


def _missing():
    raise Http404


def _feedback(request, feedback_id: int) -> Feedback:
    feedback = Feedback.objects.select_related("parent", "author").filter(pk=feedback_id).first()
    if feedback is None:
        raise Http404
    portfolio = _portfolio(request, feedback.portfolio_id)
    if not queries.visible_feedback(request.user, portfolio).filter(pk=feedback.pk).exists():
        raise Http404
    feedback.portfolio = portfolio
    return feedback


@router.get("/{portfolio_id}/feedback", response={200: list[FeedbackOut], **REFUSALS})
def list_feedback(
    request, portfolio_id: int, page: int | None = None, block: int | None = None, entry: int | None = None
):
    """The feedback you may read, oldest thread first, each followed by its replies; optionally only about
    one page, block or journal entry."""
    portfolio = _portfolio(request, portfolio_id)
    target = _target(request, portfolio, page=page, block=block, entry=entry)
    rows = []
    for thread in sharing.feedback_threads(request.user, portfolio, **target, limit=LISTED_MAX):
        rows += [thread.feedback, *thread.replies]
    return rows


@router.post("/{portfolio_id}/feedback", response={201: FeedbackOut, **REFUSALS})
def give_feedback(request, portfolio_id: int, payload: FeedbackIn):
    """Comment on the portfolio, a page, a block or a journal entry (``private``: for its owner's eyes only).
    Your first comment answers the owner's request for your feedback."""
    portfolio = _portfolio(request, portfolio_id)
    target = _target(request, portfolio, page=payload.page, block=payload.block, entry=payload.entry)
    feedback = sharing.give_feedback(
        actor=request.user, portfolio=portfolio, body=payload.body, private=payload.private, **target
    )
    return Status(201, feedback)


@router.post("/feedback/{feedback_id}/replies", response={201: FeedbackOut, **REFUSALS})
def reply(request, feedback_id: int, payload: ReplyIn):
    """The portfolio's owner and the feedback's author answer each other."""
    return Status(
        201, sharing.reply_to_feedback(actor=request.user, feedback=_feedback(request, feedback_id), body=payload.body)
    )


@router.put("/feedback/{feedback_id}/addressed", response={200: FeedbackOut, **REFUSALS})
def mark_addressed(request, feedback_id: int):
    """The owner marks feedback as addressed."""
    return sharing.set_addressed(actor=request.user, feedback=_feedback(request, feedback_id), addressed=True)


@router.delete("/feedback/{feedback_id}/addressed", response={200: FeedbackOut, **REFUSALS})
def unmark_addressed(request, feedback_id: int):
    """The owner marks feedback as not addressed after all."""
    return sharing.set_addressed(actor=request.user, feedback=_feedback(request, feedback_id), addressed=False)


@router.delete("/feedback/{feedback_id}", response={204: None, **REFUSALS})
def delete_feedback(request, feedback_id: int):
    """Its author deletes it (with the replies to it)."""
    sharing.delete_feedback(actor=request.user, feedback=_feedback(request, feedback_id))
    return Status(204, None)


# --- requests for feedback --------------------------------------------------------------------------------


class FeedbackRequestOut(Schema):
    id: int
    portfolio: int = Field(alias="portfolio_id")
    portfolio_title: str
    requester: str
    reviewer: str
    message: str
    state: str
    created: datetime
    answered: datetime | None

    @staticmethod
    def resolve_portfolio_title(obj):
        return obj.portfolio.item.title

    @staticmethod
    def resolve_requester(obj):
        return obj.requester.username

    @staticmethod
    def resolve_reviewer(obj):
        return obj.reviewer.username


class FeedbackAskIn(Schema):
    people: list[str] = Field(min_length=1, max_length=sharing.ASKED_AT_ONCE_MAX, description="Usernames.")
    message: str = Field("", max_length=sharing.MESSAGE_MAX)


class FeedbackAskedOut(Schema):
    requests: list[FeedbackRequestOut]
    newly_shared: list[str] = Field(description="People who could not see the portfolio and are now named on it.")


@router.get("/feedback-requests", response={200: list[FeedbackRequestOut]})
def asked_of_me(request):
    """Feedback asked of you, waiting ones first."""
    return list(sharing.asked_of(request.user)[:LISTED_MAX])


@router.get("/{portfolio_id}/feedback-requests", response={200: list[FeedbackRequestOut], **REFUSALS})
def list_requests(request, portfolio_id: int):
    """Whom the owner asked for feedback on this portfolio."""
    portfolio = _owned(request, portfolio_id)
    return list(sharing.asked_by(request.user).filter(portfolio=portfolio).select_related("requester")[:LISTED_MAX])


@router.post("/{portfolio_id}/feedback-requests", response={201: FeedbackAskedOut, **REFUSALS})
def ask(request, portfolio_id: int, payload: FeedbackAskIn):
    """Ask people for feedback; they are notified. Whoever cannot see a private portfolio (or one shared with
    named people) is named on it; for one limited to a space or the organisation, that is refused."""
    portfolio = _owned(request, portfolio_id)
    people = people_named(", ".join(payload.people), request.user)
    asked = sharing.request_feedback(actor=request.user, portfolio=portfolio, reviewers=people, message=payload.message)
    for made in asked.requests:
        made.portfolio = portfolio
    return Status(201, {"requests": asked.requests, "newly_shared": [person.username for person in asked.newly_shared]})


@router.post("/feedback-requests/{request_id}/withdraw", response={200: FeedbackRequestOut, **REFUSALS})
def withdraw_request(request, request_id: int):
    """The owner withdraws a request still waiting for feedback."""
    found = (
        FeedbackRequest.objects.select_related("portfolio__item", "requester", "reviewer").filter(pk=request_id).first()
    )
    if found is None or found.requester_id != request.user.pk:
        raise Http404
    return sharing.withdraw_feedback_request(actor=request.user, feedback_request=found)


# --- submissions ------------------------------------------------------------------------------------------


class SubmissionSummaryOut(Schema):
    id: int
    portfolio: int = Field(alias="portfolio_id")
    title: str
    submitted_by: str
    reviewer: str
    message: str
    state: str
    outcome: str
    assessed_at: datetime | None
    created: datetime

    @staticmethod
    def resolve_submitted_by(obj):
        return obj.submitted_by.username

    @staticmethod
    def resolve_reviewer(obj):
        return obj.reviewer.username


class SubmissionOut(SubmissionSummaryOut):
    assessment: str = Field(description="Markdown.")
    content: dict = Field(description="The frozen copy: pages with their blocks (sanitised HTML), journal entries.")


class SubmitIn(Schema):
    reviewer: str = Field(description="The reviewer's username.")
    message: str = Field("", max_length=sharing.MESSAGE_MAX)


class AssessmentIn(Schema):
    outcome: OutcomeIn
    assessment: str = Field(min_length=1, max_length=sharing.ASSESSMENT_MAX)


def _submission(request, submission_id: int) -> Submission:
    found = Submission.objects.select_related("submitted_by", "reviewer").filter(pk=submission_id).first()
    if found is None or not sharing.can_see_submission(request.user, found):
        raise Http404
    return found


@router.get("/submissions", response={200: list[SubmissionSummaryOut]})
def list_submissions(request, role: Literal["reviewer", "submitter", ""] = ""):
    """Submissions sent to you to assess (``role=reviewer``), yours (``role=submitter``), or both."""
    rows = []
    if role in ("", "reviewer"):
        rows += sharing.submissions_to_assess(request.user)[:LISTED_MAX]
    if role in ("", "submitter"):
        rows += sharing.submissions_of(request.user).select_related("submitted_by")[:LISTED_MAX]
    return rows


@router.get("/{portfolio_id}/submissions", response={200: list[SubmissionSummaryOut], **REFUSALS})
def list_portfolio_submissions(request, portfolio_id: int):
    """The owner's submissions of this portfolio."""
    portfolio = _owned(request, portfolio_id)
    return list(sharing.submissions_of(request.user, portfolio).select_related("submitted_by")[:LISTED_MAX])


@router.post("/{portfolio_id}/submissions", response={201: SubmissionOut, **REFUSALS})
def submit(request, portfolio_id: int, payload: SubmitIn):
    """Freeze a copy of the portfolio (private parts left out) and send it to a reviewer, who is notified."""
    portfolio = _owned(request, portfolio_id)
    done = sharing.submit_for_review(
        actor=request.user, portfolio=portfolio, reviewer=_person(request, payload.reviewer), message=payload.message
    )
    return Status(201, done.submission)


@router.get("/submissions/{submission_id}", response={200: SubmissionOut, **REFUSALS})
def get_submission(request, submission_id: int):
    """The frozen copy and its assessment: for its owner, its reviewer and site admins."""
    return _submission(request, submission_id)


@router.put("/submissions/{submission_id}/assessment", response={200: SubmissionOut, **REFUSALS})
def assess(request, submission_id: int, payload: AssessmentIn):
    """The reviewer's assessment with an outcome; the owner is notified. A later one replaces it."""
    return sharing.assess_submission(
        actor=request.user,
        submission=_submission(request, submission_id),
        outcome=payload.outcome,
        assessment=payload.assessment,
    )


@router.post("/submissions/{submission_id}/withdraw", response={200: SubmissionOut, **REFUSALS})
def withdraw_submission(request, submission_id: int):
    """The owner withdraws a submission still waiting for assessment."""
    return sharing.withdraw_submission(actor=request.user, submission=_submission(request, submission_id))
