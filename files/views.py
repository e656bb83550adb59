import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe

from core.access import can_admin, can_create_in, can_edit
from core.models import Visibility, Watch
from core.services import unwatch, watch
from files import queries
from files.forms import EditForm, UploadForm
from files.models import File
from files.services import EditConflict, delete_file, max_upload_bytes, update_file, upload_files
from lib.uploads import SizeCapUploadHandler, UploadRejected, type_label

# Only what a browser shows natively and safely is ever served inline; everything else downloads.
INLINE_FAMILIES = {"image", "audio", "video"}
INLINE_TYPES = {"application/pdf"}
STREAM_CHUNK = 64 * 1024
_SINGLE_RANGE = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$", re.IGNORECASE)


@login_required
@csrf_exempt
def upload(request):
    """Upload page. The size cap must be installed before the body is read, and CSRF protection reads
    the body, so the check is exempted here and applied by the inner view (Django's documented pattern)."""
    cap = None
    if request.method == "POST":
        cap = SizeCapUploadHandler(request, max_bytes=max_upload_bytes())
        request.upload_handlers.insert(0, cap)
    return _upload(request, cap)


@csrf_protect
@require_http_methods(["GET", "POST"])
def _upload(request, cap):
    from spaces.models import Space

    chosen = None
    slug = request.GET.get("space", "")
    if slug:
        chosen = Space.objects.visible_to(request.user).filter(slug=slug).first()
        chosen = chosen if chosen is not None and can_create_in(request.user, chosen) else None
    status = 200
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, user=request.user, space=chosen)
        valid = form.is_valid()
        if cap is not None and cap.too_large:
            form.errors.pop("file", None)
            names = ", ".join(f"“{name}”" for name in cap.too_large)
            verb = "is" if len(cap.too_large) == 1 else "are"
            form.add_error("file", f"{names} {verb} larger than the {settings.WATERCOOLER_MAX_UPLOAD_MB} MB limit.")
            status = 413
        elif valid:
            data = form.cleaned_data
            files = data["file"]
            try:
                items = upload_files(
                    owner=request.user,
                    uploads=[(f, data["title"] if len(files) == 1 else "") for f in files],
                    summary=data["summary"],
                    space=data["space"],
                    visibility=data["visibility"],
                    tags=data["tags"],
                    shared_with=data["shared_with"],
                )
            except UploadRejected as exc:
                form.add_error("file", exc.message)
                status = exc.status
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
                status = 400
            else:
                if len(items) == 1:
                    messages.success(request, f"“{items[0].title}” is shared.")
                    return redirect(items[0])
                messages.success(request, f"{len(items)} files are shared.")
                target = data["space"].get_absolute_url() if data["space"] else request.user.get_absolute_url()
                return redirect(target)
        else:
            status = 400
    else:
        initial = {"visibility": Visibility.SPACE if chosen else Visibility.ORGANISATION}
        if chosen is not None:
            initial["space"] = chosen.slug
        form = UploadForm(initial=initial, user=request.user, space=chosen)
    return render(
        request,
        "files/upload.html",
        {"form": form, "space": chosen, "max_mb": settings.WATERCOOLER_MAX_UPLOAD_MB},
        status=status,
    )


def file_item(request, item):
    """The file's page, reached through its permalink /i/<id>/ after core has checked it may be seen."""
    try:
        detail = item.file
    except File.DoesNotExist:
        raise Http404("This item has no file.")
    user = request.user
    context = {
        "item": item,
        "file": detail,
        "tags": list(item.tags.all()),
        "can_edit": can_edit(user, item),
        "can_delete": can_admin(user, item),
        "watching": user.is_authenticated and Watch.objects.filter(user=user, item=item).exists(),
        "more": queries.more_from_space(user, item),
        "type_label": type_label(detail.content_type),
        "excerpt": queries.read_text(detail, queries.EXCERPT_BYTES),
    }
    if item.visibility == Visibility.PEOPLE and context["can_edit"]:
        context["shared_with"] = list(item.shared_with.all())
    return render(request, "files/file.html", context)


@login_required
@require_GET
def share_suggestions(request):
    """Options for the "named people" box's datalist, as the uploader types."""
    options = queries.share_suggestions(request.user, request.GET.get("shared_with", ""))
    return render(request, "files/partials/share_options.html", {"options": options})


@xframe_options_sameorigin  # the file page shows PDFs in an <iframe>; everything else on the site is DENY
@require_safe
def inline(request, pk):
    """The file for the page's preview: shown in place when that is safe, otherwise downloaded."""
    item = queries.get_file_item_or_404(request.user, pk)
    return serve_file(request, item.file, as_attachment=not _serves_inline(item.file))


@require_safe
def download(request, pk):
    item = queries.get_file_item_or_404(request.user, pk)
    return serve_file(request, item.file, as_attachment=True)


@require_safe
def thumbnail(request, pk):
    item = queries.get_file_item_or_404(request.user, pk)
    detail = item.file
    if not detail.thumbnail:
        raise Http404("No thumbnail")
    etag = f'"{detail.sha256}-thumb"'
    if _matches(request.headers.get("If-None-Match", ""), etag):
        return _not_modified(etag)
    response = FileResponse(detail.thumbnail.open("rb"), content_type="image/jpeg")
    response["ETag"] = etag
    response["Cache-Control"] = "private, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    item = queries.get_file_item_or_404(request.user, pk)
    if not can_edit(request.user, item):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = EditForm(request.POST, request.FILES, user=request.user, item=item)
        if form.is_valid():
            data = form.cleaned_data
            try:
                update_file(
                    item=item,
                    actor=request.user,
                    title=data["title"],
                    summary=data["summary"],
                    visibility=data["visibility"],
                    tags=data["tags"],
                    shared_with=data["shared_with"],
                    replacement=data["replacement"],
                    expected_updated=data["updated"],
                )
            except UploadRejected as exc:
                form.add_error("replacement", exc.message)
                status = exc.status
            except EditConflict as exc:
                form.add_error(None, exc.messages)
                status = 409
            except ValidationError as exc:
                form.add_error(None, exc.messages)
                status = 400
            else:
                messages.success(request, "Your changes are saved.")
                return redirect(item)
        else:
            status = 400
    else:
        form = EditForm(user=request.user, item=item)
    return render(
        request,
        "files/edit.html",
        {"form": form, "item": item, "file": item.file, "max_mb": settings.WATERCOOLER_MAX_UPLOAD_MB},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def delete(request, pk):
    item = queries.get_file_item_or_404(request.user, pk)
    if not can_admin(request.user, item):
        raise PermissionDenied
    if request.method == "POST":
        delete_file(item=item, actor=request.user)
        messages.success(request, f"“{item.title}” is deleted.")
        return redirect(item.space.get_absolute_url() if item.space_id else item.owner.get_absolute_url())
    return render(request, "files/delete.html", {"item": item, "file": item.file})


@login_required
@require_POST
def watch_toggle(request, pk):
    item = queries.get_file_item_or_404(request.user, pk)
    watching = request.POST.get("action") == "watch"
    if watching:
        watch(user=request.user, item=item)
    else:
        unwatch(user=request.user, item=item)
    if getattr(request, "htmx", False):
        return render(request, "files/file.html#watch", {"item": item, "watching": watching})
    messages.success(request, "You will hear about changes." if watching else "You no longer watch this file.")
    return redirect(item)


def serve_file(request, detail, *, as_attachment: bool):
    """The stored file as a response, honouring a single HTTP byte range (RFC 9110 §14) for media seeking.

    Multiple ranges are answered with the whole file, which the RFC allows; an If-Range that does not
    match the current version also gets the whole file, so a resumed download never mixes versions.
    """
    etag = f'"{detail.sha256}"'
    if _matches(request.headers.get("If-None-Match", ""), etag):
        return _not_modified(etag)
    content_type = detail.content_type
    if content_type.startswith("text/"):
        content_type += "; charset=utf-8"
    size = detail.size
    byte_range = None
    header = request.headers.get("Range", "")
    if header and request.headers.get("If-Range", etag) == etag:
        byte_range = _parse_range(header, size)
    if byte_range == "unsatisfiable":
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    elif byte_range is not None:
        start, end = byte_range
        fh = detail.blob.open("rb")
        fh.seek(start)
        response = StreamingHttpResponse(_Slice(fh, end - start + 1), status=206, content_type=content_type)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
        response["Content-Disposition"] = content_disposition_header(as_attachment, detail.original_name)
    else:
        response = FileResponse(
            detail.blob.open("rb"),
            content_type=content_type,
            as_attachment=as_attachment,
            filename=detail.original_name,
        )
        response["Content-Length"] = str(size)
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    # Access can change at any time (a file made private, a person leaving a space), so caches must ask again.
    response["Cache-Control"] = "private, no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class _Slice:
    """Streams ``length`` bytes from an open file, closing it when the response is done."""

    def __init__(self, fh, length: int):
        self.fh = fh
        self.remaining = length

    def __iter__(self):
        while self.remaining > 0:
            chunk = self.fh.read(min(STREAM_CHUNK, self.remaining))
            if not chunk:
                break
            self.remaining -= len(chunk)
            yield chunk

    def close(self):
        self.fh.close()


def _parse_range(header: str, size: int):
    """(first, last) byte positions, "unsatisfiable", or None to ignore the header and send everything."""
    match = _SINGLE_RANGE.match(header)
    if match is None:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:
        suffix = int(last)
        if suffix == 0:
            return "unsatisfiable"
        return max(size - suffix, 0), size - 1
    start = int(first)
    if last and int(last) < start:
        return None
    if start >= size:
        return "unsatisfiable"
    return start, min(int(last), size - 1) if last else size - 1


def _matches(if_none_match: str, etag: str) -> bool:
    candidates = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return etag in candidates or "*" in candidates


def _not_modified(etag: str) -> HttpResponse:
    response = HttpResponseNotModified()
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


def _serves_inline(detail) -> bool:
    return detail.family in INLINE_FAMILIES or detail.content_type in INLINE_TYPES
