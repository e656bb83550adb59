import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from spaces import services
from spaces.models import Space

pytestmark = pytest.mark.django_db


def picture(size=(2000, 800), fmt="PNG", mode="RGB", name="cover.png"):
    buffer = io.BytesIO()
    Image.new(mode, size, "teal").save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def stored(space):
    space.refresh_from_db()
    with space.cover.open("rb") as f:
        image = Image.open(f)
        return image.format, image.size


def test_it_re_encodes_covers_as_jpeg_at_most_1600_pixels_wide(personas):
    space = services.create_space(creator=personas.alice, name="Wide", cover=picture((3200, 1000)))
    assert stored(space) == ("JPEG", (1600, 500))


def test_it_keeps_small_covers_at_their_size_and_flattens_transparency(personas):
    space = services.create_space(creator=personas.alice, name="Small", cover=picture((400, 200), mode="RGBA"))
    assert stored(space) == ("JPEG", (400, 200))


def test_it_refuses_a_file_that_is_not_a_picture(personas):
    fake = SimpleUploadedFile("cover.png", b"<svg onload=alert(1)>", content_type="image/png")
    with pytest.raises(ValidationError) as caught:
        services.create_space(creator=personas.alice, name="Fake", cover=fake)
    assert "cover" in caught.value.message_dict
    assert not Space.objects.filter(name="Fake").exists()


def test_it_shows_a_form_error_for_a_bad_cover(personas, client_for):
    fake = SimpleUploadedFile("cover.jpg", b"not an image at all", content_type="image/jpeg")
    response = client_for(personas.alice).post(
        reverse("spaces:create"), {"name": "Fake", "kind": "community", "visibility": "open", "cover": fake}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["cover"]


def test_it_serves_the_cover_only_to_people_who_may_see_the_space(personas, client_for):
    services.update_space(
        editor=personas.mo,
        space=personas.team,
        name="Team",
        kind="team",
        description="",
        visibility="invite",
        cover=picture(),
    )
    path = reverse("spaces:cover", args=["team"])
    response = client_for(personas.gus).get(path)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert client_for(personas.olly).get(path).status_code == 404


def test_it_answers_404_when_a_space_has_no_cover(personas, client_for):
    assert client_for(personas.alice).get(reverse("spaces:cover", args=["team"])).status_code == 404


def test_it_removes_a_cover_from_the_edit_form(personas, client_for, django_capture_on_commit_callbacks):
    space = services.create_space(creator=personas.alice, name="Covered", cover=picture())
    old_name = space.cover.name
    data = {"name": "Covered", "slug": space.slug, "kind": "community", "visibility": "open", "remove_cover": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(personas.alice).post(reverse("spaces:edit", args=[space.slug]), data)
    assert response.status_code == 302
    space.refresh_from_db()
    assert not space.cover
    assert not space.cover.storage.exists(old_name)
