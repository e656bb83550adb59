"""A curator's whole-programme match: a preview run of draft pairs (``mentoring.matching.bulk_match``), edited by
hand, then published — each pair started and both people told, either of whom may then decline — or discarded.

A run holds thousands of pairs, so its writes are bulk: publishing writes the rows ``mentoring.pairs.start_pair``
writes for one pair, and the MATCHED activity ``core.services.record_activity`` writes for one person, a few
statements per 500 rows, with the notifications' fan-out queued a task per 200 activities (bench/RESULTS.md has
the figures; ``tests/test_runs.py`` keeps a published pair identical to one ``start_pair`` starts).

A run's ``stats`` hold what the preview page shows: pairs matched, mentees left over and why, the total and
the distribution of scores, the fairness report (match rate and mean score by site, department and seniority),
and the seconds each stage took::

    matched, unmatched_count, mentees, mentors, mentor_room, already_paired, hand_edits, k, candidate_edges
    unmatched: [{application_id, person_id, name, reason}]
    total_score, mean_score, best_possible_score (the sum of the weights), weights {criterion: weight}
    histogram: [{low, high, count}] — ten equal bins from 0 to best_possible_score
    fairness: {site|department|seniority: [{group, mentees, matched, match_rate, mean_score}]}
    seconds: {load, features, score, assign, explain, write, total, publish}; cpu_seconds: the same in processor time
    published, dropped_at_publish: [{mentee, mentor, reason}]  (once published)
"""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from core.models import Activity
from core.tasks import fan_out_activity
from lib.pagecache import content_changed
from mentoring.access import can_run
from mentoring.matching import TOP_K, bulk_match, effective_weights, explain_pair
from mentoring.models import SENIORITY, Agreement, Application, CheckIn, Match, MatchRun, Programme

HISTOGRAM_BINS = 10
BATCH = 500  # rows a statement writes
ANNOUNCE_BATCH = 200  # activities a fan-out task delivers
LIVE = [Match.State.REQUESTED, Match.State.ACTIVE]
SENIORITY_NAMES = dict(SENIORITY)


def _check(by, programme: Programme) -> None:
    if by is None or not can_run(by, programme):
        raise PermissionDenied("Only the programme's curators can run its matching.")


def _check_preview(run: MatchRun) -> None:
    if run.state != MatchRun.State.PREVIEW:
        raise ValidationError(f"This run is {run.get_state_display().lower()}; start a new run to change pairs.")


# ------------------------------------------------------------------------------------------ the report


def _report(programme: Programme, run: MatchRun, unmatched: dict[int, str], extra: dict) -> dict:
    """The run's figures, from its draft pairs and the mentees it left over: totals, histogram, fairness."""
    drafts = dict(run.matches.filter(state=Match.State.DRAFT).values_list("mentee_id", "score"))
    rows = Application.objects.filter(
        programme=programme, side=Application.Side.MENTEE, state=Application.State.OPEN
    ).values_list(
        "id",
        "person_id",
        "person__display_name",
        "person__first_name",
        "person__last_name",
        "person__username",
        "person__site__name",
        "person__department",
        "seniority",
    )
    weights = effective_weights(programme)
    best = sum(weights.values())
    groups: dict[str, dict[str, list]] = {name: defaultdict(list) for name in ("site", "department", "seniority")}
    left = []
    for app_id, person, display_name, first, last, username, site, department, seniority in rows:
        if person in drafts:
            score = drafts[person]
        elif app_id in unmatched:
            score = None
            name = display_name or f"{first} {last}".strip() or username
            left.append({"application_id": app_id, "person_id": person, "name": name, "reason": unmatched[app_id]})
        else:  # not part of this run: already in a pair, or applied after it
            continue
        groups["site"][site or "No site given"].append(score)
        groups["department"][department or "No department given"].append(score)
        groups["seniority"][SENIORITY_NAMES.get(seniority, str(seniority))].append(score)
    scores = list(drafts.values())
    counts = [0] * HISTOGRAM_BINS
    for score in scores:
        counts[min(HISTOGRAM_BINS - 1, max(0, int(score / best * HISTOGRAM_BINS))) if best else 0] += 1
    histogram = [
        {"low": round(best * b / HISTOGRAM_BINS, 3), "high": round(best * (b + 1) / HISTOGRAM_BINS, 3), "count": c}
        for b, c in enumerate(counts)
    ]

    def fairness(by_group: dict[str, list]) -> list[dict]:
        out = []
        for group, values in sorted(by_group.items()):
            matched = [v for v in values if v is not None]
            out.append(
                {
                    "group": group,
                    "mentees": len(values),
                    "matched": len(matched),
                    "match_rate": round(len(matched) / len(values), 4),
                    "mean_score": round(sum(matched) / len(matched), 4) if matched else None,
                }
            )
        return out

    left.sort(key=lambda u: (u["reason"], u["name"]))
    total = sum(scores)
    return {
        **extra,
        "matched": len(scores),
        "unmatched_count": len(left),
        "unmatched": left,
        "total_score": total,
        "mean_score": total / len(scores) if scores else None,
        "best_possible_score": best,
        "weights": weights,
        "histogram": histogram,
        "fairness": {name: fairness(by_group) for name, by_group in groups.items()},
    }


# ------------------------------------------------------------------------------------------ writes


def _adapter(field, connection):
    """How ``_insert`` puts a field's value in database form: as the field would for dates, datetimes and JSON
    (the same object in a row after row, such as ``now`` or an agreement template, only once); plain numbers,
    strings, booleans and keys as they are."""
    if field.get_internal_type() not in ("DateTimeField", "DateField", "JSONField"):
        return None
    last: list = [object(), None]

    def adapt(value):
        if value is not last[0]:
            last[0], last[1] = value, field.get_db_prep_save(value, connection)
        return last[1]

    return adapt


def _insert(model, rows: list[dict]) -> None:
    """INSERT many rows of a model, a prepared statement per batch, values put in database form as the fields
    would — without a model instance and a compiled statement per row, which are nine tenths of
    ``bulk_create``'s time for a run's thousands of rows. Fields a row leaves out take their default. Like
    ``bulk_create`` it sends no signals; callers call ``content_changed``."""
    if not rows:
        return
    connection = transaction.get_connection()
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields if f.attname not in rows[0]}
    adapters = [_adapter(f, connection) for f in fields]
    names = [f.attname for f in fields]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608 - names from the model
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            batch = []
            for row in rows[start : start + BATCH]:
                values = []
                for name, adapt in zip(names, adapters, strict=True):
                    value = row[name] if name in row else defaults[name]
                    values.append(value if adapt is None or value is None else adapt(value))
                batch.append(values)
            cursor.executemany(sql, batch)


def start_run(programme: Programme, *, by, k: int = TOP_K, now: datetime | None = None) -> MatchRun:
    """Match the whole programme into a preview: draft pairs only its curators see, with the run's report."""
    _check(by, programme)
    now = now or timezone.now()
    result = bulk_match(programme, k=k, now=now)
    started, cpu_started = time.perf_counter(), time.process_time()
    with transaction.atomic():
        run = MatchRun.objects.create(programme=programme, started_by=by, created=now)
        _insert(
            Match,
            [
                {
                    "programme_id": programme.pk,
                    "mentor_id": pair.mentor.person,
                    "mentee_id": pair.mentee.person,
                    "run_id": run.pk,
                    "state": Match.State.DRAFT.value,
                    "origin": Match.Origin.RUN.value,
                    "score": pair.score,
                    "explanation": pair.suggestion.as_json(),
                    "created": now,
                }
                for pair in result.pairs
            ],
        )
        seconds = {name: round(value, 4) for name, value in result.timings.items()}
        cpu = {name: round(value, 4) for name, value in result.cpu_timings.items()}
        run.stats = _report(
            programme,
            run,
            result.unmatched,
            {
                "mentees": len(result.mentees),
                "mentors": len(result.mentors),
                "mentor_room": sum(result.rooms.values()),
                "already_paired": len(result.already_paired),
                "k": result.k,
                "candidate_edges": result.candidate_edges,
                "hand_edits": 0,
                "seconds": seconds,
                "cpu_seconds": cpu,
            },
        )
        seconds["write"] = round(time.perf_counter() - started, 4)
        seconds["total"] = round(sum(seconds.values()), 4)
        cpu["write"] = round(time.process_time() - cpu_started, 4)
        cpu["total"] = round(sum(cpu.values()), 4)
        run.save(update_fields=["stats"])
        content_changed()
    return run


def _room_left(programme: Programme, mentor_application: Application, run: MatchRun, *, besides_mentee) -> int:
    """Mentees a mentor can still take in this run: capacity less live pairs and the run's other drafts."""
    live = Match.objects.filter(programme=programme, mentor=mentor_application.person_id, state__in=LIVE).count()
    drafts = (
        run.matches.filter(mentor=mentor_application.person_id, state=Match.State.DRAFT)
        .exclude(mentee=besides_mentee)
        .count()
    )
    return min(mentor_application.capacity, programme.max_capacity) - live - drafts


@transaction.atomic
def set_pair(
    run: MatchRun, *, mentee_application: Application, mentor_application: Application | None, by
) -> Match | None:
    """Pair a mentee with a mentor by hand in a preview (or, with no mentor, leave them unmatched). Refuses a
    mentor who is full, or a pair that fails a hard constraint, with a sentence saying which."""
    run = MatchRun.objects.select_for_update().select_related("programme__item").get(pk=run.pk)
    programme = run.programme
    _check(by, programme)
    _check_preview(run)
    if (
        mentee_application.programme_id != programme.pk
        or mentee_application.side != Application.Side.MENTEE
        or mentee_application.state != Application.State.OPEN
    ):
        raise ValidationError("Choose an open mentee application of this programme.")
    mentee = mentee_application.person
    if Match.objects.filter(programme=programme, mentee=mentee, state__in=LIVE).exists():
        raise ValidationError(f"{mentee.name} already has a mentor or a request in this programme.")
    match = None
    if mentor_application is not None:
        if (
            mentor_application.programme_id != programme.pk
            or mentor_application.side != Application.Side.MENTOR
            or mentor_application.state != Application.State.OPEN
        ):
            raise ValidationError("Choose an open mentor application of this programme.")
        mentor = mentor_application.person
        if _room_left(programme, mentor_application, run, besides_mentee=mentee) <= 0:
            raise ValidationError(f"{mentor.name} is full: every place they offered is taken in this run.")
        suggestion = explain_pair(mentee_application, mentor_application, allow_excluded=True)
        if suggestion is None:
            raise ValidationError("One of the two applications is no longer open.")
        if suggestion.reasons_excluded:
            raise ValidationError(f"These two cannot be paired: {'; '.join(suggestion.reasons_excluded)}.")
    run.matches.filter(mentee=mentee, state=Match.State.DRAFT).delete()
    if mentor_application is not None:
        match = Match.objects.create(
            programme=programme,
            mentor=mentor_application.person,
            mentee=mentee,
            run=run,
            state=Match.State.DRAFT,
            origin=Match.Origin.HAND,
            score=suggestion.score,
            explanation=suggestion.as_json(),
        )
    stats = dict(run.stats)
    unmatched = {u["application_id"]: u["reason"] for u in stats.get("unmatched", [])}
    unmatched.pop(mentee_application.pk, None)
    if match is None:
        unmatched[mentee_application.pk] = f"left unmatched by hand by {by.name}"
    stats["hand_edits"] = stats.get("hand_edits", 0) + 1
    run.stats = _report(programme, run, unmatched, {key: value for key, value in stats.items() if key in _KEPT})
    run.save(update_fields=["stats"])
    content_changed()
    return match


# What a hand edit keeps of a run's report; the rest is worked out again from its pairs.
_KEPT = {
    "mentees", "mentors", "mentor_room", "already_paired", "k", "candidate_edges", "hand_edits",
    "seconds", "cpu_seconds",
}  # fmt: skip


def _start_pairs(pairs: list[tuple[int, int, int]], programme: Programme, now: datetime) -> None:
    """``mentoring.pairs.start_pair`` for a whole run of (match, mentor, mentee) at once: the same rows — the pair
    active with its dates, its agreement from the programme's template, the first check-in of each person —
    in a few statements per 500 pairs rather than eight statements per pair (48,000 for a run of 6,000 pairs).
    ``test_runs.py`` checks that a published pair is the same as one started by ``start_pair``."""
    ends_on = (now + timedelta(weeks=programme.length_weeks)).date()
    due = (now + timedelta(days=programme.checkin_every_days)).date()
    for start in range(0, len(pairs), BATCH):
        Match.objects.filter(pk__in=[pk for pk, _, _ in pairs[start : start + BATCH]]).update(
            state=Match.State.ACTIVE, started=now, ends_on=ends_on, responded_at=Coalesce("responded_at", Value(now))
        )
    template = [
        {"key": part["key"], "title": part["title"], "guidance": part.get("guidance", ""), "text": ""}
        for part in programme.agreement_parts
    ]
    _insert(Agreement, [{"match_id": pk, "parts": template, "updated": now} for pk, _, _ in pairs])
    _insert(
        CheckIn,
        [
            {"match_id": pk, "person_id": person, "due": due}
            for pk, mentor, mentee in pairs
            for person in (mentor, mentee)
        ],
    )


@task()
def announce_matches(activity_ids: list[int]) -> int:
    """The fan-out of a published run's MATCHED activities (notifications, e-mail by preference), as
    ``core.tasks.fan_out_activity`` does for one, many to a task: queuing one task per activity would cost
    more than the whole run."""
    return sum(fan_out_activity.call(pk) for pk in activity_ids)


def _person_name(display_name: str, first: str, last: str, username: str) -> str:
    return display_name or f"{first} {last}".strip() or username


def publish_run(run: MatchRun, *, by, now: datetime | None = None) -> list[Match]:
    """Start every draft pair of a preview and tell both people; either may then decline.

    What changed since the preview is checked again — a withdrawn application, a mentor filled by requests
    accepted meanwhile, a mentee who found a mentor — and such a draft is dropped and listed with its reason.
    Returns the pairs started, best score first.
    """
    now = now or timezone.now()
    started, cpu_started = time.perf_counter(), time.process_time()
    with transaction.atomic():
        run = MatchRun.objects.select_for_update().select_related("programme__item").get(pk=run.pk)
        programme = run.programme
        _check(by, programme)
        _check_preview(run)
        name = ("display_name", "first_name", "last_name", "username")
        drafts = list(
            run.matches.filter(state=Match.State.DRAFT)
            .order_by("-score", "pk")
            .values_list(
                "pk", "mentor_id", "mentee_id", *(f"mentor__{n}" for n in name), *(f"mentee__{n}" for n in name)
            )
        )
        open_apps = {
            (person, side): capacity
            for person, side, capacity in Application.objects.filter(
                programme=programme, state=Application.State.OPEN
            ).values_list("person_id", "side", "capacity")
        }
        live = list(Match.objects.filter(programme=programme, state__in=LIVE).values_list("mentor_id", "mentee_id"))
        taken = defaultdict(int)
        for mentor_id, _ in live:
            taken[mentor_id] += 1
        paired_mentees = {mentee_id for _, mentee_id in live}
        started_pairs, dropped, gone, names = [], [], [], {}
        for pk, mentor, mentee, *people in drafts:
            mentor_name, mentee_name = _person_name(*people[:4]), _person_name(*people[4:])
            capacity = open_apps.get((mentor, Application.Side.MENTOR))
            reason = None
            if (mentee, Application.Side.MENTEE) not in open_apps:
                reason = f"{mentee_name} withdrew"
            elif capacity is None:
                reason = f"{mentor_name} withdrew as a mentor"
            elif mentee in paired_mentees:
                reason = f"{mentee_name} found a mentor or asked one meanwhile"
            elif taken[mentor] >= min(capacity, programme.max_capacity):
                reason = f"{mentor_name} filled up meanwhile"
            if reason:
                dropped.append({"mentee": mentee_name, "mentor": mentor_name, "reason": reason})
                gone.append(pk)
                continue
            taken[mentor] += 1
            paired_mentees.add(mentee)
            started_pairs.append((pk, mentor, mentee))
            names[mentor], names[mentee] = mentor_name, mentee_name
        for start in range(0, len(gone), BATCH):
            Match.objects.filter(pk__in=gone[start : start + BATCH]).delete()
        _start_pairs(started_pairs, programme, now)
        # One MATCHED activity to each of the two people, the rows core.services.record_activity would write,
        # and their fan-out queued in batches once the transaction commits.
        title, by_name = programme.item.title, by.name
        # The pair's address for any id, made once: reverse() costs more than the rest of an activity row.
        url = reverse("mentoring:pair", args=[987654321]).replace("987654321", "{}")
        _insert(
            Activity,
            [
                {
                    "actor_id": by.pk,
                    "verb": Activity.Verb.MATCHED.value,
                    "item_id": programme.item.pk,
                    "space_id": programme.item.space_id,
                    "target_id": person,
                    "created": now,
                    "extra": {
                        "url": url.format(pk),
                        "about": title,
                        "says": f"{by_name} matched you with {names[other]} as your {role} in {title}",
                    },
                }
                for pk, mentor, mentee in started_pairs
                for person, other, role in ((mentee, mentor, "mentor"), (mentor, mentee, "mentee"))
            ],
        )
        ids = list(
            Activity.objects.filter(item=programme.item, verb=Activity.Verb.MATCHED, actor=by, created=now).values_list(
                "pk", flat=True
            )
        )
        for start in range(0, len(ids), ANNOUNCE_BATCH):
            transaction.on_commit(lambda chunk=ids[start : start + ANNOUNCE_BATCH]: announce_matches.enqueue(chunk))
        run.state = MatchRun.State.PUBLISHED
        run.published_at = now
        stats = dict(run.stats)
        stats["published"] = len(started_pairs)
        stats["dropped_at_publish"] = dropped
        stats.setdefault("seconds", {})["publish"] = round(time.perf_counter() - started, 4)
        stats.setdefault("cpu_seconds", {})["publish"] = round(time.process_time() - cpu_started, 4)
        run.stats = stats
        run.save(update_fields=["state", "published_at", "stats"])
        content_changed()
    return list(run.matches.filter(state=Match.State.ACTIVE).order_by("-score", "pk"))


@transaction.atomic
def discard_run(run: MatchRun, *, by) -> MatchRun:
    """Throw a preview away with its draft pairs."""
    run = MatchRun.objects.select_for_update().select_related("programme__item").get(pk=run.pk)
    _check(by, run.programme)
    _check_preview(run)
    run.matches.filter(state=Match.State.DRAFT).delete()
    run.state = MatchRun.State.DISCARDED
    run.save(update_fields=["state"])
    content_changed()
    return run
