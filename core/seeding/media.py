"""Small real files for the demo, drawn or synthesised on the spot so the repository ships no binaries."""

from __future__ import annotations

import io
import math
import struct
import unicodedata
import wave

from PIL import Image, ImageDraw, ImageFont

PALETTES = [
    ("#0f766e", "#14b8a6"),
    ("#1d4ed8", "#60a5fa"),
    ("#7c3aed", "#c084fc"),
    ("#b45309", "#fbbf24"),
    ("#be123c", "#fb7185"),
    ("#15803d", "#86efac"),
    ("#334155", "#94a3b8"),
    ("#0369a1", "#67e8f9"),
]


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def _font(size: int):
    return ImageFont.load_default(size=size)


def _plain(text: str) -> str:
    # Pillow's built-in font has no accented glyphs; "São Paulo" is drawn as "Sao Paulo".
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _gradient(width: int, height: int, start: str, end: str) -> Image.Image:
    # A 1-pixel-high strip resized is far faster than painting every pixel in Python.
    a, b = _rgb(start), _rgb(end)
    strip = Image.new("RGB", (256, 1))
    strip.putdata([tuple(round(a[c] + (b[c] - a[c]) * x / 255) for c in range(3)) for x in range(256)])
    return strip.resize((width, height), Image.Resampling.BILINEAR)


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def cover(title: str, subtitle: str, palette: int) -> bytes:
    """A space's banner: a diagonal gradient with soft circles and the space's name."""
    start, end = PALETTES[palette % len(PALETTES)]
    image = _gradient(960, 320, start, end)
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for i in range(5):
        r = 60 + 40 * i
        cx, cy = 760 + 35 * i, 40 + 45 * (i % 3)
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=(255, 255, 255, 60), width=6)
    image = Image.alpha_composite(image.convert("RGBA"), overlay)
    draw = ImageDraw.Draw(image)
    draw.text((48, 180), _plain(title), font=_font(52), fill="white")
    draw.text((50, 250), _plain(subtitle), font=_font(26), fill=(255, 255, 255, 220))
    return _jpeg(image.convert("RGB"))


def avatar(initials: str, palette: int) -> bytes:
    """A portrait placeholder: head and shoulders on a coloured ground, initials on the shirt."""
    start, end = PALETTES[palette % len(PALETTES)]
    image = _gradient(256, 256, end, start)
    draw = ImageDraw.Draw(image)
    skin = [(241, 194, 125), (224, 172, 105), (198, 134, 66), (141, 85, 36), (255, 219, 172)][palette % 5]
    draw.ellipse((78, 40, 178, 150), fill=skin)
    draw.ellipse((38, 150, 218, 330), fill=_rgb(start))
    draw.text((128, 215), _plain(initials), font=_font(40), fill="white", anchor="mm")
    return _jpeg(image)


def bar_chart(title: str, labels: list[str], values: list[float], *, palette: int = 0) -> bytes:
    width, height, left, bottom = 800, 480, 70, 410
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.text((left, 20), _plain(title), font=_font(24), fill="#111827")
    top = max(values) or 1
    slot = (width - left - 30) / len(values)
    colour = PALETTES[palette % len(PALETTES)][0]
    for tick in range(5):
        y = bottom - (bottom - 80) * tick / 4
        draw.line((left, y, width - 20, y), fill="#e5e7eb")
        draw.text((10, y - 8), f"{top * tick / 4:.0f}", font=_font(14), fill="#6b7280")
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        x0 = left + i * slot + slot * 0.15
        y0 = bottom - (bottom - 80) * value / top
        draw.rectangle((x0, y0, x0 + slot * 0.7, bottom), fill=colour)
        draw.text((x0 + slot * 0.35, bottom + 18), _plain(label), font=_font(14), fill="#374151", anchor="mm")
    return _png(image)


def line_chart(title: str, series: dict[str, list[float]]) -> bytes:
    width, height, left, bottom = 800, 480, 60, 420
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.text((left, 20), _plain(title), font=_font(24), fill="#111827")
    top = max(max(v) for v in series.values()) or 1
    for tick in range(5):
        y = bottom - (bottom - 90) * tick / 4
        draw.line((left, y, width - 30, y), fill="#e5e7eb")
        draw.text((8, y - 8), f"{top * tick / 4:.0f}", font=_font(14), fill="#6b7280")
    for n, (name, values) in enumerate(series.items()):
        colour = PALETTES[n % len(PALETTES)][0]
        step = (width - left - 40) / max(1, len(values) - 1)
        points = [(left + i * step, bottom - (bottom - 90) * v / top) for i, v in enumerate(values)]
        draw.line(points, fill=colour, width=4, joint="curve")
        draw.rectangle((width - 200, 60 + 24 * n, width - 186, 74 + 24 * n), fill=colour)
        draw.text((width - 178, 58 + 24 * n), _plain(name), font=_font(16), fill="#374151")
    return _png(image)


def diagram(title: str, boxes: list[str], edges: list[tuple[int, int]]) -> bytes:
    """Boxes on a circle joined by arrows: an architecture sketch or a process map."""
    width, height = 900, 600
    image = Image.new("RGB", (width, height), "#f8fafc")
    draw = ImageDraw.Draw(image)
    draw.text((30, 20), _plain(title), font=_font(26), fill="#0f172a")
    cx, cy, r = width / 2, height / 2 + 30, 200
    centres = [
        (cx + r * 1.6 * math.cos(2 * math.pi * i / len(boxes)), cy + r * math.sin(2 * math.pi * i / len(boxes)))
        for i in range(len(boxes))
    ]
    for a, b in edges:
        (x0, y0), (x1, y1) = centres[a], centres[b]
        draw.line((x0, y0, x1, y1), fill="#64748b", width=3)
        angle = math.atan2(y1 - y0, x1 - x0)
        # Stop the arrow at the target box's edge rather than under it.
        reach = min(85 / max(abs(math.cos(angle)), 1e-6), 32 / max(abs(math.sin(angle)), 1e-6)) + 4
        tip = (x1 - reach * math.cos(angle), y1 - reach * math.sin(angle))
        wing = [(tip[0] - 14 * math.cos(angle + s), tip[1] - 14 * math.sin(angle + s)) for s in (0.5, -0.5)]
        draw.polygon([tip, *wing], fill="#64748b")
    for (x, y), label in zip(centres, boxes, strict=True):
        draw.rounded_rectangle((x - 85, y - 32, x + 85, y + 32), radius=12, fill="white", outline="#0f766e", width=3)
        draw.text((x, y), _plain(label), font=_font(17), fill="#0f172a", anchor="mm")
    return _png(image)


def podcast_wav(seconds: float = 6.0, *, rate: int = 8000, seed: int = 0) -> bytes:
    """A short jingle: a few soft notes with a fade, as a mono 16-bit WAV."""
    notes = [261.63, 329.63, 392.0, 523.25, 392.0, 440.0, 349.23, 293.66]
    frames = bytearray()
    total = int(seconds * rate)
    per_note = total // len(notes)
    for i in range(total):
        freq = notes[(i // per_note + seed) % len(notes)]
        t = (i % per_note) / rate
        envelope = min(1.0, t * 20) * math.exp(-2.5 * t)
        sample = (
            0.35 * envelope * (math.sin(2 * math.pi * freq * i / rate) + 0.3 * math.sin(4 * math.pi * freq * i / rate))
        )
        frames += struct.pack("<h", int(max(-1.0, min(1.0, sample)) * 32767))
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(bytes(frames))
    return out.getvalue()


def _pdf_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF 1.4 with real text (Helvetica), so viewers and text extractors can read it."""
    content_lines = ["BT", "/F1 20 Tf", "72 760 Td", f"({_pdf_escape(title)}) Tj", "/F1 11 Tf", "0 -34 Td"]
    for line in lines:
        content_lines += [f"({_pdf_escape(line)}) Tj", "0 -16 Td"]
    content_lines.append("ET")
    stream = "\n".join(content_lines).encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Title (%s) /Producer (Watercooler demo) >>" % _pdf_escape(title).encode("latin-1", "replace"),
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
