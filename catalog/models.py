import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.models import Item


def new_ics_uid() -> str:
    return f"session-{uuid.uuid4()}@watercooler"


class Course(models.Model):
    """A formal course in the catalogue: the course item kind."""

    class Format(models.TextChoices):
        CLASSROOM = "classroom", "Classroom"
        LIVE_ONLINE = "live_online", "Live online"
        ELEARNING = "elearning", "E-learning"
        VIDEO = "video", "Video"
        BOOK = "book", "Book"
        EXTERNAL = "external", "External course"

    class Level(models.TextChoices):
        ALL = "all", "All levels"
        BEGINNER = "beginner", "Beginner"
        INTERMEDIATE = "intermediate", "Intermediate"
        ADVANCED = "advanced", "Advanced"

    # Formats taken in one's own time: enrolment is on the course, never on a session.
    SELF_PACED = frozenset({Format.ELEARNING, Format.VIDEO, Format.BOOK, Format.EXTERNAL})

    item = models.OneToOneField(Item, on_delete=models.CASCADE, primary_key=True, related_name="course")
    code = models.CharField(
        max_length=60, blank=True, help_text="The catalogue's own reference, e.g. LD-101; imports update by it."
    )
    provider = models.CharField(max_length=200, blank=True)
    format = models.CharField(max_length=12, choices=Format.choices, default=Format.CLASSROOM, db_index=True)
    duration_minutes = models.PositiveIntegerField(null=True, blank=True, db_index=True)
    level = models.CharField(max_length=12, choices=Level.choices, default=Level.ALL, db_index=True)
    language = models.CharField(max_length=16, default="en", db_index=True, help_text="A language code such as en.")
    skills = models.ManyToManyField("people.Skill", blank=True, related_name="courses")
    cost = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    currency = models.CharField(max_length=3, blank=True, help_text="ISO 4217 code, e.g. EUR; needed when it costs.")
    prerequisites = models.TextField(blank=True)
    launch_url = models.URLField(max_length=500, blank=True, help_text="Where an e-learning course is opened.")
    curator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="curated_courses"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=~Q(code=""), name="course_code_once"),
            models.CheckConstraint(condition=Q(cost__gte=0), name="course_cost_not_negative"),
            models.CheckConstraint(condition=Q(cost=0) | ~Q(currency=""), name="course_cost_needs_currency"),
        ]

    def __str__(self):
        return self.item.title

    @property
    def self_paced(self) -> bool:
        return self.format in self.SELF_PACED


class Session(models.Model):
    """One scheduled run of a course, at a place or online, with a capacity and a waiting list."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    label = models.CharField(max_length=200, blank=True, help_text="What this session is, e.g. “Part 1”.")
    starts = models.DateTimeField()
    ends = models.DateTimeField()
    time_zone = models.CharField(max_length=64, default="UTC", help_text="The IANA zone it was planned in.")
    all_day = models.BooleanField(default=False)
    place = models.CharField(max_length=300, blank=True)
    online_url = models.URLField(max_length=500, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True, help_text="Empty for no limit.")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    ics_uid = models.CharField(max_length=255, unique=True, default=new_ics_uid)
    sequence = models.PositiveIntegerField(default=0, help_text="iCalendar SEQUENCE: raised on every change.")
    source_uid = models.CharField(
        max_length=500, blank=True, help_text="The imported calendar event it came from, so a re-import updates it."
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts", "pk"]
        indexes = [models.Index(fields=["course", "starts"]), models.Index(fields=["starts"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends__gte=models.F("starts")), name="session_ends_after_start"),
            models.UniqueConstraint(
                fields=["course", "source_uid"], condition=~Q(source_uid=""), name="session_source_once"
            ),
        ]

    def __str__(self):
        return f"{self.course} on {self.starts:%Y-%m-%d %H:%M} UTC"

    @property
    def cancelled(self) -> bool:
        return self.cancelled_at is not None


class Enrolment(models.Model):
    """A person's place on a session (or on a self-paced course), from enrolling to completing."""

    class State(models.TextChoices):
        ENROLLED = "enrolled", "Enrolled"
        WAITING = "waiting", "On the waiting list"
        WITHDRAWN = "withdrawn", "Withdrawn"
        ATTENDED = "attended", "Attended"
        COMPLETED = "completed", "Completed"
        NO_SHOW = "no_show", "Did not attend"

    # States that hold one of the session's seats.
    SEATED = (State.ENROLLED, State.ATTENDED, State.COMPLETED, State.NO_SHOW)

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrolments")
    session = models.ForeignKey(Session, null=True, blank=True, on_delete=models.CASCADE, related_name="enrolments")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments")
    state = models.CharField(max_length=10, choices=State.choices, default=State.ENROLLED)
    waiting_position = models.PositiveIntegerField(
        null=True, blank=True, help_text="Order on the waiting list; lower goes first."
    )
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    self_reported = models.BooleanField(default=False, help_text="The person said they completed it.")
    evidence = models.TextField(blank=True)
    evidence_url = models.URLField(max_length=500, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["person", "state"]),
            models.Index(fields=["course", "state"]),
            models.Index(fields=["session", "state"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"], condition=Q(session__isnull=False), name="enrolment_once_per_session"
            ),
            models.UniqueConstraint(
                fields=["course", "person"], condition=Q(session__isnull=True), name="enrolment_once_per_course"
            ),
            models.UniqueConstraint(
                fields=["session", "waiting_position"],
                condition=Q(waiting_position__isnull=False),
                name="enrolment_waiting_position_once",
            ),
            models.CheckConstraint(
                condition=Q(state="waiting", waiting_position__isnull=False, session__isnull=False)
                | (~Q(state="waiting") & Q(waiting_position__isnull=True)),
                name="enrolment_waiting_has_position",
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.course} ({self.state})"

    @property
    def verified_completion(self) -> bool:
        """Completed, and either recorded by a curator or confirmed by one."""
        return self.state == self.State.COMPLETED and (not self.self_reported or self.confirmed_at is not None)


class CalendarFeed(models.Model):
    """A secret, revocable address at which a person's calendar app reads their sessions."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds")
    token_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the token; the token is not kept.")
    created = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(revoked_at__isnull=True), name="calendar_feed_one_live"
            )
        ]

    def __str__(self):
        return f"Calendar feed of {self.person}"
