from django.db import models


class SearchDocument(models.Model):
    """The searchable text of one person, space or item, kept in step as they change."""

    class Kind(models.TextChoices):
        ITEM = "item", "Item"
        PERSON = "person", "Person"
        SPACE = "space", "Space"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    item = models.OneToOneField("core.Item", null=True, blank=True, on_delete=models.CASCADE, related_name="search_doc")
    person = models.OneToOneField(
        "people.User", null=True, blank=True, on_delete=models.CASCADE, related_name="search_doc"
    )
    space = models.OneToOneField(
        "spaces.Space", null=True, blank=True, on_delete=models.CASCADE, related_name="search_doc"
    )
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    tags = models.TextField(blank=True)
    updated = models.DateTimeField(auto_now=True)
    # Copies of the Item columns the access rule reads (core.access.search_document_filter), so a
    # search filters its matches without joining every one of them to core_item.
    item_kind = models.CharField(max_length=20, blank=True)
    item_visibility = models.CharField(max_length=12, blank=True)
    item_owner = models.ForeignKey(
        "people.User", null=True, blank=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    item_space = models.ForeignKey("spaces.Space", null=True, blank=True, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="item", item__isnull=False, person__isnull=True, space__isnull=True)
                    | models.Q(kind="person", person__isnull=False, item__isnull=True, space__isnull=True)
                    | models.Q(kind="space", space__isnull=False, item__isnull=True, person__isnull=True)
                ),
                name="searchdocument_one_subject",
            )
        ]

    def __str__(self):
        return self.title
