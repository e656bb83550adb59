from django import forms
from django.core.validators import validate_email
from django.db.models import Q

from spaces import services
from spaces.models import Membership, Space

COVER_ACCEPT = "image/jpeg,image/png,image/gif,image/webp"


class SpaceFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=120, label="Name")
    kind = forms.ChoiceField(choices=[("", "All kinds"), *Space.Kind.choices], required=False)
    mine = forms.BooleanField(required=False, label="Only spaces I belong to")


class SpaceForm(forms.Form):
    name = forms.CharField(max_length=120)
    slug = forms.SlugField(
        max_length=120,
        required=False,
        label="Address",
        help_text="The space's web address, /spaces/<address>/. Leave it empty to make one from the name.",
    )
    kind = forms.ChoiceField(choices=Space.Kind.choices)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=services.MAX_DESCRIPTION,
        help_text="What the space is for and who should join.",
    )
    cover = forms.FileField(
        required=False,
        label="Cover image",
        help_text="JPEG, PNG, GIF or WebP. Wide images work best; it is resized to 1600 pixels wide.",
        widget=forms.FileInput(attrs={"accept": COVER_ACCEPT}),
    )
    remove_cover = forms.BooleanField(required=False, label="Remove the current cover")
    visibility = forms.ChoiceField(
        choices=Space.Visibility.choices, widget=forms.RadioSelect, initial=Space.Visibility.OPEN
    )

    @classmethod
    def for_space(cls, space: Space, *args, **kwargs):
        initial = {f: getattr(space, f) for f in ("name", "slug", "kind", "description", "visibility")}
        return cls(*args, initial=initial, **kwargs)


class InviteForm(forms.Form):
    """Pick someone by username, name or e-mail address; an unknown address invites them to sign up."""

    NEWCOMER_ROLES = [
        ("guest", "A guest"),
        ("learner", "A member of the organisation"),
    ]

    who = forms.CharField(
        max_length=254,
        label="Person to invite",
        help_text="A username, a name, or the e-mail address of someone who has not signed up yet.",
    )
    role = forms.ChoiceField(
        choices=NEWCOMER_ROLES,
        initial="guest",
        required=False,
        label="Someone new joins as",
        help_text="For an e-mail address with no account yet. A guest sees only the spaces they are invited to.",
    )

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        self.person = None
        self.email = ""

    def clean_role(self):
        return self.cleaned_data["role"] or "guest"

    def clean_who(self):
        from people.models import User

        text = self.cleaned_data["who"].strip().lstrip("@")
        people = User.objects.visible_to(self.viewer).filter(is_active=True)
        if "@" in text:
            try:
                validate_email(text)
            except forms.ValidationError as exc:
                raise forms.ValidationError("That is not a valid e-mail address.") from exc
            self.person = people.filter(email__iexact=text).first()
            if self.person is None:
                self.email = text
            return text
        self.person = people.filter(username__iexact=text).first()
        if self.person is None:
            named = list(people.filter(Q(display_name__iexact=text) | Q(display_name__icontains=text))[:6])
            exact = [p for p in named if p.display_name.lower() == text.lower()]
            matches = exact or named
            if not matches:
                raise forms.ValidationError(f"Nobody called “{text}” was found.")
            if len(matches) > 1:
                names = ", ".join(f"{p.name} (@{p.username})" for p in matches[:5])
                raise forms.ValidationError(f"Several people match: {names}. Type a username instead.")
            self.person = matches[0]
        return text


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Membership.Role.choices)
