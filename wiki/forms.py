from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy

from core import forms as core_forms
from core.access import can_create_in, space_roles
from core.models import Visibility
from wiki import diffing
from wiki.services import SUMMARY_MAX, TEXT_MAX, TITLE_MAX

PARENT_CHOICES_MAX = 2000
# What the editor puts around an overlap it could not merge (wiki.diffing): saving them would publish them.
CONFLICT_MARKERS = (diffing.MARK_MINE, diffing.MARK_THEIRS)


def _text_field():
    return forms.CharField(
        label="Text",
        required=False,
        strip=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(
            attrs={
                "rows": 24,
                "spellcheck": "true",
                "class": "wiki-text",
                # The live preview: wiki:preview renders the text as the page would show it.
                "hx-post": reverse_lazy("wiki:preview"),
                "hx-trigger": "keyup changed delay:400ms, input changed delay:400ms",
                "hx-target": "#wiki-preview",
                "hx-swap": "innerHTML",
                "hx-sync": "this:replace",
            }
        ),
        help_text="Markdown. Link pages with [[Page title]] or [[space:Page title]]; a line of --- starts a new slide.",
    )


def _check_markers(text: str) -> None:
    lines = set(diffing.split_lines(text))
    if any(marker in lines for marker in CONFLICT_MARKERS):
        raise ValidationError(
            "The text still has conflict markers (<<<<<<< your version … >>>>>>> saved meanwhile by others). "
            "Keep the lines you want between them, delete the rest and the marker lines, then save."
        )


class SharingMixin(core_forms.SharingMixin):
    def _check_people(self, data):
        if data.get("visibility") == Visibility.PEOPLE and "shared_with" in data and not data["shared_with"]:
            self.add_error("shared_with", "Name at least one person to share the page with.")


def _tags_field():
    return forms.CharField(
        required=False, max_length=500, help_text="Separate tags with commas, e.g. onboarding, how-to."
    )


def _shared_with_field():
    return forms.CharField(
        label="Named people",
        required=False,
        max_length=2000,
        help_text="Usernames separated by commas, for “Named people”. They can read and edit the page.",
    )


class EditForm(forms.Form):
    """An edit of a page's text, saved against the revision it started from."""

    title = forms.CharField(max_length=TITLE_MAX)
    text = _text_field()
    summary = forms.CharField(
        label="Edit summary",
        required=False,
        max_length=SUMMARY_MAX,
        help_text="What you changed, in a few words; shown in the history.",
    )
    minor = forms.BooleanField(label="Minor edit (a typo, formatting): watchers are not notified", required=False)
    base = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def clean_text(self):
        text = self.cleaned_data["text"]
        _check_markers(text)
        return text


class NewPageForm(SharingMixin, forms.Form):
    """A new page: where it goes, who may see it, and its first text."""

    title = forms.CharField(max_length=TITLE_MAX)
    space = forms.ChoiceField(
        label="Wiki",
        required=False,
        widget=forms.Select(
            attrs={
                # Another wiki has other pages to go under: fetch its parent choices.
                "hx-get": reverse_lazy("wiki:new"),
                "hx-trigger": "change",
                "hx-target": "#parent-field",
                "hx-select": "#parent-field",
                "hx-swap": "outerHTML",
            }
        ),
    )
    parent = forms.TypedChoiceField(label="Under", required=False, coerce=int, empty_value=None)
    text = _text_field()
    tags = _tags_field()
    visibility = forms.ChoiceField(label="Who can see it", widget=forms.RadioSelect)
    shared_with = _shared_with_field()
    template = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, spaces, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.spaces = {s.slug: s for s in spaces}
        self.fields["space"].choices = [("", "My own pages")] + [(s.slug, s.name) for s in spaces]
        self.fields["parent"].choices = [("", "— Top level —")] + [
            (node.pk, "\u2003" * depth + node.title) for depth, node in parents[:PARENT_CHOICES_MAX]
        ]
        self.fields["visibility"].choices = core_forms.visibility_choices(in_space=True)

    def clean_space(self):
        slug = self.cleaned_data["space"]
        if not slug:
            return None
        space = self.spaces.get(slug)
        if space is None or not can_create_in(self.user, space):
            raise ValidationError("You can only write pages in spaces you belong to.")
        return space

    def clean_text(self):
        text = self.cleaned_data["text"]
        _check_markers(text)
        return text

    def clean(self):
        data = super().clean()
        if data.get("visibility") == Visibility.SPACE and not data.get("space") and "space" not in self.errors:
            self.add_error("visibility", "Only a page in a space can be limited to the space's members.")
        self._check_people(data)
        return data


class SettingsForm(SharingMixin, forms.Form):
    """Where a page sits (parent, address) and who may see it."""

    parent = forms.TypedChoiceField(label="Under", required=False, coerce=int, empty_value=None)
    slug = forms.CharField(
        label="Address",
        max_length=200,
        help_text="The last part of the page's web address. Links written as [[Title]] keep working.",
    )
    tags = _tags_field()
    visibility = forms.ChoiceField(label="Who can see it", widget=forms.RadioSelect)
    shared_with = _shared_with_field()

    def __init__(self, *args, user, page, parents, can_change_visibility: bool, **kwargs):
        item = page.item
        kwargs.setdefault(
            "initial",
            {
                "parent": page.parent_id,
                "slug": page.slug,
                "tags": ", ".join(t.name for t in item.tags.all()),
                "visibility": item.visibility,
                "shared_with": ", ".join(p.username for p in item.shared_with.all()),
            },
        )
        super().__init__(*args, **kwargs)
        self.user = user
        self.page = page
        self.fields["parent"].choices = [("", "— Top level —")] + [
            (node.pk, "\u2003" * depth + node.title) for depth, node in parents[:PARENT_CHOICES_MAX]
        ]
        self.fields["visibility"].choices = core_forms.visibility_choices(in_space=page.space_id is not None)
        if not can_change_visibility:
            self.fields["visibility"].disabled = True
            self.fields["shared_with"].disabled = True
            self.fields["visibility"].help_text = "Only the page's owner or a space moderator can change this."

    def clean(self):
        data = super().clean()
        self._check_people(data)
        return data


class TemplateForm(forms.Form):
    name = forms.CharField(max_length=80)
    description = forms.CharField(required=False, max_length=200)
    text = forms.CharField(
        label="Text", strip=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 18, "class": "wiki-text"})
    )


class ImportForm(forms.Form):
    archive = forms.FileField(
        label="Zip of Markdown files",
        help_text="A folder of .md files zipped up: an export from here, an Obsidian vault, another wiki's export.",
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )
    visibility = forms.ChoiceField(label="Who can see the imported pages", widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visibility"].choices = core_forms.visibility_choices(in_space=True)
        self.fields["visibility"].choices = [
            c for c in self.fields["visibility"].choices if c[0] not in (Visibility.PEOPLE, Visibility.PRIVATE)
        ]
        self.initial.setdefault("visibility", Visibility.SPACE)


def spaces_to_write_in(user, also=None):
    """Spaces the person may add pages to (their memberships), plus ``also`` when they may write there."""
    from spaces.models import Space

    ids = set(space_roles(user))
    if also is not None and can_create_in(user, also):
        ids.add(also.pk)
    return list(Space.objects.filter(pk__in=ids).order_by("name"))
