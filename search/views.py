from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def search(request):
    return render(request, "search/search.html", {"q": request.GET.get("q", "")})
