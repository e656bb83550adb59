from django.conf import settings
from django.db import models
from django.utils import timezone

from core.models import Item


class Link(models.Model):
    """A web page as one shared resource: everyone who saves the same (normalised) URL saves this row."""

    class Preview(models.TextChoices):
        PENDING = "pending", "Waiting to be fetched"
        OK = "ok", "Fetched"
        FAILED = "failed", "Could not be fetched"

    url = models.URLField(max_length=2000, help_text="Normalised: see links.normalise.normalise_url.")
    url_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the normalised URL.")
    domain = models.CharField(max_length=255, db_index=True)
    title = models.CharField(max_length=300, blank=True, help_text="From the page itself.")
    description = models.TextField(blank=True)
    image = models.ImageField(upload_to="links/images/%Y/%m/", blank=True, help_text="Open Graph image, stored here.")
    favicon = models.ImageField(upload_to="links/favicons/", blank=True)
    preview_status = models.CharField(max_length=8, choices=Preview.choices, default=Preview.PENDING)
    preview_error = models.CharField(max_length=300, blank=True)
    preview_attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, help_text="When a failed preview is retried.")
    fetched_at = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True, help_text="Last broken-link check.")
    broken_since = models.DateTimeField(null=True, blank=True, help_text="Set while the link stops answering.")
    failed_checks = models.PositiveSmallIntegerField(default=0, db_default=0, help_text="Checks failed in a row.")
    check_status = models.PositiveSmallIntegerField(null=True, blank=True, help_text="HTTP status of the last check.")
    save_count = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["preview_status", "next_attempt_at"]),
            models.Index(fields=["checked_at"]),
            models.Index(fields=["-save_count", "-id"], name="link_most_saved"),
        ]

    def __str__(self):
        return self.url


class Bookmark(models.Model):
    """One person's save of a link (a bookmark), the link item kind: their title, notes, tags, space and visibility."""

    item = models.OneToOneField(Item, on_delete=models.CASCADE, primary_key=True, related_name="bookmark")
    link = models.ForeignKey(Link, on_delete=models.PROTECT, related_name="bookmarks")
    saver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookmarks")
    notes = models.TextField(blank=True, help_text="The saver's own notes, shown with the save.")
    image = models.ImageField(
        upload_to="links/saved/%Y/%m/", blank=True, help_text="An image saved from the page (image-linking)."
    )
    thumbnail = models.ImageField(upload_to="links/saved/thumbs/%Y/%m/", blank=True)
    saved_at = models.DateTimeField(default=timezone.now, help_text="When it was first saved (kept on import).")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["saver", "link"], name="one_save_per_person_per_link")]
        indexes = [models.Index(fields=["link", "-saved_at"])]

    def __str__(self):
        return f"{self.saver_id} → {self.link_id}"


class Board(models.Model):
    """An ordered, sectioned list of any items (a reading list), the board item kind."""

    class Layout(models.TextChoices):
        LIST = "list", "List"
        WALL = "wall", "Image wall"

    item = models.OneToOneField(Item, on_delete=models.CASCADE, primary_key=True, related_name="board")
    layout = models.CharField(max_length=4, choices=Layout.choices, default=Layout.LIST)
    collaborators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="board_collaborations", help_text="May edit the board."
    )
    official = models.BooleanField(default=False, help_text="A curator's recommended reading list.")
    skill = models.ForeignKey(
        "people.Skill", null=True, blank=True, on_delete=models.SET_NULL, related_name="official_boards"
    )
    role = models.CharField(max_length=80, blank=True, help_text="A job title the list is recommended for.")
    topic = models.CharField(max_length=120, blank=True)
    entry_count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["official", "skill"])]

    def __str__(self):
        return str(self.item_id)


class BoardSection(models.Model):
    """A heading that groups a board's entries."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(max_length=120)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class BoardEntry(models.Model):
    """One item on a board, with the curator's note about why it is there."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="entries")
    section = models.ForeignKey(BoardSection, null=True, blank=True, on_delete=models.SET_NULL, related_name="entries")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="board_entries")
    note = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    added = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["board", "item"], name="item_once_per_board")]

    def __str__(self):
        return f"{self.board_id}: {self.item_id}"


class EntryProgress(models.Model):
    """A reader marked a board entry done."""

    entry = models.ForeignKey(BoardEntry, on_delete=models.CASCADE, related_name="progress")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="entry_progress")
    done_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "user"], name="entry_done_once")]

    def __str__(self):
        return f"{self.user_id} done {self.entry_id}"


class ImportJob(models.Model):
    """A bookmark file being imported in the background, with its progress and report."""

    class State(models.TextChoices):
        PLANNED = "planned", "Previewed, waiting for confirmation"
        RUNNING = "running", "Importing"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    class Folders(models.TextChoices):
        TAGS = "tags", "Folders become tags"
        BOARD = "board", "Each folder becomes a board"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookmark_imports")
    upload = models.FileField(upload_to="imports/bookmarks/")
    original_name = models.CharField(max_length=255)
    state = models.CharField(max_length=8, choices=State.choices, default=State.PLANNED)
    folders = models.CharField(max_length=5, choices=Folders.choices, default=Folders.TAGS)
    space = models.ForeignKey("spaces.Space", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    visibility = models.CharField(max_length=12, default="private")
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True, help_text="created / merged / refused, with reasons.")
    created = models.DateTimeField(default=timezone.now)
    finished = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.original_name} ({self.state})"


class Comment(models.Model):
    """Discussion of a shared link, seen by everyone who may see at least one save of it."""

    link = models.ForeignKey(Link, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="link_comments")
    body = models.TextField()
    created = models.DateTimeField(default=timezone.now)
    edited = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created", "pk"]
        indexes = [models.Index(fields=["link", "created"])]

    def __str__(self):
        return f"{self.author_id} on {self.link_id}"
