from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.models import Item


class Page(models.Model):
    """A wiki page, the wiki item kind: lives in a space or in its owner's own area, under an optional parent."""

    item = models.OneToOneField(Item, on_delete=models.CASCADE, primary_key=True, related_name="page")
    # Copies of where the page lives, so that slugs can be unique per wiki with a constraint.
    space = models.ForeignKey("spaces.Space", null=True, blank=True, on_delete=models.CASCADE, related_name="pages")
    area_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="own_pages",
        help_text="Set for a page in a person's own area (no space).",
    )
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children")
    slug = models.SlugField(max_length=200, allow_unicode=True)
    title_key = models.CharField(max_length=200, help_text="The title case-folded: what [[links]] match.")
    position = models.PositiveIntegerField(default=0, help_text="Order among its siblings.")
    current = models.ForeignKey(
        "Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", help_text="The latest revision."
    )
    revision_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["space", "slug"], condition=Q(space__isnull=False), name="page_slug_space"),
            models.UniqueConstraint(
                fields=["area_owner", "slug"], condition=Q(space__isnull=True), name="page_slug_area"
            ),
            models.CheckConstraint(
                condition=Q(space__isnull=False) | Q(area_owner__isnull=False), name="page_in_space_or_area"
            ),
        ]
        indexes = [
            models.Index(fields=["space", "parent", "position"]),
            models.Index(fields=["space", "title_key"]),
            models.Index(fields=["area_owner", "title_key"]),
        ]

    def __str__(self):
        return self.slug


class Revision(models.Model):
    """One saved state of a page: every save is a revision, none is ever changed afterwards."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    base = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The revision the editor started from (differs from the previous one after a merge).",
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="revisions")
    created = models.DateTimeField(default=timezone.now)
    title = models.CharField(max_length=200)
    text = models.TextField(blank=True)
    summary = models.CharField(max_length=300, blank=True, help_text="The edit summary.")
    minor = models.BooleanField(default=False)
    size = models.PositiveIntegerField(default=0, help_text="Length of the text in characters.")
    merged = models.BooleanField(default=False, help_text="Saved by merging with edits made meanwhile.")
    reverted_to = models.PositiveIntegerField(null=True, blank=True, help_text="The revision number it restored.")
    # Who wrote which line, as runs [[revision number, line count], ...] over the text's lines; each
    # revision's runs are computed from its parent's, so the view never walks the whole history.
    attribution = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["page", "number"], name="revision_number_per_page")]
        # Contributors per page are counted from this index alone, never from the rows and their texts.
        indexes = [models.Index(fields=["page", "author", "created"], name="revision_page_author")]
        ordering = ["-number"]

    def __str__(self):
        return f"{self.page_id} r{self.number}"


class PageLink(models.Model):
    """A ``[[link]]`` from one page to another (or to a page not written yet): backlinks and red links."""

    source = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(Page, null=True, blank=True, on_delete=models.CASCADE, related_name="links_in")
    target_space = models.ForeignKey("spaces.Space", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    target_title = models.CharField(max_length=200)
    target_key = models.CharField(max_length=200, help_text="target_title case-folded.")

    class Meta:
        indexes = [models.Index(fields=["target_space", "target_key"])]

    def __str__(self):
        return f"{self.source_id} → {self.target_title}"


class PageTemplate(models.Model):
    """A starting text for new pages (how-to, meeting notes, ...); curators add their own."""

    name = models.CharField(max_length=80, unique=True)
    description = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name
