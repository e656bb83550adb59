import hashlib
import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from api.models import ApiToken
from api.services import create_token
from core.backup import read_manifest
from core.models import Activity, Item, Notification, NotificationPreference, Tag, Visibility
from core.services import create_item, set_tags, watch
from files.models import File
from people.models import User
from spaces.models import Membership, Space

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 a small but real-looking file \x00\x01\x02" * 100


@pytest.fixture
def site(personas):
    """A populated site: people, spaces, memberships, tagged items, a file on disk, activities, notifications."""
    item = create_item(
        owner=personas.mo, kind="file", title="Handbook", space=personas.team, visibility=Visibility.SPACE
    )
    set_tags(item=item, names=["onboarding", "Python"])
    File.objects.create(
        item=item,
        blob=ContentFile(PDF, name="handbook.pdf"),
        original_name="handbook.pdf",
        content_type="application/pdf",
        family=File.Family.DOCUMENT,
        size=len(PDF),
        sha256=hashlib.sha256(PDF).hexdigest(),
    )
    item.shared_with.add(personas.alice)
    watch(user=personas.alice, space=personas.team)
    activity = Activity.objects.create(actor=personas.mo, verb=Activity.Verb.CREATED, item=item, space=item.space)
    Notification.objects.create(recipient=personas.alice, activity=activity, kind="new_in_space", digest_pending=True)
    NotificationPreference.objects.create(user=personas.alice, kind="invited", channel="off")
    create_token(user=personas.alice, name="script")
    return personas


def counts():
    models = (User, Space, Membership, Item, Tag, File, Activity, Notification, NotificationPreference, ApiToken)
    return {m.__name__: m.objects.count() for m in models} | {"tags on items": Item.tags.through.objects.count()}


def media_file() -> Path:
    return Path(settings.MEDIA_ROOT) / File.objects.get().blob.name


@pytest.mark.django_db(transaction=True)
def test_it_round_trips_a_populated_site(site, tmp_path):
    before, blob_name = counts(), File.objects.get().blob.name
    archive = tmp_path / "site.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT)
    assert User.objects.count() == 0
    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)
    assert counts() == before and "Restored" in out.getvalue()
    assert (Path(settings.MEDIA_ROOT) / blob_name).read_bytes() == PDF
    assert set(Item.objects.get().tags.values_list("slug", flat=True)) == {"onboarding", "python"}
    alice = User.objects.get(username="alice")
    assert alice.check_password("correct-horse-battery")
    # New rows must not collide with restored ones (sequences moved past the loaded ids).
    assert (
        create_item(owner=alice, kind="file", title="After", visibility=Visibility.PRIVATE).pk
        > Item.objects.earliest("pk").pk
    )


def test_it_writes_a_manifest_with_engine_counts_and_files(site, tmp_path):
    archive = tmp_path / "site.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    with tarfile.open(archive) as tar:
        manifest = read_manifest(tar)
        names = tar.getnames()
    assert manifest["version"] == 1 and manifest["engine"] in {"sqlite", "postgresql"}
    assert manifest["counts"]["people.user"] == 6 and manifest["counts"]["core.item"] == 1
    assert "sessions.session" not in manifest["counts"]
    assert manifest["media"]["files"] == 1
    assert names[:2] == ["manifest.json", "data.jsonl"] and any(n.endswith("handbook.pdf") for n in names)
    assert archive.stat().st_mode & 0o077 == 0  # password hashes inside: owner only


def test_it_refuses_to_restore_over_people_without_force(site, tmp_path):
    archive = tmp_path / "site.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    Item.objects.all().delete()
    with pytest.raises(CommandError, match="already has people"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert Item.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_it_replaces_everything_with_force_and_keeps_the_old_files(site, tmp_path):
    archive = tmp_path / "site.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    Item.objects.filter(title="Handbook").update(title="Changed after the backup")
    User.objects.create(username="newcomer")
    (Path(settings.MEDIA_ROOT) / "stray.txt").write_text("made after the backup")
    out = io.StringIO()
    call_command("restore", str(archive), "--force", stdout=out)
    assert Item.objects.get().title == "Handbook"
    assert not User.objects.filter(username="newcomer").exists()
    assert not (Path(settings.MEDIA_ROOT) / "stray.txt").exists()
    kept = next(Path(settings.MEDIA_ROOT).parent.glob("media.before-restore-*"))
    assert (kept / "stray.txt").exists() and str(kept) in out.getvalue()


def make_archive(path, members: dict[str, bytes], *, manifest=None, link: str = ""):
    """An archive written by hand, to test what restore does with one it did not make."""
    with tarfile.open(path, "w:gz") as tar:
        entries = dict(members)
        if manifest is not None:
            entries = {"manifest.json": json.dumps(manifest).encode(), **entries}
        for name, data in entries.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        if link:
            info = tarfile.TarInfo(link)
            info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
            tar.addfile(info)
    return path


def good_manifest():
    return {"format": "watercooler-backup", "version": 1, "counts": {}, "migrations": {}, "media": {"files": 1}}


@pytest.mark.parametrize("name", ["../escaped.txt", "media/../../escaped.txt", "/srv/escaped.txt"])
def test_it_refuses_an_archive_whose_paths_escape_before_writing_anything(db, tmp_path, name):
    archive = make_archive(tmp_path / "evil.tar.gz", {"data.jsonl": b"", name: b"x"}, manifest=good_manifest())
    with pytest.raises(CommandError, match="unsafe path"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert not (tmp_path.parent / "escaped.txt").exists()
    assert not Path(settings.MEDIA_ROOT).exists()


def test_it_refuses_an_archive_holding_a_link(db, tmp_path):
    archive = make_archive(tmp_path / "evil.tar.gz", {"data.jsonl": b""}, manifest=good_manifest(), link="media/pw")
    with pytest.raises(CommandError, match="link or device"):
        call_command("restore", str(archive), stdout=io.StringIO())


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        (None, "manifest.json is missing"),
        ({"format": "something-else"}, "does not say so"),
        ({**good_manifest(), "version": 99}, "format version 99"),
        ({**good_manifest(), "counts": {"nosuch.model": 1}}, "does not have"),
        ({**good_manifest(), "migrations": {"core": ["9999_from_the_future"]}}, "newer version"),
    ],
)
def test_it_refuses_an_archive_with_a_missing_or_wrong_manifest(db, tmp_path, manifest, message):
    archive = make_archive(tmp_path / "bad.tar.gz", {"data.jsonl": b""}, manifest=manifest)
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(archive), stdout=io.StringIO())


def test_it_refuses_a_file_that_is_not_an_archive(db, tmp_path):
    bogus = tmp_path / "notes.tar.gz"
    bogus.write_bytes(b"just some text")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("restore", str(bogus), stdout=io.StringIO())


def test_it_undoes_everything_when_the_loaded_counts_do_not_match(site, tmp_path):
    archive = tmp_path / "site.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    with tarfile.open(archive) as tar:
        manifest = read_manifest(tar)
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}
    manifest["counts"]["core.item"] = 2
    del members["manifest.json"]
    tampered = make_archive(tmp_path / "tampered.tar.gz", members, manifest=manifest)
    before = counts()
    with pytest.raises(CommandError, match="core.item has 1 rows where the backup had 2"):
        call_command("restore", str(tampered), "--force", stdout=io.StringIO())
    assert counts() == before
    assert media_file().read_bytes() == PDF
    assert not list(Path(settings.MEDIA_ROOT).parent.glob(".media.restore-*"))
