from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_GET

from core.models import ItemKind
from lib.htmx import render_page
from lib.pagecache import cache_for_viewer
from lib.pagination import MAX_PAGE, Page
from search.backends import MAX_QUERY_LENGTH
from search.forms import SearchForm
from search.queries import MAX_OFFSET, SearchResults
from search.queries import search as run_search

PER_PAGE = 20


# Relevance pages end where search stops reading (queries.MAX_OFFSET) or where every list does.
LAST_PAGE = min(MAX_PAGE, MAX_OFFSET // PER_PAGE + 1)


def _page_number(request) -> int:
    try:
        return max(1, min(int(request.GET.get("page", 1)), LAST_PAGE))
    except (TypeError, ValueError):
        return 1


@login_required
@require_GET
@cache_for_viewer
def search(request):
    form = SearchForm(request.GET or None, user=request.user)
    number = _page_number(request)
    results, params = SearchResults(), {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {k: data[k] for k in ("kind", "item_kind", "space", "tag") if data[k]}
        results = run_search(
            request.user, data["q"], **filters, limit=PER_PAGE, offset=(number - 1) * PER_PAGE, one_per_link=True
        )
        params = {**filters, "q": data["q"]}
        if "space" in params:
            params["space"] = params["space"].slug
    has_next = results.has_next and number < LAST_PAGE
    page = Page(rows=results.results, number=number, has_next=has_next, per_page=PER_PAGE)
    context = {
        "form": form,
        "q": params.get("q", "") if form.is_valid() else request.GET.get("q", "")[:MAX_QUERY_LENGTH],
        "results": results,
        "errors": [
            f"{form.fields[name].label}: {error}" if name in form.fields else error
            for name, messages in form.errors.items()
            for error in messages
        ],
        "page": page,
        "filtered": any(params.get(k) for k in ("kind", "item_kind", "space", "tag")),
        "tabs": _tabs(params),
        "everywhere": _query(params, kind="", item_kind="", space="", tag=""),
        "first": (number - 1) * PER_PAGE + 1,
        "last": (number - 1) * PER_PAGE + len(page.rows),
        "first_page": _query(params, page=1),
        "previous": _query(params, page=number - 1) if page.has_previous else "",
        "next": _query(params, page=number + 1) if page.has_next else "",
    }
    return render_page(request, "search/search.html", context, partial="results")


def _query(params: dict, **changes) -> str:
    merged = {**params, **changes}
    return "?" + urlencode({k: v for k, v in merged.items() if v and not (k == "page" and v == 1)})


def _tabs(params: dict) -> list[dict]:
    """Everything, people, spaces, all items, then each kind of item, each a link keeping the words."""
    current = (params.get("kind", "") or ("item" if params.get("item_kind") else ""), params.get("item_kind", ""))
    tabs = [("Everything", "", ""), ("People", "person", ""), ("Spaces", "space", ""), ("All items", "item", "")]
    tabs += [(f"{label}s", "item", value) for value, label in ItemKind.choices]
    result = []
    for label, kind, item_kind in tabs:
        changes = {"kind": kind, "item_kind": item_kind, "page": 1}
        if kind in ("person", "space"):
            changes |= {"space": "", "tag": ""}  # those filters narrow items only
        result.append({"label": label, "query": _query(params, **changes), "current": (kind, item_kind) == current})
    return result
