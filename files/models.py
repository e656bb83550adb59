from django.db import models

from core.models import Item


class File(models.Model):
    """An uploaded document, slide deck, spreadsheet, image, recording or video: the file item kind."""

    class Family(models.TextChoices):
        DOCUMENT = "document", "Document"
        SLIDES = "slides", "Slides"
        SPREADSHEET = "spreadsheet", "Spreadsheet"
        IMAGE = "image", "Image"
        AUDIO = "audio", "Audio"
        VIDEO = "video", "Video"

    item = models.OneToOneField(Item, on_delete=models.CASCADE, primary_key=True, related_name="file")
    blob = models.FileField(upload_to="files/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120, help_text="Sniffed from the content, not the browser.")
    family = models.CharField(max_length=12, choices=Family.choices)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    thumbnail = models.ImageField(upload_to="files/thumbs/%Y/%m/", blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)

    def __str__(self):
        return self.original_name

    @property
    def previewable(self) -> bool:
        return (
            self.family in {self.Family.IMAGE, self.Family.AUDIO, self.Family.VIDEO}
            or self.content_type == "application/pdf"
        )
