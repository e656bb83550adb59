"""Portfolio transfer: exports (Leap2A, offline site) run as background jobs; Leap2A imports are planned,
then confirmed. Meant to be mounted at ``/api/portfolios/transfer/``.

Every job is its owner's alone: someone else's answers 404. An export answers 201 with the job at once;
poll it until ``state`` is ``done``, then fetch ``/exports/{id}/download``. An import upload (multipart,
``file``) answers 201 with the plan (what would be created, what cannot be mapped); nothing is written
until ``/imports/{id}/confirm``, which applies it in one transaction and answers the report.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from portfolios import leap2a, tasks
from portfolios.models import ExportJob, ImportJob, Portfolio

router = Router()


class ErrorOut(Schema):
    detail: str


REFUSALS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class ExportIn(Schema):
    format: Literal["leap2a", "html"] = "leap2a"
    portfolio: int | None = None


class ExportOut(Schema):
    id: int
    format: str
    portfolio: int | None
    state: str
    done: int
    total: int
    percent: int
    size: int
    report: dict
    error: str
    created: datetime
    finished: datetime | None
    download: str | None

    @staticmethod
    def resolve_portfolio(job):
        return job.portfolio_id

    @staticmethod
    def resolve_percent(job):
        return tasks.percent(job)

    @staticmethod
    def resolve_download(job):
        if job.state != ExportJob.State.DONE:
            return None
        return f"/api/portfolios/transfer/exports/{job.pk}/download"


class ImportOut(Schema):
    id: int
    name: str
    state: str
    plan: dict
    report: dict
    created: datetime
    finished: datetime | None


def _detail(exc) -> dict:
    return {"detail": " ".join(getattr(exc, "messages", [str(exc)])) or "Not allowed."}


@router.get("/exports", response=list[ExportOut])
def list_exports(request):
    """The caller's recent exports, newest first."""
    return list(ExportJob.objects.filter(owner=request.user).order_by("-created", "-pk")[:20])


@router.post("/exports", response={201: ExportOut, **REFUSALS})
def start_export(request, payload: ExportIn):
    """Queue an export of one of the caller's portfolios (``portfolio``) or of everything they own."""
    portfolio = None
    if payload.portfolio is not None:
        portfolio = (
            Portfolio.objects.filter(pk=payload.portfolio, item__owner=request.user, item__deleted_at__isnull=True)
            .select_related("item")
            .first()
        )
        if portfolio is None:
            return Status(404, {"detail": "Not found."})
    try:
        job = tasks.create_export_job(owner=request.user, format=payload.format, portfolio=portfolio)
    except ValidationError as exc:
        return Status(400, _detail(exc))
    except PermissionDenied as exc:
        return Status(403, _detail(exc))
    job.refresh_from_db()
    return Status(201, job)


def _own_export(request, job_id: int) -> ExportJob:
    job = ExportJob.objects.filter(pk=job_id, owner=request.user).first()
    if job is None:
        raise Http404
    return job


@router.get("/exports/{job_id}", response={200: ExportOut, 404: ErrorOut})
def get_export(request, job_id: int):
    return _own_export(request, job_id)


@router.get("/exports/{job_id}/download", response={404: ErrorOut})
def download_export(request, job_id: int):
    """The finished zip, for its owner only."""
    job = _own_export(request, job_id)
    if job.state != ExportJob.State.DONE or not job.file:
        return Status(404, {"detail": "The export is not ready."})
    response = FileResponse(
        job.file.open("rb"), content_type="application/zip", as_attachment=True, filename=tasks.export_filename(job)
    )
    response["Cache-Control"] = "private, no-cache"
    return response


@router.post("/imports", response={201: ImportOut, **REFUSALS})
def upload_import(request, file: File[UploadedFile]):
    """Upload a Leap2A zip or XML: answers its plan. Nothing is written until it is confirmed."""
    if file.size and file.size > leap2a.MAX_ARCHIVE_BYTES:
        return Status(400, {"detail": f"The file is larger than {leap2a.MAX_ARCHIVE_BYTES // leap2a.MB:,} MB."})
    try:
        job = leap2a.create_import_job(user=request.user, upload=file)
    except ValidationError as exc:
        return Status(400, _detail(exc))
    return Status(201, job)


def _own_import(request, job_id: int) -> ImportJob:
    job = ImportJob.objects.filter(pk=job_id, owner=request.user).first()
    if job is None:
        raise Http404
    return job


@router.get("/imports/{job_id}", response={200: ImportOut, 404: ErrorOut})
def get_import(request, job_id: int):
    return _own_import(request, job_id)


@router.post("/imports/{job_id}/confirm", response={200: ImportOut, **REFUSALS})
def confirm_import(request, job_id: int):
    """Carry out the planned import in one transaction; answers the job with its report."""
    job = _own_import(request, job_id)
    try:
        leap2a.confirm_import(job=job, actor=request.user)
    except ValidationError as exc:
        return Status(400, _detail(exc))
    except PermissionDenied as exc:
        return Status(403, _detail(exc))
    job.refresh_from_db()
    return Status(200, job)
