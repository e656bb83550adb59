"""Small real files for the browser tests to upload."""

import io
from pathlib import Path

from PIL import Image

# A one-page PDF that viewers open: catalog, pages, one empty page, and a cross-reference table
# whose offsets are computed, not typed, so that it stays valid if the objects change.
_PDF_OBJECTS = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
]


def pdf_bytes() -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(_PDF_OBJECTS, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(_PDF_OBJECTS) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(_PDF_OBJECTS) + 1, xref))
    return out.getvalue()


def write_png(path: Path, *, size=(320, 200), colour=(15, 118, 110)) -> Path:
    """A PNG with a stripe, so a thumbnail of it is not a flat square."""
    image = Image.new("RGB", size, colour)
    for x in range(size[0] // 3):
        for y in range(size[1]):
            image.putpixel((x, y), (250, 200, 40))
    image.save(path, format="PNG")
    return path


def write_pdf(path: Path) -> Path:
    path.write_bytes(pdf_bytes())
    return path


def write_junk(path: Path, size: int = 2048) -> Path:
    """Bytes that are no format at all (with NULs, so they are not text either)."""
    pattern = bytes(range(256))
    path.write_bytes((b"\x00\x13\x37" + pattern * (size // 256 + 1))[:size])
    return path


def image_width(locator) -> int:
    """The decoded width of a page's picture (0 when it is broken), waiting for it while it loads."""
    return locator.evaluate(
        """img => img.complete ? img.naturalWidth : new Promise(done => {
            img.addEventListener("load", () => done(img.naturalWidth));
            img.addEventListener("error", () => done(0));
        })"""
    )
