"""Forms of the portfolio pages: the guided start, settings, pages, each kind of block, journal entries, and the
curators' templates and prompt sets. They read what was typed; portfolios.services decides what it may do."""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy

from core import forms as core_forms
from core.access import space_roles
from core.models import Visibility
from core.services import parse_tags
from files.forms import MultipleFileField, MultipleFileInput
from portfolios.models import Block, Layout, Portfolio, ReflectionTemplate
from portfolios.services import BODY_MAX, MAX_BLOCKS_PER_PAGE, MAX_PAGES, TITLE_MAX, VISIBILITIES

BLANK_MILESTONES = 3  # empty rows a timeline's form offers for new milestones
BLANK_PROMPTS = 3
BLANK_TEMPLATE_BLOCKS = 2

LAYOUT_HELP = {
    Layout.ONE: "One column: text reads best like this.",
    Layout.TWO: "Two equal columns: a piece of work beside what it shows.",
    Layout.WIDE_LEFT: "Wide and narrow: the main story with a side column.",
    Layout.THREE: "Three columns: a row of artefacts or images.",
}


def _visibility_choices(*, in_space: bool) -> list[tuple[str, str]]:
    return [c for c in core_forms.visibility_choices(in_space=in_space) if c[0] in VISIBILITIES]


def _markdown_widget(rows: int = 8, *, preview: str = "") -> forms.Textarea:
    attrs = {"rows": rows, "class": "pf-markdown", "spellcheck": "true"}
    if preview:
        # The live preview under the text (portfolios:preview renders it as the page will).
        attrs.update(
            {
                "hx-post": reverse_lazy("portfolios:preview"),
                "hx-trigger": "keyup changed delay:400ms, input changed delay:400ms",
                "hx-target": f"#{preview}",
                "hx-swap": "innerHTML",
                "hx-sync": "this:replace",
            }
        )
    return forms.Textarea(attrs=attrs)


class SharingFields(core_forms.SharingMixin, forms.Form):
    """Who may see a portfolio: never public on the web; space members only for one kept in a space."""

    visibility = forms.ChoiceField(label="Who can see it", widget=forms.RadioSelect)
    shared_with = core_forms.shared_with_field()

    def _check_sharing(self, data, *, space) -> None:
        visibility = data.get("visibility")
        if visibility == Visibility.SPACE and space is None and "space" not in self.errors:
            self.add_error("visibility", "Only a portfolio kept in a space can be shown to the space's members.")
        if visibility == Visibility.PEOPLE and "shared_with" in data and not data["shared_with"]:
            self.add_error("shared_with", "Name at least one person to share the portfolio with.")


class StartForm(SharingFields):
    """The guided start: what kind of portfolio (or a curator's template), its title, and who sees it."""

    start = forms.ChoiceField(label="Start from", widget=forms.RadioSelect)
    title = forms.CharField(
        max_length=TITLE_MAX, help_text="You can change it later, e.g. “My year as a data analyst”."
    )
    summary = forms.CharField(
        label="What it is about", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    space = forms.ModelChoiceField(
        label="Keep it in",
        queryset=None,
        required=False,
        to_field_name="slug",
        empty_label="My own area",
        help_text="A space lets you show it to the space's members only.",
    )

    field_order = ["start", "title", "summary", "space", "visibility", "shared_with"]

    def __init__(self, *args, user, templates, **kwargs):
        super().__init__(*args, **kwargs)
        from spaces.models import Space

        self.user = user
        self.templates = {str(t.pk): t for t in templates}
        self.fields["start"].choices = [
            (Portfolio.Kind.SHOWCASE, "Showcase"),
            (Portfolio.Kind.PROCESS, "Process"),
            *[(f"template-{pk}", t.title) for pk, t in self.templates.items()],
        ]
        self.fields["space"].queryset = Space.objects.filter(pk__in=list(space_roles(user))).order_by("name")
        self.fields["visibility"].choices = _visibility_choices(in_space=True)

    def clean(self):
        data = super().clean()
        start = data.get("start", "")
        data["template"] = (
            self.templates.get(start.removeprefix("template-")) if start.startswith("template-") else None
        )
        data["kind"] = data["template"].kind if data["template"] else start
        self._check_sharing(data, space=data.get("space"))
        return data


class SettingsForm(SharingFields):
    title = forms.CharField(max_length=TITLE_MAX)
    summary = forms.CharField(
        label="What it is about", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    tags = forms.CharField(
        required=False, max_length=500, help_text="Separate tags with commas, e.g. leadership, data."
    )
    prompts = forms.ModelChoiceField(
        label="Reflection prompts",
        queryset=ReflectionTemplate.objects.order_by("name"),
        required=False,
        empty_label="What happened? So what? Now what? (built in)",
        help_text="The questions new reflections and journal entries answer. Reflections already written keep theirs.",
    )
    share_evidence = forms.BooleanField(
        label="Also show my files and links on these pages to the same people",
        required=False,
        help_text="Items of yours that fewer people may see than the portfolio are opened up to its readers; "
        "nothing is ever made more private.",
    )

    field_order = ["title", "summary", "tags", "visibility", "shared_with", "prompts", "share_evidence"]

    def __init__(self, *args, user, portfolio: Portfolio, **kwargs):
        item = portfolio.item
        kwargs.setdefault(
            "initial",
            {
                "title": item.title,
                "summary": item.summary,
                "tags": ", ".join(t.name for t in item.tags.all()),
                "visibility": item.visibility,
                "shared_with": ", ".join(p.username for p in item.shared_with.all()),
                "prompts": portfolio.reflection_template_id,
            },
        )
        super().__init__(*args, **kwargs)
        self.user = user
        self.portfolio = portfolio
        self.fields["visibility"].choices = _visibility_choices(in_space=item.space_id is not None)

    def clean_tags(self):
        return parse_tags(self.cleaned_data["tags"])

    def clean(self):
        data = super().clean()
        self._check_sharing(data, space=self.portfolio.item.space)
        return data


class PageForm(forms.Form):
    title = forms.CharField(label="Page title", max_length=TITLE_MAX)
    layout = forms.ChoiceField(choices=Layout.choices, widget=forms.RadioSelect, initial=Layout.ONE)


class AddPageForm(PageForm):
    title = forms.CharField(
        label="New page", max_length=TITLE_MAX, widget=forms.TextInput(attrs={"placeholder": "Title"})
    )


class BlockForm(forms.Form):
    """What one block holds; the fields depend on its kind. ``changes()`` gives update_block's arguments and
    ``source`` says where an artefact comes from (an upload, a link, a chosen item or a course)."""

    title = forms.CharField(required=False, max_length=TITLE_MAX)
    private = forms.BooleanField(
        label="Private: only I see this block", required=False, help_text="Even when the page is shared."
    )

    def __init__(self, *args, block: Block, prompts: list[dict] | None = None, completions=(), **kwargs):
        self.block = block
        kind = block.kind
        initial = {"title": block.title, "private": block.private, "body": block.body}
        super().__init__(*args, initial=initial, **kwargs)
        self.answer_prompts: list[dict] = []
        self.milestones: list[int] = []
        if kind in (Block.Kind.TEXT, Block.Kind.ARTEFACT, Block.Kind.SKILLS, Block.Kind.EMBED):
            label = {
                Block.Kind.TEXT: "Text",
                Block.Kind.ARTEFACT: "What it shows",
                Block.Kind.SKILLS: "A few words before the skills (optional)",
                Block.Kind.EMBED: "What it shows (optional)",
            }[kind]
            self.fields["body"] = forms.CharField(
                label=label,
                required=False,
                strip=False,
                max_length=BODY_MAX,
                widget=_markdown_widget(12 if kind == Block.Kind.TEXT else 4, preview=f"preview-{block.pk}"),
                help_text="Markdown: **bold**, *italic*, - lists, [a link](https://example.org).",
            )
        if kind == Block.Kind.ARTEFACT:
            self.fields["upload"] = forms.FileField(label="Upload a file", required=False)
            self.fields["url"] = forms.URLField(
                label="Or save a link", required=False, max_length=2000, assume_scheme="https"
            )
            self.fields["enrolment"] = forms.TypedChoiceField(
                label="Or a course you completed",
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", "—")] + [(e.pk, e.course.item.title) for e in completions],
            )
            self.completions = {e.pk: e for e in completions}
        if kind in (Block.Kind.ARTEFACT, Block.Kind.EMBED):
            self.fields["item"] = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
            self.fields["clear"] = forms.BooleanField(label="Remove what it shows now", required=False)
        if kind == Block.Kind.GALLERY:
            self.fields["uploads"] = MultipleFileField(
                label="Upload images",
                required=False,
                widget=MultipleFileInput(attrs={"accept": "image/*"}),
                help_text="Several at once if you like; photos, screenshots, diagrams.",
            )
        if kind == Block.Kind.REFLECTION:
            given = block.answers or [{"prompt": p["prompt"], "answer": ""} for p in prompts or []]
            helps = {p["prompt"]: p.get("help", "") for p in prompts or []}
            for n, answer in enumerate(given):
                name = f"answer_{n}"
                self.fields[name] = forms.CharField(
                    label=answer["prompt"],
                    required=False,
                    strip=False,
                    max_length=20000,
                    widget=forms.Textarea(attrs={"rows": 4}),
                    help_text=helps.get(answer["prompt"], ""),
                    initial=answer.get("answer", ""),
                )
                self.answer_prompts.append({"name": name, "prompt": answer["prompt"]})
            self.fields["private"].label = "Keep this reflection private: only I see it"
        if kind == Block.Kind.TIMELINE:
            events = list(block.events or [])
            for n in range(len(events) + BLANK_MILESTONES):
                event = events[n] if n < len(events) else {}
                self.fields[f"ev_{n}_date"] = forms.DateField(
                    label="Date",
                    required=False,
                    initial=event.get("date"),
                    widget=forms.DateInput(attrs={"type": "date"}),
                )
                self.fields[f"ev_{n}_title"] = forms.CharField(
                    label="Milestone", required=False, max_length=TITLE_MAX, initial=event.get("title", "")
                )
                self.fields[f"ev_{n}_text"] = forms.CharField(
                    label="Note", required=False, max_length=2000, initial=event.get("text", "")
                )
                if n < len(events):
                    self.fields[f"ev_{n}_remove"] = forms.BooleanField(label="Remove", required=False)
                self.milestones.append(n)

    def milestone_rows(self):
        return [
            {
                "date": self[f"ev_{n}_date"],
                "title": self[f"ev_{n}_title"],
                "text": self[f"ev_{n}_text"],
                "remove": self[f"ev_{n}_remove"] if f"ev_{n}_remove" in self.fields else None,
            }
            for n in self.milestones
        ]

    def answer_fields(self):
        return [self[a["name"]] for a in self.answer_prompts]

    def clean(self):
        data = super().clean()
        if self.block.kind == Block.Kind.ARTEFACT:
            given = [k for k in ("upload", "url", "item", "enrolment") if data.get(k)]
            if len(given) > 1:
                raise ValidationError("Choose one thing to show: a file, a link, an item from here or a course.")
            data["source"] = given[0] if given else ("clear" if data.get("clear") else "")
        elif self.block.kind == Block.Kind.EMBED:
            data["source"] = "item" if data.get("item") else ("clear" if data.get("clear") else "")
        if self.block.kind == Block.Kind.TIMELINE:
            events = []
            for n in self.milestones:
                if data.get(f"ev_{n}_remove"):
                    continue
                when, title = data.get(f"ev_{n}_date"), (data.get(f"ev_{n}_title") or "").strip()
                if not when and not title:
                    continue
                if not when or not title:
                    self.add_error(f"ev_{n}_title" if when else f"ev_{n}_date", "A milestone needs a date and a title.")
                    continue
                events.append({"date": when.isoformat(), "title": title, "text": data.get(f"ev_{n}_text", "")})
            data["events"] = events
        return data

    def changes(self) -> dict:
        """update_block's keyword arguments for what this form edits (not the artefact's source)."""
        data = self.cleaned_data
        kind = self.block.kind
        changes = {"title": data["title"], "private": data["private"]}
        if "body" in self.fields:
            changes["body"] = data.get("body", "")
        if kind == Block.Kind.REFLECTION:
            changes["answers"] = [
                {"prompt": a["prompt"], "answer": data.get(a["name"], "")} for a in self.answer_prompts
            ]
        if kind == Block.Kind.TIMELINE:
            changes["events"] = data["events"]
        return changes


class EntryForm(forms.Form):
    """A journal entry: when, what happened, its reflection (private if the owner wishes) and evidence."""

    happened = forms.DateField(label="When", widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(max_length=TITLE_MAX, help_text="A few words: what the entry is about.")
    body = forms.CharField(
        label="What I did",
        required=False,
        strip=False,
        max_length=BODY_MAX,
        widget=_markdown_widget(8, preview="entry-preview"),
        help_text="Markdown: **bold**, *italic*, - lists, [a link](https://example.org).",
    )
    reflection_private = forms.BooleanField(
        label="Keep my reflection private",
        required=False,
        help_text="People who can see the journal read the entry but not your answers.",
    )
    item = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    upload = forms.FileField(label="Attach a file", required=False)
    url = forms.URLField(label="Or a link", required=False, max_length=2000, assume_scheme="https")
    clear = forms.BooleanField(label="Remove the evidence", required=False)

    def __init__(self, *args, prompts: list[dict], entry=None, **kwargs):
        initial = {"happened": date.today()}
        given = [{"prompt": p["prompt"], "answer": ""} for p in prompts]
        if entry is not None:
            initial = {
                "happened": entry.happened,
                "title": entry.title,
                "body": entry.body,
                "reflection_private": entry.reflection_private,
            }
            given = entry.answers or given
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        helps = {p["prompt"]: p.get("help", "") for p in prompts}
        self.answer_prompts = []
        for n, answer in enumerate(given):
            name = f"answer_{n}"
            self.fields[name] = forms.CharField(
                label=answer["prompt"],
                required=False,
                strip=False,
                max_length=20000,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=helps.get(answer["prompt"], ""),
                initial=answer.get("answer", ""),
            )
            self.answer_prompts.append({"name": name, "prompt": answer["prompt"]})

    def answer_fields(self):
        return [self[a["name"]] for a in self.answer_prompts]

    def answers(self) -> list[dict]:
        return [{"prompt": a["prompt"], "answer": self.cleaned_data.get(a["name"], "")} for a in self.answer_prompts]

    def clean(self):
        data = super().clean()
        given = [k for k in ("upload", "url", "item") if data.get(k)]
        if len(given) > 1:
            raise ValidationError("Attach one piece of evidence: a file, a link or an item from here.")
        data["source"] = given[0] if given else ("clear" if data.get("clear") else "")
        return data


# --- curators ---------------------------------------------------------------------------------------------


class TemplateForm(forms.Form):
    title = forms.CharField(max_length=TITLE_MAX)
    kind = forms.ChoiceField(label="Kind", choices=Portfolio.Kind.choices, widget=forms.RadioSelect)
    audience = forms.CharField(
        label="Who it is for", required=False, max_length=200, help_text="A programme, a role or an apprenticeship."
    )
    description = forms.CharField(
        label="What it is for", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    skill = forms.CharField(
        label="Skill it builds (optional)",
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={
                "list": "template-skill-options",
                "autocomplete": "off",
                "hx-get": reverse_lazy("people:skill-autocomplete"),
                "hx-trigger": "input changed delay:250ms",
                "hx-target": "#template-skill-options",
                "name": "skill",
            }
        ),
    )
    reflection_template = forms.ModelChoiceField(
        label="Reflection prompts",
        queryset=ReflectionTemplate.objects.order_by("name"),
        required=False,
        empty_label="What happened? So what? Now what? (built in)",
    )
    published = forms.BooleanField(label="Published: people can start from it", required=False)

    def clean_skill(self):
        from people.models import Skill

        name = self.cleaned_data["skill"].strip()
        if not name:
            return None
        skill = Skill.objects.filter(name__iexact=name).first() or Skill.objects.filter(slug=name.lower()).first()
        if skill is None:
            raise ValidationError(f"No skill here is called “{name}”; pick one from the suggestions.")
        return skill


class StructureEditor:
    """A template's pages and blocks as plain form rows (works without JavaScript): each page has a title,
    layout, guidance, an order and a remove box, and its blocks the same; a few blank rows take new ones.
    ``structure`` is what services.clean_structure then checks."""

    def __init__(self, structure: list[dict] | None = None, data=None):
        self.data = data
        self.errors: list[str] = []
        self.structure = self._from_post(data) if data is not None else list(structure or [])

    def _from_post(self, data) -> list[dict]:
        pages = []
        try:
            count = min(int(data.get("pages", 0)), MAX_PAGES + 1)
        except (TypeError, ValueError):
            count = 0
        for n in range(count):
            prefix = f"p{n}"
            title = (data.get(f"{prefix}_title") or "").strip()
            if data.get(f"{prefix}_remove") or (not title and not self._page_has_blocks(data, prefix)):
                continue
            blocks = []
            try:
                block_count = min(int(data.get(f"{prefix}_blocks", 0)), MAX_BLOCKS_PER_PAGE + 1)
            except (TypeError, ValueError):
                block_count = 0
            for m in range(block_count):
                b = f"{prefix}_b{m}"
                kind = data.get(f"{b}_kind", "")
                if data.get(f"{b}_remove") or not kind:
                    continue
                blocks.append(
                    {
                        "kind": kind,
                        "title": (data.get(f"{b}_title") or "").strip(),
                        "column": _int(data.get(f"{b}_column"), 1) - 1,
                        "guidance": (data.get(f"{b}_guidance") or "").strip(),
                        "private": bool(data.get(f"{b}_private")),
                        "order": _int(data.get(f"{b}_order"), m + 1),
                    }
                )
            blocks.sort(key=lambda b: b.pop("order"))
            pages.append(
                {
                    "title": title,
                    "layout": data.get(f"{prefix}_layout", Layout.ONE),
                    "guidance": (data.get(f"{prefix}_guidance") or "").strip(),
                    "blocks": blocks,
                    "order": _int(data.get(f"{prefix}_order"), n + 1),
                }
            )
        pages.sort(key=lambda p: p.pop("order"))
        return pages

    @staticmethod
    def _page_has_blocks(data, prefix) -> bool:
        return any(k.startswith(f"{prefix}_b") and k.endswith("_kind") and data.get(k) for k in data)

    def rows(self) -> list[dict]:
        """Pages to render, each with its blocks and blank block rows, and one blank page at the end."""
        rows = []
        for n, page in enumerate([*self.structure, {"title": "", "layout": Layout.ONE, "guidance": "", "blocks": []}]):
            blocks = [
                *page.get("blocks", []),
                *[{"kind": "", "title": "", "column": 0, "guidance": ""}] * BLANK_TEMPLATE_BLOCKS,
            ]
            rows.append(
                {
                    "n": n,
                    "order": n + 1,
                    "new": n == len(self.structure),
                    "title": page.get("title", ""),
                    "layout": page.get("layout", Layout.ONE),
                    "guidance": page.get("guidance", ""),
                    "blocks": [
                        {
                            "m": m,
                            "order": m + 1,
                            "kind": b.get("kind", ""),
                            "title": b.get("title", ""),
                            "column": int(b.get("column", 0) or 0) + 1,
                            "guidance": b.get("guidance", ""),
                            "private": b.get("private", False),
                            "new": not b.get("kind"),
                        }
                        for m, b in enumerate(blocks)
                    ],
                    "block_count": len(blocks),
                }
            )
        return rows


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


class PromptSetForm(forms.Form):
    name = forms.CharField(max_length=120)
    description = forms.CharField(
        label="When to use it", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, prompts: list[dict] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        prompts = list(prompts or [])
        self.prompt_rows = []
        for n in range(len(prompts) + BLANK_PROMPTS):
            given = prompts[n] if n < len(prompts) else {}
            self.fields[f"prompt_{n}"] = forms.CharField(
                label=f"Prompt {n + 1}", required=False, max_length=300, initial=given.get("prompt", "")
            )
            self.fields[f"help_{n}"] = forms.CharField(
                label="What a good answer says", required=False, max_length=500, initial=given.get("help", "")
            )
            self.prompt_rows.append((self[f"prompt_{n}"], self[f"help_{n}"]))

    def prompts(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {"prompt": data[f"prompt_{n}"].strip(), "help": data[f"help_{n}"].strip()}
            for n in range(len(self.prompt_rows))
            if data.get(f"prompt_{n}", "").strip()
        ]
