from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client, override_settings

from core.models import Activity, Item, Notification, Watch
from files.models import File
from people.models import PersonSkill, Skill, User
from people.queries import experts
from search.models import SearchDocument
from spaces.models import Membership, Space

pytestmark = pytest.mark.django_db

# Fewer than the sixty people keeps these tests quick; the personas and space owners are always among them.
PEOPLE = 16


def seed(**options) -> str:
    out = StringIO()
    call_command("seed", people=PEOPLE, stdout=out, **options)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """One small seed shared by this module's tests (each still runs in its own savepoint), undone after them."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        seed()
        yield
        transaction.set_rollback(True)


def counts() -> dict[str, int]:
    models = [User, Space, Membership, Item, File, Activity, Notification, Watch, PersonSkill, SearchDocument]
    return {model.__name__: model.objects.count() for model in models}


def test_it_builds_a_lived_in_organisation(seeded):
    assert User.objects.count() == PEOPLE
    assert Space.objects.count() == 8
    assert Item.objects.count() > 30
    assert Activity.objects.values("verb").distinct().count() >= 5
    assert Notification.objects.filter(read_at__isnull=True).exists()
    assert SearchDocument.objects.filter(kind="person").count() == PEOPLE
    assert Membership.objects.filter(state=Membership.State.REQUESTED).exists()
    assert Membership.objects.filter(state=Membership.State.INVITED).exists()


def test_it_changes_nothing_when_run_again(seeded):
    before = counts()
    output = seed()
    assert "nothing to do" in output
    assert counts() == before


def test_it_signs_in_every_persona_with_the_demo_password(seeded):
    for username in ("alice", "mo", "lee", "ada", "gus", "olly"):
        assert Client().login(username=username, password=settings.WATERCOOLER_DEMO_PASSWORD), username
    ada = User.objects.get(username="ada")
    assert ada.is_staff and ada.is_superuser and ada.role == User.Role.ADMIN
    assert User.objects.get(username="lee").role == User.Role.CURATOR


def test_it_keeps_the_guest_and_the_outsider_to_one_space_each(seeded):
    gus, olly = User.objects.get(username="gus"), User.objects.get(username="olly")
    assert gus.role == User.Role.GUEST
    assert list(gus.memberships.values_list("space__slug", flat=True)) == ["checkout-redesign"]
    assert list(olly.memberships.values_list("space__slug", flat=True)) == ["northwind"]
    assert Space.objects.get(slug="northwind").visibility == Space.Visibility.INVITE_ONLY


def test_it_keeps_member_counts_in_step_with_memberships(seeded):
    for space in Space.objects.all():
        assert space.member_count == space.memberships.filter(state=Membership.State.ACTIVE).count()
        assert space.memberships.filter(role=Membership.Role.OWNER, state=Membership.State.ACTIVE).exists()


def test_it_stores_real_files_that_were_sniffed_and_thumbnailed(seeded):
    images = File.objects.filter(family=File.Family.IMAGE)
    assert images.exists()
    assert all(f.thumbnail and f.width for f in images)
    assert File.objects.filter(content_type="application/pdf").exists()
    assert File.objects.filter(family=File.Family.AUDIO, content_type="audio/wav").exists()


def test_it_draws_skills_from_esco_so_mentors_can_be_found(seeded):
    assert not PersonSkill.objects.exclude(skill__uri__startswith="http://data.europa.eu/esco/").exists()
    skill = Skill.objects.filter(name="computer programming").first()
    found = experts(User.objects.get(username="alice"), skill)
    assert "mo" in {person.username for person in found}


def test_it_spreads_activity_over_the_last_sixty_days(seeded):
    oldest = Activity.objects.order_by("created").first().created
    newest = Activity.objects.order_by("-created").first().created
    assert (newest - oldest).days >= 50


def test_it_refuses_an_unknown_scale():
    before = User.objects.count()
    with pytest.raises(CommandError, match="scale"):
        call_command("seed", "--scale", "huge", stdout=StringIO())
    with pytest.raises(CommandError, match="scale"):
        call_command("seed", scale="huge", stdout=StringIO())
    assert User.objects.count() == before


def test_it_refuses_fewer_people_than_the_personas():
    with pytest.raises(CommandError, match="at least 9"):
        call_command("seed", people=3, stdout=StringIO())
    with pytest.raises(CommandError, match="small"):
        call_command("seed", scale="large", people=20, stdout=StringIO())
