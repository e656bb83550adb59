"""Skill claims through the API: claims and their evidence, endorsement requests (asking, the requests asked of
me, endorsing, declining) and curators' frameworks. The same services as the pages (``portfolios.claims``).

Paths are relative to where the router is mounted (``/api/portfolios/``). A claim you may not see answers 404
(``claims.can_view_claim``); one you see but do not own answers 403 where only its owner may act. Evidence is
shown as the caller may see it: what they cannot open is listed with ``shared: false`` and no title or note.
Who was asked and what they answered is for the claim's owner only.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from ninja import Field, Router, Schema, Status

from core.forms import people_named
from core.models import Item
from people.queries import resolve_skill
from portfolios import claims
from portfolios.models import Block, EndorsementRequest, Framework, Portfolio, SkillClaim

router = Router(tags=["portfolios"])

MAX_ID = claims.MAX_ID
LISTED_MAX = 200
StateIn = SkillClaim.State
RequestStateIn = EndorsementRequest.State


class ErrorOut(Schema):
    detail: str


REFUSALS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


# --- schemas ---------------------------------------------------------------------------------------------------


class SkillOut(Schema):
    slug: str
    name: str


class LevelOut(Schema):
    level: int
    name: str
    descriptor: str


class LevelIn(Schema):
    name: str = Field(max_length=claims.LEVEL_NAME_MAX)
    descriptor: str = Field(max_length=claims.DESCRIPTOR_MAX)


class FrameworkOut(Schema):
    id: int
    title: str
    description: str
    levels: list[LevelOut]
    skills: list[SkillOut] = Field(description="The skills it is for; empty: any skill.")


class FrameworkIn(Schema):
    title: str = Field(max_length=claims.TITLE_MAX)
    description: str = Field("", max_length=claims.DESCRIPTION_MAX)
    levels: list[LevelIn] = Field(description="Lowest first, two to ten.")
    skills: list[str] = Field(default_factory=list, description="Skill slugs or names; empty: any skill.")


class FrameworkPatch(Schema):
    title: str | None = Field(None, max_length=claims.TITLE_MAX)
    description: str | None = Field(None, max_length=claims.DESCRIPTION_MAX)
    levels: list[LevelIn] | None = None
    skills: list[str] | None = None


class EvidenceIn(Schema):
    item: int | None = Field(None, description="An item you can see.")
    block: int | None = Field(None, description="A block of one of your portfolios.")
    completion: int | None = Field(None, description="A course you completed: the enrolment's id.")
    note: str = Field("", max_length=claims.NOTE_MAX)


class EvidenceOut(Schema):
    id: int
    kind: str = Field(description="item, block or completion")
    shared: bool = Field(description="False: it is not shared with you, and its title and note are left out.")
    title: str
    url: str
    label: str
    context: str
    note: str


class EndorsementOut(Schema):
    endorser: str = Field(description="The endorser's username.")
    endorser_name: str
    level: int
    level_name: str
    comment: str
    created: datetime


class RequestOut(Schema):
    id: int
    claim: int
    endorser: str = Field(description="The username of the person asked.")
    message: str
    state: RequestStateIn
    response: str = Field(description="The endorser's comment, or their note when they declined.")
    created: datetime
    responded: datetime | None
    answer_url: str = Field(description="The page where the person asked answers.")


class ClaimOut(Schema):
    id: int
    person: str = Field(description="The claimant's username.")
    skill: SkillOut
    framework: int | None = Field(description="The framework's id; null: the taxonomy's levels.")
    rubric: str
    level: int
    level_name: str
    statement: str
    state: StateIn
    portfolio: int | None
    created: datetime
    updated: datetime
    endorsed_at: datetime | None
    url: str
    evidence: list[EvidenceOut]
    endorsements: list[EndorsementOut]
    requests: list[RequestOut] = Field(description="Who was asked and what they answered: for the owner only.")


class ClaimIn(Schema):
    skill: str = Field(max_length=200, description="A skill's slug or name in the taxonomy.")
    level: int
    framework: int | None = Field(None, description="A framework's id; null: the taxonomy's levels.")
    statement: str = Field("", max_length=claims.STATEMENT_MAX)
    portfolio: int | None = Field(None, description="One of your portfolios whose skills block lists the claim.")
    draft: bool = Field(False, description="A draft is seen by you only.")
    evidence: list[EvidenceIn] = Field(default_factory=list, max_length=claims.EVIDENCE_MAX)


class ClaimPatch(Schema):
    skill: str | None = Field(None, max_length=200)
    framework: int | None = Field(None, description="Give null to use the taxonomy's levels; leave out to keep.")
    level: int | None = None
    statement: str | None = Field(None, max_length=claims.STATEMENT_MAX)
    portfolio: int | None = Field(None, description="Give null to show it in no portfolio; leave out to keep.")
    draft: bool | None = None


class AskIn(Schema):
    endorsers: list[str] = Field(description="Usernames of advisors or peers.", max_length=claims.ASKED_AT_ONCE_MAX)
    message: str = Field("", max_length=claims.MESSAGE_MAX)


class AskedOut(Schema):
    requests: list[RequestOut]
    not_shared: dict[str, int] = Field(
        description="For each person asked, how many pieces of evidence they cannot open."
    )


class AskedOfMeOut(RequestOut):
    claimant: str
    claimant_name: str
    skill: SkillOut
    level: int
    level_name: str
    about: str


class AskedOfMeDetailOut(AskedOfMeOut):
    claim_detail: ClaimOut


class EndorseIn(Schema):
    level: int = Field(description="The level you judge, of the claim's rubric.")
    comment: str = Field("", max_length=claims.COMMENT_MAX)


class DeclineIn(Schema):
    note: str = Field("", max_length=claims.MESSAGE_MAX)


# --- reading out -------------------------------------------------------------------------------------------------


def _framework_out(framework: Framework) -> dict:
    return {
        "id": framework.pk,
        "title": framework.title,
        "description": framework.description,
        "levels": [
            {"level": lv.number, "name": lv.name, "descriptor": lv.descriptor} for lv in claims.levels_of(framework)
        ],
        "skills": [{"slug": s.slug, "name": s.name} for s in framework.skills.all()],
    }


def _request_out(r: EndorsementRequest) -> dict:
    return {
        "id": r.pk,
        "claim": r.claim_id,
        "endorser": r.endorser.username,
        "message": r.message,
        "state": r.state,
        "response": r.response,
        "created": r.created,
        "responded": r.responded,
        "answer_url": claims.answer_url(r),
    }


def _evidence_out(ev: claims.ShownEvidence) -> dict:
    return {
        "id": ev.pk,
        "kind": ev.kind,
        "shared": not ev.hidden,
        "title": ev.title,
        "url": ev.url,
        "label": ev.label,
        "context": ev.context,
        "note": ev.note,
    }


def _claims_with_details():
    from portfolios.models import Endorsement

    return SkillClaim.objects.select_related("person", "skill", "framework", "portfolio__item").prefetch_related(
        *claims.evidence_prefetch(),
        Prefetch("endorsements", Endorsement.objects.select_related("endorser")),
        Prefetch("endorsement_requests", EndorsementRequest.objects.select_related("endorser").order_by("-created")),
    )


def _claims_out(request, rows: list[SkillClaim]) -> list[dict]:
    claims.show_evidence(request.user, rows)
    out = []
    for claim in rows:
        mine = claim.person_id == request.user.pk
        out.append(
            {
                "id": claim.pk,
                "person": claim.person.username,
                "skill": {"slug": claim.skill.slug, "name": claim.skill.name},
                "framework": claim.framework_id,
                "rubric": claims.rubric_name(claim.framework),
                "level": claim.level,
                "level_name": claims.level_name(claim.framework, claim.level),
                "statement": claim.statement,
                "state": claim.state,
                "portfolio": claim.portfolio_id,
                "created": claim.created,
                "updated": claim.updated,
                "endorsed_at": claim.endorsed_at,
                "url": claims.claim_url(claim),
                "evidence": [_evidence_out(ev) for ev in claim.shown_evidence],
                "endorsements": [
                    {
                        "endorser": e.endorser.username,
                        "endorser_name": e.endorser.name,
                        "level": e.level,
                        "level_name": claims.level_name(claim.framework, e.level),
                        "comment": e.comment,
                        "created": e.created,
                    }
                    for e in claim.endorsements.all()
                ],
                "requests": [_request_out(r) for r in claim.endorsement_requests.all()] if mine else [],
            }
        )
    return out


def _claim_out(request, claim_id: int) -> dict:
    claim = _claims_with_details().filter(pk=min(claim_id, MAX_ID)).first()
    if claim is None or not claims.can_view_claim(request.user, claim):
        raise Http404("Not found")
    return _claims_out(request, [claim])[0]


def _asked_out(r: EndorsementRequest) -> dict:
    claim = r.claim
    return {
        **_request_out(r),
        "claimant": claim.person.username,
        "claimant_name": claim.person.name,
        "skill": {"slug": claim.skill.slug, "name": claim.skill.name},
        "level": claim.level,
        "level_name": claims.level_name(claim.framework, claim.level),
        "about": claims.about(claim),
    }


# --- finding what a caller names ---------------------------------------------------------------------------------


def _claim(request, claim_id: int) -> SkillClaim:
    claim = (
        SkillClaim.objects.select_related("person", "skill", "framework", "portfolio__item")
        .filter(pk=min(claim_id, MAX_ID))
        .first()
    )
    if claim is None or not claims.can_view_claim(request.user, claim):
        raise Http404("Not found")
    return claim


def _own_claim(request, claim_id: int) -> SkillClaim:
    claim = _claim(request, claim_id)
    if claim.person_id != request.user.pk:
        raise PermissionDenied("Only the person who claims a skill can change the claim.")
    return claim


def _skill(text: str):
    skill = resolve_skill(text)
    if skill is None:
        raise ValidationError(f"There is no skill called “{text}” in the taxonomy.")
    return skill


def _framework(framework_id: int | None) -> Framework | None:
    if framework_id is None:
        return None
    framework = Framework.objects.filter(pk=min(framework_id, MAX_ID)).first()
    if framework is None:
        raise ValidationError("There is no such framework.")
    return framework


def _portfolio(request, portfolio_id: int | None) -> Portfolio | None:
    if portfolio_id is None:
        return None
    portfolio = Portfolio.objects.select_related("item").filter(pk=min(portfolio_id, MAX_ID)).first()
    if portfolio is None or portfolio.item.owner_id != request.user.pk:
        raise ValidationError("A claim can only be shown in one of your own portfolios.")
    return portfolio


def _evidence_choice(request, payload: EvidenceIn) -> claims.EvidenceChoice:
    from catalog.models import Enrolment

    given = [x for x in (payload.item, payload.block, payload.completion) if x is not None]
    if len(given) != 1:
        raise ValidationError("Give one of item, block or completion for each piece of evidence.")
    if payload.item is not None:
        item = Item.objects.filter(pk=min(payload.item, MAX_ID)).first()
        if item is None:
            raise ValidationError("You can only show as evidence something you can see.")
        return claims.EvidenceChoice(item=item, note=payload.note)
    if payload.block is not None:
        block = Block.objects.select_related("page__portfolio__item").filter(pk=min(payload.block, MAX_ID)).first()
        if block is None:
            raise ValidationError("Only a block of one of your own portfolios can be evidence of your claim.")
        return claims.EvidenceChoice(block=block, note=payload.note)
    enrolment = Enrolment.objects.select_related("course__item").filter(pk=min(payload.completion, MAX_ID)).first()
    if enrolment is None:
        raise ValidationError("Only a course you completed can be evidence of your claim.")
    return claims.EvidenceChoice(enrolment=enrolment, note=payload.note)


def _request(request, request_id: int) -> EndorsementRequest:
    """A request the caller was asked, or made: anyone else finds nothing."""
    found = (
        EndorsementRequest.objects.select_related("endorser", "claim__person", "claim__skill", "claim__framework")
        .filter(pk=min(request_id, MAX_ID))
        .first()
    )
    if found is None or request.user.pk not in (found.endorser_id, found.claim.person_id):
        raise Http404("Not found")
    return found


def _answerable(request, request_id: int) -> EndorsementRequest:
    found = _request(request, request_id)
    if found.endorser_id != request.user.pk:
        raise PermissionDenied("You cannot endorse your own claim.")
    return found


def _skills(names: list[str]) -> list:
    skills, unknown = [], []
    for name in names:
        skill = resolve_skill(name)
        (skills if skill is not None else unknown).append(skill or name)
    if unknown:
        raise ValidationError(f"The taxonomy has no skill called {', '.join(unknown)}.")
    return skills


# --- claims --------------------------------------------------------------------------------------------------------


@router.get("/claims", response=list[ClaimOut])
def list_claims(request, state: StateIn | None = None):
    """Your claims, last changed first (at most 200), with their evidence, endorsements and requests."""
    rows = _claims_with_details().filter(person=request.user).order_by("-updated", "-pk")
    if state:
        rows = rows.filter(state=state)
    return _claims_out(request, list(rows[:LISTED_MAX]))


@router.post("/claims", response={201: ClaimOut, **REFUSALS})
def create_claim(request, payload: ClaimIn):
    """Claim a skill at a level of the taxonomy or of a framework, with a statement and evidence."""
    claim = claims.create_claim(
        person=request.user,
        skill=_skill(payload.skill),
        framework=_framework(payload.framework),
        level=payload.level,
        statement=payload.statement,
        portfolio=_portfolio(request, payload.portfolio),
        draft=payload.draft,
        evidence=[_evidence_choice(request, e) for e in payload.evidence],
    )
    return Status(201, _claim_out(request, claim.pk))


@router.get("/claims/{claim_id}", response={200: ClaimOut, 404: ErrorOut})
def get_claim(request, claim_id: int):
    """A claim you may see, with the evidence you may open."""
    return _claim_out(request, claim_id)


@router.patch("/claims/{claim_id}", response={200: ClaimOut, **REFUSALS})
def update_claim(request, claim_id: int, payload: ClaimPatch):
    """Change your claim; what you leave out stays. Its skill and rubric are fixed once someone was asked."""
    claim = _own_claim(request, claim_id)
    given = payload.model_fields_set
    changes = {}
    if payload.skill is not None:
        changes["skill"] = _skill(payload.skill)
    if "framework" in given:
        changes["framework"] = _framework(payload.framework)
    if payload.level is not None:
        changes["level"] = payload.level
    if payload.statement is not None:
        changes["statement"] = payload.statement
    if "portfolio" in given:
        changes["portfolio"] = _portfolio(request, payload.portfolio)
    if payload.draft is not None:
        changes["draft"] = payload.draft
    claims.update_claim(actor=request.user, claim=claim, **changes)
    return _claim_out(request, claim.pk)


@router.delete("/claims/{claim_id}", response={204: None, **REFUSALS})
def delete_claim(request, claim_id: int):
    """Withdraw your claim, with its evidence, requests and endorsements."""
    claims.withdraw_claim(actor=request.user, claim=_own_claim(request, claim_id))
    return Status(204, None)


@router.post("/claims/{claim_id}/evidence", response={201: EvidenceOut, **REFUSALS})
def add_evidence(request, claim_id: int, payload: EvidenceIn):
    """Add a piece of evidence: an item you can see, a block of your portfolio or a course you completed."""
    claim = _own_claim(request, claim_id)
    (row,) = claims.add_evidence(actor=request.user, claim=claim, choices=[_evidence_choice(request, payload)])
    shown = next(ev for ev in _claim_out(request, claim.pk)["evidence"] if ev["id"] == row.pk)
    return Status(201, shown)


@router.delete("/claims/{claim_id}/evidence/{evidence_id}", response={204: None, **REFUSALS})
def remove_evidence(request, claim_id: int, evidence_id: int):
    claim = _own_claim(request, claim_id)
    evidence = claim.evidence.filter(pk=min(evidence_id, MAX_ID)).first()
    if evidence is None:
        raise Http404("Not found")
    evidence.claim = claim
    claims.remove_evidence(actor=request.user, evidence=evidence)
    return Status(204, None)


@router.post("/claims/{claim_id}/endorsement-requests", response={201: AskedOut, **REFUSALS})
def ask_for_endorsement(request, claim_id: int, payload: AskIn):
    """Ask advisors or peers you can see in the directory to endorse your claim; each is notified."""
    claim = _own_claim(request, claim_id)
    people = people_named(", ".join(payload.endorsers), request.user)
    made = claims.ask_for_endorsement(actor=request.user, claim=claim, endorsers=people, message=payload.message)
    return Status(
        201,
        {
            "requests": [_request_out(r) for r in made],
            "not_shared": {r.endorser.username: claims.hidden_from(r.endorser, claim) for r in made},
        },
    )


# --- endorsements asked of me ------------------------------------------------------------------------------------


@router.get("/endorsement-requests", response=list[AskedOfMeOut])
def asked_of_me(request, state: RequestStateIn | None = None):
    """Requests to endorse asked of you, those waiting first (at most 200)."""
    rows = claims.asked_of(request.user).select_related("endorser")
    if state:
        rows = rows.filter(state=state)
    return [_asked_out(r) for r in rows[:LISTED_MAX]]


@router.get("/endorsement-requests/{request_id}", response={200: AskedOfMeDetailOut, 404: ErrorOut})
def get_request(request, request_id: int):
    """A request asked of you (or made by you) with the claim and the evidence you may open."""
    found = _request(request, request_id)
    return {**_asked_out(found), "claim_detail": _claim_out(request, found.claim_id)}


@router.post("/endorsement-requests/{request_id}/endorse", response={200: EndorsementOut, **REFUSALS})
def endorse(request, request_id: int, payload: EndorseIn):
    """Endorse the claim at the level you judge; it becomes a recognised skill on the claimant's profile."""
    found = _answerable(request, request_id)
    endorsement = claims.endorse(actor=request.user, request=found, level=payload.level, comment=payload.comment)
    return {
        "endorser": request.user.username,
        "endorser_name": request.user.name,
        "level": endorsement.level,
        "level_name": claims.level_name(found.claim.framework, endorsement.level),
        "comment": endorsement.comment,
        "created": endorsement.created,
    }


@router.post("/endorsement-requests/{request_id}/decline", response={200: RequestOut, **REFUSALS})
def decline(request, request_id: int, payload: DeclineIn):
    """Decline to endorse, with a note only the claimant reads."""
    found = _answerable(request, request_id)
    return _request_out(claims.decline(actor=request.user, request=found, note=payload.note))


# --- frameworks --------------------------------------------------------------------------------------------------


@router.get("/frameworks", response=list[FrameworkOut])
def list_frameworks(request):
    return [_framework_out(f) for f in claims.frameworks()]


@router.get("/frameworks/{framework_id}", response={200: FrameworkOut, 404: ErrorOut})
def get_framework(request, framework_id: int):
    framework = claims.frameworks().filter(pk=min(framework_id, MAX_ID)).first()
    if framework is None:
        raise Http404("Not found")
    return _framework_out(framework)


@router.post("/frameworks", response={201: FrameworkOut, **REFUSALS})
def create_framework(request, payload: FrameworkIn):
    """A new framework (curators)."""
    claims.require_curator(request.user)
    framework = claims.save_framework(
        actor=request.user,
        title=payload.title,
        description=payload.description,
        levels=[lv.model_dump() for lv in payload.levels],
        skills=_skills(payload.skills),
    )
    return Status(201, _framework_out(framework))


@router.patch("/frameworks/{framework_id}", response={200: FrameworkOut, **REFUSALS})
def update_framework(request, framework_id: int, payload: FrameworkPatch):
    """Change a framework (curators); what you leave out stays. Levels in use cannot be removed."""
    claims.require_curator(request.user)
    framework = Framework.objects.filter(pk=min(framework_id, MAX_ID)).first()
    if framework is None:
        raise Http404("Not found")
    levels = payload.levels
    saved = claims.save_framework(
        actor=request.user,
        framework=framework,
        title=framework.title if payload.title is None else payload.title,
        description=framework.description if payload.description is None else payload.description,
        levels=[{"name": lv.name, "descriptor": lv.descriptor} for lv in claims.levels_of(framework)]
        if levels is None
        else [lv.model_dump() for lv in levels],
        skills=list(framework.skills.all()) if payload.skills is None else _skills(payload.skills),
    )
    return _framework_out(saved)
