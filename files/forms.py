from django import forms
from django.core.exceptions import ValidationError

from core.access import can_create_in, is_site_admin, space_roles
from core.forms import people_named, shared_with_field, visibility_choices
from core.models import Visibility
from core.services import parse_tags
from files.services import TITLE_MAX
from lib.uploads import accept_attribute, allowed_summary

MAX_FILES_PER_UPLOAD = 10


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file input that accepts several files; cleans to a list."""

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        files = [f for f in files if f]
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > MAX_FILES_PER_UPLOAD:
            raise ValidationError(f"Upload at most {MAX_FILES_PER_UPLOAD} files at once.")
        return [forms.FileField.clean(self, f, initial) for f in files]


class FileMetaForm(forms.Form):
    """What an uploader says about a file: shared by the upload and edit pages."""

    title = forms.CharField(max_length=TITLE_MAX, required=False)
    summary = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    tags = forms.CharField(
        required=False, max_length=500, help_text="Separate tags with commas, e.g. onboarding, data science."
    )
    visibility = forms.ChoiceField(label="Who can see it", widget=forms.RadioSelect)
    shared_with = shared_with_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["visibility"].choices = visibility_choices()

    def clean_tags(self):
        return parse_tags(self.cleaned_data["tags"])

    def clean_shared_with(self):
        return people_named(self.cleaned_data["shared_with"], self.user)

    def destination(self):
        return None

    def clean(self):
        data = super().clean()
        visibility = data.get("visibility")
        if visibility == Visibility.SPACE and self.destination() is None and "space" not in self.errors:
            self.add_error("visibility", "Only a file in a space can be limited to the space's members.")
        if visibility == Visibility.PEOPLE and "shared_with" in data and not data["shared_with"]:
            self.add_error("shared_with", "Name at least one person to share the file with.")
        return data


class UploadForm(FileMetaForm):
    file = MultipleFileField(
        label="Files",
        widget=MultipleFileInput(attrs={"accept": accept_attribute()}),
        help_text=f"Up to {MAX_FILES_PER_UPLOAD} at once. Accepted: {allowed_summary()}.",
    )
    space = forms.ModelChoiceField(
        label="Share in", queryset=None, required=False, to_field_name="slug", empty_label="My profile"
    )

    field_order = ["file", "title", "summary", "tags", "space", "visibility", "shared_with"]

    def __init__(self, *args, user, space=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        from spaces.models import Space

        ids = set(space_roles(user))
        if space is not None and can_create_in(user, space):
            ids.add(space.pk)
        self.fields["space"].queryset = Space.objects.filter(pk__in=ids).order_by("name")
        self.fields["title"].help_text = "Leave empty to use the file name. With several files, each takes its own."
        if is_site_admin(user):
            self.fields["space"].help_text = "Spaces you belong to; open a space's page to share in another."

    def destination(self):
        return self.cleaned_data.get("space")


class EditForm(FileMetaForm):
    replacement = forms.FileField(
        label="Replace the file",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": accept_attribute()}),
        help_text="Optional: a new version of the same document. It is checked like any upload.",
    )
    updated = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    field_order = ["title", "summary", "tags", "visibility", "shared_with", "replacement"]

    def __init__(self, *args, user, item, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "title": item.title,
                "summary": item.summary,
                "tags": ", ".join(t.name for t in item.tags.all()),
                "visibility": item.visibility,
                "shared_with": ", ".join(p.username for p in item.shared_with.all()),
                "updated": item.updated,
            },
        )
        super().__init__(*args, user=user, **kwargs)
        self.item = item
        self.fields["title"].required = True
        if item.space_id is None:
            self.fields["visibility"].choices = [
                choice for choice in self.fields["visibility"].choices if choice[0] != Visibility.SPACE
            ]

    def destination(self):
        return self.item.space
