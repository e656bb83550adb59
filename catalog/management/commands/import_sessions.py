from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalog.ical import WINDOW_DAYS, apply_sessions_import, plan_sessions_import
from catalog.management.commands._actor import add_actor_argument, find_actor
from catalog.models import Course


class Command(BaseCommand):
    help = (
        "Add a course's sessions from an iCalendar file exported by Outlook, Google or Apple Calendar. Repeating "
        f"events become one session per occurrence (for {WINDOW_DAYS} days at most); importing the same file again "
        "moves the sessions it made instead of adding them twice. Nothing is written when any event is wrong."
    )

    def add_arguments(self, parser):
        parser.add_argument("course", help="The course's code, or its item number as in /i/<number>/")
        parser.add_argument("ics", help="The .ics file")
        parser.add_argument("--time-zone", default="UTC", help="Zone for all-day and floating times (default UTC)")
        parser.add_argument("--capacity", type=int, help="Seats on each new session (default: no limit)")
        add_actor_argument(parser)

    def handle(self, *args, **options):
        ref = options["course"]
        course = Course.objects.select_related("item").filter(code=ref).first()
        if course is None and ref.isdigit():
            course = Course.objects.select_related("item").filter(pk=int(ref)).first()
        if course is None or course.item.deleted_at is not None:
            raise CommandError(f"There is no course “{ref}”.")
        if options["capacity"] is not None and options["capacity"] < 1:
            raise CommandError("--capacity must be at least 1.")
        path = Path(options["ics"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from exc
        actor = find_actor(options["actor"])
        plan = plan_sessions_import(data, course, default_time_zone=options["time_zone"], capacity=options["capacity"])
        if not plan.ok:
            raise CommandError("Nothing was imported:\n" + "\n".join(plan.problems or ["No sessions found."]))
        for note in plan.notes:
            self.stdout.write(note)
        summary = f"{plan.new_count} new session{'s' if plan.new_count != 1 else ''}, {plan.update_count} to update"
        if options["dry_run"]:
            for planned in plan.sessions:
                self.stdout.write(f"{planned.local_starts:%Y-%m-%d %H:%M} {planned.time_zone}  {planned.label}")
            self.stdout.write(f"Dry run: {summary}; nothing written.")
            return
        apply_sessions_import(plan, actor=actor)
        self.stdout.write(f"Imported {path.name} into “{course.item.title}”: {summary}.")
