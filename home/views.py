from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core import notifications as notes
from core.models import Activity, Item, SiteConfig
from home.queries import recent_activity_for
from lib.htmx import render_page
from lib.pagination import paginate
from spaces.models import Membership


def home(request):
    if not request.user.is_authenticated:
        return render(request, "home/welcome.html")
    my_spaces = (
        Membership.objects.filter(user=request.user, state=Membership.State.ACTIVE)
        .select_related("space")
        .order_by("space__name")[:12]
    )
    context = {
        "my_spaces": my_spaces,
        "activities": recent_activity_for(request.user, limit=15),
        "new_items": Item.objects.visible_to(request.user).with_cards().order_by("-created", "-pk")[:6],
        "Verb": Activity.Verb,
    }
    return render(request, "home/home.html", context)


@login_required
def notifications(request):
    if request.method == "POST":
        request.user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect("notifications")
    rows = request.user.notifications.select_related("activity__actor", "activity__item", "activity__space").order_by(
        "-created", "-pk"
    )
    page = paginate(rows, request, per_page=30)
    for note in page.rows:
        note.text = notes.describe(note)
        note.url = notes.link(note)
    return render_page(request, "home/notifications.html", {"page": page}, partial="rows")


@require_GET
def site_logo(request):
    logo = SiteConfig.load().logo
    if not logo:
        raise Http404
    return FileResponse(logo.open("rb"), content_type="image/png")
