"""Forms of the sharing pages: who sees a portfolio, secret links, feedback, submissions and assessments."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils import timezone

from core.access import space_roles
from core.forms import people_named, shared_with_field
from core.models import Visibility
from portfolios import sharing
from portfolios.models import Submission

# What each choice means for a portfolio, in the words the sharing page uses.
VISIBILITY_CHOICES = [
    (Visibility.PRIVATE, "Only me"),
    (Visibility.PEOPLE, "People I name"),
    (Visibility.SPACE, "Members of its space"),
    (Visibility.ORGANISATION, "Everyone in the organisation"),
]


def _people_box(label: str, help_text: str) -> forms.CharField:
    """Usernames, with suggestions as the person types (the boards' people box answers for any ``people`` field)."""
    return forms.CharField(
        label=label,
        max_length=2000,
        help_text=help_text,
        widget=forms.TextInput(
            attrs={
                "list": "share-suggestions",
                "autocomplete": "off",
                "hx-get": reverse_lazy("links:board-people-suggestions"),
                "hx-trigger": "input changed delay:250ms",
                "hx-target": "#share-suggestions",
                "hx-swap": "innerHTML",
            }
        ),
    )


class SharingForm(forms.Form):
    visibility = forms.ChoiceField(label="Who can see it", choices=VISIBILITY_CHOICES, widget=forms.RadioSelect)
    share_evidence = forms.BooleanField(
        label="Let the same people open my own files and links shown in it",
        required=False,
        initial=True,
        help_text="Otherwise they see “not shared with you” where the portfolio shows something they can't open.",
    )
    shared_with = shared_with_field()
    space = forms.ModelChoiceField(
        label="Space",
        queryset=None,
        required=False,
        to_field_name="slug",
        empty_label="No space (my own)",
        help_text="“Members of its space” means the members of this space.",
    )

    def __init__(self, *args, user, portfolio, **kwargs):
        item = portfolio.item
        kwargs.setdefault(
            "initial",
            {
                "visibility": item.visibility,
                "shared_with": ", ".join(p.username for p in item.shared_with.all()),
                "space": item.space.slug if item.space_id else None,
            },
        )
        super().__init__(*args, **kwargs)
        from spaces.models import Space

        self.user = user
        ids = set(space_roles(user)) | ({item.space_id} if item.space_id else set())
        self.fields["space"].queryset = Space.objects.filter(pk__in=ids).order_by("name")

    def clean_shared_with(self):
        return people_named(self.cleaned_data["shared_with"], self.user)

    def clean(self):
        data = super().clean()
        if data.get("visibility") == Visibility.SPACE and "space" in data and data["space"] is None:
            self.add_error("space", "Choose the space whose members may see it.")
        if data.get("visibility") == Visibility.PEOPLE and "shared_with" in data and not data["shared_with"]:
            self.add_error("shared_with", "Name at least one person to share it with.")
        return data


class SecretLinkForm(forms.Form):
    label = forms.CharField(
        label="Who it is for",
        max_length=sharing.LABEL_MAX,
        required=False,
        help_text="So you can tell your links apart, e.g. “Interview panel, March”.",
    )
    lasts = forms.TypedChoiceField(
        label="It works",
        choices=[("", "Until I revoke it"), ("1", "For a day"), ("7", "For a week"), ("30", "For 30 days")]
        + [("90", "For 3 months"), ("365", "For a year")],
        coerce=int,
        empty_value=None,
        required=False,
        help_text="You can revoke it at any time.",
    )

    def clean_lasts(self):
        days = self.cleaned_data["lasts"]
        return timezone.now() + timedelta(days=days) if days else None


class AskFeedbackForm(forms.Form):
    people = _people_box("Ask", "Usernames of peers or advisors, separated by commas.")
    message = forms.CharField(
        label="Message",
        required=False,
        max_length=sharing.MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What you would like them to look at, e.g. “Is my reflection on the workshop honest enough?”",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_people(self):
        return people_named(self.cleaned_data["people"], self.user)


class FeedbackForm(forms.Form):
    body = forms.CharField(
        label="Your feedback",
        max_length=sharing.BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Markdown works: **bold**, lists, links.",
    )
    private = forms.BooleanField(label="Private: only the owner and you will see it", required=False)
    page = forms.IntegerField(required=False, widget=forms.HiddenInput)
    block = forms.IntegerField(required=False, widget=forms.HiddenInput)
    entry = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ReplyForm(forms.Form):
    body = forms.CharField(label="Reply", max_length=sharing.BODY_MAX, widget=forms.Textarea(attrs={"rows": 2}))


class AddressedForm(forms.Form):
    addressed = forms.TypedChoiceField(choices=[("1", "Addressed"), ("0", "Not yet")], coerce=lambda v: v == "1")


class SubmitForm(forms.Form):
    people = _people_box("Reviewer", "The username of the advisor or assessor who should assess it.")
    message = forms.CharField(
        label="Message",
        required=False,
        max_length=sharing.MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What it is for and what you would like them to judge.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_people(self):
        people = people_named(self.cleaned_data["people"], self.user)
        if len(people) != 1:
            raise ValidationError("Name one reviewer.")
        return people[0]


class AssessForm(forms.Form):
    outcome = forms.ChoiceField(label="Outcome", choices=Submission.Outcome.choices, widget=forms.RadioSelect)
    assessment = forms.CharField(
        label="Assessment",
        max_length=sharing.ASSESSMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What you saw, what it shows, and what to do next. Markdown works.",
    )
