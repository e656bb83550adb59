"""Files: list, read, upload, change, replace, delete and download, through the same services as the pages.

Uploads are multipart forms. A refused upload answers ``{"detail": ...}`` with 413 (too large),
415 (a type that is not accepted) or 400 (damaged, or content that does not match its name).
"""

from typing import Literal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from api.auth import ANONYMOUS_ALLOWED, api_auth_or_anonymous
from core.access import get_visible_or_404
from core.api import ItemFields
from core.services import parse_tags
from files import queries, services
from files.views import serve_file
from lib.uploads import UploadRejected

router = Router()

VisibilityIn = Literal["private", "people", "space", "organisation", "public"]
Family = Literal["document", "slides", "spreadsheet", "image", "audio", "video"]


class ErrorOut(Schema):
    detail: str


class FileOut(ItemFields):
    shared_with: list[str] | None
    # The file's own details, read through the item's one-to-one `file`.
    original_name: str = Field(..., alias="file.original_name")
    content_type: str = Field(..., alias="file.content_type")
    family: str = Field(..., alias="file.family")
    size: int = Field(..., alias="file.size")
    sha256: str = Field(..., alias="file.sha256")
    width: int | None = Field(None, alias="file.width")
    height: int | None = Field(None, alias="file.height")
    download_url: str
    thumbnail_url: str | None

    @staticmethod
    def resolve_shared_with(obj, context):
        # Who a file is shared with is the owner's business; others see only that it is shared.
        user = context["request"].user
        if obj.owner_id != user.pk:
            return None
        return [person.username for person in obj.shared_with.all()]

    @staticmethod
    def resolve_download_url(obj):
        return reverse("files:download", args=[obj.pk])

    @staticmethod
    def resolve_thumbnail_url(obj):
        return reverse("files:thumbnail", args=[obj.pk]) if obj.file.thumbnail else None


class FilePatch(Schema):
    title: str | None = None
    summary: str | None = None
    visibility: VisibilityIn | None = None
    tags: list[str] | None = None
    shared_with: list[str] | None = None


REFUSALS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 413: ErrorOut, 415: ErrorOut}


def _file(request, item_id: int):
    return queries.get_file_item_or_404(request.user, item_id)


def _people(request, usernames: list[str]) -> list:
    names = [n.strip().lstrip("@") for n in usernames if n.strip().lstrip("@")]
    people = list(get_user_model().objects.visible_to(request.user).filter(username__in=names))
    unknown = sorted(set(names) - {p.username for p in people})
    if unknown:
        raise ValidationError(f"No one here has the username {', '.join(unknown)}.")
    return people


@router.get("", response=list[FileOut], auth=api_auth_or_anonymous, openapi_extra=ANONYMOUS_ALLOWED)
@paginate(LimitOffsetPagination)
def list_files(request, space: str = "", owner: str = "", family: Family | None = None, tag: str = "", q: str = ""):
    """Files you may see, newest first. ``space`` is a slug, ``owner`` a username, ``q`` words in the title."""
    return queries.file_list(
        request.user, space_slug=space, owner=owner, family=family or "", tag=tag, q=q.strip()
    ).prefetch_related("shared_with")


@router.get("/{item_id}", response=FileOut, auth=api_auth_or_anonymous, openapi_extra=ANONYMOUS_ALLOWED)
def get_file(request, item_id: int):
    return _file(request, item_id)


@router.post("", response={201: FileOut, **REFUSALS})
def upload(
    request,
    file: File[UploadedFile],
    title: Form[str] = "",
    summary: Form[str] = "",
    space: Form[str] = "",
    visibility: Form[VisibilityIn] = "organisation",
    tags: Form[str] = "",
    shared_with: Form[str] = "",
):
    """Upload one file (multipart field ``file``). ``space`` is a slug; ``tags`` and ``shared_with``
    (usernames) are comma-separated; an empty ``title`` is taken from the file name."""
    from spaces.models import Space

    destination = None
    if space:
        destination = get_visible_or_404(request.user, Space.objects, slug=space)
    try:
        item = services.upload_file(
            owner=request.user,
            uploaded=file,
            title=title,
            summary=summary,
            space=destination,
            visibility=visibility,
            tags=parse_tags(tags),
            shared_with=_people(request, shared_with.replace(",", " ").split()),
        )
    except UploadRejected as exc:
        return Status(exc.status, {"detail": exc.message})
    return Status(201, item)


@router.patch("/{item_id}", response={200: FileOut, **REFUSALS})
def update(request, item_id: int, payload: FilePatch):
    """Change a file's details; fields left out stay as they are."""
    item = _file(request, item_id)
    changes = payload.model_dump(exclude_unset=True)
    services.update_file(
        item=item,
        actor=request.user,
        title=changes.get("title") if changes.get("title") is not None else item.title,
        summary=changes.get("summary") if changes.get("summary") is not None else item.summary,
        visibility=changes.get("visibility") or item.visibility,
        tags=changes["tags"] if changes.get("tags") is not None else [t.name for t in item.tags.all()],
        shared_with=_people(request, changes["shared_with"]) if changes.get("shared_with") is not None else None,
    )
    return Status(200, item)


@router.post("/{item_id}/content", response={200: FileOut, **REFUSALS})
def replace_content(request, item_id: int, file: File[UploadedFile]):
    """Replace the file with a new version (multipart field ``file``), checked like any upload."""
    item = _file(request, item_id)
    try:
        services.update_file(
            item=item,
            actor=request.user,
            title=item.title,
            summary=item.summary,
            visibility=item.visibility,
            tags=[t.name for t in item.tags.all()],
            replacement=file,
        )
    except UploadRejected as exc:
        return Status(exc.status, {"detail": exc.message})
    return Status(200, item)


@router.delete("/{item_id}", response={204: None, 403: ErrorOut, 404: ErrorOut})
def delete(request, item_id: int):
    """Delete a file (its owner, a moderator of its space, or an administrator). Administrators can restore it."""
    services.delete_file(item=_file(request, item_id), actor=request.user)
    return Status(204, None)


@router.get("/{item_id}/download", auth=api_auth_or_anonymous, openapi_extra=ANONYMOUS_ALLOWED)
def download(request, item_id: int):
    """The file's bytes as an attachment. Supports a single ``Range`` for resuming."""
    return serve_file(request, _file(request, item_id).file, as_attachment=True)
