"""Forms for saving, changing, importing and discussing links. Services check everything again; these forms
turn bad input into messages beside the field it concerns."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import slugify

from core.access import can_create_in, is_site_admin, space_roles
from core.forms import people_named, shared_with_field, visibility_choices
from core.models import SiteConfig, Visibility
from core.services import parse_tags
from links.models import ImportJob
from links.services import NOTES_MAX, TITLE_MAX

URL_MAX = 2000
DESCRIPTION_MAX = 5000
COMMENT_MAX = 10_000
IMPORT_MAX_MB = 20


def clean_url(value: str) -> str:
    """The normalised URL, or the normaliser's own message as a form error."""
    from links.normalise import normalise_url

    value = (value or "").strip()
    if not value:
        raise ValidationError("Give the address of the page (https://…).")
    try:
        return normalise_url(value)
    except ValidationError as exc:
        raise ValidationError(exc.messages) from None


class LinkMetaForm(forms.Form):
    """What a person says about a link they save: shared by the share, image and edit pages."""

    title = forms.CharField(max_length=TITLE_MAX, required=False)
    description = forms.CharField(
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the page is about, or a quote from it.",
    )
    notes = forms.CharField(
        label="Your notes",
        required=False,
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Why it is worth reading. Shown with your save to everyone who may see it.",
    )
    tags = forms.CharField(
        required=False, max_length=500, help_text="Separate tags with commas, e.g. python, data science."
    )
    visibility = forms.ChoiceField(label="Who can see it", widget=forms.RadioSelect)
    shared_with = shared_with_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["visibility"].choices = visibility_choices()

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())

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
            self.add_error("visibility", "Only a link saved in a space can be limited to the space's members.")
        if visibility == Visibility.PEOPLE and "shared_with" in data and not data["shared_with"]:
            self.add_error("shared_with", "Name at least one person to share the link with.")
        return data


def _space_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label="Save in", queryset=None, required=False, to_field_name="slug", empty_label="My own links"
    )


def _my_spaces(user, extra=None):
    from spaces.models import Space

    ids = set(space_roles(user))
    if extra is not None and can_create_in(user, extra):
        ids.add(extra.pk)
    return Space.objects.filter(pk__in=ids).order_by("name")


class SaveForm(LinkMetaForm):
    """The share page: a URL and what the person says about it."""

    url = forms.CharField(
        label="Address",
        max_length=URL_MAX,
        widget=forms.URLInput(attrs={"placeholder": "https://…", "autocomplete": "off", "inputmode": "url"}),
    )
    space = _space_field()

    field_order = ["url", "title", "description", "notes", "tags", "space", "visibility", "shared_with"]

    def __init__(self, *args, user, space=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["space"].queryset = _my_spaces(user, space)
        self.fields["title"].help_text = "Leave empty to use the page's own title once it has been fetched."
        if is_site_admin(user):
            self.fields["space"].help_text = "Spaces you belong to."

    def clean_url(self):
        return clean_url(self.cleaned_data["url"])

    def destination(self):
        return self.cleaned_data.get("space")


class ImageForm(SaveForm):
    """Image-linking: an image (uploaded, or the address of one) and the page it comes from."""

    image = forms.ImageField(
        label="Image file",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".png,.jpg,.jpeg,.gif,.webp"}),
        help_text="PNG, JPEG, GIF or WebP.",
    )
    image_url = forms.CharField(
        label="…or the image's address",
        required=False,
        max_length=URL_MAX,
        widget=forms.URLInput(attrs={"placeholder": "https://…/picture.jpg", "autocomplete": "off"}),
        help_text="It is fetched once and kept here, so it stays when the original moves.",
    )

    field_order = ["image", "image_url", "url", "title", "description", "notes", "tags", "space", "visibility"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["url"].label = "Where it comes from"
        self.fields["url"].help_text = "The page the image belongs to: the save links to it."

    def clean_image_url(self):
        value = self.cleaned_data["image_url"].strip()
        return clean_url(value) if value else ""

    def clean(self):
        data = super().clean()
        if not data.get("image") and not data.get("image_url") and "image" not in self.errors:
            if "image_url" not in self.errors:
                self.add_error("image", "Choose an image file or give the address of one.")
        elif data.get("image") and data.get("image_url"):
            self.add_error("image_url", "Give either a file or an address, not both.")
        return data


class EditForm(LinkMetaForm):
    """Changing one's own save (the address stays: saving another address is another save)."""

    field_order = ["title", "description", "notes", "tags", "visibility", "shared_with"]

    def __init__(self, *args, user, bookmark, **kwargs):
        item = bookmark.item
        kwargs.setdefault(
            "initial",
            {
                "title": item.title,
                "description": item.summary,
                "notes": bookmark.notes,
                "tags": ", ".join(t.name for t in item.tags.all()),
                "visibility": item.visibility,
                "shared_with": ", ".join(p.username for p in item.shared_with.all()),
            },
        )
        super().__init__(*args, user=user, **kwargs)
        self.item = item
        self.fields["title"].required = True
        if item.space_id is None:
            self.fields["visibility"].choices = [
                c for c in self.fields["visibility"].choices if c[0] != Visibility.SPACE
            ]

    def destination(self):
        return self.item.space


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Your comment",
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Markdown works: **bold**, _italic_, `code`, lists and links.",
        error_messages={"required": "Write something first."},
    )


class ImportForm(forms.Form):
    """A bookmark file and how to file what is in it."""

    file = forms.FileField(
        label="Bookmark file",
        widget=forms.ClearableFileInput(attrs={"accept": ".html,.htm"}),
        help_text=(
            "The HTML file your browser or bookmark service exports (Firefox, Chrome, Safari, Edge, Pinboard, "
            f"linkding, Shaarli, Raindrop…), up to {IMPORT_MAX_MB} MB."
        ),
    )
    folders = forms.ChoiceField(
        label="Folders", choices=ImportJob.Folders.choices, initial=ImportJob.Folders.TAGS, widget=forms.RadioSelect
    )
    space = _space_field()
    visibility = forms.ChoiceField(
        label="Who can see the imported links",
        widget=forms.RadioSelect,
        help_text="Links marked private in the file stay private whatever you choose here.",
    )

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {"visibility": Visibility.PRIVATE})
        super().__init__(*args, **kwargs)
        self.fields["space"].label = "Import into"
        self.fields["space"].queryset = _my_spaces(user)
        public_web = SiteConfig.load().public_web
        self.fields["visibility"].choices = [
            (value, label)
            for value, label in Visibility.choices
            if value != Visibility.PEOPLE and (value != Visibility.PUBLIC or public_web)
        ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_MB * 1024 * 1024:
            raise ValidationError(f"The file is larger than {IMPORT_MAX_MB} MB.")
        if upload.size == 0:
            raise ValidationError("The file is empty.")
        return upload

    def clean(self):
        data = super().clean()
        if data.get("visibility") == Visibility.SPACE and not data.get("space"):
            self.add_error("visibility", "Choose a space to limit the links to its members.")
        return data


class FilterForm(forms.Form):
    """The link list's filters: a filter that makes no sense is left out, and the others still apply."""

    SORTS = [("newest", "Newest"), ("popular", "Most saved")]

    tag = forms.CharField(required=False, max_length=60)
    space = forms.SlugField(required=False, max_length=120)
    person = forms.CharField(label="Saved by (username)", required=False, max_length=150)
    domain = forms.CharField(label="Site", required=False, max_length=255)
    sort = forms.ChoiceField(choices=SORTS, required=False)

    def clean_tag(self):
        return slugify(self.cleaned_data["tag"].lstrip("#"))[:60]

    def clean_domain(self):
        return self.cleaned_data["domain"].strip().lower().removeprefix("www.")

    def clean_person(self):
        return self.cleaned_data["person"].strip().lstrip("@")
