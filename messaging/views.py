"""Pages for conversations: the inbox and a thread with one person (which is also where a new one starts)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from lib.htmx import render_page
from lib.pagination import paginate
from lib.urls import reverse_one
from messaging import access, queries, services
from messaging.forms import MessageForm
from people.models import User
from people.queries import local_time, time_difference

INBOX_PAGE = 30
SIDEBAR_ROWS = 12


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return max(0, min(number, queries.MAX_ID))


def _rows(user, participants) -> list:
    """Inbox rows: the other person and whether the last message is the reader's own."""
    for part in participants:
        part.other = part.conversation.other(user)
        part.mine = part.last_sender_id == user.pk
        part.cut = len(part.preview or "") > queries.PREVIEW_CHARS
    return participants


def _open(request, username):
    """The other person and the reader's side of their conversation (None before the first message); 404 for
    yourself and for anyone you may not see, unless the two of you already have a conversation."""
    other = User.objects.filter(username=username).first()
    if other is None:
        raise Http404("Not found")
    part = queries.my_part(request.user, other)
    if not access.may_open(request.user, other, part.conversation if part else None):
        raise Http404("Not found")
    return other, part


@login_required
@require_GET
def inbox(request):
    page = paginate(queries.inbox(request.user), request, per_page=INBOX_PAGE)
    page.rows = _rows(request.user, page.rows)
    return render_page(request, "messaging/inbox.html", {"page": page}, partial="rows")


def _thread_context(request, other, part, *, form=None, before=None):
    conversation = part.conversation if part else None
    # What was unread before this visit gets a "New" marker; reading happens before the messages are fetched,
    # so nothing that arrives in between is marked read unseen.
    unread_from = part.last_read_at if part and before is None else None
    had_unread = bool(part and part.last_message_at and (not unread_from or unread_from < part.last_message_at))
    if conversation is not None and before is None:
        services.mark_read(conversation=conversation, person=request.user)
        services.note_looking(conversation=conversation, person=request.user)
    page = queries.thread(conversation, before=before)
    sidebar = _rows(request.user, list(queries.inbox(request.user)[:SIDEBAR_ROWS]))
    return {
        "other": other,
        "conversation": conversation,
        "page": page,
        "new_from": _first_new(page.messages, other, unread_from) if had_unread else None,
        "cannot_write": access.why_not_write(request.user, other, conversation),
        "form": form or MessageForm(),
        "sidebar": sidebar,
        "their_time": _their_time(other),
        "time_difference": time_difference(other, request.user),
    }


def _their_time(person) -> str:
    local = local_time(person)
    return local.strftime("%H:%M") if local else ""


def _first_new(messages, other, unread_from):
    for message in messages:
        if message.sender_id == other.pk and (unread_from is None or message.created > unread_from):
            return message.pk
    return None


@login_required
@require_http_methods(["GET", "POST"])
def thread(request, username):
    other, part = _open(request, username)
    if request.method == "POST":
        return _send(request, other, part)
    before = _int(request.GET.get("before"))
    if before is not None and request.htmx:
        conversation = part.conversation if part else None
        page = queries.thread(conversation, before=before)
        return render(request, "messaging/thread.html#older", {"other": other, "page": page})
    return render(request, "messaging/thread.html", _thread_context(request, other, part, before=before))


def _send(request, other, part):
    form = MessageForm(request.POST)
    message = None
    if form.is_valid():
        try:
            message = services.send_message(sender=request.user, recipient=other, body=form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error("body", error)
    if request.htmx:
        # The messages since the last one on screen (this one, and any that arrived meanwhile), the new
        # "last seen" marker, and the composer emptied, or kept with what went wrong.
        after = _int(request.POST.get("after"))
        part = part or queries.my_part(request.user, other)
        conversation = part.conversation if part else None
        page = queries.thread(conversation, after=after) if after is not None else queries.thread(conversation)
        context = {
            "other": other,
            "page": page,
            "after": page.last_id or after or 0,
            "form": MessageForm() if message else form,
            "oob": True,
        }
        return render(request, "messaging/thread.html#appended", context)
    if message is not None:
        return redirect(f"{reverse_one('messaging:thread', other.username)}#message-{message.pk}")
    part = part or queries.my_part(request.user, other)
    return render(request, "messaging/thread.html", _thread_context(request, other, part, form=form))


@login_required
@require_GET
def new_messages(request, username):
    """What arrived after message ``after``: the open thread asks every few seconds (htmx polling)."""
    other, part = _open(request, username)
    after = _int(request.GET.get("after")) or 0
    conversation = part.conversation if part else None
    if conversation is not None:
        services.mark_read(conversation=conversation, person=request.user)
        services.note_looking(conversation=conversation, person=request.user)
    page = queries.thread(conversation, after=after)
    if not page.messages:
        return HttpResponse(status=204)  # htmx swaps nothing
    context = {"other": other, "page": page, "after": page.last_id, "oob": False}
    return render(request, "messaging/thread.html#appended", context)
