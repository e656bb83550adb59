from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from core.access import get_visible_or_404
from spaces.models import Space


@login_required
def space_list(request):
    return render(request, "spaces/list.html", {"spaces": Space.objects.visible_to(request.user)[:100]})


@login_required
def space(request, slug):
    obj = get_visible_or_404(request.user, Space.objects, slug=slug)
    return render(request, "spaces/space.html", {"space": obj})
