import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.seeding import demo, tasks_held
from core.seeding.taxonomy import ensure_taxonomy
from search.services import rebuild_index

SCALES = ("small", "large")
REQUIRED = demo.data.REQUIRED_PEOPLE


class Command(BaseCommand):
    help = (
        "Fill the site with demo data. --scale small (the default) builds a lived-in organisation of about sixty "
        "people and does nothing if it is already there; --scale large adds 10,000 people, 100,000 items and a "
        "million activities for benchmarks."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=SCALES, default="small")
        parser.add_argument(
            "--people",
            type=int,
            default=None,
            help=f"Small scale only: create this many of the sixty people (at least {len(REQUIRED)}).",
        )
        parser.add_argument("--seed", type=int, default=demo.SEED, help="Random seed; the same seed, the same data.")

    def handle(self, *args, scale="small", people=None, seed=demo.SEED, **options):
        # call_command() passes options without argparse's checks, so they are checked here too.
        if scale not in SCALES:
            raise CommandError(f"--scale must be one of: {', '.join(SCALES)} (not “{scale}”).")
        if people is not None and people < len(REQUIRED):
            raise CommandError(
                f"--people must be at least {len(REQUIRED)}: the personas and the space owners always exist."
            )
        if people is not None and scale != "small":
            raise CommandError("--people applies to --scale small only.")
        if scale == "small":
            self._small(people=people, seed=seed)
        else:
            self._large(seed=seed)

    def _small(self, *, people, seed) -> None:
        if demo.already_seeded():
            self.stdout.write("The demo organisation is already there; nothing to do.")
            return
        started = time.perf_counter()
        with tasks_held(), transaction.atomic():
            ensure_taxonomy()
            counts = demo.seed_demo(people=people, seed=seed)
            rebuild_index()
        self.stdout.write(
            f"Seeded the demo organisation: {counts['people']} people, {counts['spaces']} spaces, "
            f"{counts['items']} items, {counts['activities']} activities, {counts['notifications']} notifications "
            f"in {time.perf_counter() - started:.1f}s."
        )

    def _large(self, *, seed) -> None:
        from core.seeding import large

        if large.already_seeded(seed=seed):
            self.stdout.write("The large organisation is already there; nothing to do.")
            return
        self._small(people=None, seed=seed)
        large.seed_large(seed=seed, out=self.stdout)
