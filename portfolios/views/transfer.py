"""Portfolio views: moving portfolios out (Leap2A, an offline site) and in (Leap2A from Mahara and others).

Exports run in the background (``portfolios.tasks``): the export page queues a job and its page polls the
progress with htmx until the download is ready. Imports are planned first — the preview says what will
be created and what cannot be mapped — and written only when the person confirms. Every job is its
owner's alone: anyone else asking for it finds nothing (404).
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_safe

from lib.htmx import render_page
from lib.uploads import SizeCapUploadHandler
from portfolios import leap2a, tasks
from portfolios.models import ExportJob, ImportJob, Portfolio

RECENT = 5


class ExportForm(forms.Form):
    portfolio = forms.TypedChoiceField(
        label="What to export", coerce=int, empty_value=None, required=False, widget=forms.RadioSelect
    )
    format = forms.ChoiceField(
        label="Format", choices=ExportJob.Format.choices, initial=ExportJob.Format.LEAP2A, widget=forms.RadioSelect
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.mine = {
            p.pk: p
            for p in Portfolio.objects.filter(item__owner=user, item__deleted_at__isnull=True)
            .select_related("item")
            .order_by("item__title", "pk")
        }
        self.fields["portfolio"].choices = [("", "Everything I own: every portfolio and skill claim")] + [
            (pk, p.item.title) for pk, p in self.mine.items()
        ]
        self.fields["portfolio"].initial = ""

    def clean_portfolio(self):
        pk = self.cleaned_data.get("portfolio")
        return None if pk is None else self.mine.get(pk)


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Leap2A export",
        help_text="The zip Mahara (or another portfolio system) gave you, or its leap2a.xml on its own "
        f"(files then stay behind). Up to {leap2a.MAX_ARCHIVE_BYTES // leap2a.MB:,} MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,.xml"}),
    )


# --- export ---------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def export_start(request):
    """Choose a portfolio (or everything) and a format; the export itself runs in the background."""
    status = 200
    if request.method == "POST":
        form = ExportForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                job = tasks.create_export_job(
                    owner=request.user, format=form.cleaned_data["format"], portfolio=form.cleaned_data["portfolio"]
                )
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, " ".join(getattr(exc, "messages", [str(exc)])))
            else:
                return redirect(reverse("portfolios:export-job", args=[job.pk]))
        status = 400
    else:
        initial = {}
        chosen = request.GET.get("portfolio", "")
        if chosen.isdigit():
            initial["portfolio"] = int(chosen)
        form = ExportForm(user=request.user, initial=initial)
    recent = list(ExportJob.objects.filter(owner=request.user).select_related("portfolio__item")[:RECENT])
    return render(request, "portfolios/export.html", {"form": form, "recent": recent}, status=status)


def _own_export(request, job_id: int) -> ExportJob:
    job = ExportJob.objects.filter(pk=job_id, owner=request.user).select_related("portfolio__item").first()
    if job is None:
        raise Http404("Not found")
    return job


@login_required
@require_safe
def export_job(request, job_id: int):
    """An export's progress while it runs (the fragment htmx polls) and its download when ready."""
    job = _own_export(request, job_id)
    context = {
        "job": job,
        "percent": tasks.percent(job),
        "finished": job.state in (ExportJob.State.DONE, ExportJob.State.FAILED),
        "filename": tasks.export_filename(job),
    }
    return render_page(request, "portfolios/export_job.html", context, partial="progress")


@login_required
@require_safe
def export_download(request, job_id: int):
    job = _own_export(request, job_id)
    if job.state != ExportJob.State.DONE or not job.file:
        raise Http404("Not ready")
    try:
        fh = job.file.open("rb")
    except OSError:
        raise Http404("Gone")
    response = FileResponse(fh, content_type="application/zip", as_attachment=True, filename=tasks.export_filename(job))
    response["Cache-Control"] = "private, no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- import ---------------------------------------------------------------------------------------------


@login_required
@csrf_exempt
def import_start(request):
    """Upload a Leap2A export. It is read and planned; nothing but the upload is kept until confirmed.

    A file past the limit is dropped while it arrives, before it can fill the disk. The cap must be installed
    before the body is read, and CSRF protection reads the body, so the check is exempted here and applied by
    the inner view (Django's documented pattern, as the file upload page does)."""
    cap = None
    if request.method == "POST":
        cap = SizeCapUploadHandler(request, max_bytes=leap2a.MAX_ARCHIVE_BYTES)
        request.upload_handlers.insert(0, cap)
    return _import_start(request, cap)


@csrf_protect
@require_http_methods(["GET", "POST"])
def _import_start(request, cap):
    status = 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if cap.too_large:
            form.add_error(None, f"The file is larger than {leap2a.MAX_ARCHIVE_BYTES // leap2a.MB:,} MB.")
        elif form.is_valid():
            try:
                job = leap2a.create_import_job(user=request.user, upload=form.cleaned_data["file"])
            except ValidationError as exc:
                form.add_error("file", exc.messages)
            else:
                return redirect(reverse("portfolios:import-job", args=[job.pk]))
        status = 400
    else:
        form = ImportForm()
    recent = list(ImportJob.objects.filter(owner=request.user)[:RECENT])
    return render(request, "portfolios/import.html", {"form": form, "recent": recent}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def import_job(request, job_id: int):
    """The preview of an import with its confirm button; after confirming, the report."""
    job = ImportJob.objects.filter(pk=job_id, owner=request.user).first()
    if job is None:
        raise Http404("Not found")
    error = ""
    status = 200
    if request.method == "POST" and job.state == ImportJob.State.PLANNED:
        try:
            leap2a.confirm_import(job=job, actor=request.user)
        except (ValidationError, PermissionDenied) as exc:
            error = " ".join(getattr(exc, "messages", [str(exc)]))
            status = 400
        else:
            return redirect(reverse("portfolios:import-job", args=[job.pk]))
        job.refresh_from_db()
    elif request.method == "POST":
        return redirect(reverse("portfolios:import-job", args=[job.pk]))
    plan = job.plan or {}
    context = {"job": job, "plan": plan, "counts": plan.get("counts", {}), "report": job.report or {}, "error": error}
    return render(request, "portfolios/import_job.html", context, status=status)


urlpatterns = [
    path("export/", export_start, name="export"),
    path("export/<int:job_id>/", export_job, name="export-job"),
    path("export/<int:job_id>/download", export_download, name="export-download"),
    path("import/", import_start, name="import"),
    path("import/<int:job_id>/", import_job, name="import-job"),
]
