"""Helpers for the people tests: skills on profiles, pictures made on the fly, the real skills files."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from people.models import PersonSkill
from tests.shared_data import SHARED_DATA

SKILLS_DIR = str(SHARED_DATA / "skills")


def give(person, skill, direction=PersonSkill.Direction.HAS, level=PersonSkill.Level.PRACTITIONER):
    return PersonSkill.objects.create(person=person, skill=skill, direction=direction, level=level)


def picture(name="me.jpg", *, size=(800, 600), fmt="JPEG", mode="RGB", exif=None) -> SimpleUploadedFile:
    image = Image.new(mode, size, (200, 30, 30, 128) if mode == "RGBA" else (200, 30, 30))
    buf = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(buf, fmt, **kwargs)
    return SimpleUploadedFile(name, buf.getvalue(), content_type=f"image/{fmt.lower()}")


def skills_file(name: str) -> bytes:
    with open(f"{SKILLS_DIR}/{name}", "rb") as fh:
        return fh.read()
