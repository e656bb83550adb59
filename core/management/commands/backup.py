from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Write the whole site (every table and the uploaded files) to one .tar.gz archive."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Where to write the archive, e.g. backups/site-2025-01-31.tar.gz")

    def handle(self, *args, path, **options):
        target = Path(path)
        if not target.parent.is_dir():
            raise CommandError(f"The folder {target.parent} does not exist.")
        try:
            manifest = create_backup(path=target)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        if not manifest["media"]["in_archive"]:
            self.stderr.write(
                "Uploaded files are kept in object storage, not MEDIA_ROOT, so they are not in this archive: "
                "back up the bucket with your storage provider's tools."
            )
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            f"Wrote {target}: {rows} rows from {manifest['engine']} and {manifest['media']['files']} files."
        )
