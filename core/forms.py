from django import forms

from core.models import ItemKind


class BrowseForm(forms.Form):
    kind = forms.ChoiceField(choices=[("", "All kinds"), *ItemKind.choices], required=False)
    tag = forms.SlugField(required=False)
    space = forms.SlugField(required=False)
    owner = forms.CharField(required=False, max_length=150)
