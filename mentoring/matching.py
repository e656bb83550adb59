"""The matching engine: a score for every mentee and mentor of a programme, explained in plain words, and the
capacity-respecting assignment that maximises the total score of a whole programme.

What the engine may read about a person is listed in ``INPUTS``, each with where it is read from in
``SOURCES``; the loader asks the database for exactly those columns and nothing else. Protected attributes
(``PROTECTED``) are never inputs: the check at the bottom of this module runs when it is imported, so adding one
to ``INPUTS``, to ``SOURCES`` or to the ``Features`` record fails loudly before any match is made. Site and
department are read for the fairness report of a run; department is never part of a score.

A score is the sum of its parts, one per criterion, each a fraction in [0, 1] times the programme's weight for
that criterion (``Programme.criterion_weights``):

- **skills**: for each skill the mentee wants, the best of the mentor's taught skills — the same skill counts
  in full, a broader or narrower one in the taxonomy half as much per step (up to three steps) — scaled down
  when the mentor teaches it below the level wanted; averaged over the mentee's skills;
- **goals**: the cosine similarity of the two people's goals and interests (TF-IDF fitted once per programme on
  every open application's text);
- **hours**: the weekly working hours both have, across time zones, full at three hours a week;
- **format**: a shared way of meeting (someone who names none is open to any);
- **seniority**: a mentor one or two steps more senior is best when the mentee asks for someone more senior;
- **site**: the mentee's wish for a mentor at their own site or another one.

A shared language is a hard constraint, like the mentor having room left, not being the mentee, and not
already being in a live pair with them; it is shown as a part worth no points.

Whole programmes are scored in blocks of mentees with numpy, each mentee keeps its best ``TOP_K`` mentors,
and the assignment is solved exactly on that candidate graph: every mentor becomes as many slots as the
mentees they have room for, every slot may stay empty, and ``scipy.sparse.csgraph.min_weight_full_bipartite_matching``
finds the matching of greatest total score.
"""

from __future__ import annotations

import dataclasses
import hashlib
import time
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q
from django.utils import timezone
from scipy import sparse
from scipy.sparse.csgraph import min_weight_full_bipartite_matching
from sklearn.feature_extraction.text import TfidfVectorizer

from mentoring.models import FORMATS, SENIORITY, Application, ApplicationSkill, Match, Programme
from people.languages import language_name
from people.models import Skill

# ------------------------------------------------------------------------------------------ what is read

# Every field of a person's application the engine reads, by the name it has in ``Features``.
INPUTS = frozenset(
    {
        "application",
        "person",
        "side",
        "name",
        "capacity",
        "time_zone",
        "availability",
        "languages",
        "formats",
        "seniority",
        "site_preference",
        "wants_more_senior",
        "goals",
        "interests",
        "skills",
        "site",
        "site_name",
        "department",
    }
)

# Where each input comes from: lookups on ``Application`` (``skills`` are ``ApplicationSkill`` rows).
SOURCES = {
    "application": ("id",),
    "person": ("person_id",),
    "side": ("side",),
    "name": ("person__display_name", "person__first_name", "person__last_name", "person__username"),
    "capacity": ("capacity",),
    "time_zone": ("time_zone",),
    "availability": ("availability",),
    "languages": ("languages",),
    "formats": ("formats",),
    "seniority": ("seniority",),
    "site_preference": ("site_preference",),
    "wants_more_senior": ("wants_more_senior",),
    "goals": ("goals",),
    "interests": ("person__interests",),
    "skills": ("skills__skill_id", "skills__level"),
    "site": ("person__site_id",),
    "site_name": ("person__site__name",),
    "department": ("person__department",),  # the fairness report only, never a score
}

# What a matching engine must never read, whatever it is called. Protected characteristics in the sense of
# equality law (UK Equality Act 2010 s.4, EU Charter art. 21, US Title VII and the ADEA), and what stands
# in for them (a photo, pronouns, a title like Mrs).
PROTECTED = frozenset(
    {
        "gender",
        "gender_identity",
        "sex",
        "sexual_orientation",
        "pronouns",
        "honorific",
        "ethnicity",
        "ethnic_origin",
        "race",
        "colour",
        "color",
        "religion",
        "belief",
        "age",
        "birth_date",
        "date_of_birth",
        "birthday",
        "year_of_birth",
        "disability",
        "health",
        "marital_status",
        "civil_partnership",
        "pregnancy",
        "maternity",
        "nationality",
        "national_origin",
        "citizenship",
        "caste",
        "political_opinion",
        "trade_union",
        "genetic",
        "biometric",
        "photo",
        "photo_thumb",
    }
)


class ProtectedAttributeError(ImproperlyConfigured):
    """The engine was given a protected attribute, or a feature that is not a declared input."""


def _words_of(name: str) -> set[str]:
    """A name and each of its parts: ``person__date_of_birth`` → the lookups and their words."""
    out = {name}
    for part in name.split("__"):
        out.add(part)
        out.update(part.split("_"))
    return out


def check_inputs(inputs: Iterable[str], sources: dict, feature_fields: Iterable[str]) -> None:
    """Refuse any protected attribute among the inputs, their sources or the feature record's fields, and any
    feature field or input that is not declared in both ``INPUTS`` and ``SOURCES``."""
    inputs, feature_fields = frozenset(inputs), frozenset(feature_fields)
    named = set(inputs) | set(feature_fields) | set(sources)
    for lookups in sources.values():
        named.update(lookups)
    for name in sorted(named):
        hit = _words_of(name.lower()) & PROTECTED
        if hit:
            raise ProtectedAttributeError(
                f"“{name}” is a protected attribute ({', '.join(sorted(hit))}); the matching engine never reads it."
            )
    if not feature_fields <= inputs:
        raise ProtectedAttributeError(f"Features not declared in INPUTS: {', '.join(sorted(feature_fields - inputs))}")
    if set(sources) != inputs:
        raise ProtectedAttributeError(f"INPUTS and SOURCES differ: {', '.join(sorted(set(sources) ^ inputs))}")


@dataclass(frozen=True, slots=True)
class Features:
    """What the engine knows about one application: built from ``INPUTS`` only (checked on import)."""

    application: int
    person: int
    side: str
    name: str
    capacity: int
    time_zone: str
    availability: tuple[tuple[int, int, int], ...]
    languages: frozenset[str]
    formats: frozenset[str]
    seniority: int
    site_preference: str
    wants_more_senior: bool
    goals: str
    interests: str
    skills: tuple[tuple[int, int], ...]  # (skill id, level)
    site: int | None
    site_name: str
    department: str

    @property
    def text(self) -> str:
        return f"{self.goals}\n{self.interests}"


check_inputs(INPUTS, SOURCES, (f.name for f in dataclasses.fields(Features)))


# ------------------------------------------------------------------------------------------ the criteria

CRITERIA = ("language", "skills", "goals", "hours", "format", "seniority", "site")
TOP_K = 25  # candidates kept per mentee for the bulk assignment
BLOCK = 512  # mentees scored at once
SKILL_STEP = 0.5  # a broader or narrower skill counts half as much per step in the taxonomy
SKILL_STEPS = 3
HOURS_FULL = 180  # minutes of weekly overlap that earn the whole hours part
MAX_WEIGHT = 1000.0
WEEK = 7 * 24 * 60
FORMAT_CODES = [code for code, _ in FORMATS]
FORMAT_WORDS = {"video": "by video", "in_person": "in person", "chat": "by chat"}
SENIORITY_NAMES = dict(SENIORITY)
SENIORITY_LEVELS = max(SENIORITY_NAMES) + 1
LEVEL_NAMES = {1: "beginner", 2: "practitioner", 3: "advanced", 4: "expert"}


def effective_weights(programme: Programme) -> dict[str, float]:
    """The programme's weight of each criterion as scores use it: a share of the score is never negative (the
    assignment relies on it) and never unbounded."""
    return {
        name: min(MAX_WEIGHT, weight) if weight > 0 else 0.0 for name, weight in programme.criterion_weights.items()
    }


def seniority_fit(mentee: int, mentor: int, wants_more_senior: bool) -> float:
    """How well a mentor's seniority suits a mentee: a step or two above is best when they ask for it."""
    gap = mentor - mentee
    if wants_more_senior:
        return {1: 1.0, 2: 1.0, 3: 0.6}.get(gap, 0.3 if gap >= 0 else 0.0)
    return 1.0 if abs(gap) <= 1 else 0.6 if abs(gap) == 2 else 0.3


# [wants more senior][mentee level][mentor level], for the vectorised score.
SENIORITY_TABLE = np.array(
    [[[seniority_fit(e, m, bool(w)) for m in range(SENIORITY_LEVELS)] for e in range(SENIORITY_LEVELS)] for w in (0, 1)]
)


@dataclass
class Part:
    """One criterion's share of a score, and what it means in words."""

    criterion: str
    points: float
    words: str

    def as_json(self) -> dict:
        return {"criterion": self.criterion, "points": self.points, "words": self.words}


@dataclass
class Suggestion:
    """A mentor for a mentee: the score, its parts (which add up to it), and any hard constraint it fails."""

    mentor_application: Application | None
    score: float
    parts: list[Part]
    reasons_excluded: list[str] = field(default_factory=list)
    mentee: Features | None = None
    mentor: Features | None = None

    def as_json(self) -> list[dict]:
        """What ``Match.explanation`` stores."""
        return [part.as_json() for part in self.parts]

    @property
    def summary(self) -> str:
        """The parts that earned something, in one sentence."""
        return "; ".join(p.words for p in self.parts if p.points > 0 or p.criterion == "language")


# ------------------------------------------------------------------------------------------ time zones


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def reference_monday(now: datetime | None = None) -> datetime:
    """Monday 00:00 UTC of the week holding ``now``: the one week in which everybody's hours are compared, so
    that daylight saving is applied as it stands that week in each zone."""
    now = (now or timezone.now()).astimezone(UTC)
    day = now.date() - timedelta(days=now.weekday())
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


@lru_cache(maxsize=4096)
def _window_utc(zone: str, weekday: int, start: int, end: int, monday: datetime) -> tuple[tuple[int, int], ...]:
    """A local weekly window as minutes of the reference week in UTC, split where it wraps round the week."""
    tz = _zone(zone)
    base = datetime(monday.year, monday.month, monday.day, tzinfo=tz) + timedelta(days=weekday)
    # Wall-clock arithmetic on an aware datetime keeps the local time; astimezone then applies that
    # moment's offset, so a window after a daylight-saving change moves with it.
    a = int(((base + timedelta(minutes=start)).astimezone(UTC) - monday).total_seconds() // 60)
    b = int(((base + timedelta(minutes=end)).astimezone(UTC) - monday).total_seconds() // 60)
    length = min(b - a, WEEK)
    a %= WEEK
    if a + length <= WEEK:
        return ((a, a + length),)
    return ((a, WEEK), (0, a + length - WEEK))


def weekly_utc(zone: str, availability: Iterable, monday: datetime) -> list[tuple[int, int]]:
    """A person's weekly windows in their zone as merged UTC intervals of minutes in the reference week."""
    spans = []
    for window in availability or ():
        try:
            weekday, start, end = (int(x) for x in window)
        except (TypeError, ValueError):
            continue
        start, end = max(0, start), min(24 * 60, end)
        if not 0 <= weekday <= 6 or end <= start:
            continue
        spans.extend(_window_utc(zone, weekday, start, end, monday))
    spans.sort()
    merged: list[list[int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


def overlap_minutes(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> int:
    """Minutes in both lists of sorted, disjoint intervals."""
    i = j = total = 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if hi > lo:
            total += hi - lo
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return total


def hours_words(minutes: int) -> str:
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


# ------------------------------------------------------------------------------------------ loading


def _base_language(code: str) -> str:
    return str(code).strip().split("-")[0].split("_")[0].lower()


def _features(row: dict, skills: tuple) -> Features:
    return Features(
        application=row["id"],
        person=row["person_id"],
        side=row["side"],
        name=row["person__display_name"]
        or f"{row['person__first_name']} {row['person__last_name']}".strip()
        or row["person__username"],
        capacity=int(row["capacity"] or 0),
        time_zone=row["time_zone"] or "UTC",
        availability=tuple(tuple(w) for w in (row["availability"] or ()) if isinstance(w, list | tuple)),
        languages=frozenset(_base_language(c) for c in (row["languages"] or ()) if str(c).strip()),
        formats=frozenset(f for f in (row["formats"] or ()) if f in FORMAT_CODES),
        seniority=min(max(int(row["seniority"] or 1), 1), SENIORITY_LEVELS - 1),
        site_preference=row["site_preference"],
        wants_more_senior=bool(row["wants_more_senior"]),
        goals=row["goals"] or "",
        interests=row["person__interests"] or "",
        skills=skills,
        site=row["person__site_id"],
        site_name=row["person__site__name"] or "",
        department=row["person__department"] or "",
    )


@dataclass
class Pool:
    """Everything a programme's matching reads, loaded in a fixed number of queries."""

    programme: Programme
    mentees: list[Features]
    mentors: list[Features]
    skill_names: dict[int, str]
    skill_parents: dict[int, int | None]
    live: set[tuple[int, int]]  # (mentor person, mentee person) of requested and active pairs
    live_as_mentor: Counter  # person → live pairs they mentor in this programme
    live_as_mentee: Counter
    texts: dict[int, str]  # every open application's goals and interests, for the TF-IDF fit

    def room(self, mentor: Features) -> int:
        """Mentees a mentor can still take: their capacity (within the programme's limit) less their live pairs."""
        return max(0, min(mentor.capacity, self.programme.max_capacity) - self.live_as_mentor[mentor.person])


def load_pool(programme: Programme, *, mentee: int | None = None) -> Pool:
    """Every open application of the programme with its skills, the taxonomy around those skills, and the
    programme's live pairs: 4–8 queries whatever the number of applications.

    With ``mentee`` (an application id), only that mentee and the mentors are read in full, and everybody's
    goals and interests for the TF-IDF fit: what one mentee's suggestions need."""
    lookups = [lookup for name, paths in SOURCES.items() if name != "skills" for lookup in paths]
    applications = Application.objects.filter(programme=programme, state=Application.State.OPEN)
    read = applications if mentee is None else applications.filter(Q(side=Application.Side.MENTOR) | Q(pk=mentee))
    rows = list(read.order_by("pk").values(*lookups))
    skill_lookups = [path.split("__", 1)[1] for path in SOURCES["skills"]]
    by_app: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for app_id, skill_id, level in ApplicationSkill.objects.filter(application__in=read.values("pk")).values_list(
        "application_id", *skill_lookups
    ):
        by_app[app_id].append((skill_id, max(1, int(level or 1))))
    names: dict[int, str] = {}
    parents: dict[int, int | None] = {}
    wanted = {skill for skills in by_app.values() for skill, _ in skills}
    for _ in range(SKILL_STEPS + 1):
        wanted -= set(parents)
        if not wanted:
            break
        for pk, parent, name in Skill.objects.filter(pk__in=wanted).values_list("id", "parent_id", "name"):
            names[pk], parents[pk] = name, parent
        wanted = {p for p in parents.values() if p is not None}
    live = set(
        Match.objects.filter(programme=programme, state__in=[Match.State.REQUESTED, Match.State.ACTIVE]).values_list(
            "mentor_id", "mentee_id"
        )
    )
    mentees, mentors = [], []
    for row in rows:
        features = _features(row, tuple(sorted(by_app.get(row["id"], ()))))
        (mentors if features.side == Application.Side.MENTOR else mentees).append(features)
    if mentee is None:
        texts = {f.application: f.text for f in sorted(mentees + mentors, key=lambda f: f.application)}
    else:
        text_lookups = (*SOURCES["goals"], *SOURCES["interests"])
        texts = {
            pk: f"{goals or ''}\n{interests or ''}"
            for pk, goals, interests in applications.order_by("pk").values_list("id", *text_lookups)
        }
    return Pool(
        programme=programme,
        mentees=mentees,
        mentors=mentors,
        skill_names=names,
        skill_parents=parents,
        live=live,
        live_as_mentor=Counter(m for m, _ in live),
        live_as_mentee=Counter(e for _, e in live),
        texts=texts,
    )


# ------------------------------------------------------------------------------------------ scoring


def _ancestors(skill: int, parents: dict[int, int | None]) -> list[tuple[int, int]]:
    """(ancestor, steps) up to ``SKILL_STEPS`` steps above a skill."""
    out, node, steps = [], parents.get(skill), 1
    while node is not None and steps <= SKILL_STEPS:
        out.append((node, steps))
        node, steps = parents.get(node), steps + 1
    return out


@lru_cache(maxsize=1024)
def _language_list(codes: frozenset[str]) -> str:
    names = sorted(language_name(code) for code in codes)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _name_list(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


_FITTED: OrderedDict[tuple, tuple] = OrderedDict()
FITTED_KEPT = 8


def _fitted_text(programme: int | None, texts: dict[int, str]) -> tuple:
    """The TF-IDF model of a programme's texts and every text's row, kept (per process) for as long as not a
    word of any application changed: a mentee's suggestions then skip the fit."""
    digest = hashlib.blake2b(digest_size=16)
    for app, text in texts.items():
        digest.update(f"{app}\x00{text}\x01".encode())
    key = (programme, digest.hexdigest())
    if key in _FITTED:
        _FITTED.move_to_end(key)
        return _FITTED[key]
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True, dtype=np.float64)
    try:
        matrix = vectorizer.fit_transform(list(texts.values())).tocsr()
        terms = vectorizer.get_feature_names_out()
    except ValueError:  # nothing but stop words, or no text at all
        vectorizer, matrix, terms = None, sparse.csr_matrix((len(texts), 1)), np.array([])
    _FITTED[key] = (vectorizer, matrix, terms)
    while len(_FITTED) > FITTED_KEPT:
        _FITTED.popitem(last=False)
    return _FITTED[key]


class Scorer:
    """Scores mentees against mentors, a block of mentees at a time (vectorised) or one pair (with words).

    Both ways compute the same numbers: ``tests/test_matching.py`` checks that they agree to 1e-9.
    """

    def __init__(self, pool: Pool, *, now: datetime | None = None):
        self.pool = pool
        self.weights = effective_weights(pool.programme)
        self.monday = reference_monday(now)
        self.mentees, self.mentors = pool.mentees, pool.mentors
        self.row_of = {f.application: i for i, f in enumerate(self.mentees)}
        self.col_of = {f.application: j for j, f in enumerate(self.mentors)}
        self._affinity_cache: dict[tuple[int, int], tuple[float, str]] = {}
        self._mentor_terms: dict[int, dict[int, float]] = {}
        self._ancestor_cache: dict[int, list[tuple[int, int]]] = {}
        self.room = np.array([pool.room(f) for f in self.mentors], dtype=np.int64)
        self.active = np.nonzero(self.room > 0)[0]  # only mentors with room are scored: the columns of a block
        self._fit_text()
        self._build_matrices()

    # -- text

    def _fit_text(self) -> None:
        # Fitted on every open application of the programme, whoever is being scored now, so that a word's
        # weight is the same in a mentee's suggestions and in the curator's run.
        texts = self.pool.texts
        self.vectorizer, matrix, self.terms = _fitted_text(self.pool.programme.pk, texts)
        row = {app: i for i, app in enumerate(texts)}
        self.text_mentees = matrix[[row[f.application] for f in self.mentees]]
        self.text_mentors = matrix[[row[f.application] for f in self.mentors]]
        self.text_mentees.sort_indices()
        self.text_mentors.sort_indices()
        # Mentors' vectors as a dense column block when it is small enough: sparse × dense is much faster.
        scored = self.text_mentors[self.active] * self.weights["goals"]
        cells = scored.shape[0] * scored.shape[1]
        self.text_mentors_t = scored.T.toarray() if cells <= 40_000_000 else scored.T.tocsr()

    # -- skills

    def ancestors(self, skill: int) -> list[tuple[int, int]]:
        found = self._ancestor_cache.get(skill)
        if found is None:
            found = self._ancestor_cache[skill] = _ancestors(skill, self.pool.skill_parents)
        return found

    def affinity(self, wanted: int, taught: int) -> tuple[float, str]:
        """How far a taught skill goes towards a wanted one: 1 for the same, 0.5 per step broader or narrower."""
        key = (wanted, taught)
        if key not in self._affinity_cache:
            found = (0.0, "")
            if wanted == taught:
                found = (1.0, "same")
            else:
                for node, steps in self.ancestors(wanted):
                    if node == taught:
                        found = (SKILL_STEP**steps, "broader")
                        break
                else:
                    for node, steps in self.ancestors(taught):
                        if node == wanted:
                            found = (SKILL_STEP**steps, "narrower")
                            break
            self._affinity_cache[key] = found
        return self._affinity_cache[key]

    def _skill_credit(self, wanted: int, level: int, taught: Sequence[tuple[int, int]]) -> tuple[float, int, str]:
        """The best credit any taught skill gives one wanted skill, with the skill and how it relates."""
        best, best_skill, best_kind = 0.0, 0, ""
        for skill, taught_level in taught:
            aff, kind = self.affinity(wanted, skill)
            if aff:
                credit = aff * min(1.0, taught_level / level)
                if credit > best:
                    best, best_skill, best_kind = credit, skill, kind
        return best, best_skill, best_kind

    # -- matrices

    def _build_matrices(self) -> None:
        mentees, mentors, w = self.mentees, self.mentors, self.weights
        n_e, n_m = len(mentees), len(mentors)
        active = [mentors[j] for j in self.active]
        n_a = len(active)

        # Languages: mentees who speak the same languages share one row of "which mentors speak one of them".
        codes = sorted({c for f in mentees + mentors for c in f.languages})
        code = {c: k for k, c in enumerate(codes)}
        speaks_m = np.zeros((n_m, max(1, len(codes))), dtype=bool)
        for j, f in enumerate(mentors):
            speaks_m[j, [code[c] for c in f.languages]] = True
        sets: dict[frozenset, int] = {}
        self.lang_key = np.array([sets.setdefault(f.languages, len(sets)) for f in mentees], dtype=np.int64)
        shared = np.zeros((max(1, len(sets)), n_m), dtype=bool)
        for languages, k in sets.items():
            if languages:
                shared[k] = speaks_m[:, [code[c] for c in languages]].any(axis=1)
        self.speakers = shared.sum(axis=1)  # mentors (with room or not) who share a language with the row's mentees
        self.lang_ok = shared[:, self.active]

        # A person on both sides, and live pairs: the few (mentee, mentor) positions ruled out one by one.
        rows_of_person = defaultdict(list)
        for i, f in enumerate(mentees):
            rows_of_person[f.person].append(i)
        column = {int(j): c for c, j in enumerate(self.active)}
        self.self_speaker = np.zeros(n_e, dtype=np.int64)  # 1 where the mentee is also a mentor speaking their language
        live_mentees = defaultdict(list)
        for mentor_person, mentee_person in self.pool.live:
            live_mentees[mentor_person].append(mentee_person)
        ruled_out = set()
        for j, f in enumerate(mentors):
            for i in rows_of_person.get(f.person, ()):
                self.self_speaker[i] += int(shared[self.lang_key[i], j])
                if j in column:
                    ruled_out.add((i, column[j]))
            if j in column:
                for mentee_person in live_mentees.get(f.person, ()):
                    ruled_out.update((i, column[j]) for i in rows_of_person.get(mentee_person, ()))
        self.ruled_out = defaultdict(list)
        for i, c in ruled_out:
            self.ruled_out[i].append(c)

        # Ways of meeting, seniority and site depend on a few answers of the mentee: one row of points against
        # every mentor with room for each combination of those answers that occurs.
        fmt_m = np.zeros((n_a, len(FORMAT_CODES)), dtype=bool)
        for c, f in enumerate(active):
            fmt_m[c] = [(code_ in f.formats) or not f.formats for code_ in FORMAT_CODES]
        sen_m = np.array([f.seniority for f in active], dtype=np.int64)
        site_m = np.array([f.site if f.site is not None else -1 for f in active], dtype=np.int64)
        combos: dict[tuple, int] = {}
        keys = []
        for f in mentees:
            pref = f.site_preference if f.site_preference in ("same", "other") else "any"
            combo = (f.formats, f.wants_more_senior, f.seniority, pref, f.site if pref != "any" else None)
            keys.append(combos.setdefault(combo, len(combos)))
        self.fixed_key = np.array(keys, dtype=np.int64)
        self.fixed = np.zeros((max(1, len(combos)), n_a))
        for (formats, wants, seniority, pref, site), k in combos.items():
            wanted = [FORMAT_CODES.index(c) for c in formats] if formats else list(range(len(FORMAT_CODES)))
            row = w["format"] * fmt_m[:, wanted].any(axis=1)
            row = row + w["seniority"] * SENIORITY_TABLE[int(wants), seniority][sen_m]
            if pref == "any":
                row = row + w["site"]
            elif site is not None:
                known = site_m >= 0
                row = row + w["site"] * (known & ((site_m == site) if pref == "same" else (site_m != site)))
            self.fixed[k] = row

        # Hours: each person's weekly UTC intervals, cut at every boundary anybody has, as 0/1 over the pieces.
        weekly: dict[tuple, list[tuple[int, int]]] = {}

        def week_of(f: Features) -> list[tuple[int, int]]:
            key = (f.time_zone, f.availability)
            if key not in weekly:
                weekly[key] = weekly_utc(f.time_zone, f.availability, self.monday)
            return weekly[key]

        self.weekly_e = [week_of(f) for f in mentees]
        self.weekly_m = [week_of(f) for f in mentors]
        cuts = sorted({0, WEEK} | {x for spans in weekly.values() for span in spans for x in span})
        cut_index = {x: k for k, x in enumerate(cuts)}
        lengths = np.diff(np.array(cuts, dtype=np.float32))

        def pieces(all_spans):
            out = np.zeros((len(all_spans), max(1, len(lengths))), dtype=np.float32)
            for i, spans in enumerate(all_spans):
                for a, b in spans:
                    out[i, cut_index[a] : cut_index[b]] = 1
            return out

        # float32 holds whole minutes of a week exactly, so the overlap is exact and the product is fast.
        self.hours_e = pieces(self.weekly_e)
        self.hours_m = (pieces([self.weekly_m[j] for j in self.active]) * (lengths if len(lengths) else 1)).T.copy()
        self.hours_factor = np.float64(w["hours"] / HOURS_FULL)

        # Skills: the credit each mentor gives each wanted skill, for each level it is wanted at; a mentee's row
        # holds 1/(number of skills they want) at (level, skill), so one product gives the mean credit.
        wanted_skills = sorted({s for f in mentees for s, _ in f.skills})
        levels = sorted({lvl for f in mentees for _, lvl in f.skills})
        col = {(lvl, s): k for k, (lvl, s) in enumerate((lvl, s) for lvl in levels for s in wanted_skills)}
        wanted_col = {s: k for k, s in enumerate(wanted_skills)}
        # Wanted skills below each skill in the taxonomy (a mentor teaching the broader one helps with them).
        below: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for s in wanted_skills:
            for a, steps in self.ancestors(s):
                below[a].append((s, steps))
        # For each skill a mentor teaches, at each level: the (column, credit) it gives, worked out once.
        gives: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}
        cells, values, columns = [], [], []
        for c, f in enumerate(active):
            for taught, taught_level in f.skills:
                key = (taught, taught_level)
                if key not in gives:
                    near = [(taught, 1.0)]
                    near += [(a, SKILL_STEP**steps) for a, steps in self.ancestors(taught)]
                    near += [(s, SKILL_STEP**steps) for s, steps in below.get(taught, ())]
                    pairs = [
                        (col[(level, s)], aff * min(1.0, taught_level / level))
                        for s, aff in near
                        if s in wanted_col
                        for level in levels
                    ]
                    gives[key] = (np.array([p[0] for p in pairs], dtype=np.int64), np.array([p[1] for p in pairs]))
                where, credit_values = gives[key]
                cells.append(where)
                values.append(credit_values)
                columns.append(np.full(len(where), c, dtype=np.int64))
        rows, cols, vals = [], [], []
        for i, f in enumerate(mentees):
            for s, lvl in f.skills:
                rows.append(i)
                cols.append(col[(lvl, s)])
                vals.append(1.0 / len(f.skills))
        self.skill_e = sparse.csr_matrix((vals, (rows, cols)), shape=(n_e, len(col)))
        credit = np.zeros((len(col), n_a))
        if cells:
            # The best credit any taught skill gives: a maximum, not a sum, where two of them reach one wanted skill.
            np.maximum.at(credit, (np.concatenate(cells), np.concatenate(columns)), np.concatenate(values))
        self.skill_m = w["skills"] * credit

    def block(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Scores of the mentees at ``rows`` against every mentor with room (the columns are ``self.active``),
        −inf where a hard constraint fails, and the mask of the pairs that may be made."""
        score = self.fixed[self.fixed_key[rows]]
        if self.skill_e.shape[1]:
            score += self.skill_e[rows] @ self.skill_m
        if self.vectorizer is not None:
            text = self.text_mentees[rows] @ self.text_mentors_t
            score += text.toarray() if sparse.issparse(text) else text
        minutes = self.hours_e[rows] @ self.hours_m
        np.minimum(minutes, HOURS_FULL, out=minutes)
        score += minutes * self.hours_factor
        feasible = self.lang_ok[self.lang_key[rows]]
        for k, i in enumerate(rows):
            if i in self.ruled_out:
                feasible[k, self.ruled_out[i]] = False
        np.putmask(score, ~feasible, -np.inf)
        return score, feasible

    # -- one pair, with words

    def refusals(self, e: Features, m: Features) -> list[str]:
        """The hard constraints a pair fails, in words (empty when it may be made)."""
        out = []
        if e.person == m.person:
            out.append("a person cannot mentor themselves")
        if not e.languages & m.languages:
            out.append(
                f"{m.name} and {e.name} share no language"
                if e.languages and m.languages
                else f"{e.name if not e.languages else m.name} named no language"
            )
        if self.pool.room(m) <= 0:
            out.append(f"{m.name} has no room for another mentee")
        if (m.person, e.person) in self.pool.live:
            out.append(f"{m.name} and {e.name} are already a pair or a request in this programme")
        return out

    def parts(self, e: Features, m: Features) -> list[Part]:
        """The score's parts for one pair, said to the mentee ("you") about the mentor (by name)."""
        w, name = self.weights, m.name
        parts = []
        shared = e.languages & m.languages
        parts.append(
            Part("language", 0.0, f"you both speak {_language_list(shared)}" if shared else "no shared language")
        )
        parts.append(self._skills_part(e, m))
        parts.append(self._goals_part(e, m))
        minutes = overlap_minutes(self.weekly_e[self.row_of[e.application]], self.weekly_m[self.col_of[m.application]])
        if not e.availability or not m.availability:
            hours_text = f"{'you' if not e.availability else name} gave no weekly hours"
        elif minutes:
            hours_text = f"{hours_words(minutes)} overlap a week in your working hours"
        else:
            hours_text = f"your working hours and {name}'s do not overlap"
        parts.append(Part("hours", w["hours"] * min(1.0, minutes / HOURS_FULL), hours_text))
        formats_e = e.formats or frozenset(FORMAT_CODES)
        formats_m = m.formats or frozenset(FORMAT_CODES)
        common = [FORMAT_WORDS[c] for c in FORMAT_CODES if c in formats_e & formats_m]
        parts.append(
            Part(
                "format",
                w["format"] * (1.0 if common else 0.0),
                f"you can both meet {_name_list(common)}" if common else "no way of meeting you both use",
            )
        )
        fit = seniority_fit(e.seniority, m.seniority, e.wants_more_senior)
        gap = m.seniority - e.seniority
        if gap > 0:
            sen_text = f"{name} is {gap} step{'s' if gap > 1 else ''} more senior"
        elif gap == 0:
            sen_text = f"{name} is as senior as you"
        else:
            sen_text = f"{name} is {-gap} step{'s' if gap < -1 else ''} less senior than you"
        if e.wants_more_senior and 1 <= gap <= 2:
            sen_text += ", as you asked"
        elif e.wants_more_senior and gap <= 0:
            sen_text += " (you asked for someone more senior)"
        parts.append(Part("seniority", w["seniority"] * fit, sen_text))
        parts.append(self._site_part(e, m))
        return parts

    def _skills_part(self, e: Features, m: Features) -> Part:
        if not e.skills:
            return Part("skills", 0.0, "you named no skills to learn")
        total, full, partial, low = 0.0, [], [], []
        names = self.pool.skill_names
        for skill, level in e.skills:
            credit, taught, kind = self._skill_credit(skill, level, m.skills)
            total += credit / len(e.skills)
            if kind == "same":
                full.append(names.get(skill, "a skill"))
                if credit < 1:
                    low.append(names.get(skill, "a skill"))
            elif kind:
                relation = "broader than" if kind == "broader" else "a part of"
                partial.append(f"{names.get(taught, 'a skill')}, {relation} your {names.get(skill, 'skill')}")
        n = len(e.skills)
        if not full:
            words = (
                f"{m.name} does not teach your goal skill"
                if n == 1
                else f"{m.name} teaches none of your {n} goal skills"
            )
        elif len(full) == n:
            which = "your goal skill" if n == 1 else f"all {n} of your goal skills"
            words = f"{m.name} teaches {which} ({_name_list(full)})"
        else:
            words = f"{m.name} teaches {len(full)} of your {n} goal skills ({_name_list(full)})"
        if partial:
            words += f"{' and' if full else ', but'} something close: {'; '.join(partial)}"
        if low:
            words += f"; {_name_list(low)} below the level you want"
        return Part("skills", self.weights["skills"] * total, words)

    def _goals_part(self, e: Features, m: Features) -> Part:
        if self.vectorizer is None:
            return Part("goals", 0.0, "no goals or interests written to compare")
        # From the sparse rows' arrays as plain lists: slicing a scipy matrix per pair costs a hundred times more.
        i, j = self.row_of[e.application], self.col_of[m.application]
        theirs = self._mentor_terms.get(j)
        if theirs is None:
            y = self.text_mentors
            lo, hi = y.indptr[j], y.indptr[j + 1]
            theirs = self._mentor_terms[j] = dict(zip(y.indices[lo:hi].tolist(), y.data[lo:hi].tolist(), strict=True))
        x = self.text_mentees
        lo, hi = x.indptr[i], x.indptr[i + 1]
        shared = [
            (weight * theirs[term], term)
            for term, weight in zip(x.indices[lo:hi].tolist(), x.data[lo:hi].tolist(), strict=True)
            if term in theirs
        ]
        similarity = sum(product for product, _ in shared)
        top = [str(self.terms[term]) for _, term in sorted(shared, key=lambda pt: (-pt[0], pt[1]))[:3]]
        if top:
            words = f"your goals and what {m.name} offers share {_name_list([f'“{t}”' for t in top])}"
        else:
            words = f"your goals and what {m.name} offers have no words in common"
        return Part("goals", self.weights["goals"] * similarity, words)

    def _site_part(self, e: Features, m: Features) -> Part:
        weight, pref = self.weights["site"], e.site_preference
        if pref == Application.SitePreference.SAME:
            if e.site is not None and e.site == m.site:
                return Part("site", weight, f"{m.name} works at your site ({m.site_name}), as you asked")
            if m.site is None or e.site is None:
                return Part("site", 0.0, "you asked for someone at your site; whether they are is not known")
            return Part("site", 0.0, f"{m.name} works at another site ({m.site_name}); you asked for your own")
        if pref == Application.SitePreference.OTHER:
            if e.site is not None and m.site is not None and e.site != m.site:
                return Part("site", weight, f"{m.name} works at another site ({m.site_name}), as you asked")
            if m.site is None or e.site is None:
                return Part("site", 0.0, "you asked for someone at another site; whether they are is not known")
            return Part("site", 0.0, f"{m.name} works at your own site; you asked for another")
        return Part(
            "site", weight, "no site preference" + (f"; {m.name} works at {m.site_name}" if m.site_name else "")
        )

    def suggestion(self, e: Features, m: Features, application: Application | None = None) -> Suggestion:
        parts = self.parts(e, m)
        return Suggestion(
            mentor_application=application,
            score=sum(p.points for p in parts),
            parts=parts,
            reasons_excluded=self.refusals(e, m),
            mentee=e,
            mentor=m,
        )


# ------------------------------------------------------------------------------------------ one mentee


def _mentee_features(pool: Pool, application: Application) -> Features | None:
    return next((f for f in pool.mentees if f.application == application.pk), None)


def suggestions(mentee_application: Application, *, limit: int = 10, now: datetime | None = None) -> list[Suggestion]:
    """The mentors of the mentee's programme who pass every hard constraint, best first, each explained.
    An application that is not an open mentee's gets none."""
    if mentee_application.side != Application.Side.MENTEE or mentee_application.state != Application.State.OPEN:
        return []
    pool = load_pool(mentee_application.programme, mentee=mentee_application.pk)
    e = _mentee_features(pool, mentee_application)
    if e is None or not pool.mentors:
        return []
    scorer = Scorer(pool, now=now)
    score, feasible = scorer.block(np.array([0]))
    order = [c for c in np.argsort(-score[0], kind="stable") if feasible[0, c]][:limit]
    chosen = [scorer.mentors[scorer.active[c]] for c in order]
    apps = Application.objects.select_related("person").in_bulk([f.application for f in chosen])
    return [scorer.suggestion(e, m, apps[m.application]) for m in chosen]


def explain_pair(
    mentee_application: Application,
    mentor_application: Application,
    *,
    allow_excluded: bool = False,
    now: datetime | None = None,
) -> Suggestion | None:
    """The score of one mentee with one mentor, part by part. None when a hard constraint fails, unless
    ``allow_excluded``: then the suggestion comes back with ``reasons_excluded`` saying which."""
    if (
        mentee_application.programme_id != mentor_application.programme_id
        or mentee_application.side != Application.Side.MENTEE
        or mentor_application.side != Application.Side.MENTOR
    ):
        return None
    pool = load_pool(mentee_application.programme, mentee=mentee_application.pk)
    e = _mentee_features(pool, mentee_application)
    m = next((f for f in pool.mentors if f.application == mentor_application.pk), None)
    if e is None or m is None:  # one of them withdrew
        return None
    pool.mentees, pool.mentors = [e], [m]
    suggestion = Scorer(pool, now=now).suggestion(e, m, mentor_application)
    if suggestion.reasons_excluded and not allow_excluded:
        return None
    return suggestion


# ------------------------------------------------------------------------------------------ whole programmes


@dataclass
class Pair:
    """A mentee and a mentor the bulk assignment put together, with the explained score."""

    mentee: Features
    mentor: Features
    suggestion: Suggestion

    @property
    def score(self) -> float:
        return self.suggestion.score


@dataclass
class BulkResult:
    """A whole programme's assignment: the pairs, the mentees left over with the reason, and how long each
    stage took."""

    programme: Programme
    pairs: list[Pair]
    unmatched: dict[int, str]  # mentee application id → reason in words
    mentees: list[Features]
    mentors: list[Features]
    already_paired: list[Features]  # mentees with a live pair or request in the programme: not matched again
    rooms: dict[int, int]  # mentor application id → mentees they had room for before this run
    total_score: float
    optimum_on_candidates: float  # the solver's own total (its matrix scores); equals total_score to 1e-6
    timings: dict[str, float]  # seconds each stage took
    cpu_timings: dict[str, float]  # processor seconds of each stage after loading (all threads)
    k: int
    candidate_edges: int

    @property
    def matched(self) -> int:
        return len(self.pairs)


def solve_assignment(candidates: np.ndarray, scores: np.ndarray, rooms: np.ndarray) -> tuple[np.ndarray, float]:
    """The exact maximum-score assignment of mentees to mentors with room, on a candidate graph.

    ``candidates`` and ``scores`` are mentees × K (mentor column, or −1 for no candidate; the pair's score,
    at least 0); ``rooms`` is each mentor's room. Each mentor becomes ``min(room, number of mentees naming
    them)`` interchangeable slots and every vertex of the smaller side gets a private "stays unmatched" vertex
    of cost C, each real edge costing C − score: then a minimum-cost full matching is a maximum-score
    matching in which anyone may stay unmatched. Returns each mentee's mentor column (−1 for none) and the total.
    """
    n_e = candidates.shape[0]
    assigned = np.full(n_e, -1, dtype=np.int64)
    valid = candidates >= 0
    if not valid.any():
        return assigned, 0.0
    rows = np.nonzero(valid)[0]
    cols = candidates[valid]
    vals = scores[valid]
    demand = np.bincount(cols, minlength=len(rooms))
    slots = np.minimum(rooms, demand)
    first_slot = np.concatenate([[0], np.cumsum(slots)])
    n_slots = int(first_slot[-1])
    reps = slots[cols]
    keep = reps > 0
    rows, cols, vals, reps = rows[keep], cols[keep], vals[keep], reps[keep]
    if not len(rows):
        return assigned, 0.0
    total = int(reps.sum())
    offsets = np.arange(total) - np.repeat(np.cumsum(reps) - reps, reps)
    edge_rows = np.repeat(rows, reps)
    edge_slots = np.repeat(first_slot[cols], reps) + offsets
    ceiling = float(vals.max()) + 1.0
    edge_cost = ceiling - np.repeat(vals, reps)
    # The solver wants the smaller side as rows; each row gets its own "unmatched" column.
    mentees_as_rows = n_e <= n_slots
    if mentees_as_rows:
        r, c, n_rows, n_cols = edge_rows, edge_slots, n_e, n_slots
    else:
        r, c, n_rows, n_cols = edge_slots, edge_rows, n_slots, n_e
    graph = sparse.csr_matrix(
        (
            np.concatenate([edge_cost, np.full(n_rows, ceiling)]),
            (np.concatenate([r, np.arange(n_rows)]), np.concatenate([c, n_cols + np.arange(n_rows)])),
        ),
        shape=(n_rows, n_cols + n_rows),
    )
    _, matched_col = min_weight_full_bipartite_matching(graph)
    slot_owner = np.repeat(np.arange(len(rooms)), slots)
    if mentees_as_rows:
        real = matched_col < n_cols
        assigned[real] = slot_owner[matched_col[real]]
    else:
        real = np.nonzero(matched_col < n_cols)[0]
        assigned[matched_col[real]] = slot_owner[real]
    # A pair worth exactly nothing is as good as none to the solver; make it anyway where there is room.
    used = np.bincount(assigned[assigned >= 0], minlength=len(rooms))
    left = (assigned < 0) & (valid & ((rooms - used)[np.maximum(candidates, 0)] > 0)).any(axis=1)
    for i in np.nonzero(left)[0]:
        for j in candidates[i]:
            if j >= 0 and used[j] < rooms[j]:
                assigned[i] = j
                used[j] += 1
                break
    chosen = candidates == assigned[:, None]
    return assigned, float((scores * (chosen & valid)).sum())


def _unmatched_reason(e: Features, speaking: int, open_: int, candidates: int) -> str:
    if not e.languages:
        return "named no language"
    langs = _language_list(e.languages).replace(" and ", " or ")
    if speaking == 0:
        return f"no mentor speaks {langs}"
    if open_ == 0:
        return f"every mentor who speaks {langs} is full"
    if candidates == 1:
        return "no candidate left after capacities: the one mentor who suits them went to another mentee"
    return f"no candidate left after capacities: the {candidates} mentors who suit them best went to other mentees"


def bulk_match(source: Programme | Iterable[Application], *, k: int = TOP_K, now: datetime | None = None) -> BulkResult:
    """Match a whole programme (or some of its applications): the capacity-respecting assignment of greatest
    total score among each mentee's best ``k`` mentors, every pair explained, every mentee left over given
    a reason. Mentees already in a live pair or request of the programme are left out."""
    started, cpu_started = time.perf_counter(), time.process_time()
    if isinstance(source, Programme):
        programme, only = source, None
    else:
        applications = list(source)
        if not applications:
            raise ValueError("No applications to match.")
        programme, only = applications[0].programme, {a.pk for a in applications}
    pool = load_pool(programme)
    if only is not None:
        pool.mentees = [f for f in pool.mentees if f.application in only]
        pool.mentors = [f for f in pool.mentors if f.application in only]
    result = match_pool(pool, k=k, now=now, loaded_in=time.perf_counter() - started)
    result.cpu_timings = {
        "load": time.process_time() - cpu_started - sum(result.cpu_timings.values()),
        **result.cpu_timings,
    }
    return result


def match_pool(pool: Pool, *, k: int = TOP_K, now: datetime | None = None, loaded_in: float = 0.0) -> BulkResult:
    """``bulk_match`` on a pool already loaded (or made in memory)."""
    timings: dict[str, float] = {"load": loaded_in}
    cpu: dict[str, float] = {}
    clock, cpu_clock = time.perf_counter(), time.process_time()

    def lap(name: str) -> None:
        nonlocal clock, cpu_clock
        timings[name] = time.perf_counter() - clock
        cpu[name] = time.process_time() - cpu_clock
        clock, cpu_clock = time.perf_counter(), time.process_time()

    already = [f for f in pool.mentees if pool.live_as_mentee[f.person]]
    pool.mentees = [f for f in pool.mentees if not pool.live_as_mentee[f.person]]
    scorer = Scorer(pool, now=now)
    lap("features")
    n_e, n_a = len(scorer.mentees), len(scorer.active)
    k_eff = max(1, min(k, n_a))
    candidates = np.full((n_e, k_eff), -1, dtype=np.int64)  # columns of scorer.active
    cand_scores = np.zeros((n_e, k_eff))
    open_ = np.zeros(n_e, dtype=np.int64)
    if n_a:
        for start in range(0, n_e, BLOCK):
            rows = np.arange(start, min(n_e, start + BLOCK))
            score, feasible = scorer.block(rows)
            open_[rows] = feasible.sum(axis=1)
            if k_eff < n_a:
                top = np.argpartition(score, n_a - k_eff, axis=1)[:, n_a - k_eff :]
            else:
                top = np.tile(np.arange(n_a), (len(rows), 1))
            top_scores = np.take_along_axis(score, top, axis=1)
            ok = np.isfinite(top_scores)
            candidates[rows] = np.where(ok, top, -1)
            cand_scores[rows] = np.where(ok, np.maximum(top_scores, 0.0), 0.0)
    speaking = scorer.speakers[scorer.lang_key] - scorer.self_speaker if n_e else np.zeros(0, dtype=np.int64)
    lap("score")
    assigned_column, optimum = solve_assignment(candidates, cand_scores, scorer.room[scorer.active])
    assigned = (
        np.where(assigned_column >= 0, scorer.active[np.maximum(assigned_column, 0)], -1) if n_a else assigned_column
    )
    lap("assign")
    pairs, unmatched = [], {}
    for i, e in enumerate(scorer.mentees):
        j = assigned[i]
        if j >= 0:
            m = scorer.mentors[j]
            pairs.append(Pair(mentee=e, mentor=m, suggestion=scorer.suggestion(e, m)))
        else:
            unmatched[e.application] = _unmatched_reason(
                e, int(speaking[i]), int(open_[i]), int((candidates[i] >= 0).sum())
            )
    lap("explain")
    return BulkResult(
        programme=pool.programme,
        pairs=pairs,
        unmatched=unmatched,
        mentees=scorer.mentees,
        mentors=scorer.mentors,
        already_paired=already,
        rooms={f.application: int(r) for f, r in zip(scorer.mentors, scorer.room, strict=True)},
        total_score=sum(p.score for p in pairs),
        optimum_on_candidates=optimum,
        timings=timings,
        cpu_timings=cpu,
        k=k_eff,
        candidate_edges=int((candidates >= 0).sum()),
    )


def score_matrix(pool: Pool, *, now: datetime | None = None) -> tuple[Scorer, np.ndarray]:
    """Every mentee against every mentor (−inf where a hard constraint fails): for checks and benchmarks."""
    scorer = Scorer(pool, now=now)
    if not scorer.mentees or not scorer.mentors:
        return scorer, np.zeros((len(scorer.mentees), len(scorer.mentors)))
    matrix = np.full((len(scorer.mentees), len(scorer.mentors)), -np.inf)
    if len(scorer.active):
        for start in range(0, len(scorer.mentees), BLOCK):
            rows = np.arange(start, min(len(scorer.mentees), start + BLOCK))
            matrix[rows[:, None], scorer.active[None, :]] = scorer.block(rows)[0]
    return scorer, matrix
