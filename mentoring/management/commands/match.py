"""``manage.py match <programme> [--dry-run | --preview] [--as USERNAME]``: a programme's bulk match from the shell."""

import time

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from mentoring import runs
from mentoring.access import can_run
from mentoring.matching import TOP_K, bulk_match, effective_weights
from mentoring.models import Programme
from people.models import User


def find_programme(key: str) -> Programme:
    """A programme by its id, its title, or its title as a slug."""
    programmes = Programme.objects.select_related("item", "item__owner").filter(item__deleted_at__isnull=True)
    if key.isdigit():
        found = programmes.filter(pk=int(key)).first()
        if found is None:
            raise CommandError(f"There is no programme with id {key}.")
        return found
    found = list(programmes.filter(item__title__iexact=key.strip()))
    if not found:
        wanted = slugify(key)
        found = [p for p in programmes.only("item__title", "item__owner") if slugify(p.item.title) == wanted]
    if not found:
        raise CommandError(f"There is no programme called “{key}”.")
    if len(found) > 1:
        ids = ", ".join(str(p.pk) for p in found)
        raise CommandError(f"More than one programme is called “{key}” (ids {ids}); give the id.")
    return found[0]


class Command(BaseCommand):
    help = (
        "Match a mentoring programme's open mentee applications with its mentors: the capacity-respecting "
        "assignment of greatest total score. Prints the pairs matched, the mentees left unmatched with the "
        "reason, the total score and the time taken. Without --dry-run or --preview it saves the run and "
        "publishes it at once: every pair starts and both people are notified (either may decline)."
    )

    def add_arguments(self, parser):
        parser.add_argument("programme", help="The programme's id or title")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--dry-run", action="store_true", help="Match and print only; write nothing")
        mode.add_argument(
            "--preview", action="store_true", help="Save the run as a preview for curators to edit and publish"
        )
        parser.add_argument(
            "--as", dest="actor", help="Username of the curator doing this (default: the programme's owner)"
        )
        parser.add_argument("--k", type=int, default=TOP_K, help=f"Candidates kept per mentee (default {TOP_K})")

    def handle(self, *args, **options):
        programme = find_programme(options["programme"])
        actor = programme.item.owner
        if options["actor"]:
            actor = User.objects.filter(username=options["actor"], is_active=True).first()
            if actor is None:
                raise CommandError(f"There is no active person “{options['actor']}”.")
        if not can_run(actor, programme):
            raise CommandError(f"{actor.username} may not run the matching of “{programme.item.title}”.")
        k = max(1, options["k"])
        started = time.perf_counter()
        if options["dry_run"]:
            result = bulk_match(programme, k=k)
            seconds = time.perf_counter() - started
            names = {f.application: f.name for f in result.mentees}
            self._report(
                programme,
                mentees=len(result.mentees),
                mentors=len(result.mentors),
                room=sum(result.rooms.values()),
                already=len(result.already_paired),
                pairs=[(p.mentee.name, p.mentor.name, p.score, p.suggestion.summary) for p in result.pairs],
                unmatched=[(names[app], app, reason) for app, reason in result.unmatched.items()],
                total=result.total_score,
                seconds=seconds,
                stages=result.timings,
                verbose=options["verbosity"] >= 1,
            )
            self.stdout.write("Dry run: nothing written.")
            return
        try:
            run = runs.start_run(programme, by=actor, k=k)
            if not options["preview"]:
                runs.publish_run(run, by=actor)
        except (PermissionDenied, ValidationError) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
        seconds = time.perf_counter() - started
        run.refresh_from_db()
        stats = run.stats
        matches = run.matches.select_related("mentor", "mentee")
        self._report(
            programme,
            mentees=stats["mentees"],
            mentors=stats["mentors"],
            room=stats["mentor_room"],
            already=stats["already_paired"],
            pairs=[
                (m.mentee.name, m.mentor.name, m.score, "; ".join(p["words"] for p in m.explanation if p["points"]))
                for m in matches
            ],
            unmatched=[(u["name"], u["application_id"], u["reason"]) for u in stats["unmatched"]],
            total=stats["total_score"],
            seconds=seconds,
            stages=stats["seconds"],
            verbose=options["verbosity"] >= 1,
        )
        if options["preview"]:
            self.stdout.write(f"Saved as preview run {run.pk}; publish it from the programme's match page.")
            return
        dropped = len(stats.get("dropped_at_publish", []))
        self.stdout.write(
            f"Published run {run.pk}: {stats.get('published', 0)} pairs started and both people told"
            + (f"; {dropped} dropped because something changed meanwhile" if dropped else "")
            + "."
        )

    def _report(self, programme, *, mentees, mentors, room, already, pairs, unmatched, total, seconds, stages, verbose):
        out = self.stdout.write
        out(
            f"{programme.item.title} (id {programme.pk}): {mentees} mentees to match, {mentors} mentors with room "
            f"for {room}" + (f"; {already} mentees already in a pair" if already else "")
        )
        out(f"Pairs matched: {len(pairs)}")
        if verbose:
            for mentee, mentor, score, summary in sorted(pairs, key=lambda p: (-p[2], p[0])):
                out(f"  {mentee} ← {mentor}  {score:.2f}  {summary}")
        out(f"Unmatched: {len(unmatched)}")
        if verbose:
            for name, app, reason in sorted(unmatched, key=lambda u: (u[2], u[0])):
                out(f"  {name} (application {app}): {reason}")
        best = sum(effective_weights(programme).values())
        mean = total / len(pairs) if pairs else 0.0
        out(f"Total score: {total:.2f} (mean {mean:.2f} of a possible {best:g})")
        detail = ", ".join(f"{name} {value:.2f}" for name, value in stages.items() if name != "total")
        out(f"Time taken: {seconds:.2f} s ({detail})")
