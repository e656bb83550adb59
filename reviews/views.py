"""Pages for ratings and reviews: the panel on every item page, an item's review list, moderation.

Every form works without JavaScript (it posts, then returns to the page it came from); with htmx the
panel or the one review that changed is drawn again in place.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from core.access import can_view, get_visible_or_404
from core.models import Item
from lib.pagination import paginate
from reviews import queries, services
from reviews.forms import ListForm, ReplyForm, ReportForm, ReviewForm
from reviews.models import Review, ReviewReport

PANEL_SIZE = 5
PAGE_SIZE = 20


def _item_or_404(request, item_pk: int) -> Item:
    return get_visible_or_404(request.user, Item.objects.select_related("owner", "space"), pk=item_pk)


def _review_or_404(request, pk: int) -> Review:
    review = Review.objects.select_related("item", "author", "reply_by").filter(pk=pk).first()
    user = request.user
    if review is None or not can_view(user, review.item):
        raise Http404("Not found")
    if review.hidden_at is not None and review.author_id != user.pk and not services.can_hide(user, review):
        raise Http404("Not found")
    return review


def _is_htmx(request) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted


def _back(request, item: Item):
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        target = item.get_absolute_url()
    return redirect(f"{target.split('#')[0]}#reviews")


def _list_params(request) -> tuple[str, str]:
    form = ListForm(request.GET)
    if not form.is_valid():
        return "helpful", ""
    return form.cleaned_data["sort"] or "helpful", form.cleaned_data["only"]


def _decorate(request, reviews: list[Review]) -> list[Review]:
    """Attach what each review's controls need, without a query per review."""
    user = request.user
    votes = queries.votes_of(user, reviews)
    moderator = services.is_moderator(user)
    for review in reviews:
        review.my_vote = votes.get(review.pk)
        review.is_mine = user.is_authenticated and review.author_id == user.pk
        owns_item = user.is_authenticated and review.item.owner_id == user.pk
        review.can_vote = user.is_authenticated and not review.is_mine and review.hidden_at is None
        review.can_hide = moderator and not owns_item
        review.can_reply = owns_item or moderator
    return reviews


def _list_context(
    request, item: Item, *, sort: str, only: str, per_page: int, paged: bool, nothing_to_list: bool = False
) -> dict:
    reviews = queries.review_list(item, request.user, sort=sort, only=only)
    if nothing_to_list:
        rows, has_next, number = [], False, 1
    elif paged:
        page = paginate(reviews, request, per_page=per_page)
        rows, has_next, number = page.rows, page.has_next, page.number
    else:
        rows = list(reviews[: per_page + 1])
        has_next, number = len(rows) > per_page, 1
        rows = rows[:per_page]
    for review in rows:
        review.item = item  # the same item for every row: no query per review for its owner
    query = {"sort": sort, "only": only}
    return {
        "item": item,
        "reviews": _decorate(request, rows),
        "has_next": has_next,
        "number": number,
        "paged": paged,
        "sort": sort,
        "only": only,
        "list_form": ListForm(initial=query),
        "query": urlencode({k: v for k, v in query.items() if v}),
        "next_url": request.get_full_path() if request.method == "GET" else request.POST.get("next", ""),
    }


def panel_context(request, item: Item, *, form=None, sort: str = "helpful", only: str = "", paged=False) -> dict:
    """Everything the reviews panel shows for one item: used by the template tag and the views."""
    user = request.user
    mine = Review.objects.filter(item=item, author=user).first() if user.is_authenticated else None
    if form is None and mine is not None:
        form = ReviewForm(initial={"rating": mine.rating, "body": mine.body})
    context = _list_context(
        request,
        item,
        sort=sort,
        only=only,
        per_page=PAGE_SIZE if paged else PANEL_SIZE,
        paged=paged,
        # Unrated, and nothing of the viewer's own: every review there is counted, so there is none to list.
        nothing_to_list=item.rating_count == 0 and mine is None,
    )
    context.update(
        user=user,
        summary=queries.aggregate(item),
        mine=mine,
        form=form or ReviewForm(),
        can_review=services.may_review(user, item),
        is_owner=user.is_authenticated and item.owner_id == user.pk,
        moderator=services.is_moderator(user),
    )
    return context


def _panel(request, item: Item, *, form=None, status: int = 200):
    item.refresh_from_db(fields=["rating_count", "rating_sum"])  # the service moved them in the database
    context = panel_context(request, item, form=form)
    context["next_url"] = request.POST.get("next", "")
    return render(request, "reviews/partials/panel.html", context, status=status)


def _one(request, review: Review, *, note: str = "", status: int = 200):
    _decorate(request, [review])
    context = {"review": review, "item": review.item, "user": request.user, "note": note}
    context["next_url"] = request.POST.get("next", "")
    return render(request, "reviews/partials/review.html", context, status=status)


@require_GET
def item_reviews(request, item_pk: int):
    """All of an item's reviews, sorted and filtered; for htmx, only the list."""
    item = _item_or_404(request, item_pk)
    sort, only = _list_params(request)
    if _is_htmx(request):
        context = _list_context(request, item, sort=sort, only=only, per_page=PAGE_SIZE, paged=True)
        context["user"] = request.user
        return render(request, "reviews/partials/list.html", context)
    context = panel_context(request, item, sort=sort, only=only, paged=True)
    return render(request, "reviews/item.html", context)


@login_required
@require_POST
def save(request, item_pk: int):
    """Write or change one's own review of the item."""
    item = _item_or_404(request, item_pk)
    form = ReviewForm(request.POST)
    problem = None
    if form.is_valid():
        try:
            _, created = services.save_review(
                item=item, author=request.user, rating=form.cleaned_data["rating"], body=form.cleaned_data["body"]
            )
        except (ValidationError, PermissionDenied) as exc:
            problem = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
            form.add_error(None, problem)
        else:
            if not _is_htmx(request):
                messages.success(request, "Thank you: your review is saved." if created else "Your review is changed.")
                return _back(request, item)
            return _panel(request, item)
    status = 403 if problem and "own item" in problem else 400
    if _is_htmx(request):
        return _panel(request, item, form=form, status=status)
    context = panel_context(request, item, form=form, paged=True)
    return render(request, "reviews/item.html", context, status=status)


@login_required
@require_POST
def delete(request, item_pk: int):
    item = _item_or_404(request, item_pk)
    review = Review.objects.filter(item=item, author=request.user).first()
    if review is None:
        raise Http404("You have not reviewed this.")
    services.delete_review(review=review, actor=request.user)
    if _is_htmx(request):
        return _panel(request, item)
    messages.success(request, "Your review is deleted.")
    return _back(request, item)


@login_required
@require_POST
def vote(request, pk: int):
    review = _review_or_404(request, pk)
    choice = request.POST.get("helpful", "")
    helpful = {"yes": True, "no": False, "withdraw": None}.get(choice, "bad")
    if helpful == "bad":
        return _refuse(request, review, "Say whether the review was helpful: yes, no or withdraw.", 400)
    try:
        review = services.vote(review=review, voter=request.user, helpful=helpful)
    except PermissionDenied as exc:
        return _refuse(request, review, str(exc), 403)
    if _is_htmx(request):
        return _one(request, review)
    messages.success(request, "Thank you for your vote.")
    return _back(request, review.item)


@login_required
@require_POST
def report(request, pk: int):
    review = _review_or_404(request, pk)
    form = ReportForm(request.POST)
    if not form.is_valid():
        return _refuse(request, review, "Say what is wrong with this review.", 400)
    try:
        services.report(review=review, reporter=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        return _refuse(request, review, exc.messages[0], 400)
    except PermissionDenied as exc:
        return _refuse(request, review, str(exc), 403)
    note = "Thank you: a moderator will look at this review."
    if _is_htmx(request):
        return _one(request, review, note=note)
    messages.success(request, note)
    return _back(request, review.item)


@login_required
@require_POST
def reply(request, pk: int):
    review = _review_or_404(request, pk)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _refuse(request, review, "; ".join(form.errors.get("body", ["Your reply is too long."])), 400)
    try:
        review = services.reply(review=review, actor=request.user, body=form.cleaned_data["body"])
    except (ValidationError, PermissionDenied) as exc:
        status = 400 if isinstance(exc, ValidationError) else 403
        return _refuse(request, review, exc.messages[0] if status == 400 else str(exc), status)
    if _is_htmx(request):
        return _one(request, review)
    messages.success(request, "Your reply is saved." if review.reply else "Your reply is removed.")
    return _back(request, review.item)


def _refuse(request, review: Review, message: str, status: int):
    if _is_htmx(request):
        return _one(request, review, note=message, status=status)
    if status == 403:
        raise PermissionDenied(message)
    context = panel_context(request, review.item, paged=True)
    context["problem"] = message
    return render(request, "reviews/item.html", context, status=400)


@require_GET
def history(request, pk: int):
    """What a review said before each of its author's edits."""
    review = _review_or_404(request, pk)
    edits = list(review.edits.all())
    return render(request, "reviews/history.html", {"review": review, "item": review.item, "edits": edits})


# ------------------------------------------------------------------------------------------ moderation


def _moderator_required(request):
    if not services.is_moderator(request.user):
        raise PermissionDenied("The moderation queue is for curators and administrators.")


@login_required
@require_GET
def moderation(request):
    """Reported reviews waiting for a curator or an administrator, the oldest first."""
    _moderator_required(request)
    page = paginate(queries.open_reports(request.user), request, per_page=30)
    return render(request, "reviews/moderation.html", {"page": page})


def _moderate(request, pk: int, action, done: str):
    review = _review_or_404(request, pk)
    if not services.can_hide(request.user, review):
        raise PermissionDenied("Only curators and administrators moderate reviews, and not of their own items.")
    review = action(review=review, actor=request.user)
    if _is_htmx(request):
        return _one(request, review, note=done)
    messages.success(request, done)
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("reviews:moderation")


@login_required
@require_POST
def hide(request, pk: int):
    return _moderate(request, pk, services.hide, "The review is hidden and no longer counts in the rating.")


@login_required
@require_POST
def unhide(request, pk: int):
    return _moderate(request, pk, services.unhide, "The review is shown again and counts in the rating.")


@login_required
@require_POST
def dismiss(request, pk: int):
    _moderator_required(request)
    found = ReviewReport.objects.select_related("review__item").filter(pk=pk, resolved_at__isnull=True).first()
    if found is None or not can_view(request.user, found.review.item):
        raise Http404("Not found")
    services.dismiss_report(report=found, actor=request.user)
    messages.success(request, "The report is dismissed; the review stays as it is.")
    return redirect("reviews:moderation")
