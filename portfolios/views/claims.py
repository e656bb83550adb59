"""Portfolio views: skill claims with their evidence, endorsements asked and given, and curators' frameworks.

Thin views over ``portfolios.claims``: find what the person may see (404 otherwise — ``claims.claim_for``),
check what they may do (403 otherwise), call a service, render. A claim's page shows its evidence as the
reader may see it; the page where an endorser answers is theirs alone.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.models import Item
from lib.pagination import paginate
from portfolios import claims, queries
from portfolios.claim_forms import (
    AskEndorsementForm,
    ClaimForm,
    DeclineForm,
    EndorseForm,
    EvidenceForm,
    FrameworkForm,
    block_choices,
    completion_choices,
)
from portfolios.models import EndorsementRequest, Framework, SkillClaim
from portfolios.sharing import names

ASKED_PAGE = 30


def _claim_or_404(request, pk: int) -> SkillClaim:
    claim = claims.claim_for(request.user, pk)
    if claim is None:
        raise Http404("Not found")
    return claim


def _own_claim_or_403(request, pk: int) -> SkillClaim:
    claim = _claim_or_404(request, pk)
    if claim.person_id != request.user.pk:
        raise PermissionDenied("Only the person who claims a skill can change the claim.")
    return claim


def _errors(exc: ValidationError | PermissionDenied) -> list[str]:
    return exc.messages if isinstance(exc, ValidationError) else [str(exc)]


# --- evidence to choose from ----------------------------------------------------------------------------------


def _ticked(source) -> dict[str, set[int]]:
    out = {}
    for name in ("item", "block", "enrolment"):
        values = set()
        for value in source.getlist(name):
            try:
                values.add(min(int(value), claims.MAX_ID))
            except (TypeError, ValueError):
                continue
        out[name] = values
    return out


def _picker(request, source, *, exclude: set | None = None) -> dict:
    """What the evidence picker offers: items matching the search (the person's newest without one), with any
    already ticked kept in the list; their portfolio blocks; their completed courses. ``exclude`` leaves out
    what is evidence already."""
    exclude = exclude or set()
    find = (source.get("find") or "").strip()[:200]
    ticked = _ticked(source)
    found = _mine_first(request, queries.find_items(request.user, find))
    missing = ticked["item"] - {item.pk for item in found}
    if missing:
        found = list(Item.objects.visible_to(request.user).filter(pk__in=missing).select_related("owner")) + found
    return {
        "find": find,
        "found": [item for item in found if ("item", item.pk) not in exclude],
        "blocks": [b for b in block_choices(request.user) if ("block", b.pk) not in exclude],
        "completions": [e for e in completion_choices(request.user) if ("enrolment", e.pk) not in exclude],
        "ticked": ticked,
    }


def _mine_first(request, found: list[Item]) -> list[Item]:
    """The person's own items first: evidence is mostly their own work, and everyone's saves of one link match."""
    return sorted(found, key=lambda item: item.owner_id != request.user.pk)


def _taken(claim: SkillClaim) -> set:
    keys = set()
    for ev in claim.evidence.all():
        keys.add(
            ("item", ev.item_id)
            if ev.item_id
            else ("block", ev.block_id)
            if ev.block_id
            else ("enrolment", ev.enrolment_id)
        )
    return keys


@login_required
@require_safe
def evidence_find(request):
    """Items to tick as evidence as the person types (an htmx fragment of the claim forms)."""
    found = _mine_first(request, queries.find_items(request.user, request.GET.get("find", "")))
    context = {"found": found, "find": request.GET.get("find", "")[:200], "ticked": {"item": set()}}
    return render(request, "portfolios/claim_found.html", context)


@login_required
@require_safe
def claim_levels(request):
    """The levels of the rubric chosen, to pick one from (an htmx fragment of the claim form)."""
    framework = None
    if request.GET.get("rubric"):
        try:
            framework = Framework.objects.filter(pk=min(int(request.GET["rubric"]), claims.MAX_ID)).first()
        except ValueError:
            framework = None
    try:
        level = int(request.GET.get("level") or 0)
    except ValueError:
        level = 0
    context = {"levels": claims.levels_of(framework), "selected_level": level, "rubric": framework}
    return render(request, "portfolios/claim_levels.html", context)


# --- my claims --------------------------------------------------------------------------------------------------


@login_required
@require_safe
def claim_list(request):
    """My claims, grouped: endorsed, claimed, drafts."""
    groups = claims.claims_by_state(request.user)
    context = {
        "groups": groups,
        "has_claims": any(rows for *_, rows in groups),
        "waiting": claims.waiting_count(request.user),
    }
    return render(request, "portfolios/claims.html", context)


def _form_page(request, form: ClaimForm, *, claim: SkillClaim | None = None, status: int = 200):
    source = form.data if form.is_bound else request.GET
    if claim is not None:
        claims.show_evidence(request.user, [claim])
    framework = form.selected_framework()
    context = {
        "form": form,
        "claim": claim,
        "levels": claims.levels_of(framework),
        "rubric": framework,
        "selected_level": form.selected_level(),
        "removing": {int(v) for v in source.getlist("remove") if str(v).isdigit()},
        **_picker(request, source, exclude=_taken(claim) if claim is not None else None),
    }
    return render(request, "portfolios/claim_form.html", context, status=status)


def _initial_from(source, fallback: dict | None = None) -> dict:
    """The form's values from the query string: the no-JavaScript "Search" and "Show its levels" buttons reload
    the form with what was typed so far."""
    if "skill" not in source and fallback is not None:
        return fallback
    return {
        "skill": source.get("skill", "")[:200],
        "rubric": source.get("rubric", ""),
        "level": source.get("level"),
        "statement": source.get("statement", ""),
        "portfolio": source.get("portfolio") or None,
        "draft": source.get("draft") == "on",
    }


@login_required
@require_http_methods(["GET", "POST"])
def claim_new(request):
    """Claim a skill: skill, rubric and level, statement, evidence; optionally shown in a portfolio."""
    if request.method == "GET":
        form = ClaimForm(user=request.user, initial=_initial_from(request.GET))
        return _form_page(request, form)
    form = ClaimForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            claim = claims.create_claim(
                person=request.user,
                skill=data["skill"],
                framework=data["rubric"],
                level=data["level"],
                statement=data["statement"],
                portfolio=data["portfolio"],
                draft=data["draft"],
                evidence=data["evidence"],
            )
        except (ValidationError, PermissionDenied) as exc:
            for message in _errors(exc):
                form.add_error(None, message)
        else:
            messages.success(
                request,
                f"You claim {claims.about(claim)}."
                + (
                    " It is a draft: only you see it."
                    if claim.state == SkillClaim.State.DRAFT
                    else " Now ask someone who knows your work to endorse it."
                ),
            )
            return redirect("portfolios:claim", pk=claim.pk)
    return _form_page(request, form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def claim_edit(request, pk: int):
    claim = _own_claim_or_403(request, pk)
    if request.method == "GET":
        initial = {
            "skill": claim.skill.name,
            "rubric": str(claim.framework_id or ""),
            "level": claim.level,
            "statement": claim.statement,
            "portfolio": claim.portfolio_id,
            "draft": claim.state == SkillClaim.State.DRAFT,
        }
        form = ClaimForm(user=request.user, claim=claim, initial=_initial_from(request.GET, initial))
        return _form_page(request, form, claim=claim)
    form = ClaimForm(request.POST, user=request.user, claim=claim)
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                claims.update_claim(
                    actor=request.user,
                    claim=claim,
                    skill=data["skill"],
                    framework=data["rubric"],
                    level=data["level"],
                    statement=data["statement"],
                    portfolio=data["portfolio"],
                    **({"draft": data["draft"]} if "draft" in form.fields else {}),
                )
                for evidence in claim.evidence.filter(pk__in=data["remove"]):
                    claims.remove_evidence(actor=request.user, evidence=evidence)
                if data["evidence"]:
                    claims.add_evidence(actor=request.user, claim=claim, choices=data["evidence"])
        except (ValidationError, PermissionDenied) as exc:
            for message in _errors(exc):
                form.add_error(None, message)
        else:
            messages.success(request, f"Saved: you claim {claims.about(claim)}.")
            return redirect("portfolios:claim", pk=claim.pk)
    claim = _own_claim_or_403(request, pk)  # what is saved, not what the failed change left in memory
    return _form_page(request, form, claim=claim, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def claim_delete(request, pk: int):
    """Withdraw a claim (after a confirmation): it goes with its evidence, requests and endorsements."""
    claim = _own_claim_or_403(request, pk)
    if request.method == "GET":
        return render(request, "portfolios/claim_delete.html", {"claim": claim, "about": claims.about(claim)})
    about = claims.about(claim)
    claims.withdraw_claim(actor=request.user, claim=claim)
    messages.success(request, f"Withdrawn: you no longer claim {about}.")
    return redirect("portfolios:claims")


def _claim_page(request, claim: SkillClaim, *, status: int = 200, evidence_form=None, ask_form=None):
    claims.show_evidence(request.user, [claim])
    mine = claim.person_id == request.user.pk
    endorsements = list(claim.endorsements.all())
    for endorsement in endorsements:
        endorsement.level_label = claims.level_name(claim.framework, endorsement.level)
    asked_me = None
    if not mine:
        asked_me = claim.endorsement_requests.filter(endorser=request.user).order_by("-created").first()
    requests = list(claims.requests_on(claim)) if mine else []
    context = {
        "claim": claim,
        "mine": mine,
        "about": claims.about(claim),
        "level_label": claims.level_name(claim.framework, claim.level),
        "levels": claims.levels_of(claim.framework),
        "rubric_name": claims.rubric_name(claim.framework),
        "endorsements": endorsements,
        "requests": requests,
        "asked_me": asked_me,
    }
    if mine:
        context["evidence_form"] = evidence_form or EvidenceForm(user=request.user)
        context["ask_form"] = ask_form or AskEndorsementForm(user=request.user)
        source = evidence_form.data if evidence_form is not None and evidence_form.is_bound else request.GET
        context.update(_picker(request, source, exclude=_taken(claim)))
    return render(request, "portfolios/claim.html", context, status=status)


@login_required
@require_safe
def claim_detail(request, pk: int):
    """A claim with its rubric, statement, evidence (as the reader may see it) and endorsements; for its owner
    also adding evidence and asking for endorsement."""
    return _claim_page(request, _claim_or_404(request, pk))


@login_required
@require_POST
def evidence_add(request, pk: int):
    claim = _own_claim_or_403(request, pk)
    form = EvidenceForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            added = claims.add_evidence(actor=request.user, claim=claim, choices=form.cleaned_data["evidence"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Added {len(added)} piece{'s' if len(added) != 1 else ''} of evidence.")
            return redirect(f"{claims.claim_url(claim)}#evidence")
    return _claim_page(request, _claim_or_404(request, pk), status=400, evidence_form=form)


@login_required
@require_POST
def evidence_remove(request, pk: int, evidence_pk: int):
    claim = _own_claim_or_403(request, pk)
    evidence = claim.evidence.filter(pk=min(evidence_pk, claims.MAX_ID)).first()
    if evidence is None:
        raise Http404("Not found")
    claims.remove_evidence(actor=request.user, evidence=evidence)
    messages.success(request, "The evidence is removed from the claim.")
    return redirect(f"{claims.claim_url(claim)}#evidence")


@login_required
@require_POST
def endorsement_ask(request, pk: int):
    """Ask advisors or peers to endorse the claim; each is notified and told which evidence they cannot see."""
    claim = _own_claim_or_403(request, pk)
    form = AskEndorsementForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            asked = claims.ask_for_endorsement(
                actor=request.user,
                claim=claim,
                endorsers=form.cleaned_data["people"],
                message=form.cleaned_data["message"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, f"Asked {names(r.endorser for r in asked)} to endorse it; they have been notified."
            )
            for asked_request in asked:
                hidden = claims.hidden_from(asked_request.endorser, claim)
                if hidden:
                    messages.info(
                        request,
                        f"{asked_request.endorser.name} cannot open {hidden} piece{'s' if hidden != 1 else ''} of the "
                        "evidence; they see it listed as not shared with them. Share it with them if it matters.",
                    )
            return redirect(f"{claims.claim_url(claim)}#endorsements")
    return _claim_page(request, _claim_or_404(request, pk), status=400, ask_form=form)


# --- endorsements asked of me ---------------------------------------------------------------------------------


@login_required
@require_safe
def endorsements(request):
    """Endorsements asked of me: those waiting first."""
    page = paginate(claims.asked_of(request.user), request, per_page=ASKED_PAGE)
    for asked in page.rows:
        asked.about = claims.about(asked.claim)
    return render(request, "portfolios/endorsements.html", {"page": page})


def _request_or_404(request, request_id: int) -> EndorsementRequest:
    found = (
        EndorsementRequest.objects.select_related("claim__person", "claim__skill", "claim__framework")
        .filter(pk=min(request_id, claims.MAX_ID))
        .first()
    )
    if found is None or request.user.pk not in (found.endorser_id, found.claim.person_id):
        raise Http404("Not found")
    return found


def _endorse_page(request, asked: EndorsementRequest, *, status: int = 200, form=None, decline_form=None):
    claim = claims.claim_for(request.user, asked.claim_id)
    if claim is None:
        raise Http404("Not found")
    claims.show_evidence(request.user, [claim])
    endorsement = claim.endorsements.filter(endorser=request.user).first() if asked.state == "endorsed" else None
    context = {
        "asked": asked,
        "claim": claim,
        "about": claims.about(claim),
        "level_label": claims.level_name(claim.framework, claim.level),
        "levels": claims.levels_of(claim.framework),
        "rubric_name": claims.rubric_name(claim.framework),
        "form": form or EndorseForm(initial={"level": claim.level}),
        "decline_form": decline_form or DeclineForm(),
        "endorsement": endorsement,
        "endorsed_label": claims.level_name(claim.framework, endorsement.level) if endorsement else "",
        "selected_level": int(form["level"].value() or 0)
        if form is not None and str(form["level"].value() or "").isdigit()
        else claim.level,
    }
    return render(request, "portfolios/endorse.html", context, status=status)


@login_required
@require_safe
def endorse_request(request, request_id: int):
    """Where the person asked reads the claim, with the evidence they may see, and endorses or declines it. The
    claimant is sent to their claim."""
    asked = _request_or_404(request, request_id)
    if asked.endorser_id != request.user.pk:
        return redirect("portfolios:claim", pk=asked.claim_id)
    return _endorse_page(request, asked)


def _answerable(request, request_id: int) -> EndorsementRequest:
    asked = _request_or_404(request, request_id)
    if asked.endorser_id != request.user.pk:
        raise PermissionDenied("You cannot endorse your own claim.")
    return asked


@login_required
@require_POST
def endorse_post(request, request_id: int):
    asked = _answerable(request, request_id)
    form = EndorseForm(request.POST)
    if form.is_valid():
        try:
            endorsement = claims.endorse(
                actor=request.user,
                request=asked,
                level=form.cleaned_data["level"],
                comment=form.cleaned_data["comment"],
            )
        except (ValidationError, PermissionDenied) as exc:
            for message in _errors(exc):
                form.add_error(None, message)
        else:
            messages.success(
                request,
                f"You endorsed {claims.about(asked.claim, endorsement.level)} for {asked.claim.person.name}; "
                "it shows on their profile.",
            )
            return redirect("portfolios:endorsements")
    return _endorse_page(request, _request_or_404(request, request_id), status=400, form=form)


@login_required
@require_POST
def decline_post(request, request_id: int):
    asked = _answerable(request, request_id)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            claims.decline(actor=request.user, request=asked, note=form.cleaned_data["note"])
        except (ValidationError, PermissionDenied) as exc:
            for message in _errors(exc):
                form.add_error(None, message)
        else:
            messages.success(request, f"You declined; {asked.claim.person.name} reads your note on their claim.")
            return redirect("portfolios:endorsements")
    return _endorse_page(request, _request_or_404(request, request_id), status=400, decline_form=form)


# --- frameworks (curators) ------------------------------------------------------------------------------------


def _require_curator(request) -> None:
    if not getattr(request.user, "is_curator", False):
        raise PermissionDenied("Only curators keep competency frameworks.")


@login_required
@require_safe
def framework_list(request):
    rows = list(claims.frameworks())
    for framework in rows:
        framework.level_rows = claims.levels_of(framework)
    return render(request, "portfolios/frameworks.html", {"frameworks": rows, "taxonomy": claims.TAXONOMY_LEVELS})


def _save_framework(request, framework: Framework | None):
    form = FrameworkForm(request.POST, framework=framework)
    if form.is_valid():
        data = form.cleaned_data
        try:
            saved = claims.save_framework(
                actor=request.user,
                framework=framework,
                title=data["title"],
                description=data["description"],
                levels=data["levels"],
                skills=data["skills"],
            )
        except (ValidationError, PermissionDenied) as exc:
            for message in _errors(exc):
                form.add_error(None, message)
        else:
            messages.success(request, f"Saved “{saved.title}”.")
            return redirect(f"{_frameworks_url()}#framework-{saved.pk}")
    return render(request, "portfolios/framework_form.html", {"form": form, "framework": framework}, status=400)


def _frameworks_url() -> str:
    from django.urls import reverse

    return reverse("portfolios:frameworks")


@login_required
@require_http_methods(["GET", "POST"])
def framework_new(request):
    _require_curator(request)
    if request.method == "GET":
        return render(request, "portfolios/framework_form.html", {"form": FrameworkForm(), "framework": None})
    return _save_framework(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def framework_edit(request, framework_pk: int):
    _require_curator(request)
    framework = Framework.objects.filter(pk=min(framework_pk, claims.MAX_ID)).first()
    if framework is None:
        raise Http404("Not found")
    if request.method == "GET":
        form = FrameworkForm(framework=framework)
        return render(request, "portfolios/framework_form.html", {"form": form, "framework": framework})
    return _save_framework(request, framework)


# /portfolios/
urlpatterns = [
    path("claims/", claim_list, name="claims"),
    path("claims/new/", claim_new, name="claim-new"),
    path("claims/find", evidence_find, name="claim-find"),
    path("claims/levels", claim_levels, name="claim-levels"),
    path("claims/<int:pk>/", claim_detail, name="claim"),
    path("claims/<int:pk>/edit/", claim_edit, name="claim-edit"),
    path("claims/<int:pk>/delete/", claim_delete, name="claim-delete"),
    path("claims/<int:pk>/evidence/", evidence_add, name="claim-evidence-add"),
    path("claims/<int:pk>/evidence/<int:evidence_pk>/remove", evidence_remove, name="claim-evidence-remove"),
    path("claims/<int:pk>/ask", endorsement_ask, name="claim-ask"),
    path("endorsements/", endorsements, name="endorsements"),
    path("endorsements/<int:request_id>/", endorse_request, name="endorse-request"),
    path("endorsements/<int:request_id>/endorse", endorse_post, name="endorse"),
    path("endorsements/<int:request_id>/decline", decline_post, name="endorse-decline"),
    path("frameworks/", framework_list, name="frameworks"),
    path("frameworks/new/", framework_new, name="framework-new"),
    path("frameworks/<int:framework_pk>/edit/", framework_edit, name="framework-edit"),
]
