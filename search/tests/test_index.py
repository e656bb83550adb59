import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from core.models import Activity
from core.services import create_item, record_activity, update_item
from people.services import update_profile
from search.backends import backend_for, ensure_fulltext
from search.index import schedule_index
from search.models import SearchDocument
from search.queries import search
from spaces.services import create_space, update_space
from tests.factories import ItemFactory, SpaceFactory, UserFactory

pytestmark = pytest.mark.django_db


def titles(user, q, **filters):
    return [r.title for r in search(user, q, **filters)]


def test_it_indexes_an_item_once_its_transaction_commits(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        item = create_item(
            owner=personas.mo, kind="file", title="Incident review", visibility="organisation", tags=["Postmortem"]
        )
        schedule_index(item)
    doc = SearchDocument.objects.get(item=item)
    assert (doc.tags, doc.item_visibility, doc.item_owner_id) == ("Postmortem", "organisation", personas.mo.pk)
    assert titles(personas.alice, "postmortem") == ["Incident review"]


def test_it_follows_an_items_changes_and_deletion(personas, django_capture_on_commit_callbacks):
    item = ItemFactory(title="Draft policy", owner=personas.mo)
    with django_capture_on_commit_callbacks(execute=True):
        schedule_index(item)
        update_item(item=item, title="Travel policy", summary="", visibility="private", tags=[])
        schedule_index(item)
    assert titles(personas.mo, "travel") == ["Travel policy"]
    assert titles(personas.alice, "travel") == []
    with django_capture_on_commit_callbacks(execute=True):
        item.deleted_at = timezone.now()
        item.save()
        schedule_index(item)
    assert not SearchDocument.objects.filter(item=item).exists()


def test_it_reindexes_an_items_activity_in_the_fan_out(personas, django_capture_on_commit_callbacks):
    item = ItemFactory(title="Release notes", owner=personas.mo)
    with django_capture_on_commit_callbacks(execute=True):
        record_activity(actor=personas.mo, verb=Activity.Verb.CREATED, item=item)
    assert titles(personas.alice, "release") == ["Release notes"]


def test_it_indexes_people_when_their_profile_changes(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        update_profile(person=personas.lee, job_title="Learning designer", bio="Runs the coaching programme")
    assert titles(personas.alice, "coaching", kind="person") == ["Lee Curator"]


def test_it_drops_people_who_are_deactivated(personas, django_capture_on_commit_callbacks):
    person = UserFactory(display_name="Temporary Contractor")
    with django_capture_on_commit_callbacks(execute=True):
        schedule_index(person)
    assert titles(personas.alice, "contractor") == ["Temporary Contractor"]
    person.is_active = False
    person.save()
    assert titles(personas.alice, "contractor") == []
    with django_capture_on_commit_callbacks(execute=True):
        schedule_index(person)
    assert not SearchDocument.objects.filter(person=person).exists()


def test_it_indexes_spaces_created_and_renamed_through_the_services(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        space = create_space(creator=personas.mo, name="Book club", description="We read together")
    assert titles(personas.alice, "book club") == ["Book club"]
    with django_capture_on_commit_callbacks(execute=True):
        update_space(
            editor=personas.mo, space=space, name="Reading circle", kind=space.kind, description="", visibility="open"
        )
    assert titles(personas.alice, "reading") == ["Reading circle"]
    assert titles(personas.alice, "book") == []


def test_reindex_rebuilds_every_kind_from_the_database(personas):
    ItemFactory(title="Orphaned wiki", owner=personas.mo)
    SpaceFactory(name="Orphaned space", created_by=personas.mo)
    SearchDocument.objects.all().delete()
    call_command("reindex", verbosity=0)
    assert SearchDocument.objects.filter(kind="person").count() == 6
    assert set(titles(personas.alice, "orphaned")) == {"Orphaned wiki", "Orphaned space"}


def test_reindex_of_one_kind_leaves_the_others_alone(personas, reindex):
    ItemFactory(title="Kept item", owner=personas.mo)
    reindex()
    people_before = set(SearchDocument.objects.filter(kind="person").values_list("pk", flat=True))
    call_command("reindex", kind=["item"], verbosity=0)
    assert set(SearchDocument.objects.filter(kind="person").values_list("pk", flat=True)) == people_before
    assert titles(personas.alice, "kept") == ["Kept item"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="only SQLite keeps its index with triggers")
def test_it_puts_back_index_triggers_a_table_rebuild_dropped(personas):
    backend = backend_for(connection)
    backend.pause_sync(connection)
    ItemFactory(title="Written while unhooked", owner=personas.mo)
    ensure_fulltext(using="default")
    assert set(backend.TRIGGERS) <= backend._existing(connection)
    call_command("reindex", kind=["item"], verbosity=0)
    ItemFactory(title="Written after repair", owner=personas.mo)
    assert titles(personas.alice, "written") == ["Written while unhooked"]
