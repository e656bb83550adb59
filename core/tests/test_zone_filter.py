"""How a time zone reads on a page: its place, and on mentoring and settings pages its offset today."""

import pytest

from core.templatetags.core_cards import zone, zone_place


@pytest.mark.parametrize(
    ("name", "place"),
    [
        ("America/New_York", "New York"),
        ("America/Argentina/Buenos_Aires", "Buenos Aires"),
        ("Asia/Kolkata", "Kolkata"),
        ("UTC", "UTC"),
    ],
)
def test_the_place_is_the_last_part_in_words(name, place):
    assert zone_place(name) == place


def test_the_offset_is_today_s_with_half_and_quarter_hours():
    assert zone("Asia/Kolkata") == "Kolkata (UTC+05:30)"
    assert zone("Asia/Kathmandu") == "Kathmandu (UTC+05:45)"
    assert zone("UTC") == "UTC"


def test_a_zone_that_is_not_one_is_shown_as_written():
    assert zone("Mars/Olympus") == "Mars/Olympus"
    assert zone("") == ""
