from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.defaults import page_not_found

from core.access import get_visible_or_404
from core.forms import BrowseForm
from core.kinds import item_view
from core.models import Item
from lib.htmx import render_page
from lib.pagecache import cache_for_viewer
from lib.pagination import paginate


@never_cache
@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means not healthy
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def item(request, pk: int):
    """The permalink of every item kind: show it through the kind's own page."""
    obj = get_visible_or_404(request.user, Item.objects.select_related("owner", "space"), pk=pk)
    return item_view(obj.kind)(request, obj)


@login_required
@cache_for_viewer
def browse(request):
    from spaces.models import Space

    form = BrowseForm(request.GET)
    items = Item.objects.visible_to(request.user).with_cards().order_by("-created", "-pk")
    space = owner = None
    if form.is_valid():
        data = form.cleaned_data
        if data["space"]:
            space = Space.objects.visible_to(request.user).filter(slug=data["space"]).first()
        if data["owner"]:
            owner = get_user_model().objects.visible_to(request.user).filter(username=data["owner"]).first()
        items = items.filter_browse(kind=data["kind"], tag=data["tag"], space=space, owner=owner)
        if data["sort"] == "rating":
            from reviews.queries import by_rating

            items = by_rating(items)
        if (data["space"] and space is None) or (data["owner"] and owner is None):
            items = items.none()
    page = paginate(items, request, per_page=24)
    return render_page(
        request, "core/browse.html", {"form": form, "page": page, "space": space, "owner": owner}, partial="results"
    )


@require_GET
def minimal(request):
    """The benchmark's ceiling: the least work the stack can do for a request."""
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def bench_rows(request):
    """The benchmark's second reference: fifty rows from the ORM through a template, and nothing else.

    It lists titles without the access rule, so it answers only where WATERCOOLER_BENCH is on (bench/run).
    """
    if not settings.WATERCOOLER_BENCH:
        raise Http404("Not found")
    rows = Item.objects.only("title", "created").order_by("-created", "-pk")[:50]
    return render(request, "bench/rows.html", {"rows": rows})


def for_outsiders(view):
    """Mark a view that people without an account use (a portfolio's secret link): what it cannot find answers
    them "not found", never a sign-in page they have no account for."""
    view.for_outsiders = True
    return view


def not_found(request, exception=None):
    """A page nobody signed in may see asks them to sign in, whether or not it exists (so its existence is not
    given away): a link to the wiki pasted into a chat opens it after signing in, instead of looking dead.
    Downloads, feeds, the API and pages for outsiders keep their 404; so does everyone signed in."""
    last = request.path.rstrip("/").rsplit("/", 1)[-1]
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    if (
        request.method in ("GET", "HEAD")
        and user is not None
        and not user.is_authenticated
        and not request.path.startswith("/api/")
        and "." not in last
        and not getattr(getattr(match, "func", None), "for_outsiders", False)
        and request.accepts("text/html")
    ):
        return redirect_to_login(request.get_full_path())
    return page_not_found(request, exception)
