from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from api.models import ApiToken


@login_required
def tokens(request):
    return render(request, "api/tokens.html", {"tokens": ApiToken.objects.filter(user=request.user)})
