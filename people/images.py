"""Checking and re-encoding uploaded pictures (profile photos, the site logo) with Pillow.

Uploads are decoded and written out again rather than stored as sent: that drops EXIF (which can
hold the place a photo was taken), any payload hidden after the image data, and odd colour modes.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

THUMB_SIZE = 256
PHOTO_MAX_SIDE = 1024
LOGO_MAX_SIDE = 512
# Enough for any camera photo; refuses decompression bombs long before memory runs out.
MAX_PIXELS = 60_000_000
ALLOWED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP", "BMP", "TIFF", "MPO"}


@dataclass
class ProcessedPhoto:
    photo: ContentFile
    thumb: ContentFile


def _max_bytes() -> int:
    return settings.WATERCOOLER_MAX_PHOTO_MB * 1024 * 1024


def open_image(upload) -> Image.Image:
    """Decode an uploaded file fully, or raise a ValidationError that says what is wrong."""
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    if size > _max_bytes():
        raise ValidationError(f"The picture is larger than {settings.WATERCOOLER_MAX_PHOTO_MB} MB.", code="too_large")
    if size == 0:
        raise ValidationError("The file is empty.", code="empty")
    upload.seek(0)
    data = upload.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            if probe.format not in ALLOWED_FORMATS:
                raise ValidationError("Upload a JPEG, PNG, GIF or WebP picture.", code="format")
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError("The picture has too many pixels.", code="too_large")
            probe.verify()
            # verify() leaves the image unusable, so it is opened again to decode the pixels.
            image = Image.open(io.BytesIO(data))
            image.load()
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError("This file is not a picture we can read. Upload a JPEG, PNG, GIF or WebP.")
    except (OSError, SyntaxError, ValueError, EOFError):
        raise ValidationError("This picture is damaged or incomplete. Try another file.", code="damaged")
    return ImageOps.exif_transpose(image)


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)


def _flatten(image: Image.Image) -> Image.Image:
    """RGB on white, whatever the source mode was."""
    if _has_alpha(image):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        image.save(out, "JPEG", quality=85, optimize=True)
    else:
        image.save(out, "PNG", optimize=True)
    return out.getvalue()


def process_photo(upload) -> ProcessedPhoto:
    """A re-encoded photo (at most 1024px, PNG only if it is transparent) and a 256px square JPEG thumbnail."""
    image = open_image(upload)
    if _has_alpha(image):
        full, fmt, ext = image.convert("RGBA"), "PNG", "png"
    else:
        full, fmt, ext = image.convert("RGB"), "JPEG", "jpg"
    full.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE), Image.Resampling.LANCZOS)
    thumb = ImageOps.fit(_flatten(image), (THUMB_SIZE, THUMB_SIZE), Image.Resampling.LANCZOS)
    return ProcessedPhoto(
        photo=ContentFile(_encode(full, fmt), name=f"photo.{ext}"),
        thumb=ContentFile(_encode(thumb, "JPEG"), name="thumb.jpg"),
    )


def process_logo(upload) -> ContentFile:
    """The logo as a PNG no larger than 512px, keeping transparency."""
    image = open_image(upload).convert("RGBA")
    image.thumbnail((LOGO_MAX_SIDE, LOGO_MAX_SIDE), Image.Resampling.LANCZOS)
    return ContentFile(_encode(image, "PNG"), name="logo.png")
