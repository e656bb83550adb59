import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.models import Activity, Item, SiteConfig, Visibility, Watch
from files.models import File
from files.services import EditConflict, delete_file, restore_file, update_file, upload_file, upload_files
from files.tests import samples
from files.tests.conftest import stored_files
from lib.uploads import UploadRejected
from search.index import item_fields

pytestmark = pytest.mark.django_db


def test_it_stores_an_upload_as_a_file_item_with_what_was_measured(personas, settings):
    data = samples.png(size=(900, 300))
    item = upload_file(
        owner=personas.alice,
        uploaded=samples.upload("team_photo.png", data, content_type="text/html"),
        title="",
        summary="From the offsite",
        space=personas.team,
        visibility=Visibility.SPACE,
        tags=["Offsite", "people"],
    )
    detail = File.objects.get(item=item)
    assert (item.kind, item.title, item.summary) == ("file", "Team photo", "From the offsite")
    assert (detail.content_type, detail.family, detail.size) == ("image/png", "image", len(data))
    assert detail.sha256 == hashlib.sha256(data).hexdigest()
    assert (detail.width, detail.height, detail.original_name) == (900, 300, "team_photo.png")
    assert detail.blob.read() == data
    assert detail.thumbnail and detail.blob.name.endswith(".png") and "team_photo" not in detail.blob.name
    assert sorted(t.slug for t in item.tags.all()) == ["offsite", "people"]


def test_it_records_the_upload_and_makes_the_owner_watch_it(make_file, personas):
    item = make_file(title="Minutes")
    activity = Activity.objects.get(item=item)
    assert (activity.verb, activity.actor) == (Activity.Verb.CREATED, personas.alice)
    assert Watch.objects.filter(user=personas.alice, item=item).exists()


def test_it_writes_nothing_when_the_upload_is_refused(personas, settings):
    with pytest.raises(UploadRejected):
        upload_file(
            owner=personas.alice,
            uploaded=samples.upload("invoice.pdf", samples.HTML),
            title="Invoice",
            visibility=Visibility.ORGANISATION,
        )
    assert not Item.objects.exists() and not File.objects.exists() and not Activity.objects.exists()
    assert stored_files(settings) == []


def test_it_keeps_none_of_several_files_when_one_is_refused(personas, settings):
    good = samples.upload("notes.txt", b"fine")
    bad = samples.upload("photo.png", b"not a picture at all")
    with pytest.raises(UploadRejected):
        upload_files(owner=personas.alice, uploads=[(good, ""), (bad, "")], visibility=Visibility.ORGANISATION)
    assert not Item.objects.exists()
    assert stored_files(settings) == []


def test_it_removes_stored_bytes_when_the_database_write_fails(personas, settings, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("files.services.record_activity", broken)
    with pytest.raises(RuntimeError):
        upload_file(owner=personas.alice, uploaded=samples.upload("a.png", samples.png()), visibility="organisation")
    assert not Item.objects.exists()
    assert stored_files(settings) == []


def test_it_refuses_destinations_and_visibilities_that_do_not_fit(personas, make_file):
    with pytest.raises(PermissionDenied):
        make_file(owner=personas.olly, space=personas.team)
    with pytest.raises(ValidationError, match="in a space"):
        make_file(visibility=Visibility.SPACE)
    with pytest.raises(ValidationError, match="public"):
        make_file(visibility=Visibility.PUBLIC)
    with pytest.raises(ValidationError, match="at least one person"):
        make_file(visibility=Visibility.PEOPLE)


def test_it_allows_public_files_when_the_site_does(personas, make_file):
    config = SiteConfig.load()
    config.public_web = True
    config.save()
    assert make_file(visibility=Visibility.PUBLIC).visibility == Visibility.PUBLIC


def test_it_shares_with_named_people_only(personas, make_file):
    item = make_file(visibility=Visibility.PEOPLE, shared_with=[personas.mo])
    assert list(Item.objects.visible_to(personas.mo)) == [item]
    assert not Item.objects.visible_to(personas.lee).exists()


def test_it_updates_details_and_records_the_change(make_file, personas):
    item = make_file(title="Draft")
    update_file(item=item, actor=personas.alice, title="Final", summary="Agreed", visibility="private", tags=["done"])
    item.refresh_from_db()
    assert (item.title, item.summary, item.visibility) == ("Final", "Agreed", "private")
    assert Activity.objects.filter(item=item, verb=Activity.Verb.UPDATED).exists()


def test_it_replaces_the_content_and_removes_the_old_bytes_after_commit(
    make_file, personas, settings, django_capture_on_commit_callbacks
):
    item = make_file(name="plan.txt", data=b"version one")
    old_name = item.file.blob.name
    with django_capture_on_commit_callbacks(execute=True):
        update_file(
            item=item,
            actor=personas.alice,
            title=item.title,
            summary="",
            visibility=item.visibility,
            tags=[],
            replacement=samples.upload("plan.png", samples.png()),
        )
    detail = File.objects.get(item=item)
    assert (detail.content_type, detail.original_name) == ("image/png", "plan.png")
    assert old_name not in stored_files(settings)
    assert detail.blob.name in stored_files(settings)


def test_it_keeps_the_old_file_when_the_replacement_is_refused(make_file, personas):
    item = make_file(name="plan.txt", data=b"version one")
    with pytest.raises(UploadRejected):
        update_file(
            item=item,
            actor=personas.alice,
            title="Changed",
            summary="",
            visibility=item.visibility,
            tags=[],
            replacement=samples.upload("plan.pdf", samples.ELF),
        )
    item.refresh_from_db()
    assert item.title != "Changed" and item.file.blob.read() == b"version one"


def test_it_refuses_an_edit_based_on_an_old_version(make_file, personas):
    item = make_file(title="Draft")
    seen = item.updated
    Item.objects.filter(pk=item.pk).update(updated=timezone.now())
    with pytest.raises(EditConflict):
        update_file(
            item=item, actor=personas.alice, title="Mine", summary="", visibility="organisation", tags=[],
            expected_updated=seen,
        )  # fmt: skip


def test_it_lets_only_editors_update(make_file, personas):
    item = make_file()
    with pytest.raises(PermissionDenied):
        update_file(item=item, actor=personas.olly, title="Mine", summary="", visibility="organisation", tags=[])


def test_it_soft_deletes_for_admins_and_can_restore(make_file, personas):
    item = make_file(space=personas.team)
    with pytest.raises(PermissionDenied):
        delete_file(item=item, actor=personas.gus)
    delete_file(item=item, actor=personas.mo)
    assert not Item.objects.visible_to(personas.alice).exists()
    assert File.objects.filter(item=item).exists() and item.file.blob.storage.exists(item.file.blob.name)
    assert Activity.objects.filter(item=item, verb=Activity.Verb.DELETED, actor=personas.mo).exists()
    restore_file(item=item, actor=personas.mo)
    assert Item.objects.visible_to(personas.alice).get() == item


def test_it_gives_search_the_name_type_and_start_of_text_files(make_file):
    item = make_file(name="onboarding-checklist.md", data=b"# Welcome\nAsk about the kettle.")
    body = item_fields(Item.objects.get(pk=item.pk))["body"]
    assert "onboarding-checklist.md" in body and "Document" in body and "kettle" in body
