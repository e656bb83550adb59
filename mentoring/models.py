"""Mentoring: programmes people apply to as mentor or mentee, the matches the engine suggests or a curator
publishes, and each pair's space (agreement, goals, meetings with private and shared notes, check-ins,
the closing reflection).

A programme is an item (kind ``programme``): who may see it and join it follows the spine's visibility
(organisation, a space, named people for an invitation-only programme), and a programme may also limit
who applies to some roles. Everything about a pair is seen only by its two people and the programme's
curators (``mentoring.access``); a private meeting note only by its author.

What the matching engine reads about a person is listed in ``mentoring.matching.INPUTS``; protected
attributes are never inputs (see there).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.models import Item

# The criteria a match score is made of, and the weight each has unless a programme chooses others.
DEFAULT_WEIGHTS = {
    "skills": 4.0,  # skills the mentee wants against skills the mentor teaches (taxonomy-aware)
    "goals": 2.0,  # similarity of goals and interests text (TF-IDF)
    "hours": 2.0,  # overlap of weekly working hours across time zones
    "format": 1.0,  # a shared way of meeting: video, in person, chat
    "seniority": 1.0,  # the mentor a step or two more senior
    "site": 1.0,  # the mentee's wish for a mentor at the same site or another one
}

# The parts of an agreement the pair fills in, each with the programme's guidance beside it.
DEFAULT_AGREEMENT = [
    {
        "key": "goals",
        "title": "Goals",
        "guidance": "Two or three things the mentee wants to be able to do by the end, each one you could check.",
    },
    {
        "key": "rhythm",
        "title": "How often and how we meet",
        "guidance": "Most pairs meet for an hour every two or three weeks. Agree who books and how to reschedule.",
    },
    {
        "key": "confidentiality",
        "title": "Confidentiality",
        "guidance": "What is said stays between you unless both agree otherwise, or someone is at risk of harm.",
    },
    {
        "key": "mentee_expectations",
        "title": "What the mentee will do",
        "guidance": "Come with a topic, do what you agreed between meetings, say when something is not working.",
    },
    {
        "key": "mentor_expectations",
        "title": "What the mentor will do",
        "guidance": "Listen first, share experience rather than instructions, give honest feedback, keep the dates.",
    },
]

DEFAULT_GUIDANCE = """\
**The first meeting** is for getting to know each other: your work, what the mentee hopes to get from this,
and how you both like to work. Fill in the agreement together and sign it.

**Each meeting** starts from the mentee's topic. Write down what you agreed to do before the next one.

**If it is not working**, say so early — to each other, or to the programme's curators. Ending a pair
that does not fit is better than letting it fade.
"""

FORMATS = [("video", "Video call"), ("in_person", "In person"), ("chat", "Chat")]
SENIORITY = [(1, "Early career"), (2, "Experienced"), (3, "Senior"), (4, "Lead or manager"), (5, "Executive")]


class Programme(models.Model):
    """The programme item kind: its purpose, dates, who may join, how matching runs, and the guidance pairs get."""

    class Audience(models.TextChoices):
        EVERYONE = "everyone", "Everyone who can see the programme"
        ROLES = "roles", "People in some roles"
        INVITED = "invited", "Only the people invited"

    class Mode(models.TextChoices):
        SELF = "self", "Self-service: mentees choose from suggestions"
        BULK = "bulk", "Curator-run: a curator matches everyone at once"
        BOTH = "both", "Both"

    item = models.OneToOneField(Item, on_delete=models.CASCADE, primary_key=True, related_name="programme")
    purpose = models.TextField(blank=True, max_length=5000)
    starts = models.DateField(null=True, blank=True)
    ends = models.DateField(null=True, blank=True)
    always_open = models.BooleanField(
        default=False, help_text="The organisation-wide programme for informal mentoring."
    )
    mentor_audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.EVERYONE)
    mentee_audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.EVERYONE)
    mentor_roles = models.JSONField(default=list, blank=True, help_text="Roles that may mentor when limited to roles.")
    mentee_roles = models.JSONField(default=list, blank=True, help_text="Roles that may be mentees when limited.")
    invited_mentors = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    invited_mentees = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    questions = models.JSONField(
        default=list, blank=True, help_text='Extra questions: [{"key", "label", "side": "mentor|mentee|both"}].'
    )
    mode = models.CharField(max_length=4, choices=Mode.choices, default=Mode.BOTH)
    weights = models.JSONField(default=dict, blank=True, help_text="Weight of each matching criterion.")
    default_capacity = models.PositiveSmallIntegerField(default=2)
    max_capacity = models.PositiveSmallIntegerField(default=5)
    length_weeks = models.PositiveSmallIntegerField(default=26, help_text="How long a pair runs.")
    agreement_template = models.JSONField(default=list, blank=True, help_text='[{"key", "title", "guidance"}].')
    guidance = models.TextField(blank=True, max_length=10000, help_text="Markdown shown to every pair.")
    checkin_every_days = models.PositiveSmallIntegerField(default=28)
    at_risk_after_days = models.PositiveSmallIntegerField(
        default=42, help_text="A pair with no meeting logged for this long is flagged at risk."
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(max_capacity__gte=1, max_capacity__lte=20), name="programme_capacity"),
            # services.get_or_create_open_programme makes it on first use: two at once must not make two.
            models.UniqueConstraint(
                fields=["always_open"], condition=Q(always_open=True), name="mentoring_one_open_programme"
            ),
        ]

    def __str__(self):
        return self.item.title

    def get_absolute_url(self):
        return self.item.get_absolute_url()

    MODE_WORDS = {
        "self": "Mentees choose their mentor",
        "bulk": "A curator matches everyone",
        "both": "Mentees choose, or a curator matches",
    }

    @property
    def mode_words(self) -> str:
        """How pairs are made, in a few words for lists."""
        return self.MODE_WORDS.get(self.mode, self.get_mode_display())

    @property
    def criterion_weights(self) -> dict[str, float]:
        return {name: float(self.weights.get(name, default)) for name, default in DEFAULT_WEIGHTS.items()}

    @property
    def agreement_parts(self) -> list[dict]:
        return self.agreement_template or DEFAULT_AGREEMENT


class Application(models.Model):
    """One person's application to a programme as a mentor or as a mentee.

    ``availability`` holds weekly windows in the applicant's own ``time_zone``: ``[[weekday, start, end]]``
    with Monday 0 and minutes after midnight, e.g. ``[[0, 540, 720]]`` for Monday 9:00–12:00.
    """

    class Side(models.TextChoices):
        MENTOR = "mentor", "Mentor"
        MENTEE = "mentee", "Mentee"

    class State(models.TextChoices):
        OPEN = "open", "Open"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class SitePreference(models.TextChoices):
        ANY = "any", "No preference"
        SAME = "same", "Someone at my site"
        OTHER = "other", "Someone at another site"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="applications")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentoring_applications"
    )
    side = models.CharField(max_length=6, choices=Side.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    goals = models.TextField(
        blank=True, max_length=3000, help_text="A mentee's goals, or what a mentor can offer and is interested in."
    )
    answers = models.JSONField(default=dict, blank=True, help_text="Answers to the programme's own questions.")
    capacity = models.PositiveSmallIntegerField(default=1, help_text="How many mentees a mentor takes at once.")
    time_zone = models.CharField(max_length=64, default="UTC")
    availability = models.JSONField(default=list, blank=True)
    languages = models.JSONField(default=list, blank=True)
    formats = models.JSONField(default=list, blank=True)
    seniority = models.PositiveSmallIntegerField(choices=SENIORITY, default=2)
    site_preference = models.CharField(max_length=5, choices=SitePreference.choices, default=SitePreference.ANY)
    wants_more_senior = models.BooleanField(default=True, help_text="A mentee's wish for a more senior mentor.")
    preferences = models.TextField(blank=True, max_length=1000)
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "person", "side"], name="application_once_per_side"),
            models.CheckConstraint(condition=Q(capacity__gte=0, capacity__lte=20), name="application_capacity"),
        ]
        indexes = [models.Index(fields=["programme", "side", "state"])]

    def __str__(self):
        return f"{self.person} as {self.side} in {self.programme}"


class ApplicationSkill(models.Model):
    """A skill a mentor can teach, or a mentee wants to learn, at a level."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey("people.Skill", on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(default=2)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "skill"], name="application_skill_once")]

    def __str__(self):
        return f"{self.skill_id} at level {self.level}"


class MatchRun(models.Model):
    """A curator's whole-programme match: a preview (draft pairs) until it is published or discarded."""

    class State(models.TextChoices):
        PREVIEW = "preview", "Preview"
        PUBLISHED = "published", "Published"
        DISCARDED = "discarded", "Discarded"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="runs")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PREVIEW)
    created = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    stats = models.JSONField(
        default=dict, blank=True, help_text="Totals, score distribution, unmatched people with reasons, fairness."
    )

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return f"Match run {self.pk} of {self.programme_id} ({self.state})"


class Match(models.Model):
    """A mentor and a mentee in a programme: proposed in a run's preview, requested by the mentee, active,
    declined, or closed."""

    class State(models.TextChoices):
        DRAFT = "draft", "In a match preview"
        REQUESTED = "requested", "Requested"
        ACTIVE = "active", "Active"
        DECLINED = "declined", "Declined"
        CLOSED = "closed", "Closed"

    class Origin(models.TextChoices):
        REQUEST = "request", "Requested by the mentee"
        RUN = "run", "Matched by a curator's run"
        HAND = "hand", "Paired by a curator"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="matches")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentoring_as_mentor")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentoring_as_mentee")
    run = models.ForeignKey(MatchRun, null=True, blank=True, on_delete=models.CASCADE, related_name="matches")
    state = models.CharField(max_length=10, choices=State.choices, default=State.REQUESTED)
    origin = models.CharField(max_length=8, choices=Origin.choices, default=Origin.REQUEST)
    score = models.FloatField(default=0)
    explanation = models.JSONField(
        default=list, blank=True, help_text='The score\'s parts: [{"criterion", "points", "words"}].'
    )
    request_note = models.TextField(blank=True, max_length=2000)
    response_note = models.TextField(blank=True, max_length=2000)
    declined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(null=True, blank=True)
    started = models.DateTimeField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    at_risk = models.BooleanField(default=False)
    at_risk_reason = models.CharField(max_length=200, blank=True)
    at_risk_since = models.DateTimeField(null=True, blank=True)
    last_meeting = models.DateTimeField(null=True, blank=True, help_text="When the pair last met (a meeting held).")

    class Meta:
        verbose_name_plural = "matches"
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "mentor", "mentee"],
                condition=Q(state__in=["requested", "active"]),
                name="match_one_live_pair",
            ),
            models.CheckConstraint(condition=~Q(mentor=models.F("mentee")), name="match_two_people"),
        ]
        indexes = [
            models.Index(fields=["programme", "state"]),
            models.Index(fields=["mentor", "state"]),
            models.Index(fields=["mentee", "state"]),
        ]

    def __str__(self):
        return f"{self.mentor} mentoring {self.mentee} ({self.state})"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("mentoring:pair", args=[self.pk])

    def other(self, user):
        return self.mentee if user.pk == self.mentor_id else self.mentor

    def has_person(self, user) -> bool:
        return user.is_authenticated and user.pk in (self.mentor_id, self.mentee_id)


class Agreement(models.Model):
    """What a pair agrees, part by part from the programme's template, and when each of them signed it.

    Changing the text after signing clears both signatures: a signature is for the words signed.
    """

    match = models.OneToOneField(Match, on_delete=models.CASCADE, related_name="agreement")
    parts = models.JSONField(default=list, help_text='[{"key", "title", "guidance", "text"}].')
    mentor_signed_at = models.DateTimeField(null=True, blank=True)
    mentee_signed_at = models.DateTimeField(null=True, blank=True)
    updated = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Agreement of match {self.match_id}"

    @property
    def signed(self) -> bool:
        return self.mentor_signed_at is not None and self.mentee_signed_at is not None


class Goal(models.Model):
    """A goal the pair works towards, with its progress."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(max_length=300)
    skill = models.ForeignKey("people.Skill", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    created = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created", "pk"]
        constraints = [models.CheckConstraint(condition=Q(progress__lte=100), name="goal_progress_percent")]

    def __str__(self):
        return self.title


class Meeting(models.Model):
    """A meeting of a pair: scheduled, then held or cancelled, with the notes both see."""

    class State(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="meetings")
    starts = models.DateTimeField()
    minutes = models.PositiveSmallIntegerField(default=60)
    format = models.CharField(max_length=10, choices=FORMATS, default="video")
    place = models.CharField(max_length=300, blank=True, help_text="A room, or the link of the call.")
    agenda = models.TextField(blank=True, max_length=3000)
    shared_notes = models.TextField(blank=True, max_length=10000)
    state = models.CharField(max_length=10, choices=State.choices, default=State.SCHEDULED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    sequence = models.PositiveIntegerField(default=0, help_text="iCalendar SEQUENCE: raised by each change.")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts", "pk"]
        indexes = [models.Index(fields=["match", "starts"])]

    def __str__(self):
        return f"Meeting of match {self.match_id} at {self.starts:%Y-%m-%d %H:%M}"


class MeetingNote(models.Model):
    """A note on a meeting only its author sees."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="private_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(max_length=10000)
    updated = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "author"], name="meeting_note_once")]

    def __str__(self):
        return f"Note by {self.author_id} on meeting {self.meeting_id}"


class CheckIn(models.Model):
    """A short survey each person of a pair answers at the programme's interval."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="checkins")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    due = models.DateField()
    answered_at = models.DateTimeField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="How it is going, 1 (badly) to 5 (very well)."
    )
    comment = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["due", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["match", "person", "due"], name="checkin_once"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5), name="checkin_score"
            ),
        ]

    def __str__(self):
        return f"Check-in of {self.person_id} due {self.due}"


class Closing(models.Model):
    """One person's closing of a pair: a reflection (which may go into their portfolio), feedback, and
    whether they would like to continue."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="closings")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reflection = models.TextField(blank=True, max_length=5000)
    rating = models.PositiveSmallIntegerField(null=True, blank=True, help_text="How useful it was, 1 to 5.")
    feedback = models.TextField(blank=True, max_length=3000, help_text="For the programme's curators.")
    wants_to_continue = models.BooleanField(default=False)
    portfolio_entry = models.ForeignKey(
        "portfolios.JournalEntry", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["match", "person"], name="closing_once")]

    def __str__(self):
        return f"Closing of match {self.match_id} by {self.person_id}"
