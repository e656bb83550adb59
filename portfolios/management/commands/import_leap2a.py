"""manage.py import_leap2a <username> <zip or xml>: import a Leap2A export for a person, and say what was
created and what was refused. It exits non-zero only when the file cannot be read at all."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from portfolios import leap2a


class Command(BaseCommand):
    help = "Import a Leap2A export (zip or XML, from Mahara or this site) into a person's portfolios."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("path", help="The Leap2A zip (leap2a.xml and files/) or a bare leap2a.xml.")
        parser.add_argument("--dry-run", action="store_true", help="Only show what would be imported.")

    def handle(self, *args, username, path, dry_run=False, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no person called {username}.")
        try:
            source = leap2a.open_source(path)
        except leap2a.ArchiveError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        try:
            plan = leap2a.plan_import(source, user=user)
            counts = plan["counts"]
            if dry_run:
                self.stdout.write("Would create: " + _counts(counts))
                _problems(self.stdout, plan["unmapped"], plan["warnings"])
                return
            report = leap2a.apply_import(plan, source, user=user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        finally:
            source.close()
        self.stdout.write(self.style.SUCCESS("Created: " + _counts(report.created)))
        for p in report.portfolios:
            self.stdout.write(f"  {p['title']}  {p['url']}")
        _problems(self.stdout, report.unmapped, report.warnings)


def _counts(counts: dict) -> str:
    order = ["portfolios", "pages", "blocks", "journal_entries", "files", "files_linked", "claims", "endorsements"]
    parts = [f"{counts.get(k, 0)} {k.replace('_', ' ')}" for k in order if counts.get(k)]
    return ", ".join(parts) or "nothing"


def _problems(out, unmapped, warnings) -> None:
    if unmapped:
        out.write(f"Refused ({len(unmapped)}):")
        for r in unmapped:
            out.write(f"  {r['what']}: {r['reason']}")
    for w in warnings:
        out.write(f"Note: {w}")
