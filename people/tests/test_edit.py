import io

import pytest
from django.urls import reverse
from PIL import Image

from people.models import PersonSkill, Site
from people.tests.helpers import give, picture

pytestmark = pytest.mark.django_db


def profile_data(**overrides):
    data = {
        "display_name": "Alice L.",
        "first_name": "Alice",
        "last_name": "Liddell",
        "job_title": "Analyst",
        "department": "Finance",
        "site": "",
        "location": "Lisbon",
        "time_zone": "Europe/Lisbon",
        "languages": "en, PT",
        "bio": "Numbers.",
        "interests": "chess",
    }
    return data | overrides


def test_it_saves_every_profile_field(personas, client_for):
    site = Site.objects.create(name="Lisbon office")
    response = client_for(personas.alice).post(reverse("people:edit"), profile_data(site=site.pk))
    assert response.status_code == 302
    alice = personas.alice
    alice.refresh_from_db()
    assert (alice.display_name, alice.job_title, alice.department) == ("Alice L.", "Analyst", "Finance")
    assert (alice.site, alice.location, alice.time_zone) == (site, "Lisbon", "Europe/Lisbon")
    assert alice.languages == ["en", "pt"]
    assert (alice.bio, alice.interests, alice.last_name) == ("Numbers.", "chess", "Liddell")


def test_it_refuses_language_codes_that_are_not_iso_639_1(personas, client_for):
    response = client_for(personas.alice).post(reverse("people:edit"), profile_data(languages="en, english, xx"))
    assert response.status_code == 200
    assert "Not ISO 639-1 language codes: english, xx" in response.content.decode()
    personas.alice.refresh_from_db()
    assert personas.alice.job_title == ""


def test_it_refuses_an_unknown_time_zone(personas, client_for):
    response = client_for(personas.alice).post(reverse("people:edit"), profile_data(time_zone="Mars/Olympus"))
    assert "Select a valid choice" in response.content.decode()
    personas.alice.refresh_from_db()
    assert personas.alice.time_zone == "UTC"


def test_it_stores_a_photo_re_encoded_without_exif_and_a_square_thumbnail(personas, client_for):
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° to display
    upload = picture(size=(800, 600), exif=exif.tobytes())
    client_for(personas.alice).post(reverse("people:edit"), profile_data(photo=upload))
    personas.alice.refresh_from_db()
    photo = Image.open(personas.alice.photo.open("rb"))
    thumb = Image.open(personas.alice.photo_thumb.open("rb"))
    assert photo.format == "JPEG" and photo.size == (600, 800)
    assert not photo.getexif() and not thumb.getexif()
    assert thumb.format == "JPEG" and thumb.size == (256, 256)


def test_it_keeps_transparent_photos_as_png(personas):
    from people import services

    services.set_photo(person=personas.alice, upload=picture("me.png", fmt="PNG", mode="RGBA"))
    assert personas.alice.photo.name.endswith(".png")
    assert Image.open(personas.alice.photo.open("rb")).mode == "RGBA"
    assert Image.open(personas.alice.photo_thumb.open("rb")).mode == "RGB"


def test_it_rejects_a_file_that_is_not_a_picture_with_a_clear_error(personas, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("me.jpg", b"%PDF-1.4 not a picture", content_type="image/jpeg")
    response = client_for(personas.alice).post(reverse("people:edit"), profile_data(photo=fake))
    assert response.status_code == 200
    assert "This file is not a picture we can read" in response.content.decode()
    personas.alice.refresh_from_db()
    assert not personas.alice.photo and personas.alice.job_title == ""


def test_it_rejects_photos_over_the_size_limit(personas, client_for, settings):
    settings.WATERCOOLER_MAX_PHOTO_MB = 0
    response = client_for(personas.alice).post(reverse("people:edit"), profile_data(photo=picture()))
    assert "The picture is larger than 0 MB." in response.content.decode()


def test_it_serves_the_thumbnail_to_people_who_may_see_the_person(personas, client_for):
    from people import services

    services.set_photo(person=personas.alice, upload=picture())
    response = client_for(personas.mo).get(reverse("people:photo", args=["alice"]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).size == (256, 256)
    assert client_for(personas.gus).get(reverse("people:photo", args=["olly"])).status_code == 404


def test_it_removes_the_photo_and_its_files(personas, client_for, django_capture_on_commit_callbacks):
    from people import services

    services.set_photo(person=personas.alice, upload=picture())
    storage, name = personas.alice.photo.storage, personas.alice.photo.name
    with django_capture_on_commit_callbacks(execute=True):
        client_for(personas.alice).post(reverse("people:edit"), profile_data(remove_photo="on"))
    personas.alice.refresh_from_db()
    assert not personas.alice.photo and not personas.alice.photo_thumb
    assert not storage.exists(name)


def test_it_adds_a_skill_typed_by_its_other_name_without_javascript(personas, client_for, tree):
    data = {"skill": "python 3", "direction": "teaches", "level": "4"}
    response = client_for(personas.alice).post(reverse("people:skill-add"), data)
    assert response.status_code == 302 and response["Location"].endswith("/people/me/edit/#skills")
    row = personas.alice.skills.get()
    assert (row.skill, row.direction, row.level) == (tree.python, "teaches", 4)


def test_it_changes_the_level_when_the_skill_is_added_again(personas, client_for, tree):
    give(personas.alice, tree.django, PersonSkill.Direction.HAS, PersonSkill.Level.BEGINNER)
    client_for(personas.alice).post(reverse("people:skill-add"), {"skill": "Django", "direction": "has", "level": "3"})
    assert list(personas.alice.skills.values_list("level", flat=True)) == [3]


def test_it_explains_an_unknown_skill_and_suggests_near_ones(personas, client_for, tree):
    data = {"skill": "Pyth", "direction": "has", "level": "2"}
    response = client_for(personas.alice).post(reverse("people:skill-add"), data, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert "There is no skill called “Pyth”. Did you mean: Python?" in body
    assert not personas.alice.skills.exists()


def test_it_returns_the_skills_fragment_to_htmx(personas, client_for, tree):
    data = {"skill": "Negotiation", "direction": "wants", "level": "1"}
    response = client_for(personas.alice).post(reverse("people:skill-add"), data, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<section class="card" id="skills"')
    assert "Wants to learn" in body and "Negotiation" in body


def test_it_removes_only_your_own_skills(personas, client_for, tree):
    mine = give(personas.alice, tree.python)
    theirs = give(personas.mo, tree.python)
    alice = client_for(personas.alice)
    assert alice.post(reverse("people:skill-remove", args=[theirs.pk])).status_code == 404
    assert alice.post(reverse("people:skill-remove", args=[mine.pk])).status_code == 302
    assert not personas.alice.skills.exists() and personas.mo.skills.exists()


def test_it_suggests_skills_by_name_and_other_names(personas, client_for, tree):
    body = client_for(personas.alice).get(reverse("people:skill-autocomplete"), {"q": "py"}).content.decode()
    assert '<option value="Python">Programming › Python</option>' in body
    assert "Django" not in body
    assert client_for(personas.alice).get(reverse("people:skill-autocomplete"), {"q": ""}).content.strip() == b""


def test_it_reindexes_the_person_when_the_profile_changes(personas, django_capture_on_commit_callbacks):
    from people import services
    from search.models import SearchDocument

    with django_capture_on_commit_callbacks(execute=True):
        services.update_profile(person=personas.alice, job_title="Quantum gardener")
    assert "Quantum gardener" in SearchDocument.objects.get(person=personas.alice).body


def test_it_prefills_the_skill_named_by_a_skill_page_link(personas, client_for, tree):
    response = client_for(personas.alice).get(reverse("people:edit"), {"skill": "Django"})
    assert 'name="skill" id="id_skill"' in response.content.decode()
    assert 'value="Django"' in response.content.decode()
