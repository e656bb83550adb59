"""Background exports: a Leap2A zip or an offline site, written by a worker with its progress on the job.

Mahara's exports over about 100 MB time out because they are built inside the request. Here the page
only creates an ``ExportJob``; ``run_export`` (a django-tasks task, like the link and bookmark jobs)
writes the zip straight to storage in chunks, updating ``done`` of ``total`` as it goes, and the page
polls that. The download is served only to the job's owner. A person keeps their last few exports;
older files are removed when a new export starts.
"""

from __future__ import annotations

import logging
import os
import tempfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File as DjangoFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django_tasks import task

from portfolios.models import ExportJob, Portfolio

logger = logging.getLogger(__name__)

KEEP_EXPORTS = 5  # finished exports a person keeps; the files of older ones are deleted


def create_export_job(*, owner, format: str, portfolio: Portfolio | None = None) -> ExportJob:
    """Queue an export of ``portfolio`` (or, with None, everything ``owner`` owns). Only the owner exports
    a portfolio: the file holds their private blocks and reflections."""
    if not getattr(owner, "is_authenticated", False):
        raise PermissionDenied("Sign in to export your portfolios.")
    if format not in ExportJob.Format.values:
        raise ValidationError("Choose Leap2A or web pages.")
    if portfolio is not None and (portfolio.item.owner_id != owner.pk or portfolio.item.deleted_at is not None):
        raise PermissionDenied("You can only export your own portfolios.")
    job = ExportJob.objects.create(owner=owner, portfolio=portfolio, format=format)
    _forget_old_exports(owner)
    transaction.on_commit(lambda: run_export.enqueue(job.pk))
    return job


def _forget_old_exports(owner) -> None:
    finished = ExportJob.objects.filter(owner=owner, state__in=[ExportJob.State.DONE, ExportJob.State.FAILED])
    for old in finished.order_by("-created", "-pk")[KEEP_EXPORTS:]:
        if old.file:
            old.file.delete(save=False)
        old.delete()


def export_filename(job: ExportJob) -> str:
    what = slugify(job.portfolio.item.title)[:60] if job.portfolio_id else "all-portfolios"
    kind = "leap2a" if job.format == ExportJob.Format.LEAP2A else "site"
    return f"{job.owner.username}-{what or 'portfolio'}-{kind}-{timezone.localtime(job.created):%Y%m%d-%H%M}.zip"


def write_export(out, *, job: ExportJob, progress=None) -> dict:
    """Write the job's zip to ``out`` and return its report."""
    from portfolios import export, leap2a

    if job.format == ExportJob.Format.LEAP2A:
        summary = leap2a.write_leap2a(out, owner=job.owner, portfolio=job.portfolio, progress=progress)
    else:
        summary = export.write_site(out, owner=job.owner, portfolio=job.portfolio, progress=progress)
    return summary.as_dict()


@task()
def run_export(job_id: int) -> str:
    """Write the export, its progress on the job as it goes; a failure is recorded, never raised."""
    # Claimed by its state, so a second worker given the same job does nothing.
    if not ExportJob.objects.filter(pk=job_id, state=ExportJob.State.QUEUED).update(state=ExportJob.State.RUNNING):
        return "taken"
    job = ExportJob.objects.select_related("owner", "portfolio__item").get(pk=job_id)
    name = default_storage.get_available_name(f"exports/{job.owner_id}/{export_filename(job)}")

    def progress(done: int, total: int) -> None:
        ExportJob.objects.filter(pk=job_id).update(done=done, total=total)

    try:
        report, size = _write_to_storage(job, name, progress)
    except Exception as exc:  # the job records any failure; the worker must carry on with the next one
        logger.exception("Portfolio export %s failed", job_id)
        if default_storage.exists(name):
            default_storage.delete(name)
        ExportJob.objects.filter(pk=job_id).update(
            state=ExportJob.State.FAILED,
            error=f"The export stopped: {exc.__class__.__name__}. Nothing was kept; try again.",
            finished=timezone.now(),
        )
        return "failed"
    total = ExportJob.objects.filter(pk=job_id).values_list("total", flat=True).first() or 0
    ExportJob.objects.filter(pk=job_id).update(
        state=ExportJob.State.DONE, file=name, size=size, report=report, done=total, finished=timezone.now()
    )
    return "done"


def _write_to_storage(job: ExportJob, name: str, progress) -> tuple[dict, int]:
    """Straight into the storage's own file when it has one (local disk); else through a temporary file."""
    try:
        path = default_storage.path(name)
    except NotImplementedError:
        path = None
    if path is not None:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as out:
            report = write_export(out, job=job, progress=progress)
        return report, os.path.getsize(path)
    with tempfile.TemporaryFile() as out:
        report = write_export(out, job=job, progress=progress)
        size = out.tell()
        out.seek(0)
        default_storage.save(name, DjangoFile(out))
    return report, size


def percent(job: ExportJob) -> int:
    if job.state == ExportJob.State.DONE:
        return 100
    return round(100 * job.done / job.total) if job.total else 0
