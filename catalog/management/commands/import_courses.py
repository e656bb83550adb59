from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalog.importing import apply_courses_import, plan_courses_import
from catalog.management.commands._actor import add_actor_argument, find_actor


class Command(BaseCommand):
    help = (
        "Add and update catalogue courses from a CSV file (columns: code, title, summary, provider, format, "
        "duration_minutes, level, language, skills, cost, currency, prerequisites, launch_url, tags, visibility). "
        "Nothing is written when any row is wrong; every wrong row is reported."
    )

    def add_arguments(self, parser):
        parser.add_argument("csv", help="The CSV file")
        add_actor_argument(parser)

    def handle(self, *args, **options):
        path = Path(options["csv"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from exc
        actor = find_actor(options["actor"])
        plan = plan_courses_import(data, actor=actor)
        if not plan.ok:
            raise CommandError("Nothing was imported:\n" + "\n".join(plan.report()))
        adds = sum(1 for row in plan.rows if row.action == "add")
        summary = f"{adds} course{'s' if adds != 1 else ''} to add, {len(plan.rows) - adds} to update"
        if options["dry_run"]:
            self.stdout.write(f"Dry run: {summary}; nothing written.")
            return
        apply_courses_import(plan, actor=actor)
        self.stdout.write(
            f"Imported {path.name}: {summary.replace('to add', 'added').replace('to update', 'updated')}."
        )
