from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from api.forms import TokenForm
from api.models import ApiToken
from api.services import create_token, revoke_token
from lib.pagination import paginate


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    """List your tokens and make new ones. A new secret is shown in this response only: it is never stored."""
    form = TokenForm(request.POST or None)
    created = secret = None
    if request.method == "POST" and form.is_valid():
        try:
            created, secret = create_token(user=request.user, name=form.cleaned_data["name"])
        except ValidationError as exc:
            form.add_error("name", exc)
        else:
            form = TokenForm()
    page = paginate(ApiToken.objects.filter(user=request.user).order_by("-created", "-pk"), request, per_page=50)
    context = {"form": form, "page": page, "created": created, "secret": secret}
    return render(request, "api/tokens.html", context)


@login_required
@require_POST
def revoke(request, pk: int):
    token = ApiToken.objects.filter(user=request.user, pk=pk).first()
    if token is None:
        raise Http404("Not found")
    revoke_token(token=token)
    messages.success(request, f"The token “{token.name}” is revoked; it no longer works.")
    return redirect("settings:tokens")
