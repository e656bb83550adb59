"""Weekly working hours across time zones (mentoring.hours), as the meeting form shows them."""

from datetime import UTC, date, datetime

from mentoring.hours import Window, convert, grid, in_zone, next_slot, overlap, windows_from, zone

LONDON, TOKYO, NEW_YORK = zone("Europe/London"), zone("Asia/Tokyo"), zone("America/New_York")
WINTER, SUMMER = date(2031, 1, 6), date(2031, 7, 7)  # Mondays


def test_a_window_follows_summer_time_in_the_week_it_is_placed():
    nine_to_noon = Window(0, 540, 720)
    assert convert(nine_to_noon, LONDON, TOKYO, week=WINTER) == [Window(0, 1080, 1260)]
    assert convert(nine_to_noon, LONDON, TOKYO, week=SUMMER) == [Window(0, 1020, 1200)]


def test_a_window_crossing_midnight_is_split_and_sunday_wraps_to_monday():
    evening = Window(6, 20 * 60, 23 * 60)  # Sunday 20:00–23:00 in New York
    assert convert(evening, NEW_YORK, LONDON, week=WINTER) == [Window(0, 60, 240)]  # Monday 1:00–4:00
    assert convert(Window(0, 540, 1020), LONDON, TOKYO, week=WINTER) == [Window(0, 1080, 1440), Window(1, 0, 120)]


def test_overlap_is_the_time_both_are_free_in_one_zone():
    mine = [Window(0, 540, 1020)]
    theirs = in_zone([Window(0, 1020, 1260)], TOKYO, LONDON, today=WINTER)
    assert overlap(mine, theirs) == [Window(0, 540, 720)]


def test_malformed_availability_is_ignored_and_touching_windows_merge():
    assert windows_from([[0, 540, 600], [0, 600, 720], [7, 0, 60], [1, 600, 500], "x", [2, "a", 3]]) == [
        Window(0, 540, 720)
    ]


def test_the_grid_marks_who_is_free_each_hour_trimmed_to_the_day():
    table = grid([Window(0, 540, 720)], [Window(0, 660, 780)])
    rows = {row["hour"]: row["cells"][0] for row in table["rows"]}
    assert rows[8] == "" and rows[9] == "mine" and rows[11] == "both" and rows[12] == "theirs"
    assert min(rows) == 8 and max(rows) == 13


def test_the_first_shared_slot_is_a_day_ahead_on_the_half_hour():
    shared = [Window(0, 545, 720)]
    after = datetime(2031, 1, 6, 12, 0, tzinfo=UTC)  # a Monday: the next Monday is the first chance
    assert next_slot(shared, LONDON, after=after) == datetime(2031, 1, 13, 9, 30, tzinfo=LONDON)
    assert next_slot([Window(0, 545, 600)], LONDON, after=after) is None  # no room for an hour
