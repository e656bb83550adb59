import zoneinfo

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.text import slugify

from lib.urls import reverse_one
from people.queries import SkillQuerySet, UserQuerySet

TIME_ZONES = sorted(zoneinfo.available_timezones() - {"Factory", "localtime"})
# Paths under /people/skills/ that a skill's slug must not take.
RESERVED_SKILL_SLUGS = {"autocomplete", "import"}


class PersonManager(UserManager.from_queryset(UserQuerySet)):
    pass


class Site(models.Model):
    """An office or location where people work (London, Singapore...)."""

    name = models.CharField(max_length=80, unique=True)
    country = models.CharField(max_length=80, blank=True)
    time_zone = models.CharField(max_length=64, default="UTC")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A person who uses Watercooler, with their profile."""

    class Role(models.TextChoices):
        LEARNER = "learner", "Learner"
        CURATOR = "curator", "L&D curator"
        ADMIN = "admin", "Administrator"
        GUEST = "guest", "Guest"

    role = models.CharField(max_length=10, choices=Role.choices, default=Role.LEARNER)
    display_name = models.CharField(max_length=120, blank=True)
    photo = models.ImageField(upload_to="photos/", blank=True)
    photo_thumb = models.ImageField(upload_to="photos/thumbs/", blank=True)
    job_title = models.CharField(max_length=120, blank=True)
    department = models.CharField(max_length=120, blank=True, db_index=True)
    site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.SET_NULL, related_name="people")
    location = models.CharField(max_length=120, blank=True, db_index=True)
    time_zone = models.CharField(max_length=64, default="UTC", db_index=True)
    languages = models.JSONField(default=list, blank=True, help_text="Language codes, e.g. ['en', 'es'].")
    bio = models.TextField(blank=True, max_length=2000)
    interests = models.CharField(max_length=500, blank=True)
    last_active = models.DateTimeField(null=True, blank=True)
    activity_score = models.PositiveIntegerField(default=0, help_text="Recent activity, refreshed by a task.")

    objects = PersonManager()

    class Meta:
        indexes = [models.Index(fields=["display_name"])]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def initials(self) -> str:
        parts = self.name.split()
        return "".join(p[0] for p in parts[:2]).upper() or "?"

    def get_absolute_url(self):
        return reverse_one("people:profile", self.username)

    @property
    def is_guest(self) -> bool:
        return self.role == self.Role.GUEST

    @property
    def is_site_admin(self) -> bool:
        return self.is_superuser or self.role == self.Role.ADMIN

    @property
    def is_curator(self) -> bool:
        return self.role == self.Role.CURATOR or self.is_site_admin


class Skill(models.Model):
    """A skill in the organisation's taxonomy, nested under a broader one."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children")
    alt_labels = models.TextField(blank=True, help_text="Other names, one per line.")
    description = models.TextField(blank=True)
    uri = models.CharField(max_length=300, blank=True, db_index=True, help_text="Identifier in the source taxonomy.")
    depth = models.PositiveSmallIntegerField(default=0)

    objects = SkillQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name"])]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_skill_slug(self.name)
        self.depth = (self.parent.depth + 1) if self.parent_id else 0
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse_one("people:skill", self.slug)

    def clean(self):
        node, steps = self.parent, 0
        while node is not None and steps < 10_000:
            if self.pk is not None and node.pk == self.pk:
                raise ValidationError({"parent": "A skill cannot sit under itself or one of its narrower skills."})
            node, steps = node.parent, steps + 1
        if self.slug in RESERVED_SKILL_SLUGS:
            raise ValidationError({"slug": f"“{self.slug}” is reserved; choose another slug."})

    @property
    def alt_label_list(self) -> list[str]:
        return [label for label in self.alt_labels.splitlines() if label.strip()]


def unique_skill_slug(name: str) -> str:
    base = slugify(name)[:190] or "skill"
    slug, n = base, 1
    while slug in RESERVED_SKILL_SLUGS or Skill.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


class PersonSkill(models.Model):
    """A skill a person has, wants to learn or can teach, at a level."""

    class Direction(models.TextChoices):
        HAS = "has", "Has"
        WANTS = "wants", "Wants to learn"
        TEACHES = "teaches", "Can teach"

    class Level(models.IntegerChoices):
        BEGINNER = 1, "Beginner"
        PRACTITIONER = 2, "Practitioner"
        ADVANCED = 3, "Advanced"
        EXPERT = 4, "Expert"

    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="people")
    direction = models.CharField(max_length=8, choices=Direction.choices, default=Direction.HAS)
    level = models.PositiveSmallIntegerField(choices=Level.choices, default=Level.PRACTITIONER)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "skill", "direction"], name="personskill_once"),
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=4), name="personskill_level_range"),
        ]
        indexes = [models.Index(fields=["skill", "direction", "-level"])]

    def __str__(self):
        return f"{self.person} {self.get_direction_display().lower()} {self.skill} ({self.get_level_display()})"


class Invitation(models.Model):
    """An invitation to sign up, sent by e-mail; needed when sign-up is by invitation only."""

    email = models.EmailField()
    role = models.CharField(max_length=10, choices=User.Role.choices, default=User.Role.LEARNER)
    space = models.ForeignKey("spaces.Space", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.email
