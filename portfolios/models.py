"""E-portfolios: showcase and process portfolios made of pages of blocks, a dated journal with reflections,
feedback, frozen snapshots for review, secret links for people outside, and skill claims that others endorse.

A portfolio is an item (kind ``portfolio``): its visibility, sharing, search, feed and permalink are the
spine's. Everything else here hangs off it. What is private to the owner (a private reflection, private
feedback) is marked on its own row and filtered by ``portfolios.access``, never by a template.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.models import Item

# The prompts a reflection starts from when neither the portfolio nor a curator chose others (Rolfe et al. 2001).
WHAT_SO_WHAT_NOW_WHAT = [
    {"prompt": "What happened?", "help": "Describe what you did, saw or took part in, and your part in it."},
    {"prompt": "So what?", "help": "What did you learn? What went well or badly, and why does it matter?"},
    {"prompt": "Now what?", "help": "What will you do differently or next, and what do you need for it?"},
]


class ReflectionTemplate(models.Model):
    """A set of prompts a reflection answers; curators publish their own beside the built-in one."""

    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    prompts = models.JSONField(default=list, help_text='A list of {"prompt": ..., "help": ...}.')
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.name


class PortfolioTemplate(models.Model):
    """A curator's starting structure for a programme, a role or an apprenticeship: pages, blocks, guidance."""

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=10, choices=[("showcase", "Showcase"), ("process", "Process")])
    audience = models.CharField(
        max_length=200, blank=True, help_text="Who it is for: a programme, a role or an apprenticeship."
    )
    skill = models.ForeignKey("people.Skill", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reflection_template = models.ForeignKey(
        ReflectionTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    structure = models.JSONField(
        default=list,
        help_text='Pages: [{"title", "layout", "guidance", "blocks": [{"kind", "title", "column", "guidance"}]}].',
    )
    published = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title


class Portfolio(models.Model):
    """The portfolio item kind: a collection of pages (with its own navigation) and, for a process
    portfolio, a dated journal."""

    class Kind(models.TextChoices):
        SHOWCASE = "showcase", "Showcase"
        PROCESS = "process", "Process"

    item = models.OneToOneField(Item, on_delete=models.CASCADE, primary_key=True, related_name="portfolio")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SHOWCASE)
    template = models.ForeignKey(
        PortfolioTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="portfolios"
    )
    reflection_template = models.ForeignKey(
        ReflectionTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    page_count = models.PositiveIntegerField(default=0)
    entry_count = models.PositiveIntegerField(default=0)

    def __str__(self):
        return str(self.pk)

    def prompts(self) -> list[dict]:
        template = self.reflection_template
        return template.prompts if template is not None and template.prompts else WHAT_SO_WHAT_NOW_WHAT


class Layout(models.TextChoices):
    ONE = "one", "One column"
    TWO = "two", "Two equal columns"
    WIDE_LEFT = "wide_left", "Wide and narrow"
    THREE = "three", "Three columns"


COLUMNS = {Layout.ONE: 1, Layout.TWO: 2, Layout.WIDE_LEFT: 2, Layout.THREE: 3}


class PortfolioPage(models.Model):
    """One page of a portfolio: blocks laid out in columns."""

    portfolio = models.ForeignKey(Portfolio, on_delete=models.CASCADE, related_name="pages")
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, allow_unicode=True)
    position = models.PositiveIntegerField(default=0)
    layout = models.CharField(max_length=10, choices=Layout.choices, default=Layout.ONE)
    guidance = models.TextField(blank=True, help_text="What to put on this page (from the guided start or template).")
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["portfolio", "slug"], name="portfoliopage_slug")]

    def __str__(self):
        return self.title

    @property
    def columns(self) -> int:
        return COLUMNS[self.layout]


class Block(models.Model):
    """A block on a page. What it shows depends on its kind:

    text: ``body`` (Markdown). artefact: ``item`` (a file, link or any item kept as evidence), or ``enrolment``
    (a course completion). gallery: ``images`` (file items). embed: ``item`` shown inline. reflection: ``answers``
    to prompts. skills: the portfolio's skill claims (``claims``). timeline: ``events`` and the journal's entries.
    """

    class Kind(models.TextChoices):
        TEXT = "text", "Text"
        ARTEFACT = "artefact", "Artefact"
        GALLERY = "gallery", "Image gallery"
        EMBED = "embed", "Embedded item"
        REFLECTION = "reflection", "Reflection"
        SKILLS = "skills", "Skills claimed"
        TIMELINE = "timeline", "Timeline"

    page = models.ForeignKey(PortfolioPage, on_delete=models.CASCADE, related_name="blocks")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    column = models.PositiveSmallIntegerField(default=0)
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    # ``body`` rendered (wiki Markdown, sanitised), written with it so reading a page renders nothing; a row
    # rendered by another ``wiki.markdown.RENDER_VERSION`` (or before this column) is rendered when read.
    body_html = models.TextField(blank=True, editable=False)
    body_html_version = models.PositiveSmallIntegerField(default=0, editable=False)
    answers = models.JSONField(default=list, blank=True, help_text='Reflection: [{"prompt": ..., "answer": ...}].')
    events = models.JSONField(default=list, blank=True, help_text='Timeline: [{"date", "title", "text"}].')
    item = models.ForeignKey(Item, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    enrolment = models.ForeignKey(
        "catalog.Enrolment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    private = models.BooleanField(default=False, help_text="Only the owner sees it, even on a shared page.")
    guidance = models.TextField(blank=True, help_text="What to put here, shown to the owner while it is empty.")
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["column", "position", "pk"]
        indexes = [models.Index(fields=["page", "column", "position"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.pk}"


class BlockImage(models.Model):
    """An image (a file item) in a gallery block, in order, with a caption."""

    block = models.ForeignKey(Block, on_delete=models.CASCADE, related_name="images")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(default=0)
    caption = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.caption or f"image {self.item_id}"


class JournalEntry(models.Model):
    """A dated entry of a process portfolio's journal about ongoing work, with its reflection."""

    portfolio = models.ForeignKey(Portfolio, on_delete=models.CASCADE, related_name="entries")
    happened = models.DateField(help_text="When the work it is about took place.")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    answers = models.JSONField(default=list, blank=True, help_text='[{"prompt": ..., "answer": ...}]')
    reflection_private = models.BooleanField(default=False, help_text="Only the owner sees the reflection.")
    item = models.ForeignKey(
        Item, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", help_text="Evidence, if any."
    )
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-happened", "-pk"]
        verbose_name_plural = "journal entries"
        indexes = [models.Index(fields=["portfolio", "-happened"])]

    def __str__(self):
        return self.title


class SecretLink(models.Model):
    """A link that lets someone outside see a portfolio without signing in: revocable, may expire.
    Only a hash of its token is kept; the token is shown once."""

    portfolio = models.ForeignKey(Portfolio, on_delete=models.CASCADE, related_name="secret_links")
    token_hash = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=120, blank=True, help_text="Who it is for, e.g. 'Interview panel'.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(default=timezone.now)
    expires = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used = models.DateTimeField(null=True, blank=True)
    use_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return self.label or f"link {self.pk}"

    def is_live(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires is None or self.expires > now)


class FeedbackRequest(models.Model):
    """The owner asks a peer or an advisor for feedback, with a message."""

    class State(models.TextChoices):
        OPEN = "open", "Waiting for feedback"
        ANSWERED = "answered", "Answered"
        WITHDRAWN = "withdrawn", "Withdrawn"

    portfolio = models.ForeignKey(Portfolio, on_delete=models.CASCADE, related_name="feedback_requests")
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feedback_asked")
    message = models.TextField(blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    created = models.DateTimeField(default=timezone.now)
    answered = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["portfolio", "reviewer"], condition=Q(state="open"), name="feedbackrequest_one_open"
            )
        ]

    def __str__(self):
        return f"feedback asked of {self.reviewer_id} on {self.portfolio_id}"


class Feedback(models.Model):
    """A comment on a portfolio, one of its pages, a block or a journal entry; an owner's reply has a parent.
    Private feedback is seen by its author and the portfolio's owner only."""

    portfolio = models.ForeignKey(Portfolio, on_delete=models.CASCADE, related_name="feedback")
    page = models.ForeignKey(PortfolioPage, null=True, blank=True, on_delete=models.CASCADE, related_name="feedback")
    block = models.ForeignKey(Block, null=True, blank=True, on_delete=models.CASCADE, related_name="feedback")
    entry = models.ForeignKey(JournalEntry, null=True, blank=True, on_delete=models.CASCADE, related_name="feedback")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    request = models.ForeignKey(
        FeedbackRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="feedback"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField()
    private = models.BooleanField(default=False, help_text="Only the portfolio's owner (and the author) see it.")
    addressed = models.DateTimeField(null=True, blank=True, help_text="When the owner marked it as addressed.")
    created = models.DateTimeField(default=timezone.now)
    edited = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created", "pk"]
        verbose_name_plural = "feedback"
        indexes = [models.Index(fields=["portfolio", "created"])]

    def __str__(self):
        return self.body[:60]


class Submission(models.Model):
    """A frozen copy of a portfolio submitted for review: later edits do not change it. The reviewer
    attaches an assessment."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", "Waiting for assessment"
        ASSESSED = "assessed", "Assessed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Outcome(models.TextChoices):
        NOT_YET = "not_yet", "Not yet"
        MEETS = "meets", "Meets the standard"
        EXCEEDS = "exceeds", "Exceeds the standard"

    portfolio = models.ForeignKey(Portfolio, on_delete=models.CASCADE, related_name="submissions")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="submissions_to_assess"
    )
    message = models.TextField(blank=True)
    title = models.CharField(max_length=200, help_text="The portfolio's title when it was submitted.")
    content = models.JSONField(default=dict, help_text="The frozen pages, blocks and entries (private ones left out).")
    state = models.CharField(max_length=10, choices=State.choices, default=State.SUBMITTED)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    assessment = models.TextField(blank=True)
    assessed_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created"]

    # --- competencies: claims, evidence, endorsements ----------------------------------------------------------

    def __str__(self):
        return f"{self.title} ({self.get_state_display()})"


class Framework(models.Model):
    """A curator's competency framework: named levels with descriptors, for a set of skills. Without one,
    a claim uses the taxonomy's levels (people.PersonSkill.Level)."""

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    levels = models.JSONField(default=list, help_text='[{"level": 1, "name": ..., "descriptor": ...}], in order.')
    skills = models.ManyToManyField("people.Skill", blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title


class SkillClaim(models.Model):
    """A person's self-evaluation: "I can do this skill at this level", with evidence; endorsed by others,
    it is a recognised skill on their profile."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        CLAIMED = "claimed", "Claimed"
        ENDORSED = "endorsed", "Endorsed"

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="skill_claims")
    skill = models.ForeignKey("people.Skill", on_delete=models.CASCADE, related_name="claims")
    framework = models.ForeignKey(Framework, null=True, blank=True, on_delete=models.SET_NULL, related_name="claims")
    level = models.PositiveSmallIntegerField()
    statement = models.TextField(blank=True, help_text="Why the person thinks so, in their words.")
    portfolio = models.ForeignKey(Portfolio, null=True, blank=True, on_delete=models.SET_NULL, related_name="claims")
    state = models.CharField(max_length=10, choices=State.choices, default=State.CLAIMED)
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(default=timezone.now)
    endorsed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "skill"], condition=Q(framework__isnull=True), name="skillclaim_once"
            ),
            models.UniqueConstraint(
                fields=["person", "skill", "framework"],
                condition=Q(framework__isnull=False),
                name="skillclaim_once_per_framework",
            ),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=10), name="skillclaim_level_range"),
        ]
        indexes = [models.Index(fields=["person", "state"])]

    def __str__(self):
        return f"{self.person} claims {self.skill} at {self.level}"


class ClaimEvidence(models.Model):
    """What supports a claim: an item (a file, a wiki page written, a board, a portfolio...), a portfolio
    block, or a course completion."""

    claim = models.ForeignKey(SkillClaim, on_delete=models.CASCADE, related_name="evidence")
    item = models.ForeignKey(Item, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    block = models.ForeignKey(Block, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    enrolment = models.ForeignKey(
        "catalog.Enrolment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name_plural = "claim evidence"
        constraints = [
            models.CheckConstraint(
                condition=Q(item__isnull=False) | Q(block__isnull=False) | Q(enrolment__isnull=False),
                name="claimevidence_points_somewhere",
            )
        ]

    def __str__(self):
        return self.note or f"evidence for claim {self.claim_id}"


class EndorsementRequest(models.Model):
    """The claimant asks an advisor or a peer to endorse a claim."""

    class State(models.TextChoices):
        PENDING = "pending", "Waiting"
        ENDORSED = "endorsed", "Endorsed"
        DECLINED = "declined", "Declined"

    claim = models.ForeignKey(SkillClaim, on_delete=models.CASCADE, related_name="endorsement_requests")
    endorser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="endorsements_asked")
    message = models.TextField(blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    response = models.TextField(blank=True)
    created = models.DateTimeField(default=timezone.now)
    responded = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "endorser"], condition=Q(state="pending"), name="endorsementrequest_one_pending"
            )
        ]

    def __str__(self):
        return f"endorsement of claim {self.claim_id} asked of {self.endorser_id}"


class Endorsement(models.Model):
    """Someone vouches for a claim, at the level they judge (which may differ from the one claimed)."""

    claim = models.ForeignKey(SkillClaim, on_delete=models.CASCADE, related_name="endorsements")
    endorser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="endorsements_given")
    level = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created"]
        constraints = [models.UniqueConstraint(fields=["claim", "endorser"], name="endorsement_once")]

    # --- moving portfolios in and out ---------------------------------------------------------------------------

    def __str__(self):
        return f"endorsement of claim {self.claim_id} by {self.endorser_id}"


class ExportJob(models.Model):
    """A Leap2A or static-site export that runs in the background, with progress and a download when ready."""

    class Format(models.TextChoices):
        LEAP2A = "leap2a", "Leap2A (Mahara and other portfolio systems)"
        HTML = "html", "Web pages that open offline"

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portfolio_exports")
    portfolio = models.ForeignKey(
        Portfolio, null=True, blank=True, on_delete=models.CASCADE, help_text="Empty: everything the person owns."
    )
    format = models.CharField(max_length=8, choices=Format.choices)
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/", blank=True)
    size = models.PositiveBigIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created = models.DateTimeField(default=timezone.now)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return f"{self.get_format_display()} export {self.pk}"


class ImportJob(models.Model):
    """A Leap2A import: the uploaded file is planned (preview, nothing written), then applied in one transaction."""

    class State(models.TextChoices):
        PLANNED = "planned", "Waiting for confirmation"
        DONE = "done", "Imported"
        FAILED = "failed", "Failed"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portfolio_imports")
    upload = models.FileField(upload_to="imports/")
    name = models.CharField(max_length=255)
    state = models.CharField(max_length=8, choices=State.choices, default=State.PLANNED)
    plan = models.JSONField(default=dict, blank=True)
    report = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(default=timezone.now)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return self.name
