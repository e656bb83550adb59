import secrets
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.access import get_visible_or_404, is_guest, is_site_admin
from core.models import Item, SiteConfig
from lib.htmx import render_page
from lib.pagecache import cache_for_viewer
from lib.pagination import paginate
from people import queries, services
from people.forms import (
    DirectoryForm,
    InviteForm,
    ProfileForm,
    SiteSettingsForm,
    SkillAddForm,
    SkillImportForm,
)
from people.languages import language_name
from people.models import Invitation, PersonSkill, Skill, User
from people.skill_import import MAX_FILE_BYTES, parse_skills_file, plan_skill_import

IMPORT_SESSION_KEY = "skill_import"
IMPORT_DIR = "imports/skills"


@login_required
@cache_for_viewer
def directory(request):
    choices = queries.directory_choices(request.user)
    form = DirectoryForm(request.GET or None, **choices)
    skill = None
    expert_search = False
    if form.is_bound and not form.is_valid():
        people = User.objects.none()
    else:
        data = form.cleaned_data if form.is_bound else {}
        skill = data.get("skill")
        direction = data.get("direction", "")
        expert_search = skill is not None and direction == PersonSkill.Direction.TEACHES
        people = queries.directory(
            request.user,
            q=data.get("q", "").strip(),
            skill=skill,
            direction=direction,
            location=data.get("location", "").strip(),
            department=data.get("department", ""),
            time_zone=data.get("time_zone", ""),
            site=data.get("site"),
        )
    context = {
        "form": form,
        "page": paginate(people, request, per_page=24),
        "skill": skill,
        "expert_search": expert_search,
        "filtered": form.is_bound and any(v for k, v in request.GET.items() if k != "page"),
    }
    return render_page(request, "people/directory.html", context, partial="results")


@login_required
@cache_for_viewer
def profile(request, username):
    person = get_visible_or_404(request.user, User.objects.select_related("site"), username=username)
    items = Item.objects.visible_to(request.user).filter(owner=person).with_cards().order_by("-created", "-pk")
    skill_groups = queries.profile_skills(person)
    context = {
        "person": person,
        "is_me": person.pk == request.user.pk,
        "skill_groups": skill_groups,
        "has_skills": any(rows for _, _, rows in skill_groups),
        "spaces": queries.person_spaces(request.user, person)[:24],
        "items": items[:6],
        "local_time": queries.local_time(person),
        "time_difference": queries.time_difference(person, request.user),
        "languages": [language_name(code) for code in person.languages or []],
    }
    return render(request, "people/profile.html", context)


def _edit_context(request, *, form=None, skill_form=None):
    person = request.user
    return {
        "person": person,
        "form": form or ProfileForm.for_person(person),
        "skill_form": skill_form or SkillAddForm(),
        "skill_groups": queries.profile_skills(person),
    }


# Errors the profile services raise, by code, and the field each belongs to.
PROFILE_ERROR_FIELDS = {"time_zone": "time_zone", "language": "languages"}


@login_required
def edit_profile(request):
    person = request.user
    if request.method != "POST":
        # A skill page's "Add to my profile" link names the skill to add.
        skill_form = SkillAddForm(initial={"skill": request.GET.get("skill", "")[:200]})
        return render(request, "people/edit.html", _edit_context(request, skill_form=skill_form))
    form = ProfileForm.for_person(person, request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        stage = "profile"
        try:
            with transaction.atomic():
                services.update_profile(
                    person=person,
                    display_name=data["display_name"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    job_title=data["job_title"],
                    department=data["department"],
                    site=data["site"],
                    location=data["location"],
                    time_zone=data["time_zone"],
                    languages=data["languages"],
                    bio=data["bio"],
                    interests=data["interests"],
                )
                stage = "photo"
                if data["photo"]:
                    services.set_photo(person=person, upload=data["photo"])
                elif data["remove_photo"]:
                    services.clear_photo(person=person)
        except ValidationError as exc:
            person.refresh_from_db()
            if hasattr(exc, "error_dict"):
                form.add_error(None, exc)
            else:
                form.add_error("photo" if stage == "photo" else PROFILE_ERROR_FIELDS.get(exc.code), exc)
        else:
            messages.success(request, "Your profile is saved.")
            return redirect(person)
    return render(request, "people/edit.html", _edit_context(request, form=form))


def _skills_response(request, *, skill_form=None):
    """The skills editor again: only its fragment for htmx, else back to the edit page."""
    if request.htmx or skill_form is not None:
        ctx = _edit_context(request, skill_form=skill_form)
        return render_page(request, "people/edit.html", ctx, partial="skills")
    return redirect(reverse("people:edit") + "#skills")


@login_required
@require_POST
def skill_add(request):
    form = SkillAddForm(request.POST)
    if not form.is_valid():
        return _skills_response(request, skill_form=form)
    data = form.cleaned_data
    services.add_person_skill(
        person=request.user, skill=data["skill"], direction=data["direction"], level=data["level"]
    )
    if not request.htmx:
        messages.success(request, f"{data['skill'].name} is on your profile.")
    return _skills_response(request)


@login_required
@require_POST
def skill_remove(request, pk):
    person_skill = get_object_or_404(PersonSkill.objects.select_related("skill"), pk=pk, person=request.user)
    services.remove_person_skill(person=request.user, person_skill=person_skill)
    if not request.htmx:
        messages.success(request, f"{person_skill.skill.name} is off your profile.")
    return _skills_response(request)


@login_required
def photo(request, username):
    person = get_visible_or_404(request.user, User.objects, username=username)
    if not person.photo_thumb:
        raise Http404
    response = FileResponse(person.photo_thumb.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
def skills(request):
    q = request.GET.get("q", "").strip()[:200]
    if q:
        rows = Skill.objects.matching(q).select_related("parent")
    else:
        rows = Skill.objects.filter(parent__isnull=True).order_by("name")
    rows = rows.annotate(narrower=Count("children"))
    context = {"q": q, "page": paginate(rows, request, per_page=50), "can_import": request.user.is_curator}
    return render_page(request, "people/skills.html", context, partial="results")


@login_required
def skill(request, slug):
    obj = get_object_or_404(Skill.objects.select_related("parent"), slug=slug)
    context = {
        "skill": obj,
        "ancestors": queries.skill_ancestors(obj),
        "narrower": obj.children.annotate(narrower=Count("children")).order_by("name")[:100],
        "narrower_count": obj.children.count(),
        "experts": queries.experts(request.user, obj)[:12],
        "learners": queries.learners(request.user, obj)[:12],
    }
    return render(request, "people/skill.html", context)


@login_required
def skill_autocomplete(request):
    text = (request.GET.get("q") or request.GET.get("skill") or "")[:200]
    return render(request, "people/partials/skill_options.html", {"skills": Skill.objects.suggestions(text)})


def _pending_import(request, token: str) -> str | None:
    pending = request.session.get(IMPORT_SESSION_KEY) or {}
    return pending.get("name") if token and pending.get("token") == token else None


def _forget_import(request) -> None:
    pending = request.session.pop(IMPORT_SESSION_KEY, None) or {}
    if pending.get("name"):
        default_storage.delete(pending["name"])


def _sweep_abandoned_imports() -> None:
    """Delete uploads whose preview was never confirmed or cancelled (the session ended first)."""
    cutoff = timezone.now() - timedelta(days=1)
    try:
        _, names = default_storage.listdir(IMPORT_DIR)
        for name in names:
            path = f"{IMPORT_DIR}/{name}"
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
    except (FileNotFoundError, NotImplementedError):
        pass


@login_required
def skill_import(request):
    if not request.user.is_curator:
        raise Http404
    if request.method == "POST" and ("confirm" in request.POST or "cancel" in request.POST):
        name = _pending_import(request, request.POST.get("token", ""))
        if name is None or not default_storage.exists(name):
            messages.error(request, "That upload is no longer waiting. Upload the file again.")
            return redirect("people:skill-import")
        if "cancel" in request.POST:
            _forget_import(request)
            messages.info(request, "The import was cancelled; nothing changed.")
            return redirect("people:skill-import")
        with default_storage.open(name, "rb") as fh:
            data = fh.read()
        _forget_import(request)
        try:
            report = services.import_skills(data=data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("people:skill-import")
        return render(request, "people/skill_import.html", {"report": report, "form": SkillImportForm()})

    form = SkillImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > MAX_FILE_BYTES:
                raise ValidationError(f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.")
            data = upload.read()
            plan = plan_skill_import(parse_skills_file(data))
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            _forget_import(request)
            _sweep_abandoned_imports()
            token = secrets.token_urlsafe(16)
            name = default_storage.save(f"{IMPORT_DIR}/{token}.csv", ContentFile(data))
            request.session[IMPORT_SESSION_KEY] = {"token": token, "name": name, "filename": upload.name[:200]}
            return render(request, "people/skill_import.html", {"plan": plan, "token": token, "filename": upload.name})
    return render(request, "people/skill_import.html", {"form": form})


def accept_invite(request, token):
    """The link in an invitation e-mail: sign up (new people) or join the space (signed-in people)."""
    from allauth.account.adapter import get_adapter

    invitation = queries.pending_invitation(token)
    if invitation is None:
        return render(request, "people/invitation.html", {"invalid": True}, status=404)
    if not request.user.is_authenticated:
        request.session["invitation_token"] = token
        # The address the invitation reached is proven, so allauth need not verify it again.
        get_adapter(request).stash_verified_email(request, invitation.email)
        return redirect("account_signup")
    same_person = request.user.email.lower() == invitation.email.lower()
    if request.method == "POST" and same_person:
        try:
            services.accept_invitation(invitation=invitation, user=request.user, new_account=False)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("home")
        if invitation.space_id:
            messages.success(request, f"You joined {invitation.space.name}.")
            return redirect(invitation.space)
        return redirect("home")
    return render(request, "people/invitation.html", {"invitation": invitation, "same_person": same_person})


@login_required
def invite_new(request):
    if is_guest(request.user):
        raise Http404
    form = InviteForm(request.POST or None, inviter=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.invite_person(inviter=request.user, email=data["email"], role=data["role"], space=data["space"])
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, f"Invitation sent to {data['email']}.")
            return redirect("people:invite-new")
    sent = Invitation.objects.filter(invited_by=request.user).select_related("space").order_by("-created")[:20]
    return render(request, "people/invite.html", {"form": form, "sent": sent})


# Errors the site settings service raises, by code, and the field each belongs to.
SITE_ERROR_FIELDS = {
    "name": "name",
    "accent_colour": "accent_colour",
    "signup_mode": "signup_mode",
    "domain": "allowed_domains",
    "domains": "allowed_domains",
}


@login_required
def site_settings(request):
    if not is_site_admin(request.user):
        raise Http404
    config = SiteConfig.load()
    if request.method != "POST":
        return render(request, "people/site_settings.html", {"form": SiteSettingsForm.for_config(config)})
    form = SiteSettingsForm.for_config(config, request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.update_site_settings(
                actor=request.user,
                name=data["name"],
                accent_colour=data["accent_colour"],
                signup_mode=data["signup_mode"],
                allowed_domains=data["allowed_domains"],
                public_web=data["public_web"],
                logo=data["logo"] or None,
                remove_logo=data["remove_logo"],
            )
        except ValidationError as exc:
            form.add_error(SITE_ERROR_FIELDS.get(exc.code, "logo"), exc)
        else:
            messages.success(request, "The site settings are saved.")
            return redirect("settings:site")
    return render(request, "people/site_settings.html", {"form": form})
