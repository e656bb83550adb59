from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy

from core.models import ItemKind, SiteConfig, Visibility
from core.services import parse_tags


class BrowseForm(forms.Form):
    kind = forms.ChoiceField(choices=[("", "All kinds"), *ItemKind.choices], required=False)
    tag = forms.SlugField(required=False)
    space = forms.SlugField(required=False)
    owner = forms.CharField(required=False, max_length=150)
    sort = forms.ChoiceField(choices=[("", "Newest"), ("rating", "Best rated")], required=False)


def people_named(text: str, viewer) -> list:
    """The people named by comma- or space-separated usernames (an @ allowed), each one ``viewer`` may see."""
    names = [n.lstrip("@") for n in (text or "").replace(",", " ").split() if n.lstrip("@")]
    if not names:
        return []
    people = list(get_user_model().objects.visible_to(viewer).filter(username__in=names))
    known = {p.username.lower() for p in people}
    unknown = [n for n in names if n.lower() not in known]
    if unknown:
        raise ValidationError(f"No one here has the username {', '.join(unknown)}.")
    return people


def shared_with_field() -> forms.CharField:
    """The "named people" box, its datalist filled with usernames as the person types."""
    return forms.CharField(
        label="Named people",
        required=False,
        max_length=2000,
        help_text="Usernames separated by commas, for “Named people”.",
        widget=forms.TextInput(
            attrs={
                "list": "share-suggestions",
                "autocomplete": "off",
                "hx-get": reverse_lazy("files:share-suggestions"),
                "hx-trigger": "input changed delay:250ms",
                "hx-target": "#share-suggestions",
                "hx-swap": "innerHTML",
            }
        ),
    )


def visibility_choices(*, in_space: bool = True) -> list[tuple[str, str]]:
    """The visibilities an item may take here: public only where the site allows it, space only in one."""
    public_web = SiteConfig.load().public_web
    return [
        (value, label)
        for value, label in Visibility.choices
        if (value != Visibility.PUBLIC or public_web) and (value != Visibility.SPACE or in_space)
    ]


class SharingMixin:
    """Every item kind's form reads its tags and "named people" the same way (``self.user`` is the viewer)."""

    def clean_tags(self):
        return parse_tags(self.cleaned_data["tags"])

    def clean_shared_with(self):
        return people_named(self.cleaned_data["shared_with"], self.user)
