"""Who may see and do what in mentoring: the one place for it, on top of ``core.access``.

- A programme is an item: seeing it is ``can_view`` on its item; running it (editing, matching, reading its
  dashboard) is ``can_admin`` on its item — its owner, site admins, and the admins of its space.
- Applying as a mentor or a mentee also needs the programme's audience for that side (everyone who can see
  it, some roles, or only the people invited).
- A pair (a ``Match`` past its draft) and everything in it — agreement, goals, meetings, shared notes,
  check-ins, closings — is seen by its two people only. The programme's curators see that a pair exists,
  its state, counts (meetings held, check-in scores) and whether it is at risk, never what the pair wrote.
- A private meeting note is seen by its author only.
- A draft match in a run's preview is seen by the programme's curators only.
"""

from core.access import can_admin, can_view
from mentoring.models import Application, Match, MeetingNote, Programme


def can_run(user, programme: Programme) -> bool:
    """May ``user`` edit the programme, run its matching and read its dashboard?"""
    return can_admin(user, programme.item)


def may_apply(user, programme: Programme, side: str) -> bool:
    """May ``user`` apply to ``programme`` as ``side`` (mentor or mentee)?"""
    if not user.is_authenticated or not can_view(user, programme.item):
        return False
    if side == Application.Side.MENTOR:
        audience, roles, invited = programme.mentor_audience, programme.mentor_roles, programme.invited_mentors
    elif side == Application.Side.MENTEE:
        audience, roles, invited = programme.mentee_audience, programme.mentee_roles, programme.invited_mentees
    else:
        return False
    if audience == Programme.Audience.ROLES:
        return user.role in roles
    if audience == Programme.Audience.INVITED:
        return invited.filter(pk=user.pk).exists()
    return True


def can_see_pair(user, match: Match) -> bool:
    """The pair's space and everything in it: its two people only, and never a draft."""
    return match.state != Match.State.DRAFT and match.has_person(user)


def can_see_note(user, note: MeetingNote) -> bool:
    return user.is_authenticated and note.author_id == user.pk
