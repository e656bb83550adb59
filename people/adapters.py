"""Sign-up rules that admins set: open, e-mail domains only, or invitation only."""

from allauth.account.adapter import DefaultAccountAdapter
from django import forms

from core.models import SiteConfig


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        config = SiteConfig.load()
        if config.signup_mode == SiteConfig.SignupMode.INVITATION:
            return bool(request.session.get("invitation_token"))
        return True

    def clean_email(self, email):
        email = super().clean_email(email)
        config = SiteConfig.load()
        if config.signup_mode == SiteConfig.SignupMode.DOMAINS:
            domain = email.rsplit("@", 1)[-1].lower()
            if domain not in config.domain_list:
                raise forms.ValidationError(
                    "Sign-up is limited to addresses at " + ", ".join(config.domain_list or ["no domain yet"]) + "."
                )
        return email
