"""Deciding what an uploaded file really is before anything is stored.

The browser's content type and the file name are claims, not facts: the type is sniffed from the
bytes with puremagic, refined by looking inside containers (Office files are zip archives, MP4 and
QuickTime share one box format, WebM is Matroska with its own doctype), and images must open in
Pillow. The name's extension must agree with what the content is. Anything else is refused with a
message a person can act on, and an HTTP status the API can return as it is.

Other apps reuse this for their own uploads (profile photos: ``inspect_upload(f, max_bytes=...,
families={"image"})`` then ``thumbnail_jpeg``).
"""

from __future__ import annotations

import codecs
import hashlib
import io
import re
import struct
import unicodedata
import warnings
import zipfile
import zlib
from dataclasses import dataclass

import puremagic
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

# Decoded pixels are what exhaust memory, not file bytes: a 60 kB PNG can expand to gigabytes.
MAX_IMAGE_PIXELS = 60_000_000
THUMBNAIL_PX = 480

# Office documents are zip archives, so a small file can declare enormous contents. Real documents
# stay far below these; only small metadata entries are ever decompressed, and with a cap.
MAX_ZIP_ENTRIES = 5_000
MAX_ZIP_TOTAL_BYTES = 1024 * 1024 * 1024
MAX_ZIP_RATIO = 200
ZIP_RATIO_FROM_BYTES = 1024 * 1024
MAX_ZIP_META_BYTES = 256 * 1024

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class FileType:
    """One accepted format: its canonical extension, the names it may carry, how to serve it."""

    key: str
    label: str
    content_type: str
    family: str
    extensions: tuple[str, ...]


TYPES: dict[str, FileType] = {
    t.key: t
    for t in [
        FileType("pdf", "PDF document", "application/pdf", "document", ("pdf",)),
        FileType(
            "docx",
            "Word document",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "document",
            ("docx",),
        ),
        FileType("odt", "OpenDocument text", "application/vnd.oasis.opendocument.text", "document", ("odt",)),
        FileType("rtf", "Rich Text document", "application/rtf", "document", ("rtf",)),
        FileType("txt", "plain text", "text/plain", "document", ("txt", "text")),
        FileType("md", "Markdown text", "text/markdown", "document", ("md", "markdown")),
        FileType("csv", "CSV table", "text/csv", "spreadsheet", ("csv",)),
        FileType(
            "pptx",
            "PowerPoint presentation",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "slides",
            ("pptx",),
        ),
        FileType(
            "odp", "OpenDocument presentation", "application/vnd.oasis.opendocument.presentation", "slides", ("odp",)
        ),
        FileType(
            "xlsx",
            "Excel workbook",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "spreadsheet",
            ("xlsx",),
        ),
        FileType(
            "ods",
            "OpenDocument spreadsheet",
            "application/vnd.oasis.opendocument.spreadsheet",
            "spreadsheet",
            ("ods",),
        ),
        FileType("png", "PNG image", "image/png", "image", ("png",)),
        FileType("jpg", "JPEG image", "image/jpeg", "image", ("jpg", "jpeg", "jpe", "jfif")),
        FileType("gif", "GIF image", "image/gif", "image", ("gif",)),
        FileType("webp", "WebP image", "image/webp", "image", ("webp",)),
        FileType("mp3", "MP3 audio", "audio/mpeg", "audio", ("mp3",)),
        FileType("aac", "AAC audio", "audio/aac", "audio", ("aac",)),
        FileType("m4a", "MPEG-4 audio", "audio/mp4", "audio", ("m4a",)),
        FileType("ogg", "Ogg audio", "audio/ogg", "audio", ("ogg", "oga", "opus")),
        FileType("wav", "WAV audio", "audio/wav", "audio", ("wav",)),
        FileType("flac", "FLAC audio", "audio/flac", "audio", ("flac",)),
        FileType("mp4", "MPEG-4 video", "video/mp4", "video", ("mp4", "m4v")),
        FileType("mov", "QuickTime video", "video/quicktime", "video", ("mov", "qt")),
        FileType("webm", "WebM video", "video/webm", "video", ("webm",)),
    ]
}
TEXT_KEYS = ("txt", "md", "csv")
EXTENSION_TYPES = {ext: t for t in TYPES.values() for ext in t.extensions}
FAMILY_LABELS = {
    "document": "documents (PDF, Word, OpenDocument, RTF, text, Markdown, CSV)",
    "slides": "slides (PowerPoint, OpenDocument)",
    "spreadsheet": "spreadsheets (Excel, OpenDocument, CSV)",
    "image": "images (PNG, JPEG, GIF, WebP)",
    "audio": "audio (MP3, M4A/AAC, Ogg, WAV, FLAC)",
    "video": "video (MP4, WebM, QuickTime)",
}

# What puremagic's signature table may call a format → the sniffing step that confirms it.
_PUREMAGIC_STEPS = {
    "pdf": "pdf",
    "png": "image",
    "jpg": "image",
    "jpeg": "image",
    "jfif": "image",
    "jpe": "image",
    "gif": "image",
    "webp": "image",
    "docx": "zip",
    "xlsx": "zip",
    "pptx": "zip",
    "odt": "zip",
    "ods": "zip",
    "odp": "zip",
    "zip": "zip",
    "rtf": "rtf",
    "wav": "wav",
    "flac": "flac",
    "ogg": "ogg",
    "oga": "ogg",
    "opus": "ogg",
    "mp3": "mpeg_audio",
    "mpga": "mpeg_audio",
    "aac": "mpeg_audio",
    "mp4": "iso_media",
    "m4a": "iso_media",
    "m4v": "iso_media",
    "mov": "iso_media",
    "f4a": "iso_media",
    "webm": "webm",
}
_PIL_FORMATS = {"png": "PNG", "jpg": "JPEG", "gif": "GIF", "webp": "WEBP"}
_OOXML_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": "pptx",
}
_ODF_MIMETYPES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
# ISO base media "major brands" (ISO/IEC 14496-12 §4.3): which of ours each one is.
_ISO_BRANDS = {
    b"qt  ": "mov",
    b"M4A ": "m4a",
    b"M4B ": "m4a",
    **dict.fromkeys(
        [b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ", b"M4VH"]
        + [b"M4VP", b"dash", b"mmp4", b"MSNV", b"XAVC", b"f4v "],
        "mp4",
    ),
}
_MARKUP = re.compile(rb"^\s*<(!doctype|html|head|body|svg|\?xml|script|iframe|meta|!--)", re.IGNORECASE)
_CONTENT_TYPE_ATTR = re.compile(rb'ContentType="([^"]{1,200})"')


class UploadRejected(Exception):
    """An upload refused before anything was stored, with the reason and the HTTP status to answer."""

    def __init__(self, message: str, *, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Inspection:
    """What an accepted upload is, as measured from its bytes."""

    name: str
    type: FileType
    size: int
    sha256: str
    width: int | None = None
    height: int | None = None
    thumbnail: bytes | None = None

    @property
    def content_type(self) -> str:
        return self.type.content_type

    @property
    def family(self) -> str:
        return self.type.family

    @property
    def extension(self) -> str:
        return self.type.extensions[0]


def inspect_upload(uploaded, *, max_bytes: int, families: set[str] | None = None) -> Inspection:
    """Check an uploaded file (any Django ``File``) and describe it, or raise ``UploadRejected``.

    Reads the content but writes nothing, so a refusal leaves no trace.
    """
    raw_name = getattr(uploaded, "name", "") or ""
    size = uploaded.size
    if not size:
        raise UploadRejected(f"“{display_name(raw_name)}” is empty.")
    if size > max_bytes:
        raise UploadRejected(
            f"“{display_name(raw_name)}” is {_megabytes(size)}; the limit is {_megabytes(max_bytes)}.", status=413
        )
    extension = extension_of(raw_name)
    claimed = EXTENSION_TYPES.get(extension)
    if extension and claimed is None:
        raise UploadRejected(
            f"Files ending in .{extension} can't be uploaded. Allowed: {allowed_summary(families)}.", status=415
        )
    fileobj = _binary(uploaded)
    actual = sniff(fileobj, extension=extension, subject=f"“{display_name(raw_name)}”")
    if families is not None and actual.family not in families:
        raise UploadRejected(
            f"“{display_name(raw_name)}” is {_a(actual.label)}; only {allowed_summary(families)} are accepted here.",
            status=415,
        )
    if claimed is not None and claimed.key != actual.key and not _compatible(claimed, actual):
        raise UploadRejected(
            f"“{display_name(raw_name)}” is named like {_a(claimed.label)} but its content is {_a(actual.label)}. "
            f"Rename it to end in .{actual.extensions[0]} or choose the right file."
        )
    width = height = None
    thumbnail = None
    if actual.family == "image":
        width, height, thumbnail = _check_image(fileobj, actual, raw_name)
    return Inspection(
        name=clean_filename(raw_name, default_extension=actual.extensions[0]),
        type=actual,
        size=size,
        sha256=_sha256(fileobj),
        width=width,
        height=height,
        thumbnail=thumbnail,
    )


def sniff(fileobj, *, extension: str = "", subject: str = "This file") -> FileType:
    """The accepted type the bytes are, or ``UploadRejected`` (415) naming what they look like instead.

    ``extension`` is used only to tell apart formats that share one encoding (plain text, Markdown
    and CSV are all UTF-8 text; an MP4 holding only sound is an M4A), never to decide the format.
    """
    fileobj.seek(0)
    head = fileobj.read(4096)
    fileobj.seek(0)
    matches = _puremagic_matches(fileobj)
    steps = []
    for match in matches:
        step = _PUREMAGIC_STEPS.get(match.extension.lstrip(".").lower())
        if step and step not in steps:
            steps.append(step)
    # puremagic's table lists only some ISO media brands and MPEG frame headers; their structure is definite.
    frame_sync = len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0
    for step, present in (("iso_media", head[4:8] == b"ftyp"), ("mpeg_audio", head[:3] == b"ID3" or frame_sync)):
        if present and step not in steps:
            steps.append(step)
    for step in steps:
        found = _CONFIRM[step](fileobj, head, extension)
        if found is not None:
            return TYPES[found]
    if not _looks_like_markup(head, matches):
        text = _text_type(fileobj, extension)
        if text is not None:
            return TYPES[text]
    named = [m.name.strip() for m in matches if m.confidence >= 0.3 and m.name.strip()]
    if named:
        message = f"{subject} looks like {_a(named[0])}, which can't be uploaded."
    else:
        message = f"{subject} is not in a format we recognise."
    raise UploadRejected(f"{message} Allowed: {allowed_summary()}.", status=415)


def thumbnail_jpeg(image: Image.Image, *, max_px: int = THUMBNAIL_PX) -> bytes:
    """A JPEG no larger than ``max_px`` on its longest side, upright, with no metadata kept."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "P", "PA"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        image = background
    elif image.mode != "RGB":
        image = image.convert("RGB")
    image.thumbnail((max_px, max_px), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # Saving without exif= or icc_profile= drops camera, location and other metadata.
    image.save(out, "JPEG", quality=82, optimize=True)
    return out.getvalue()


def extension_of(name: str) -> str:
    base = _basename(name)
    if "." not in base.strip("."):
        return ""
    ext = base.rsplit(".", 1)[1].strip().lower()
    return ext if ext.isascii() and ext.isalnum() and len(ext) <= 10 else ""


def clean_filename(name: str, *, default_extension: str = "") -> str:
    """A name safe to show and to offer in Content-Disposition: no path, control characters or reserved marks."""
    base = unicodedata.normalize("NFC", _basename(name))
    # Control and format characters (NUL, bidi overrides that disguise extensions) go; odd spaces become spaces.
    base = "".join(
        " " if unicodedata.category(ch).startswith("Z") else ch
        for ch in base
        if not unicodedata.category(ch).startswith("C")
    )
    base = re.sub(r'[<>:"/\\|?*]', "_", base)
    base = " ".join(base.split()).strip(" .")
    if not base:
        base = "file"
    if default_extension and not extension_of(base):
        base = f"{base}.{default_extension}"
    if len(base) > 200:
        stem, dot, ext = base.rpartition(".")
        base = f"{stem[: 199 - len(ext)]}.{ext}" if dot and len(ext) <= 10 else base[:200]
    return base


def display_name(name: str) -> str:
    return clean_filename(name)


def allowed_summary(families: set[str] | None = None) -> str:
    return "; ".join(label for family, label in FAMILY_LABELS.items() if families is None or family in families)


class SizeCapUploadHandler(FileUploadHandler):
    """Stops receiving a file as soon as it passes the limit, so an oversized upload never fills the disk.

    The skipped names are kept in ``too_large`` for the view to report. Install it before the request
    body is read: ``request.upload_handlers.insert(0, SizeCapUploadHandler(request, max_bytes=...))``.
    """

    def __init__(self, request=None, *, max_bytes: int):
        super().__init__(request)
        self.max_bytes = max_bytes
        self.too_large: list[str] = []
        self._received = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self._received = 0

    def receive_data_chunk(self, raw_data, start):
        self._received += len(raw_data)
        if self._received > self.max_bytes:
            self.too_large.append(self.file_name or "file")
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size):
        return None


def _check_image(fileobj, kind: FileType, raw_name: str) -> tuple[int, int, bytes]:
    """Width and height as displayed (EXIF orientation applied) and a thumbnail, or ``UploadRejected``."""
    damaged = UploadRejected(f"“{display_name(raw_name)}” could not be read as {_a(kind.label)}: it may be damaged.")
    pil_format = [_PIL_FORMATS[kind.key]]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            fileobj.seek(0)
            with Image.open(fileobj, formats=pil_format) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise UploadRejected(
                        f"“{display_name(raw_name)}” is {width}×{height} pixels; images may have at most "
                        f"{MAX_IMAGE_PIXELS // 1_000_000} million pixels."
                    )
                image.verify()
            # verify() leaves the image unusable, so decode it afresh: that catches truncated data too.
            fileobj.seek(0)
            with Image.open(fileobj, formats=pil_format) as image:
                if image.getexif().get(ExifTags.Base.Orientation, 1) in (5, 6, 7, 8):
                    width, height = height, width
                # JPEG can decode at a fraction of full size, which is all a thumbnail needs.
                image.draft("RGB", (THUMBNAIL_PX * 2, THUMBNAIL_PX * 2))
                image.load()
                thumbnail = thumbnail_jpeg(image)
    except UploadRejected:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise damaged from exc
    except (OSError, SyntaxError, ValueError, EOFError, struct.error, zlib.error) as exc:
        raise damaged from exc
    finally:
        fileobj.seek(0)
    return width, height, thumbnail


def _puremagic_matches(fileobj):
    # No file name is given to puremagic on purpose: with one, it ranks by the extension and
    # falls back on the extension alone, which is exactly the claim being checked.
    try:
        matches = puremagic.magic_stream(fileobj)
    except (puremagic.PureError, ValueError):
        matches = []
    finally:
        fileobj.seek(0)
    return matches


def _confirm_pdf(fileobj, head, extension):
    return "pdf" if head.startswith(b"%PDF-") else None


def _confirm_image(fileobj, head, extension):
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def _confirm_rtf(fileobj, head, extension):
    return "rtf" if head.startswith(b"{\\rtf") else None


def _confirm_wav(fileobj, head, extension):
    return "wav" if head[:4] == b"RIFF" and head[8:12] == b"WAVE" else None


def _confirm_flac(fileobj, head, extension):
    return "flac" if head[:4] == b"fLaC" else None


def _confirm_ogg(fileobj, head, extension):
    return "ogg" if head[:4] == b"OggS" else None


def _confirm_mpeg_audio(fileobj, head, extension):
    if head[:3] == b"ID3":
        # ID3v2 header: version 2-4, then four "syncsafe" size bytes whose top bits are clear.
        valid = len(head) >= 10 and head[3] in (2, 3, 4) and all(b < 0x80 for b in head[6:10])
        return "mp3" if valid else None
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return None
    version, layer = (head[1] >> 3) & 0b11, (head[1] >> 1) & 0b11
    if version == 0b01:
        return None
    if layer == 0b00:
        # ADTS (ISO/IEC 13818-7): the same sync word with layer 0 and a valid sampling index.
        return "aac" if (head[2] >> 2) & 0b1111 < 13 else None
    bitrate, sample_rate = head[2] >> 4, (head[2] >> 2) & 0b11
    return "mp3" if bitrate not in (0, 15) and sample_rate != 3 else None


def _confirm_iso_media(fileobj, head, extension):
    if head[4:8] != b"ftyp":
        return None
    found = _ISO_BRANDS.get(head[8:12])
    if found == "mp4" and extension == "m4a":
        return "m4a"
    return found


def _confirm_webm(fileobj, head, extension):
    # EBML header with DocType "webm" (element 0x4282); plain Matroska (.mkv) is not accepted.
    if not head.startswith(b"\x1a\x45\xdf\xa3"):
        return None
    at = head.find(b"\x42\x82", 4, 64)
    return "webm" if at != -1 and head[at + 3 : at + 7] == b"webm" else None


def _confirm_zip(fileobj, head, extension):
    if not head.startswith(b"PK\x03\x04"):
        return None
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            entries = archive.infolist()
            _refuse_zip_bombs(entries)
            names = {entry.filename: entry for entry in entries}
            if "mimetype" in names:
                mimetype = _read_entry(archive, names["mimetype"]).strip().decode("ascii", "replace")
                return _ODF_MIMETYPES.get(mimetype)
            if "[Content_Types].xml" in names:
                types = _CONTENT_TYPE_ATTR.findall(_read_entry(archive, names["[Content_Types].xml"]))
                for content_type in types:
                    found = _OOXML_MAIN.get(content_type.decode("ascii", "replace").lower())
                    if found:
                        return found
            return None
    except UploadRejected:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, RuntimeError, ValueError, EOFError) as exc:
        raise UploadRejected("This file looks like an Office document but its archive is damaged.") from exc
    finally:
        fileobj.seek(0)


def _refuse_zip_bombs(entries) -> None:
    refused = UploadRejected("This document's archive expands to far more data than a real document would.")
    if len(entries) > MAX_ZIP_ENTRIES:
        raise refused
    if sum(entry.file_size for entry in entries) > MAX_ZIP_TOTAL_BYTES:
        raise refused
    for entry in entries:
        if entry.file_size > ZIP_RATIO_FROM_BYTES and entry.file_size > MAX_ZIP_RATIO * max(entry.compress_size, 1):
            raise refused


def _read_entry(archive, entry) -> bytes:
    with archive.open(entry) as member:
        data = member.read(MAX_ZIP_META_BYTES + 1)
    if len(data) > MAX_ZIP_META_BYTES:
        raise UploadRejected("This document's archive has an implausibly large manifest.")
    return data


_CONFIRM = {
    "pdf": _confirm_pdf,
    "image": _confirm_image,
    "zip": _confirm_zip,
    "rtf": _confirm_rtf,
    "wav": _confirm_wav,
    "flac": _confirm_flac,
    "ogg": _confirm_ogg,
    "mpeg_audio": _confirm_mpeg_audio,
    "iso_media": _confirm_iso_media,
    "webm": _confirm_webm,
}


def _looks_like_markup(head: bytes, matches) -> bool:
    # Web pages, SVG and XML are refused outright even though they are valid text: a browser that
    # ever rendered one from this origin would run its scripts.
    if _MARKUP.match(head.removeprefix(codecs.BOM_UTF8)):
        return True
    markup_types = ("text/html", "image/svg", "application/xhtml", "text/xml", "application/xml")
    return any(m.mime_type.startswith(markup_types) for m in matches if m.confidence >= 0.5)


def _text_type(fileobj, extension: str) -> str | None:
    """txt, md or csv when the whole file is UTF-8 without NUL bytes, else None."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    fileobj.seek(0)
    try:
        while chunk := fileobj.read(CHUNK):
            if b"\x00" in chunk:
                return None
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return None
    finally:
        fileobj.seek(0)
    claimed = EXTENSION_TYPES.get(extension)
    return claimed.key if claimed is not None and claimed.key in TEXT_KEYS else "txt"


def _compatible(claimed: FileType, actual: FileType) -> bool:
    """An MPEG-4 file holding only sound is still a fine .mp4."""
    return claimed.key == "mp4" and actual.key == "m4a"


def _sha256(fileobj) -> str:
    digest = hashlib.sha256()
    fileobj.seek(0)
    while chunk := fileobj.read(CHUNK):
        digest.update(chunk)
    fileobj.seek(0)
    return digest.hexdigest()


def _binary(uploaded):
    """The underlying seekable binary file of a Django ``File``, rewound."""
    fileobj = getattr(uploaded, "file", uploaded)
    if hasattr(uploaded, "open") and getattr(fileobj, "closed", False):
        uploaded.open("rb")
        fileobj = uploaded.file
    fileobj.seek(0)
    return fileobj


def _basename(name: str) -> str:
    return re.split(r"[\\/]", name or "")[-1]


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size < 10 * 1024 * 1024 else f"{size // (1024 * 1024)} MB"


def _a(label: str) -> str:
    vowel_sound = label[:1].lower() in "aeiou" or label.startswith(("HTML", "MP3", "MPEG", "MS ", "SVG", "XML"))
    return f"an {label}" if vowel_sound else f"a {label}"


def type_label(content_type: str) -> str:
    """'application/pdf' → 'PDF document', for people reading a file's details."""
    for kind in TYPES.values():
        if kind.content_type == content_type:
            return kind.label
    return content_type


def accept_attribute() -> str:
    """The file input's ``accept`` list: a hint for the picker, never a check."""
    return ",".join(f".{ext}" for ext in EXTENSION_TYPES)
