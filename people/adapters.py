"""Sign-up rules that admins set: open, e-mail domains only, or invitation only."""

from allauth.account.adapter import DefaultAccountAdapter
from django import forms

from core.models import SiteConfig

# Usernames that would shadow paths under /people/.
RESERVED_USERNAMES = {"me", "invite", "skills"}


def invitation_for(request):
    """The invitation this browser arrived with, if it can still be accepted."""
    from people.queries import pending_invitation

    if request is None or not hasattr(request, "session"):
        return None
    return pending_invitation(request.session.get("invitation_token"))


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        config = SiteConfig.load()
        if config.signup_mode == SiteConfig.SignupMode.INVITATION:
            return invitation_for(request) is not None
        return True

    def clean_email(self, email):
        email = super().clean_email(email)
        invitation = invitation_for(self.request)
        if invitation is not None:
            # An invitation is for one address; it also lets partner staff in past the domain rule.
            if email.lower() != invitation.email.lower():
                raise forms.ValidationError(f"This invitation is for {invitation.email}. Sign up with that address.")
            return email
        config = SiteConfig.load()
        if config.signup_mode == SiteConfig.SignupMode.DOMAINS:
            domain = email.rsplit("@", 1)[-1].lower()
            if domain not in config.domain_list:
                raise forms.ValidationError(
                    "Sign-up is limited to addresses at " + ", ".join(config.domain_list or ["no domain yet"]) + "."
                )
        return email

    def clean_username(self, username, shallow=False):
        username = super().clean_username(username, shallow=shallow)
        if username.lower() in RESERVED_USERNAMES:
            raise forms.ValidationError("That username is reserved. Choose another.")
        return username
