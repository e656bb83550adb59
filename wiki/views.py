"""The wiki's pages: reading, writing (with merges and conflicts), history, attribution, slides, moving content.

Views are thin: they find what the person may see (404 otherwise), check what they may change (403
otherwise), call wiki.services or wiki.transfer, and render. What a person typed is never dropped: every
refusal (a form error, a conflict, a permission lost meanwhile) renders the editor again with their text.
"""

from __future__ import annotations

import contextlib
import secrets
import tempfile
import time
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe

from core.access import can_admin, can_create_in, can_edit, get_visible_or_404, is_site_admin
from core.models import Visibility, Watch
from core.services import unwatch, watch
from lib.htmx import render_page
from lib.pagecache import cache_for_viewer
from wiki import diffing, queries, services, transfer
from wiki.forms import (
    EditForm,
    ImportForm,
    NewPageForm,
    SettingsForm,
    TemplateForm,
    spaces_to_write_in,
)
from wiki.models import Page, PageTemplate, Revision

HISTORY_PER_PAGE = 50
TREE_DEPTH_MAX = 40  # deeper levels are reached from their parent's page; keeps a pathological tree bounded
CONTRIBUTORS_SHOWN = 8
HOME_OPEN_ALL = 80  # a wiki home shows a small wiki's whole tree open, a big one's first level
HOME_OPEN_DEPTH = 1
MAX_ID = 2**63 - 1
IMPORT_SESSION_KEY = "wiki_imports"
IMPORT_FOLDER = "wiki-imports"
IMPORT_MAX_AGE = 24 * 3600  # seconds an uploaded zip waits for its confirmation


def _problem(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError):
        return exc.messages
    return [str(exc) or "You may not do that."]


def _int(value, default=None):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if abs(number) <= MAX_ID else default


# ------------------------------------------------------------------------------------------- lookups


def _page_or_404(request, pk: int) -> Page:
    if pk > MAX_ID:  # past what the database can hold: no such page (and no overflow error)
        raise Http404("Not found")
    page = queries.page_for_view(request.user, pk=pk)
    if page is None:
        raise Http404("Not found")
    return page


def _editable_page_or_404(request, pk: int) -> Page:
    page = _page_or_404(request, pk)
    if not can_edit(request.user, page.item):
        raise PermissionDenied("You cannot edit this page.")
    return page


def _space_or_404(request, slug: str):
    from spaces.models import Space

    return get_visible_or_404(request.user, Space.objects, slug=slug)


def _person_or_404(request, username: str):
    return get_visible_or_404(request.user, get_user_model().objects, username=username)


def _wiki_of(page: Page) -> dict:
    """What templates need to name and link the page's wiki."""
    if page.space_id is not None:
        return {"name": page.space.name, "url": reverse("wiki:space", args=[page.space.slug]), "space": page.space}
    owner = page.area_owner
    return {"name": f"{owner.name}'s pages", "url": reverse("wiki:personal", args=[owner.username]), "space": None}


def _base(request, page: Page, tab: str, **extra) -> dict:
    """What every view of one page shows around itself: its wiki, address, tabs and permitted actions."""
    user = request.user
    return {
        "page": page,
        "item": page.item,
        "wiki": _wiki_of(page),
        "url": queries.url_of(page),
        "can_edit": can_edit(user, page.item),
        "can_admin": can_admin(user, page.item),
        "tab": tab,
        **extra,
    }


def _tree_for(request, page: Page) -> queries.Tree:
    if page.space_id is not None:
        return queries.page_tree(request.user, space=page.space)
    return queries.page_tree(request.user, area_owner=page.area_owner)


# ----------------------------------------------------------------------------------------------- tree


def tree_html(tree: queries.Tree, *, current: int | None = None, open_depth: int = 0) -> SafeString:
    """The page tree as nested lists; branches open along the path to ``current`` (and to ``open_depth``).

    Built in Python: a two-thousand-page wiki renders its sidebar in milliseconds, where a recursive
    ``{% include %}`` takes most of a second. Past ``queries.TREE_FULL_MAX`` pages only the path to the
    current page and its neighbours are listed; the wiki's home lists everything."""
    path = {node.pk for node in tree.ancestors(current)} | {current} if current is not None else set()
    full = len(tree) <= queries.TREE_FULL_MAX or current is None
    out: list[str] = []

    def walk(nodes, depth):
        out.append('<ul role="list">' if depth else '<ul class="tree-root" role="list">')
        for node in nodes:
            link = (
                f'<a href="{escape(node.url)}"'
                + (' aria-current="page"' if node.pk == current else "")
                + f">{escape(node.title)}</a>"
            )
            expand = node.children and depth < TREE_DEPTH_MAX and (full or node.pk in path)
            if expand:
                is_open = node.pk in path or depth < open_depth
                out.append(
                    f"<li><details{' open' if is_open else ''}><summary>{link}"
                    f'<span class="tree-count" title="Pages under it">{len(node.children)}</span></summary>'
                )
                walk(node.children, depth + 1)
                out.append("</details></li>")
            elif node.children:
                out.append(
                    f'<li class="tree-closed">{link}<span class="tree-count" title="Pages under it">'
                    f"{len(node.children)}</span></li>"
                )
            else:
                out.append(f'<li class="tree-leaf">{link}</li>')
        out.append("</ul>")

    walk(tree.roots, 0)
    return mark_safe("".join(out))  # noqa: S308 - every piece of text in it went through escape()


# ------------------------------------------------------------------------------------------ page view


def _page_context(request, page: Page) -> dict:
    user = request.user
    item = page.item
    tree = _tree_for(request, page)
    people = queries.contributors(page)
    rendered = _without_title(queries.rendered_revision(page, page.current), item.title)
    top = min((h.level for h in rendered.toc), default=1)
    may_create = user.is_authenticated and can_create_in(user, page.space)
    return _base(
        request,
        page,
        "read",
        revision=page.current,
        rendered=rendered,
        toc=[(h, h.level - top) for h in rendered.toc if h.level - top < 3],
        tree=tree_html(tree, current=page.pk),
        ancestors=tree.ancestors(page.pk),
        children=tree.children(page.pk),
        contributors=people[:CONTRIBUTORS_SHOWN],
        contributor_count=len(people),
        tags=list(item.tags.all()),
        watching=user.is_authenticated and Watch.objects.filter(user=user, item=item).exists(),
        can_create=may_create,
        # A sub-page lives in the same wiki: a space's members, or the owner of a personal area.
        can_add_child=may_create and (page.space_id is not None or page.area_owner_id == user.pk),
        backlinks=queries.backlink_count(user, page),
    )


def _without_title(rendered: queries.RenderedPage, title: str) -> queries.RenderedPage:
    """Drop a first heading that only repeats the page's title, which the page shows above it already."""
    first = rendered.toc[0] if rendered.toc else None
    html = rendered.html.lstrip()
    if first is None or first.level != 1 or first.text.casefold() != title.casefold() or not html.startswith("<h1"):
        return rendered
    end = html.find("</h1>")
    return queries.RenderedPage(html=html[end + len("</h1>") :].lstrip(), toc=rendered.toc[1:])


def _show_page(request, page: Page):
    return render(request, "wiki/page.html", _page_context(request, page))


@cache_for_viewer
@require_safe
def space_page(request, space_slug: str, slug: str):
    page = queries.page_for_view(request.user, space__slug=space_slug, slug=slug)
    if page is None:
        raise Http404("Not found")
    return _show_page(request, page)


@cache_for_viewer
@require_safe
def personal_page(request, username: str, slug: str):
    page = queries.page_for_view(request.user, space__isnull=True, area_owner__username=username, slug=slug)
    if page is None:
        raise Http404("Not found")
    return _show_page(request, page)


@cache_for_viewer
def _page_item(request, item):
    page = queries.page_for_view(request.user, pk=item.pk)
    if page is None:
        raise Http404("This item has no page.")
    return _show_page(request, page)


def page_item(request, item):
    """The page at its permalink /i/<id>/, after core has checked it may be seen."""
    return _page_item(request, item)


# ------------------------------------------------------------------------------------------ wiki homes


def _recent(viewer, **where) -> list:
    items = queries.recent_changes(viewer, **where)
    for item in items:
        item.page.url = queries.url_of(item.page)
    return items


@login_required
@require_GET
def index(request):
    user = request.user
    return render(
        request,
        "wiki/index.html",
        {
            "wikis": queries.wikis_for(user),
            "recent": _recent(user),
            "own_count": queries.wiki_pages(user, area_owner=user).count(),
        },
    )


@login_required
@require_GET
def space_home(request, space_slug: str):
    user = request.user
    space = _space_or_404(request, space_slug)
    tree = queries.page_tree(user, space=space)
    moderator = can_admin(user, space)
    return render(
        request,
        "wiki/space.html",
        {
            "space": space,
            "tree": tree_html(tree, open_depth=HOME_OPEN_DEPTH if len(tree) > HOME_OPEN_ALL else TREE_DEPTH_MAX),
            "page_count": len(tree),
            "recent": _recent(user, space=space),
            "can_create": can_create_in(user, space),
            "deleted": queries.deleted_pages(space=space) if moderator else [],
            "moderator": moderator,
        },
    )


@login_required
@require_GET
def personal_home(request, username: str):
    user = request.user
    owner = _person_or_404(request, username)
    tree = queries.page_tree(user, area_owner=owner)
    mine = owner.pk == user.pk
    return render(
        request,
        "wiki/personal.html",
        {
            "owner": owner,
            "mine": mine,
            "tree": tree_html(tree, open_depth=HOME_OPEN_DEPTH if len(tree) > HOME_OPEN_ALL else TREE_DEPTH_MAX),
            "page_count": len(tree),
            "recent": _recent(user, area_owner=owner),
            "deleted": queries.deleted_pages(area_owner=owner) if mine else [],
        },
    )


# ------------------------------------------------------------------------------------------- new page


def _chosen_space(request, slug: str):
    """The space named in the address or form if the person may see it, and whether they may write in it."""
    from spaces.models import Space

    if not slug:
        return None, True
    space = Space.objects.visible_to(request.user).filter(slug=slug).first()
    if space is None:
        return None, False
    return space, can_create_in(request.user, space)


def _new_page_form(request, data, *, space, initial=None):
    spaces = spaces_to_write_in(request.user, also=space)
    tree = (
        queries.page_tree(request.user, space=space)
        if space is not None
        else queries.page_tree(request.user, area_owner=request.user)
    )
    return NewPageForm(data, user=request.user, spaces=spaces, parents=tree.flat(), initial=initial)


@login_required
@require_http_methods(["GET", "POST"])
def new_page(request):
    user = request.user
    source = request.POST if request.method == "POST" else request.GET
    requested = source.get("space", "")
    space, allowed = _chosen_space(request, requested)
    refused = None
    if requested and not allowed:
        refused = space.name if space is not None else requested
        space = None
    templates = list(PageTemplate.objects.only("pk", "name", "description"))
    status = 200
    preview = None
    if request.method == "POST":
        form = _new_page_form(request, request.POST, space=space)
        if request.POST.get("action") == "preview":
            draft = Page(space=space, area_owner=None if space else user)
            preview = queries.render_text(draft, request.POST.get("text", "")).html
        elif form.is_valid():
            data = form.cleaned_data
            parent = Page.objects.select_related("item").filter(pk=data["parent"]).first() if data["parent"] else None
            try:
                page = services.create_page(
                    author=user,
                    title=data["title"],
                    text=data["text"],
                    space=data["space"],
                    parent=parent,
                    visibility=data["visibility"],
                    tags=data["tags"],
                    shared_with=data["shared_with"],
                )
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, _problem(exc))
                status = 400
            else:
                messages.success(
                    request, f"“{page.item.title}” is written. Everyone who can see it can now edit it too."
                )
                return redirect(queries.url_of(Page.objects.select_related("space", "area_owner").get(pk=page.pk)))
        else:
            status = 400
    else:
        template = None
        template_pk = _int(request.GET.get("template"))
        if template_pk is not None:
            template = PageTemplate.objects.filter(pk=template_pk).first()
        parent_pk = _int(request.GET.get("parent"))
        initial = {
            "title": " ".join(request.GET.get("title", "").split())[: services.TITLE_MAX],
            "space": space.slug if space else "",
            "parent": parent_pk,
            "text": template.text if template else "",
            "template": template.pk if template else None,
            "visibility": Visibility.SPACE if space else Visibility.ORGANISATION,
        }
        form = _new_page_form(request, None, space=space, initial=initial)
        if parent_pk is not None and parent_pk not in {c for c, _ in form.fields["parent"].choices if c}:
            form.initial["parent"] = None
    chosen = _int(form["template"].value())
    keep = {k: source[k] for k in ("space", "parent", "title") if source.get(k)}
    starts = [{"name": "Blank page", "description": "", "pk": None}] + [
        {"name": t.name, "description": t.description, "pk": t.pk} for t in templates
    ]
    for start in starts:
        params = {**keep, "template": start["pk"]} if start["pk"] else keep
        start["href"] = reverse("wiki:new") + ("?" + urlencode(params) if params else "")
        start["current"] = start["pk"] == chosen
    context = {
        "form": form,
        "space": space,
        "refused": refused,
        "starts": starts,
        "preview": preview,
        "curator": _curator(user),
    }
    return render_page(request, "wiki/new.html", context, partial="parent_field", status=status)


# --------------------------------------------------------------------------------------------- editing


def _edit_context(request, page: Page, form, **extra) -> dict:
    return _base(request, page, "edit", form=form, **extra)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk: int):
    page = _page_or_404(request, pk)
    user = request.user
    if request.method == "GET":
        if not can_edit(user, page.item):
            raise PermissionDenied("You cannot edit this page.")
        current = Revision.objects.get(pk=page.current_id)
        form = EditForm(initial={"title": current.title, "text": current.text, "base": current.number})
        preview = queries.rendered_revision(page, current).html
        return render(request, "wiki/edit.html", _edit_context(request, page, form, preview=preview))

    form = EditForm(request.POST)
    action = request.POST.get("action", "save")
    if action == "use-mine":
        return _use_my_text(request, page)
    if not form.is_valid():
        return _editor_again(request, page, form, status=400)
    if action == "preview":
        return _editor_again(request, page, form, status=200)
    data = form.cleaned_data
    try:
        result = services.save_page(
            page=page,
            author=user,
            text=data["text"],
            base_number=data["base"],
            title=data["title"],
            summary=data["summary"],
            minor=data["minor"],
        )
    except PermissionDenied as exc:
        # Their membership may have ended while they typed: keep the text on screen so it can be copied.
        form.add_error(None, _problem(exc) + ["Your text is still below; copy it before leaving the page."])
        return _editor_again(request, page, form, status=403)
    except ValidationError as exc:
        form.add_error(None, _problem(exc))
        return _editor_again(request, page, form, status=400)
    if result.conflict is not None:
        return _conflict(request, page, form, result.conflict)
    if result.unchanged:
        messages.info(request, "Nothing changed, so no new revision was saved.")
    elif result.merged:
        names = queries.merged_meanwhile(page, base_number=data["base"], new_number=result.revision.number)
        who = ", ".join(names) if names else "someone else"
        messages.success(
            request,
            f"Saved as revision {result.revision.number}. Merged with changes {who} saved meanwhile: "
            "both your edit and theirs are in the page.",
        )
    else:
        messages.success(request, f"Saved as revision {result.revision.number}.")
    return redirect(queries.url_of(page))


def _editor_again(request, page: Page, form, *, status: int):
    text = form.data.get("text", "")
    preview = queries.render_text(page, text).html if len(text) <= services.TEXT_MAX else ""
    return render(request, "wiki/edit.html", _edit_context(request, page, form, preview=preview), status=status)


def _use_my_text(request, page: Page):
    """After a conflict, without JavaScript: put the person's own text in the editor (nothing saved)."""
    mine = request.POST.get("mine", "")
    form = EditForm(
        initial={
            "title": request.POST.get("title", ""),
            "text": mine,
            "summary": request.POST.get("summary", ""),
            "minor": request.POST.get("minor") == "on",
            "base": request.POST.get("base", ""),
        }
    )
    notice = (
        "Your own text is in the editor. Saving it replaces the changes saved meanwhile: "
        "compare with the latest revision before you do."
    )
    preview = queries.render_text(page, mine).html
    return render(request, "wiki/edit.html", _edit_context(request, page, form, preview=preview, notice=notice))


def _conflict(request, page: Page, form, conflict: services.Conflict):
    data = form.cleaned_data
    # Nothing was saved: the editor opens on the merge with markers, based on the latest revision, and
    # the person's own text stays on the screen beside it, untouched.
    resolve = EditForm(
        initial={
            "title": data["title"],
            "text": conflict.marked,
            "summary": data["summary"],
            "minor": data["minor"],
            "base": conflict.theirs.number,
        }
    )
    names = queries.merged_meanwhile(page, base_number=conflict.base.number, new_number=conflict.theirs.number + 1)
    context = _edit_context(
        request,
        page,
        resolve,
        conflict=conflict,
        meanwhile=names,
        their_changes=diffing.diff(conflict.base.text, conflict.theirs.text),
        my_changes=diffing.diff(conflict.base.text, conflict.mine),
        preview=None,
    )
    return render(request, "wiki/conflict.html", context, status=409)


@login_required
@require_GET
def file_picker(request):
    """The editor's "insert a file or image" list (htmx): files the person may see, as Markdown to insert."""
    files = queries.files_to_insert(request.user, request.GET.get("file_q", ""))
    return render(request, "wiki/partials/file_picker.html", {"files": files})


@login_required
@require_POST
def preview(request):
    """The live preview beside the editor (htmx): the text rendered as it would be on the page."""
    text = request.POST.get("text", "")
    if len(text) > services.TEXT_MAX:
        return render(request, "wiki/partials/preview.html", {"error": "The text is too long to preview."})
    page = None
    pk = _int(request.POST.get("page"))
    if pk is not None:
        page = queries.page_for_view(request.user, pk=pk)
    if page is None:
        space, allowed = _chosen_space(request, request.POST.get("space", ""))
        page = Page(space=space) if space is not None else Page(area_owner=request.user)
    rendered = queries.render_text(page, text)
    return render(request, "wiki/partials/preview.html", {"html": rendered.html, "empty": not text.strip()})


# --------------------------------------------------------------------------------------------- history


@require_safe
def page_by_id(request, pk: int):
    """/wiki/<pk>/, the stem of a page's history and tools: the page at its address in its wiki."""
    return redirect(_page_or_404(request, pk).item.get_absolute_url())


@require_GET
@cache_for_viewer
def history(request, pk: int):
    page = _page_or_404(request, pk)
    number = max(1, min(_int(request.GET.get("page"), 1), 100_000))
    rows, has_next = queries.history(page, number=number, per_page=HISTORY_PER_PAGE)
    if not rows and number > 1:
        raise Http404("No such page of history")
    current = page.current.number
    pager = {"number": number, "has_next": has_next, "has_previous": number > 1}
    return render(
        request,
        "wiki/history.html",
        _base(
            request,
            page,
            "history",
            rows=rows,
            pager=pager,
            default_from=max(current - 1, 1),
            default_to=current,
        ),
    )


def _diff_error(request, page: Page, message: str, status: int):
    return render(
        request,
        "wiki/diff.html",
        _base(request, page, "history", error=message),
        status=status,
    )


@require_GET
@cache_for_viewer
def diff(request, pk: int):
    page = _page_or_404(request, pk)
    current = page.current.number
    raw_to, raw_from = request.GET.get("to", ""), request.GET.get("from", "")
    to = _int(raw_to) if raw_to else current
    old = _int(raw_from) if raw_from else (to - 1 if to is not None else None)
    if old is None or to is None or old < 0 or to < 1:
        return _diff_error(request, page, "Choose two revisions to compare, by their numbers.", 400)
    if old > to:
        old, to = to, old
    if old == to:
        old = to - 1
    if to > current:  # revisions are numbered 1 to current without gaps
        return _diff_error(request, page, f"This page has no revision {to}; it has 1 to {current}.", 404)
    view = request.GET.get("view") if request.GET.get("view") in ("inline", "split") else "inline"
    whole = request.GET.get("context") == "all"
    revisions = queries.revision_pair(page, [n for n in (old, to) if n >= 1])
    if to not in revisions or (old >= 1 and old not in revisions):
        missing = to if to not in revisions else old
        return _diff_error(request, page, f"This page has no revision {missing}; it has 1 to {current}.", 404)
    new_rev = revisions[to]
    old_rev = revisions.get(old)
    hunks = diffing.diff(old_rev.text if old_rev else "", new_rev.text, context=None if whole else 3)
    added = sum(1 for h in hunks for line in h.lines if line.op == "insert")
    removed = sum(1 for h in hunks for line in h.lines if line.op == "delete")
    return render(
        request,
        "wiki/diff.html",
        _base(
            request,
            page,
            "history",
            old=old_rev,
            new=new_rev,
            hunks=hunks,
            view=view,
            whole=whole,
            added=added,
            removed=removed,
            title_changed=old_rev is not None and old_rev.title != new_rev.title,
            current=current,
            old_label=f"Revision {old_rev.number}" if old_rev else "Before the page existed",
            new_label=f"Revision {new_rev.number}",
            newer=to + 1 if to < current else None,
            older=old if old > 1 else None,
        ),
    )


def _revision_or_404(page: Page, number: int) -> Revision:
    revision = Revision.objects.filter(page=page, number=number).select_related("author").first()
    if revision is None:
        raise Http404("No such revision")
    return revision


@require_GET
def revision(request, pk: int, number: int):
    page = _page_or_404(request, pk)
    old = _revision_or_404(page, number)
    return render(
        request,
        "wiki/revision.html",
        _base(
            request,
            page,
            "history",
            revision=old,
            rendered=_without_title(queries.rendered_revision(page, old), old.title),
            is_current=old.pk == page.current_id,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def revert(request, pk: int, number: int):
    page = _editable_page_or_404(request, pk)
    old = _revision_or_404(page, number)
    if request.method == "POST":
        try:
            new = services.revert_page(page=page, author=request.user, number=number)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(_problem(exc)))
            return redirect("wiki:revision", pk=page.pk, number=number)
        messages.success(request, f"Revision {number} is the page again, saved as revision {new.number}.")
        return redirect(queries.url_of(page))
    return render(
        request,
        "wiki/revert.html",
        _base(request, page, "history", revision=old),
    )


# ----------------------------------------------------------------------------- attribution, slides, links


@require_GET
@cache_for_viewer
def attribution(request, pk: int):
    page = _page_or_404(request, pk)
    runs, shares, line_count = queries.attribution(page)
    return render(
        request,
        "wiki/attribution.html",
        _base(
            request,
            page,
            "attribution",
            runs=runs,
            runs_html=_attribution_html(page, runs),
            has_runs=bool(runs),
            shares=shares,
            line_count=line_count,
        ),
    )


def _attribution_html(page: Page, runs) -> SafeString:
    """The "who wrote what" list, built in Python and kept per revision and time zone.

    A long page has thousands of runs; through the template they cost half a second, and the labels
    repeat: each revision's is formatted once."""
    key = f"wiki:blame:{page.current_id}:{timezone.get_current_timezone_name()}"
    html = cache.get(key)
    if html is not None:
        return mark_safe(html)  # noqa: S308 - built below from escaped parts
    labels: dict[int, str] = {}
    parts = []
    for run in runs:
        revision = run.revision
        if revision is None:
            label = '<span class="muted">Unknown</span>'
        elif (label := labels.get(revision.number)) is None:
            created = timezone.localtime(revision.created)
            title = f"{revision.author.name} · revision {revision.number} · {date_format(created, 'j M Y, H:i')}"
            if revision.summary:
                title += f" · “{revision.summary}”"
            label = labels[revision.number] = format_html(
                '<a href="{}" title="{}"><span class="blame-name">{}</span>'
                '<span class="blame-rev">r{} · <time datetime="{}">{}</time></span></a>',
                reverse("wiki:revision", args=[page.pk, revision.number]),
                title,
                revision.author.name,
                revision.number,
                date_format(created, "c"),
                date_format(created, "j M Y"),
            )
        # Line numbers come from CSS (data-n), so copying the text copies only the text.
        lines = "".join(
            f'<span class="bl" data-n="{run.first_line + i}">{escape(line)}</span>\n'
            for i, line in enumerate(run.lines)
        )
        parts.append(
            f'<li class="blame-run author-c{run.colour}"><div class="blame-who">{label}</div>'
            f'<pre class="blame-lines">{lines}</pre></li>\n'
        )
    html = "".join(parts)
    cache.set(key, html, 24 * 3600)
    return mark_safe(html)  # noqa: S308 - every part above was escaped


@require_GET
@cache_for_viewer
def slides(request, pk: int):
    page = _page_or_404(request, pk)
    shown = queries.rendered_slides(page, page.current)
    return render(
        request,
        "wiki/slides.html",
        {"page": page, "item": page.item, "url": queries.url_of(page), "slides": shown},
    )


@require_GET
@cache_for_viewer
def links_here(request, pk: int):
    page = _page_or_404(request, pk)
    sources = queries.backlinks(request.user, page)
    for source in sources:
        source.url = queries.url_of(source)
    return render(
        request,
        "wiki/links_here.html",
        _base(request, page, "links", sources=sources),
    )


# ---------------------------------------------------------------------------------------------- export


def _download_name(page: Page, suffix: str) -> str:
    return f"{slugify(page.slug) or 'page'}{suffix}"


def _with_text(page: Page) -> Page:
    page.current = Revision.objects.get(pk=page.current_id)
    return page


@require_GET
def export_markdown(request, pk: int):
    page = _with_text(_page_or_404(request, pk))
    response = HttpResponse(transfer.export_page_markdown(page), content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_download_name(page, ".md")}"'
    return response


@require_GET
def export_html(request, pk: int):
    page = _with_text(_page_or_404(request, pk))
    resolver = queries.resolver_for(page)

    def absolute(space_slug, title):
        url, exists = resolver(space_slug, title)
        return request.build_absolute_uri(url), exists

    response = HttpResponse(transfer.export_page_html(page, resolve=absolute), content_type="text/html; charset=utf-8")
    # A download, not a page of this site: the file is read offline, away from the session here.
    response["Content-Disposition"] = f'attachment; filename="{_download_name(page, ".html")}"'
    return response


@login_required
@require_GET
def space_export(request, space_slug: str):
    space = _space_or_404(request, space_slug)
    out = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 - FileResponse closes it
    transfer.export_space_zip(space, viewer=request.user, out=out)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=f"{space.slug}-wiki.zip", content_type="application/zip")


# ---------------------------------------------------------------------------------------------- import


def _stored_imports(request) -> dict:
    return request.session.get(IMPORT_SESSION_KEY, {})


def _forget_import(request, token: str) -> None:
    """Drop an uploaded zip and its session entry, and any other of this person's zips left waiting too long."""
    stored = dict(_stored_imports(request))
    now = time.time()
    for key, entry in list(stored.items()):
        if key == token or now - entry.get("at", 0) > IMPORT_MAX_AGE:
            with contextlib.suppress(OSError):  # already gone: the goal is reached
                default_storage.delete(entry["name"])
            stored.pop(key, None)
    request.session[IMPORT_SESSION_KEY] = stored


@login_required
@require_http_methods(["GET", "POST"])
def space_import(request, space_slug: str):
    """Upload a zip, see what it would do, confirm. Nothing is written before the confirmation.

    The uploaded zip waits for the confirmation in the site's file storage (so any web process or
    machine can carry it out) under a random name that only this person's session knows. The
    confirmation plans again from that file, so it acts on the wiki as it is then, not as it was."""
    space = _space_or_404(request, space_slug)
    if not can_create_in(request.user, space):
        raise PermissionDenied("Only members of a space can import pages into it.")
    context = {"space": space}
    action = request.POST.get("action", "")
    if request.method == "POST" and action in ("confirm", "cancel"):
        token = request.POST.get("token", "")
        entry = _stored_imports(request).get(token)
        if entry is None or entry.get("space") != space.pk:
            messages.error(
                request, "That import has already been done, cancelled or has expired. Upload the zip again."
            )
            return redirect("wiki:space-import", space_slug=space.slug)
        if action == "cancel":
            _forget_import(request, token)
            messages.info(request, "The import is cancelled; nothing was written.")
            return redirect("wiki:space", space_slug=space.slug)
        try:
            with default_storage.open(entry["name"], "rb") as archive:
                plan = transfer.plan_import(archive, space=space, actor=request.user, visibility=entry["visibility"])
            report = transfer.apply_import(plan, actor=request.user)
        except (ValidationError, PermissionDenied, OSError) as exc:
            _forget_import(request, token)
            form = ImportForm()
            form.add_error(None, _problem(exc) if not isinstance(exc, OSError) else ["The uploaded zip is gone."])
            return render(request, "wiki/import.html", {**context, "form": form}, status=400)
        _forget_import(request, token)
        for created in report.created:
            created.url = queries.page_url(slug=created.slug, space_slug=space.slug)
        for updated in report.updated:
            updated.url = queries.page_url(slug=updated.slug, space_slug=space.slug)
        return render(request, "wiki/import.html", {**context, "report": report})

    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, "wiki/import.html", {**context, "form": form}, status=400)
        upload = form.cleaned_data["archive"]
        visibility = form.cleaned_data["visibility"]
        try:
            plan = transfer.plan_import(upload, space=space, actor=request.user, visibility=visibility)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error("archive", _problem(exc))
            return render(request, "wiki/import.html", {**context, "form": form}, status=400)
        token = ""
        if plan.has_work:
            token = secrets.token_urlsafe(16)
            upload.seek(0)
            name = default_storage.save(f"{IMPORT_FOLDER}/{token}.zip", upload)
            stored = dict(_stored_imports(request))
            stored[token] = {"name": name, "space": space.pk, "visibility": visibility, "at": time.time()}
            request.session[IMPORT_SESSION_KEY] = stored
        return render(
            request,
            "wiki/import.html",
            {
                **context,
                "plan": plan,
                "token": token,
                "filename": upload.name,
                "work": len(plan.created) + len(plan.updated),
            },
        )
    return render(request, "wiki/import.html", {**context, "form": ImportForm()})


# -------------------------------------------------------------------------------- settings, delete, watch


@login_required
@require_http_methods(["GET", "POST"])
def page_settings(request, pk: int):
    page = _editable_page_or_404(request, pk)
    user = request.user
    tree = _tree_for(request, page)
    excluded = tree.descendants(page.pk) | {page.pk}
    parents = [(depth, node) for depth, node in tree.flat() if node.pk not in excluded]
    admin = can_admin(user, page.item)
    status = 200
    if request.method == "POST":
        form = SettingsForm(request.POST, user=user, page=page, parents=parents, can_change_visibility=admin)
        if form.is_valid():
            data = form.cleaned_data
            parent = Page.objects.select_related("item").filter(pk=data["parent"]).first() if data["parent"] else None
            try:
                services.update_page_settings(
                    page=page,
                    actor=user,
                    parent=parent,
                    visibility=data["visibility"],
                    tags=data["tags"],
                    shared_with=data["shared_with"],
                    slug=data["slug"],
                )
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, _problem(exc))
                status = 400
            else:
                messages.success(request, "The page's settings are saved.")
                return redirect(queries.url_of(page))
        else:
            status = 400
    else:
        form = SettingsForm(user=user, page=page, parents=parents, can_change_visibility=admin)
    return render(
        request,
        "wiki/settings.html",
        _base(request, page, "settings", form=form),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def delete(request, pk: int):
    page = _page_or_404(request, pk)
    if not can_admin(request.user, page.item):
        raise PermissionDenied("Only the page's owner, a space moderator or an administrator can delete it.")
    wiki = _wiki_of(page)
    if request.method == "POST":
        services.delete_page(page=page, actor=request.user)
        messages.success(
            request, f"“{page.item.title}” is deleted. Its history is kept; it can be restored from {wiki['name']}."
        )
        return redirect(wiki["url"])
    children = Page.objects.filter(parent=page, item__deleted_at__isnull=True).count()
    return render(
        request,
        "wiki/delete.html",
        _base(request, page, "settings", children=children),
    )


@login_required
@require_POST
def restore(request, pk: int):
    page = queries.page_including_deleted(pk=pk) if pk <= MAX_ID else None
    # A deleted page is seen by no one; only those who may restore it learn that it exists.
    if page is None or not can_admin(request.user, page.item):
        raise Http404("Not found")
    if page.item.deleted_at is None:
        messages.info(request, "This page is not deleted.")
        return redirect(queries.url_of(page))
    services.restore_page(page=page, actor=request.user)
    messages.success(request, f"“{page.item.title}” is back.")
    return redirect(queries.url_of(page))


@login_required
@require_POST
def watch_toggle(request, pk: int):
    page = _page_or_404(request, pk)
    item = page.item
    watching = request.POST.get("action") == "watch"
    if watching:
        watch(user=request.user, item=item)
    else:
        unwatch(user=request.user, item=item)
    if getattr(request, "htmx", False):
        return render(request, "wiki/partials/watch.html", {"item": item, "watching": watching})
    messages.success(
        request, "You will hear about changes to this page." if watching else "You no longer watch this page."
    )
    return redirect(queries.url_of(page))


# ------------------------------------------------------------------------------------------- templates


def _curator(user) -> bool:
    return getattr(user, "role", "") == "curator" or is_site_admin(user)


def _require_curator(request) -> None:
    if not _curator(request.user):
        raise PermissionDenied("Only curators and administrators manage page templates.")


def _template_or_404(template_pk: int) -> PageTemplate:
    template = PageTemplate.objects.filter(pk=template_pk).first()
    if template is None:
        raise Http404("No such template")
    return template


@login_required
@require_GET
def template_list(request):
    return render(
        request,
        "wiki/templates.html",
        {"templates": list(PageTemplate.objects.select_related("created_by")), "curator": _curator(request.user)},
    )


def _template_form_view(request, template: PageTemplate | None):
    _require_curator(request)
    status = 200
    if request.method == "POST":
        form = TemplateForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if template is None:
                    services.create_template(actor=request.user, **data)
                else:
                    services.update_template(template=template, actor=request.user, **data)
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, _problem(exc))
                status = 400
            else:
                messages.success(request, f"The template “{data['name']}” is saved.")
                return redirect("wiki:templates")
        else:
            status = 400
    else:
        initial = (
            {"name": template.name, "description": template.description, "text": template.text} if template else {}
        )
        form = TemplateForm(initial=initial)
    return render(request, "wiki/template_form.html", {"form": form, "template": template}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def template_create(request):
    return _template_form_view(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request, template_pk: int):
    return _template_form_view(request, _template_or_404(template_pk))


@login_required
@require_POST
def template_delete(request, template_pk: int):
    template = _template_or_404(template_pk)
    _require_curator(request)
    services.delete_template(template=template, actor=request.user)
    messages.success(request, f"The template “{template.name}” is deleted. Pages made from it keep their text.")
    return redirect("wiki:templates")
