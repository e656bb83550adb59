import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from wiki.diffing import (
    EMPTY_CELL,
    MARK_MINE,
    MARK_SPLIT,
    MARK_THEIRS,
    Merge,
    Segment,
    attribute,
    diff,
    expand_runs,
    merge_texts,
    split_lines,
)


def text(*lines: str) -> str:
    return "".join(line + "\n" for line in lines)


# ------------------------------------------------------------------------------------------ split_lines


def test_split_lines_drops_endings_and_does_not_count_a_final_newline_as_a_line():
    assert split_lines("") == []
    assert split_lines("a") == split_lines("a\n") == ["a"]
    assert split_lines("a\n\nb\n") == ["a", "", "b"]
    assert split_lines("\n") == [""]


def test_split_lines_treats_crlf_and_cr_as_newlines():
    assert split_lines("a\r\nb\rc\n") == ["a", "b", "c"]


def test_split_lines_keeps_other_unicode_separators_inside_lines():
    assert split_lines("a\u2028b\x0cc") == ["a\u2028b\x0cc"]


# ---------------------------------------------------------------------------------------------- merge


def test_merge_keeps_both_edits_when_they_touch_different_lines():
    base = text("intro", "one", "two", "three", "outro")
    mine = text("Intro!", "one", "two", "three", "outro")
    theirs = text("intro", "one", "two", "three", "outro", "appendix")
    merge = merge_texts(base, mine, theirs)
    assert merge.conflicts == 0
    assert merge.text == merge.marked == text("Intro!", "one", "two", "three", "outro", "appendix")


def test_merge_accepts_the_same_change_made_on_both_sides():
    base = text("a", "b", "c")
    both = text("a", "B", "c")
    assert merge_texts(base, both, both) == Merge(both, 0, both)


def test_merge_marks_an_overlap_with_both_versions_for_a_person_to_resolve():
    merge = merge_texts(text("a", "b", "c"), text("a", "mine", "c"), text("a", "theirs", "c"))
    assert merge.conflicts == 1
    assert merge.marked == text("a", MARK_MINE, "mine", MARK_SPLIT, "theirs", MARK_THEIRS, "c")
    assert MARK_MINE == "<<<<<<< your version" and MARK_THEIRS == ">>>>>>> saved meanwhile by others"


def test_merge_text_keeps_the_saved_version_where_edits_overlap_and_never_holds_markers():
    merge = merge_texts(
        text("a", "b", "c", "d", "e"), text("a", "mine", "c", "d", "E"), text("a", "theirs", "c", "d", "e")
    )
    assert merge.conflicts == 1
    assert merge.text == text("a", "theirs", "c", "d", "E")


def test_merge_counts_each_overlapping_region():
    base = text("a", "b", "c", "d", "e")
    merge = merge_texts(base, text("A1", "b", "c", "d", "E1"), text("A2", "b", "c", "d", "E2"))
    assert merge.conflicts == 2 and merge.marked.count(MARK_MINE) == 2


def test_merge_treats_insertions_at_the_same_place_as_a_conflict():
    merge = merge_texts(text("a", "b"), text("a", "mine", "b"), text("a", "theirs", "b"))
    assert merge.conflicts == 1


def test_merge_treats_deleting_a_line_the_other_side_edited_as_a_conflict():
    merge = merge_texts(text("a", "b", "c"), text("a", "c"), text("a", "B", "c"))
    assert merge.conflicts == 1 and "B" in merge.marked


def test_merge_treats_edits_to_adjacent_lines_as_a_conflict():
    # As git does: with no unchanged line between them there is no telling which order is meant.
    merge = merge_texts(text("a", "b", "c", "d"), text("a", "B", "c", "d"), text("a", "b", "C", "d"))
    assert merge.conflicts == 1


def test_merge_ignores_line_ending_style():
    base = "one\ntwo\nthree\n"
    mine = "one\r\ntwo\r\nTHREE\r\n"
    theirs = "ONE\ntwo\nthree\n"
    merge = merge_texts(base, mine, theirs)
    assert merge.conflicts == 0 and merge.text == "ONE\ntwo\nTHREE\n"


def test_merge_follows_the_side_that_changed_the_final_newline():
    assert merge_texts("a\nb\n", "a\nb", "A\nb\n") == Merge("A\nb", 0, "A\nb")
    assert merge_texts("a\nb", "a\nB", "a\nb\n").text == "a\nB\n"


def test_merge_of_everything_deleted_on_one_side_and_untouched_on_the_other_is_empty():
    merge = merge_texts(text("a", "b"), "", text("a", "b"))
    assert merge.conflicts == 0 and merge.text == ""


# ---------------------------------------------------------------------------------------- attribution


def test_attribution_gives_every_line_of_a_first_revision_to_it():
    assert attribute([], "", text("a", "b", "c"), 1) == [[1, 3]]


def test_attribution_keeps_unchanged_lines_with_the_revision_that_wrote_them():
    runs = attribute([[1, 3]], text("a", "b", "c"), text("a", "new", "b", "C"), 2)
    assert runs == [[1, 1], [2, 1], [1, 1], [2, 1]]


def test_attribution_joins_neighbouring_lines_of_the_same_revision():
    runs = attribute([[1, 1], [2, 1], [1, 1]], text("a", "x", "c"), text("a", "c"), 3)
    assert runs == [[1, 2]]


def test_attribution_keeps_repeated_lines_between_changes():
    runs = attribute([[1, 4]], text("a", "", "", "b"), text("A", "", "", "B"), 2)
    assert runs == [[2, 1], [1, 2], [2, 1]]


def test_attribution_keeps_a_long_stretch_of_repeated_lines_between_changes():
    # Thousands of lines and none unique: too many for difflib, so the stretch is matched as a run.
    middle = ["", "- [ ] item"] * 2000
    runs = attribute([[1, 4002]], text("first", *middle, "last"), text("First", *middle, "Last"), 2)
    assert runs == [[2, 1], [1, 4000], [2, 1]]


def test_attribution_of_an_empty_text_is_empty():
    assert attribute([[1, 2]], text("a", "b"), "", 2) == []


def test_attribution_pads_runs_that_do_not_cover_the_old_text_with_the_previous_revision():
    assert attribute([], text("a", "b"), text("a", "b", "c"), 5) == [[4, 2], [5, 1]]
    assert attribute([[1, 9]], text("a", "b"), text("a", "b"), 5) == [[1, 2]]


def test_attribution_does_not_count_a_final_newline_or_line_endings_as_a_change():
    assert attribute([[1, 2]], "a\nb", "a\r\nb\r\n", 2) == [[1, 2]]


def test_expand_runs_gives_one_revision_per_line():
    assert expand_runs([[1, 2], [3, 1], [1, 0]]) == [1, 1, 3]


# ----------------------------------------------------------------------------------------------- diff


def test_diff_of_identical_texts_has_no_hunks_unless_the_whole_text_is_asked_for():
    assert diff(text("a", "b"), text("a", "b")) == []
    (hunk,) = diff(text("a", "b"), text("a", "b"), context=None)
    assert [line.op for line in hunk.lines] == ["equal", "equal"]
    assert diff("", "", context=None) == []


def test_diff_marks_the_words_that_changed_within_a_line():
    (hunk,) = diff(text("Send the report on Friday."), text("Send the summary on Monday."))
    old, new = hunk.lines
    assert (old.op, new.op, old.paired, new.paired) == ("delete", "insert", True, True)
    assert old.segments == (
        Segment("equal", "Send the "),
        Segment("delete", "report"),
        Segment("equal", " on "),
        Segment("delete", "Friday"),
        Segment("equal", "."),
    )
    assert [s.op for s in new.segments if s.op != "equal"] == ["insert", "insert"]
    assert new.text == "Send the summary on Monday."


def test_diff_shows_lines_with_little_in_common_as_removed_and_added_whole():
    (hunk,) = diff(text("The cat sat on the mat."), text("Quarterly figures follow below."))
    old, new = hunk.lines
    assert not old.paired and old.segments == (Segment("delete", "The cat sat on the mat."),)
    assert not new.paired and new.segments == (Segment("insert", "Quarterly figures follow below."),)


def test_diff_rows_face_each_changed_line_with_what_it_became_and_fill_the_gaps():
    (hunk,) = diff(text("keep", "old one", "old two", "end"), text("keep", "old one!", "end"))
    rows = [(row.left.op, row.left.old_number, row.right.op, row.right.new_number) for row in hunk.rows]
    assert rows == [
        ("equal", 1, "equal", 1),
        ("delete", 2, "insert", 2),
        ("delete", 3, "empty", None),
        ("equal", 4, "equal", 3),
    ]
    assert hunk.rows[2].right is EMPTY_CELL


def test_diff_lists_each_changes_deletions_before_its_insertions_inline():
    (hunk,) = diff(text("a", "b", "c"), text("x", "y", "c"), context=0)
    assert [(line.op, line.text) for line in hunk.lines] == [
        ("delete", "a"),
        ("delete", "b"),
        ("insert", "x"),
        ("insert", "y"),
    ]


def test_diff_cuts_far_apart_changes_into_hunks_with_context_and_headers():
    old = text(*(f"line {n}" for n in range(1, 21)))
    new = old.replace("line 2\n", "line two\n").replace("line 18\n", "")
    first, second = diff(old, new, context=2)
    assert first.header == "@@ -1,4 +1,4 @@"
    assert second.header == "@@ -16,5 +16,4 @@"
    assert [line.op for line in second.lines] == ["equal", "equal", "delete", "equal", "equal"]


def test_diff_keeps_changes_whose_contexts_touch_in_one_hunk():
    old = text(*(f"line {n}" for n in range(1, 13)))
    new = old.replace("line 3\n", "line three\n").replace("line 10\n", "line ten\n")
    (hunk,) = diff(old, new, context=3)
    assert hunk.header == "@@ -1,12 +1,12 @@"
    assert len(diff(old, new, context=2)) == 2


def test_diff_headers_start_an_empty_range_at_the_line_before_it():
    (hunk,) = diff(text("a", "b"), text("a", "b", "c"), context=0)
    assert hunk.header == "@@ -2,0 +3,1 @@"


def test_diff_lines_up_sentences_rather_than_separators_when_lines_move():
    old = text("A long first paragraph sentence.", "---", "Second.")
    new = text("---", "A long first paragraph sentence.", "Second.")
    (hunk,) = diff(old, new, context=None)
    kept = [line.text for line in hunk.lines if line.op == "equal"]
    assert kept == ["A long first paragraph sentence.", "Second."]


# ------------------------------------------------------------------------------------- property tests

# A few lines that recur in real pages, so that matching has to cope with lines that are not unique.
COMMON = ["", "---", "```", "- [ ] todo", "| a | b |"]


def fresh(origin: int, n: int) -> str:
    """A line written by revision ``origin``, unique, and long enough to be told from the common lines."""
    return f"Line {n} was written in revision {origin}, and no other revision wrote it."


def origin_of(line: str) -> int | None:
    return int(line.split("revision ")[1].split(",")[0]) if line.startswith("Line ") else None


@st.composite
def edit_histories(draw, max_revisions: int = 8):
    """Successive texts (as line lists), each made from the one before by inserting, deleting or replacing lines."""
    counter = iter(range(10**6))

    def new_lines(revision: int, low: int, high: int) -> list[str]:
        return [
            draw(st.sampled_from(COMMON)) if draw(st.booleans()) else fresh(revision, next(counter))
            for _ in range(draw(st.integers(low, high)))
        ]

    texts = [new_lines(1, 0, 12)]
    for revision in range(2, draw(st.integers(2, max_revisions)) + 1):
        lines = list(texts[-1])
        for _ in range(draw(st.integers(1, 4))):
            start = draw(st.integers(0, len(lines)))
            end = draw(st.integers(start, min(len(lines), start + 4)))
            lines[start:end] = new_lines(revision, 0 if end > start else 1, 4)
        texts.append(lines)
    return texts


def is_subsequence(short: list, long: list) -> bool:
    remaining = iter(long)
    return all(item in remaining for item in short)


@settings(max_examples=300, deadline=None)
@given(edit_histories(), st.booleans())
def test_attribution_gives_each_line_the_revision_that_last_wrote_it(history, crlf):
    runs: list[list[int]] = []
    previous = ""
    for number, lines in enumerate(history, start=1):
        current = "".join(line + ("\r\n" if crlf else "\n") for line in lines)
        old_revisions = expand_runs(runs)
        runs = attribute(runs, previous, current, number)
        revisions = expand_runs(runs)
        # Lines written once, never repeated: the reference is the revision named in the line itself.
        for line, revision in zip(lines, revisions, strict=True):
            if origin_of(line) is not None:
                assert revision == origin_of(line), (line, revision)
        # Every line credited to an earlier revision is an old line, in the old order, with its old credit.
        kept = [(line, r) for line, r in zip(lines, revisions, strict=True) if r != number]
        assert is_subsequence(kept, list(zip(split_lines(previous), old_revisions, strict=True)))
        previous = current


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["a", "b", "", "a longer line", "---"]), max_size=20), min_size=1, max_size=6))
def test_attribution_runs_always_cover_every_line_exactly_once(history):
    previous, runs = "", []
    for number, lines in enumerate(history, start=1):
        current = text(*lines)
        runs = attribute(runs, previous, current, number)
        assert sum(count for _, count in runs) == len(lines)
        assert all(count > 0 for _, count in runs)
        assert all(a[0] != b[0] for a, b in itertools.pairwise(runs))
        previous = current


@st.composite
def two_separate_edits(draw):
    """A base of distinct lines and two edits to regions with at least one untouched line between them."""
    size = draw(st.integers(1, 30))
    base = [f"base line {n}" for n in range(size)]
    start = draw(st.integers(0, size - 1))
    end = draw(st.integers(start, size - 1))
    later_start = draw(st.integers(end + 1, size))
    later_end = draw(st.integers(later_start, size))

    def replacement(tag: str, start: int, end: int) -> tuple[tuple[int, int], list[str]]:
        low = 0 if end > start else 1  # inserting nothing in place of nothing is no edit
        return (start, end), [f"{tag} line {n}" for n in range(draw(st.integers(low, 3)))]

    edits = [replacement("mine", start, end), replacement("theirs", later_start, later_end)]
    if draw(st.booleans()):
        edits.reverse()
    return base, *edits


def apply(lines: list[str], *edits) -> list[str]:
    result = list(lines)
    for (start, end), replacement in sorted(edits, reverse=True):
        result[start:end] = replacement
    return result


@settings(max_examples=300, deadline=None)
@given(two_separate_edits())
def test_merge_of_edits_to_separate_regions_contains_both(case):
    base, my_edit, their_edit = case
    merge = merge_texts(text(*base), text(*apply(base, my_edit)), text(*apply(base, their_edit)))
    assert merge.conflicts == 0
    assert split_lines(merge.text) == apply(base, my_edit, their_edit)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 20), st.data())
def test_merge_of_different_edits_to_the_same_lines_conflicts_and_shows_both(size, data):
    base = [f"base line {n}" for n in range(size)]
    start = data.draw(st.integers(0, size - 1))
    end = data.draw(st.integers(start + 1, size))
    mine = apply(base, ((start, end), data.draw(st.lists(st.sampled_from(["mine 1", "mine 2"]), min_size=1))))
    theirs = apply(base, ((start, end), data.draw(st.lists(st.sampled_from(["theirs 1", "theirs 2"]), min_size=1))))
    merge = merge_texts(text(*base), text(*mine), text(*theirs))
    assert merge.conflicts == 1
    marked = split_lines(merge.marked)
    assert MARK_MINE in marked and MARK_SPLIT in marked and MARK_THEIRS in marked
    inside = marked[marked.index(MARK_MINE) + 1 : marked.index(MARK_THEIRS)]
    assert inside == mine[start : len(mine) - (size - end)] + [MARK_SPLIT] + theirs[start : len(theirs) - (size - end)]
    assert split_lines(merge.text) == theirs


texts = st.builds(
    lambda lines, final_newline: "\n".join(lines) + ("\n" if final_newline else ""),
    st.lists(st.sampled_from(["a", "b", "c", "", "---", "a b"]), max_size=12),
    st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(texts, texts)
def test_merge_with_one_side_unchanged_takes_the_other_side(base, other):
    assert merge_texts(base, base, other).text == other
    assert merge_texts(base, other, base).text == other
    assert merge_texts(base, other, other) == Merge(other, 0, other)


@settings(max_examples=300, deadline=None)
@given(texts, texts, st.sampled_from([0, 1, 3, None]))
def test_diff_hunks_turn_the_old_text_into_the_new(old, new, context):
    old_lines, new_lines, rebuilt, at = split_lines(old), split_lines(new), [], 0
    for hunk in diff(old, new, context):
        start = hunk.old_start - 1 if hunk.old_count else hunk.old_start
        assert start >= at  # hunks never overlap
        rebuilt += old_lines[at:start]
        rebuilt += [line.text for line in hunk.lines if line.op in ("equal", "insert")]
        assert [line.text for line in hunk.lines if line.op in ("equal", "delete")] == old_lines[
            start : start + hunk.old_count
        ]
        new_start = hunk.new_start - 1 if hunk.new_count else hunk.new_start
        assert [row.left.text for row in hunk.rows if row.left.op != "empty"] == old_lines[
            start : start + hunk.old_count
        ]
        assert [row.right.text for row in hunk.rows if row.right.op != "empty"] == new_lines[
            new_start : new_start + hunk.new_count
        ]
        at = start + hunk.old_count
    rebuilt += old_lines[at:]
    assert rebuilt == new_lines


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40), st.text(max_size=40))
def test_diff_word_segments_spell_out_both_lines(old, new):
    old, new = old.replace("\r", "").replace("\n", ""), new.replace("\r", "").replace("\n", "")
    for hunk in diff(old, new):
        for line in hunk.lines:
            expected = old if line.op == "delete" else new
            assert line.text == expected
            assert all(s.op in ("equal", line.op) for s in line.segments)
