from django import forms
from django.core.exceptions import ValidationError

from core.access import SPACE_ADMIN_ROLES, is_site_admin
from core.models import SiteConfig
from people.languages import parse_languages
from people.models import TIME_ZONES, PersonSkill, Site, User
from people.queries import resolve_skill

TIME_ZONE_CHOICES = [(tz, tz.replace("_", " ")) for tz in TIME_ZONES]


class ProfileForm(forms.Form):
    display_name = forms.CharField(max_length=120, required=False, help_text="How your name appears to others.")
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    job_title = forms.CharField(max_length=120, required=False)
    department = forms.CharField(max_length=120, required=False)
    site = forms.ModelChoiceField(Site.objects.all(), required=False, empty_label="No office", label="Office")
    location = forms.CharField(max_length=120, required=False, help_text="City or region, e.g. Lisbon.")
    time_zone = forms.ChoiceField(choices=TIME_ZONE_CHOICES)
    languages = forms.CharField(
        max_length=200, required=False, help_text="ISO codes separated by commas, e.g. en, pt-BR, es."
    )
    bio = forms.CharField(max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 5}))
    interests = forms.CharField(
        max_length=500, required=False, help_text="What you are curious about, e.g. chess, data, sourdough."
    )
    photo = forms.FileField(
        required=False,
        label="Upload a new photo",
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
        help_text="JPEG, PNG, GIF or WebP. It is cropped to a square.",
    )
    remove_photo = forms.BooleanField(required=False, label="Remove my photo")

    @classmethod
    def for_person(cls, person: User, data=None, files=None):
        initial = {
            "display_name": person.display_name,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "job_title": person.job_title,
            "department": person.department,
            "site": person.site_id,
            "location": person.location,
            "time_zone": person.time_zone,
            "languages": ", ".join(person.languages or []),
            "bio": person.bio,
            "interests": person.interests,
        }
        return cls(data, files, initial=initial)

    def clean_languages(self):
        codes, bad = parse_languages(self.cleaned_data["languages"])
        if bad:
            raise ValidationError(
                "Not ISO 639-1 language codes: %(bad)s. Use two-letter codes such as en, fr or pt-BR.",
                params={"bad": ", ".join(bad)},
            )
        return codes


class SkillAddForm(forms.Form):
    skill = forms.CharField(max_length=200, help_text="Start typing and pick a skill from the list.")
    direction = forms.ChoiceField(
        label="I…",
        choices=[
            (PersonSkill.Direction.HAS, "have this skill"),
            (PersonSkill.Direction.WANTS, "want to learn it"),
            (PersonSkill.Direction.TEACHES, "can teach it"),
        ],
        initial=PersonSkill.Direction.HAS,
    )
    level = forms.TypedChoiceField(
        label="At level", choices=PersonSkill.Level.choices, coerce=int, initial=PersonSkill.Level.PRACTITIONER
    )

    def clean_skill(self):
        text = self.cleaned_data["skill"]
        skill = resolve_skill(text)
        if skill is None:
            from people.models import Skill

            near = [s.name for s in Skill.objects.suggestions(text, limit=5)]
            hint = f" Did you mean: {', '.join(near)}?" if near else ""
            raise ValidationError(f"There is no skill called “{text}”.{hint}")
        return skill


class DirectoryForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label="Name, role or interest")
    skill = forms.CharField(required=False, max_length=200, label="Skill")
    direction = forms.ChoiceField(
        required=False,
        label="Who",
        choices=[
            ("", "Anyone with the skill"),
            (PersonSkill.Direction.TEACHES, "Can teach it"),
            (PersonSkill.Direction.HAS, "Has it"),
            (PersonSkill.Direction.WANTS, "Wants to learn it"),
        ],
    )
    location = forms.CharField(required=False, max_length=120, label="Location")
    site = forms.ModelChoiceField(Site.objects.all(), required=False, empty_label="Any office", label="Office")
    department = forms.ChoiceField(required=False, label="Department")
    time_zone = forms.ChoiceField(required=False, label="Time zone")

    def __init__(self, *args, departments=(), time_zones=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", "Any department"), *((d, d) for d in departments)]
        self.fields["time_zone"].choices = [("", "Any time zone"), *((z, z.replace("_", " ")) for z in time_zones)]

    def clean_skill(self):
        text = self.cleaned_data["skill"].strip()
        if not text:
            return None
        skill = resolve_skill(text)
        if skill is None:
            raise ValidationError(f"There is no skill called “{text}”. Pick one from the suggestions.")
        return skill


class SkillImportForm(forms.Form):
    file = forms.FileField(
        label="Skills file (CSV)",
        help_text="An ESCO CSV file (skills hierarchy or a skill collection), an O*NET content model file, "
        "or a CSV with the columns name, parent, alt_labels, description.",
        widget=forms.FileInput(attrs={"accept": ".csv,.txt,.tsv,text/csv,text/plain"}),
    )


class SiteSettingsForm(forms.Form):
    name = forms.CharField(max_length=80, label="Site name")
    logo = forms.FileField(
        required=False,
        help_text="A PNG, JPEG or WebP picture; it is stored as a PNG at most 512 pixels wide.",
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}),
    )
    remove_logo = forms.BooleanField(required=False, label="Remove the logo")
    accent_colour = forms.RegexField(
        regex=r"^#[0-9a-fA-F]{6}$",
        max_length=7,
        label="Accent colour",
        help_text="A hex colour such as #0f766e.",
        error_messages={"invalid": "Enter a colour as # followed by six hex digits, such as #0f766e."},
        widget=forms.TextInput(attrs={"type": "color"}),
    )
    signup_mode = forms.ChoiceField(
        choices=SiteConfig.SignupMode.choices, widget=forms.RadioSelect, label="Who may sign up"
    )
    allowed_domains = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Allowed e-mail domains",
        help_text="One per line, e.g. example.com. Used when sign-up is limited to these domains.",
    )
    public_web = forms.BooleanField(
        required=False,
        label="Allow items to be public on the web",
        help_text="Visitors who are not signed in see them.",
    )

    @classmethod
    def for_config(cls, config: SiteConfig, data=None, files=None):
        initial = {
            "name": config.name,
            "accent_colour": config.accent_colour,
            "signup_mode": config.signup_mode,
            "allowed_domains": config.allowed_domains,
            "public_web": config.public_web,
        }
        return cls(data, files, initial=initial)


class InviteForm(forms.Form):
    email = forms.EmailField(label="E-mail address")
    role = forms.ChoiceField(label="Role")
    space = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="No space", help_text="Guests must be invited to a space."
    )

    def __init__(self, *args, inviter: User, **kwargs):
        from spaces.models import Membership, Space

        super().__init__(*args, **kwargs)
        roles = [User.Role.LEARNER, User.Role.GUEST]
        if is_site_admin(inviter):
            roles += [User.Role.CURATOR, User.Role.ADMIN]
        self.fields["role"].choices = [(r.value, r.label) for r in roles]
        self.fields["space"].queryset = Space.objects.filter(
            memberships__user=inviter,
            memberships__state=Membership.State.ACTIVE,
            memberships__role__in=SPACE_ADMIN_ROLES,
        ).order_by("name")
