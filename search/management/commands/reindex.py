import time

from django.core.management.base import BaseCommand

from search.services import KINDS, rebuild_index

LABELS = {"item": "items", "person": "people", "space": "spaces"}


class Command(BaseCommand):
    help = "Rebuild the search index of people, spaces and items from the database, in bulk."

    def add_arguments(self, parser):
        parser.add_argument(
            "--kind", action="append", choices=KINDS, help="Only this kind (repeat for more); default: all."
        )
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args, kind=None, batch_size=2000, verbosity=1, **options):
        started = time.perf_counter()

        def progress(name, done):
            if verbosity >= 2:
                self.stdout.write(f"  {name}: {done}")

        counts = rebuild_index(kinds=kind or KINDS, batch_size=max(1, batch_size), progress=progress)
        took = time.perf_counter() - started
        summary = ", ".join(f"{n} {LABELS[k]}" for k, n in counts.items())
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(f"Indexed {summary} in {took:.1f}s."))
