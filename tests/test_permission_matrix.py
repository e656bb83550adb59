"""Every view and API endpoint × every persona: who gets in, who is refused, and how.

The world: an invite-only space "team" owned by mo (space admin) with lee (member), gus (guest) and
alice, who owns a file shared with the space's members only; olly belongs elsewhere; ada is the site
admin. What a persona may not see answers 404 (not 403); what they may see but not change answers
403 (pages) or 403 (API); anonymous visitors are sent to sign in (pages) or get 401 (API).

A row is (method, path template, expected status per persona). Path templates are filled from the
world. Adding a view or endpoint means adding its row here: `test_every_route_has_a_row` fails until
you do.
"""

import json
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from api.services import create_token
from catalog.services import add_session, create_calendar_feed, create_course, enrol, self_report_completion
from core.models import Activity, Notification, Visibility
from core.services import create_item
from files.models import File
from links.discussion import add_comment
from links.models import ImportJob
from links.services import add_entry, add_section, create_board, save_link
from people.models import PersonSkill
from reviews.services import rate_item, update_review
from reviews.services import report as report_review
from spaces.models import Membership, Space
from tests.factories import MembershipFactory, SkillFactory, SpaceFactory, UserFactory
from wiki.models import PageTemplate
from wiki.services import create_page

PERSONAS = ("anonymous", "guest", "member", "non_member", "owner", "space_admin", "site_admin")

# Shorthands for expected statuses.
OK, FOUND, NONE, BAD, UNAUTH, FORBID, MISSING = 200, 302, 204, 400, 401, 403, 404
LOGIN = "login"  # a redirect to the sign-in page


def everyone(status, *, anonymous=LOGIN, **overrides):
    expected = dict.fromkeys(PERSONAS, status)
    expected["anonymous"] = anonymous
    expected.update(overrides)
    return expected


def team_item(ok=OK, *, anonymous=MISSING, change=None):
    """Something in the team space: seen by its members, hidden from everyone else."""
    expected = everyone(ok, anonymous=anonymous, non_member=MISSING)
    if change is not None:  # only the owner, the space admin and the site admin may change it
        expected.update(guest=FORBID, member=FORBID, owner=change, space_admin=change, site_admin=change)
    return expected


def only(persona_status, *, anonymous=LOGIN, others=MISSING):
    expected = dict.fromkeys(PERSONAS, others)
    expected["anonymous"] = anonymous
    expected.update(persona_status)
    return expected


def comment_rule(**allowed):
    """A comment on the team's link: its author (and for deleting, site admins) may change it; others who
    see the link are refused, and who cannot see it finds nothing."""
    return only(allowed, others=FORBID) | {"non_member": MISSING}


EDIT_SAVE = {"title": "T", "visibility": "space"}
REVIEW = {"rating": "4", "body": "Useful"}


def by_persona(*statuses):
    """Statuses in PERSONAS order: anonymous, guest, member, non_member, owner, space_admin, site_admin."""
    return dict(zip(PERSONAS, statuses, strict=True))


# A team board: readers are its space's members; editing is for its owner and the space's admins (no
# collaborators in this world), and the member lee is a curator, which official marking needs.
BOARD_VIEW = by_persona(MISSING, OK, OK, MISSING, OK, OK, OK)
BOARD_EDIT_GET = by_persona(LOGIN, FORBID, FORBID, MISSING, OK, OK, OK)
BOARD_EDIT_POST = by_persona(LOGIN, FORBID, FORBID, MISSING, FOUND, FOUND, FOUND)
BOARD_READ_POST = by_persona(LOGIN, FOUND, FOUND, MISSING, FOUND, FOUND, FOUND)
OFFICIAL_POST = by_persona(LOGIN, FORBID, BAD, MISSING, FORBID, FORBID, BAD)
BOARD_FORM = {"title": "Team board", "visibility": "space", "layout": "list"}

# (method, path, expected, body)
PAGES = [
    ("get", "/", everyone(OK, anonymous=OK), None),
    ("get", "/browse/", everyone(OK), None),
    ("get", "/browse/?space=team", everyone(OK), None),
    ("get", "/people/", everyone(OK), None),
    ("get", "/people/alice/", everyone(OK), None),
    ("get", "/people/olly/", everyone(OK, guest=MISSING), None),
    ("get", "/people/alice/photo", everyone(MISSING), None),
    ("get", "/people/me/edit/", everyone(OK), None),
    ("post", "/people/me/skills/add/", everyone(FOUND), {"skill": "Python", "direction": "teaches", "level": "3"}),
    ("post", "/people/me/skills/{person_skill}/remove/", only({"owner": FOUND}), None),
    ("get", "/site/logo", everyone(MISSING, anonymous=MISSING), None),
    ("get", "/people/skills/", everyone(OK), None),
    ("get", "/people/skills/{skill}/", everyone(OK), None),
    ("get", "/people/skills/autocomplete/?q=py", everyone(OK), None),
    ("get", "/people/skills/import/", only({"member": OK, "site_admin": OK}), None),
    (
        "get",
        "/people/invite/",
        only({"member": OK, "site_admin": OK, "space_admin": OK, "owner": OK, "non_member": OK}),
        None,
    ),
    ("get", "/spaces/", everyone(OK), None),
    ("get", "/spaces/new/", everyone(OK, guest=FORBID), None),
    ("get", "/spaces/team/", team_item(anonymous=LOGIN), None),
    ("get", "/spaces/team/edit/", team_item(anonymous=LOGIN, change=OK) | {"owner": FORBID}, None),
    ("get", "/spaces/team/members/", team_item(anonymous=LOGIN), None),
    ("get", "/spaces/team/cover", team_item(MISSING, anonymous=LOGIN), None),
    ("get", "/spaces/team/members/suggest?q=a", team_item(anonymous=LOGIN, change=OK) | {"owner": FORBID}, None),
    (
        "post",
        "/spaces/team/members/bea/approve",
        team_item(FOUND, anonymous=LOGIN, change=FOUND) | {"owner": FORBID},
        None,
    ),
    (
        "post",
        "/spaces/team/members/bea/decline",
        team_item(FOUND, anonymous=LOGIN, change=FOUND) | {"owner": FORBID},
        None,
    ),
    ("post", "/spaces/team/invitation/accept", team_item(FOUND, anonymous=LOGIN), None),
    ("post", "/spaces/team/invitation/decline", team_item(FOUND, anonymous=LOGIN), None),
    ("post", "/spaces/team/watch", team_item(FOUND, anonymous=LOGIN), None),
    ("post", "/spaces/team/leave", team_item(FOUND, anonymous=LOGIN), None),
    ("post", "/spaces/open/join", everyone(FOUND, guest=MISSING), None),
    ("post", "/spaces/team/join", team_item(FOUND, anonymous=LOGIN), None),
    (
        "post",
        "/spaces/team/members/bea/remove",
        team_item(FOUND, anonymous=LOGIN, change=FOUND) | {"owner": FORBID},
        None,
    ),
    (
        "post",
        "/spaces/team/members/bea/role",
        team_item(FOUND, anonymous=LOGIN, change=FOUND) | {"owner": FORBID},
        {"role": "moderator"},
    ),
    (
        "post",
        "/spaces/team/members/invite",
        team_item(FOUND, anonymous=LOGIN, change=FOUND) | {"owner": FORBID},
        {"who": "ada"},
    ),
    ("get", "/i/{file}/", team_item(), None),
    ("get", "/files/{file}/download", team_item(), None),
    ("get", "/files/{file}/inline", team_item(), None),
    ("get", "/files/{file}/thumbnail", team_item(), None),
    ("get", "/files/{file}/edit/", team_item(anonymous=LOGIN, change=OK), None),
    ("post", "/files/{file}/delete/", team_item(anonymous=LOGIN, change=FOUND), None),
    ("post", "/files/{file}/watch", team_item(FOUND, anonymous=LOGIN), None),
    ("get", "/files/upload/", everyone(OK), None),
    ("get", "/files/upload/?space=team", everyone(OK), None),
    ("get", "/files/share-suggestions?q=al", everyone(OK), None),
    ("get", "/search/?q=notes", everyone(OK), None),
    ("get", "/notifications/", everyone(OK), None),
    ("get", "/notifications/{notification}/open", only({"owner": FOUND}), None),
    ("post", "/notifications/read-all", everyone(FOUND), None),
    ("get", "/settings/notifications/", everyone(OK), None),
    ("get", "/settings/tokens/", everyone(OK), None),
    ("post", "/settings/tokens/{token}/revoke", only({"owner": FOUND}), None),
    ("get", "/settings/site/", only({"site_admin": OK}), None),
    ("get", "/healthz", everyone(OK, anonymous=OK), None),
    # The wiki. "Team page" is alice's, in the team space, for its members; pages are written together,
    # so every member (the guest too) may edit, while deleting is for the owner and the space's admins.
    ("get", "/wiki/", everyone(OK), None),
    ("get", "/wiki/new/", everyone(OK), None),
    ("get", "/wiki/new/?space=team", everyone(OK), None),
    ("post", "/wiki/preview", everyone(OK), {"text": "# Hello [[Team page]]"}),
    ("get", "/wiki/files?file_q=notes", everyone(OK), None),
    ("get", "/wiki/templates/", everyone(OK), None),
    # Templates are the curators' (lee, the "member" here, is one) and the admins'.
    ("get", "/wiki/templates/new/", only({"member": OK, "site_admin": OK}, others=FORBID), None),
    ("get", "/wiki/templates/{template}/", only({"member": OK, "site_admin": OK}, others=FORBID), None),
    ("post", "/wiki/templates/{template}/delete", only({"member": FOUND, "site_admin": FOUND}, others=FORBID), None),
    ("get", "/wiki/~alice/", everyone(OK), None),
    ("get", "/wiki/~alice/my-notes/", everyone(OK, anonymous=MISSING, guest=MISSING), None),
    ("get", "/wiki/s/team/", team_item(anonymous=LOGIN), None),
    ("get", "/wiki/s/team/team-page/", team_item(), None),
    ("get", "/wiki/s/team/export.zip", team_item(anonymous=LOGIN), None),
    ("get", "/wiki/s/team/import/", team_item(anonymous=LOGIN), None),
    ("get", "/wiki/{page}/edit/", team_item(anonymous=LOGIN), None),
    (
        "post",
        "/wiki/{page}/edit/",
        team_item(FOUND, anonymous=LOGIN),
        {"title": "Team page", "text": "Edited.", "base": 1},
    ),
    ("get", "/wiki/{page}/history/", team_item(), None),
    ("get", "/wiki/{page}/diff/?from=1&to=1", team_item(), None),
    ("get", "/wiki/{page}/r/1/", team_item(), None),
    ("get", "/wiki/{page}/r/1/revert", team_item(anonymous=LOGIN), None),
    ("get", "/wiki/{page}/attribution/", team_item(), None),
    ("get", "/wiki/{page}/slides/", team_item(), None),
    ("get", "/wiki/{page}/links-here/", team_item(), None),
    ("get", "/wiki/{page}/export.md", team_item(), None),
    ("get", "/wiki/{page}/export.html", team_item(), None),
    ("get", "/wiki/{page}/settings/", team_item(anonymous=LOGIN), None),
    ("get", "/wiki/{page}/delete/", team_item(anonymous=LOGIN, change=OK), None),
    ("post", "/wiki/{page}/delete/", team_item(anonymous=LOGIN, change=FOUND), None),
    ("post", "/wiki/{page}/restore/", only({"owner": FOUND, "space_admin": FOUND, "site_admin": FOUND}), None),
    ("post", "/wiki/{page}/watch", team_item(FOUND, anonymous=LOGIN), None),
    # Links. "Team reading" is alice's save, in the team space, for its members; {link} is its shared
    # page, seen by whoever may see at least one save of it.
    ("get", "/links/", everyone(OK), None),
    ("get", "/links/?space=team&sort=popular", everyone(OK), None),
    ("get", "/links/l/{link}/", team_item(), None),
    ("get", "/links/l/{link}/image", everyone(MISSING, anonymous=MISSING), None),  # no preview fetched
    ("get", "/links/l/{link}/favicon", everyone(MISSING, anonymous=MISSING), None),
    ("post", "/links/l/{link}/comments/", everyone(FOUND, non_member=MISSING), {"body": "Hi"}),
    ("get", "/links/comments/{comment}/edit/", only({"owner": OK}, others=FORBID) | {"non_member": MISSING}, None),
    (
        "post",
        "/links/comments/{comment}/edit/",
        only({"owner": FOUND}, others=FORBID) | {"non_member": MISSING},
        {"body": "Edited"},
    ),
    (
        "post",
        "/links/comments/{comment}/delete/",
        comment_rule(owner=FOUND, site_admin=FOUND),
        None,
    ),
    ("get", "/links/save/", everyone(OK), None),
    ("post", "/links/save/", everyone(FOUND), {"url": "https://new.example/", "visibility": "organisation"}),
    ("get", "/links/save/check?url=https://example.org/team-reading", everyone(OK), None),
    ("get", "/links/bookmarklet/", everyone(OK), None),
    ("get", "/links/image/", everyone(OK), None),
    ("post", "/links/image/", everyone(BAD), {"url": "https://example.org/source"}),
    ("get", "/links/{bookmark}/edit/", team_item(anonymous=LOGIN, change=OK), None),
    (
        "post",
        "/links/{bookmark}/edit/",
        team_item(anonymous=LOGIN, change=FOUND),
        {"title": "T", "visibility": "space"},
    ),
    ("get", "/links/{bookmark}/delete/", team_item(anonymous=LOGIN, change=OK), None),
    ("post", "/links/{bookmark}/delete/", team_item(anonymous=LOGIN, change=FOUND), None),
    ("post", "/links/{bookmark}/restore/", team_item(anonymous=LOGIN, change=FOUND), None),
    ("get", "/links/{bookmark}/image", everyone(MISSING, anonymous=MISSING), None),  # no image saved
    ("get", "/links/{bookmark}/thumbnail", everyone(MISSING, anonymous=MISSING), None),
    ("get", "/links/import/", everyone(OK), None),
    ("post", "/links/import/", everyone(BAD), {"folders": "tags"}),
    ("get", "/links/import/{job}/", only({"owner": OK}), None),
    ("get", "/links/export.html", everyone(OK), None),
    ("get", "/links/export.csv?person=alice", everyone(OK), None),
    ("get", "/links/feeds/tag/python.atom", everyone(OK, anonymous=OK), None),
    ("get", "/links/feeds/people/alice.atom", everyone(OK, anonymous=MISSING), None),
    ("get", "/links/boards/", everyone(OK), None),
    ("get", "/links/boards/new/", everyone(OK), None),
    ("post", "/links/boards/new/", everyone(FOUND), {"title": "Mine", "visibility": "private", "layout": "list"}),
    ("get", "/links/boards/people-suggestions?q=al", everyone(OK), None),
    ("get", "/links/boards/save/{page}/", by_persona(LOGIN, OK, OK, MISSING, OK, OK, OK), None),
    (
        "post",
        "/links/boards/save/{page}/",
        by_persona(LOGIN, FORBID, FORBID, MISSING, FOUND, FOUND, FOUND),
        {"board": "{board}"},
    ),
    ("get", "/links/boards/image/{entry}", everyone(MISSING, anonymous=MISSING), None),  # no picture stored
    ("get", "/links/boards/{board}/", BOARD_VIEW, None),
    ("get", "/links/boards/{board}/?view=wall", BOARD_VIEW, None),
    ("get", "/links/boards/{board}/export.html", BOARD_VIEW, None),
    ("get", "/links/boards/{board}/export.csv", BOARD_VIEW, None),
    ("get", "/links/boards/{board}/feed.atom", BOARD_VIEW, None),
    ("get", "/links/boards/{board}/edit/", BOARD_EDIT_GET, None),
    ("post", "/links/boards/{board}/edit/", BOARD_EDIT_POST, BOARD_FORM),
    ("get", "/links/boards/{board}/delete/", BOARD_EDIT_GET, None),
    ("post", "/links/boards/{board}/delete/", BOARD_EDIT_POST, None),
    ("get", "/links/boards/{board}/entries/add/", BOARD_EDIT_GET, None),
    ("get", "/links/boards/{board}/entries/search/?q=team", BOARD_EDIT_GET, None),
    ("get", "/links/boards/{board}/entries/{entry}/edit/", BOARD_EDIT_GET, None),
    ("post", "/links/boards/{board}/entries/{entry}/edit/", BOARD_EDIT_POST, {"note": "Read first"}),
    ("post", "/links/boards/{board}/entries/{entry}/move", BOARD_EDIT_POST, {"direction": "down"}),
    ("post", "/links/boards/{board}/entries/{entry}/remove", BOARD_EDIT_POST, None),
    ("post", "/links/boards/{board}/entries/{entry}/done", BOARD_READ_POST, None),
    ("post", "/links/boards/{board}/sections/add", BOARD_EDIT_POST, {"title": "More"}),
    ("post", "/links/boards/{board}/sections/{section}/rename", BOARD_EDIT_POST, {"title": "Renamed"}),
    ("post", "/links/boards/{board}/sections/{section}/delete", BOARD_EDIT_POST, None),
    ("get", "/links/boards/{board}/collaborators/", BOARD_EDIT_GET, None),
    ("post", "/links/boards/{board}/follow", BOARD_READ_POST, None),
    ("get", "/links/boards/{board}/progress/", BOARD_EDIT_GET, None),
    ("get", "/links/boards/{board}/official/", by_persona(LOGIN, FORBID, OK, MISSING, FORBID, FORBID, OK), None),
    # A space-only board cannot be an official reading list: curators are told so.
    (
        "post",
        "/links/boards/{board}/official/",
        by_persona(LOGIN, FORBID, BAD, MISSING, FORBID, FORBID, BAD),
        {"official": "on", "topic": "Onboarding"},
    ),
    # Reviews, on the world's "Team notes" file: gus reviewed it (and edited it once); bea reported it.
    ("get", "/reviews/i/{file}/", team_item(), None),
    # The owner (alice) may not review her own file; everyone else who sees it may.
    ("post", "/reviews/i/{file}/review", team_item(FOUND, anonymous=LOGIN) | {"owner": FORBID}, REVIEW),
    ("post", "/reviews/i/{file}/review", team_item(BAD, anonymous=LOGIN), {"rating": "9"}),
    # Only gus has a review to delete; for the others there is none.
    ("post", "/reviews/i/{file}/review/delete", team_item(MISSING, anonymous=LOGIN) | {"guest": FOUND}, None),
    ("get", "/reviews/{review}/history/", team_item(), None),
    # gus may not vote on his own review.
    ("post", "/reviews/{review}/vote", team_item(FOUND, anonymous=LOGIN) | {"guest": FORBID}, {"helpful": "yes"}),
    ("post", "/reviews/{review}/report", team_item(FOUND, anonymous=LOGIN) | {"guest": FORBID}, {"reason": "Rude"}),
    # The item's owner and curators (lee, the "member") and admins reply.
    (
        "post",
        "/reviews/{review}/reply",
        by_persona(LOGIN, FORBID, FOUND, MISSING, FOUND, FORBID, FOUND),
        {"body": "Thanks"},
    ),
    ("post", "/reviews/{review}/hide", by_persona(LOGIN, FORBID, FOUND, MISSING, FORBID, FORBID, FOUND), None),
    ("post", "/reviews/{review}/unhide", by_persona(LOGIN, FORBID, FOUND, MISSING, FORBID, FORBID, FOUND), None),
    ("get", "/reviews/moderation/", everyone(FORBID) | {"member": OK, "site_admin": OK}, None),
    # Moderation is a role: whoever is no curator or admin is refused before anything is looked up.
    (
        "post",
        "/reviews/reports/{report}/dismiss",
        by_persona(LOGIN, FORBID, FOUND, FORBID, FORBID, FORBID, FOUND),
        None,
    ),
    # The course catalogue; the calendar feed's secret address is its only key, so anyone holding it reads it.
    ("get", "/catalog/", everyone(OK), None),
    ("get", "/catalog/?format=bad", everyone(BAD), None),
    ("get", "/catalog/calendar/", everyone(OK), None),
    ("post", "/catalog/calendar/", everyone(OK), {"action": "create"}),
    ("get", "/catalog/calendar/{feed_token}.ics", everyone(OK, anonymous=OK), None),
    ("get", "/catalog/calendar/unknown.ics", everyone(MISSING, anonymous=MISSING), None),
]

API = [
    ("get", "/api/items/", everyone(OK, anonymous=OK), None),
    ("get", "/api/items/{file}", team_item(), None),
    ("post", "/api/items/{file}/watch", team_item(OK, anonymous=UNAUTH), None),
    ("delete", "/api/items/{file}/watch", team_item(OK, anonymous=UNAUTH), None),
    ("get", "/api/files/", everyone(OK, anonymous=OK), None),
    ("get", "/api/files/{file}", team_item(), None),
    ("get", "/api/files/{file}/download", team_item(), None),
    ("patch", "/api/files/{file}", team_item(anonymous=UNAUTH, change=OK), {"title": "Renamed"}),
    ("delete", "/api/files/{file}", team_item(anonymous=UNAUTH, change=NONE), None),
    ("post", "/api/files/", everyone(201, anonymous=UNAUTH), lambda: {"file": png(), "title": "A picture"}),
    ("post", "/api/files/{file}/content", team_item(anonymous=UNAUTH, change=OK), lambda: {"file": png("notes.png")}),
    ("get", "/api/people/", everyone(OK, anonymous=UNAUTH), None),
    ("get", "/api/people/me", everyone(OK, anonymous=UNAUTH), None),
    ("patch", "/api/people/me", everyone(OK, anonymous=UNAUTH), {"job_title": "Analyst"}),
    ("post", "/api/people/me/photo", everyone(OK, anonymous=UNAUTH), lambda: {"photo": png()}),
    ("delete", "/api/people/me/photo", everyone(NONE, anonymous=UNAUTH), None),
    (
        "post",
        "/api/people/me/skills",
        everyone(201, anonymous=UNAUTH),
        {"skill": "python", "direction": "teaches", "level": 3},
    ),
    ("delete", "/api/people/me/skills/{person_skill}", only({"owner": NONE}, anonymous=UNAUTH), None),
    ("get", "/api/people/alice", everyone(OK, anonymous=UNAUTH), None),
    ("get", "/api/people/olly", everyone(OK, anonymous=UNAUTH, guest=MISSING), None),
    ("get", "/api/skills/", everyone(OK, anonymous=UNAUTH), None),
    ("get", "/api/skills/{skill}", everyone(OK, anonymous=UNAUTH), None),
    ("get", "/api/spaces/", everyone(OK, anonymous=UNAUTH), None),
    (
        "post",
        "/api/spaces/",
        everyone(201, anonymous=UNAUTH, guest=FORBID),
        {"name": "Book club", "visibility": "open"},
    ),
    ("post", "/api/spaces/open/join", everyone(OK, anonymous=UNAUTH, guest=MISSING), None),
    ("post", "/api/spaces/club/request", everyone(OK, anonymous=UNAUTH, guest=MISSING), None),
    # mo is the last owner, and ada is no member: both are refused with a reason.
    (
        "post",
        "/api/spaces/team/leave",
        team_item(NONE, anonymous=UNAUTH) | {"space_admin": BAD, "site_admin": BAD},
        None,
    ),
    ("put", "/api/spaces/team/watch", team_item(anonymous=UNAUTH), None),
    ("delete", "/api/spaces/team/watch", team_item(anonymous=UNAUTH), None),
    (
        "post",
        "/api/spaces/team/cover",
        team_item(anonymous=UNAUTH, change=OK) | {"owner": FORBID},
        lambda: {"file": png()},
    ),
    # gus, a guest, cannot see ada at all, so for him she does not exist.
    (
        "post",
        "/api/spaces/team/invite",
        team_item(anonymous=UNAUTH, change=201) | {"owner": FORBID, "guest": MISSING},
        {"username": "ada"},
    ),
    (
        "post",
        "/api/spaces/team/invite-by-email",
        team_item(anonymous=UNAUTH, change=201) | {"owner": FORBID},
        {"email": "new@example.com", "role": "guest"},
    ),
    ("post", "/api/spaces/team/invitation/accept", team_item(BAD, anonymous=UNAUTH), None),
    ("post", "/api/spaces/team/invitation/decline", team_item(BAD, anonymous=UNAUTH), None),
    (
        "post",
        "/api/spaces/team/members/bea/decline",
        team_item(BAD, anonymous=UNAUTH) | {"guest": FORBID, "member": FORBID, "owner": FORBID},
        None,
    ),
    (
        "put",
        "/api/spaces/team/members/bea/role",
        team_item(anonymous=UNAUTH, change=OK) | {"owner": FORBID},
        {"role": "moderator"},
    ),
    ("get", "/api/spaces/team", team_item(anonymous=UNAUTH), None),
    ("patch", "/api/spaces/team", team_item(anonymous=UNAUTH, change=OK) | {"owner": FORBID}, {"description": "New"}),
    ("get", "/api/spaces/team/members", team_item(anonymous=UNAUTH), None),
    (
        "post",
        "/api/spaces/team/members/bea/approve",
        team_item(BAD, anonymous=UNAUTH) | {"guest": FORBID, "member": FORBID, "owner": FORBID},
        None,
    ),
    ("delete", "/api/spaces/team/members/bea", team_item(anonymous=UNAUTH, change=NONE) | {"owner": FORBID}, None),
    ("get", "/api/notifications/", everyone(OK, anonymous=UNAUTH), None),
    ("get", "/api/notifications/unread-count", everyone(OK, anonymous=UNAUTH), None),
    ("post", "/api/notifications/read-all", everyone(OK, anonymous=UNAUTH), None),
    ("put", "/api/notifications/preferences", everyone(OK, anonymous=UNAUTH), {"channels": {"invited": "off"}}),
    ("post", "/api/notifications/{notification}/read", only({"owner": OK}, anonymous=UNAUTH), None),
    ("get", "/api/notifications/preferences", everyone(OK, anonymous=UNAUTH), None),
    ("get", "/api/tokens/", everyone(OK, anonymous=UNAUTH), None),
    ("post", "/api/tokens/", everyone(201, anonymous=UNAUTH), {"name": "laptop"}),
    ("post", "/api/tokens/{token}/revoke", only({"owner": OK}, anonymous=UNAUTH), None),
    ("get", "/api/search/?q=notes", everyone(OK, anonymous=UNAUTH), None),
    ("get", "/api/openapi.json", everyone(OK, anonymous=OK), None),
    ("get", "/api/wiki/pages", everyone(OK, anonymous=OK), None),
    ("post", "/api/wiki/pages", everyone(201, anonymous=UNAUTH), {"title": "A new page"}),
    ("get", "/api/wiki/pages/{page}", team_item(), None),
    # Pages are written together: every member of the space may edit, not only the owner.
    ("put", "/api/wiki/pages/{page}", team_item(anonymous=UNAUTH), {"text": "Edited.\n", "base_revision": 1}),
    ("get", "/api/wiki/pages/{page}/revisions", team_item(), None),
    ("get", "/api/wiki/pages/{page}/revisions/1", team_item(), None),
    ("get", "/api/wiki/pages/{page}/diff", team_item(), None),
    ("get", "/api/wiki/pages/{page}/attribution", team_item(), None),
    # Links and boards: the world's "Team reading" save and "Team board".
    ("get", "/api/links/", everyone(OK, anonymous=OK), None),
    ("get", "/api/links/{link}", team_item(), None),
    ("post", "/api/links/saves", everyone(201, anonymous=UNAUTH), {"url": "https://example.com/new"}),
    ("get", "/api/links/saves/{bookmark}", team_item(), None),
    (
        "post",
        "/api/links/images",
        everyone(201, anonymous=UNAUTH),
        lambda: {"url": "https://example.com/p", "image": png()},
    ),
    ("patch", "/api/links/saves/{bookmark}", team_item(anonymous=UNAUTH, change=OK), {"notes": "Edited"}),
    ("delete", "/api/links/saves/{bookmark}", team_item(anonymous=UNAUTH, change=NONE), None),
    ("get", "/api/links/export.html", everyone(OK, anonymous=UNAUTH), None),
    ("get", "/api/links/export.csv", everyone(OK, anonymous=UNAUTH), None),
    ("post", "/api/links/import", everyone(201, anonymous=UNAUTH), lambda: {"file": netscape()}),
    ("get", "/api/links/import/{job}", only({"owner": OK}, anonymous=UNAUTH), None),
    ("post", "/api/links/import/{job}/start", only({"owner": 202}, anonymous=UNAUTH), None),
    ("get", "/api/links/boards", everyone(OK, anonymous=OK), None),
    ("post", "/api/links/boards", everyone(201, anonymous=UNAUTH), {"title": "A new board"}),
    ("get", "/api/links/boards/{board}", team_item(), None),
    ("patch", "/api/links/boards/{board}", team_item(anonymous=UNAUTH, change=OK), {"title": "Renamed"}),
    ("put", "/api/links/boards/{board}/collaborators", team_item(anonymous=UNAUTH, change=OK), {"people": ["lee"]}),
    # Curators (lee, the "member" here) and administrators mark official reading lists; unmarking needs no topic.
    (
        "put",
        "/api/links/boards/{board}/official",
        team_item(FORBID, anonymous=UNAUTH) | {"member": OK, "site_admin": OK},
        {"official": False},
    ),
    ("get", "/api/links/boards/{board}/progress", team_item(anonymous=UNAUTH, change=OK), None),
    ("post", "/api/links/boards/{board}/follow", team_item(anonymous=UNAUTH), None),
    ("delete", "/api/links/boards/{board}/follow", team_item(anonymous=UNAUTH), None),
    ("get", "/api/links/boards/{board}/export.html", team_item(anonymous=UNAUTH), None),
    ("get", "/api/links/boards/{board}/export.csv", team_item(anonymous=UNAUTH), None),
    ("post", "/api/links/boards/{board}/sections", team_item(201, anonymous=UNAUTH, change=201), {"title": "More"}),
    (
        "patch",
        "/api/links/boards/{board}/sections/{section}",
        team_item(anonymous=UNAUTH, change=OK),
        {"title": "Renamed"},
    ),
    ("delete", "/api/links/boards/{board}/sections/{section}", team_item(anonymous=UNAUTH, change=NONE), None),
    # Editors are told the item does not exist (999999); everyone else who sees the board may not add to it.
    (
        "post",
        "/api/links/boards/{board}/entries",
        team_item(anonymous=UNAUTH, change=MISSING) | {"guest": FORBID, "member": FORBID},
        {"item": 999999},
    ),
    ("patch", "/api/links/boards/{board}/entries/{entry}", team_item(anonymous=UNAUTH, change=OK), {"note": "Why"}),
    (
        "post",
        "/api/links/boards/{board}/entries/{entry}/move",
        team_item(anonymous=UNAUTH, change=OK),
        {"position": 0},
    ),
    ("delete", "/api/links/boards/{board}/entries/{entry}", team_item(anonymous=UNAUTH, change=NONE), None),
    ("put", "/api/links/boards/{board}/entries/{entry}/done", team_item(anonymous=UNAUTH), None),
    ("delete", "/api/links/boards/{board}/entries/{entry}/done", team_item(anonymous=UNAUTH), None),
    # Reviews.
    ("get", "/api/reviews/items/{file}/reviews", team_item(), None),
    ("get", "/api/reviews/items/{file}/rating", team_item(), None),
    # gus changes his review (200); alice owns the file; the others write a first one (201).
    (
        "put",
        "/api/reviews/items/{file}/review",
        team_item(201, anonymous=UNAUTH) | {"guest": OK, "owner": FORBID},
        {"rating": 3},
    ),
    ("put", "/api/reviews/items/{file}/review", team_item(BAD, anonymous=UNAUTH) | {"owner": BAD}, {"rating": 0}),
    ("delete", "/api/reviews/items/{file}/review", team_item(MISSING, anonymous=UNAUTH) | {"guest": NONE}, None),
    ("get", "/api/reviews/{review}", team_item(), None),
    ("get", "/api/reviews/{review}/edits", team_item(), None),
    ("put", "/api/reviews/{review}/vote", team_item(anonymous=UNAUTH) | {"guest": FORBID}, {"helpful": True}),
    ("delete", "/api/reviews/{review}/vote", team_item(anonymous=UNAUTH) | {"guest": FORBID}, None),
    ("post", "/api/reviews/{review}/report", team_item(201, anonymous=UNAUTH) | {"guest": FORBID}, {"reason": "Rude"}),
    ("put", "/api/reviews/{review}/reply", by_persona(UNAUTH, FORBID, OK, MISSING, OK, FORBID, OK), {"body": "Thanks"}),
    ("post", "/api/reviews/{review}/hide", by_persona(UNAUTH, FORBID, OK, MISSING, FORBID, FORBID, OK), None),
    ("post", "/api/reviews/{review}/unhide", by_persona(UNAUTH, FORBID, OK, MISSING, FORBID, FORBID, OK), None),
    (
        "get",
        "/api/reviews/moderation/reports",
        everyone(FORBID, anonymous=UNAUTH) | {"member": OK, "site_admin": OK},
        None,
    ),
    (
        "post",
        "/api/reviews/moderation/reports/{report}/dismiss",
        by_persona(UNAUTH, FORBID, OK, FORBID, FORBID, FORBID, OK),
        None,
    ),
    # The course catalogue: lee's classroom course (alice holds a seat) and book (alice reported finishing it),
    # both for the team. Curating a course is for whoever may edit it: lee, the space's admin, the site admin.
    ("get", "/api/catalog/courses", everyone(OK, anonymous=OK), None),
    ("get", "/api/catalog/courses/{course}", team_item(), None),
    ("get", "/api/catalog/courses/{course}/sessions", team_item(), None),
    ("post", "/api/catalog/sessions/{session}/enrolment", team_item(anonymous=UNAUTH), None),
    ("delete", "/api/catalog/sessions/{session}/enrolment", only({"owner": NONE}, anonymous=UNAUTH), None),
    ("post", "/api/catalog/courses/{book}/enrolment", team_item(anonymous=UNAUTH), None),
    # alice finished the book: a completion is not withdrawn.
    ("delete", "/api/catalog/courses/{book}/enrolment", only({"owner": BAD}, anonymous=UNAUTH), None),
    ("get", "/api/catalog/enrolments", everyone(OK, anonymous=UNAUTH), None),
    ("post", "/api/catalog/courses/{book}/completion", team_item(anonymous=UNAUTH), {"evidence": "Done it."}),
    (
        "post",
        "/api/catalog/enrolments/{completion}/confirm",
        by_persona(UNAUTH, MISSING, OK, MISSING, FORBID, OK, OK),
        None,
    ),
]


@pytest.fixture
def world(personas):
    p = personas
    MembershipFactory(space=p.team, user=p.lee)
    bea = UserFactory(username="bea")  # a bystander to act upon
    MembershipFactory(space=p.team, user=bea)
    SpaceFactory(name="Open", slug="open", created_by=p.mo, visibility=Space.Visibility.OPEN)
    Membership.objects.create(space=Space.objects.get(slug="open"), user=p.mo, role=Membership.Role.OWNER)
    club = SpaceFactory(name="Club", slug="club", created_by=p.mo, visibility=Space.Visibility.ORGANISATION)
    Membership.objects.create(space=club, user=p.mo, role=Membership.Role.OWNER)
    item = create_item(owner=p.alice, kind="file", title="Team notes", space=p.team, visibility=Visibility.SPACE)
    File.objects.create(
        item=item,
        blob="files/notes.txt",
        original_name="notes.txt",
        content_type="text/plain",
        family=File.Family.DOCUMENT,
        size=5,
        sha256="0" * 64,
        thumbnail="files/thumbs/notes.jpg",
    )
    default_storage.save("files/notes.txt", ContentFile(b"notes"))
    default_storage.save("files/thumbs/notes.jpg", ContentFile(b"\xff\xd8\xff\xe0 not decoded by the view"))
    activity = Activity.objects.create(actor=p.mo, verb=Activity.Verb.JOINED, space=p.team)
    note = Notification.objects.create(recipient=p.alice, activity=activity, kind="member_joined")
    token, _ = create_token(user=p.alice, name="matrix")
    skill = SkillFactory(name="Python", slug="python")
    person_skill = PersonSkill.objects.create(person=p.alice, skill=skill, direction=PersonSkill.Direction.HAS)
    review = rate_item(item=item, author=p.gus, rating=2, body="Too short.")
    update_review(review=review, actor=p.gus, rating=3, body="Short but useful.")
    review_report = report_review(review=review, reporter=bea, reason="Check this")
    _feed, feed_token = create_calendar_feed(person=p.alice)
    classroom = create_course(actor=p.lee, title="Team classroom", space=p.team, visibility=Visibility.SPACE)
    book = create_course(actor=p.lee, title="Team book", format="book", space=p.team, visibility=Visibility.SPACE)
    starts = timezone.now().replace(microsecond=0) + timedelta(days=7)
    seat = add_session(
        actor=p.lee,
        course=classroom,
        starts=starts,
        ends=starts + timedelta(hours=3),
        time_zone="Asia/Singapore",
        place="Room 4",
        capacity=10,
    )
    enrol(person=p.alice, session=seat)
    completion = self_report_completion(person=p.alice, course=book, evidence="Read it.")
    page = create_page(author=p.alice, title="Team page", text="Hello.\n", space=p.team, visibility=Visibility.SPACE)
    create_page(author=p.alice, title="My notes", text="Mine.\n", visibility=Visibility.ORGANISATION)
    template = PageTemplate.objects.create(name="Matrix template", text="# Template\n")
    bookmark = save_link(
        user=p.alice,
        url="https://example.org/team-reading",
        title="Team reading",
        space=p.team,
        visibility=Visibility.SPACE,
    ).bookmark
    comment = add_comment(link=bookmark.link, author=p.alice, body="Worth reading.")
    board = create_board(owner=p.alice, title="Team board", space=p.team, visibility=Visibility.SPACE)
    section = add_section(board=board, actor=p.alice, title="Start here")
    entry = add_entry(board=board, actor=p.alice, item=bookmark.item, section=section)
    job = ImportJob.objects.create(owner=p.alice, upload="imports/bookmarks/x.html", original_name="x.html", total=1)
    users = {
        "anonymous": None,
        "guest": p.gus,
        "member": p.lee,
        "non_member": p.olly,
        "owner": p.alice,
        "space_admin": p.mo,
        "site_admin": p.ada,
    }
    values = {
        "file": item.pk,
        "notification": note.pk,
        "token": token.pk,
        "skill": skill.slug,
        "person_skill": person_skill.pk,
        "page": page.pk,
        "template": template.pk,
        "bookmark": bookmark.pk,
        "link": bookmark.link_id,
        "comment": comment.pk,
        "job": job.pk,
        "board": board.pk,
        "entry": entry.pk,
        "section": section.pk,
        "review": review.pk,
        "feed_token": feed_token,
        "course": classroom.pk,
        "book": book.pk,
        "session": seat.pk,
        "completion": completion.pk,
        "report": review_report.pk,
    }
    return users, values


def netscape():
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = b'<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<DL><p>\n<DT><A HREF="https://example.com/a">A</A>\n</DL><p>\n'
    return SimpleUploadedFile("bookmarks.html", body, content_type="text/html")


def png(name="picture.png"):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (40, 30), "teal").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def call(client, method, path, body, *, api):
    if body is None:
        return getattr(client, method)(path)
    if callable(body):  # multipart form data with files, made fresh for each call
        return client.post(path, data=body())
    if api:
        return getattr(client, method)(path, data=json.dumps(body), content_type="application/json")
    return getattr(client, method)(path, data=body)


def check(world, client_for, method, path, expected, body, persona, *, api):
    users, values = world
    if isinstance(body, dict):  # a body may name objects of the world too, e.g. {"board": "{board}"}
        body = {k: v.format(**values) if isinstance(v, str) else v for k, v in body.items()}
    response = call(client_for(users[persona]), method, path.format(**values), body, api=api)
    want = expected[persona]
    if want == LOGIN:
        assert response.status_code == FOUND and "/accounts/login/" in response["Location"], (
            f"{persona} {method.upper()} {path}: {response.status_code}"
        )
    else:
        assert response.status_code == want, f"{persona} {method.upper()} {path}: {response.status_code} != {want}"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("method", "path", "expected", "body"), PAGES, ids=[f"{m} {p}" for m, p, _, _ in PAGES])
def test_pages_let_in_exactly_who_may(world, client_for, method, path, expected, body, persona):
    check(world, client_for, method, path, expected, body, persona, api=False)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("method", "path", "expected", "body"), API, ids=[f"{m} {p}" for m, p, _, _ in API])
def test_api_lets_in_exactly_who_may(world, client_for, method, path, expected, body, persona):
    check(world, client_for, method, path, expected, body, persona, api=True)


def _page_routes():
    """(namespace:name) of every page route of ours: Django's admin, allauth and the API are covered elsewhere."""
    from django.urls import URLPattern, URLResolver, get_resolver

    skip = {"admin", "api"}
    names = set()

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = p.namespace or namespace
                if ns in skip or "allauth" in str(p.urlconf_name):
                    continue
                walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern) and p.name:
                names.add(f"{namespace}:{p.name}" if namespace else p.name)

    walk(get_resolver().url_patterns, "")
    return names


def _row_route(path):
    from django.urls import resolve

    values = dict.fromkeys(
        ["file", "notification", "token", "person_skill", "page", "template", "bookmark", "link", "comment", "job"]
        + ["board", "entry", "section", "review", "report"],
        1,
    )
    match = resolve(path.split("?")[0].format(skill="python", feed_token="x", **values))
    return match.view_name


def test_every_page_route_has_a_row():
    covered = {_row_route(path) for _, path, _, _ in PAGES}
    exempt = {
        "bench-minimal",
        "bench-rows",  # benchmark references, no data
        "healthz",
        "people:invite",  # a sign-up link for people who have no account yet: tested in people/tests
    }
    assert _page_routes() - covered - exempt == set()


def test_every_api_operation_has_a_row():
    from api.api import api

    schema = api.get_openapi_schema()
    operations = {(m, p) for p, ops in schema["paths"].items() for m in ops}
    covered = set()
    for method, path, _, _ in API:
        template = path.split("?")[0]
        for m, p in operations:
            if m == method and _same_path(p, template):
                covered.add((m, p))
    assert sorted(operations - covered) == []


def _same_path(openapi_path, row_path):
    a, b = openapi_path.strip("/").split("/"), row_path.strip("/").split("/")
    return len(a) == len(b) and all(x == y or x.startswith("{") for x, y in zip(a, b, strict=True))
