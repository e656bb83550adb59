from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from core.access import can_admin, can_view, get_visible_or_404, is_guest, is_site_admin
from core.models import Watch
from core.services import unwatch, watch
from lib.htmx import render_page
from lib.pagecache import cache_for_viewer
from lib.pagination import paginate
from people.models import User
from spaces import queries, services
from spaces.forms import InviteForm, RoleForm, SpaceFilterForm, SpaceForm
from spaces.models import Membership, Space


def _space_or_404(request, slug) -> Space:
    return get_visible_or_404(request.user, Space.objects, slug=slug)


def _person_or_404(request, username) -> User:
    return get_visible_or_404(request.user, User.objects, username=username)


def _problem(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or "You may not do that."


def _back(request, space: Space, default: str):
    # Leaving or declining an invite-only space hides it, so its page would now be a 404.
    if not can_view(request.user, space):
        return redirect("spaces:list")
    return redirect(default)


@login_required
def space_list(request):
    form = SpaceFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    spaces = queries.space_list(
        request.user, q=data.get("q", "").strip(), kind=data.get("kind", ""), mine=data.get("mine", False)
    )
    context = {
        "form": form,
        "page": paginate(spaces, request, per_page=24),
        "invitations": queries.pending_invitations_for(request.user),
        "can_create": not is_guest(request.user),
    }
    return render_page(request, "spaces/list.html", context, partial="results")


@login_required
def create(request):
    if is_guest(request.user):
        raise PermissionDenied("Guests cannot create spaces.")
    form = SpaceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            space = services.create_space(
                creator=request.user,
                name=data["name"],
                slug=data["slug"],
                kind=data["kind"],
                description=data["description"],
                visibility=data["visibility"],
                cover=data["cover"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"{space.name} is ready. Invite people from its members page.")
            return redirect(space)
    return render(request, "spaces/form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def edit(request, slug):
    space = _space_or_404(request, slug)
    if not can_admin(request.user, space):
        raise PermissionDenied("Only the space's owners and moderators may change it.")
    form = SpaceForm.for_space(space, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_space(
                editor=request.user,
                space=space,
                name=data["name"],
                slug=data["slug"],
                kind=data["kind"],
                description=data["description"],
                visibility=data["visibility"],
                cover=data["cover"],
                remove_cover=data["remove_cover"],
            )
        except ValidationError as exc:
            space.refresh_from_db()
            form.add_error(None, exc)
        else:
            messages.success(request, "Saved.")
            return redirect(space)
    return render(request, "spaces/form.html", {"form": form, "space": space}, status=400 if form.errors else 200)


@login_required
@require_GET
def cover(request, slug):
    space = _space_or_404(request, slug)
    if not space.cover:
        raise Http404("No cover")
    response = FileResponse(space.cover.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@cache_for_viewer
def space(request, slug):
    space = _space_or_404(request, slug)
    is_admin = can_admin(request.user, space)
    context = {
        "space": space,
        "membership": queries.membership_of(request.user, space),
        "is_admin": is_admin,
        "watching": Watch.objects.filter(user=request.user, space=space).exists(),
        "page": paginate(queries.space_items(request.user, space), request, per_page=24),
        "activities": queries.space_activity(request.user, space),
        "members": queries.members(request.user, space)[:12],
        "pending_requests": (
            Membership.objects.filter(space=space, state=Membership.State.REQUESTED).count() if is_admin else 0
        ),
    }
    return render_page(request, "spaces/space.html", context, partial="items")


def _membership_action(request, slug, action, done: str | Callable[[Membership, Space], str]):
    space = _space_or_404(request, slug)
    try:
        result = action(user=request.user, space=space)
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, _problem(exc))
    else:
        messages.success(request, done if isinstance(done, str) else done(result, space))
    return _back(request, space, space.get_absolute_url())


def _joined_message(membership, space):
    if membership.state == Membership.State.REQUESTED:
        return f"You asked to join {space.name}. Its owners will let you know."
    return f"Welcome to {space.name}."


@login_required
@require_POST
def join(request, slug):
    return _membership_action(request, slug, services.join_space, _joined_message)


@login_required
@require_POST
def leave(request, slug):
    return _membership_action(request, slug, services.leave_space, "Done: you are no longer in this space.")


@login_required
@require_POST
def accept_invitation(request, slug):
    return _membership_action(request, slug, services.accept_invitation, _joined_message)


@login_required
@require_POST
def decline_invitation(request, slug):
    return _membership_action(request, slug, services.decline_invitation, "Invitation declined.")


@login_required
@require_POST
def watch_toggle(request, slug):
    space = _space_or_404(request, slug)
    watching = request.POST.get("watch") == "1"
    if watching:
        watch(user=request.user, space=space)
    else:
        unwatch(user=request.user, space=space)
    if request.htmx:
        return render(request, "spaces/space.html#watch", {"space": space, "watching": watching})
    messages.success(request, f"You are {'now' if watching else 'no longer'} watching {space.name}.")
    return _back(request, space, space.get_absolute_url())


# Members


def _members_context(request, space, *, invite_form=None):
    is_admin = can_admin(request.user, space)
    membership = queries.membership_of(request.user, space)
    i_own = membership is not None and membership.state == "active" and membership.role == Membership.Role.OWNER
    context = {
        "space": space,
        "is_admin": is_admin,
        "can_manage_owners": is_site_admin(request.user) or i_own,
        "membership": membership,
        "page": paginate(queries.members(request.user, space), request, per_page=50),
        "roles": Membership.Role.choices,
    }
    if is_admin:
        context["requests"] = queries.members(request.user, space, state=Membership.State.REQUESTED)[:100]
        context["invitations"] = queries.members(request.user, space, state=Membership.State.INVITED)[:100]
        context["invite_form"] = invite_form or InviteForm(viewer=request.user)
    return context


@login_required
@require_GET
def members(request, slug):
    space = _space_or_404(request, slug)
    return render_page(request, "spaces/members.html", _members_context(request, space), partial="member-list")


@login_required
@require_POST
def invite(request, slug):
    space = _space_or_404(request, slug)
    if not can_admin(request.user, space):
        raise PermissionDenied("Only the space's owners and moderators may invite people.")
    form = InviteForm(request.POST, viewer=request.user)
    if form.is_valid():
        try:
            if form.person is not None:
                services.invite_to_space(inviter=request.user, space=space, user=form.person)
                done = f"{form.person.name} is invited."
            else:
                services.invite_by_email(
                    inviter=request.user, space=space, email=form.email, role=form.cleaned_data["role"]
                )
                done = f"An invitation to sign up is on its way to {form.email}."
        except (PermissionDenied, ValidationError) as exc:
            form.add_error("who", _problem(exc))
        else:
            messages.success(request, done)
            return redirect("spaces:members", space.slug)
    context = _members_context(request, space, invite_form=form)
    return render(request, "spaces/members.html", context, status=400)


@login_required
@require_GET
def suggest(request, slug):
    """Names for the invite box's datalist, as the admin types."""
    space = _space_or_404(request, slug)
    if not can_admin(request.user, space):
        raise PermissionDenied
    people = queries.person_suggestions(request.user, request.GET.get("who", ""))
    return render(request, "spaces/members.html#suggestions", {"suggestions": people})


def _member_action(request, slug, username, run, done: str):
    space = _space_or_404(request, slug)
    person = _person_or_404(request, username)
    try:
        run(space=space, person=person)
    except ValidationError as exc:
        messages.error(request, _problem(exc))
    else:
        messages.success(request, done.format(name=person.name))
    # A PermissionDenied goes up as a 403: only someone crafting the request by hand gets there,
    # as the buttons are shown to the space's admins only.
    return _back(request, space, reverse("spaces:members", args=[space.slug]))


@login_required
@require_POST
def approve(request, slug, username):
    def run(space, person):
        services.approve_request(approver=request.user, space=space, user=person)

    return _member_action(request, slug, username, run, "{name} is now a member.")


@login_required
@require_POST
def decline(request, slug, username):
    def run(space, person):
        services.decline_request(decliner=request.user, space=space, user=person)

    return _member_action(request, slug, username, run, "You declined {name}'s request.")


@login_required
@require_POST
def set_role(request, slug, username):
    form = RoleForm(request.POST)

    def run(space, person):
        if not form.is_valid():
            raise ValidationError("Choose owner, moderator or member.")
        services.set_member_role(actor=request.user, space=space, user=person, role=form.cleaned_data["role"])

    return _member_action(request, slug, username, run, "{name}'s role is changed.")


@login_required
@require_POST
def remove(request, slug, username):
    def run(space, person):
        services.remove_member(actor=request.user, space=space, user=person)

    return _member_action(request, slug, username, run, "{name} is no longer in this space.")
