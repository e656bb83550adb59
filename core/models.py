from django.conf import settings
from django.contrib.sites.models import Site
from django.core.cache import cache
from django.db import models
from django.utils import timezone
from django.utils.text import slugify

from core.queries import ItemQuerySet
from lib.urls import reverse_one


class Visibility(models.TextChoices):
    PRIVATE = "private", "Only me"
    PEOPLE = "people", "Named people"
    SPACE = "space", "Space members"
    ORGANISATION = "organisation", "Everyone in the organisation"
    PUBLIC = "public", "Public on the web"


class ItemKind(models.TextChoices):
    FILE = "file", "File"
    PAGE = "page", "Wiki page"
    LINK = "link", "Link"
    BOARD = "board", "Board"
    COURSE = "course", "Course"
    PORTFOLIO = "portfolio", "Portfolio"
    PROGRAMME = "programme", "Mentoring programme"


class SiteConfig(models.Model):
    """The one row of site-wide settings that admins change in the app."""

    class SignupMode(models.TextChoices):
        OPEN = "open", "Anyone may sign up"
        DOMAINS = "domains", "Only e-mail addresses from the allowed domains"
        INVITATION = "invitation", "Only people who were invited"

    name = models.CharField(max_length=80, default="Watercooler")
    logo = models.ImageField(upload_to="site/", blank=True)
    accent_colour = models.CharField(max_length=7, default="#0f766e", help_text="A hex colour such as #0f766e.")
    signup_mode = models.CharField(max_length=12, choices=SignupMode.choices, default=SignupMode.OPEN)
    allowed_domains = models.TextField(blank=True, help_text="One e-mail domain per line.")
    public_web = models.BooleanField(default=False, help_text="Allow items to be made public on the web.")

    CACHE_KEY = "siteconfig"

    class Meta:
        verbose_name = "site settings"
        verbose_name_plural = "site settings"
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="siteconfig_singleton")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        cache.delete(self.CACHE_KEY)
        # allauth names the site in its e-mails from django.contrib.sites: keep the two in step.
        Site.objects.filter(id=settings.SITE_ID).update(name=self.name)
        Site.objects.clear_cache()

    @classmethod
    def load(cls) -> "SiteConfig":
        obj = cache.get(cls.CACHE_KEY)
        if obj is None:
            obj, _ = cls.objects.get_or_create(id=1)
            cache.set(cls.CACHE_KEY, obj, 300)
        return obj

    @property
    def domain_list(self) -> list[str]:
        return [d.strip().lower().lstrip("@") for d in self.allowed_domains.split() if d.strip()]


class Tag(models.Model):
    """A free label on items, shared across kinds."""

    name = models.CharField(max_length=60)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:60]
        super().save(*args, **kwargs)


class Item(models.Model):
    """Anything a person can learn from; each kind adds a detail model keyed one-to-one to it."""

    kind = models.CharField(max_length=20, choices=ItemKind.choices)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="items")
    space = models.ForeignKey("spaces.Space", null=True, blank=True, on_delete=models.CASCADE, related_name="items")
    visibility = models.CharField(max_length=12, choices=Visibility.choices, default=Visibility.ORGANISATION)
    shared_with = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="shared_items")
    tags = models.ManyToManyField(Tag, blank=True, related_name="items")
    created = models.DateTimeField(default=timezone.now, db_index=True)
    updated = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    rating_count = models.PositiveIntegerField(default=0)
    rating_sum = models.PositiveIntegerField(default=0)

    objects = ItemQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["kind", "-created"]),
            models.Index(fields=["space", "-created"]),
            models.Index(fields=["owner", "-created"]),
            models.Index(fields=["visibility", "-created"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(visibility="space") | models.Q(space__isnull=False),
                name="item_space_visibility_needs_space",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse_one("core:item", self.pk)

    @property
    def rating_mean(self) -> float | None:
        return self.rating_sum / self.rating_count if self.rating_count else None

    @property
    def detail(self):
        """The kind's own model (``File`` for a file item)."""
        from core.kinds import detail_name

        return getattr(self, detail_name(self.kind), None)


class Activity(models.Model):
    """Something a person did: the stream, notifications, records and analytics all read these."""

    class Verb(models.TextChoices):
        JOINED = "joined", "joined"
        LEFT = "left", "left"
        REQUESTED = "requested", "asked to join"
        INVITED = "invited", "invited"
        APPROVED = "approved", "approved"
        CREATED = "created", "created"
        SHARED = "shared", "shared"
        UPDATED = "updated", "updated"
        DELETED = "deleted", "deleted"
        DOWNLOADED = "downloaded", "downloaded"
        MENTIONED = "mentioned", "mentioned"
        # The course catalogue's: a place taken, waited for, given up, and learning recorded.
        ENROLLED = "enrolled", "enrolled in"
        WAITLISTED = "waitlisted", "joined the waiting list of"
        PROMOTED = "promoted", "got a place in"
        WITHDREW = "withdrew", "withdrew from"
        ATTENDED = "attended", "attended"
        MISSED = "missed", "missed"
        COMPLETED = "completed", "completed"
        CONFIRMED = "confirmed", "confirmed a completion of"
        CANCELLED = "cancelled", "cancelled a session of"
        REVIEWED = "reviewed", "reviewed"
        # Portfolios': feedback asked and given, snapshots submitted and assessed, skills claimed and endorsed.
        FEEDBACK_ASKED = "feedback_asked", "asked for feedback on"
        GAVE_FEEDBACK = "gave_feedback", "gave feedback on"
        SUBMITTED = "submitted", "submitted"
        ASSESSED = "assessed", "assessed"
        CLAIMED = "claimed", "claimed a skill in"
        ENDORSE_ASKED = "endorse_asked", "asked for an endorsement of"
        ENDORSED = "endorsed", "endorsed"
        ENDORSE_DECLINED = "endorse_declined", "declined to endorse"
        # mentoring: each is about a programme (the item) and addressed to one person (the target)
        APPLIED = "applied", "applied to"
        MENTOR_REQUESTED = "mentor_requested", "asked for a mentor in"
        MATCH_ACCEPTED = "match_accepted", "accepted a mentoring request in"
        MATCH_DECLINED = "match_declined", "declined a mentoring match in"
        MATCHED = "matched", "matched a mentoring pair in"
        SIGNED = "signed", "signed a mentoring agreement in"
        MEETING_SCHEDULED = "meeting_scheduled", "scheduled a mentoring meeting in"
        CHECKED_IN = "checked_in", "checked in on mentoring in"
        AT_RISK = "at_risk", "flagged a mentoring pair at risk in"
        PAIR_CLOSED = "pair_closed", "closed a mentoring pair in"
        MESSAGED = "messaged", "sent a message to"

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activities")
    verb = models.CharField(max_length=20, choices=Verb.choices)
    item = models.ForeignKey(Item, null=True, blank=True, on_delete=models.CASCADE, related_name="activities")
    space = models.ForeignKey(
        "spaces.Space", null=True, blank=True, on_delete=models.CASCADE, related_name="activities"
    )
    target = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The person acted upon, e.g. the one invited.",
    )
    created = models.DateTimeField(default=timezone.now)
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name_plural = "activities"
        indexes = [
            models.Index(fields=["-created"]),
            models.Index(fields=["actor", "-created"]),
            models.Index(fields=["space", "-created"]),
            models.Index(fields=["item", "-created"]),
        ]

    def __str__(self):
        return f"{self.actor} {self.get_verb_display()} {self.item or self.space or self.target or ''}".strip()

    # What making an item is called, by its kind: links are saved, files uploaded, pages written.
    MADE = {ItemKind.LINK: "saved", ItemKind.FILE: "uploaded", ItemKind.PAGE: "wrote"}

    @property
    def verb_words(self) -> str:
        """The verb as a sentence says it of this activity's item ("saved" a link rather than "created" it)."""
        if self.verb == self.Verb.CREATED and self.item_id:
            return self.MADE.get(self.item.kind, self.get_verb_display())
        return self.get_verb_display()


# What happens between two people in mentoring and messaging is theirs: it notifies them, never the stream.
PRIVATE_VERBS = [
    Activity.Verb.APPLIED,
    Activity.Verb.MENTOR_REQUESTED,
    Activity.Verb.MATCH_ACCEPTED,
    Activity.Verb.MATCH_DECLINED,
    Activity.Verb.MATCHED,
    Activity.Verb.SIGNED,
    Activity.Verb.MEETING_SCHEDULED,
    Activity.Verb.CHECKED_IN,
    Activity.Verb.AT_RISK,
    Activity.Verb.PAIR_CLOSED,
    Activity.Verb.MESSAGED,
]


class Watch(models.Model):
    """A person following a space or an item so that its changes notify them."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watches")
    space = models.ForeignKey("spaces.Space", null=True, blank=True, on_delete=models.CASCADE, related_name="watches")
    item = models.ForeignKey(Item, null=True, blank=True, on_delete=models.CASCADE, related_name="watches")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(space__isnull=True) ^ models.Q(item__isnull=True), name="watch_space_xor_item"
            ),
            models.UniqueConstraint(fields=["user", "space"], name="watch_unique_space"),
            models.UniqueConstraint(fields=["user", "item"], name="watch_unique_item"),
        ]

    def __str__(self):
        return f"{self.user} watches {self.space or self.item}"


class Notification(models.Model):
    """An activity delivered to one person in the app (and by e-mail, as they prefer)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=30)
    created = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    digest_pending = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["recipient", "-created"]),
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["digest_pending", "recipient"]),
        ]
        constraints = [models.UniqueConstraint(fields=["recipient", "activity"], name="notification_once")]

    def __str__(self):
        return f"{self.kind} for {self.recipient}"


class NotificationPreference(models.Model):
    """How one person wants one type of notification delivered."""

    class Channel(models.TextChoices):
        IN_APP = "in_app", "In the app only"
        EMAIL = "email", "In the app and by e-mail at once"
        DIGEST = "digest", "In the app and in a daily e-mail digest"
        OFF = "off", "Off"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=30)
    channel = models.CharField(max_length=10, choices=Channel.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")]

    def __str__(self):
        return f"{self.user}: {self.kind} → {self.channel}"
