import io

import pytest
from PIL import Image

from files.tests import samples
from lib.uploads import UploadRejected, clean_filename, inspect_upload

MB = 1024 * 1024


def inspect(name, data, **kwargs):
    return inspect_upload(samples.upload(name, data, content_type="application/pdf"), max_bytes=10 * MB, **kwargs)


def refusal(name, data, **kwargs) -> UploadRejected:
    with pytest.raises(UploadRejected) as caught:
        inspect(name, data, **kwargs)
    return caught.value


OOXML = "application/vnd.openxmlformats-officedocument."
ODF = "application/vnd.oasis.opendocument."


@pytest.mark.parametrize(
    ("name", "data", "content_type", "family"),
    [
        ("report.pdf", samples.PDF, "application/pdf", "document"),
        ("notes.docx", samples.ooxml(samples.WORD_MAIN), OOXML + "wordprocessingml.document", "document"),
        ("notes.odt", samples.odf(), ODF + "text", "document"),
        ("notes.rtf", b"{\\rtf1\\ansi Hello}", "application/rtf", "document"),
        ("notes.txt", "Café notes\n".encode(), "text/plain", "document"),
        ("notes.md", b"# Heading\n\nText", "text/markdown", "document"),
        ("deck.pptx", samples.ooxml(samples.POWERPOINT_MAIN), OOXML + "presentationml.presentation", "slides"),
        ("deck.odp", samples.odf(ODF + "presentation"), ODF + "presentation", "slides"),
        ("sums.xlsx", samples.ooxml(samples.EXCEL_MAIN), OOXML + "spreadsheetml.sheet", "spreadsheet"),
        ("sums.ods", samples.odf(ODF + "spreadsheet"), ODF + "spreadsheet", "spreadsheet"),
        ("sums.csv", b"name,score\nalice,3\n", "text/csv", "spreadsheet"),
        ("photo.png", samples.png(), "image/png", "image"),
        ("photo.jpeg", samples.jpeg(), "image/jpeg", "image"),
        ("photo.gif", samples.gif(), "image/gif", "image"),
        ("photo.webp", samples.webp(), "image/webp", "image"),
        ("talk.wav", samples.wav(), "audio/wav", "audio"),
        ("talk.flac", b"fLaC\x00\x00\x00\x22" + b"\x00" * 64, "audio/flac", "audio"),
        ("talk.ogg", b"OggS\x00\x02" + b"\x00" * 64, "audio/ogg", "audio"),
        ("talk.mp3", b"ID3\x03\x00\x00\x00\x00\x00\x00\xff\xfb\x90\x00" + b"\x00" * 64, "audio/mpeg", "audio"),
        ("talk.m4a", samples.mp4(b"M4A "), "audio/mp4", "audio"),
        ("demo.mp4", samples.mp4(b"isom"), "video/mp4", "video"),
        ("demo.mov", samples.mp4(b"qt  "), "video/quicktime", "video"),
    ],
)
def test_it_accepts_each_allowed_format_by_its_content(name, data, content_type, family):
    result = inspect(name, data)
    assert (result.content_type, result.family) == (content_type, family)
    assert result.size == len(data) and len(result.sha256) == 64


def test_it_measures_images_upright_and_makes_a_clean_small_thumbnail():
    result = inspect("camera.jpg", samples.jpeg(size=(1200, 800), orientation=6, make="SpyCam"))
    assert (result.width, result.height) == (800, 1200)
    thumb = Image.open(io.BytesIO(result.thumbnail))
    assert thumb.format == "JPEG"
    assert max(thumb.size) == 480 and thumb.size[1] > thumb.size[0]
    assert not thumb.getexif()


def test_it_refuses_an_html_page_named_like_a_pdf():
    refused = refusal("invoice.pdf", samples.HTML)
    assert refused.status == 415
    assert "HTML" in refused.message


def test_it_refuses_an_executable_whatever_it_is_called():
    assert refusal("manual.pdf", samples.ELF).status == 415
    assert refusal("setup.exe", samples.PDF).status == 415


def test_it_refuses_random_bytes_named_like_an_image():
    noise = bytes((i * 151 + 89) % 256 for i in range(4096))
    assert refusal("holiday.png", noise).status == 415


def test_it_refuses_a_truncated_png():
    data = samples.noisy_png()
    refused = refusal("holiday.png", data[: len(data) // 2])
    assert refused.status == 400
    assert "damaged" in refused.message


def test_it_refuses_content_that_does_not_match_the_extension():
    refused = refusal("report.pdf", samples.png())
    assert refused.status == 400
    assert "PNG image" in refused.message and ".png" in refused.message


def test_it_tells_office_formats_apart_by_looking_inside_the_zip():
    assert refusal("notes.docx", samples.odf()).status == 400
    assert refusal("sums.xlsx", samples.ooxml(samples.WORD_MAIN)).status == 400
    assert refusal("archive.docx", samples.ooxml("application/xml")).status == 415


def test_it_refuses_a_document_whose_archive_inflates_a_thousandfold():
    refused = refusal("bomb.docx", samples.zip_bomb_docx())
    assert "expands" in refused.message


def test_it_refuses_a_document_with_thousands_of_parts():
    assert "expands" in refusal("crowded.docx", samples.crowded_docx()).message


def test_it_refuses_text_that_is_not_utf8_or_holds_nul_bytes():
    assert refusal("latin.txt", "café".encode("latin-1")).status == 415
    assert refusal("nul.csv", b"a,b\x00\n").status == 415


def test_it_refuses_svg_even_as_text():
    assert refusal("drawing.txt", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>').status == 415


def test_it_refuses_files_over_the_limit_with_413():
    with pytest.raises(UploadRejected) as caught:
        inspect_upload(samples.upload("big.txt", b"x" * (MB + 1)), max_bytes=MB)
    assert caught.value.status == 413
    assert "1.0 MB" in caught.value.message


def test_it_refuses_images_with_too_many_pixels(monkeypatch):
    monkeypatch.setattr("lib.uploads.MAX_IMAGE_PIXELS", 1000)
    assert "pixels" in refusal("wide.png", samples.png(size=(100, 20))).message


def test_it_restricts_families_when_asked():
    assert refusal("notes.pdf", samples.PDF, families={"image"}).status == 415
    assert inspect("face.png", samples.png(), families={"image"}).family == "image"


def test_it_cleans_names_of_paths_and_control_characters():
    assert clean_filename("../../etc/pass\x00wd.txt") == "passwd.txt"
    assert clean_filename("C:\\Users\\me\\plan\u202egpj.exe") == "plangpj.exe"
    assert clean_filename("", default_extension="png") == "file.png"
    assert inspect("scan", samples.png()).name == "scan.png"
