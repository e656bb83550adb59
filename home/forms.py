from django import forms

from core.models import NotificationPreference
from core.notifications import KINDS


class NotificationSettingsForm(forms.Form):
    """One choice of channel per notification type, in the order KINDS lists them."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind, (label, _default) in KINDS.items():
            self.fields[kind] = forms.ChoiceField(
                label=label,
                choices=NotificationPreference.Channel.choices,
                initial=current[kind],
                widget=forms.RadioSelect,
            )

    def rows(self):
        return [self[kind] for kind in KINDS]
