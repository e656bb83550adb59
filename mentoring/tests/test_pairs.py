"""The pair space's writes (mentoring.pairs): agreement, goals, meetings and notes, check-ins, closing."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.models import Activity, Notification
from mentoring import pairs
from mentoring.models import CheckIn, Closing, Match, Meeting, MeetingNote
from mentoring.tests.pair_world import make_pair
from portfolios.models import JournalEntry, Portfolio
from portfolios.services import create_portfolio


@pytest.fixture
def pair(personas):
    return make_pair(mentor=personas.mo, mentee=personas.alice, curator=personas.lee)


def later(**delta):
    return timezone.now() + timedelta(**delta)


def addressed(verb, to):
    return Activity.objects.filter(verb=verb, target=to).order_by("-pk").first()


# --- the agreement ---------------------------------------------------------------------------------------------


def test_the_agreement_starts_from_the_programmes_template_with_its_guidance(pair):
    parts = pair.agreement.parts
    assert [p["key"] for p in parts][:2] == ["goals", "rhythm"]
    assert all(p["guidance"] and p["text"] == "" for p in parts)


def test_signing_needs_words_and_is_announced_to_the_other_person(pair, personas):
    with pytest.raises(ValidationError, match="Write the agreement"):
        pairs.sign_agreement(match=pair, by=personas.alice)
    pairs.edit_agreement(match=pair, by=personas.alice, texts={"goals": "Lead a design review."})
    agreement = pairs.sign_agreement(match=pair, by=personas.alice)
    assert agreement.mentee_signed_at and not agreement.signed
    activity = addressed(Activity.Verb.SIGNED, personas.mo)
    assert activity.actor == personas.alice and activity.item == pair.programme.item
    assert "your turn" in activity.extra["says"] and activity.extra["url"].endswith("#agreement")
    assert pairs.sign_agreement(match=pair, by=personas.mo).signed


def test_changing_a_signed_agreement_clears_both_signatures(pair, personas):
    pairs.edit_agreement(match=pair, by=personas.alice, texts={"goals": "One."})
    pairs.sign_agreement(match=pair, by=personas.alice)
    pairs.sign_agreement(match=pair, by=personas.mo)
    agreement = pairs.edit_agreement(match=pair, by=personas.mo, texts={"goals": "Two."})
    assert agreement.mentor_signed_at is None and agreement.mentee_signed_at is None
    assert "sign it again" in addressed(Activity.Verb.SIGNED, personas.alice).extra["says"]


def test_an_edit_that_changes_nothing_keeps_the_signatures(pair, personas):
    pairs.edit_agreement(match=pair, by=personas.alice, texts={"goals": "One."})
    pairs.sign_agreement(match=pair, by=personas.alice)
    agreement = pairs.edit_agreement(match=pair, by=personas.mo, texts={"goals": "One.\r\n"})
    assert agreement.mentee_signed_at is not None


def test_signing_words_that_changed_since_they_were_read_is_refused(pair, personas):
    agreement = pairs.edit_agreement(match=pair, by=personas.alice, texts={"goals": "One."})
    seen = agreement.updated
    pairs.edit_agreement(match=pair, by=personas.mo, texts={"goals": "Two."})
    with pytest.raises(ValidationError, match="changed since you opened it"):
        pairs.sign_agreement(match=pair, by=personas.alice, seen=seen)


def test_edits_to_different_parts_merge_and_to_the_same_part_conflict(pair, personas):
    base = {"goals": "", "rhythm": ""}
    pairs.edit_agreement(match=pair, by=personas.mo, texts={"goals": "", "rhythm": "Fortnightly."}, base=base)
    agreement = pairs.edit_agreement(
        match=pair, by=personas.alice, texts={"goals": "Review designs.", "rhythm": ""}, base=base
    )
    texts = {p["key"]: p["text"] for p in agreement.parts}
    assert texts["goals"] == "Review designs." and texts["rhythm"] == "Fortnightly."
    with pytest.raises(ValidationError, match="Mo Mentor changed “How often"):
        pairs.edit_agreement(match=pair, by=personas.alice, texts={"rhythm": "Weekly."}, base=base)


def test_only_the_two_people_edit_an_active_agreement(pair, personas):
    with pytest.raises(PermissionDenied):
        pairs.edit_agreement(match=pair, by=personas.lee, texts={"goals": "Mine now."})
    with pytest.raises(ValidationError, match="no part called"):
        pairs.edit_agreement(match=pair, by=personas.mo, texts={"nope": "x"})
    Match.objects.filter(pk=pair.pk).update(state=Match.State.CLOSED)
    pair.refresh_from_db()
    with pytest.raises(ValidationError, match="closed"):
        pairs.edit_agreement(match=pair, by=personas.mo, texts={"goals": "x"})


# --- goals ---------------------------------------------------------------------------------------------------------


def test_goals_move_with_progress_and_done_sets_a_hundred(pair, personas):
    goal = pairs.add_goal(match=pair, by=personas.alice, title="  Run a  design review  ")
    assert goal.title == "Run a design review" and goal.progress == 0
    pairs.update_goal(goal=goal, by=personas.mo, progress=40)
    assert goal.progress == 40 and goal.done_at is None
    pairs.update_goal(goal=goal, by=personas.alice, done=True)
    assert goal.progress == 100 and goal.done_at is not None
    pairs.update_goal(goal=goal, by=personas.alice, done=False)
    assert goal.progress < 100 and goal.done_at is None
    with pytest.raises(ValidationError):
        pairs.update_goal(goal=goal, by=personas.alice, progress=120)


# --- meetings ----------------------------------------------------------------------------------------------------


def test_a_meeting_is_booked_in_the_future_for_a_sensible_length(pair, personas):
    with pytest.raises(ValidationError, match="future"):
        pairs.schedule_meeting(match=pair, by=personas.mo, starts=later(hours=-1))
    with pytest.raises(ValidationError, match="between 15 minutes"):
        pairs.schedule_meeting(match=pair, by=personas.mo, starts=later(days=1), minutes=10)
    with pytest.raises(ValidationError, match="between 15 minutes"):
        pairs.schedule_meeting(match=pair, by=personas.mo, starts=later(days=1), minutes=481)
    with pytest.raises(ValidationError, match="time zone"):
        pairs.schedule_meeting(match=pair, by=personas.mo, starts=later(days=1).replace(tzinfo=None))
    meeting = pairs.schedule_meeting(match=pair, by=personas.mo, starts=later(days=1), minutes=45, place="Room 2")
    assert (meeting.state, meeting.sequence, meeting.created_by) == (Meeting.State.SCHEDULED, 0, personas.mo)


def test_booking_tells_the_other_person_on_their_own_clock(pair, personas, django_capture_on_commit_callbacks):
    personas.alice.time_zone = "Asia/Tokyo"
    personas.alice.save()
    starts = timezone.now().replace(microsecond=0) + timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        meeting = pairs.schedule_meeting(match=pair, by=personas.mo, starts=starts)
    activity = addressed(Activity.Verb.MEETING_SCHEDULED, personas.alice)
    tokyo = starts.astimezone(pairs.zone("Asia/Tokyo"))
    assert f"{tokyo:%H:%M}" in activity.extra["says"] and str(meeting.pk) in activity.extra["url"]
    note = Notification.objects.get(recipient=personas.alice, activity=activity)
    assert note.kind == "mentoring"


def test_rescheduling_raises_the_sequence_and_an_agenda_alone_does_not(pair, personas):
    meeting = pairs.schedule_meeting(match=pair, by=personas.mo, starts=later(days=2))
    pairs.reschedule_meeting(meeting=meeting, by=personas.alice, agenda="Portfolio review")
    assert meeting.sequence == 0 and meeting.agenda == "Portfolio review"
    pairs.reschedule_meeting(meeting=meeting, by=personas.alice, starts=later(days=3))
    assert meeting.sequence == 1
    assert "moved" in addressed(Activity.Verb.MEETING_SCHEDULED, personas.mo).extra["says"]
    pairs.cancel_meeting(meeting=meeting, by=personas.mo)
    assert meeting.state == Meeting.State.CANCELLED and meeting.sequence == 2
    with pytest.raises(ValidationError, match="cancelled"):
        pairs.reschedule_meeting(meeting=meeting, by=personas.mo, starts=later(days=4))


def test_marking_held_records_the_notes_and_when_the_pair_last_met(pair, personas):
    meeting = pairs.schedule_meeting(match=pair, by=personas.mo, starts=later(days=1))
    with pytest.raises(ValidationError, match="once it has started"):
        pairs.mark_held(meeting=meeting, by=personas.mo)
    held = pairs.mark_held(meeting=meeting, by=personas.mo, shared_notes="We met.", now=later(days=1, hours=1))
    pair.refresh_from_db()
    assert held.state == Meeting.State.HELD and held.shared_notes == "We met."
    assert pair.last_meeting == meeting.starts


def test_shared_notes_changed_by_the_other_person_meanwhile_are_not_overwritten(pair, personas):
    meeting = pairs.log_meeting(match=pair, by=personas.mo, starts=later(hours=-2), shared_notes="Start.")
    pairs.update_shared_notes(meeting=meeting, by=personas.mo, text="Start. Mo's part.", base="Start.")
    with pytest.raises(ValidationError, match="Mo Mentor changed"):
        pairs.update_shared_notes(meeting=meeting, by=personas.alice, text="Start. Alice's part.", base="Start.")
    meeting.refresh_from_db()
    assert meeting.shared_notes == "Start. Mo's part."


def test_a_logged_meeting_is_in_the_past(pair, personas):
    with pytest.raises(ValidationError, match="still to come"):
        pairs.log_meeting(match=pair, by=personas.alice, starts=later(hours=2))
    meeting = pairs.log_meeting(match=pair, by=personas.alice, starts=later(hours=-2))
    assert meeting.state == Meeting.State.HELD


def test_a_private_note_is_one_per_author_and_empty_text_removes_it(pair, personas):
    meeting = pairs.log_meeting(match=pair, by=personas.mo, starts=later(hours=-2))
    pairs.save_private_note(meeting=meeting, by=personas.mo, text="Mine.")
    pairs.save_private_note(meeting=meeting, by=personas.mo, text="Still mine.")
    pairs.save_private_note(meeting=meeting, by=personas.alice, text="Hers.")
    assert sorted(MeetingNote.objects.values_list("text", flat=True)) == ["Hers.", "Still mine."]
    assert pairs.save_private_note(meeting=meeting, by=personas.mo, text="  ") is None
    assert list(MeetingNote.objects.values_list("author__username", flat=True)) == ["alice"]
    with pytest.raises(PermissionDenied):
        pairs.save_private_note(meeting=meeting, by=personas.lee, text="A curator's peek.")


# --- check-ins --------------------------------------------------------------------------------------------------


def due_now(pair, person):
    checkin = CheckIn.objects.get(match=pair, person=person)
    CheckIn.objects.filter(pk=checkin.pk).update(due=timezone.now().date())
    checkin.refresh_from_db()
    return checkin


def test_a_checkin_is_answered_once_by_its_person_when_due(pair, personas):
    checkin = CheckIn.objects.get(match=pair, person=personas.alice)
    with pytest.raises(ValidationError, match="opens on"):
        pairs.answer_checkin(checkin=checkin, by=personas.alice, score=4)
    checkin = due_now(pair, personas.alice)
    with pytest.raises(PermissionDenied):
        pairs.answer_checkin(checkin=checkin, by=personas.mo, score=4)
    with pytest.raises(ValidationError, match="1 \\(badly\\) to 5"):
        pairs.answer_checkin(checkin=checkin, by=personas.alice, score=6)
    pairs.answer_checkin(checkin=checkin, by=personas.alice, score=4, comment="Good.")
    with pytest.raises(ValidationError, match="already"):
        pairs.answer_checkin(checkin=checkin, by=personas.alice, score=5)


def test_answering_a_checkin_notifies_nobody(pair, personas, django_capture_on_commit_callbacks):
    before = Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        pairs.answer_checkin(checkin=due_now(pair, personas.alice), by=personas.alice, score=4)
    assert Activity.objects.filter(verb=Activity.Verb.CHECKED_IN, actor=personas.alice).exists()
    assert Notification.objects.count() == before


def test_a_poor_checkin_flags_the_pair_at_once_and_a_good_one_clears_it(pair, personas):
    pairs.answer_checkin(checkin=due_now(pair, personas.alice), by=personas.alice, score=2)
    pair.refresh_from_db()
    assert pair.at_risk and pair.at_risk_reason == "A check-in scored 2 of 5"
    nudged = set(Activity.objects.filter(verb=Activity.Verb.AT_RISK).values_list("target__username", flat=True))
    assert nudged == {"mo", "alice", "lee"}
    CheckIn.objects.create(match=pair, person=personas.alice, due=timezone.now().date() - timedelta(days=1))
    newer = CheckIn.objects.filter(match=pair, person=personas.alice, answered_at__isnull=True).first()
    pairs.answer_checkin(checkin=newer, by=personas.alice, score=4, now=later(seconds=5))
    pair.refresh_from_db()
    assert not pair.at_risk and pair.at_risk_reason == ""


# --- closing -------------------------------------------------------------------------------------------------------


def test_the_first_closing_ends_the_pair_and_calls_off_upcoming_meetings(
    pair, personas, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = pairs.schedule_meeting(match=pair, by=personas.mo, starts=later(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        pairs.close_pair(match=pair, by=personas.alice, reflection="I learned a lot.", rating=5)
    pair.refresh_from_db()
    meeting.refresh_from_db()
    assert pair.state == Match.State.CLOSED and pair.closed_at is not None
    assert meeting.state == Meeting.State.CANCELLED
    assert {m.to[0] for m in mailoutbox if "Cancelled" in m.subject} == {"mo@example.com", "alice@example.com"}
    assert "closed your mentoring pair" in addressed(Activity.Verb.PAIR_CLOSED, personas.mo).extra["says"]
    with pytest.raises(ValidationError, match="already"):
        pairs.close_pair(match=pair, by=personas.alice)
    pairs.close_pair(match=pair, by=personas.mo, rating=4)
    assert Closing.objects.filter(match=pair).count() == 2


def test_a_closing_rating_is_one_to_five_or_none(pair, personas):
    with pytest.raises(ValidationError, match="1 to 5"):
        pairs.close_pair(match=pair, by=personas.alice, rating=9)
    assert pairs.close_pair(match=pair, by=personas.alice, rating="").rating is None


def test_the_reflection_goes_into_a_new_mentoring_portfolio_when_there_is_none(pair, personas):
    closing = pairs.close_pair(match=pair, by=personas.alice, reflection="Listening first.", to_portfolio=True)
    entry = closing.portfolio_entry
    portfolio = entry.portfolio
    assert portfolio.item.title == "Mentoring" and portfolio.kind == Portfolio.Kind.PROCESS
    assert portfolio.item.owner == personas.alice and portfolio.item.visibility == "private"
    assert "Listening first." in entry.body and "Mo Mentor" in entry.title
    with pytest.raises(ValidationError, match="already"):
        pairs.add_reflection_to_portfolio(closing=closing, by=personas.alice)


def test_the_reflection_goes_into_the_persons_own_process_portfolio(pair, personas):
    mine = create_portfolio(owner=personas.alice, title="My year", kind=Portfolio.Kind.PROCESS)
    closing = pairs.close_pair(match=pair, by=personas.alice, reflection="Done.")
    with pytest.raises(PermissionDenied):
        pairs.add_reflection_to_portfolio(closing=closing, by=personas.mo)
    entry = pairs.add_reflection_to_portfolio(closing=closing, by=personas.alice)
    assert entry.portfolio == mine and JournalEntry.objects.filter(portfolio=mine).count() == 1


def test_both_wanting_to_continue_starts_a_new_round_with_unfinished_goals(pair, personas):
    pairs.edit_agreement(match=pair, by=personas.alice, texts={"goals": "Lead reviews."})
    pairs.add_goal(match=pair, by=personas.alice, title="Unfinished", progress=30)
    pairs.add_goal(match=pair, by=personas.alice, title="Finished", progress=100)
    pairs.close_pair(match=pair, by=personas.alice, wants_to_continue=True)
    with pytest.raises(ValidationError, match="both closed"):
        pairs.continue_pair(match=pair, by=personas.alice)
    pairs.close_pair(match=pair, by=personas.mo, wants_to_continue=True)
    assert "both would like to continue" in addressed(Activity.Verb.PAIR_CLOSED, personas.alice).extra["says"]
    new = pairs.continue_pair(match=pair, by=personas.mo)
    assert new.state == Match.State.ACTIVE and new.pk != pair.pk
    assert [(g.title, g.progress) for g in new.goals.all()] == [("Unfinished", 30)]
    assert new.agreement.parts[0]["text"] == "Lead reviews." and not new.agreement.signed
    pair.refresh_from_db()
    assert pairs.continuation(pair) == new
    with pytest.raises(ValidationError):
        pairs.continue_pair(match=pair, by=personas.alice)
