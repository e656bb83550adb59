"""The small demo organisation behind ``manage.py seed``: about sixty people in four offices, eight spaces,
real files, and sixty days of activity.

Everything is written through the same services the pages use, in the order it "happened"; services
stamp the present moment, so after each step its rows are moved back to the moment chosen for it.
Feeds, notifications and "last active" then read like two months of real use.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count, F, OuterRef, Subquery
from django.utils import timezone

from core import notifications
from core.access import forget_space_roles
from core.models import Activity, Item, Notification, Watch
from core.seeding import catalog, data, links, media, mentoring, portfolios, wiki
from core.seeding.documents import demo_files
from core.services import record_activity, watch
from files import services as files
from people import services as people_services
from people.models import Site, Skill, User
from spaces import services as spaces
from spaces.models import Membership, Space

SEED = 20250101
HISTORY_DAYS = 60


@dataclass
class Timeline:
    """Steps to replay in time order; each returns nothing and is stamped with its moment afterwards."""

    now: datetime
    rng: random.Random
    actors: list[int] = field(default_factory=list)
    steps: list[tuple[datetime, int, Callable[[datetime], None]]] = field(default_factory=list)
    _count: int = 0

    def moment(self, days_ago: float, person: User) -> datetime:
        """A weekday working-hours moment about ``days_ago`` back, in the person's own time zone."""
        local = (self.now - timedelta(days=days_ago)).astimezone(ZoneInfo(person.time_zone))
        while local.weekday() >= 5:
            local -= timedelta(days=1)
        local = local.replace(
            hour=self.rng.randint(9, 17), minute=self.rng.randint(0, 59), second=self.rng.randint(0, 59)
        )
        return min(local.astimezone(UTC).replace(microsecond=0), self.now - timedelta(minutes=20))

    def add(self, when: datetime, step: Callable[[datetime], None]) -> None:
        self._count += 1
        heapq.heappush(self.steps, (when, self._count, step))

    def replay(self) -> None:
        """Run the steps in time order; a step may add later ones (a download after an upload)."""
        mark = Activity.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        while self.steps:
            when, _, step = heapq.heappop(self.steps)
            step(when)
            Activity.objects.filter(pk__gt=mark, actor_id__in=self.actors).update(created=when)
            mark = Activity.objects.order_by("-pk").values_list("pk", flat=True).first() or mark


def already_seeded() -> bool:
    """The personas exist only once the whole demo does: it is written in one transaction."""
    return User.objects.filter(username__in=data.PERSONAS).exists()


def seed_demo(*, people: int | None = None, seed: int = SEED) -> dict[str, int]:
    """Build the demo organisation; ``people`` limits how many of the sixty are created (see REQUIRED_PEOPLE)."""
    rng = random.Random(seed)
    now = timezone.now().replace(microsecond=0)
    timeline = Timeline(now=now, rng=rng)
    sites = _sites()
    staff = _people(rng, now, sites, limit=people)
    timeline.actors = [person.pk for person in staff.values()]
    _skills(rng, staff)
    _photos(staff)
    built = _spaces(timeline, staff)
    _files(timeline, staff, built)
    wiki.schedule_wiki(timeline, staff, built, seed=seed)
    links.schedule_links(timeline, staff, built, seed=seed)
    catalog.schedule_catalog(timeline, staff, built, seed=seed)
    portfolios.schedule_portfolios(timeline, staff, built, seed=seed)
    mentoring.schedule_mentoring(timeline, staff, built, seed=seed)
    first = (Activity.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    timeline.replay()
    _notify(now, first_activity=first)
    _last_active(now, rng, staff)
    return {
        "people": len(staff),
        "spaces": len(built),
        "items": Item.objects.count(),
        "activities": Activity.objects.count(),
        "notifications": Notification.objects.count(),
    }


# People


def _sites() -> dict[str, Site]:
    return {
        key: Site.objects.get_or_create(name=name, defaults={"country": country, "time_zone": tz})[0]
        for key, (name, country, tz) in data.SITES.items()
    }


def _people(rng: random.Random, now: datetime, sites: dict[str, Site], *, limit: int | None) -> dict[str, User]:
    rows = data.PEOPLE
    if limit is not None:
        required = [row for row in data.PEOPLE if row[0] in data.REQUIRED_PEOPLE]
        others = [row for row in data.PEOPLE if row[0] not in data.REQUIRED_PEOPLE]
        rows = required + others[: max(0, limit - len(required))]
    # One hash for everyone: Argon2 is slow on purpose, and every demo account shares the one password.
    password = make_password(settings.WATERCOOLER_DEMO_PASSWORD)
    recent = {"alice", "leticia", "tyler", "jun", "gus"}
    staff = {}
    for username, first, last, site_key, department, title, languages in rows:
        site = sites[site_key]
        interests = rng.sample(data.INTERESTS, 3)
        bio = data.BIOS.get(username) or (
            f"{title} in {site.name}. {rng.choice(data.BACKGROUNDS)}. Outside work: {interests[0]} and {interests[1]}."
        )
        role = data.ROLES.get(username, User.Role.LEARNER)
        joined_days = rng.randint(70, 130) if username in recent else rng.randint(200, 2400)
        staff[username] = User.objects.create(
            username=username,
            email=f"{username}@example.com",
            password=password,
            first_name=first,
            last_name=last,
            display_name=f"{first} {last}",
            role=role,
            is_staff=role == User.Role.ADMIN,
            is_superuser=role == User.Role.ADMIN,
            job_title=title,
            department=department,
            site=site,
            location=pick_location(rng, site_key),
            time_zone=site.time_zone,
            languages=languages,
            bio=bio,
            interests=", ".join(interests),
            date_joined=now - timedelta(days=joined_days, hours=rng.randint(0, 23)),
        )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=person, email=person.email, verified=True, primary=True) for person in staff.values()
    )
    return staff


def pick_location(rng: random.Random, site_key: str) -> str:
    office, remote = data.LOCATIONS[site_key]
    return f"Remote, {rng.choice(remote)}" if rng.random() < 0.2 else office


def _skills(rng: random.Random, staff: dict[str, User]) -> None:
    wanted = {name.lower() for pool in data.DEPARTMENT_SKILLS.values() for name in pool}
    wanted |= {name.lower() for name in data.COMMON_SKILLS}
    wanted |= {name.lower() for rows in data.PERSONA_SKILLS.values() for name, _, _ in rows}
    skills: dict[str, Skill] = {}
    for skill in Skill.objects.order_by("-depth", "-pk"):
        if skill.name.lower() in wanted:
            skills[skill.name.lower()] = skill  # the shallowest of same-named skills wins
    for username, person in staff.items():
        rows = data.PERSONA_SKILLS.get(username) or _drawn_skills(rng, person)
        for name, direction, level in rows:
            skill = skills.get(name.lower())
            if skill is not None:
                people_services.add_person_skill(person=person, skill=skill, direction=direction, level=level)


def _drawn_skills(rng: random.Random, person: User) -> list[tuple[str, str, int]]:
    pool = data.DEPARTMENT_SKILLS[person.department]
    senior = any(
        word in person.job_title
        for word in ("Head", "Senior", "Staff", "Lead", "Manager", "Director", "Chief", "Counsel")
    )
    has = rng.sample(pool, rng.randint(3, min(5, len(pool))))
    rows = [(name, "has", rng.randint(3, 4) if senior else rng.randint(1, 3)) for name in has]
    if senior or rng.random() < 0.3:
        rows += [(name, "teaches", 4 if senior else 3) for name in has[: rng.randint(1, 2)]]
    learn = [name for name in data.COMMON_SKILLS if name not in has]
    rows += [(name, "wants", rng.randint(1, 2)) for name in rng.sample(learn, rng.randint(1, 3))]
    return rows


def _photos(staff: dict[str, User]) -> None:
    # Two in three people upload a photo; the rest show their initials, as in any real directory.
    for n, person in enumerate(staff.values()):
        if n % 3 != 2:
            upload = SimpleUploadedFile(f"{person.username}.jpg", media.avatar(person.initials, n), "image/jpeg")
            people_services.set_photo(person=person, upload=upload)


def _last_active(now: datetime, rng: random.Random, staff: dict[str, User]) -> None:
    for username, person in staff.items():
        hours = rng.uniform(0.5, 30) if username in data.PERSONAS else rng.uniform(1, 24 * 20)
        person.last_active = person.last_login = now - timedelta(hours=hours)
    User.objects.bulk_update(staff.values(), ["last_active", "last_login"])
    recent = now - timedelta(days=30)
    counts = dict(
        Activity.objects.filter(created__gte=recent).values("actor").annotate(n=Count("pk")).values_list("actor", "n")
    )
    for person in staff.values():
        person.activity_score = counts.get(person.pk, 0)
    User.objects.bulk_update(staff.values(), ["activity_score"])


# Spaces and memberships


def _spaces(timeline: Timeline, staff: dict[str, User]) -> dict[str, Space]:
    rng = timeline.rng
    built: dict[str, Space] = {}
    core_members = {}
    for spec in demo_files():
        if spec.space and spec.owner in staff:
            core_members.setdefault(spec.space, set()).add(spec.owner)
    # The people who write a space's pages are among its first members: joining on a random day, some
    # would come to edit a page before they had joined (a few only when the demo is made on certain
    # weekdays), and another member would write their edit.
    writers = wiki.writers_by_space()
    # Guests and the outsider belong only where the script puts them.
    ordinary = [u for u in staff if u not in ("gus", "olly")]

    for index, (slug, name, kind, visibility, owner_name, moderators, description, plan) in enumerate(data.SPACES):
        owner = staff[owner_name]
        created = timeline.moment(HISTORY_DAYS - index * 0.35, owner)

        def create(
            when,
            *,
            slug=slug,
            name=name,
            kind=kind,
            visibility=visibility,
            owner=owner,
            description=description,
            palette=index,
        ):
            label = f"{Space.Kind(kind).label} · {_visibility_words(visibility)}"
            cover = SimpleUploadedFile(f"{slug}.jpg", media.cover(name, label, palette), "image/jpeg")
            built[slug] = spaces.create_space(
                creator=owner,
                name=name,
                kind=kind,
                visibility=visibility,
                slug=slug,
                description=description,
                cover=cover,
            )
            Space.objects.filter(pk=built[slug].pk).update(created=when)
            _stamp_memberships(built[slug], [owner], when)

        timeline.add(created, create)

        members = set(plan.get("also", ())) | set(plan.get("invited", ()))
        for department in plan.get("departments", ()):
            members |= {u for u, p in staff.items() if p.department == department and u in ordinary}
        if "sample" in plan:
            members |= set(rng.sample(ordinary, min(plan["sample"], len(ordinary))))
        core = (set(moderators) | core_members.get(slug, set()) | (writers.get(slug, set()) & members)) - {owner_name}
        members = sorted((members | core) & set(staff) - {owner_name})
        for username in members:
            early = username in core
            days_ago = HISTORY_DAYS - index * 0.35 - rng.uniform(0.1, 1.0) if early else rng.uniform(3, 55)
            person = staff[username]
            when = max(timeline.moment(days_ago, person), created + timedelta(hours=1))
            _schedule_membership(
                timeline, slug, visibility, owner, person, when, built, moderator=username in moderators
            )
        for username in plan.get("requests", ()):
            if username in staff:
                when = timeline.moment(rng.uniform(0.5, 6), staff[username])
                timeline.add(when, lambda w, s=slug, p=staff[username]: _request(built[s], p, w))
        for username in plan.get("pending", ()):
            if username in staff:
                when = timeline.moment(rng.uniform(0.5, 4), owner)
                timeline.add(when, lambda w, s=slug, p=staff[username], o=owner: _invite(built[s], o, p, w))
    return built


def _visibility_words(visibility: str) -> str:
    return {"open": "open to everyone", "organisation": "ask to join", "invite": "invitation only"}[visibility]


def _schedule_membership(timeline, slug, visibility, owner, person, when, built, *, moderator: bool) -> None:
    """Open spaces are joined; the others are entered by invitation (accepted hours later) or by an approved request."""
    rng = timeline.rng
    later = when + timedelta(hours=rng.uniform(1, 20))
    if visibility == "open" and not person.is_guest:
        timeline.add(when, lambda w: _join(built[slug], person, w))
    elif visibility == "organisation" and not moderator and rng.random() < 0.6:
        timeline.add(when, lambda w: _request(built[slug], person, w))
        timeline.add(later, lambda w: _approve(built[slug], owner, person, w))
    else:
        timeline.add(when, lambda w: _invite(built[slug], owner, person, w))
        timeline.add(later, lambda w: _accept(built[slug], person, w))
    if moderator:
        timeline.add(later + timedelta(minutes=30), lambda w: _moderate(built[slug], owner, person))


def _stamp_memberships(space: Space, people: list[User], when: datetime) -> None:
    Membership.objects.filter(space=space, user__in=people).update(created=when)
    Watch.objects.filter(space=space, user__in=people).update(created=when)


def _join(space: Space, person: User, when: datetime) -> None:
    spaces.join_space(user=person, space=space)
    _stamp_memberships(space, [person], when)


def _request(space: Space, person: User, when: datetime) -> None:
    spaces.request_to_join(user=person, space=space)
    _stamp_memberships(space, [person], when)


def _approve(space: Space, owner: User, person: User, when: datetime) -> None:
    forget_space_roles(owner)
    spaces.approve_request(approver=owner, space=space, user=person)
    Watch.objects.filter(space=space, user=person).update(created=when)


def _invite(space: Space, owner: User, person: User, when: datetime) -> None:
    forget_space_roles(owner)
    spaces.invite_to_space(inviter=owner, space=space, user=person)
    _stamp_memberships(space, [person], when)


def _accept(space: Space, person: User, when: datetime) -> None:
    spaces.accept_invitation(user=person, space=space)
    Watch.objects.filter(space=space, user=person).update(created=when)


def _moderate(space: Space, owner: User, person: User) -> None:
    forget_space_roles(owner)
    spaces.set_member_role(actor=owner, space=space, user=person, role=Membership.Role.MODERATOR)


# Files and what people do with them


def _files(timeline: Timeline, staff: dict[str, User], built: dict[str, Space]) -> None:
    made: dict[str, Item] = {}
    for spec in demo_files():
        owner = staff.get(spec.owner) or staff[_space_owner(spec.space) if spec.space else "lee"]
        when = timeline.moment(spec.days_ago, owner)

        def upload(when, spec=spec, owner=owner):
            forget_space_roles(owner)
            item = files.upload_file(
                owner=owner,
                uploaded=SimpleUploadedFile(spec.name, spec.content()),
                title=spec.title,
                summary=spec.summary,
                space=built[spec.space] if spec.space else None,
                visibility=spec.visibility,
                tags=spec.tags,
                shared_with=[staff[u] for u in spec.shared_with if u in staff],
            )
            Item.objects.filter(pk=item.pk).update(created=when, updated=when)
            Watch.objects.filter(item=item).update(created=when)
            made[spec.title] = item
            for username in spec.shared_with:
                if username in staff:
                    record_activity(actor=owner, verb=Activity.Verb.SHARED, item=item, target=staff[username])
            _schedule_reads(timeline, item, when, staff)

        timeline.add(when, upload)

    # A few documents are revised after people started using them.
    for title, editor, days_ago, note in (
        ("On-call runbook", "kevin", 2.2, " Updated after the sign-in incident."),
        ("Onboarding checklist", "lee", 5.1, " Now with buddies in every office."),
        ("Python style guide", "mo", 9.4, " Added a section on tests."),
        ("Checkout funnel conversion", "sophie", 1.3, " Refreshed with last week's numbers."),
    ):
        if editor in staff:
            timeline.add(
                timeline.moment(days_ago, staff[editor]),
                lambda w, t=title, e=staff[editor], n=note: _revise(made[t], e, n, w),
            )
    # The personas follow what their stories need: alice watches what she is learning from.
    if "alice" in staff:
        for title in ("Python style guide", "A/B testing cheat sheet", "Reading list: statistics for analysts"):
            timeline.add(timeline.moment(1, staff["alice"]), lambda w, t=title: _watch(staff["alice"], made[t], w))


def _space_owner(slug: str) -> str:
    return next(spec[4] for spec in data.SPACES if spec[0] == slug)


def _schedule_reads(timeline: Timeline, item: Item, uploaded: datetime, staff: dict[str, User]) -> None:
    """Some of the people who can see a file download it, and a few start watching it, in the days after."""
    rng = timeline.rng
    candidates = [p for p in staff.values() if p.pk != item.owner_id]
    rng.shuffle(candidates)
    readers, wanted = [], rng.randint(1, 6)
    for person in candidates:
        if len(readers) >= wanted:
            break
        forget_space_roles(person)
        if Item.objects.visible_to(person).filter(pk=item.pk).exists():
            readers.append(person)
    age = (timeline.now - uploaded).total_seconds() / 86400
    for person in readers:
        when = timeline.moment(rng.uniform(0, age * 0.9), person)
        watches = rng.random() < 0.3
        # The moment drawn can fall before a recent upload (a weekend moves it back to the Friday): then nobody
        # reads or watches the file.
        if uploaded < when < timeline.now:
            timeline.add(when, lambda w, p=person: record_activity(actor=p, verb=Activity.Verb.DOWNLOADED, item=item))
            if watches:
                timeline.add(when, lambda w, p=person: _watch(p, item, w))


def _watch(person: User, item: Item, when: datetime) -> None:
    watch(user=person, item=item)
    Watch.objects.filter(user=person, item=item).update(created=when)


def _revise(item: Item, editor: User, note: str, when: datetime) -> None:
    item.refresh_from_db()
    forget_space_roles(editor)
    files.update_file(
        item=item,
        actor=editor,
        title=item.title,
        summary=item.summary + note,
        visibility=item.visibility,
        tags=list(item.tags.values_list("name", flat=True)),
    )
    Item.objects.filter(pk=item.pk).update(updated=when)


# Notifications


def _notify(now: datetime, *, first_activity: int) -> None:
    """Deliver every activity as the background worker would have, dated as it happened; older ones read.

    Nothing is e-mailed: the queued e-mails are held back with the other tasks, and digests are marked sent.
    """
    seeded = Activity.objects.filter(pk__gte=first_activity)
    for activity in seeded.select_related("actor", "item", "space", "target").order_by("created", "pk"):
        notifications.deliver(activity)
    notes = Notification.objects.filter(activity__in=seeded)
    notes.update(
        created=Subquery(Activity.objects.filter(pk=OuterRef("activity_id")).values("created")[:1]),
        digest_pending=False,
    )
    notes.filter(created__lt=now - timedelta(days=7)).update(read_at=F("created") + timedelta(hours=5))
