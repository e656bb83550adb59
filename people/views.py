from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render

from core.access import get_visible_or_404
from lib.pagination import paginate
from people.models import Skill, User
from people.queries import directory as directory_query


@login_required
def directory(request):
    people = directory_query(request.user, q=request.GET.get("q", "").strip())
    return render(request, "people/directory.html", {"page": paginate(people, request, per_page=30)})


@login_required
def profile(request, username):
    person = get_visible_or_404(request.user, User.objects.select_related("site"), username=username)
    return render(request, "people/profile.html", {"person": person})


@login_required
def edit_profile(request):
    return render(request, "people/edit.html", {})


@login_required
def photo(request, username):
    person = get_visible_or_404(request.user, User.objects, username=username)
    if not person.photo_thumb:
        raise Http404
    return FileResponse(person.photo_thumb.open("rb"), content_type="image/jpeg")


@login_required
def skill(request, slug):
    obj = Skill.objects.filter(slug=slug).first()
    if obj is None:
        raise Http404
    return render(request, "people/skill.html", {"skill": obj})


@login_required
def skill_autocomplete(request):
    return HttpResponse("")


@login_required
def notification_settings(request):
    return render(request, "people/notification_settings.html", {})


@login_required
def site_settings(request):
    if not request.user.is_site_admin:
        raise Http404
    return render(request, "people/site_settings.html", {})
