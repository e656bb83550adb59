import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import notifications as notes
from core.models import Activity, Item, SiteConfig
from home.forms import NotificationSettingsForm
from home.queries import notifications_for, recent_activity_for
from home.services import mark_all_notifications_read, mark_notification_read, set_notification_preferences
from lib.htmx import render_page
from lib.pagecache import cache_for_viewer
from lib.pagination import paginate
from spaces.models import Membership

LOGO_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}


@cache_for_viewer
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


def _notification_page(request):
    page = paginate(notifications_for(request.user), request, per_page=30)
    for note in page.rows:
        note.text = notes.describe(note)
    return page


@login_required
@require_GET
def notifications(request):
    return render_page(request, "home/notifications.html", {"page": _notification_page(request)}, partial="rows")


@login_required
@require_POST
def mark_all_read(request):
    count = mark_all_notifications_read(user=request.user)
    if request.htmx:
        return render(request, "home/notifications.html#rows", {"page": _notification_page(request)})
    if count:
        messages.success(request, f"Marked {count} notification{'' if count == 1 else 's'} as read.")
    return redirect("notifications")


@login_required
@require_GET
def open_notification(request, pk: int):
    """Opening a notification marks it read and goes to what it is about."""
    note = notifications_for(request.user).filter(pk=pk).first()
    if note is None:
        raise Http404("Not found")
    mark_notification_read(notification=note)
    return redirect(notes.link(note))


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request):
    form = NotificationSettingsForm(request.POST or None, current=notes.preferences_of(request.user))
    if request.method == "POST" and form.is_valid():
        set_notification_preferences(user=request.user, channels=form.cleaned_data)
        messages.success(request, "Your notification settings are saved.")
        return redirect("settings:notifications")
    return render(request, "home/notification_settings.html", {"form": form})


@require_GET
def site_logo(request):
    logo = SiteConfig.load().logo
    content_type = mimetypes.guess_type(logo.name)[0] if logo else None
    # Only raster images: an uploaded SVG served from our own origin could run script.
    if content_type not in LOGO_TYPES:
        raise Http404
    return FileResponse(logo.open("rb"), content_type=content_type)
