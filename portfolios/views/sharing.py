"""Portfolio views: sharing (who sees it, secret links), feedback, and snapshots submitted for review.

Thin views over ``portfolios.sharing``: find what the person may see (404 otherwise), check what they may
do (403 otherwise), call a service, render. The secret-link pages are the only ones here anyone may open
without signing in; the token is their only key, and they show what a stranger may see (no private
block, no private reflection, no feedback).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.access import get_visible_or_404
from core.models import Item, ItemKind
from core.views import for_outsiders
from lib.pagination import paginate
from portfolios import queries, sharing
from portfolios.models import Block, Feedback, FeedbackRequest, JournalEntry, Portfolio, PortfolioPage, Submission
from portfolios.services import share_evidence_like_portfolio
from portfolios.sharing_forms import (
    AddressedForm,
    AskFeedbackForm,
    AssessForm,
    FeedbackForm,
    ReplyForm,
    SecretLinkForm,
    SharingForm,
    SubmitForm,
)

ASKED_PAGE = 30
OWN_REQUESTS_SHOWN = 50
SUBMISSIONS_SHOWN = 100
SECRET_JOURNAL_ENTRIES = 100
NAV_ENTRIES = 20  # the newest journal entries the feedback page offers to comment on


def _portfolio_or_404(user, pk: int) -> Portfolio:
    item = get_visible_or_404(
        user, Item.objects.filter(kind=ItemKind.PORTFOLIO).select_related("owner", "space", "portfolio"), pk=pk
    )
    return item.portfolio


def _owned_or_403(user, pk: int) -> Portfolio:
    portfolio = _portfolio_or_404(user, pk)
    if not queries.is_owner(user, portfolio):
        raise PermissionDenied("Only the portfolio's owner can do that.")
    return portfolio


def _errors(exc: ValidationError | PermissionDenied) -> list[str]:
    return exc.messages if isinstance(exc, ValidationError) else [str(exc)]


# --- the sharing page -------------------------------------------------------------------------------------


def _share_page(request, portfolio: Portfolio, *, status: int = 200, new_link_url: str = "", **forms):
    item = portfolio.item
    context = {
        "portfolio": portfolio,
        "item": item,
        "audience": sharing.audience(portfolio),
        "form": forms.get("form") or SharingForm(user=request.user, portfolio=portfolio),
        "link_form": forms.get("link_form") or SecretLinkForm(),
        "ask_form": forms.get("ask_form") or AskFeedbackForm(user=request.user),
        "links": sharing.secret_links(portfolio),
        "requests": sharing.asked_by(request.user).filter(portfolio=portfolio)[:OWN_REQUESTS_SHOWN],
        "new_link_url": new_link_url,
    }
    response = render(request, "portfolios/share.html", context, status=status)
    if new_link_url:
        response["Cache-Control"] = "no-store"  # the secret address must not linger in any cache
    return response


@login_required
@require_http_methods(["GET", "POST"])
def share(request, pk: int):
    """Who can see the portfolio, in plain words, and changing it."""
    portfolio = _owned_or_403(request.user, pk)
    if request.method == "GET":
        return _share_page(request, portfolio)
    form = SharingForm(request.POST, user=request.user, portfolio=portfolio)
    if form.is_valid():
        try:
            sharing.change_sharing(
                actor=request.user,
                portfolio=portfolio,
                visibility=form.cleaned_data["visibility"],
                shared_with=form.cleaned_data["shared_with"],
                space=form.cleaned_data["space"],
            )
        except (ValidationError, PermissionDenied) as exc:
            for message in _errors(exc):
                form.add_error(None, message)
        else:
            messages.success(request, sharing.audience(portfolio).headline)
            if form.cleaned_data["share_evidence"]:
                opened, refused = share_evidence_like_portfolio(actor=request.user, portfolio=portfolio)
                if opened:
                    messages.info(request, f"{opened} of your files and links in it are now shared the same way.")
                if refused:
                    messages.info(
                        request,
                        f"Not shared, as they belong to another space: {', '.join(refused)}.",
                    )
            return redirect("portfolios:share", pk=portfolio.pk)
    portfolio = _portfolio_or_404(request.user, pk)  # what is saved, not what the failed change left in memory
    return _share_page(request, portfolio, status=400, form=form)


@login_required
@require_POST
def secret_link_create(request, pk: int):
    """Make a secret link; its address is on the answer, once."""
    portfolio = _owned_or_403(request.user, pk)
    form = SecretLinkForm(request.POST)
    if form.is_valid():
        try:
            _link, token = sharing.create_secret_link(
                actor=request.user,
                portfolio=portfolio,
                label=form.cleaned_data["label"],
                expires=form.cleaned_data["lasts"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            url = request.build_absolute_uri(reverse("portfolios:secret", args=[token]))
            return _share_page(request, portfolio, new_link_url=url)
    return _share_page(request, portfolio, status=400, link_form=form)


@login_required
@require_POST
def secret_link_revoke(request, pk: int, link_id: int):
    portfolio = _owned_or_403(request.user, pk)
    link = portfolio.secret_links.filter(pk=link_id).first()
    if link is None:
        raise Http404("No such link.")
    link.portfolio = portfolio
    sharing.revoke_secret_link(actor=request.user, link=link)
    messages.success(request, f"“{link}” no longer works. Anyone who opens it is told the link has expired.")
    return redirect("portfolios:share", pk=portfolio.pk)


@login_required
@require_POST
def feedback_ask(request, pk: int):
    """Ask chosen people for feedback; whoever could not see the portfolio is named on it, and the owner told."""
    portfolio = _owned_or_403(request.user, pk)
    form = AskFeedbackForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            asked = sharing.request_feedback(
                actor=request.user,
                portfolio=portfolio,
                reviewers=form.cleaned_data["people"],
                message=form.cleaned_data["message"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            who = sharing.names(r.reviewer for r in asked.requests)
            messages.success(request, f"Asked {who} for feedback; they have been notified.")
            if asked.newly_shared:
                messages.info(
                    request,
                    f"{sharing.names(asked.newly_shared)} could not see this portfolio, so it is now shared with "
                    "them by name.",
                )
            return redirect("portfolios:share", pk=portfolio.pk)
    return _share_page(request, portfolio, status=400, ask_form=form)


@login_required
@require_POST
def feedback_request_withdraw(request, request_id: int):
    feedback_request = (
        FeedbackRequest.objects.select_related("portfolio__item", "reviewer").filter(pk=request_id).first()
    )
    if feedback_request is None or feedback_request.requester_id != request.user.pk:
        raise Http404("No such request.")
    try:
        sharing.withdraw_feedback_request(actor=request.user, feedback_request=feedback_request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Withdrawn: {feedback_request.reviewer.name} is no longer asked.")
    return redirect("portfolios:share", pk=feedback_request.portfolio_id)


# --- feedback ---------------------------------------------------------------------------------------------


def _focus(request, portfolio: Portfolio, source) -> dict:
    """The page, block or journal entry the feedback page is about (``?page=``, ``?block=``, ``?entry=``)."""

    def number(name):
        value = source.get(name)
        if value in (None, ""):
            return None
        try:
            return int(value)
        except (TypeError, ValueError):
            raise Http404("Not found") from None

    focus = {"page": None, "block": None, "entry": None}
    if (page_id := number("page")) is not None:
        focus["page"] = PortfolioPage.objects.filter(portfolio=portfolio, pk=page_id).first()
    elif (block_id := number("block")) is not None:
        block = Block.objects.filter(page__portfolio=portfolio, pk=block_id).select_related("page").first()
        if block is not None and block.private and not queries.is_owner(request.user, portfolio):
            block = None  # a private block is the owner's alone: for anyone else it does not exist
        focus["block"] = block
    elif (entry_id := number("entry")) is not None:
        focus["entry"] = JournalEntry.objects.filter(portfolio=portfolio, pk=entry_id).first()
    else:
        return focus
    if not any(focus.values()):
        raise Http404("Not found")
    return focus


def _named_owner(form: FeedbackForm, portfolio: Portfolio) -> FeedbackForm:
    form.fields["private"].label = f"Private: only {portfolio.item.owner.name} and you will see it"
    return form


def _feedback_page(request, portfolio: Portfolio, *, status: int = 200, form=None, reply_forms=None):
    focus = _focus(request, portfolio, request.GET)
    viewer_is_owner = queries.is_owner(request.user, portfolio)
    threads = sharing.feedback_threads(request.user, portfolio, **focus)
    for thread in threads:
        thread.can_reply = sharing.can_reply(request.user, thread.feedback)
        thread.reply_form = (reply_forms or {}).get(thread.feedback.pk) or ReplyForm()
        thread.about = sharing.feedback_about(thread.feedback)
        thread.about_url = _thread_url(thread.feedback).split("#")[0]
    entry = focus["entry"]
    if entry is not None:
        entry = queries.entries_for(request.user, portfolio, [entry])[0]
    block = focus["block"]
    if block is not None:
        block.page.portfolio = portfolio
        block = next(
            (b for column in queries.page_blocks(request.user, block.page) for b in column if b.pk == block.pk), None
        )
    target = {key: (value.pk if value is not None else None) for key, value in focus.items()}
    open_request = None
    if not viewer_is_owner:
        open_request = (
            FeedbackRequest.objects.filter(portfolio=portfolio, reviewer=request.user, state=FeedbackRequest.State.OPEN)
            .select_related("requester")
            .first()
        )
    context = {
        "portfolio": portfolio,
        "item": portfolio.item,
        "threads": threads,
        "focus_any": any(focus.values()),
        "focus_label": sharing.about_label(**focus),
        "focus_block": block,
        "focus_page": focus["page"],
        "focus_entry": entry,
        "viewer_is_owner": viewer_is_owner,
        "open_request": open_request,
        "form": _named_owner(form or FeedbackForm(initial=target), portfolio),
        "pages": portfolio.pages.only("pk", "title", "slug", "portfolio_id").order_by("position", "pk"),
        "nav_blocks": _nav_blocks(request.user, portfolio, focus),
        "nav_entries": portfolio.entries.only("pk", "title", "happened").order_by("-happened", "-pk")[:NAV_ENTRIES],
    }
    return render(request, "portfolios/feedback.html", context, status=status)


def _nav_blocks(user, portfolio: Portfolio, focus: dict) -> list[Block]:
    """The blocks of the page in focus (or of the block's page), so each can be commented on from here."""
    page = focus["page"] or (focus["block"].page if focus["block"] is not None else None)
    if page is None:
        return []
    page.portfolio = portfolio
    blocks = queries.visible_blocks(user, page).only("pk", "title", "kind", "page_id")
    return list(blocks.order_by("column", "position", "pk"))


@login_required
@require_http_methods(["GET", "POST"])
def feedback(request, pk: int):
    """The feedback on a portfolio (or on one page, block or journal entry of it) and the form to give more."""
    portfolio = _portfolio_or_404(request.user, pk)
    if request.method == "GET":
        return _feedback_page(request, portfolio)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        focus = _focus(request, portfolio, form.cleaned_data)
        try:
            given = sharing.give_feedback(
                actor=request.user,
                portfolio=portfolio,
                body=form.cleaned_data["body"],
                private=form.cleaned_data["private"],
                **focus,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                "Thank you: your feedback is sent"
                + (" — only the owner and you can read it." if given.private else "."),
            )
            return redirect(_thread_url(given))
    return _feedback_page(request, portfolio, status=400, form=form)


def _thread_url(feedback: Feedback) -> str:
    root = feedback.parent or feedback
    query = ""
    for name in ("block", "page", "entry"):
        if getattr(root, f"{name}_id"):
            query = f"?{name}={getattr(root, f'{name}_id')}"
            break
    return f"{reverse('portfolios:feedback', args=[root.portfolio_id])}{query}#feedback-{feedback.pk}"


def _feedback_or_404(user, feedback_id: int) -> Feedback:
    """Feedback the person may read on a portfolio they may see; anything else is a 404."""
    found = Feedback.objects.select_related("portfolio__item__owner", "parent").filter(pk=feedback_id).first()
    if found is None:
        raise Http404("Not found")
    portfolio = _portfolio_or_404(user, found.portfolio_id)
    if not queries.visible_feedback(user, portfolio).filter(pk=found.pk).exists():
        raise Http404("Not found")
    found.portfolio = portfolio
    return found


@login_required
@require_POST
def feedback_reply(request, feedback_id: int):
    found = _feedback_or_404(request.user, feedback_id)
    if not sharing.can_reply(request.user, found):
        raise PermissionDenied("Only the portfolio's owner and the person who wrote the feedback reply to it.")
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            reply = sharing.reply_to_feedback(actor=request.user, feedback=found, body=form.cleaned_data["body"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect(_thread_url(reply))
    root = found.parent or found
    request.GET = request.GET.copy()
    for name in ("block", "page", "entry"):
        if getattr(root, f"{name}_id"):
            request.GET[name] = str(getattr(root, f"{name}_id"))
    return _feedback_page(request, found.portfolio, status=400, reply_forms={root.pk: form})


@login_required
@require_POST
def feedback_addressed(request, feedback_id: int):
    found = _feedback_or_404(request.user, feedback_id)
    if not queries.is_owner(request.user, found.portfolio):
        raise PermissionDenied("Only the portfolio's owner marks feedback as addressed.")
    form = AddressedForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say whether the feedback is addressed or not.")
        return redirect(_thread_url(found))
    root = sharing.set_addressed(actor=request.user, feedback=found, addressed=form.cleaned_data["addressed"])
    return redirect(_thread_url(root))


@login_required
@require_POST
def feedback_delete(request, feedback_id: int):
    found = _feedback_or_404(request.user, feedback_id)
    sharing.delete_feedback(actor=request.user, feedback=found)
    messages.success(request, "Your feedback is deleted.")
    return redirect(_thread_url(found).split("#")[0])


@login_required
@require_safe
def feedback_asked(request):
    """Feedback asked of me (waiting first), and what I asked others for."""
    page = paginate(sharing.asked_of(request.user), request, per_page=ASKED_PAGE)
    context = {"page": page, "mine": list(sharing.asked_by(request.user)[:OWN_REQUESTS_SHOWN])}
    return render(request, "portfolios/feedback_asked.html", context)


# --- submissions ------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def submit(request, pk: int):
    """Submit a frozen copy of the portfolio to a reviewer."""
    portfolio = _owned_or_403(request.user, pk)
    form = SubmitForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                done = sharing.submit_for_review(
                    actor=request.user,
                    portfolio=portfolio,
                    reviewer=form.cleaned_data["people"],
                    message=form.cleaned_data["message"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                submission = done.submission
                messages.success(request, f"Submitted to {submission.reviewer.name}; they have been notified.")
                if done.left_out:
                    messages.info(
                        request,
                        f"{done.left_out} item{'s' if done.left_out != 1 else ''} on your pages "
                        f"{'are' if done.left_out != 1 else 'is'} not visible to {submission.reviewer.name}, so "
                        "the copy names no title for them. Share them and submit again if they matter.",
                    )
                return redirect("portfolios:submission", submission_id=submission.pk)
    context = {
        "portfolio": portfolio,
        "item": portfolio.item,
        "form": form,
        "submissions": list(sharing.submissions_of(request.user, portfolio)[:SUBMISSIONS_SHOWN]),
    }
    return render(request, "portfolios/submission_new.html", context, status=status)


@login_required
@require_safe
def submissions(request):
    context = {
        "to_assess": list(sharing.submissions_to_assess(request.user)[:SUBMISSIONS_SHOWN]),
        "mine": list(sharing.submissions_of(request.user)[:SUBMISSIONS_SHOWN]),
    }
    return render(request, "portfolios/submissions.html", context)


def _submission_or_404(user, submission_id: int) -> Submission:
    submission = (
        Submission.objects.select_related("submitted_by", "reviewer", "portfolio__item")
        .filter(pk=submission_id)
        .first()
    )
    if submission is None or not sharing.can_see_submission(user, submission):
        raise Http404("Not found")
    return submission


def _submission_page(request, submission: Submission, *, form=None, status: int = 200):
    is_reviewer = submission.reviewer_id == request.user.pk
    may_assess = is_reviewer and submission.state != Submission.State.WITHDRAWN
    if form is None and may_assess:
        initial = {"outcome": submission.outcome, "assessment": submission.assessment} if submission.outcome else {}
        form = AssessForm(initial=initial)
    context = {
        "submission": submission,
        "content": sharing.displayable(submission.content),
        "is_reviewer": is_reviewer,
        "is_submitter": submission.submitted_by_id == request.user.pk,
        "form": form if may_assess else None,
        "assessment_html": sharing.markdown_html(submission.assessment),
    }
    return render(request, "portfolios/submission.html", context, status=status)


@login_required
@require_safe
def submission(request, submission_id: int):
    """The frozen copy, the owner's message and the reviewer's assessment."""
    return _submission_page(request, _submission_or_404(request.user, submission_id))


@login_required
@require_POST
def submission_assess(request, submission_id: int):
    found = _submission_or_404(request.user, submission_id)
    if found.reviewer_id != request.user.pk:
        raise PermissionDenied("Only the reviewer it was sent to can assess it.")
    form = AssessForm(request.POST)
    if form.is_valid():
        try:
            sharing.assess_submission(
                actor=request.user,
                submission=found,
                outcome=form.cleaned_data["outcome"],
                assessment=form.cleaned_data["assessment"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Your assessment is saved; {found.submitted_by.name} has been notified.")
            return redirect("portfolios:submission", submission_id=found.pk)
    return _submission_page(request, found, form=form, status=400)


@login_required
@require_POST
def submission_withdraw(request, submission_id: int):
    found = _submission_or_404(request.user, submission_id)
    try:
        sharing.withdraw_submission(actor=request.user, submission=found)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Withdrawn: {found.reviewer.name} no longer sees it among work to assess.")
    return redirect("portfolios:submission", submission_id=found.pk)


# --- secret links -----------------------------------------------------------------------------------------


def _secret_headers(response):
    # Nobody should find the page through a search engine, and following a link out of it must not hand
    # the secret address to the other site in the Referer header.
    response["X-Robots-Tag"] = "noindex, nofollow, noarchive"
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    return response


def _gone(request, **context):
    return _secret_headers(render(request, "portfolios/secret_gone.html", context, status=404))


def _secret_context(link, token: str, pages, **more) -> dict:
    portfolio = link.portfolio
    return {
        "link": link,
        "token": token,
        "portfolio": portfolio,
        "item": portfolio.item,
        "pages": pages,
        "viewer_is_owner": False,
        **more,
    }


@for_outsiders
@require_safe
def secret(request, token: str, slug: str | None = None):
    """A portfolio read through a secret link: no sign-in, read-only, what a stranger to it may see, with the
    owner's own files and links opening through the link."""
    link = sharing.open_secret_link(token)
    if link is None:
        return _gone(request)
    portfolio = link.portfolio
    pages = list(sharing.secret_link_pages(portfolio))
    page = next((p for p in pages if p.slug == slug), None) if slug is not None else (pages[0] if pages else None)
    if page is None and slug is not None:
        return _gone(request, missing_page=True, token=token)
    sharing.note_secret_link_use(link)
    columns = []
    if page is not None:
        page.portfolio = portfolio
        columns = queries.page_blocks(None, page)
        sharing.reveal_own_evidence(portfolio, token, (block for column in columns for block in column))
    context = _secret_context(link, token, pages, page=page, columns=columns, tab="page")
    return _secret_headers(render(request, "portfolios/secret.html", context))


@for_outsiders
@require_safe
def secret_journal(request, token: str):
    """A process portfolio's journal through its secret link: entries, evidence, reflections that are not private."""
    link = sharing.open_secret_link(token)
    if link is None or link.portfolio.kind != Portfolio.Kind.PROCESS:
        return _gone(request)
    portfolio = link.portfolio
    sharing.note_secret_link_use(link)
    rows = queries.journal(None, portfolio).select_related("item__file", "item__bookmark__link")
    entries = list(rows[:SECRET_JOURNAL_ENTRIES])
    queries.entries_for(None, portfolio, entries)
    sharing.reveal_own_entry_evidence(portfolio, token, entries)
    pages = list(sharing.secret_link_pages(portfolio))
    context = _secret_context(link, token, pages, entries=entries, tab="journal")
    return _secret_headers(render(request, "portfolios/secret_journal.html", context))


@for_outsiders
@xframe_options_sameorigin  # a PDF shown in its block is an <iframe> of this address
@require_safe
def secret_file(request, token: str, item_id: int, what: str):
    """One of the owner's files that the portfolio shows, opened, downloaded or as a thumbnail, through the link."""
    from files.views import INLINE_FAMILIES, INLINE_TYPES, serve_file

    link = sharing.open_secret_link(token)
    item = sharing.secret_file(link, item_id) if link is not None else None
    detail = getattr(item, "file", None)
    if detail is None or what not in ("download", "inline", "thumbnail"):
        raise Http404("Not found")
    if what == "thumbnail":
        if not detail.thumbnail:
            raise Http404("No thumbnail")
        response = FileResponse(detail.thumbnail.open("rb"), content_type="image/jpeg")
        response["X-Content-Type-Options"] = "nosniff"
    else:
        inline = what == "inline" and (detail.family in INLINE_FAMILIES or detail.content_type in INLINE_TYPES)
        response = serve_file(request, detail, as_attachment=not inline)
    response["Cache-Control"] = "private, no-store"  # revoking the link must stop it at once
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


# /portfolios/
urlpatterns = [
    path("<int:pk>/share/", share, name="share"),
    path("<int:pk>/share/links/", secret_link_create, name="secret-link-create"),
    path("<int:pk>/share/links/<int:link_id>/revoke", secret_link_revoke, name="secret-link-revoke"),
    path("<int:pk>/feedback/", feedback, name="feedback"),
    path("<int:pk>/feedback/ask", feedback_ask, name="feedback-ask"),
    path("<int:pk>/submit/", submit, name="submit"),
    path("feedback/", feedback_asked, name="feedback-asked"),
    path("feedback/requests/<int:request_id>/withdraw", feedback_request_withdraw, name="feedback-request-withdraw"),
    path("feedback/<int:feedback_id>/reply", feedback_reply, name="feedback-reply"),
    path("feedback/<int:feedback_id>/addressed", feedback_addressed, name="feedback-addressed"),
    path("feedback/<int:feedback_id>/delete", feedback_delete, name="feedback-delete"),
    path("submissions/", submissions, name="submissions"),
    path("submissions/<int:submission_id>/", submission, name="submission"),
    path("submissions/<int:submission_id>/assess", submission_assess, name="submission-assess"),
    path("submissions/<int:submission_id>/withdraw", submission_withdraw, name="submission-withdraw"),
    path("s/<str:token>/", secret, name="secret"),
    path("s/<str:token>/journal/", secret_journal, name="secret-journal"),
    path("s/<str:token>/files/<int:item_id>/<str:what>", secret_file, name="secret-file"),
    path("s/<str:token>/<str:slug>/", secret, name="secret-page"),
]
