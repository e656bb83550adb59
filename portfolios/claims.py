"""Self-evaluation against competencies: skill claims with evidence, endorsements, and curators' frameworks.

A person claims a skill of the taxonomy (``people.Skill``) at a level of a rubric — the taxonomy's own levels
(``people.PersonSkill.Level``, Beginner to Expert, with the descriptors below) or the levels of a curator's
``Framework`` — with a statement in their words and evidence: any item they can see, a block of one of their
portfolios, or a course they completed. They ask an advisor or a peer to endorse it; the person asked reads
the claim with the evidence *they* may see (the rest is listed as not shared with them) and endorses it at
the level they judge, or declines with a note. An endorsed claim is a recognised skill on the profile.

Who may see a claim (``can_view_claim``): its owner always; the people asked to endorse it; while it is not
a draft, whoever sees the portfolio it is shown in; once endorsed, whoever may see the person (it is on their
profile). Everything else answers "not found". Evidence follows the spine's access rule item by item
(``show_evidence``), so a claim never shows more of the evidence than the reader could open anyway.

Writes raise ``PermissionDenied`` (not yours to do) or ``ValidationError`` (a sentence a person can act on).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone

from core.access import can_view, person_filter
from core.models import Activity, Item, Visibility
from core.services import record_activity
from lib.urls import reverse_one
from people.models import PersonSkill, Skill, User
from portfolios.models import (
    Block,
    ClaimEvidence,
    Endorsement,
    EndorsementRequest,
    Framework,
    Portfolio,
    SkillClaim,
)

Verb = Activity.Verb

STATEMENT_MAX = 5_000
NOTE_MAX = 300
MESSAGE_MAX = 2_000
COMMENT_MAX = 5_000
TITLE_MAX = 200
DESCRIPTION_MAX = 5_000
LEVEL_NAME_MAX = 80
DESCRIPTOR_MAX = 1_000
LEVELS_MAX = 10  # SkillClaim's level check constraint allows 1..10
EVIDENCE_MAX = 30
ASKED_AT_ONCE_MAX = 10
FRAMEWORK_SKILLS_MAX = 200
MY_CLAIMS_MAX = 300
MAX_ID = 2**63 - 1  # SQLite's integers stop here; a larger id is simply not found
RECOGNISED_SHOWN = 50

_KEEP = object()  # a keyword argument left out: the field keeps its value


# --- rubrics: the levels a claim is made at ------------------------------------------------------------------


@dataclass(frozen=True)
class Level:
    """One step of a rubric: its number (what is stored), its name and what it means."""

    number: int
    name: str
    descriptor: str


# What each of the taxonomy's levels means, so that "Advanced" reads the same to the claimant and the endorser.
TAXONOMY_DESCRIPTORS = {
    PersonSkill.Level.BEGINNER: "Knows the basics and does simple tasks with guidance, a checklist or an example "
    "at hand.",
    PersonSkill.Level.PRACTITIONER: "Does the everyday work on their own to a good standard, and knows where to "
    "look when stuck.",
    PersonSkill.Level.ADVANCED: "Handles complex or unusual cases, weighs the trade-offs, and helps others get "
    "better at it.",
    PersonSkill.Level.EXPERT: "The one others turn to: sets the standard, solves what others cannot, and teaches "
    "and shapes how it is done here.",
}
TAXONOMY_LEVELS = [Level(int(value), label, TAXONOMY_DESCRIPTORS[value]) for value, label in PersonSkill.Level.choices]
TAXONOMY_RUBRIC = "The taxonomy's levels (Beginner to Expert)"


def levels_of(framework: Framework | None) -> list[Level]:
    """The rubric a claim is made against: the framework's levels, or the taxonomy's."""
    if framework is None:
        return TAXONOMY_LEVELS
    rows = sorted(framework.levels or [], key=lambda row: row.get("level", 0))
    return [Level(int(row["level"]), row.get("name", ""), row.get("descriptor", "")) for row in rows]


def level_name(framework: Framework | None, number: int) -> str:
    for level in levels_of(framework):
        if level.number == number:
            return level.name
    return f"level {number}"


def rubric_name(framework: Framework | None) -> str:
    return framework.title if framework is not None else TAXONOMY_RUBRIC


def about(claim: SkillClaim, level: int | None = None) -> str:
    """ "Python at Advanced": what a notification says a request or an endorsement is about."""
    return f"{claim.skill.name} at {level_name(claim.framework, claim.level if level is None else level)}"


def _check_level(framework: Framework | None, level) -> int:
    try:
        level = int(level)
    except (TypeError, ValueError):
        level = 0
    numbers = [row.number for row in levels_of(framework)]
    if level not in numbers:
        names = ", ".join(f"{row.number} ({row.name})" for row in levels_of(framework))
        raise ValidationError(f"Choose a level of {rubric_name(framework)}: {names}.")
    return level


def taxonomy_level(framework: Framework | None, level: int) -> int:
    """The taxonomy level (1–4) a level of ``framework`` stands for: the framework's first level is Beginner,
    its last Expert, and those between are spread evenly; a one-level framework ("meets the standard") is
    Practitioner."""
    if framework is None:
        return level
    count = len(levels_of(framework))
    if count <= 1:
        return PersonSkill.Level.PRACTITIONER
    top = len(TAXONOMY_LEVELS)
    return max(1, min(top, int(1 + (level - 1) * (top - 1) / (count - 1) + 0.5)))


def framework_covers(framework: Framework, skill: Skill) -> bool:
    """A framework is for the skills it lists; one that lists none is a scale for any skill."""
    skills = framework.skills.all()
    return not skills.exists() or skills.filter(pk=skill.pk).exists()


# --- frameworks (curators) -----------------------------------------------------------------------------------


def require_curator(actor) -> None:
    if not getattr(actor, "is_authenticated", False) or not getattr(actor, "is_curator", False):
        raise PermissionDenied("Only curators keep competency frameworks.")


def clean_levels(rows: Iterable[dict]) -> list[dict]:
    """Levels in order, numbered from 1, each with a name and a descriptor; rows left empty are dropped."""
    levels: list[dict] = []
    seen: set[str] = set()
    for row in rows:
        name = " ".join(str(row.get("name") or "").split())
        descriptor = str(row.get("descriptor") or "").strip()
        if not name and not descriptor:
            continue
        number = len(levels) + 1
        if not name:
            raise ValidationError(f"Give level {number} a name, e.g. “Proficient”.")
        if not descriptor:
            raise ValidationError(f"Say what “{name}” means: a descriptor a person can hold their work against.")
        if len(name) > LEVEL_NAME_MAX:
            raise ValidationError(f"Keep level names under {LEVEL_NAME_MAX} characters.")
        if len(descriptor) > DESCRIPTOR_MAX:
            raise ValidationError(f"Keep each descriptor under {DESCRIPTOR_MAX:,} characters.")
        if name.lower() in seen:
            raise ValidationError(f"Two levels are called “{name}”; give each its own name.")
        seen.add(name.lower())
        levels.append({"level": number, "name": name, "descriptor": descriptor})
    if len(levels) < 2:
        raise ValidationError("A framework needs at least two levels, each with a name and a descriptor.")
    if len(levels) > LEVELS_MAX:
        raise ValidationError(f"A framework has at most {LEVELS_MAX} levels.")
    return levels


@transaction.atomic
def save_framework(
    *,
    actor,
    title: str,
    levels: Iterable[dict],
    skills: Sequence[Skill] = (),
    description: str = "",
    framework: Framework | None = None,
) -> Framework:
    """Create a framework, or change one: its levels may not drop one a claim or an endorsement is at, and its
    skills may not leave out one that is claimed against it."""
    require_curator(actor)
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError("Give the framework a title.")
    if len(title) > TITLE_MAX:
        raise ValidationError(f"Keep the title under {TITLE_MAX} characters.")
    description = (description or "").strip()
    if len(description) > DESCRIPTION_MAX:
        raise ValidationError(f"Keep the description under {DESCRIPTION_MAX:,} characters.")
    levels = clean_levels(levels)
    skills = list({skill.pk: skill for skill in skills}.values())
    if len(skills) > FRAMEWORK_SKILLS_MAX:
        raise ValidationError(f"A framework covers at most {FRAMEWORK_SKILLS_MAX} skills.")
    if framework is None:
        framework = Framework(created_by=actor)
    else:
        _check_framework_change(framework, levels=levels, skills=skills)
    framework.title, framework.description, framework.levels = title, description, levels
    framework.save()
    framework.skills.set(skills)
    return framework


def _check_framework_change(framework: Framework, *, levels: list[dict], skills: list[Skill]) -> None:
    top = len(levels)
    claimed = SkillClaim.objects.filter(framework=framework)
    above = claimed.filter(level__gt=top).count()
    above += Endorsement.objects.filter(claim__framework=framework, level__gt=top).count()
    if above:
        raise ValidationError(
            f"{above} claim{'s are' if above != 1 else ' is'} or endorsement{'s' if above != 1 else ''} at a level "
            f"above {top}; keep at least as many levels as are in use."
        )
    if skills:
        left_out = (
            Skill.objects.filter(pk__in=claimed.values("skill_id")).exclude(pk__in=[s.pk for s in skills]).order_by()
        )
        names = sorted({skill.name for skill in left_out[:10]})
        if names:
            raise ValidationError(
                f"People claim {', '.join(names)} against this framework; keep {'it' if len(names) == 1 else 'them'} "
                "in its skills."
            )


def frameworks() -> QuerySet[Framework]:
    return Framework.objects.prefetch_related("skills").select_related("created_by").order_by("title", "pk")


def frameworks_for(skill: Skill | None) -> QuerySet[Framework]:
    """The frameworks a claim of ``skill`` may use: those listing it and those for any skill."""
    rows = Framework.objects.order_by("title", "pk")
    if skill is None:
        return rows
    return rows.annotate(skill_count=Count("skills")).filter(Q(skill_count=0) | Q(skills=skill)).distinct()


# --- evidence ------------------------------------------------------------------------------------------------


@dataclass
class EvidenceChoice:
    """What a claimant points at as evidence: exactly one of an item, a portfolio block, a course completion."""

    item: Item | None = None
    block: Block | None = None
    enrolment: object | None = None  # catalog.Enrolment
    note: str = ""


def _check_evidence(person, choice: EvidenceChoice, taken: set) -> tuple:
    from catalog.models import Enrolment

    chosen = [x for x in (choice.item, choice.block, choice.enrolment) if x is not None]
    if len(chosen) != 1:
        raise ValidationError("Point each piece of evidence at one thing: an item, a block or a course completion.")
    note = " ".join((choice.note or "").split())
    if len(note) > NOTE_MAX:
        raise ValidationError(f"Keep a note on evidence under {NOTE_MAX} characters.")
    if choice.item is not None:
        if choice.item.deleted_at is not None or not can_view(person, choice.item):
            raise ValidationError("You can only show as evidence something you can see.")
        key = ("item", choice.item.pk)
    elif choice.block is not None:
        portfolio_item = choice.block.page.portfolio.item
        if portfolio_item.owner_id != person.pk or portfolio_item.deleted_at is not None:
            raise ValidationError("Only a block of one of your own portfolios can be evidence of your claim.")
        key = ("block", choice.block.pk)
    else:
        enrolment = choice.enrolment
        if enrolment.person_id != person.pk or enrolment.state != Enrolment.State.COMPLETED:
            raise ValidationError("Only a course you completed can be evidence of your claim.")
        key = ("enrolment", enrolment.pk)
    if key in taken:
        raise ValidationError("That is already evidence of this claim.")
    taken.add(key)
    return key, note


def _evidence_keys(claim: SkillClaim) -> set:
    keys = set()
    for item_id, block_id, enrolment_id in claim.evidence.values_list("item_id", "block_id", "enrolment_id"):
        keys.add(("item", item_id) if item_id else ("block", block_id) if block_id else ("enrolment", enrolment_id))
    return keys


def _add_evidence_rows(person, claim: SkillClaim, choices: Sequence[EvidenceChoice]) -> list[ClaimEvidence]:
    taken = _evidence_keys(claim)
    if len(taken) + len(choices) > EVIDENCE_MAX:
        raise ValidationError(f"A claim holds at most {EVIDENCE_MAX} pieces of evidence; choose the strongest.")
    start = (claim.evidence.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    rows = []
    for offset, choice in enumerate(choices):
        _key, note = _check_evidence(person, choice, taken)
        rows.append(
            ClaimEvidence.objects.create(
                claim=claim,
                item=choice.item,
                block=choice.block,
                enrolment=choice.enrolment,
                note=note,
                position=start + offset,
            )
        )
    return rows


@transaction.atomic
def add_evidence(*, actor, claim: SkillClaim, choices: Sequence[EvidenceChoice]) -> list[ClaimEvidence]:
    """Add evidence to one's claim: all of it or, when one piece is refused, none."""
    _require_claimant(actor, claim)
    rows = _add_evidence_rows(actor, claim, choices)
    _touch(claim)
    return rows


def remove_evidence(*, actor, evidence: ClaimEvidence) -> None:
    _require_claimant(actor, evidence.claim)
    evidence.delete()
    _touch(evidence.claim)


# --- claims --------------------------------------------------------------------------------------------------


def _require_claimant(actor, claim: SkillClaim) -> None:
    if not getattr(actor, "is_authenticated", False) or claim.person_id != actor.pk:
        raise PermissionDenied("Only the person who claims a skill can change the claim.")


def _touch(claim: SkillClaim) -> None:
    claim.updated = timezone.now()
    claim.save(update_fields=["updated"])


def claim_url(claim: SkillClaim) -> str:
    return reverse_one("portfolios:claim", claim.pk)


def answer_url(request: EndorsementRequest) -> str:
    """The page where the person asked reads the claim and answers."""
    return reverse("portfolios:endorse-request", args=[request.pk])


def _check_portfolio(person, portfolio: Portfolio | None) -> None:
    if portfolio is not None and (portfolio.item.owner_id != person.pk or portfolio.item.deleted_at is not None):
        raise ValidationError("A claim can only be shown in one of your own portfolios.")


def _check_statement(statement: str) -> str:
    statement = (statement or "").strip()
    if len(statement) > STATEMENT_MAX:
        raise ValidationError(f"Keep the statement under {STATEMENT_MAX:,} characters.")
    return statement


def _check_rubric(skill: Skill, framework: Framework | None) -> None:
    if framework is not None and not framework_covers(framework, skill):
        raise ValidationError(f"“{framework.title}” is not a framework for {skill.name}; choose one that lists it.")


def _check_unclaimed(person, skill: Skill, framework: Framework | None, *, exclude: int | None = None) -> None:
    taken = SkillClaim.objects.filter(person=person, skill=skill, framework=framework).exclude(pk=exclude)
    if taken.exists():
        raise ValidationError(
            f"You already claim {skill.name} against {rubric_name(framework)}: change that claim instead."
        )


def _record_claimed(person, claim: SkillClaim) -> None:
    """The claim's activity: about the portfolio it is shown in (whoever sees that portfolio hears of it), or
    about no item, so that no feed shows a claim nobody else can open."""
    item = claim.portfolio.item if claim.portfolio_id else None
    record_activity(
        actor=person,
        verb=Verb.CLAIMED,
        item=item,
        extra={"about": about(claim), "url": claim_url(claim), "claim": claim.pk},
    )


@transaction.atomic
def create_claim(
    *,
    person,
    skill: Skill,
    level: int,
    framework: Framework | None = None,
    statement: str = "",
    portfolio: Portfolio | None = None,
    draft: bool = False,
    evidence: Sequence[EvidenceChoice] = (),
) -> SkillClaim:
    """Claim a skill at a level of a rubric, with a statement and evidence. A draft is seen by its owner only."""
    if not getattr(person, "is_authenticated", False):
        raise PermissionDenied("Sign in to claim a skill.")
    _check_rubric(skill, framework)
    level = _check_level(framework, level)
    statement = _check_statement(statement)
    _check_portfolio(person, portfolio)
    _check_unclaimed(person, skill, framework)
    try:
        with transaction.atomic():
            claim = SkillClaim.objects.create(
                person=person,
                skill=skill,
                framework=framework,
                level=level,
                statement=statement,
                portfolio=portfolio,
                state=SkillClaim.State.DRAFT if draft else SkillClaim.State.CLAIMED,
            )
    except IntegrityError as exc:  # the same claim made a moment ago in another tab
        raise ValidationError(f"You already claim {skill.name} against {rubric_name(framework)}.") from exc
    _add_evidence_rows(person, claim, evidence)
    if not draft:
        _record_claimed(person, claim)
    return claim


def _has_answers(claim: SkillClaim) -> bool:
    return claim.endorsement_requests.exists() or claim.endorsements.exists()


@transaction.atomic
def update_claim(
    *,
    actor,
    claim: SkillClaim,
    skill=_KEEP,
    framework=_KEEP,
    level=_KEEP,
    statement=_KEEP,
    portfolio=_KEEP,
    draft=_KEEP,
) -> SkillClaim:
    """Change one's claim. Its skill and rubric are fixed once someone has been asked to endorse it (they
    answer about what they were shown); an endorsed claim cannot go back to being a draft."""
    _require_claimant(actor, claim)
    new_skill = claim.skill if skill is _KEEP else skill
    new_framework = claim.framework if framework is _KEEP else framework
    changes_rubric = new_skill.pk != claim.skill_id or getattr(new_framework, "pk", None) != claim.framework_id
    if changes_rubric:
        if _has_answers(claim):
            raise ValidationError(
                "People have been asked to endorse this claim, so its skill and rubric stay as they are; withdraw "
                "it and claim again to change them."
            )
        _check_rubric(new_skill, new_framework)
        _check_unclaimed(actor, new_skill, new_framework, exclude=claim.pk)
    new_level = claim.level if level is _KEEP and not changes_rubric else level
    claim.level = _check_level(new_framework, new_level)
    claim.skill, claim.framework = new_skill, new_framework
    if statement is not _KEEP:
        claim.statement = _check_statement(statement)
    if portfolio is not _KEEP:
        _check_portfolio(actor, portfolio)
        claim.portfolio = portfolio
    was_draft = claim.state == SkillClaim.State.DRAFT
    if draft is not _KEEP:
        if draft and claim.state == SkillClaim.State.ENDORSED:
            raise ValidationError("An endorsed claim is on your profile; it cannot go back to being a draft.")
        if draft and claim.endorsement_requests.filter(state=EndorsementRequest.State.PENDING).exists():
            raise ValidationError("Someone is asked to endorse this claim; it cannot go back to being a draft.")
        if draft:
            claim.state = SkillClaim.State.DRAFT
        elif was_draft:
            claim.state = SkillClaim.State.CLAIMED
    claim.updated = timezone.now()
    try:
        with transaction.atomic():
            claim.save()
    except IntegrityError as exc:
        raise ValidationError(f"You already claim {new_skill.name} against {rubric_name(new_framework)}.") from exc
    if was_draft and claim.state == SkillClaim.State.CLAIMED:
        _record_claimed(actor, claim)
    return claim


def withdraw_claim(*, actor, claim: SkillClaim) -> None:
    """Withdraw a claim: it goes with its evidence, the requests to endorse it and its endorsements. A skill
    an endorsement put on the profile's skills stays there: the person's own list, theirs to change."""
    _require_claimant(actor, claim)
    claim.delete()


# --- endorsements --------------------------------------------------------------------------------------------


@transaction.atomic
def ask_for_endorsement(
    *, actor, claim: SkillClaim, endorsers: Sequence, message: str = ""
) -> list[EndorsementRequest]:
    """Ask advisors or peers (people the claimant can see in the directory) to endorse a claim; each is told.
    Asking about a draft makes it a claim: they are going to read it."""
    _require_claimant(actor, claim)
    message = (message or "").strip()
    if len(message) > MESSAGE_MAX:
        raise ValidationError(f"Keep the message under {MESSAGE_MAX:,} characters.")
    people = list({person.pk: person for person in endorsers}.values())
    if not people:
        raise ValidationError("Name the person you would like to endorse it.")
    if len(people) > ASKED_AT_ONCE_MAX:
        raise ValidationError(f"Ask at most {ASKED_AT_ONCE_MAX} people at once.")
    if any(person.pk == actor.pk for person in people):
        raise ValidationError("You cannot endorse your own claim: ask an advisor or a peer.")
    visible = set(User.objects.filter(person_filter(actor), pk__in=[p.pk for p in people]).values_list("pk", flat=True))
    unknown = [person.username for person in people if person.pk not in visible or not person.is_active]
    if unknown:
        raise ValidationError(f"No one here you can ask has the username {', '.join(unknown)}.")
    waiting = set(
        claim.endorsement_requests.filter(state=EndorsementRequest.State.PENDING, endorser__in=people).values_list(
            "endorser__username", flat=True
        )
    )
    if waiting:
        raise ValidationError(
            f"{', '.join(sorted(waiting))} already {'has' if len(waiting) == 1 else 'have'} your request."
        )
    if claim.state == SkillClaim.State.DRAFT:
        claim.state = SkillClaim.State.CLAIMED
        claim.updated = timezone.now()
        claim.save(update_fields=["state", "updated"])
        _record_claimed(actor, claim)
    made = []
    for person in people:
        request = EndorsementRequest.objects.create(claim=claim, endorser=person, message=message)
        # Between the two of them: the activity points at no item, so no feed shows it.
        record_activity(
            actor=actor,
            verb=Verb.ENDORSE_ASKED,
            target=person,
            extra={"url": answer_url(request), "about": about(claim), "claim": claim.pk},
        )
        made.append(request)
    return made


def _require_endorser(actor, request: EndorsementRequest) -> None:
    if not getattr(actor, "is_authenticated", False) or request.endorser_id != actor.pk:
        raise PermissionDenied("Only the person asked can answer this request.")
    if request.claim.person_id == actor.pk:
        raise PermissionDenied("You cannot endorse your own claim.")
    if request.state != EndorsementRequest.State.PENDING:
        raise ValidationError(f"You answered this request on {request.responded:%d %b %Y}.")


@transaction.atomic
def endorse(*, actor, request: EndorsementRequest, level: int, comment: str = "") -> Endorsement:
    """Vouch for a claim at the level the endorser judges (which may differ from the one claimed). The claim is
    then endorsed: a recognised skill on the claimant's profile."""
    request = (
        EndorsementRequest.objects.select_for_update(of=("self",))
        .select_related("claim__skill", "claim__framework")
        .get(pk=request.pk)
    )
    _require_endorser(actor, request)
    claim = request.claim
    level = _check_level(claim.framework, level)
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise ValidationError(f"Keep the comment under {COMMENT_MAX:,} characters.")
    now = timezone.now()
    endorsement, _ = Endorsement.objects.update_or_create(
        claim=claim, endorser=actor, defaults={"level": level, "comment": comment, "created": now}
    )
    request.state, request.response, request.responded = EndorsementRequest.State.ENDORSED, comment, now
    request.save(update_fields=["state", "response", "responded"])
    claim.state, claim.endorsed_at = SkillClaim.State.ENDORSED, now
    claim.save(update_fields=["state", "endorsed_at"])
    _recognise_on_profile(claim, level)
    record_activity(
        actor=actor,
        verb=Verb.ENDORSED,
        target=claim.person,
        extra={"url": claim_url(claim), "about": about(claim, level), "claim": claim.pk},
    )
    return endorsement


def _recognise_on_profile(claim: SkillClaim, level: int) -> None:
    """Mirror an endorsement into the person's own skills ("has", at the endorsed level) when it is higher than
    what they listed. The directory, the skill pages and the search for experts read ``PersonSkill`` only, so
    without this a recognised skill would not make its holder findable; it is never lowered, because a lower
    endorsement does not undo what the person may have shown elsewhere, and the list stays theirs to edit."""
    from people.services import add_person_skill

    wanted = taxonomy_level(claim.framework, level)
    held = (
        PersonSkill.objects.filter(
            person_id=claim.person_id, skill_id=claim.skill_id, direction=PersonSkill.Direction.HAS
        )
        .values_list("level", flat=True)
        .first()
    )
    if held is None or held < wanted:
        add_person_skill(person=claim.person, skill=claim.skill, direction=PersonSkill.Direction.HAS, level=wanted)


@transaction.atomic
def decline(*, actor, request: EndorsementRequest, note: str = "") -> EndorsementRequest:
    """Decline to endorse, with a note for the claimant: they are told, and read the note on their claim."""
    request = (
        EndorsementRequest.objects.select_for_update(of=("self",))
        .select_related("claim__person", "claim__skill", "claim__framework", "endorser")
        .get(pk=request.pk)
    )
    _require_endorser(actor, request)
    note = (note or "").strip()
    if len(note) > MESSAGE_MAX:
        raise ValidationError(f"Keep the note under {MESSAGE_MAX:,} characters.")
    request.state, request.response, request.responded = EndorsementRequest.State.DECLINED, note, timezone.now()
    request.save(update_fields=["state", "response", "responded"])
    claim = request.claim
    # Between the two of them, like the request: the activity points at no item, so no feed shows it, and the
    # note it carries is for the claimant's notification alone.
    record_activity(
        actor=actor,
        verb=Verb.ENDORSE_DECLINED,
        target=claim.person,
        extra={"url": f"{claim_url(claim)}#asked", "about": about(claim), "claim": claim.pk, "note": note},
    )
    return request


# --- reads ---------------------------------------------------------------------------------------------------


def can_view_claim(viewer, claim: SkillClaim) -> bool:
    """The claim's owner; the people asked to endorse it; whoever sees the portfolio it is shown in (unless it
    is a draft); whoever may see the person once it is endorsed (it is on their profile)."""
    if not getattr(viewer, "is_authenticated", False):
        return False
    if claim.person_id == viewer.pk:
        return True
    if (
        claim.endorsement_requests.filter(endorser=viewer).exists()
        or claim.endorsements.filter(endorser=viewer).exists()
    ):
        return True
    if claim.state == SkillClaim.State.DRAFT:
        return False
    if claim.portfolio_id and can_view(viewer, claim.portfolio.item):
        return True
    return claim.state == SkillClaim.State.ENDORSED and can_view(viewer, claim.person)


def claim_for(viewer, pk: int) -> SkillClaim | None:
    """The claim ``pk`` with what its page shows, when ``viewer`` may see it."""
    claim = (
        SkillClaim.objects.select_related("person", "skill", "framework", "portfolio__item")
        .prefetch_related(
            *evidence_prefetch(), Prefetch("endorsements", Endorsement.objects.select_related("endorser"))
        )
        .filter(pk=min(pk, MAX_ID))
        .first()
    )
    return claim if claim is not None and can_view_claim(viewer, claim) else None


def evidence_prefetch() -> list[Prefetch]:
    return [
        Prefetch(
            "evidence",
            ClaimEvidence.objects.select_related(
                "item__owner", "block__page__portfolio__item", "enrolment__course__item"
            ).order_by("position", "pk"),
        )
    ]


def my_claims(person) -> QuerySet[SkillClaim]:
    """The person's claims with what their list shows, newest change first."""
    return (
        SkillClaim.objects.filter(person=person)
        .select_related("skill", "framework", "portfolio__item")
        .annotate(
            evidence_count=Count("evidence", distinct=True),
            waiting_count=Count(
                "endorsement_requests",
                filter=Q(endorsement_requests__state=EndorsementRequest.State.PENDING),
                distinct=True,
            ),
            endorsement_count=Count("endorsements", distinct=True),
        )
        .order_by("-updated", "-pk")
    )


CLAIM_GROUPS = [
    (SkillClaim.State.ENDORSED, "Endorsed", "Recognised skills: they show on your profile."),
    (SkillClaim.State.CLAIMED, "Claimed", "Ask an advisor or a peer who knows your work to endorse them."),
    (SkillClaim.State.DRAFT, "Drafts", "Only you see these until you claim them or ask someone to endorse them."),
]


def claims_by_state(person) -> list[tuple[str, str, str, list[SkillClaim]]]:
    """The person's claims grouped as their list shows them: endorsed, claimed, drafts (bounded)."""
    rows = list(my_claims(person)[:MY_CLAIMS_MAX])
    for claim in rows:
        claim.level_label = level_name(claim.framework, claim.level)
    return [
        (state, heading, help_text, [c for c in rows if c.state == state]) for state, heading, help_text in CLAIM_GROUPS
    ]


def asked_of(person) -> QuerySet[EndorsementRequest]:
    """Requests to endorse asked of the person: those waiting first, then the newest."""
    waiting_first = Case(
        When(state=EndorsementRequest.State.PENDING, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        EndorsementRequest.objects.filter(endorser=person)
        .select_related("claim__person", "claim__skill", "claim__framework")
        .order_by(waiting_first, "-created", "-pk")
    )


def waiting_count(person) -> int:
    return EndorsementRequest.objects.filter(endorser=person, state=EndorsementRequest.State.PENDING).count()


def requests_on(claim: SkillClaim) -> QuerySet[EndorsementRequest]:
    """Who was asked about the claim and what they answered: for its owner."""
    return claim.endorsement_requests.select_related("endorser").order_by("-created", "-pk")


@dataclass
class ShownEvidence:
    """What a reader is shown of one piece of evidence; ``hidden`` when it is not shared with them."""

    pk: int
    kind: str  # "item", "block" or "completion"
    hidden: bool = False
    title: str = ""
    url: str = ""
    label: str = ""  # the item's kind, "Portfolio block", "Course completed"
    context: str = ""  # where it is or who made it
    note: str = ""
    only_owner: bool = False  # private: everyone but its owner meets "not shared with you"


def show_evidence(viewer, claims: Iterable[SkillClaim]) -> None:
    """Give each claim ``shown_evidence``: its evidence as ``viewer`` may see it (prefetched with
    ``evidence_prefetch``), in one query for any number of claims. Evidence the viewer cannot open is listed
    as not shared with them, without its title or note."""
    claims = list(claims)
    referenced: set[int] = set()
    for claim in claims:
        for ev in claim.evidence.all():
            if ev.item_id:
                referenced.add(ev.item_id)
            elif ev.block_id:
                referenced.add(ev.block.page.portfolio.item_id)
            elif ev.enrolment_id:
                referenced.add(ev.enrolment.course.item_id)
    visible = set()
    if referenced and getattr(viewer, "is_authenticated", False):
        visible = set(Item.objects.visible_to(viewer).filter(pk__in=referenced).values_list("pk", flat=True))
    for claim in claims:
        claim.shown_evidence = [_shown(viewer, claim, ev, visible) for ev in claim.evidence.all()]
        claim.hidden_evidence = sum(1 for ev in claim.shown_evidence if ev.hidden)


def _shown(viewer, claim: SkillClaim, ev: ClaimEvidence, visible: set[int]) -> ShownEvidence:
    if ev.item_id:
        item = ev.item
        if item.pk not in visible or item.deleted_at is not None:
            return ShownEvidence(pk=ev.pk, kind="item", hidden=True)
        return ShownEvidence(
            pk=ev.pk,
            kind="item",
            title=item.title,
            url=item.get_absolute_url(),
            label=item.get_kind_display(),
            context=f"by {item.owner.name}" if item.owner_id else "",
            note=ev.note,
            only_owner=item.visibility == Visibility.PRIVATE,
        )
    if ev.block_id:
        block = ev.block
        page = block.page
        portfolio_item = page.portfolio.item
        mine = getattr(viewer, "pk", None) == portfolio_item.owner_id
        if not mine and (block.private or portfolio_item.pk not in visible or portfolio_item.deleted_at is not None):
            return ShownEvidence(pk=ev.pk, kind="block", hidden=True)
        url = reverse("portfolios:page", args=[page.portfolio_id, page.slug]) + f"#block-{block.pk}"
        return ShownEvidence(
            pk=ev.pk,
            kind="block",
            title=block.title or f"{block.get_kind_display()} block",
            url=url,
            label="Portfolio block",
            context=f"on “{page.title}” of {portfolio_item.title}",
            note=ev.note,
            only_owner=block.private or portfolio_item.visibility == Visibility.PRIVATE,
        )
    enrolment = ev.enrolment
    course_item = enrolment.course.item
    if course_item.pk not in visible or course_item.deleted_at is not None:
        return ShownEvidence(pk=ev.pk, kind="completion", hidden=True)
    when = f"completed {enrolment.completed_at:%b %Y}" if enrolment.completed_at else "completed"
    how = "self-reported" if enrolment.self_reported and not enrolment.confirmed_at else "confirmed"
    return ShownEvidence(
        pk=ev.pk,
        kind="completion",
        title=course_item.title,
        url=course_item.get_absolute_url(),
        label="Course completed",
        context=f"{when}, {how}",
        note=ev.note,
    )


def hidden_from(person, claim: SkillClaim) -> int:
    """How many pieces of the claim's evidence ``person`` cannot open (told to the claimant when asking)."""
    claim = SkillClaim.objects.prefetch_related(*evidence_prefetch()).get(pk=claim.pk)
    show_evidence(person, [claim])
    return claim.hidden_evidence


@dataclass
class Recognised:
    """A recognised skill as a profile shows it."""

    claim: SkillClaim
    level: int
    level_label: str
    rubric: str
    endorsers: list  # [(person or None when the viewer may not see them, level label, comment)]
    evidence: list[ShownEvidence]
    hidden_evidence: int


def recognised_skills(viewer, person) -> list[Recognised]:
    """The person's endorsed claims for their profile: each at the highest level someone endorsed it, with
    who endorsed it (people the viewer may not see in the directory are counted, not named) and the
    evidence the viewer may see. Five queries whatever the number of claims."""
    claims = list(
        SkillClaim.objects.filter(person=person, state=SkillClaim.State.ENDORSED)
        .select_related("skill", "framework")
        .prefetch_related(
            *evidence_prefetch(), Prefetch("endorsements", Endorsement.objects.select_related("endorser"))
        )
        .order_by("-endorsed_at", "-pk")[:RECOGNISED_SHOWN]
    )
    endorser_ids = {e.endorser_id for claim in claims for e in claim.endorsements.all()}
    seen_people = set()
    if endorser_ids:
        seen_people = set(User.objects.filter(person_filter(viewer), pk__in=endorser_ids).values_list("pk", flat=True))
    show_evidence(viewer, claims)
    out = []
    for claim in claims:
        endorsements = list(claim.endorsements.all())
        if not endorsements:
            continue
        level = max(e.level for e in endorsements)
        out.append(
            Recognised(
                claim=claim,
                level=level,
                level_label=level_name(claim.framework, level),
                rubric=claim.framework.title if claim.framework_id else "",
                endorsers=[
                    (
                        e.endorser if e.endorser_id in seen_people else None,
                        level_name(claim.framework, e.level),
                        e.comment,
                    )
                    for e in endorsements
                ],
                evidence=[ev for ev in claim.shown_evidence if not ev.hidden],
                hidden_evidence=claim.hidden_evidence,
            )
        )
    return out
