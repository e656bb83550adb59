from django.conf import settings
from django.db import models


class PeriodicRun(models.Model):
    """When a periodic job last ran for one person, so a restarted scheduler never repeats it."""

    class Job(models.TextChoices):
        DIGEST = "digest", "Daily e-mail digest"

    job = models.CharField(max_length=20, choices=Job.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="periodic_runs")
    last_run = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "user"], name="periodicrun_once")]

    def __str__(self):
        return f"{self.job} for {self.user} at {self.last_run:%Y-%m-%d %H:%M}"
