"""Pictures that come with links: a page's preview image, a site's icon, an image someone saved.

Every one is fetched through the guarded client (or uploaded), checked like any upload
(``lib.uploads``: the bytes must really be a PNG, JPEG, GIF or WebP image of sane dimensions), then
decoded and encoded afresh at a small size. Only the re-encoded file is stored: nothing a remote site
sent is kept or served as it came, metadata included.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import warnings
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

from lib.outbound import OutboundError, fetch
from lib.uploads import MAX_IMAGE_PIXELS, UploadRejected, clean_filename, inspect_upload
from links.models import Bookmark, Link

log = logging.getLogger(__name__)

PREVIEW_IMAGE_BYTES = 5 * 1024 * 1024
FAVICON_BYTES = 512 * 1024
PREVIEW_WIDTH = 640
PREVIEW_HEIGHT = 1280  # tall infographics are cut down to a sane thumbnail too
FAVICON_PX = 64
SAVED_IMAGE_PX = 2048  # the stored copy of a saved image: large enough to look at, small enough to keep
IMAGE_ACCEPT = "image/webp,image/png,image/jpeg,image/gif;q=0.9,*/*;q=0.1"
ICON_ACCEPT = "image/x-icon,image/png,image/*;q=0.9,*/*;q=0.1"
_ICO_MAGIC = b"\x00\x00\x01\x00"


class ImageRefused(Exception):
    """A remote or uploaded picture that is not stored, with the reason."""


def store_preview_image(link: Link, url: str) -> bool:
    """Fetch the page's picture and keep a local thumbnail as ``link.image``; False when there is none to keep."""
    try:
        data = _fetch_image(url, max_bytes=PREVIEW_IMAGE_BYTES, accept=IMAGE_ACCEPT)
        picture = _open_image(data, max_bytes=PREVIEW_IMAGE_BYTES)
        encoded, extension = _encode(picture, max_size=(PREVIEW_WIDTH, PREVIEW_HEIGHT))
    except ImageRefused as exc:
        log.info("preview image %s for link %s not stored: %s", url, link.pk, exc)
        return False
    _replace(link, "image", f"{link.pk}-{_digest(encoded)}.{extension}", encoded)
    return True


def store_favicon(link: Link, url: str) -> bool:
    """Fetch the site's icon and keep it as a 64 px ``link.favicon``; False when there is none to keep."""
    try:
        data = _fetch_image(url, max_bytes=FAVICON_BYTES, accept=ICON_ACCEPT)
        picture = _open_icon(data) if data.startswith(_ICO_MAGIC) else _open_image(data, max_bytes=FAVICON_BYTES)
        encoded, extension = _encode(picture, max_size=(FAVICON_PX, FAVICON_PX), keep_alpha=True)
    except ImageRefused as exc:
        log.info("favicon %s for link %s not stored: %s", url, link.pk, exc)
        return False
    _replace(link, "favicon", f"{link.domain or link.pk}-{_digest(encoded)}.{extension}", encoded)
    return True


def reuse_favicon(link: Link, *, since) -> bool:
    """Give ``link`` the icon another link on the same site fetched since ``since``, sparing a request."""
    other = (
        Link.objects.filter(domain=link.domain, fetched_at__gte=since)
        .exclude(pk=link.pk)
        .exclude(favicon="")
        .order_by("-fetched_at")
        .values_list("favicon", flat=True)
        .first()
    )
    if not other or not link.domain:
        return False
    old_name = link.favicon.name
    link.favicon = other
    link.save(update_fields=["favicon"])
    _delete_unused(Link, "favicon", old_name)
    return True


@dataclass(frozen=True)
class PreparedImage:
    """A saved image fetched, checked and re-encoded, not yet attached to a bookmark."""

    stem: str
    full: bytes
    full_extension: str
    thumbnail: bytes
    thumbnail_extension: str


def prepare_saved_image(image) -> PreparedImage:
    """Fetch (for a URL), check and re-encode an image someone saves; touches neither the database nor storage.

    Raises ``ValidationError`` with the reason when it cannot be fetched or is not an acceptable
    image. Call it before opening a transaction, so no database lock is held while a site answers.
    """
    max_bytes = settings.WATERCOOLER_MAX_PHOTO_MB * 1024 * 1024
    from_url = isinstance(image, str)
    if not from_url and image.size and image.size > max_bytes:
        raise ValidationError(f"Images may be at most {settings.WATERCOOLER_MAX_PHOTO_MB} MB.")
    try:
        if from_url:
            url = image.strip()
            picture = _open_image(_fetch_image(url, max_bytes=max_bytes, accept=IMAGE_ACCEPT), max_bytes=max_bytes)
            stem = _stem(unquote(urlsplit(url).path.rsplit("/", 1)[-1]))
        else:
            picture = _open_upload(image, max_bytes=max_bytes)
            stem = _stem(image.name or "")
        full, full_extension = _encode(picture, max_size=(SAVED_IMAGE_PX, SAVED_IMAGE_PX))
        thumbnail, thumbnail_extension = _encode(picture, max_size=(PREVIEW_WIDTH, PREVIEW_HEIGHT))
    except ImageRefused as exc:
        raise ValidationError(f"The image could not be saved: {exc}" if from_url else str(exc)) from exc
    return PreparedImage(stem, full, full_extension, thumbnail, thumbnail_extension)


def store_saved_image(*, bookmark: Bookmark, image) -> Bookmark:
    """Keep an image someone saved with their link as ``bookmark.image`` and ``bookmark.thumbnail``.

    ``image`` is an uploaded file, the URL of an image, or a ``PreparedImage``; the first two are
    prepared here (see ``prepare_saved_image`` for the errors). Replaced files are removed.
    """
    prepared = image if isinstance(image, PreparedImage) else prepare_saved_image(image)
    name = f"{bookmark.pk}-{prepared.stem}-{_digest(prepared.full)}"
    old_names = bookmark.image.name, bookmark.thumbnail.name
    bookmark.image.save(f"{name}.{prepared.full_extension}", ContentFile(prepared.full), save=False)
    bookmark.thumbnail.save(
        f"{name}-{PREVIEW_WIDTH}.{prepared.thumbnail_extension}", ContentFile(prepared.thumbnail), save=False
    )
    bookmark.save(update_fields=["image", "thumbnail"])
    _delete_unused(Bookmark, "image", old_names[0])
    _delete_unused(Bookmark, "thumbnail", old_names[1])
    return bookmark


# ----------------------------------------------------------------------------------------------- helpers


def _fetch_image(url: str, *, max_bytes: int, accept: str) -> bytes:
    try:
        fetched = fetch(url, max_bytes=max_bytes, accept=accept)
    except OutboundError as exc:
        raise ImageRefused(exc.reason) from exc
    if not fetched.content:
        raise ImageRefused("The address answered with nothing.")
    return fetched.content


def _open_upload(uploaded, *, max_bytes: int) -> Image.Image:
    try:
        inspect_upload(uploaded, max_bytes=max_bytes, families={"image"})
    except UploadRejected as exc:
        raise ImageRefused(exc.message) from exc
    fileobj = getattr(uploaded, "file", uploaded)
    fileobj.seek(0)
    return _decode(fileobj.read())


def _open_image(data: bytes, *, max_bytes: int) -> Image.Image:
    """Check remote bytes as an upload would be checked, then decode them."""
    # No file name: a URL's extension says nothing reliable, so the content alone decides.
    try:
        inspect_upload(ContentFile(data, name="image"), max_bytes=max_bytes, families={"image"})
    except UploadRejected as exc:
        if exc.status == 415:  # the upload wording (what may be uploaded instead) does not fit a fetched file
            raise ImageRefused("That is not a PNG, JPEG, GIF or WebP image.") from exc
        raise ImageRefused(exc.message.replace("“image” ", "The image ")) from exc
    return _decode(data)


def _decode(data: bytes) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            picture = Image.open(io.BytesIO(data), formats=["PNG", "JPEG", "GIF", "WEBP"])
            # A JPEG can be decoded at a fraction of its size, which is all a thumbnail needs.
            picture.draft("RGB", (SAVED_IMAGE_PX, SAVED_IMAGE_PX))
            picture.load()
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRefused("The file is not an image that can be read.") from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageRefused("The image is damaged.") from exc
    return picture


def _open_icon(data: bytes) -> Image.Image:
    """An ICO file (which ``lib.uploads`` does not take), opened at the size nearest the icon we keep."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            icon = Image.open(io.BytesIO(data), formats=["ICO"])
            sizes = sorted(icon.info.get("sizes") or {icon.size}, key=lambda s: s[0] * s[1])
            if any(w * h > MAX_IMAGE_PIXELS for w, h in sizes):
                raise ImageRefused("The icon is implausibly large.")
            large_enough = [s for s in sizes if min(s) >= FAVICON_PX]
            icon.size = large_enough[0] if large_enough else sizes[-1]
            icon.load()
    except ImageRefused:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRefused("The icon is not an image that can be read.") from exc
    except (OSError, SyntaxError, ValueError, EOFError, KeyError) as exc:
        raise ImageRefused("The icon is damaged.") from exc
    return icon


def _has_alpha(picture: Image.Image) -> bool:
    return picture.mode in ("RGBA", "LA", "PA", "La", "RGBa") or (
        picture.mode == "P" and "transparency" in picture.info
    )


def _encode(picture: Image.Image, *, max_size: tuple[int, int], keep_alpha: bool = False) -> tuple[bytes, str]:
    """A new file no larger than ``max_size``, upright, without metadata: PNG when it is see-through, else JPEG."""
    try:
        picture = ImageOps.exif_transpose(picture)
        transparent = _has_alpha(picture)
        picture = picture.convert("RGBA" if transparent else "RGB")
        picture.thumbnail(max_size, Image.Resampling.LANCZOS)
        out = io.BytesIO()
        if transparent and (keep_alpha or _uses_alpha(picture)):
            picture.save(out, "PNG", optimize=True)
            return out.getvalue(), "png"
        if transparent:
            picture = picture.convert("RGB")
        # Saving without exif= or icc_profile= drops camera, location and other metadata.
        picture.save(out, "JPEG", quality=82, optimize=True, progressive=True)
    except (OSError, ValueError) as exc:  # an exotic pixel format Pillow decodes but cannot convert
        raise ImageRefused("The image's colour format could not be converted.") from exc
    return out.getvalue(), "jpg"


def _uses_alpha(picture: Image.Image) -> bool:
    """An alpha channel that is opaque everywhere (common in PNG screenshots) does not need PNG."""
    low, _high = picture.getchannel("A").getextrema()
    return low < 255


def _replace(instance, field_name: str, name: str, data: bytes) -> None:
    """Store ``data`` as the file of ``field_name``, then remove the file it replaces unless another row uses it."""
    old_name = getattr(instance, field_name).name
    getattr(instance, field_name).save(name, ContentFile(data), save=False)
    instance.save(update_fields=[field_name])
    _delete_unused(type(instance), field_name, old_name)


def _delete_unused(model, field_name: str, name: str) -> None:
    # Favicons are shared between links to the same site (reuse_favicon): only the last user removes the file.
    if name and not model.objects.filter(**{field_name: name}).exists():
        model._meta.get_field(field_name).storage.delete(name)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


def _stem(name: str) -> str:
    """A short, safe piece of the original name to keep stored files recognisable."""
    stem = os.path.splitext(clean_filename(name))[0]
    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "-" for ch in stem).strip("-_")
    return safe[:40] or "image"
