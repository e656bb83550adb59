"""manage.py export_leap2a <username> <zip>: write a person's portfolios (all, or one with --portfolio) as a
Leap2A zip (or, with --site, as an offline web site), and say what was written and what was left out."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from portfolios import export, leap2a
from portfolios.models import Portfolio


class Command(BaseCommand):
    help = "Export a person's portfolios as Leap2A (importable by Mahara and this site) or as an offline site."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("path", help="Where to write the zip.")
        parser.add_argument("--portfolio", type=int, help="Only this portfolio (its id); default: everything.")
        parser.add_argument("--site", action="store_true", help="Web pages that open offline instead of Leap2A.")

    def handle(self, *args, username, path, portfolio=None, site=False, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no person called {username}.")
        chosen = None
        if portfolio is not None:
            chosen = Portfolio.objects.filter(pk=portfolio, item__owner=user, item__deleted_at__isnull=True).first()
            if chosen is None:
                raise CommandError(f"{username} has no portfolio {portfolio}.")
        try:
            with open(path, "wb") as out:
                writer = export.write_site if site else leap2a.write_leap2a
                summary = writer(out, owner=user, portfolio=chosen)
        except OSError as exc:
            raise CommandError(f"Cannot write {path}: {exc.strerror}.") from exc
        s = summary.as_dict()
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {path}: {s['portfolios']} portfolios, {s['pages']} pages, {s['blocks']} blocks, "
                f"{s['journal_entries']} journal entries, {s['claims']} skill claims, {s['endorsements']} "
                f"endorsements, {s['files']} files ({s['file_bytes']:,} bytes)."
            )
        )
        if s["private_parts"]:
            self.stdout.write(f"It includes {s['private_parts']} private parts, marked Private.")
        for r in s["left_out"]:
            self.stdout.write(f"Left out: {r['what']}: {r['reason']}")
