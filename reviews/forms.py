from django import forms

from reviews.queries import FILTERS, SORTS
from reviews.services import BODY_MAX, REASON_MAX

STARS = [(n, f"{n} star{'s' if n > 1 else ''}") for n in range(5, 0, -1)]


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        choices=STARS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose from 1 to 5 stars.", "invalid_choice": "Choose from 1 to 5 stars."},
    )
    body = forms.CharField(
        required=False,
        max_length=BODY_MAX,
        label="Your review (optional)",
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "What did you learn? Who is it for?"}),
    )


class ListForm(forms.Form):
    """How a reader sorts and narrows an item's reviews."""

    sort = forms.ChoiceField(choices=[(k, label) for k, (label, _) in SORTS.items()], required=False)
    only = forms.ChoiceField(choices=[("", "Everyone"), *FILTERS.items()], required=False, label="From")


class ReportForm(forms.Form):
    reason = forms.CharField(max_length=REASON_MAX, label="What is wrong with it?")


class ReplyForm(forms.Form):
    body = forms.CharField(
        required=False, max_length=BODY_MAX, label="Your reply", widget=forms.Textarea(attrs={"rows": 3})
    )
