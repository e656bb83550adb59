"""Forms of the board (reading list) pages: details, sections, entries, collaborators, official marking."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy

from core.access import can_create_in, is_site_admin, space_roles
from core.forms import people_named
from core.models import ItemKind, SiteConfig, Visibility
from core.services import parse_tags
from links.models import Board, BoardSection
from links.services import TITLE_MAX

NOTE_MAX = 5_000
DESCRIPTION_MAX = 5_000
SEARCH_MAX = 200

# Everything a board can hold, in the order people reach for them.
KIND_CHOICES = (
    [("", "Anything")]
    + [(value, label) for value, label in ItemKind.choices if value in (ItemKind.LINK, ItemKind.PAGE, ItemKind.FILE)]
    + [(ItemKind.BOARD, "Board")]
)


def _people_field(label: str, help_text: str, suggestions: str) -> forms.CharField:
    """A box of usernames whose datalist ``suggestions`` (a URL name) fills as the person types."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=2000,
        help_text=help_text,
        widget=forms.TextInput(
            attrs={
                "list": "share-suggestions",
                "autocomplete": "off",
                "hx-get": reverse_lazy(suggestions),
                "hx-trigger": "input changed delay:250ms",
                "hx-target": "#share-suggestions",
                "hx-swap": "innerHTML",
            }
        ),
    )


class BoardForm(forms.Form):
    """A board's details: shared by the new-board and edit pages."""

    title = forms.CharField(max_length=TITLE_MAX, error_messages={"required": "A board needs a title."})
    description = forms.CharField(
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the reading list is for and how to work through it.",
    )
    tags = forms.CharField(
        required=False, max_length=500, help_text="Separate tags with commas, e.g. onboarding, data science."
    )
    space = forms.ModelChoiceField(
        label="Board of", queryset=None, required=False, to_field_name="slug", empty_label="Just me (my own board)"
    )
    visibility = forms.ChoiceField(label="Who can see it", widget=forms.RadioSelect)
    shared_with = _people_field(
        "Named people", "Usernames separated by commas, for “Named people”.", "files:share-suggestions"
    )
    layout = forms.ChoiceField(
        label="Show it as",
        choices=Board.Layout.choices,
        initial=Board.Layout.LIST,
        widget=forms.RadioSelect,
        help_text="Readers can switch between the two; this is what they see first.",
    )

    def __init__(self, *args, user, board: Board | None = None, space=None, may_share: bool = True, **kwargs):
        if board is not None:
            item = board.item
            kwargs.setdefault(
                "initial",
                {
                    "title": item.title,
                    "description": item.summary,
                    "tags": ", ".join(t.name for t in item.tags.all()),
                    "visibility": item.visibility,
                    "shared_with": ", ".join(p.username for p in item.shared_with.all()),
                    "layout": board.layout,
                },
            )
        super().__init__(*args, **kwargs)
        self.user = user
        self.board = board
        public_web = SiteConfig.load().public_web
        self.fields["visibility"].choices = [
            (value, label) for value, label in Visibility.choices if value != Visibility.PUBLIC or public_web
        ]
        if not may_share:
            # Collaborators edit what is on the board, never who may see it.
            self.fields["visibility"].disabled = True
            self.fields["shared_with"].disabled = True
        if board is not None:
            del self.fields["space"]
            if board.item.space_id is None:
                self.fields["visibility"].choices = [
                    c for c in self.fields["visibility"].choices if c[0] != Visibility.SPACE
                ]
        else:
            from spaces.models import Space

            ids = set(space_roles(user))
            if space is not None and can_create_in(user, space):
                ids.add(space.pk)
            self.fields["space"].queryset = Space.objects.filter(pk__in=ids).order_by("name")
            if is_site_admin(user):
                self.fields["space"].help_text = "Spaces you belong to; open a space's page to make a board in another."

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise ValidationError("A board needs a title.")
        return title

    def clean_tags(self):
        return parse_tags(self.cleaned_data["tags"])

    def clean_shared_with(self):
        return people_named(self.cleaned_data["shared_with"], self.user)

    def clean(self):
        data = super().clean()
        visibility = data.get("visibility")
        space = self.board.item.space if self.board is not None else data.get("space")
        if visibility == Visibility.SPACE and space is None and "space" not in self.errors:
            self.add_error("visibility", "Only a board in a space can be limited to the space's members.")
        if visibility == Visibility.PEOPLE and "shared_with" in data and not data["shared_with"]:
            self.add_error("shared_with", "Name at least one person to share the board with.")
        return data


class SectionForm(forms.Form):
    title = forms.CharField(
        label="Section title", max_length=120, error_messages={"required": "A section needs a title."}
    )

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise ValidationError("A section needs a title.")
        return title


def _section_choices(sections) -> list[tuple[str, str]]:
    return [("", "No section (top of the board)")] + [(str(s.pk), s.title) for s in sections]


class SectionChoiceMixin:
    """A ``section`` field offering the board's own sections, cleaned to a BoardSection or None."""

    def _set_sections(self, sections):
        self._sections = {str(s.pk): s for s in sections}
        self.fields["section"].choices = _section_choices(sections)

    def clean_section(self):
        value = self.cleaned_data.get("section") or ""
        return self._sections.get(value)


class EntryForm(SectionChoiceMixin, forms.Form):
    """The curator's note on one entry, and the section it sits in."""

    note = forms.CharField(
        label="Curator's note",
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why it is on the list, what to look for, how long it takes.",
    )
    section = forms.ChoiceField(required=False)

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_sections(sections)


class AddEntryForm(SectionChoiceMixin, forms.Form):
    """Put something on the board: an item found by searching, or a web address saved as a new link."""

    kind = forms.ChoiceField(label="Kind", required=False, choices=KIND_CHOICES)
    item = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    url = forms.CharField(
        label="Or a web address",
        required=False,
        max_length=2000,
        widget=forms.TextInput(attrs={"type": "url", "placeholder": "https://", "inputmode": "url"}),
        help_text="Saved to your links first, then added here.",
    )
    note = forms.CharField(
        label="Curator's note",
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Optional: why it is on the list.",
    )
    section = forms.ChoiceField(label="In section", required=False)

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_sections(sections)

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("item") and not (data.get("url") or "").strip():
            raise ValidationError("Choose something you found, or give a web address.")
        return data


class MoveForm(forms.Form):
    """Up or down one place (the buttons), or before another entry in a section (drag and drop)."""

    direction = forms.ChoiceField(required=False, choices=[("", ""), ("up", "up"), ("down", "down")])
    section = forms.CharField(required=False, max_length=20)
    before = forms.IntegerField(required=False, min_value=1)

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("direction") and "section" not in self.data:
            raise ValidationError("Say where to move it: up, down, or a section to put it in.")
        return data


class CollaboratorsForm(forms.Form):
    people = _people_field(
        "Collaborators",
        "Usernames separated by commas. They can add, arrange and annotate entries.",
        "links:board-people-suggestions",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_people(self):
        people = people_named(self.cleaned_data["people"], self.user)
        return [p for p in people if p.pk != self.user.pk]


class OfficialForm(forms.Form):
    """A curator marks the board as the recommended reading list for a skill, a role or a topic."""

    official = forms.BooleanField(label="Official recommended reading list", required=False)
    skill = forms.CharField(
        required=False,
        max_length=200,
        help_text="A skill from the organisation's list; the board is featured on its page.",
        widget=forms.TextInput(
            attrs={
                "list": "skill-options",
                "autocomplete": "off",
                "hx-get": reverse_lazy("people:skill-autocomplete"),
                "hx-trigger": "input changed delay:250ms",
                "hx-target": "#skill-options",
                "hx-swap": "innerHTML",
            }
        ),
    )
    role = forms.CharField(
        required=False,
        max_length=80,
        help_text="A job title; people with it see the board on their home page.",
        widget=forms.TextInput(attrs={"list": "role-options", "autocomplete": "off"}),
    )
    topic = forms.CharField(required=False, max_length=120, help_text="Anything else it covers, in a few words.")

    def clean_skill(self):
        from people.queries import resolve_skill

        text = self.cleaned_data["skill"].strip()
        if not text:
            return None
        skill = resolve_skill(text)
        if skill is None:
            raise ValidationError(f"There is no skill called “{text}”. Pick one from the suggestions.")
        return skill

    def clean(self):
        data = super().clean()
        purpose = data.get("skill") or data.get("role", "").strip() or data.get("topic", "").strip()
        if data.get("official") and not self.errors and not purpose:
            raise ValidationError("Say what the reading list is for: a skill, a role or a topic.")
        return data


class QuickBoardForm(forms.Form):
    """A new board made while saving something to it (only a title; the rest can be changed later)."""

    title = forms.CharField(
        label="New board", max_length=TITLE_MAX, error_messages={"required": "A board needs a title."}
    )

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise ValidationError("A board needs a title.")
        return title


def section_from(board: Board, value) -> BoardSection | None:
    """The board's own section named by a posted id; anything else (empty, unknown, another board's) is None."""
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    return BoardSection.objects.filter(board=board, pk=pk).first()
