"""Back up the whole site to one .tar.gz and restore it, on any database engine Django supports.

The archive holds:

- ``manifest.json``: format, version, when, which engine, Django version, applied migrations,
  row counts per model and the number of media files;
- ``data.jsonl``: every row of every app as Django's serializer writes it (``dumpdata``, one
  object per line, primary keys kept and no natural keys, so loading never looks rows up one by
  one), content types and permissions included so references to them keep their ids;
- ``media/…``: the uploaded files (MEDIA_ROOT).

Sessions and the background-task queue are left out: they describe the running site, not its
content. Restoring checks the whole archive first, loads everything in one transaction into a
database that holds no people (or any database with ``force``, which empties it first), checks
the counts against the manifest, and only then swaps the restored files into MEDIA_ROOT, keeping
the old folder beside it.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.management.sql import sql_flush
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "watercooler-backup"
VERSION = 1
MANIFEST = "manifest.json"
DATA = "data.jsonl"
MEDIA = "media"
EXCLUDED_APPS = ("sessions", "django_tasks_database")


class BackupError(Exception):
    """The archive cannot be made or restored; the message says why, and nothing was changed."""


@dataclass
class RestoreResult:
    counts: dict[str, int]
    media_files: int
    previous_media: Path | None


def _models():
    """Every concrete model whose rows the backup holds, in a stable order."""
    for model in apps.get_models():
        meta = model._meta
        if meta.app_label in EXCLUDED_APPS or meta.proxy or not meta.managed:
            continue
        yield model


def _counts() -> dict[str, int]:
    return {model._meta.label_lower: model._base_manager.count() for model in _models()}


def _applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


@contextlib.contextmanager
def _snapshot():
    """Read every table as of one moment, so a backup taken while people work is consistent."""
    if connection.in_atomic_block:
        yield
        return
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
    elif connection.vendor == "sqlite":
        # Django opens SQLite transactions IMMEDIATE (a write lock) for this site; a backup only
        # reads, so it opens a deferred one that keeps a snapshot in WAL mode and blocks no writer.
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("ROLLBACK")
    else:
        with transaction.atomic():
            yield


def _media_on_disk() -> bool:
    """Are uploads kept in MEDIA_ROOT? With object storage (S3) the bucket is backed up on its own."""
    return isinstance(default_storage, FileSystemStorage)


def _media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    # Symbolic links are left out: following one could copy files from outside MEDIA_ROOT.
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def create_backup(*, path: Path) -> dict:
    """Write the archive to ``path`` (replacing it only once complete) and return its manifest."""
    path = Path(path)
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="wc-backup-") as tmp:
        data_path = Path(tmp) / DATA
        with _snapshot():
            counts = _counts()
            call_command(
                "dumpdata",
                exclude=list(EXCLUDED_APPS),
                format="jsonl",
                output=str(data_path),
                use_base_manager=True,
                verbosity=0,
            )
            migrations = _applied_migrations()
        on_disk = _media_on_disk()
        files = _media_files(media_root) if on_disk else []
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created": timezone.now().isoformat(),
            "engine": connection.vendor,
            "django": django.get_version(),
            "migrations": migrations,
            "counts": counts,
            "media": {
                "files": len(files),
                "bytes": sum(f.stat().st_size for f in files),
                "in_archive": on_disk,
            },
        }
        partial = path.with_name(path.name + ".partial")
        # The archive holds password hashes and e-mail addresses: readable by its owner only.
        partial.unlink(missing_ok=True)
        partial.touch(mode=0o600)
        try:
            with tarfile.open(partial, "w:gz") as tar:
                raw = json.dumps(manifest, indent=2).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime = len(raw), int(timezone.now().timestamp())
                tar.addfile(info, io.BytesIO(raw))
                tar.add(data_path, arcname=DATA)
                for file in files:
                    tar.add(file, arcname=f"{MEDIA}/{file.relative_to(media_root).as_posix()}", recursive=False)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        partial.replace(path)
    return manifest


def _safe_member_path(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or "\\" in name or not path.parts:
        raise BackupError(f"The archive holds an unsafe path: {name!r}.")
    return path


def read_manifest(tar: tarfile.TarFile) -> dict:
    """Check every entry of the archive and return its manifest; raise BackupError if anything is off."""
    names = set()
    for member in tar.getmembers():
        path = _safe_member_path(member.name)
        if not (member.isfile() or member.isdir()):
            raise BackupError(f"The archive holds a link or device, which a backup never does: {member.name!r}.")
        if member.isfile() and str(path) not in (MANIFEST, DATA) and path.parts[0] != MEDIA:
            raise BackupError(f"The archive holds a file a backup never does: {member.name!r}.")
        if str(path) in names:
            raise BackupError(f"The archive holds {member.name!r} twice.")
        names.add(str(path))
    for required in (MANIFEST, DATA):
        if required not in names:
            raise BackupError(f"This is not a Watercooler backup: {required} is missing.")
    try:
        manifest = json.loads(tar.extractfile(MANIFEST).read())
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError("The manifest is not valid JSON.") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("This is not a Watercooler backup: the manifest does not say so.")
    if manifest.get("version") != VERSION:
        raise BackupError(f"This backup has format version {manifest.get('version')!r}; this site reads {VERSION}.")
    media = manifest.get("media")
    if not isinstance(media, dict) or not isinstance(media.get("files"), int):
        raise BackupError("The manifest's media section is missing or malformed.")
    counts = manifest.get("counts")
    if not isinstance(counts, dict) or not all(isinstance(n, int) for n in counts.values()):
        raise BackupError("The manifest's row counts are missing or malformed.")
    for label in counts:
        try:
            apps.get_model(label)
        except (LookupError, ValueError) as exc:
            raise BackupError(f"The backup holds {label}, which this version of the site does not have.") from exc
    return manifest


def _check_migrations(manifest: dict) -> None:
    local = {(app, name) for app, names in _applied_migrations().items() for name in names}
    theirs = {(app, name) for app, names in (manifest.get("migrations") or {}).items() for name in names}
    missing = sorted(theirs - local)
    if missing:
        app, name = missing[0]
        raise BackupError(
            f"The backup comes from a newer version of the site ({app}.{name} is not applied here): "
            "upgrade and migrate this site first."
        )


def _has_people() -> bool:
    return get_user_model()._base_manager.exists()


def _extract(tar: tarfile.TarFile, *, data_to: Path, media_to: Path) -> int:
    files = 0
    for member in tar.getmembers():
        if not member.isfile():
            continue
        path = _safe_member_path(member.name)
        if str(path) == DATA:
            target = data_to
        elif path.parts[0] == MEDIA and len(path.parts) > 1:
            target = media_to.joinpath(*path.parts[1:])
            files += 1
        else:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with tar.extractfile(member) as src, open(target, "wb") as dst:
            shutil.copyfileobj(src, dst)
    return files


def _empty_database() -> None:
    """Delete every row of every table (sequences restarted) inside the current transaction."""
    statements = sql_flush(no_style(), connection, reset_sequences=True, allow_cascade=False)
    if connection.vendor == "postgresql":
        # Rows written earlier in an enclosing transaction leave deferred foreign-key checks
        # pending, and PostgreSQL refuses to TRUNCATE a table while they are: run them now.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        connection.ops.execute_sql_flush(statements)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    else:
        connection.ops.execute_sql_flush(statements)


def _complete_content_types() -> None:
    """Add content types and permissions for models newer than the backup, as migrate would."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    for app_config in apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0)
        create_permissions(app_config, verbosity=0)


def _swap_media(staging: Path, media_root: Path) -> Path | None:
    previous = None
    if media_root.exists():
        if any(media_root.iterdir()):
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
            previous = media_root.with_name(f"{media_root.name}.before-restore-{stamp}")
            media_root.rename(previous)
        else:
            media_root.rmdir()
    staging.rename(media_root)
    return previous


@contextlib.contextmanager
def _open_archive(path: Path):
    try:
        tar = tarfile.open(path, "r:gz")  # noqa: SIM115 -- closed below; opening is what may fail
    except (OSError, tarfile.TarError, EOFError, zlib.error) as exc:
        raise BackupError(f"Cannot read {path}: {exc}") from exc
    with tar:
        yield tar


def restore_backup(*, path: Path, force: bool = False) -> RestoreResult:
    """Replace the site's data and files with the archive's; refuses a site with people unless ``force``."""
    from core.models import SiteConfig

    path = Path(path)
    media_root = Path(settings.MEDIA_ROOT)
    with _open_archive(path) as tar, tempfile.TemporaryDirectory(prefix="wc-restore-") as tmp:
        try:
            manifest = read_manifest(tar)
        except (OSError, tarfile.TarError, EOFError, zlib.error) as exc:
            raise BackupError(f"The archive is damaged: {exc}") from exc
        _check_migrations(manifest)
        if not force and _has_people():
            raise BackupError(
                "This site already has people in it. Restore into an empty, migrated database, "
                "or pass --force to delete everything here first."
            )
        media_root.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{media_root.name}.restore-", dir=media_root.parent))
        try:
            data_path = Path(tmp) / DATA
            try:
                files = _extract(tar, data_to=data_path, media_to=staging)
            except (tarfile.TarError, EOFError, zlib.error) as exc:
                raise BackupError(f"The archive is damaged: {exc}") from exc
            if files != manifest["media"]["files"]:
                raise BackupError(
                    f"The archive holds {files} media files; its manifest says {manifest['media']['files']}."
                )
            with transaction.atomic():
                _empty_database()
                try:
                    call_command("loaddata", str(data_path), verbosity=0)
                except (DeserializationError, DatabaseError) as exc:
                    raise BackupError(f"Loading the data failed, so nothing was changed: {exc}") from exc
                counts = _counts()
                wrong = {
                    label: (n, counts.get(label)) for label, n in manifest["counts"].items() if counts.get(label) != n
                }
                if wrong:
                    label, (want, got) = sorted(wrong.items())[0]
                    raise BackupError(f"After loading, {label} has {got} rows where the backup had {want}; undone.")
                _complete_content_types()
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    cache.delete(SiteConfig.CACHE_KEY)
    if manifest["media"].get("in_archive", True):
        previous = _swap_media(staging, media_root)
    else:
        shutil.rmtree(staging, ignore_errors=True)
        previous = None
    return RestoreResult(counts=counts, media_files=files, previous_media=previous)
