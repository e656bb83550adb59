"""A mentoring pair to test with, built from the models directly: a programme item owned by a curator,
an application on each side, and a match started with ``pairs.start_pair``. Used by the pair tests and the
permission matrix."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from core.models import ItemKind, Visibility
from core.services import create_item
from mentoring import pairs
from mentoring.models import Application, Match, Programme


def make_programme(owner, *, title="Mentoring circle", space=None, **fields) -> Programme:
    visibility = Visibility.SPACE if space is not None else Visibility.ORGANISATION
    item = create_item(owner=owner, kind=ItemKind.PROGRAMME, title=title, space=space, visibility=visibility)
    return Programme.objects.create(item=item, **fields)


def apply(programme, person, side, *, time_zone="UTC", availability=()) -> Application:
    return Application.objects.create(
        programme=programme,
        person=person,
        side=side,
        time_zone=time_zone,
        availability=[list(w) for w in availability],
        languages=["en"],
    )


def make_pair(
    *,
    mentor,
    mentee,
    curator,
    programme=None,
    started=None,
    state=Match.State.ACTIVE,
    mentor_hours=((0, 540, 1020), (2, 540, 1020)),
    mentee_hours=((0, 480, 720), (2, 780, 1020)),
    mentor_zone="Europe/London",
    mentee_zone="Asia/Tokyo",
) -> Match:
    """An active pair (or a requested one) of ``mentor`` and ``mentee`` in a programme ``curator`` runs."""
    programme = programme or make_programme(curator)
    apply(programme, mentor, Application.Side.MENTOR, time_zone=mentor_zone, availability=mentor_hours)
    apply(programme, mentee, Application.Side.MENTEE, time_zone=mentee_zone, availability=mentee_hours)
    match = Match.objects.create(
        programme=programme,
        mentor=mentor,
        mentee=mentee,
        state=Match.State.REQUESTED,
        request_note="Could you help me with design reviews?",
        explanation=[{"criterion": "skills", "points": 2.0, "words": "teaches 2 of your 3 goal skills"}],
    )
    if state == Match.State.ACTIVE:
        pairs.start_pair(match, now=started or timezone.now() - timedelta(days=3))
    elif state != Match.State.REQUESTED:
        Match.objects.filter(pk=match.pk).update(state=state)
        match.refresh_from_db()
    return match


PRIVATE_NOTE = "Mo's private note on the first meeting."


def matrix_values(p) -> dict:
    """The permission matrix's mentoring pairs (tests/test_permission_matrix.py): mo mentors alice in a
    programme lee runs — one pair active, with a goal, a meeting booked, one that took place (with mo's private
    note), alice's check-in due; and one closed pair both of them want to continue."""
    from mentoring.models import CheckIn

    now = timezone.now().replace(microsecond=0)
    pair = make_pair(mentor=p.mo, mentee=p.alice, curator=p.lee)
    pairs.edit_agreement(match=pair, by=p.alice, texts={"goals": "Lead a design review."})
    goal = pairs.add_goal(match=pair, by=p.alice, title="Lead a design review")
    booked = pairs.schedule_meeting(match=pair, by=p.mo, starts=now + timedelta(days=7))
    met = pairs.schedule_meeting(match=pair, by=p.mo, starts=now + timedelta(days=1))
    type(met).objects.filter(pk=met.pk).update(starts=now - timedelta(hours=2))
    pairs.save_private_note(meeting=met, by=p.mo, text=PRIVATE_NOTE)
    checkin = CheckIn.objects.get(match=pair, person=p.alice)
    CheckIn.objects.filter(pk=checkin.pk).update(due=now.date())
    closed = make_pair(mentor=p.mo, mentee=p.alice, curator=p.lee, programme=make_programme(p.lee, title="Past"))
    pairs.close_pair(match=closed, by=p.alice, reflection="Alice's reflection.", wants_to_continue=True)
    pairs.close_pair(match=closed, by=p.mo, reflection="Mo's reflection.", wants_to_continue=True)
    return {
        "pair": pair.pk,
        "pair_goal": goal.pk,
        "pair_meeting": booked.pk,
        "pair_met": met.pk,
        "pair_checkin": checkin.pk,
        "pair_closed": closed.pk,
        "pair_past": (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),  # typed in either zone: past
        "pair_past_utc": (now - timedelta(hours=1)).isoformat(),
    }
