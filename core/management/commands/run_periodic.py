import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection
from django.utils import timezone

from core.tasks import send_daily_digests
from home.services import claim_due_digests
from links.tasks import check_links, retry_previews
from mentoring.tasks import check_pairs

BATCH = 200
# Seconds between rounds of the link work: failed previews are retried on their own back-off
# schedule (the queue only picks up what is due), broken-link checks take a batch each hour.
LINK_PREVIEW_RETRY_EVERY = 600
LINK_CHECK_EVERY = 3600
# Mentoring check-ins fall due by the day and at-risk flags count days: hourly is soon enough, and the
# round is idempotent (it flags, clears and nudges only on a change), so a restart running it early is harmless.
PAIR_CHECK_EVERY = 3600


class Command(BaseCommand):
    help = (
        "Every minute, queue the periodic work that is due: each person's daily e-mail digest at 07:00 "
        "in their own time zone; every 10 minutes, link previews to retry; every hour, a batch of "
        "broken-link checks and mentoring check-ins and at-risk flags. Use --once from cron or tests."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run one round and exit.")
        parser.add_argument("--interval", type=int, default=60, help="Seconds between rounds (default 60).")

    def handle(self, *args, once, interval, **options):
        if once:
            self.tick()
            return
        self.stopping = False
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        while not self.stopping:
            started = time.monotonic()
            close_old_connections()
            try:
                self.tick()
            except Exception as exc:  # a database hiccup must not end the scheduler; retry next round
                self.stderr.write(f"periodic round failed: {exc!r}")
            # Sleep in short steps so a stop signal is honoured promptly.
            while not self.stopping and time.monotonic() - started < interval:
                time.sleep(1)

    def refresh_planner_statistics(self) -> None:
        """SQLite plans queries from statistics that only ANALYZE updates; as a site grows, stale
        ones send feeds into full scans. ``PRAGMA optimize`` refreshes what needs it, cheaply, and
        SQLite's documentation asks for it periodically. PostgreSQL's autovacuum does this itself."""
        if connection.vendor != "sqlite":
            return
        last = getattr(self, "optimized_at", None)
        if last is None or time.monotonic() - last > 3600:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA optimize")
            self.optimized_at = time.monotonic()

    def queue_every(self, task, seconds: int) -> None:
        """Queue ``task`` if it was not queued in the last ``seconds`` (always with --once)."""
        queued_at = self.__dict__.setdefault("queued_at", {})
        last = queued_at.get(task.name)
        if last is None or time.monotonic() - last >= seconds:
            task.enqueue()
            queued_at[task.name] = time.monotonic()

    def stop(self, signum, frame):
        self.stopping = True

    def tick(self) -> None:
        now = timezone.now()
        self.refresh_planner_statistics()
        # Claimed before queued: if queueing fails, the notifications stay pending and go out in
        # the next morning's digest, whereas queueing first could send one digest twice.
        claimed = claim_due_digests(now=now)
        for start in range(0, len(claimed), BATCH):
            send_daily_digests.enqueue(claimed[start : start + BATCH])
        if claimed:
            self.stdout.write(f"{now:%Y-%m-%d %H:%M} queued {len(claimed)} digest(s)")
        self.queue_every(retry_previews, LINK_PREVIEW_RETRY_EVERY)
        self.queue_every(check_links, LINK_CHECK_EVERY)
        self.queue_every(check_pairs, PAIR_CHECK_EVERY)
