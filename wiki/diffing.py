"""Line diffs, three-way merges and "who wrote which line" for wiki pages. Pure Python, no Django.

Everything here works on lines as ``split_lines`` cuts them, so a save, a merge, an attribution and a
diff view never disagree about what a line is.

Lines are matched by one engine (``_match_lines``): the common start and end are taken first, then
lines that occur exactly once on each side anchor the match (patience diff; where such lines cross
because text moved, the longer lines win), and the stretches between anchors are matched the same
way; a stretch with no such line falls back to difflib, within a budget. This is fast on long pages
(attributing a save of a 200 KB, 5,000-line page takes about 2 ms for a typical edit and under 10 ms
for a rewrite, where difflib alone spends hundreds of milliseconds on the blank lines Markdown is
full of) and it lines up the lines people recognise (headings, sentences) rather than blank lines
and fences. The matches are not always the fewest possible changes: a line repeated everywhere may
be counted as rewritten where a slower diff would have kept it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import groupby

import merge3

# A stretch with no unique common line is matched by difflib, whose time grows with how often lines
# repeat on both sides times how many blocks it finds (about 15 ns a unit here). Past this budget the
# stretch is cut at its longest run of equal lines aligned at either end, when that run is long
# enough (a sixteenth of the stretch, so the cuts shrink it geometrically); failing that, lines
# repeated everywhere (blank lines, fences) may only extend a match, not start one; past the budget
# again the stretch counts as replaced whole. Each keeps a crafted page from stalling a save.
_MATCH_BUDGET = 1_000_000
_MIN_RUN_SHARE = 16

Block = tuple[int, int, int]  # (start in a, start in b, length), as difflib's matching blocks


def split_lines(text: str) -> list[str]:
    """The lines of ``text``, without their endings; ``\\r\\n`` and ``\\r`` count as ``\\n``.

    A final line ending does not start another line: "a\\nb" and "a\\nb\\n" both have two lines.
    """
    if not text:
        return []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines


def _ends_with_newline(text: str) -> bool:
    return text.endswith(("\n", "\r"))


def _join(lines: Sequence[str], final_newline: bool) -> str:
    text = "\n".join(lines)
    return text + "\n" if lines and final_newline else text


# ------------------------------------------------------------------------------------------ matching


def _as_ints(a: Sequence[Hashable], b: Sequence[Hashable]) -> tuple[list[int], list[int], list[int]]:
    """Both sides with equal lines as the same small int (cheap to compare), and each int's weight."""
    ids: dict[Hashable, int] = {}
    ia = [ids.setdefault(x, len(ids)) for x in a]
    ib = [ids.setdefault(x, len(ids)) for x in b]
    # A long line is a better anchor than a short one: "---" recurs by chance, a sentence does not.
    weights = [len(x) + 1 if isinstance(x, str) else 1 for x in ids]
    return ia, ib, weights


def _unique_anchors(
    a: list[int], alo: int, ahi: int, b: list[int], blo: int, bhi: int, weights: list[int]
) -> list[tuple[int, int]]:
    """Lines occurring once in a[alo:ahi] and once in b[blo:bhi], as (i, j) pairs in order on both sides.

    When such lines cross (one moved), the heaviest in-order set wins, by ``weights``.
    """
    count_a = Counter(a[alo:ahi])
    count_b = Counter(b[blo:bhi])
    where_b = {b[j]: j for j in range(blo, bhi) if count_b[b[j]] == 1}
    pairs = [(i, where_b[a[i]]) for i in range(alo, ahi) if count_a[a[i]] == 1 and a[i] in where_b]
    if all(pairs[n][1] < pairs[n + 1][1] for n in range(len(pairs) - 1)):
        return pairs  # nothing moved: the usual case, and the one a 200 KB page must save fast
    # Heaviest increasing subsequence of the b positions: a Fenwick tree over b holds the best
    # (weight, pair index) ending at or before each position.
    size = bhi - blo
    tree_weight = [0] * (size + 1)
    tree_pair = [-1] * (size + 1)
    best = [0] * len(pairs)
    back = [-1] * len(pairs)
    for n, (i, j) in enumerate(pairs):
        k, before, link = j - blo, 0, -1
        while k > 0:
            if tree_weight[k] > before:
                before, link = tree_weight[k], tree_pair[k]
            k -= k & -k
        best[n], back[n] = before + weights[a[i]], link
        k = j - blo + 1
        while k <= size:
            if tree_weight[k] < best[n]:
                tree_weight[k], tree_pair[k] = best[n], n
            k += k & -k
    run, n = [], max(range(len(pairs)), key=best.__getitem__)
    while n != -1:
        run.append(pairs[n])
        n = back[n]
    run.reverse()
    return run


def _aligned_run(a: list[int], alo: int, ahi: int, b: list[int], blo: int, bhi: int) -> Block | None:
    """The longest run of equal lines with the two stretches aligned at their starts or at their ends."""
    size = min(ahi - alo, bhi - blo)
    best = (0, 0, 0)
    for i0, j0 in ((alo, blo), (ahi - size, bhi - size)):
        k = 0
        for same, group in groupby(x == y for x, y in zip(a[i0 : i0 + size], b[j0 : j0 + size], strict=True)):
            length = sum(1 for _ in group)
            if same and length > best[2]:
                best = (i0 + k, j0 + k, length)
            k += length
    return best if best[2] * _MIN_RUN_SHARE >= (ahi - alo) + (bhi - blo) else None


def _repeated_lines(
    a: list[int], alo: int, ahi: int, b: list[int], blo: int, bhi: int
) -> tuple[list[Block], list[tuple[int, int, int, int]]]:
    """Match a stretch in which no line is unique: the blocks found, and the smaller stretches left to match."""
    sub_a, sub_b = a[alo:ahi], b[blo:bhi]
    count_b = Counter(sub_b)
    calls = min(len(sub_a), len(sub_b))
    if sum(count_b[x] for x in sub_a) * calls <= _MATCH_BUDGET:
        matcher = SequenceMatcher(None, sub_a, sub_b, autojunk=False)
    else:
        run = _aligned_run(a, alo, ahi, b, blo, bhi)
        if run is not None:
            i, j, n = run
            return [run], [(alo, i, blo, j), (i + n, ahi, j + n, bhi)]
        common = 1 + len(sub_b) // 100  # difflib's own "popular" threshold
        if sum(count_b[x] for x in sub_a if count_b[x] <= common) * calls > _MATCH_BUDGET:
            return [], []
        matcher = SequenceMatcher(lambda x: count_b[x] > common, sub_a, sub_b, autojunk=False)
    return [(alo + i, blo + j, n) for i, j, n in matcher.get_matching_blocks() if n], []


def _match_lines(a: Sequence[Hashable], b: Sequence[Hashable]) -> list[Block]:
    """Matching blocks of ``a`` and ``b`` in order, like difflib's ``get_matching_blocks``.

    Adjacent blocks are joined and the list ends with the sentinel ``(len(a), len(b), 0)``.
    """
    ia, ib, weights = _as_ints(a, b)
    found: list[Block] = []
    stack = [(0, len(ia), 0, len(ib))]
    while stack:
        alo, ahi, blo, bhi = stack.pop()
        start = 0
        while alo + start < ahi and blo + start < bhi and ia[alo + start] == ib[blo + start]:
            start += 1
        if start:
            found.append((alo, blo, start))
            alo, blo = alo + start, blo + start
        end = 0
        while ahi - end > alo and bhi - end > blo and ia[ahi - end - 1] == ib[bhi - end - 1]:
            end += 1
        if end:
            found.append((ahi - end, bhi - end, end))
            ahi, bhi = ahi - end, bhi - end
        if alo == ahi or blo == bhi:
            continue
        anchors = _unique_anchors(ia, alo, ahi, ib, blo, bhi, weights)
        if not anchors:
            more, rest = _repeated_lines(ia, alo, ahi, ib, blo, bhi)
            found.extend(more)
            stack.extend(rest)
            continue
        # Each anchor is one matched line; the stretches around it are matched on their own, and
        # their common start and end then grow the anchor into the block it belongs to.
        prev_a, prev_b = alo, blo
        for i, j in anchors:
            found.append((i, j, 1))
            stack.append((prev_a, i, prev_b, j))
            prev_a, prev_b = i + 1, j + 1
        stack.append((prev_a, ahi, prev_b, bhi))
    found.sort()
    blocks: list[Block] = []
    for i, j, n in found:
        if blocks and blocks[-1][0] + blocks[-1][2] == i and blocks[-1][1] + blocks[-1][2] == j:
            blocks[-1] = (blocks[-1][0], blocks[-1][1], blocks[-1][2] + n)
        else:
            blocks.append((i, j, n))
    blocks.append((len(a), len(b), 0))
    return blocks


class _LineMatcher:
    """``_match_lines`` behind the part of difflib.SequenceMatcher's interface that merge3 calls."""

    def __init__(self, isjunk=None, a: Sequence = (), b: Sequence = (), autojunk: bool = True):
        self.a, self.b = a, b

    def get_matching_blocks(self) -> list[Block]:
        return _match_lines(self.a, self.b)


def _opcodes(blocks: list[Block]) -> list[tuple[str, int, int, int, int]]:
    """difflib-style opcodes ("equal", "replace", "delete", "insert") from matching blocks."""
    codes = []
    i = j = 0
    for ai, bj, size in blocks:
        if i < ai and j < bj:
            codes.append(("replace", i, ai, j, bj))
        elif i < ai:
            codes.append(("delete", i, ai, j, bj))
        elif j < bj:
            codes.append(("insert", i, ai, j, bj))
        if size:
            codes.append(("equal", ai, ai + size, bj, bj + size))
        i, j = ai + size, bj + size
    return codes


# --------------------------------------------------------------------------------------------- merge


MARK_MINE = "<<<<<<< your version"
MARK_SPLIT = "======="
MARK_THEIRS = ">>>>>>> saved meanwhile by others"


@dataclass(frozen=True)
class Merge:
    """The result of a three-way merge.

    ``text``: the merge. Without conflicts it holds both edits; with conflicts it keeps the saved
    version (theirs) in each overlapping region, so it never contains markers (and is not for saving).
    ``conflicts``: how many overlapping regions. ``marked``: the merge with both versions of each
    overlapping region between markers, for a person to resolve; the same as ``text`` without conflicts.
    """

    text: str
    conflicts: int
    marked: str


def merge_texts(base: str, mine: str, theirs: str) -> Merge:
    """Merge two edits (``mine``, ``theirs``) made from the same ``base``, line by line.

    Changes to different lines are combined; changes to the same or adjacent lines are a conflict
    unless both sides made the very same change. Line endings are compared normalised; whether the
    text ends with a line ending follows whichever side changed it, so it is never a conflict.
    """
    base_lines, my_lines, their_lines = split_lines(base), split_lines(mine), split_lines(theirs)
    merger = merge3.Merge3(base_lines, my_lines, their_lines, sequence_matcher=_LineMatcher)
    text: list[str] = []
    marked: list[str] = []
    conflicts = 0
    for region in merger.merge_regions():
        what = region[0]
        if what == "unchanged":
            lines = base_lines[region[1] : region[2]]
        elif what in ("a", "same"):
            lines = my_lines[region[1] : region[2]]
        elif what == "b":
            lines = their_lines[region[1] : region[2]]
        else:
            _, _, _, a_start, a_end, b_start, b_end = region
            conflicts += 1
            text.extend(their_lines[b_start:b_end])
            marked.append(MARK_MINE)
            marked.extend(my_lines[a_start:a_end])
            marked.append(MARK_SPLIT)
            marked.extend(their_lines[b_start:b_end])
            marked.append(MARK_THEIRS)
            continue
        text.extend(lines)
        marked.extend(lines)
    base_end = _ends_with_newline(base)
    mine_end = _ends_with_newline(mine)
    final_newline = mine_end if mine_end != base_end else _ends_with_newline(theirs)
    return Merge(text=_join(text, final_newline), conflicts=conflicts, marked=_join(marked, final_newline))


# --------------------------------------------------------------------------------------- attribution


def expand_runs(runs: Sequence[Sequence[int]]) -> list[int]:
    """One revision number per line from runs ``[[revision, line count], ...]``."""
    lines: list[int] = []
    for revision, count in runs:
        lines.extend([revision] * count)
    return lines


def _compress(per_line: Sequence[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for revision in per_line:
        if runs and runs[-1][0] == revision:
            runs[-1][1] += 1
        else:
            runs.append([revision, 1])
    return runs


def attribute(previous_runs: list[list[int]], old_text: str, new_text: str, revision: int) -> list[list[int]]:
    """Who wrote each line of ``new_text``, as runs ``[[revision number, line count], ...]``.

    Lines kept from ``old_text`` keep the revision ``previous_runs`` gave them; inserted and changed
    lines get ``revision``. Runs that do not cover ``old_text`` exactly (written before attribution
    existed, say) are cut or padded with ``revision - 1``, the latest revision that could have
    written those lines, so that a save never fails over them.
    """
    old_lines, new_lines = split_lines(old_text), split_lines(new_text)
    old = expand_runs(previous_runs)[: len(old_lines)]
    old.extend([max(revision - 1, 0)] * (len(old_lines) - len(old)))
    new = [revision] * len(new_lines)
    for i, j, n in _match_lines(old_lines, new_lines):
        new[j : j + n] = old[i : i + n]
    return _compress(new)


# ---------------------------------------------------------------------------------------------- diff


@dataclass(frozen=True)
class Segment:
    """A piece of a line's text. ``op``: "equal", "insert" (only in the new line) or "delete" (only in the old)."""

    op: str
    text: str


@dataclass(frozen=True)
class DiffLine:
    """One line as a diff shows it: a line of an inline diff, or one cell of a side-by-side row.

    ``op``: "equal" (in both texts), "delete" (only in the old text), "insert" (only in the new) or
    "empty" (the blank cell facing a line that has no counterpart, side by side only).
    ``old_number`` / ``new_number``: 1-based line numbers in each text, None where the line is not in it;
    a side-by-side template shows ``old_number`` in the left column and ``new_number`` in the right.
    ``paired``: this deleted line was changed into the inserted line facing it (or the reverse), and
    ``segments`` mark the words that differ; otherwise ``segments`` is the whole line as one piece
    whose op is the line's own.
    """

    op: str
    old_number: int | None
    new_number: int | None
    segments: tuple[Segment, ...]
    paired: bool = False

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.segments)


EMPTY_CELL = DiffLine(op="empty", old_number=None, new_number=None, segments=())


@dataclass(frozen=True)
class Row:
    """One side-by-side row: the old line on the left, the new one on the right (same object when equal)."""

    left: DiffLine
    right: DiffLine


@dataclass(frozen=True)
class Hunk:
    """A stretch of changes with its context, ready for both layouts.

    ``lines``: the inline diff, top to bottom; each change's deleted lines come before its inserted lines.
    ``rows``: the side-by-side diff, a changed line facing what it became.
    ``old_start``/``old_count``/``new_start``/``new_count``: the 1-based ranges, as a unified diff header.
    """

    old_start: int
    old_count: int
    new_start: int
    new_count: int
    lines: tuple[DiffLine, ...]
    rows: tuple[Row, ...]

    @property
    def header(self) -> str:
        return f"@@ -{self.old_start},{self.old_count} +{self.new_start},{self.new_count} @@"


_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
# Below this share of equal characters two lines are shown as one removed and one added, not as one
# edited line: word marks on lines that share only spaces and "the" are noise.
_PAIR_SIMILARITY = 0.4
# Word-level marks for a line pair cost a difflib run over its words; a very long line (minified
# data, a table row of thousands of characters) is shown changed as a whole instead, and so is every
# pair after the first few hundred thousand characters of one diff (a crafted page's million lines).
_WORD_DIFF_MAX_CHARS = 5_000
_WORD_DIFF_BUDGET = 400_000


def _word_segments(old: str, new: str) -> tuple[tuple[Segment, ...], tuple[Segment, ...]] | None:
    """Word-level segments for an old line and the new line it became, or None if they are too unlike."""
    if len(old) + len(new) > _WORD_DIFF_MAX_CHARS:
        return None
    old_tokens, new_tokens = _TOKEN.findall(old), _TOKEN.findall(new)
    # Tokens found in the other line bound the characters the two can have in common: lines too
    # unlike on that count skip difflib (a rewritten page has thousands of such pairs).
    old_set, new_set = set(old_tokens), set(new_tokens)
    at_most = min(sum(len(t) for t in old_tokens if t in new_set), sum(len(t) for t in new_tokens if t in old_set))
    if 2 * at_most < _PAIR_SIMILARITY * (len(old) + len(new)):
        return None
    matcher = SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    left: list[Segment] = []
    right: list[Segment] = []
    same = 0
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        old_part, new_part = "".join(old_tokens[i1:i2]), "".join(new_tokens[j1:j2])
        if op == "equal":
            same += len(old_part)
            _add(left, "equal", old_part)
            _add(right, "equal", new_part)
        else:
            _add(left, "delete", old_part)
            _add(right, "insert", new_part)
    if 2 * same < _PAIR_SIMILARITY * (len(old) + len(new)):
        return None
    return tuple(left), tuple(right)


def _add(segments: list[Segment], op: str, text: str) -> None:
    if not text:
        return
    if segments and segments[-1].op == op:
        segments[-1] = Segment(op, segments[-1].text + text)
    else:
        segments.append(Segment(op, text))


def _whole(op: str, text: str) -> tuple[Segment, ...]:
    return (Segment(op, text),) if text else ()


def _hunk(old_lines, new_lines, codes, word_segments) -> Hunk:
    lines: list[DiffLine] = []
    rows: list[Row] = []
    for op, i1, i2, j1, j2 in codes:
        if op == "equal":
            for k in range(i2 - i1):
                line = DiffLine("equal", i1 + k + 1, j1 + k + 1, _whole("equal", old_lines[i1 + k]))
                lines.append(line)
                rows.append(Row(line, line))
            continue
        deleted: list[DiffLine] = []
        inserted: list[DiffLine] = []
        for k in range(max(i2 - i1, j2 - j1)):
            i, j = i1 + k, j1 + k
            words = word_segments(old_lines[i], new_lines[j]) if i < i2 and j < j2 else None
            left = right = EMPTY_CELL
            if i < i2:
                segments = words[0] if words else _whole("delete", old_lines[i])
                left = DiffLine("delete", i + 1, None, segments, paired=words is not None)
                deleted.append(left)
            if j < j2:
                segments = words[1] if words else _whole("insert", new_lines[j])
                right = DiffLine("insert", None, j + 1, segments, paired=words is not None)
                inserted.append(right)
            rows.append(Row(left, right))
        lines.extend(deleted)
        lines.extend(inserted)
    first, last = codes[0], codes[-1]
    old_count, new_count = last[2] - first[1], last[4] - first[3]
    # As in unified diffs, an empty range starts at the line before it.
    return Hunk(
        old_start=first[1] + 1 if old_count else first[1],
        old_count=old_count,
        new_start=first[3] + 1 if new_count else first[3],
        new_count=new_count,
        lines=tuple(lines),
        rows=tuple(rows),
    )


def _groups(codes, context: int):
    """Opcodes cut into hunks with ``context`` equal lines around each change (difflib's grouping)."""
    codes = list(codes)
    if codes[0][0] == "equal":
        _, i1, i2, j1, j2 = codes[0]
        codes[0] = ("equal", max(i1, i2 - context), i2, max(j1, j2 - context), j2)
    if codes[-1][0] == "equal":
        _, i1, i2, j1, j2 = codes[-1]
        codes[-1] = ("equal", i1, min(i2, i1 + context), j1, min(j2, j1 + context))
    group = []
    for op, i1, i2, j1, j2 in codes:
        # A long equal stretch ends one hunk and starts the next; a short one stays inside.
        if op == "equal" and i2 - i1 > 2 * context:
            group.append(("equal", i1, min(i2, i1 + context), j1, min(j2, j1 + context)))
            yield group
            group = []
            i1, j1 = max(i1, i2 - context), max(j1, j2 - context)
        group.append((op, i1, i2, j1, j2))
    if group and not (len(group) == 1 and group[0][0] == "equal"):
        yield group


def diff(old: str, new: str, context: int | None = 3) -> list[Hunk]:
    """The changes from ``old`` to ``new`` as hunks with ``context`` unchanged lines around each change.

    ``context=None`` gives one hunk holding the whole text (empty only when both texts are empty).
    Identical texts with a context have no hunks.
    """
    old_lines, new_lines = split_lines(old), split_lines(new)
    codes = [c for c in _opcodes(_match_lines(old_lines, new_lines)) if c[1] != c[2] or c[3] != c[4]]
    if not codes:
        return []
    budget = _WORD_DIFF_BUDGET

    def word_segments(old_line: str, new_line: str):
        nonlocal budget
        if budget <= 0:
            return None
        budget -= len(old_line) + len(new_line)
        return _word_segments(old_line, new_line)

    if context is None:
        return [_hunk(old_lines, new_lines, codes, word_segments)]
    if all(code[0] == "equal" for code in codes):
        return []
    return [_hunk(old_lines, new_lines, group, word_segments) for group in _groups(codes, max(context, 0))]
