"""Every view and API endpoint × every persona: who gets in, who is refused, and how.

The world: an invite-only space "team" owned by mo (space admin) with lee (member), gus (guest) and
alice, who owns a file shared with the space's members only; olly belongs elsewhere; ada is the site
admin. What a persona may not see answers 404 (not 403); what they may see but not change answers
403 (pages) or 403 (API); anonymous visitors are sent to sign in (pages, including those that would answer 404 to
someone signed in: `check` applies that rule) or get 401 (API); downloads and feeds answer them 404.

A row is (method, path template, expected status per persona). Path templates are filled from the
world. Adding a view or endpoint means adding its row here: `test_every_route_has_a_row` fails until
you do.
"""

import json
import shutil
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from api.services import create_token
from catalog.services import add_session, create_calendar_feed, create_course, enrol, self_report_completion
from core.models import Activity, Notification, Visibility
from core.services import create_item
from files.models import File
from links.discussion import add_comment
from links.models import ImportJob
from links.services import add_entry, add_section, create_board, save_link
from mentoring.tests.pair_world import PRIVATE_NOTE
from mentoring.tests.pair_world import matrix_values as mentoring_pair_values
from mentoring.tests.programme_world import APPLICATION_FORM, PROGRAMME_FORM
from mentoring.tests.programme_world import matrix_values as mentoring_programme_values
from messaging.services import send_message
from people.models import PersonSkill
from portfolios import claims as portfolio_claims
from portfolios import sharing as portfolio_sharing
from portfolios.leap2a import create_import_job as create_leap2a_import
from portfolios.models import ExportJob
from portfolios.services import add_block as add_portfolio_block
from portfolios.services import add_entry as add_journal_entry
from portfolios.services import create_portfolio
from portfolios.services import save_reflection_template as save_portfolio_prompts
from portfolios.services import save_template as save_portfolio_template
from reviews.services import rate_item, update_review
from reviews.services import report as report_review
from spaces.models import Membership, Space
from tests.factories import MembershipFactory, SkillFactory, SpaceFactory, UserFactory, make_personas
from wiki.models import PageTemplate
from wiki.services import create_page

PERSONAS = ("anonymous", "guest", "member", "non_member", "owner", "space_admin", "site_admin")

# Shorthands for expected statuses.
OK, FOUND, NONE, BAD, UNAUTH, FORBID, MISSING = 200, 302, 204, 400, 401, 403, 404
LOGIN = "login"  # a redirect to the sign-in page
GONE = "gone"  # 404 for a signed-out visitor too (`check` asks them to sign in wherever else a page is missing)


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
# The team portfolio's owner does it; others who see the portfolio are refused; whoever cannot see it finds nothing.
PORTFOLIO_OWNER_GET = only({"owner": OK}, others=FORBID) | {"non_member": MISSING}
PORTFOLIO_OWNER_POST = only({"owner": FOUND}, others=FORBID) | {"non_member": MISSING}
PORTFOLIO_OWNER_API = only({"owner": OK}, anonymous=UNAUTH, others=FORBID) | {"non_member": MISSING}
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
# Changing the team portfolio: its owner, the space's admin and the site admin may (core.access.can_edit).
PORTFOLIO_EDIT_GET = by_persona(LOGIN, FORBID, FORBID, MISSING, OK, OK, OK)
PORTFOLIO_EDIT_POST = by_persona(LOGIN, FORBID, FORBID, MISSING, FOUND, FOUND, FOUND)
PORTFOLIO_EDIT_API = by_persona(UNAUTH, FORBID, FORBID, MISSING, OK, OK, OK)
PORTFOLIO_EDIT_API_201 = by_persona(UNAUTH, FORBID, FORBID, MISSING, 201, 201, 201)
PORTFOLIO_EDIT_API_NONE = by_persona(UNAUTH, FORBID, FORBID, MISSING, NONE, NONE, NONE)
BOARD_FORM = {"title": "Team board", "visibility": "space", "layout": "list"}

# Curating the catalogue: lee (the member) is a curator and owns the team's courses; alice, their learner, and
# gus, a guest, see them but may not curate them.
CURATORS_ONLY = by_persona(LOGIN, FORBID, OK, FORBID, FORBID, FORBID, OK)
CURATORS_ONLY_POST = by_persona(LOGIN, FORBID, FOUND, FORBID, FORBID, FORBID, FOUND)
CURATE_GET = by_persona(LOGIN, FORBID, OK, MISSING, FORBID, OK, OK)
CURATE_POST = by_persona(LOGIN, FORBID, FOUND, MISSING, FORBID, FOUND, FOUND)
COURSE_FORM = {"title": "Team classroom", "format": "classroom", "level": "all", "language": "en"}
# Competency frameworks: lee (the member here) is a curator, ada the site admin.
FRAMEWORK_FORM = {
    "title": "F",
    "level_name_0": "A",
    "level_descriptor_0": "a",
    "level_name_1": "B",
    "level_descriptor_1": "b",
}
FRAMEWORK_API = {"title": "F", "levels": [{"name": "A", "descriptor": "a"}, {"name": "B", "descriptor": "b"}]}
CURATORS_API = by_persona(UNAUTH, FORBID, OK, FORBID, FORBID, FORBID, OK)
SESSION_FORM = {"starts": "2031-06-02T09:00", "ends": "2031-06-02T11:00", "time_zone": "Europe/Berlin"}

# A mentoring pair (mentoring/views/pairs.py, api/pairs.py): mo (the space admin persona) mentors alice (the owner
# persona). Only the two of them find anything of it — not the programme's curator lee, not the site admin.
PAIR_GET = only({"owner": OK, "space_admin": OK})
PAIR_POST = only({"owner": FOUND, "space_admin": FOUND})
PAIR_API = only({"owner": OK, "space_admin": OK}, anonymous=UNAUTH)
PAIR_API_201 = only({"owner": 201, "space_admin": 201}, anonymous=UNAUTH)
PAIR_API_NONE = only({"owner": NONE, "space_admin": NONE}, anonymous=UNAUTH)
PAIR_MEETING_FORM = {"starts": "2031-06-02T09:00", "minutes": "60", "format": "video"}

# A conversation between alice (the owner) and mo (the space admin): theirs alone, the site admin included.
THE_TWO_API = only({"owner": OK, "space_admin": OK}, anonymous=UNAUTH)
SEND_TO_OLLY_API = everyone(201, anonymous=UNAUTH, guest=MISSING, non_member=BAD)

# Mentoring programmes (mentoring/views/programmes.py, curate.py and their API): lee (the member persona, a curator)
# runs "Team mentoring", limited to the team space; its space admin mo and the site admin ada run it too. Nobody
# else finds its curators' pages. alice and gus applied as mentees, mo and bea as mentors; alice asked mo.
RUNS_IT = by_persona(LOGIN, MISSING, OK, MISSING, MISSING, OK, OK)
RUNS_IT_POST = by_persona(LOGIN, MISSING, FOUND, MISSING, MISSING, FOUND, FOUND)
RUNS_IT_API = by_persona(UNAUTH, MISSING, OK, MISSING, MISSING, OK, OK)
# alice's application: hers to change; the programme's curators read it; everyone else finds nothing.
ALICES_APPLICATION_API = by_persona(UNAUTH, MISSING, FORBID, MISSING, OK, FORBID, FORBID)
# "Invited mentoring" is for named people: alice (invited) and lee (its curator) see it, as does the site admin.
INVITED_SEE = only({"owner": OK, "member": OK, "site_admin": OK}, anonymous=MISSING)

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
    ("get", "/wiki/{page}/", team_item(FOUND), None),  # to the page's address in its wiki
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
    # A course's page (its permalink): whoever sees the course may say they completed it, with evidence.
    ("get", "/i/{course}/", team_item(), None),
    ("post", "/i/{course}/", team_item(FOUND), {"action": "report", "evidence": "Took it in Singapore."}),
    ("post", "/i/{course}/", team_item(BAD), {"action": "report", "evidence_url": "not a link"}),
    # Curating: adding courses and importing the catalogue are for curators (lee) and admins; a course's own
    # pages are for whoever may curate it: lee (its owner), the team's admin and the site admin.
    ("get", "/catalog/curate/", CURATORS_ONLY, None),
    ("get", "/catalog/curate/new/", CURATORS_ONLY, None),
    ("post", "/catalog/curate/new/", CURATORS_ONLY_POST, COURSE_FORM | {"visibility": "organisation"}),
    ("get", "/catalog/curate/import/", CURATORS_ONLY, None),
    ("post", "/catalog/curate/import/", CURATORS_ONLY, lambda: {"file": catalogue_csv()}),
    ("get", "/catalog/curate/suggest/skills/?skills=py", everyone(OK), None),
    ("get", "/catalog/curate/suggest/people/?curator=al", everyone(OK), None),
    ("get", "/catalog/curate/{course}/", CURATE_GET, None),
    ("get", "/catalog/curate/{course}/edit/", CURATE_GET, None),
    ("post", "/catalog/curate/{course}/edit/", CURATE_POST, COURSE_FORM | {"visibility": "space"}),
    ("get", "/catalog/curate/{course}/sessions/new/", CURATE_GET, None),
    ("post", "/catalog/curate/{course}/sessions/new/", CURATE_POST, SESSION_FORM),
    ("get", "/catalog/curate/{course}/sessions/import/", CURATE_GET, None),
    ("post", "/catalog/curate/{course}/sessions/import/", CURATE_GET, lambda: {"file": calendar(), "time_zone": "UTC"}),
    ("get", "/catalog/curate/{course}/sessions/{session}/edit/", CURATE_GET, None),
    ("post", "/catalog/curate/{course}/sessions/{session}/edit/", CURATE_POST, SESSION_FORM),
    ("get", "/catalog/curate/{course}/sessions/{session}/cancel/", CURATE_GET, None),
    ("post", "/catalog/curate/{course}/sessions/{session}/cancel/", CURATE_POST, None),
    ("get", "/catalog/curate/{course}/sessions/{session}/roster/", CURATE_GET, None),
    ("get", "/catalog/curate/{course}/roster/", CURATE_GET, None),
    ("post", "/catalog/curate/{book}/roster/act/", CURATE_POST, {"act": "confirm:{completion}"}),
    ("post", "/catalog/curate/{course}/roster/completion/", CURATE_POST, {"person": "alice"}),
    # Portfolios: sharing, secret links, feedback, submissions. "Team portfolio" is alice's, for the team's
    # members, with a private block, a private reflection, mo's private feedback, gus's open feedback, an open
    # request for lee's feedback, a secret link and a submission to mo. Who sees it is the owner's business.
    ("get", "/portfolios/{portfolio}/share/", PORTFOLIO_OWNER_GET, None),
    ("post", "/portfolios/{portfolio}/share/", PORTFOLIO_OWNER_POST, {"visibility": "space", "space": "team"}),
    ("post", "/portfolios/{portfolio}/share/links/", PORTFOLIO_OWNER_GET, {"label": "Panel"}),
    ("post", "/portfolios/{portfolio}/share/links/{pf_link}/revoke", PORTFOLIO_OWNER_POST, None),
    ("post", "/portfolios/{portfolio}/feedback/ask", PORTFOLIO_OWNER_POST, {"people": "bea", "message": "Thoughts?"}),
    ("get", "/portfolios/{portfolio}/feedback/", team_item(anonymous=LOGIN), None),
    ("get", "/portfolios/{portfolio}/feedback/?block={pf_block}", team_item(anonymous=LOGIN), None),
    ("get", "/portfolios/{portfolio}/feedback/?block={pf_private_block}", only({"owner": OK}), None),
    ("get", "/portfolios/{portfolio}/feedback/?entry={pf_entry}", team_item(anonymous=LOGIN), None),
    # The owner replies to feedback rather than giving it.
    ("post", "/portfolios/{portfolio}/feedback/", team_item(FOUND, anonymous=LOGIN) | {"owner": BAD}, {"body": "Nice"}),
    ("get", "/portfolios/{portfolio}/submit/", PORTFOLIO_OWNER_GET, None),
    ("post", "/portfolios/{portfolio}/submit/", PORTFOLIO_OWNER_POST, {"people": "lee", "message": "Ready"}),
    ("get", "/portfolios/feedback/", everyone(OK), None),
    ("post", "/portfolios/feedback/requests/{pf_request}/withdraw", only({"owner": FOUND}), None),
    # Private feedback (mo's) exists for its author and the owner only; gus wrote the open feedback.
    ("post", "/portfolios/feedback/{pf_feedback}/reply", only({"owner": FOUND, "space_admin": FOUND}), {"body": "Ok"}),
    (
        "post",
        "/portfolios/feedback/{pf_open_feedback}/reply",
        by_persona(LOGIN, FOUND, FORBID, MISSING, FOUND, FORBID, FORBID),
        {"body": "Ok"},
    ),
    (
        "post",
        "/portfolios/feedback/{pf_feedback}/addressed",
        only({"owner": FOUND, "space_admin": FORBID}),
        {"addressed": "1"},
    ),
    (
        "post",
        "/portfolios/feedback/{pf_open_feedback}/addressed",
        team_item(FORBID, anonymous=LOGIN) | {"owner": FOUND},
        {"addressed": "1"},
    ),
    ("post", "/portfolios/feedback/{pf_feedback}/delete", only({"owner": FORBID, "space_admin": FOUND}), None),
    (
        "post",
        "/portfolios/feedback/{pf_open_feedback}/delete",
        team_item(FORBID, anonymous=LOGIN) | {"guest": FOUND},
        None,
    ),
    # A submission is its owner's, its reviewer's (mo) and the site admins'.
    ("get", "/portfolios/submissions/", everyone(OK), None),
    ("get", "/portfolios/submissions/{pf_submission}/", only({"owner": OK, "space_admin": OK, "site_admin": OK}), None),
    (
        "post",
        "/portfolios/submissions/{pf_submission}/assess",
        by_persona(LOGIN, MISSING, MISSING, MISSING, FORBID, FOUND, FORBID),
        {"outcome": "meets", "assessment": "Good"},
    ),
    (
        "post",
        "/portfolios/submissions/{pf_submission}/withdraw",
        by_persona(LOGIN, MISSING, MISSING, MISSING, FOUND, FORBID, FORBID),
        None,
    ),
    # A secret link is its own key: anyone holding it reads the portfolio, signed in or not.
    ("get", "/portfolios/s/{pf_token}/", everyone(OK, anonymous=OK), None),
    ("get", "/portfolios/s/{pf_token}/{pf_slug}/", everyone(OK, anonymous=OK), None),
    ("get", "/portfolios/s/{pf_token}/journal/", everyone(OK, anonymous=OK), None),
    # The owner's own file shown on a shared block opens through the link; nothing else does.
    ("get", "/portfolios/s/{pf_token}/files/{file}/download", everyone(OK, anonymous=OK), None),
    ("get", "/portfolios/s/{pf_token}/files/{file}/thumbnail", everyone(OK, anonymous=OK), None),
    ("get", "/portfolios/s/{pf_token}/files/999999/download", everyone(MISSING, anonymous=GONE), None),
    # A secret link is for people outside: a dead one says so to them too, rather than asking them to sign in.
    ("get", "/portfolios/s/unknown/", everyone(MISSING, anonymous=GONE), None),
    # Portfolio pages, the editor and the journal. The team portfolio is seen by the team; it is changed by its
    # owner, the space's admin and the site admin (core.access); its journal and what is private are alice's alone.
    ("get", "/portfolios/", everyone(OK), None),
    ("get", "/portfolios/?shared=1", everyone(OK), None),
    ("get", "/portfolios/new/", everyone(OK), None),
    ("post", "/portfolios/new/", everyone(FOUND), {"start": "showcase", "title": "Mine", "visibility": "private"}),
    ("post", "/portfolios/preview", everyone(OK), {"body": "**Hello**"}),
    ("get", "/i/{portfolio}/", team_item(), None),
    ("get", "/portfolios/{portfolio}/{pf_slug}/", team_item(), None),
    ("get", "/portfolios/{portfolio}/journal/", team_item(), None),
    ("get", "/portfolios/{portfolio}/{pf_slug}/edit/", PORTFOLIO_EDIT_GET, None),
    ("post", "/portfolios/{portfolio}/{pf_slug}/update", PORTFOLIO_EDIT_POST, {"title": "Goals", "layout": "two"}),
    ("post", "/portfolios/{portfolio}/{pf_slug}/move", PORTFOLIO_EDIT_POST, {"direction": "down"}),
    ("post", "/portfolios/{portfolio}/{pf_slug}/delete", PORTFOLIO_EDIT_POST, None),
    ("post", "/portfolios/{portfolio}/{pf_slug}/blocks/add", PORTFOLIO_EDIT_POST, {"kind": "text", "column": "0"}),
    ("post", "/portfolios/{portfolio}/pages/add", PORTFOLIO_EDIT_POST, {"title": "More", "layout": "one"}),
    ("get", "/portfolios/{portfolio}/blocks/{pf_block}/edit/", PORTFOLIO_EDIT_GET, None),
    ("post", "/portfolios/{portfolio}/blocks/{pf_block}/edit/", PORTFOLIO_EDIT_POST, {"title": "S", "body": "New"}),
    # A private block is its owner's alone: the space's and the site's admins, who may edit the rest, find nothing.
    (
        "get",
        "/portfolios/{portfolio}/blocks/{pf_private_block}/edit/",
        by_persona(LOGIN, FORBID, FORBID, MISSING, OK, MISSING, MISSING),
        None,
    ),
    ("post", "/portfolios/{portfolio}/blocks/{pf_block}/move", PORTFOLIO_EDIT_POST, {"direction": "down"}),
    ("post", "/portfolios/{portfolio}/blocks/{pf_block}/private", PORTFOLIO_OWNER_POST, {"private": "1"}),
    ("post", "/portfolios/{portfolio}/blocks/{pf_block}/delete", PORTFOLIO_EDIT_POST, None),
    ("get", "/portfolios/{portfolio}/find?find=team", PORTFOLIO_EDIT_GET, None),
    ("get", "/portfolios/{portfolio}/settings/", PORTFOLIO_EDIT_GET, None),
    ("post", "/portfolios/{portfolio}/settings/", PORTFOLIO_EDIT_POST, {"title": "Team", "visibility": "space"}),
    ("get", "/portfolios/{portfolio}/delete/", PORTFOLIO_EDIT_GET, None),
    ("post", "/portfolios/{portfolio}/delete/", PORTFOLIO_EDIT_POST, None),
    # Saving a structure as a template is for curators who may edit the portfolio: here only the site admin.
    (
        "post",
        "/portfolios/{portfolio}/as-template",
        by_persona(LOGIN, FORBID, FORBID, MISSING, FORBID, FORBID, FOUND),
        None,
    ),
    ("get", "/portfolios/{portfolio}/journal/new/", PORTFOLIO_OWNER_GET, None),
    ("post", "/portfolios/{portfolio}/journal/new/", PORTFOLIO_OWNER_POST, {"happened": "2026-01-05", "title": "Two"}),
    ("get", "/portfolios/{portfolio}/journal/{pf_entry}/edit/", PORTFOLIO_OWNER_GET, None),
    ("post", "/portfolios/{portfolio}/journal/{pf_entry}/delete", PORTFOLIO_OWNER_POST, None),
    # Curators (lee, the "member" here) and admins keep the portfolio templates and reflection prompts.
    ("get", "/portfolios/templates/", everyone(OK), None),
    ("get", "/portfolios/templates/new/", only({"member": OK, "site_admin": OK}, others=FORBID), None),
    ("get", "/portfolios/templates/{pf_template}/", only({"member": OK, "site_admin": OK}, others=FORBID), None),
    (
        "post",
        "/portfolios/templates/{pf_template}/delete",
        only({"member": FOUND, "site_admin": FOUND}, others=FORBID),
        None,
    ),
    ("get", "/portfolios/prompts/new/", only({"member": OK, "site_admin": OK}, others=FORBID), None),
    ("get", "/portfolios/prompts/{pf_prompts}/", only({"member": OK, "site_admin": OK}, others=FORBID), None),
    (
        "post",
        "/portfolios/prompts/{pf_prompts}/delete",
        only({"member": FOUND, "site_admin": FOUND}, others=FORBID),
        None,
    ),
    # Skill claims: alice's claim is shown in the team portfolio (so the team sees it) and mo is asked to endorse it;
    # only alice changes it and only mo answers. Frameworks are read by everyone and kept by curators (lee).
    ("get", "/portfolios/claims/", everyone(OK), None),
    ("get", "/portfolios/claims/new/", everyone(OK), None),
    ("post", "/portfolios/claims/new/", everyone(FOUND), {"skill": "Python", "rubric": "{pf_framework}", "level": "1"}),
    ("get", "/portfolios/claims/find?find=team", everyone(OK), None),
    ("get", "/portfolios/claims/levels?rubric={pf_framework}", everyone(OK), None),
    ("get", "/portfolios/claims/{pf_claim}/", team_item(anonymous=LOGIN), None),
    ("get", "/portfolios/claims/{pf_claim}/edit/", PORTFOLIO_OWNER_GET, None),
    ("post", "/portfolios/claims/{pf_claim}/edit/", PORTFOLIO_OWNER_POST, {"skill": "Python", "level": "3"}),
    ("get", "/portfolios/claims/{pf_claim}/delete/", PORTFOLIO_OWNER_GET, None),
    ("post", "/portfolios/claims/{pf_claim}/delete/", PORTFOLIO_OWNER_POST, None),
    ("post", "/portfolios/claims/{pf_claim}/evidence/", PORTFOLIO_OWNER_POST, {"item": "{bookmark}"}),
    ("post", "/portfolios/claims/{pf_claim}/evidence/{pf_evidence}/remove", PORTFOLIO_OWNER_POST, None),
    ("post", "/portfolios/claims/{pf_claim}/ask", PORTFOLIO_OWNER_POST, {"people": "lee", "message": "Please"}),
    ("get", "/portfolios/endorsements/", everyone(OK), None),
    ("get", "/portfolios/endorsements/{pf_endorse}/", only({"space_admin": OK, "owner": FOUND}), None),
    (
        "post",
        "/portfolios/endorsements/{pf_endorse}/endorse",
        only({"space_admin": FOUND, "owner": FORBID}),
        {"level": "2"},
    ),
    (
        "post",
        "/portfolios/endorsements/{pf_endorse}/decline",
        only({"space_admin": FOUND, "owner": FORBID}),
        {"note": "No"},
    ),
    ("get", "/portfolios/frameworks/", everyone(OK), None),
    ("get", "/portfolios/frameworks/new/", CURATORS_ONLY, None),
    ("post", "/portfolios/frameworks/new/", CURATORS_ONLY_POST, FRAMEWORK_FORM),
    ("get", "/portfolios/frameworks/{pf_framework}/edit/", CURATORS_ONLY, None),
    ("post", "/portfolios/frameworks/{pf_framework}/edit/", CURATORS_ONLY_POST, FRAMEWORK_FORM),
    # Portfolio export and import: everyone moves their own; a job (alice's) is its owner's alone, even to admins.
    ("get", "/portfolios/export/", everyone(OK), None),
    ("post", "/portfolios/export/", everyone(FOUND), {"format": "leap2a", "portfolio": ""}),
    ("get", "/portfolios/export/{export_job}/", only({"owner": OK}), None),
    ("get", "/portfolios/export/{export_job}/download", only({"owner": OK}), None),
    ("get", "/portfolios/import/", everyone(OK), None),
    ("post", "/portfolios/import/", everyone(FOUND), lambda: {"file": leap2a_upload()}),
    ("get", "/portfolios/import/{import_job}/", only({"owner": OK}), None),
    ("post", "/portfolios/import/{import_job}/", only({"owner": FOUND}), None),
    ("get", "/mentoring/pairs/", everyone(OK), None),
    ("get", "/mentoring/pairs/{pair}/", PAIR_GET, None),
    ("get", "/mentoring/pairs/{pair}/agreement/", PAIR_GET, None),
    ("post", "/mentoring/pairs/{pair}/agreement/", PAIR_POST, {"text_rhythm": "Fortnightly.", "base_rhythm": ""}),
    ("post", "/mentoring/pairs/{pair}/agreement/sign", PAIR_POST, None),
    ("post", "/mentoring/pairs/{pair}/goals/", PAIR_POST, {"title": "Give a talk"}),
    ("post", "/mentoring/pairs/{pair}/goals/{pair_goal}/", PAIR_POST, {"progress": "50"}),
    ("post", "/mentoring/pairs/{pair}/goals/{pair_goal}/delete", PAIR_POST, None),
    ("get", "/mentoring/pairs/{pair}/meetings/new/", PAIR_GET, None),
    ("post", "/mentoring/pairs/{pair}/meetings/new/", PAIR_POST, PAIR_MEETING_FORM),
    ("get", "/mentoring/pairs/{pair}/meetings/log/", PAIR_GET, None),
    ("post", "/mentoring/pairs/{pair}/meetings/log/", PAIR_POST, PAIR_MEETING_FORM | {"starts": "{pair_past}"}),
    ("get", "/mentoring/pairs/{pair}/meetings/{pair_meeting}/", PAIR_GET, None),
    ("get", "/mentoring/pairs/{pair}/meetings/{pair_meeting}/edit/", PAIR_GET, None),
    ("post", "/mentoring/pairs/{pair}/meetings/{pair_meeting}/edit/", PAIR_POST, PAIR_MEETING_FORM),
    ("post", "/mentoring/pairs/{pair}/meetings/{pair_meeting}/cancel", PAIR_POST, None),
    ("get", "/mentoring/pairs/{pair}/meetings/{pair_meeting}/invite.ics", PAIR_GET, None),
    ("post", "/mentoring/pairs/{pair}/meetings/{pair_met}/held", PAIR_POST, {"shared_notes": "We met.", "base": ""}),
    ("post", "/mentoring/pairs/{pair}/meetings/{pair_met}/notes", PAIR_POST, {"shared_notes": "Notes.", "base": ""}),
    ("post", "/mentoring/pairs/{pair}/meetings/{pair_met}/my-note", PAIR_POST, {"text": "Mine."}),
    # A check-in is its person's alone: alice's is not found by mo.
    ("get", "/mentoring/pairs/{pair}/checkins/{pair_checkin}/", only({"owner": OK}), None),
    ("post", "/mentoring/pairs/{pair}/checkins/{pair_checkin}/", only({"owner": FOUND}), {"score": "4"}),
    ("get", "/mentoring/pairs/{pair}/close/", PAIR_GET, None),
    ("post", "/mentoring/pairs/{pair}/close/", PAIR_POST, {"reflection": "Learned a lot.", "rating": "5"}),
    ("post", "/mentoring/pairs/{pair_closed}/close/portfolio", PAIR_POST, {"portfolio": ""}),
    ("post", "/mentoring/pairs/{pair_closed}/continue", PAIR_POST, None),
    # Messages: a thread is addressed by the other person's username, so each persona opens their own
    # conversation with mo (none for mo himself) or olly (whom gus, a guest, cannot see).
    ("get", "/messages/", everyone(OK), None),
    ("get", "/messages/mo/", everyone(OK, space_admin=MISSING), None),
    ("get", "/messages/olly/", everyone(OK, guest=MISSING, non_member=MISSING), None),
    ("post", "/messages/olly/", everyone(FOUND, guest=MISSING, non_member=MISSING), {"body": "Hello"}),
    # Only alice has messages from mo to poll for; the others' threads with him are empty (204, nothing new).
    ("get", "/messages/mo/new?after=0", by_persona(LOGIN, NONE, NONE, NONE, OK, MISSING, NONE), None),
    ("get", "/mentoring/", everyone(OK), None),
    ("get", "/i/{mt_programme}/", team_item(), None),
    ("get", "/i/{mt_invited}/", INVITED_SEE, None),
    (
        "get",
        "/mentoring/programmes/{mt_programme}/apply/mentee/",
        by_persona(LOGIN, FOUND, OK, MISSING, FOUND, OK, OK),
        None,
    ),
    (
        "get",
        "/mentoring/programmes/{mt_invited}/apply/mentee/",
        by_persona(LOGIN, MISSING, FORBID, MISSING, OK, MISSING, FORBID),
        None,
    ),
    (
        "post",
        "/mentoring/programmes/{mt_invited}/apply/mentee/",
        by_persona(LOGIN, MISSING, FORBID, MISSING, FOUND, MISSING, FORBID),
        APPLICATION_FORM,
    ),
    ("get", "/mentoring/applications/{mt_mentee_app}/", only({"owner": OK}), None),
    ("post", "/mentoring/applications/{mt_mentee_app}/", only({"owner": FOUND}), APPLICATION_FORM),
    ("post", "/mentoring/applications/{mt_mentee_app}/withdraw/", only({"owner": FOUND}), None),
    ("get", "/mentoring/applications/{mt_mentee_app}/suggestions/", only({"owner": OK}), None),
    ("post", "/mentoring/applications/{mt_mentee_app}/request/{mt_bea_app}/", only({"owner": FOUND}), {"note": "Hi"}),
    ("get", "/mentoring/requests/", everyone(OK), None),
    ("post", "/mentoring/requests/{mt_request}/respond/", only({"space_admin": FOUND}), {"decision": "decline"}),
    ("post", "/mentoring/matches/{mt_request}/decline/", only({"owner": FOUND, "space_admin": FOUND}), None),
    ("get", "/mentoring/curate/", only({"member": OK, "site_admin": OK}), None),
    ("get", "/mentoring/curate/new/", only({"member": OK, "site_admin": OK}), None),
    (
        "post",
        "/mentoring/curate/new/",
        only({"member": FOUND, "site_admin": FOUND}),
        PROGRAMME_FORM | {"visibility": "organisation"},
    ),
    ("get", "/mentoring/curate/{mt_programme}/", RUNS_IT, None),
    ("get", "/mentoring/curate/{mt_programme}/edit/", RUNS_IT, None),
    ("post", "/mentoring/curate/{mt_programme}/edit/", RUNS_IT_POST, PROGRAMME_FORM),
    ("get", "/mentoring/curate/{mt_programme}/applications/", RUNS_IT, None),
    ("post", "/mentoring/curate/{mt_programme}/runs/", RUNS_IT_POST, None),
    ("get", "/mentoring/curate/{mt_programme}/runs/{mt_run}/", RUNS_IT, None),
    ("post", "/mentoring/curate/{mt_programme}/runs/{mt_run}/pair/", RUNS_IT_POST, {"mentee": "{mt_gus_app}"}),
    ("post", "/mentoring/curate/{mt_programme}/runs/{mt_run}/publish/", RUNS_IT_POST, None),
    ("post", "/mentoring/curate/{mt_programme}/runs/{mt_run}/discard/", RUNS_IT_POST, None),
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
    # Curating: adding a course is a curator's (lee) or an admin's; the rest is for the course's curators
    # (lee, the space's admin mo, the site admin); others who see the course are refused, the rest find nothing.
    (
        "post",
        "/api/catalog/courses",
        everyone(FORBID, anonymous=UNAUTH) | {"member": 201, "site_admin": 201},
        {"title": "A new course"},
    ),
    (
        "patch",
        "/api/catalog/courses/{course}",
        by_persona(UNAUTH, FORBID, OK, MISSING, FORBID, OK, OK),
        {"title": "Renamed"},
    ),
    (
        "post",
        "/api/catalog/courses/{course}/sessions",
        by_persona(UNAUTH, FORBID, 201, MISSING, FORBID, 201, 201),
        {"starts": "2031-03-30T09:30:00+02:00", "ends": "2031-03-30T11:30:00+02:00", "time_zone": "Europe/Berlin"},
    ),
    (
        "patch",
        "/api/catalog/sessions/{session}",
        by_persona(UNAUTH, FORBID, OK, MISSING, FORBID, OK, OK),
        {"place": "Room 5"},
    ),
    ("post", "/api/catalog/sessions/{session}/cancel", by_persona(UNAUTH, FORBID, OK, MISSING, FORBID, OK, OK), None),
    ("get", "/api/catalog/courses/{course}/enrolments", by_persona(UNAUTH, FORBID, OK, MISSING, FORBID, OK, OK), None),
    (
        "get",
        "/api/catalog/sessions/{session}/enrolments",
        by_persona(UNAUTH, FORBID, OK, MISSING, FORBID, OK, OK),
        None,
    ),
    # alice's enrolment on the book: hers, so she is refused; others' are hidden from non-curators; curators are
    # told a self-paced course has no attendance.
    (
        "put",
        "/api/catalog/enrolments/{completion}/attendance",
        by_persona(UNAUTH, MISSING, BAD, MISSING, FORBID, BAD, BAD),
        {"attended": True},
    ),
    (
        "post",
        "/api/catalog/courses/{course}/completions",
        by_persona(UNAUTH, FORBID, OK, MISSING, FORBID, OK, OK),
        {"person": "alice"},
    ),
    # Both imports answer a dry run (the default) with their plan.
    (
        "post",
        "/api/catalog/courses/import",
        everyone(FORBID, anonymous=UNAUTH) | {"member": OK, "site_admin": OK},
        lambda: {"text": "title,format\nMatrix course,book\n"},
    ),
    (
        "post",
        "/api/catalog/courses/{course}/sessions/import",
        by_persona(UNAUTH, FORBID, OK, MISSING, FORBID, OK, OK),
        lambda: {"text": "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:m\nDTSTART:20310330T073000Z\nEND:VEVENT\nEND:VCALENDAR\n"},
    ),
    # Portfolio sharing (portfolios.api.sharing): the world's "Team portfolio" as for the pages above.
    ("get", "/api/portfolios/{portfolio}/sharing", PORTFOLIO_OWNER_API, None),
    ("put", "/api/portfolios/{portfolio}/sharing", PORTFOLIO_OWNER_API, {"visibility": "space"}),
    ("get", "/api/portfolios/{portfolio}/secret-links", PORTFOLIO_OWNER_API, None),
    ("post", "/api/portfolios/{portfolio}/secret-links", PORTFOLIO_OWNER_API | {"owner": 201}, {"label": "Panel"}),
    ("post", "/api/portfolios/{portfolio}/secret-links/{pf_link}/revoke", PORTFOLIO_OWNER_API, None),
    ("get", "/api/portfolios/{portfolio}/feedback", team_item(anonymous=UNAUTH), None),
    (
        "post",
        "/api/portfolios/{portfolio}/feedback",
        team_item(201, anonymous=UNAUTH) | {"owner": BAD},
        {"body": "Nice", "block": "{pf_block}"},
    ),
    (
        "post",
        "/api/portfolios/feedback/{pf_feedback}/replies",
        only({"owner": 201, "space_admin": 201}, anonymous=UNAUTH),
        {"body": "Ok"},
    ),
    (
        "put",
        "/api/portfolios/feedback/{pf_feedback}/addressed",
        only({"owner": OK, "space_admin": FORBID}, anonymous=UNAUTH),
        None,
    ),
    (
        "delete",
        "/api/portfolios/feedback/{pf_feedback}/addressed",
        only({"owner": OK, "space_admin": FORBID}, anonymous=UNAUTH),
        None,
    ),
    (
        "delete",
        "/api/portfolios/feedback/{pf_feedback}",
        only({"owner": FORBID, "space_admin": NONE}, anonymous=UNAUTH),
        None,
    ),
    ("get", "/api/portfolios/feedback-requests", everyone(OK, anonymous=UNAUTH), None),
    ("get", "/api/portfolios/{portfolio}/feedback-requests", PORTFOLIO_OWNER_API, None),
    (
        "post",
        "/api/portfolios/{portfolio}/feedback-requests",
        PORTFOLIO_OWNER_API | {"owner": 201},
        {"people": ["bea"]},
    ),
    ("post", "/api/portfolios/feedback-requests/{pf_request}/withdraw", only({"owner": OK}, anonymous=UNAUTH), None),
    ("get", "/api/portfolios/submissions", everyone(OK, anonymous=UNAUTH), None),
    ("get", "/api/portfolios/{portfolio}/submissions", PORTFOLIO_OWNER_API, None),
    ("post", "/api/portfolios/{portfolio}/submissions", PORTFOLIO_OWNER_API | {"owner": 201}, {"reviewer": "lee"}),
    (
        "get",
        "/api/portfolios/submissions/{pf_submission}",
        only({"owner": OK, "space_admin": OK, "site_admin": OK}, anonymous=UNAUTH),
        None,
    ),
    (
        "put",
        "/api/portfolios/submissions/{pf_submission}/assessment",
        by_persona(UNAUTH, MISSING, MISSING, MISSING, FORBID, OK, FORBID),
        {"outcome": "meets", "assessment": "Good"},
    ),
    (
        "post",
        "/api/portfolios/submissions/{pf_submission}/withdraw",
        by_persona(UNAUTH, MISSING, MISSING, MISSING, OK, FORBID, FORBID),
        None,
    ),
    # Leap2A and offline-site exports and imports (portfolios.api.transfer): a job is its owner's alone.
    ("get", "/api/portfolios/transfer/exports", everyone(OK, anonymous=UNAUTH), None),
    ("post", "/api/portfolios/transfer/exports", everyone(201, anonymous=UNAUTH), {"format": "html"}),
    ("get", "/api/portfolios/transfer/exports/{export_job}", only({"owner": OK}, anonymous=UNAUTH), None),
    ("get", "/api/portfolios/transfer/exports/{export_job}/download", only({"owner": OK}, anonymous=UNAUTH), None),
    (
        "post",
        "/api/portfolios/transfer/imports",
        everyone(201, anonymous=UNAUTH),
        lambda: {"file": leap2a_upload()},
    ),
    ("get", "/api/portfolios/transfer/imports/{import_job}", only({"owner": OK}, anonymous=UNAUTH), None),
    ("post", "/api/portfolios/transfer/imports/{import_job}/confirm", only({"owner": OK}, anonymous=UNAUTH), None),
    # Skill claims (portfolios.api.claims), as for the pages above.
    ("get", "/api/portfolios/claims", everyone(OK, anonymous=UNAUTH), None),
    (
        "post",
        "/api/portfolios/claims",
        everyone(201, anonymous=UNAUTH),
        {"skill": "python", "level": 1, "framework": "{pf_framework}"},
    ),
    ("get", "/api/portfolios/claims/{pf_claim}", team_item(anonymous=UNAUTH), None),
    ("patch", "/api/portfolios/claims/{pf_claim}", PORTFOLIO_OWNER_API, {"level": 3}),
    ("delete", "/api/portfolios/claims/{pf_claim}", PORTFOLIO_OWNER_API | {"owner": NONE}, None),
    (
        "post",
        "/api/portfolios/claims/{pf_claim}/evidence",
        PORTFOLIO_OWNER_API | {"owner": 201},
        {"item": "{bookmark}"},
    ),
    ("delete", "/api/portfolios/claims/{pf_claim}/evidence/{pf_evidence}", PORTFOLIO_OWNER_API | {"owner": NONE}, None),
    (
        "post",
        "/api/portfolios/claims/{pf_claim}/endorsement-requests",
        PORTFOLIO_OWNER_API | {"owner": 201},
        {"endorsers": ["lee"]},
    ),
    ("get", "/api/portfolios/endorsement-requests", everyone(OK, anonymous=UNAUTH), None),
    (
        "get",
        "/api/portfolios/endorsement-requests/{pf_endorse}",
        only({"space_admin": OK, "owner": OK}, anonymous=UNAUTH),
        None,
    ),
    (
        "post",
        "/api/portfolios/endorsement-requests/{pf_endorse}/endorse",
        only({"space_admin": OK, "owner": FORBID}, anonymous=UNAUTH),
        {"level": 2},
    ),
    (
        "post",
        "/api/portfolios/endorsement-requests/{pf_endorse}/decline",
        only({"space_admin": OK, "owner": FORBID}, anonymous=UNAUTH),
        {"note": "No"},
    ),
    ("get", "/api/portfolios/frameworks", everyone(OK, anonymous=UNAUTH), None),
    ("get", "/api/portfolios/frameworks/{pf_framework}", everyone(OK, anonymous=UNAUTH), None),
    ("post", "/api/portfolios/frameworks", CURATORS_API | {"member": 201, "site_admin": 201}, FRAMEWORK_API),
    ("patch", "/api/portfolios/frameworks/{pf_framework}", CURATORS_API, {"title": "Renamed"}),
    # Portfolios, pages, blocks and the journal (portfolios.api.pages), on the world's "Team portfolio": changed
    # by whoever may edit it; its journal and its private block are alice's alone.
    ("get", "/api/portfolios/", everyone(OK, anonymous=OK), None),
    ("get", "/api/portfolios/templates", everyone(OK, anonymous=UNAUTH), None),
    ("post", "/api/portfolios/", everyone(201, anonymous=UNAUTH), {"title": "Mine"}),
    ("get", "/api/portfolios/{portfolio}", team_item(), None),
    ("patch", "/api/portfolios/{portfolio}", PORTFOLIO_EDIT_API, {"title": "Team portfolio"}),
    ("delete", "/api/portfolios/{portfolio}", PORTFOLIO_EDIT_API_NONE, None),
    ("get", "/api/portfolios/{portfolio}/pages", team_item(), None),
    ("post", "/api/portfolios/{portfolio}/pages", PORTFOLIO_EDIT_API_201, {"title": "More"}),
    ("get", "/api/portfolios/{portfolio}/pages/{pf_page}", team_item(), None),
    ("patch", "/api/portfolios/{portfolio}/pages/{pf_page}", PORTFOLIO_EDIT_API, {"layout": "two"}),
    ("post", "/api/portfolios/{portfolio}/pages/{pf_page}/move", PORTFOLIO_EDIT_API, {"position": 1}),
    ("delete", "/api/portfolios/{portfolio}/pages/{pf_page}", PORTFOLIO_EDIT_API_NONE, None),
    ("post", "/api/portfolios/{portfolio}/pages/{pf_page}/blocks", PORTFOLIO_EDIT_API_201, {"kind": "text"}),
    ("get", "/api/portfolios/{portfolio}/blocks/{pf_block}", team_item(), None),
    (
        "get",
        "/api/portfolios/{portfolio}/blocks/{pf_private_block}",
        everyone(MISSING, anonymous=MISSING) | {"owner": OK},
        None,
    ),
    ("patch", "/api/portfolios/{portfolio}/blocks/{pf_block}", PORTFOLIO_EDIT_API, {"body": "New"}),
    ("post", "/api/portfolios/{portfolio}/blocks/{pf_block}/move", PORTFOLIO_EDIT_API, {"column": 0, "position": 0}),
    # A text block holds no artefact: editors are told so.
    (
        "put",
        "/api/portfolios/{portfolio}/blocks/{pf_block}/artefact",
        by_persona(UNAUTH, FORBID, FORBID, MISSING, BAD, BAD, BAD),
        {"item": 1},
    ),
    ("delete", "/api/portfolios/{portfolio}/blocks/{pf_block}", PORTFOLIO_EDIT_API_NONE, None),
    ("get", "/api/portfolios/{portfolio}/entries", team_item(), None),
    ("post", "/api/portfolios/{portfolio}/entries", PORTFOLIO_OWNER_API | {"owner": 201}, {"title": "Two"}),
    ("get", "/api/portfolios/{portfolio}/entries/{pf_entry}", team_item(), None),
    ("patch", "/api/portfolios/{portfolio}/entries/{pf_entry}", PORTFOLIO_OWNER_API, {"title": "W1"}),
    ("delete", "/api/portfolios/{portfolio}/entries/{pf_entry}", PORTFOLIO_OWNER_API | {"owner": NONE}, None),
    ("get", "/api/mentoring/matches", everyone(OK, anonymous=UNAUTH), None),
    ("get", "/api/mentoring/matches/{pair}", PAIR_API, None),
    ("get", "/api/mentoring/matches/{pair}/agreement", PAIR_API, None),
    ("patch", "/api/mentoring/matches/{pair}/agreement", PAIR_API, {"texts": {"rhythm": "Fortnightly."}}),
    ("post", "/api/mentoring/matches/{pair}/agreement/sign", PAIR_API, {}),
    ("get", "/api/mentoring/matches/{pair}/goals", PAIR_API, None),
    ("post", "/api/mentoring/matches/{pair}/goals", PAIR_API_201, {"title": "Give a talk"}),
    ("patch", "/api/mentoring/matches/{pair}/goals/{pair_goal}", PAIR_API, {"progress": 50}),
    ("delete", "/api/mentoring/matches/{pair}/goals/{pair_goal}", PAIR_API_NONE, None),
    ("get", "/api/mentoring/matches/{pair}/meetings", PAIR_API, None),
    ("post", "/api/mentoring/matches/{pair}/meetings", PAIR_API_201, {"starts": "2031-06-02T09:00:00+00:00"}),
    ("get", "/api/mentoring/matches/{pair}/meetings/{pair_meeting}", PAIR_API, None),
    ("patch", "/api/mentoring/matches/{pair}/meetings/{pair_meeting}", PAIR_API, {"place": "Room 9"}),
    ("post", "/api/mentoring/matches/{pair}/meetings/{pair_meeting}/cancel", PAIR_API, None),
    ("post", "/api/mentoring/matches/{pair}/meetings/{pair_met}/held", PAIR_API, {"shared_notes": "We met."}),
    ("get", "/api/mentoring/matches/{pair}/meetings/{pair_met}/note", PAIR_API, None),
    ("put", "/api/mentoring/matches/{pair}/meetings/{pair_met}/note", PAIR_API, {"text": "Mine."}),
    ("get", "/api/mentoring/matches/{pair}/checkins", PAIR_API, None),
    (
        "post",
        "/api/mentoring/matches/{pair}/checkins/{pair_checkin}",
        PAIR_API | {"space_admin": MISSING},
        {"score": 4},
    ),
    ("post", "/api/mentoring/matches/{pair}/close", PAIR_API_201, {"reflection": "Learned a lot."}),
    ("post", "/api/mentoring/matches/{pair_closed}/continue", PAIR_API_201, None),
    # alice and mo's conversation is theirs alone: everyone else, the site admin included, finds nothing.
    ("get", "/api/messages/conversations", everyone(OK, anonymous=UNAUTH), None),
    ("get", "/api/messages/conversations/{conversation}", THE_TWO_API, None),
    ("post", "/api/messages/conversations/{conversation}/read", THE_TWO_API, None),
    # gus (a guest) cannot see olly; olly cannot write to himself.
    ("post", "/api/messages/", SEND_TO_OLLY_API, {"to": "olly", "body": "Hi"}),
    ("get", "/api/messages/unread-count", everyone(OK, anonymous=UNAUTH), None),
    ("get", "/api/mentoring/programmes", everyone(OK, anonymous=UNAUTH), None),
    ("post", "/api/mentoring/programmes", by_persona(UNAUTH, FORBID, 201, FORBID, FORBID, FORBID, 201), {"title": "T"}),
    ("get", "/api/mentoring/programmes/open", everyone(OK, anonymous=UNAUTH, guest=MISSING), None),
    ("get", "/api/mentoring/programmes/{mt_programme}", team_item(anonymous=UNAUTH), None),
    (
        "patch",
        "/api/mentoring/programmes/{mt_programme}",
        by_persona(UNAUTH, FORBID, OK, MISSING, FORBID, OK, OK),
        {"length_weeks": 10},
    ),
    ("get", "/api/mentoring/programmes/{mt_invited}", INVITED_SEE | {"anonymous": UNAUTH}, None),
    (
        "get",
        "/api/mentoring/programmes/{mt_programme}/application-defaults?side=mentee",
        team_item(anonymous=UNAUTH),
        None,
    ),
    ("get", "/api/mentoring/applications", everyone(OK, anonymous=UNAUTH), None),
    (
        "post",
        "/api/mentoring/applications",
        by_persona(UNAUTH, MISSING, FORBID, MISSING, 201, MISSING, FORBID),
        {"programme": "{mt_invited}", "side": "mentee", "languages": ["en"]},
    ),
    (
        "get",
        "/api/mentoring/applications/{mt_mentee_app}",
        by_persona(UNAUTH, MISSING, OK, MISSING, OK, OK, OK),
        None,
    ),
    ("patch", "/api/mentoring/applications/{mt_mentee_app}", ALICES_APPLICATION_API, {"goals": "SQL"}),
    ("post", "/api/mentoring/applications/{mt_mentee_app}/withdraw", ALICES_APPLICATION_API, None),
    ("get", "/api/mentoring/applications/{mt_mentee_app}/suggestions", ALICES_APPLICATION_API, None),
    ("get", "/api/mentoring/requests", everyone(OK, anonymous=UNAUTH), None),
    (
        "post",
        "/api/mentoring/requests",
        ALICES_APPLICATION_API | {"owner": 201},
        {"mentee_application": "{mt_mentee_app}", "mentor_application": "{mt_bea_app}", "note": "Hi"},
    ),
    (
        "post",
        "/api/mentoring/requests/{mt_request}/respond",
        by_persona(UNAUTH, MISSING, MISSING, MISSING, FORBID, OK, MISSING),
        {"accept": False},
    ),
    (
        "post",
        "/api/mentoring/matches/{mt_request}/decline",
        only({"owner": OK, "space_admin": OK}, anonymous=UNAUTH),
        {},
    ),
    ("get", "/api/mentoring/programmes/{mt_programme}/applications", RUNS_IT_API, None),
    ("get", "/api/mentoring/programmes/{mt_programme}/dashboard", RUNS_IT_API, None),
    ("get", "/api/mentoring/programmes/{mt_programme}/runs", RUNS_IT_API, None),
    (
        "post",
        "/api/mentoring/programmes/{mt_programme}/runs",
        by_persona(UNAUTH, MISSING, 201, MISSING, MISSING, 201, 201),
        None,
    ),
    ("get", "/api/mentoring/runs/{mt_run}", RUNS_IT_API, None),
    (
        "put",
        "/api/mentoring/runs/{mt_run}/pairs",
        RUNS_IT_API,
        {"mentee_application": "{mt_gus_app}", "mentor_application": None},
    ),
    ("post", "/api/mentoring/runs/{mt_run}/publish", RUNS_IT_API, None),
    ("post", "/api/mentoring/runs/{mt_run}/discard", RUNS_IT_API, None),
]


@pytest.fixture(scope="module")
def built_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, built once for the module inside a transaction rolled back at its end. Each row runs in a
    savepoint of it (as with Django's TestCase.setUpTestData), so what one row changes is undone before the next."""
    media = tmp_path_factory.mktemp("matrix-media")
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(MEDIA_ROOT=media):
                users, values = build_world(make_personas())
            yield users, values, media
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def world(built_world, db, _isolated, settings):
    """The world for one row, with the world's files in the row's own media folder whatever an earlier row deleted."""
    users, values, media = built_world
    shutil.copytree(media, settings.MEDIA_ROOT, dirs_exist_ok=True)
    return users, values


def build_world(p):
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
    export_job = ExportJob.objects.create(owner=p.alice, format="leap2a", state="done", file="exports/m.zip", size=22)
    default_storage.save("exports/m.zip", ContentFile(b"PK\x05\x06" + bytes(18)))
    import_job = create_leap2a_import(user=p.alice, upload=leap2a_upload())
    portfolio = create_portfolio(
        owner=p.alice, title="Team portfolio", kind="process", space=p.team, visibility=Visibility.SPACE
    )
    pf_page = portfolio.pages.order_by("position").first()
    pf_block = add_portfolio_block(actor=p.alice, page=pf_page, kind="text", title="Shared", body="For the team.")
    add_portfolio_block(actor=p.alice, page=pf_page, kind="artefact", title="Notes", item=item)
    pf_private_block = add_portfolio_block(
        actor=p.alice, page=pf_page, kind="text", title="Mine", body="Only mine.", private=True
    )
    pf_entry = add_journal_entry(
        actor=p.alice,
        portfolio=portfolio,
        title="Week one",
        answers=[{"prompt": "What happened?", "answer": "A private reflection."}],
        reflection_private=True,
    )
    pf_feedback = portfolio_sharing.give_feedback(actor=p.mo, portfolio=portfolio, body="Just for you.", private=True)
    pf_open_feedback = portfolio_sharing.give_feedback(actor=p.gus, portfolio=portfolio, body="Nice work.")
    pf_request = portfolio_sharing.request_feedback(actor=p.alice, portfolio=portfolio, reviewers=[p.lee]).requests[0]
    pf_link, pf_token = portfolio_sharing.create_secret_link(actor=p.alice, portfolio=portfolio, label="Panel")
    pf_submission = portfolio_sharing.submit_for_review(actor=p.alice, portfolio=portfolio, reviewer=p.mo).submission
    pf_template = save_portfolio_template(actor=p.lee, title="Apprentices", kind="process", structure=[{"title": "A"}])
    pf_prompts = save_portfolio_prompts(actor=p.lee, name="STAR", prompts=["Situation", "Task", "Action", "Result"])
    # Alice claims Python in the team portfolio with the team's notes as evidence, and asks mo to endorse it.
    pf_framework = portfolio_claims.save_framework(
        actor=p.lee,
        title="Data levels",
        levels=[{"name": "Novice", "descriptor": "n"}, {"name": "Fluent", "descriptor": "f"}],
    )
    pf_claim = portfolio_claims.create_claim(
        person=p.alice, skill=skill, level=2, portfolio=portfolio, evidence=[portfolio_claims.EvidenceChoice(item=item)]
    )
    pf_endorse = portfolio_claims.ask_for_endorsement(actor=p.alice, claim=pf_claim, endorsers=[p.mo])[0]
    conversation = send_message(sender=p.alice, recipient=p.mo, body=MESSAGE_SECRET).conversation
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
        "export_job": export_job.pk,
        "import_job": import_job.pk,
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
        "portfolio": portfolio.pk,
        "pf_slug": pf_page.slug,
        "pf_page": pf_page.pk,
        "pf_block": pf_block.pk,
        "pf_private_block": pf_private_block.pk,
        "pf_entry": pf_entry.pk,
        "pf_feedback": pf_feedback.pk,
        "pf_open_feedback": pf_open_feedback.pk,
        "pf_request": pf_request.pk,
        "pf_link": pf_link.pk,
        "pf_token": pf_token,
        "pf_submission": pf_submission.pk,
        "pf_template": pf_template.pk,
        "pf_prompts": pf_prompts.pk,
        "pf_framework": pf_framework.pk,
        "pf_claim": pf_claim.pk,
        "pf_evidence": pf_claim.evidence.get().pk,
        "pf_endorse": pf_endorse.pk,
        "conversation": conversation.pk,
    }
    values.update(mentoring_pair_values(p))
    values.update(mentoring_programme_values(p))
    return users, values


def leap2a_upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.shared_data import SHARED_DATA

    path = SHARED_DATA / "leap2a" / "mahara_behat_leap2a_2022.xml"
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type="application/xml")


def netscape():
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = b'<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<DL><p>\n<DT><A HREF="https://example.com/a">A</A>\n</DL><p>\n'
    return SimpleUploadedFile("bookmarks.html", body, content_type="text/html")


def catalogue_csv():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("courses.csv", b"title,format\nMatrix course,classroom\n", content_type="text/csv")


def calendar():
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:matrix@example.org\r\nSUMMARY:Matrix\r\n"
    body += b"DTSTART:20310602T090000Z\r\nDTEND:20310602T110000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    return SimpleUploadedFile("sessions.ics", body, content_type="text/calendar")


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


def _is_page(path: str) -> bool:
    """A page address, not a download or a feed: its last part has no file extension."""
    return "." not in path.split("?")[0].rstrip("/").rsplit("/", 1)[-1]


def check(world, client_for, method, path, expected, body, persona, *, api):
    users, values = world
    if isinstance(body, dict):  # a body may name objects of the world too, e.g. {"board": "{board}"}
        body = {k: v.format(**values) if isinstance(v, str) else v for k, v in body.items()}
    response = call(client_for(users[persona]), method, path.format(**values), body, api=api)
    want = expected[persona]
    if want == MISSING and persona == "anonymous" and not api and method == "get" and _is_page(path):
        want = LOGIN  # core.views.not_found: whoever is signed out is asked to sign in, not told "not found"
    want = MISSING if want == GONE else want
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
        + ["board", "entry", "section", "review", "report", "course", "book", "session", "completion"]
        + ["portfolio", "pf_block", "pf_private_block", "pf_entry", "pf_feedback", "pf_open_feedback", "pf_request"]
        + ["pf_link", "pf_submission", "pf_template", "pf_prompts", "export_job", "import_job"]
        + ["pf_framework", "pf_claim", "pf_evidence", "pf_endorse", "conversation"]
        + ["pair", "pair_goal", "pair_meeting", "pair_met", "pair_checkin", "pair_closed"]
        + ["mt_programme", "mt_invited", "mt_mentee_app", "mt_gus_app", "mt_mentor_app", "mt_bea_app"]
        + ["mt_request", "mt_run"],
        1,
    )
    match = resolve(
        path.split("?")[0].format(skill="python", feed_token="x", pf_token="x", pf_slug="x", pair_past="x", **values)
    )
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


# The team portfolio's private block ("Only mine.") and private reflection ("A private reflection.") are
# alice's alone: not the space's admin's, not the site admin's, not through search, the home feed, the editor,
# the feedback page or a secret link.
PORTFOLIO_SECRETS = ("Only mine.", "A private reflection.")
PORTFOLIO_READS = [
    "/i/{portfolio}/",
    "/portfolios/{portfolio}/{pf_slug}/",
    "/portfolios/{portfolio}/{pf_slug}/edit/",
    "/portfolios/{portfolio}/journal/",
    "/portfolios/{portfolio}/feedback/",
    "/portfolios/s/{pf_token}/",
    "/search/?q=mine",
    "/search/?q=private+reflection",
    "/",
]


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "owner"])
def test_private_portfolio_parts_never_show_to_anyone_but_the_owner(world, client_for, persona, no_page_cache):
    users, values = world
    client = client_for(users[persona])
    for path in PORTFOLIO_READS:
        content = client.get(path.format(**values)).content.decode()
        for secret in PORTFOLIO_SECRETS:
            assert secret not in content, f"{persona} read {secret!r} at {path}"


def test_the_owner_sees_her_private_portfolio_parts(world, client_for):
    users, values = world
    client = client_for(users["owner"])
    assert "Only mine." in client.get("/portfolios/{portfolio}/{pf_slug}/".format(**values)).content.decode()
    assert "A private reflection." in client.get("/portfolios/{portfolio}/journal/".format(**values)).content.decode()


# alice's message to mo is read by the two of them only: not the site admin, not through search, the home feed,
# notifications or the API, and not in anyone else's thread with either of them.
MESSAGE_SECRET = "Matrix: just between us"
MESSAGE_READS = [
    "/messages/",
    "/messages/mo/",
    "/messages/alice/",
    "/api/messages/conversations",
    "/api/messages/conversations/{conversation}",
    "/notifications/",
    "/api/notifications/",
    "/search/?q=between",
    "/",
]


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p not in ("owner", "space_admin")])
def test_a_conversation_never_shows_to_anyone_but_its_two_people(world, client_for, persona, no_page_cache):
    users, values = world
    client = client_for(users[persona])
    for path in MESSAGE_READS:
        content = client.get(path.format(**values)).content.decode()
        assert MESSAGE_SECRET not in content, f"{persona} read the message at {path}"


@pytest.mark.parametrize(("persona", "path"), [("owner", "/messages/mo/"), ("space_admin", "/messages/alice/")])
def test_the_two_people_read_their_conversation(world, client_for, persona, path):
    users, _ = world
    assert MESSAGE_SECRET in client_for(users[persona]).get(path).content.decode()


# Mo's private note on a meeting of his pair with alice is his alone: not alice's, not the programme's curator's,
# not the site admin's — on the pair's pages, through the API, in search or on the home page.
PAIR_READS = [
    "/mentoring/pairs/{pair}/",
    "/mentoring/pairs/{pair}/meetings/{pair_met}/",
    "/api/mentoring/matches/{pair}/meetings",
    "/api/mentoring/matches/{pair}/meetings/{pair_met}",
    "/api/mentoring/matches/{pair}/meetings/{pair_met}/note",
    "/search/?q=private+note",
    "/",
]


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "space_admin"])
def test_a_private_meeting_note_never_shows_to_anyone_but_its_author(world, client_for, persona, no_page_cache):
    users, values = world
    client = client_for(users[persona])
    for path in PAIR_READS:
        content = client.get(path.format(**values)).content.decode()
        assert PRIVATE_NOTE not in content and PRIVATE_NOTE.replace("'", "&#x27;") not in content, (persona, path)


def test_the_author_reads_his_private_meeting_note(world, client_for):
    users, values = world
    content = client_for(users["space_admin"]).get("/mentoring/pairs/{pair}/meetings/{pair_met}/".format(**values))
    assert PRIVATE_NOTE.replace("'", "&#x27;") in content.content.decode()
