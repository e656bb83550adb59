"""Forms of the claim pages: a claim (skill, rubric, level, statement, evidence), asking for and answering an
endorsement, and a curator's framework."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy

from core.forms import people_named
from core.models import Item
from people.queries import resolve_skill
from portfolios import claims
from portfolios.models import Block, Framework, Portfolio

EVIDENCE_CHOICES_SHOWN = 100  # blocks and completions offered as evidence: the newest this many


def _skill_box(help_text: str) -> forms.CharField:
    """A skill of the taxonomy, suggested as the person types (the profile's skills box does the same)."""
    return forms.CharField(
        max_length=200,
        help_text=help_text,
        widget=forms.TextInput(
            attrs={
                "list": "claim-skill-options",
                "autocomplete": "off",
                "hx-get": reverse_lazy("people:skill-autocomplete"),
                "hx-trigger": "input changed delay:250ms",
                "hx-target": "#claim-skill-options",
            }
        ),
    )


def _skill(text: str):
    from people.models import Skill

    skill = resolve_skill(text)
    if skill is None:
        near = [s.name for s in Skill.objects.suggestions(text, limit=5)]
        hint = f" Did you mean: {', '.join(near)}?" if near else ""
        raise ValidationError(f"There is no skill called “{text}” in the taxonomy.{hint}")
    return skill


def _ids(data, name: str) -> list[int]:
    out = []
    for value in data.getlist(name) if hasattr(data, "getlist") else []:
        try:
            out.append(min(int(value), claims.MAX_ID))
        except (TypeError, ValueError):
            raise ValidationError("Choose evidence from the lists.") from None
    return list(dict.fromkeys(out))


def block_choices(user):
    """Blocks of the person's portfolios they can point at (a skills block would be evidence of itself)."""
    return (
        Block.objects.filter(page__portfolio__item__owner=user, page__portfolio__item__deleted_at__isnull=True)
        .exclude(kind=Block.Kind.SKILLS)
        .select_related("page__portfolio__item")
        .order_by("-updated", "-pk")[:EVIDENCE_CHOICES_SHOWN]
    )


def completion_choices(user):
    from portfolios.queries import completions_of

    return completions_of(user)[:EVIDENCE_CHOICES_SHOWN]


class EvidenceFields:
    """The evidence a form adds: ``item`` (any item the person can see), ``block`` (one of their portfolio
    blocks), ``enrolment`` (a course they completed), as ticked boxes; ``cleaned_evidence`` lists them."""

    def clean_evidence(self, user) -> list[claims.EvidenceChoice]:
        from catalog.models import Enrolment

        data = self.data
        note = " ".join((data.get("note") or "").split()) if hasattr(data, "get") else ""
        choices: list[claims.EvidenceChoice] = []
        item_ids = _ids(data, "item")
        if item_ids:
            items = {i.pk: i for i in Item.objects.filter(pk__in=item_ids)}
            for pk in item_ids:
                if pk not in items:
                    raise ValidationError("That item does not exist any more; search again.")
                choices.append(claims.EvidenceChoice(item=items[pk], note=note))
        block_ids = _ids(data, "block")
        if block_ids:
            blocks = {b.pk: b for b in Block.objects.filter(pk__in=block_ids).select_related("page__portfolio__item")}
            for pk in block_ids:
                if pk not in blocks:
                    raise ValidationError("That block does not exist any more.")
                choices.append(claims.EvidenceChoice(block=blocks[pk], note=note))
        enrolment_ids = _ids(data, "enrolment")
        if enrolment_ids:
            enrolments = {
                e.pk: e for e in Enrolment.objects.filter(pk__in=enrolment_ids).select_related("course__item")
            }
            for pk in enrolment_ids:
                if pk not in enrolments:
                    raise ValidationError("That course completion does not exist any more.")
                choices.append(claims.EvidenceChoice(enrolment=enrolments[pk], note=note))
        return choices


class ClaimForm(EvidenceFields, forms.Form):
    skill = _skill_box("Start typing and pick a skill from the taxonomy.")
    rubric = forms.ChoiceField(
        label="Against",
        required=False,
        help_text="The taxonomy's four levels, or a curator's framework for this skill.",
    )
    level = forms.IntegerField(required=False)
    statement = forms.CharField(
        label="Your statement",
        required=False,
        max_length=claims.STATEMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="In your own words: what you did, how often, how well, and what the evidence shows.",
    )
    portfolio = forms.ModelChoiceField(
        label="Show it in a portfolio",
        queryset=Portfolio.objects.none(),
        required=False,
        empty_label="No portfolio",
        help_text="Its “Skills claimed” block lists the claim.",
    )
    draft = forms.BooleanField(label="Keep it as a draft: only you see it", required=False)
    remove = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=[])

    def __init__(self, *args, user, claim=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.claim = user, claim
        self.fields["rubric"].choices = [("", claims.TAXONOMY_RUBRIC)] + [
            (str(f.pk), f.title) for f in Framework.objects.order_by("title", "pk")
        ]
        self.fields["portfolio"].queryset = Portfolio.objects.filter(
            item__owner=user, item__deleted_at__isnull=True
        ).select_related("item")
        self.fields["portfolio"].label_from_instance = lambda p: p.item.title
        if claim is not None:
            self.fields["remove"].choices = [(ev.pk, str(ev.pk)) for ev in claim.evidence.all()]
            if claim.state == claim.State.ENDORSED:
                del self.fields["draft"]

    def clean_skill(self):
        return _skill(self.cleaned_data["skill"])

    def clean_rubric(self):
        value = self.cleaned_data["rubric"]
        return Framework.objects.filter(pk=min(int(value), claims.MAX_ID)).first() if value else None

    def clean(self):
        data = super().clean()
        try:
            data["evidence"] = self.clean_evidence(self.user)
        except ValidationError as exc:
            self.add_error(None, exc)
        if data.get("level") is None and not self.has_error("skill"):
            self.add_error("level", "Choose the level you claim.")
        return data

    def selected_framework(self) -> Framework | None:
        """The rubric the form shows levels for: what was chosen, else the claim's."""
        value = self.data.get("rubric") if self.is_bound else self.initial.get("rubric")
        if value in (None, "") and not self.is_bound and self.claim is not None:
            return self.claim.framework
        try:
            return Framework.objects.filter(pk=min(int(value), claims.MAX_ID)).first() if value else None
        except (TypeError, ValueError):
            return None

    def selected_level(self) -> int | None:
        value = self.data.get("level") if self.is_bound else self.initial.get("level")
        try:
            return int(value)
        except (TypeError, ValueError):
            return None


class EvidenceForm(EvidenceFields, forms.Form):
    note = forms.CharField(
        label="What it shows",
        required=False,
        max_length=claims.NOTE_MAX,
        help_text="Optional, e.g. “the pipeline I designed and ran for a year”.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        data = super().clean()
        try:
            data["evidence"] = self.clean_evidence(self.user)
        except ValidationError as exc:
            self.add_error(None, exc)
            return data
        if not data["evidence"]:
            self.add_error(None, "Tick something to add as evidence.")
        return data


class AskEndorsementForm(forms.Form):
    people = forms.CharField(
        label="Ask",
        max_length=2000,
        help_text="Usernames of an advisor or peers who know your work, separated by commas.",
        widget=forms.TextInput(
            attrs={
                "list": "endorser-suggestions",
                "autocomplete": "off",
                "hx-get": reverse_lazy("links:board-people-suggestions"),
                "hx-trigger": "input changed delay:250ms",
                "hx-target": "#endorser-suggestions",
                "hx-swap": "innerHTML",
            }
        ),
    )
    message = forms.CharField(
        label="Message",
        required=False,
        max_length=claims.MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="E.g. “You reviewed the pipeline I mention: would you say this is fair?”",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_people(self):
        people = people_named(self.cleaned_data["people"], self.user)
        if not people:
            raise ValidationError("Name the person you would like to endorse it.")
        return people


class EndorseForm(forms.Form):
    level = forms.IntegerField(label="At the level", error_messages={"required": "Choose the level you judge."})
    comment = forms.CharField(
        label="Comment",
        required=False,
        max_length=claims.COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What you saw of their work. It shows with your endorsement on their claim.",
    )


class DeclineForm(forms.Form):
    note = forms.CharField(
        label="A note for them",
        required=False,
        max_length=claims.MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only they read it, e.g. “I have not seen enough of this work; ask Sam.”",
    )


FRAMEWORK_LEVEL_ROWS = claims.LEVELS_MAX


class FrameworkForm(forms.Form):
    title = forms.CharField(max_length=claims.TITLE_MAX)
    description = forms.CharField(
        required=False,
        max_length=claims.DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Who it is for and how to use it.",
    )
    skills = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Skills of the taxonomy it is for, one per line. Leave it empty for a scale that fits any skill.",
    )

    def __init__(self, *args, framework: Framework | None = None, **kwargs):
        if framework is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": framework.title,
                    "description": framework.description,
                    "skills": "\n".join(s.name for s in framework.skills.order_by("name")),
                    **{f"level_name_{i}": row.name for i, row in enumerate(claims.levels_of(framework))},
                    **{f"level_descriptor_{i}": row.descriptor for i, row in enumerate(claims.levels_of(framework))},
                },
            )
        super().__init__(*args, **kwargs)
        for i in range(FRAMEWORK_LEVEL_ROWS):
            self.fields[f"level_name_{i}"] = forms.CharField(
                label=f"Level {i + 1}", required=False, max_length=claims.LEVEL_NAME_MAX
            )
            self.fields[f"level_descriptor_{i}"] = forms.CharField(
                label=f"What level {i + 1} means",
                required=False,
                max_length=claims.DESCRIPTOR_MAX,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def level_rows(self):
        """The rows to fill: those in use and two empty ones (at least four), so a long form never shows ten."""
        rows = [(self[f"level_name_{i}"], self[f"level_descriptor_{i}"]) for i in range(FRAMEWORK_LEVEL_ROWS)]
        filled = max((i + 1 for i, (name, text) in enumerate(rows) if name.value() or text.value()), default=0)
        return rows[: min(FRAMEWORK_LEVEL_ROWS, max(4, filled + 2))]

    def clean_skills(self):
        names = [" ".join(line.split()) for line in self.cleaned_data["skills"].splitlines()]
        skills, unknown = [], []
        for name in (n for n in names if n):
            skill = resolve_skill(name)
            (skills if skill is not None else unknown).append(skill or name)
        if unknown:
            raise ValidationError(f"The taxonomy has no skill called {', '.join(f'“{n}”' for n in unknown)}.")
        return skills

    def clean(self):
        data = super().clean()
        rows = [
            {"name": data.get(f"level_name_{i}", ""), "descriptor": data.get(f"level_descriptor_{i}", "")}
            for i in range(FRAMEWORK_LEVEL_ROWS)
        ]
        try:
            data["levels"] = claims.clean_levels(rows)
        except ValidationError as exc:
            self.add_error(None, exc)
        return data
