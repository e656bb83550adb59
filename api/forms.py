from django import forms

from api.services import NAME_MAX


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=NAME_MAX,
        help_text="What will use it, so you can tell your tokens apart: “reading-list script”.",
    )
