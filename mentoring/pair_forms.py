"""Forms of a pair's space: the agreement, goals, meetings and their notes, check-ins and the closing.

They check the shape of what was typed; the rules (a meeting in the future, one closing each...) are
``mentoring.pairs``'s, whose refusals the views add to the form.
"""

from django import forms

from mentoring import pairs
from mentoring.models import FORMATS

DURATIONS = [(15, "15 minutes"), (30, "30 minutes"), (45, "45 minutes"), (60, "1 hour"), (90, "1½ hours")]
DURATIONS += [(120, "2 hours"), (180, "3 hours"), (240, "4 hours"), (480, "8 hours")]
SCORES = [
    (5, "5 — very well"),
    (4, "4 — well"),
    (3, "3 — all right"),
    (2, "2 — not well"),
    (1, "1 — badly"),
]
RATINGS = [("", "Rather not say")] + [(n, str(n)) for n in range(1, 6)]


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class AgreementForm(forms.Form):
    """One text box per part of the pair's agreement, each with the text it had when the form was opened
    (``base_<key>``) so that a change the other person made meanwhile is not overwritten."""

    def __init__(self, *args, parts: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.parts = parts
        for part in parts:
            key = part["key"]
            self.fields[f"text_{key}"] = forms.CharField(
                label=part["title"],
                required=False,
                max_length=pairs.PART_MAX,
                initial=part.get("text", ""),
                widget=forms.Textarea(attrs={"rows": 4, "aria-describedby": f"guidance-{key}"}),
                strip=False,
            )
            self.fields[f"base_{key}"] = forms.CharField(
                required=False, initial=part.get("text", ""), widget=forms.HiddenInput, strip=False
            )

    def rows(self):
        """Each part with its text box and the programme's guidance, in the template's order."""
        return [
            {"part": part, "field": self[f"text_{part['key']}"], "base": self[f"base_{part['key']}"]}
            for part in self.parts
        ]

    def texts(self) -> dict[str, str]:
        return {part["key"]: self.cleaned_data.get(f"text_{part['key']}", "") for part in self.parts}

    def bases(self) -> dict[str, str]:
        return {part["key"]: self.cleaned_data.get(f"base_{part['key']}", "") for part in self.parts}


class GoalForm(forms.Form):
    title = forms.CharField(label="A goal", max_length=pairs.GOAL_TITLE_MAX)


class GoalProgressForm(forms.Form):
    progress = forms.IntegerField(label="Progress (%)", min_value=0, max_value=100, required=False)
    done = forms.ChoiceField(choices=[("", ""), ("yes", "Done"), ("no", "Not done")], required=False)


class MeetingForm(forms.Form):
    starts = forms.DateTimeField(label="Starts", widget=LocalDateTimeInput())
    minutes = forms.TypedChoiceField(label="Length", choices=DURATIONS, coerce=int, initial=60)
    format = forms.ChoiceField(label="How", choices=FORMATS, initial="video")
    place = forms.CharField(
        label="Where", required=False, max_length=pairs.PLACE_MAX, help_text="A room, or the link of the call."
    )
    agenda = forms.CharField(
        label="Agenda", required=False, max_length=pairs.AGENDA_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


class LogMeetingForm(forms.Form):
    starts = forms.DateTimeField(label="When it started", widget=LocalDateTimeInput())
    minutes = forms.TypedChoiceField(label="Length", choices=DURATIONS, coerce=int, initial=60)
    format = forms.ChoiceField(label="How", choices=FORMATS, initial="video")
    place = forms.CharField(label="Where", required=False, max_length=pairs.PLACE_MAX)
    shared_notes = forms.CharField(
        label="Notes you both see",
        required=False,
        max_length=pairs.NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class SharedNotesForm(forms.Form):
    shared_notes = forms.CharField(
        label="Notes you both see",
        required=False,
        max_length=pairs.NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        strip=False,
    )
    base = forms.CharField(required=False, widget=forms.HiddenInput, strip=False)


class PrivateNoteForm(forms.Form):
    text = forms.CharField(
        label="My private note",
        required=False,
        max_length=pairs.NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Only you see this note; leave it empty to remove it.",
    )


class CheckInForm(forms.Form):
    score = forms.TypedChoiceField(
        label="How is the mentoring going?", choices=SCORES, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label="Anything to add?",
        required=False,
        max_length=pairs.COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ClosingForm(forms.Form):
    reflection = forms.CharField(
        label="Your reflection",
        required=False,
        max_length=pairs.REFLECTION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What you learned, what changed for you, what you would do differently. Only you see it here.",
    )
    rating = forms.ChoiceField(label="How useful was it?", choices=RATINGS, required=False, widget=forms.RadioSelect)
    feedback = forms.CharField(
        label="Feedback for the programme's curators",
        required=False,
        max_length=pairs.FEEDBACK_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    wants_to_continue = forms.BooleanField(
        label="I would like to continue with this pair",
        required=False,
        help_text="If you both say so, either of you can start a new round that keeps your unfinished goals.",
    )
    portfolio = forms.ChoiceField(label="Put my reflection into", required=False)

    def __init__(self, *args, portfolios=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Nowhere: keep it here only")]
        choices += [(str(p.pk), f"My portfolio “{p.item.title}”") for p in portfolios]
        if not portfolios:
            choices.append(("new", "A new private portfolio called “Mentoring”"))
        self.fields["portfolio"].choices = choices


class PortfolioChoiceForm(forms.Form):
    portfolio = forms.ChoiceField(label="Put my reflection into", required=False)

    def __init__(self, *args, portfolios=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "My latest process portfolio, or a new “Mentoring” one if I have none")]
        choices += [(str(p.pk), f"My portfolio “{p.item.title}”") for p in portfolios]
        self.fields["portfolio"].choices = choices
