"""Sharing a portfolio: who sees it, secret links for people outside, feedback, and snapshots for review.

Who may see a portfolio is the spine's rule (``core.access``); this module changes it only through
``portfolios.services.update_portfolio``. Everything private to the owner (private blocks, private
reflections, private feedback) is read through ``portfolios.queries``, so a secret link, a snapshot, a
notification or an e-mail can never show it:

- **Secret links** let someone outside read the portfolio without signing in. Only a SHA-256 hash of
  the token is kept (the catalogue's calendar feeds do the same); the token is shown once. A link works
  until it is revoked or expires, and shows what a stranger may see: no private block, no private
  reflection, no feedback at all.
- **Feedback** is asked of chosen people with a message; asking someone who cannot see the portfolio
  names them on it (a private portfolio becomes shared with named people) and the owner is told. A
  comment is about the portfolio, one page, one block or one journal entry; it may be private to the
  owner. The owner replies and marks feedback addressed. Notifications say who gave feedback on what,
  never what the feedback says, and private feedback's activity is tied to no item, so no feed shows it.
- **Submissions** freeze a copy of the portfolio (pages, blocks rendered to sanitised HTML, the items
  they showed, journal entries; private parts left out) that later edits do not change; the reviewer
  attaches an assessment. Only the owner, the reviewer and site admins see a submission.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from catalog.services import hash_token
from core.access import can_view, is_site_admin
from core.models import Activity, Item, ItemKind, Visibility
from core.services import record_activity
from portfolios import queries
from portfolios.models import (
    Block,
    BlockImage,
    Feedback,
    FeedbackRequest,
    JournalEntry,
    Portfolio,
    PortfolioPage,
    SecretLink,
    Submission,
)
from portfolios.services import check_portfolio_visibility, update_portfolio

LABEL_MAX = 120
LIVE_LINKS_MAX = 20
BODY_MAX = 10_000
MESSAGE_MAX = 2_000
ASSESSMENT_MAX = 20_000
ASKED_AT_ONCE_MAX = 10
# A secret link's use is counted in the cache and written to its row at most once a minute, so a
# link passed round a large audience does not turn every view into a database write.
USE_WRITE_SECONDS = 60
SNAPSHOT_VERSION = 1

Verb = Activity.Verb


def _require_owner(actor, portfolio: Portfolio, doing: str = "do that") -> None:
    if not getattr(actor, "is_authenticated", False) or portfolio.item.owner_id != actor.pk:
        raise PermissionDenied(f"Only the portfolio's owner can {doing}.")


def _require_viewer(actor, portfolio: Portfolio) -> None:
    if not getattr(actor, "is_authenticated", False) or not can_view(actor, portfolio.item):
        raise PermissionDenied("That portfolio does not exist.")


def _clean_text(text: str, *, limit: int, empty: str | None, noun: str) -> str:
    text = (text or "").strip()
    if not text and empty is not None:
        raise ValidationError(empty)
    if len(text) > limit:
        raise ValidationError(f"Keep the {noun} under {limit:,} characters.")
    return text


def names(people: Iterable) -> str:
    names = [person.name for person in people]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def feedback_url(portfolio: Portfolio) -> str:
    return reverse("portfolios:feedback", args=[portfolio.pk])


def submission_url(submission: Submission) -> str:
    return reverse("portfolios:submission", args=[submission.pk])


# --- who can see it ------------------------------------------------------------------------------------


@dataclass
class Audience:
    """Who can see a portfolio now, in sentences a person reads at a glance."""

    headline: str
    details: list[str] = field(default_factory=list)
    people: list = field(default_factory=list)
    live_links: int = 0


def audience(portfolio: Portfolio) -> Audience:
    item = portfolio.item
    vis = item.visibility
    people: list = []
    if vis == Visibility.PRIVATE:
        headline = "Only you can see it."
        details = []
    elif vis == Visibility.PEOPLE:
        people = list(item.shared_with.filter(is_active=True).order_by("display_name", "username"))
        headline = f"You and {len(people)} {'person' if len(people) == 1 else 'people'} you named can see it."
        details = []
    elif vis == Visibility.SPACE:
        headline = f"Members of {item.space.name} can see it."
        details = [f"{item.space.member_count} people belong to {item.space.name}, guests of the space included."]
    else:
        headline = "Everyone in the organisation who signs in can see it."
        details = [
            f"Guests see it only if they belong to {item.space.name}." if item.space_id else "Guests do not see it."
        ]
    if vis != Visibility.PRIVATE:
        details.append("Site administrators can see it too.")
    live = portfolio.secret_links.filter(live_links_filter()).count()
    if live:
        holding = "your working secret link" if live == 1 else f"one of your {live} working secret links"
        details.append(
            f"Anyone holding {holding} can read it without signing in — without private blocks, private "
            "reflections or feedback."
        )
    details.append("It is never public on the web: search engines and people outside cannot find it.")
    return Audience(headline=headline, details=details, people=people, live_links=live)


@transaction.atomic
def change_sharing(*, actor, portfolio: Portfolio, visibility: str, shared_with: Iterable, space=...) -> Portfolio:
    """Change who may see the portfolio: its visibility, the people named, and (given ``space``) its space."""
    from core.access import can_create_in

    _require_owner(actor, portfolio, "change who sees it")
    item = portfolio.item
    shared_with = [person for person in shared_with if person.pk != actor.pk]
    new_space = item.space if space is ... else space
    if new_space is not None and new_space.pk != item.space_id and not can_create_in(actor, new_space):
        raise PermissionDenied("You can only put a portfolio in a space you belong to.")
    check_portfolio_visibility(visibility=visibility, space=new_space, shared_with=shared_with)
    if space is not ...:
        item.space = new_space
    update_portfolio(
        actor=actor,
        portfolio=portfolio,
        title=item.title,
        summary=item.summary,
        visibility=visibility,
        tags=[tag.name for tag in item.tags.all()],
        shared_with=shared_with,
    )
    return portfolio


# --- secret links -----------------------------------------------------------------------------------------


def live_links_filter(now: datetime | None = None) -> Q:
    now = now or timezone.now()
    return Q(revoked_at__isnull=True) & (Q(expires__isnull=True) | Q(expires__gt=now))


def secret_links(portfolio: Portfolio):
    """The portfolio's links, working ones first (bounded: the newest hundred)."""
    return portfolio.secret_links.select_related("created_by").order_by(F("revoked_at").desc(nulls_first=True))[:100]


@transaction.atomic
def create_secret_link(
    *, actor, portfolio: Portfolio, label: str = "", expires: datetime | None = None
) -> tuple[SecretLink, str]:
    """A new link for people outside; returns it with its token, which is not kept and cannot be shown again."""
    _require_owner(actor, portfolio, "make secret links")
    label = " ".join((label or "").split())
    if len(label) > LABEL_MAX:
        raise ValidationError(f"Keep the label under {LABEL_MAX} characters.")
    if expires is not None and expires <= timezone.now():
        raise ValidationError("Choose an expiry date in the future, or none.")
    if portfolio.secret_links.filter(live_links_filter()).count() >= LIVE_LINKS_MAX:
        raise ValidationError(f"A portfolio has at most {LIVE_LINKS_MAX} working links; revoke one first.")
    token = secrets.token_urlsafe(24)
    link = SecretLink.objects.create(
        portfolio=portfolio, token_hash=hash_token(token), label=label, created_by=actor, expires=expires
    )
    return link, token


def revoke_secret_link(*, actor, link: SecretLink) -> SecretLink:
    """Stop a link working at once; revoking a revoked link changes nothing."""
    _require_owner(actor, link.portfolio, "revoke its links")
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
    return link


def open_secret_link(token: str) -> SecretLink | None:
    """The working link a token opens, or None: unknown, malformed, revoked and expired tokens alike, and
    links to deleted portfolios or of people who left."""
    if not token or len(token) > 100:
        return None
    link = SecretLink.objects.select_related("portfolio__item__owner").filter(token_hash=hash_token(token)).first()
    if link is None or not link.is_live():
        return None
    item = link.portfolio.item
    if item.deleted_at is not None or not item.owner.is_active:
        return None
    return link


def _uses_key(link_id: int) -> str:
    return f"portfolios:secret-link:{link_id}:uses"


def note_secret_link_use(link: SecretLink, now: datetime | None = None) -> None:
    """Count one use; write the count and the time to the link's row at most once a minute."""
    now = now or timezone.now()
    key = _uses_key(link.pk)
    cache.add(key, 0, None)
    try:
        cache.incr(key)
    except ValueError:  # evicted between the two calls
        cache.set(key, 1, None)
    if not cache.add(f"{key}:written", 1, USE_WRITE_SECONDS):
        return
    pending = cache.get(key) or 0
    if pending:
        with contextlib.suppress(ValueError):  # evicted meanwhile: those uses are lost, no more
            cache.decr(key, pending)  # uses counted meanwhile stay for the next write
    SecretLink.objects.filter(pk=link.pk).update(last_used=now, use_count=F("use_count") + pending)


def secret_link_pages(portfolio: Portfolio):
    return portfolio.pages.only("pk", "title", "slug", "position", "layout", "portfolio_id").order_by("position", "pk")


# What a secret link's reader may open besides the pages: the owner's own files and links shown on them. Other
# kinds (a wiki page, a board) live inside the organisation, and other people's items were never the owner's
# to hand out, so those stay "not shared".
SECRET_EVIDENCE_KINDS = (ItemKind.FILE, ItemKind.LINK)


def _own_evidence(portfolio: Portfolio, item: Item | None) -> bool:
    return (
        item is not None
        and item.owner_id == portfolio.item.owner_id
        and item.deleted_at is None
        and item.kind in SECRET_EVIDENCE_KINDS
    )


def secret_card(item: Item, token: str) -> queries.Shown:
    """``queries.shown`` for a secret link's reader: a file opens and downloads through the link, a link goes
    straight to its web address; nothing points at pages that need signing in."""
    card = queries.shown(item)
    card.owner = ""
    if item.kind == ItemKind.FILE:

        def address(what):
            return reverse("portfolios:secret-file", args=[token, item.pk, what])

        card.download_url = address("download") if card.download_url else ""
        card.thumb_url = address("thumbnail") if card.thumb_url else ""
        card.media_url = address("inline") if card.media_url else ""
        card.url = card.media_url or card.download_url
    else:
        card.url, card.thumb_url = card.external_url, ""
    card.print_url = card.url
    return card


def reveal_own_evidence(portfolio: Portfolio, token: str, blocks: Iterable[Block]) -> None:
    """On blocks readied for a stranger (``queries.page_blocks(None, page)``), show the owner's own files and
    links through the secret link instead of "not shared with you"; journal entries in a timeline are listed
    without pointing at the journal, which needs signing in."""
    for block in blocks:
        if block.hidden and block.shown is None and _own_evidence(portfolio, block.item):
            block.shown, block.hidden = secret_card(block.item, token), None
        for image in block.gallery:
            if image.shown is None and _own_evidence(portfolio, image.item):
                image.shown = secret_card(image.item, token)
                block.images_shown.append(image)
                block.images_hidden -= 1
        block.images_shown.sort(key=lambda image: (image.position, image.pk))
        for row in block.timeline:
            row["entry"] = None


def reveal_own_entry_evidence(portfolio: Portfolio, token: str, entries: Iterable[JournalEntry]) -> None:
    for entry in entries:
        if entry.hidden and _own_evidence(portfolio, entry.item):
            entry.shown, entry.hidden = secret_card(entry.item, token), None


def secret_file(link: SecretLink, item_id: int) -> Item | None:
    """A file of the owner's that the link's portfolio shows (on a shared block, a gallery, or as a journal
    entry's evidence), or None."""
    portfolio = link.portfolio
    shown = (
        Q(pk__in=Block.objects.filter(page__portfolio=portfolio, private=False).values("item_id"))
        | Q(pk__in=BlockImage.objects.filter(block__page__portfolio=portfolio, block__private=False).values("item_id"))
        | Q(pk__in=portfolio.entries.values("item_id"))
    )
    return (
        Item.objects.filter(
            shown, pk=item_id, kind=ItemKind.FILE, owner_id=portfolio.item.owner_id, deleted_at__isnull=True
        )
        .select_related("file")
        .first()
    )


# --- feedback requests ------------------------------------------------------------------------------------


@dataclass
class FeedbackAsked:
    requests: list[FeedbackRequest]
    newly_shared: list  # people who could not see the portfolio and were named on it


@transaction.atomic
def request_feedback(*, actor, portfolio: Portfolio, reviewers: Iterable, message: str = "") -> FeedbackAsked:
    """Ask people for feedback. Whoever cannot see the portfolio yet is named on it when it is private or
    shared with named people; when it is limited to a space or the organisation, asking them is refused."""
    _require_owner(actor, portfolio, "ask for feedback on it")
    item = portfolio.item
    reviewers = list({person.pk: person for person in reviewers}.values())
    message = _clean_text(message, limit=MESSAGE_MAX, empty=None, noun="message")
    if not reviewers:
        raise ValidationError("Choose at least one person to ask.")
    if len(reviewers) > ASKED_AT_ONCE_MAX:
        raise ValidationError(f"Ask at most {ASKED_AT_ONCE_MAX} people at once.")
    if any(person.pk == actor.pk for person in reviewers):
        raise ValidationError("You can't ask yourself; choose a peer or an advisor.")
    gone = [person for person in reviewers if not person.is_active]
    if gone:
        raise ValidationError(f"{names(gone)} no longer has an account here.")
    waiting = FeedbackRequest.objects.filter(
        portfolio=portfolio, reviewer__in=reviewers, state=FeedbackRequest.State.OPEN
    ).select_related("reviewer")
    if waiting:
        raise ValidationError(
            f"You already asked {names(r.reviewer for r in waiting)}; wait for an answer or withdraw that request."
        )
    blind = [person for person in reviewers if not can_view(person, item)]
    if blind:
        if item.visibility not in (Visibility.PRIVATE, Visibility.PEOPLE):
            where = f"the members of {item.space.name}" if item.visibility == Visibility.SPACE else "the organisation"
            raise ValidationError(
                f"{names(blind)} can't see this portfolio: it is shared with {where} only. "
                "Share it with them by name on the sharing page first, or ask someone who can see it."
            )
        named = list(item.shared_with.all()) if item.visibility == Visibility.PEOPLE else []
        change_sharing(actor=actor, portfolio=portfolio, visibility=Visibility.PEOPLE, shared_with=named + blind)
    made = []
    for person in reviewers:
        made.append(
            FeedbackRequest.objects.create(portfolio=portfolio, requester=actor, reviewer=person, message=message)
        )
        record_activity(
            actor=actor, verb=Verb.FEEDBACK_ASKED, item=item, target=person, extra={"url": feedback_url(portfolio)}
        )
    return FeedbackAsked(requests=made, newly_shared=blind)


def withdraw_feedback_request(*, actor, feedback_request: FeedbackRequest) -> FeedbackRequest:
    _require_owner(actor, feedback_request.portfolio, "withdraw a request for feedback")
    if feedback_request.state != FeedbackRequest.State.OPEN:
        raise ValidationError("Only a request still waiting for feedback can be withdrawn.")
    feedback_request.state = FeedbackRequest.State.WITHDRAWN
    feedback_request.save(update_fields=["state"])
    return feedback_request


def asked_of(user):
    """Requests for feedback made of ``user`` on portfolios they may still see, waiting ones first."""
    from core.access import item_filter_via

    return (
        FeedbackRequest.objects.filter(reviewer=user)
        .exclude(state=FeedbackRequest.State.WITHDRAWN)
        .filter(item_filter_via(user, "portfolio__item"))
        .select_related("portfolio__item__owner", "requester")
        .order_by("-state", "-created")  # "open" sorts after "answered": descending puts it first
    )


def asked_by(user):
    """Requests ``user`` made on their own portfolios, newest first."""
    return (
        FeedbackRequest.objects.filter(requester=user, portfolio__item__owner=user, portfolio__item__deleted_at=None)
        .select_related("portfolio__item", "reviewer")
        .order_by("-created")
    )


# --- feedback ---------------------------------------------------------------------------------------------


def _check_target(actor, portfolio: Portfolio, *, page, block, entry) -> None:
    if sum(thing is not None for thing in (page, block, entry)) > 1:
        raise ValidationError("Comment on one thing at a time: the portfolio, a page, a block or a journal entry.")
    if page is not None and page.portfolio_id != portfolio.pk:
        raise ValidationError("That page is not in this portfolio.")
    if block is not None:
        if block.page.portfolio_id != portfolio.pk:
            raise ValidationError("That block is not in this portfolio.")
        if block.private and not queries.is_owner(actor, portfolio):
            raise ValidationError("That block is not in this portfolio.")
    if entry is not None and entry.portfolio_id != portfolio.pk:
        raise ValidationError("That journal entry is not in this portfolio.")


def _feedback_activity(*, actor, feedback: Feedback, target) -> None:
    """Tell ``target`` that ``actor`` wrote feedback (or a reply). What it says stays out of the activity;
    private feedback's activity points at no item, so no feed or stream of the portfolio shows it."""
    portfolio = feedback.portfolio
    extra = {"url": f"{feedback_url(portfolio)}#feedback-{feedback.pk}", "feedback": feedback.pk}
    if feedback.private:
        extra["about"] = portfolio.item.title
        record_activity(actor=actor, verb=Verb.GAVE_FEEDBACK, target=target, extra=extra)
    else:
        record_activity(actor=actor, verb=Verb.GAVE_FEEDBACK, item=portfolio.item, target=target, extra=extra)


@transaction.atomic
def give_feedback(
    *,
    actor,
    portfolio: Portfolio,
    body: str,
    page: PortfolioPage | None = None,
    block: Block | None = None,
    entry: JournalEntry | None = None,
    private: bool = False,
) -> Feedback:
    """Comment on the portfolio, a page, a block or a journal entry. Answers the writer's open request, if any."""
    _require_viewer(actor, portfolio)
    if queries.is_owner(actor, portfolio):
        raise ValidationError("This is your portfolio: reply to the feedback others give, or ask for more.")
    _check_target(actor, portfolio, page=page, block=block, entry=entry)
    body = _clean_text(body, limit=BODY_MAX, empty="Write your feedback first.", noun="feedback")
    feedback_request = (
        FeedbackRequest.objects.select_for_update()
        .filter(portfolio=portfolio, reviewer=actor, state=FeedbackRequest.State.OPEN)
        .first()
    )
    feedback = Feedback.objects.create(
        portfolio=portfolio,
        page=page,
        block=block,
        entry=entry,
        author=actor,
        body=body,
        private=bool(private),
        request=feedback_request,
    )
    if feedback_request is not None:
        feedback_request.state = FeedbackRequest.State.ANSWERED
        feedback_request.answered = timezone.now()
        feedback_request.save(update_fields=["state", "answered"])
    _feedback_activity(actor=actor, feedback=feedback, target=portfolio.item.owner)
    return feedback


def _root(feedback: Feedback) -> Feedback:
    return feedback.parent if feedback.parent_id else feedback


def can_reply(user, feedback: Feedback) -> bool:
    """The owner answers feedback, and its author may answer back: a thread is between the two."""
    root = _root(feedback)
    return getattr(user, "is_authenticated", False) and user.pk in (root.author_id, root.portfolio.item.owner_id)


@transaction.atomic
def reply_to_feedback(*, actor, feedback: Feedback, body: str) -> Feedback:
    root = _root(feedback)
    portfolio = root.portfolio
    if not can_reply(actor, root) or not can_view(actor, portfolio.item):
        raise PermissionDenied("Only the portfolio's owner and the person who wrote the feedback reply to it.")
    body = _clean_text(body, limit=BODY_MAX, empty="Write your reply first.", noun="reply")
    reply = Feedback.objects.create(
        portfolio=portfolio,
        page_id=root.page_id,
        block_id=root.block_id,
        entry_id=root.entry_id,
        parent=root,
        author=actor,
        body=body,
        private=root.private,  # a reply to private feedback is as private as what it answers
    )
    other = root.author if actor.pk == portfolio.item.owner_id else portfolio.item.owner
    _feedback_activity(actor=actor, feedback=reply, target=other)
    return reply


def set_addressed(*, actor, feedback: Feedback, addressed: bool) -> Feedback:
    """The owner marks feedback as addressed (or not yet): it is about the thread, so the first comment holds it."""
    root = _root(feedback)
    _require_owner(actor, root.portfolio, "mark feedback as addressed")
    if addressed != (root.addressed is not None):
        root.addressed = timezone.now() if addressed else None
        root.save(update_fields=["addressed"])
    return root


def delete_feedback(*, actor, feedback: Feedback) -> None:
    """The author takes back what they wrote (with the replies to it, when it starts a thread)."""
    if not getattr(actor, "is_authenticated", False) or feedback.author_id != actor.pk:
        raise PermissionDenied("Only the person who wrote it can delete feedback.")
    feedback.delete()


@dataclass
class Thread:
    feedback: Feedback
    replies: list[Feedback]


def feedback_threads(viewer, portfolio: Portfolio, *, page=None, block=None, entry=None, limit: int = 300):
    """The feedback ``viewer`` may read, as threads (first comment and its replies, oldest first), optionally
    only those about one page, block or entry. Bounded: two queries and at most ``limit`` threads."""
    from links.discussion import render_comments

    rows = queries.visible_feedback(viewer, portfolio).select_related("author", "page", "block", "entry")
    if page is not None:
        rows = rows.filter(page=page)
    if block is not None:
        rows = rows.filter(block=block)
    if entry is not None:
        rows = rows.filter(entry=entry)
    roots = list(rows.filter(parent__isnull=True).order_by("created", "pk")[:limit])
    replies = list(rows.filter(parent__in=[root.pk for root in roots]).order_by("created", "pk"))
    render_comments(roots + replies)
    for row in roots + replies:
        row.portfolio = portfolio
    by_parent: dict[int, list[Feedback]] = {}
    for reply in replies:
        by_parent.setdefault(reply.parent_id, []).append(reply)
    return [Thread(feedback=root, replies=by_parent.get(root.pk, [])) for root in roots]


def about_label(*, page=None, block=None, entry=None) -> str:
    """What feedback is about, in words: "the portfolio", "page “Goals”", "block “Skills”"..."""
    if block is not None:
        return f"block “{block.title or block.get_kind_display().lower()}”"
    if page is not None:
        return f"page “{page.title}”"
    if entry is not None:
        return f"journal entry “{entry.title}”"
    return "the portfolio"


def feedback_about(feedback: Feedback) -> str:
    return about_label(page=feedback.page, block=feedback.block, entry=feedback.entry)


# --- submissions and snapshots ----------------------------------------------------------------------------


def can_see_submission(user, submission: Submission) -> bool:
    """Its owner, its reviewer and site admins (a snapshot holds nothing private, so admins lose nothing)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.pk in (submission.submitted_by_id, submission.reviewer_id) or is_site_admin(user)


def markdown_html(text: str) -> str:
    """Markdown as sanitised HTML, ready for a template (the wiki's renderer, nh3 inside)."""
    return queries.render_markdown(text)


DATE_KEYS = frozenset({"happened", "date", "completed"})


def _displayable_value(key: str, value):
    from wiki.markdown import sanitise

    if key == "html" and isinstance(value, str):
        return mark_safe(sanitise(value))  # noqa: S308 — sanitised just now
    if key in DATE_KEYS and isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return displayable(value)


def displayable(content):
    """A stored snapshot ready for its template: every HTML fragment sanitised again (the copy may have been
    edited in the back office since) and marked safe, dates as dates; everything else as it is."""
    if isinstance(content, dict):
        return {key: _displayable_value(key, value) for key, value in content.items()}
    if isinstance(content, list):
        return [displayable(value) for value in content]
    return content


def _shown(card) -> dict | None:
    """An item a block showed, as the copy keeps it: its title and where it was (the reader may open it)."""
    if card is None:
        return None
    return {
        "title": card.title,
        "kind": card.kind,
        "kind_label": card.kind_label,
        "url": card.url,
        "summary": card.summary,
        "owner": card.owner,
        "external_url": card.external_url,
        "domain": card.domain,
    }


def _block_snapshot(block: Block) -> dict:
    """One block as ``queries.prepare_blocks`` readied it for the reviewer, frozen."""
    out = {
        "kind": block.kind,
        "kind_label": block.get_kind_display(),
        "title": block.title,
        "html": str(block.html),
        "item": _shown(block.shown),
        "hidden": bool(block.hidden),
    }
    if block.kind == Block.Kind.REFLECTION:
        out["answers"] = [{"prompt": a.get("prompt", ""), "answer": a.get("answer", "")} for a in block.answered]
    if block.course is not None:
        enrolment = block.enrolment
        out["completion"] = {
            "course": block.course.title,
            "url": block.course.get_absolute_url(),
            "completed": enrolment.completed_at.date().isoformat() if enrolment.completed_at else "",
        }
    if block.kind == Block.Kind.GALLERY:
        out["images"] = [{**_shown(image.shown), "caption": image.caption} for image in block.images_shown]
        out["images_hidden"] = block.images_hidden
    if block.kind == Block.Kind.SKILLS:
        out["claims"] = [
            {
                "skill": claim.skill.name,
                "level": claim.level,
                "framework": claim.framework.title if claim.framework_id else "",
                "state": claim.get_state_display(),
                "statement": claim.statement,
                "endorsed_by": [e.endorser.name for e in claim.endorsements.all()],
            }
            for claim in block.claims
        ]
    if block.kind == Block.Kind.TIMELINE:
        out["timeline"] = [
            {"date": row["date"].isoformat(), "title": row["title"], "text": row["text"], "entry": bool(row["entry"])}
            for row in block.timeline
        ]
    return out


def snapshot(portfolio: Portfolio, *, reader) -> tuple[dict, int]:
    """The frozen copy of a portfolio as ``reader`` (its reviewer, never its owner) sees it now: no private
    block, no private reflection, no feedback; the items it shows as titles and links, those the reader may not
    open left as "not shared". Empty blocks (guidance only) are left out. Returns the copy and how many items
    the reader may not open."""
    if queries.is_owner(reader, portfolio):
        raise ValueError("A snapshot is what someone else sees; the owner sees private parts.")
    item = portfolio.item
    pages = queries.pages_of(portfolio)
    columns_of = {page.pk: queries.page_blocks(reader, page) for page in pages}
    entries = queries.entries_for(reader, portfolio, list(queries.journal(reader, portfolio)))
    hidden = sum(
        bool(block.hidden) + block.images_hidden
        for columns in columns_of.values()
        for column in columns
        for block in column
    ) + sum(bool(entry.hidden) for entry in entries)
    content = {
        "version": SNAPSHOT_VERSION,
        "taken": timezone.now().isoformat(),
        "portfolio": {
            "id": portfolio.pk,
            "title": item.title,
            "summary": item.summary,
            "kind": portfolio.kind,
            "kind_label": portfolio.get_kind_display(),
            "owner": item.owner.name,
        },
        "pages": [
            {
                "title": page.title,
                "slug": page.slug,
                "layout": page.layout,
                "columns": [
                    [_block_snapshot(block) for block in column if not block.empty] for column in columns_of[page.pk]
                ],
            }
            for page in pages
        ],
        "journal": [
            {
                "title": entry.title,
                "happened": entry.happened.isoformat(),
                "html": str(entry.html),
                "answers": [{"prompt": a.get("prompt", ""), "answer": a.get("answer", "")} for a in entry.reflection],
                "item": _shown(entry.shown),
                "hidden": bool(entry.hidden),
            }
            for entry in entries
        ],
    }
    return content, hidden


@dataclass
class Submitted:
    submission: Submission
    left_out: int  # items on the pages the reviewer may not open, left out of the copy


@transaction.atomic
def submit_for_review(*, actor, portfolio: Portfolio, reviewer, message: str = "") -> Submitted:
    """Freeze a copy of the portfolio and send it to ``reviewer`` for assessment."""
    _require_owner(actor, portfolio, "submit it for review")
    if reviewer is None:
        raise ValidationError("Choose who should assess it.")
    if reviewer.pk == actor.pk:
        raise ValidationError("You can't assess your own portfolio; choose an advisor or an assessor.")
    if not reviewer.is_active:
        raise ValidationError(f"{reviewer.name} no longer has an account here.")
    message = _clean_text(message, limit=MESSAGE_MAX, empty=None, noun="message")
    if Submission.objects.filter(portfolio=portfolio, reviewer=reviewer, state=Submission.State.SUBMITTED).exists():
        raise ValidationError(
            f"{reviewer.name} has not assessed your last submission of this portfolio yet; withdraw it to send a "
            "new copy."
        )
    content, left_out = snapshot(portfolio, reader=reviewer)
    submission = Submission.objects.create(
        portfolio=portfolio,
        submitted_by=actor,
        reviewer=reviewer,
        message=message,
        title=portfolio.item.title,
        content=content,
    )
    # Between the two of them: the activity points at no item, so nobody else's feed hears of it.
    record_activity(
        actor=actor,
        verb=Verb.SUBMITTED,
        target=reviewer,
        extra={"about": submission.title, "url": submission_url(submission), "submission": submission.pk},
    )
    return Submitted(submission=submission, left_out=left_out)


@transaction.atomic
def assess_submission(*, actor, submission: Submission, outcome: str, assessment: str) -> Submission:
    """The reviewer's assessment; a later one replaces it (the owner is told again)."""
    if not getattr(actor, "is_authenticated", False) or submission.reviewer_id != actor.pk:
        raise PermissionDenied("Only the reviewer it was sent to can assess it.")
    if submission.state == Submission.State.WITHDRAWN:
        raise ValidationError("The owner withdrew this submission; there is nothing to assess.")
    if outcome not in Submission.Outcome.values:
        raise ValidationError("Choose an outcome: not yet, meets the standard, or exceeds it.")
    submission.assessment = _clean_text(
        assessment, limit=ASSESSMENT_MAX, empty="Write your assessment: what you saw and why.", noun="assessment"
    )
    submission.outcome = outcome
    submission.state = Submission.State.ASSESSED
    submission.assessed_at = timezone.now()
    submission.save(update_fields=["assessment", "outcome", "state", "assessed_at"])
    record_activity(
        actor=actor,
        verb=Verb.ASSESSED,
        target=submission.submitted_by,
        extra={"about": submission.title, "url": submission_url(submission), "submission": submission.pk},
    )
    return submission


def withdraw_submission(*, actor, submission: Submission) -> Submission:
    if not getattr(actor, "is_authenticated", False) or submission.submitted_by_id != actor.pk:
        raise PermissionDenied("Only the person who submitted it can withdraw it.")
    if submission.state != Submission.State.SUBMITTED:
        raise ValidationError("Only a submission still waiting for assessment can be withdrawn.")
    submission.state = Submission.State.WITHDRAWN
    submission.save(update_fields=["state"])
    return submission


def submissions_to_assess(user):
    return (
        Submission.objects.filter(reviewer=user)
        .exclude(state=Submission.State.WITHDRAWN)
        .select_related("submitted_by")
        .defer("content")
        .order_by("-state", "-created")  # "submitted" (waiting) before "assessed"
    )


def submissions_of(user, portfolio: Portfolio | None = None):
    rows = Submission.objects.filter(submitted_by=user).select_related("reviewer").defer("content")
    if portfolio is not None:
        rows = rows.filter(portfolio=portfolio)
    return rows.order_by("-created")
