from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into an empty, migrated database. "
        "Stop the web and worker processes first."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The .tar.gz archive to restore.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Restore even though the site holds data: everything in the database is deleted first, "
            "and the current uploaded files are kept in a folder beside MEDIA_ROOT.",
        )

    def handle(self, *args, path, force, **options):
        try:
            result = restore_backup(path=Path(path), force=force)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(result.counts.values())
        self.stdout.write(f"Restored {rows} rows and {result.media_files} files from {path}.")
        if result.previous_media:
            self.stdout.write(f"The uploaded files that were here before are kept in {result.previous_media}.")
