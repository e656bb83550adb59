from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from people.services import import_skills


class Command(BaseCommand):
    help = (
        "Import a skills taxonomy from CSV: ESCO (skills hierarchy, skill collections, skills_en.csv), "
        "the O*NET content model, or name,parent,alt_labels,description. Safe to run again: skills are "
        "matched by URI (or by name in the simple format) and updated."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The CSV file.")
        parser.add_argument("--dry-run", action="store_true", help="Report what would change; write nothing.")
        parser.add_argument("--strict", action="store_true", help="Import nothing if any row is refused.")

    def handle(self, *args, path: Path, dry_run: bool, strict: bool, **options):
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}")
        try:
            plan = import_skills(data=data, strict=strict, dry_run=dry_run)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages))
        counts = plan.counts
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            f"{verb} {path.name} ({plan.format_label}): {counts['created']} created, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged, {counts['refused']} refused."
        )
        for refusal in plan.refused:
            self.stderr.write(f"  line {refusal.line}: {refusal.name or '(no name)'}: {refusal.reason}")
