from django import forms
from django.utils.text import slugify

from core.models import ItemKind
from search.backends import MAX_QUERY_LENGTH
from search.models import SearchDocument
from search.queries import my_spaces, visible_space


class SearchForm(forms.Form):
    """The search box and its filters; the same names as the API's query parameters."""

    q = forms.CharField(
        label="Search for",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "placeholder": 'Words, "a phrase", -without'}
        ),
    )
    # Chosen with the tabs above the results; carried along as the words change.
    kind = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[("", "Everything"), *SearchDocument.Kind.choices],
        widget=forms.HiddenInput,
    )
    item_kind = forms.ChoiceField(
        label="Kind of item", required=False, choices=[("", "Any kind"), *ItemKind.choices], widget=forms.HiddenInput
    )
    space = forms.ChoiceField(label="Space", required=False)
    tag = forms.CharField(label="Tag", required=False, max_length=60)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        choices = [("", "Any space"), *((s.slug, s.name) for s in my_spaces(user))]
        asked = (self.data.get("space") or "").strip()
        # A space the person may see but does not belong to can still be chosen from a link.
        if asked and asked not in dict(choices):
            space = visible_space(user, asked)
            if space is not None:
                choices.append((space.slug, space.name))
        self.fields["space"].choices = choices

    def clean_space(self):
        slug = self.cleaned_data["space"]
        return visible_space(self.user, slug) if slug else None

    def clean_tag(self):
        return slugify(self.cleaned_data["tag"])[:60]

    def clean(self):
        data = super().clean()
        if data.get("item_kind") and data.get("kind") not in ("", "item"):
            self.add_error("item_kind", "Only items have a kind; choose “Items” or “Everything”.")
        return data
