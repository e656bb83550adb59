from django import forms

from messaging.services import MAX_BODY


class MessageForm(forms.Form):
    """The composer under a thread. The service checks the text (length counted as typed, line breaks as one)."""

    body = forms.CharField(
        label="Message",
        strip=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": MAX_BODY, "placeholder": "Write a message…"}),
    )
