import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from core.models import SiteConfig
from people.tests.helpers import picture

pytestmark = pytest.mark.django_db


def settings_data(**overrides):
    data = {
        "name": "Learnery",
        "accent_colour": "#AA3300",
        "signup_mode": "domains",
        "allowed_domains": "example.com\n@Example.org",
        "public_web": "on",
    }
    return data | overrides


@pytest.mark.parametrize("who", ["alice", "mo", "lee", "gus", "olly"])
def test_it_answers_404_to_everyone_but_admins(personas, client_for, who):
    client = client_for(getattr(personas, who))
    assert client.get(reverse("settings:site")).status_code == 404
    assert client.post(reverse("settings:site"), settings_data()).status_code == 404
    assert SiteConfig.load().name == "Watercooler"


def test_it_saves_the_settings_and_the_pages_show_them_at_once(personas, client_for):
    client = client_for(personas.ada)
    SiteConfig.load()  # cached before the change
    assert client.post(reverse("settings:site"), settings_data()).status_code == 302
    config = SiteConfig.load()
    assert (config.name, config.accent_colour, config.signup_mode) == ("Learnery", "#aa3300", "domains")
    assert config.domain_list == ["example.com", "example.org"] and config.public_web
    page = client.get(reverse("settings:site")).content.decode()
    assert "<title>Site settings · Learnery</title>" in page and "--accent: #aa3300" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"accent_colour": "red"}, "Enter a colour as # followed by six hex digits"),
        ({"allowed_domains": "not a domain!"}, "is not an e-mail domain such as example.com"),
        ({"allowed_domains": ""}, "Add at least one allowed domain"),
        ({"signup_mode": "everyone"}, "Select a valid choice"),
        ({"name": "   "}, "This field is required"),
    ],
)
def test_it_explains_bad_settings(personas, client_for, overrides, message):
    response = client_for(personas.ada).post(reverse("settings:site"), settings_data(**overrides))
    assert response.status_code == 200 and message in response.content.decode()
    assert SiteConfig.load().name == "Watercooler"


def test_it_stores_the_logo_as_a_png_and_serves_it(personas, client_for):
    client = client_for(personas.ada)
    client.post(reverse("settings:site"), settings_data(logo=picture("logo.jpg", size=(2000, 500))))
    logo = Image.open(SiteConfig.load().logo.open("rb"))
    assert logo.format == "PNG" and logo.size == (512, 128)
    assert client.get(reverse("site-logo")).status_code == 200


def test_it_refuses_a_logo_that_is_not_a_picture(personas, client_for):
    svg = SimpleUploadedFile("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", content_type="image/svg+xml")
    response = client_for(personas.ada).post(reverse("settings:site"), settings_data(logo=svg))
    assert "This file is not a picture we can read" in response.content.decode()
    assert not SiteConfig.load().logo and SiteConfig.load().name == "Watercooler"


def test_it_removes_the_logo(personas, client_for):
    client = client_for(personas.ada)
    client.post(reverse("settings:site"), settings_data(logo=picture("logo.png", fmt="PNG")))
    client.post(reverse("settings:site"), settings_data(remove_logo="on"))
    assert not SiteConfig.load().logo
