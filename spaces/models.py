from django.conf import settings
from django.db import models
from django.utils import timezone

from lib.urls import reverse_one
from spaces.queries import SpaceQuerySet


class Space(models.Model):
    """A community, team or project where people gather and share items."""

    class Kind(models.TextChoices):
        COMMUNITY = "community", "Community"
        TEAM = "team", "Team"
        PROJECT = "project", "Project"

    class Visibility(models.TextChoices):
        OPEN = "open", "Open: anyone in the organisation may join"
        ORGANISATION = "organisation", "Visible: people ask to join"
        INVITE_ONLY = "invite", "Invite-only: hidden from non-members"

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.COMMUNITY)
    description = models.TextField(blank=True)
    cover = models.ImageField(upload_to="covers/", blank=True)
    visibility = models.CharField(max_length=12, choices=Visibility.choices, default=Visibility.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now)
    member_count = models.PositiveIntegerField(default=0)

    objects = SpaceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse_one("spaces:space", self.slug)


class Membership(models.Model):
    """A person's place in a space: an active member, an open request, or a pending invitation."""

    class Role(models.TextChoices):
        MEMBER = "member", "Member"
        MODERATOR = "moderator", "Moderator"
        OWNER = "owner", "Owner"

    class State(models.TextChoices):
        ACTIVE = "active", "Member"
        REQUESTED = "requested", "Asked to join"
        INVITED = "invited", "Invited"

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    state = models.CharField(max_length=10, choices=State.choices, default=State.ACTIVE)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["space", "user"], name="membership_once")]
        indexes = [models.Index(fields=["user", "state"]), models.Index(fields=["space", "state", "role"])]

    def __str__(self):
        return f"{self.user} in {self.space} ({self.state})"
