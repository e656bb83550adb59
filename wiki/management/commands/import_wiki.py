from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from people.models import User
from spaces.models import Membership, Space
from wiki.transfer import ArchiveError, apply_import, plan_import


class Command(BaseCommand):
    help = (
        "Import a zip of Markdown pages (a wiki export, an Obsidian vault) into a space's wiki. Pages whose "
        "title is already in the wiki get the file's text as a new revision; what cannot be imported is listed "
        "with the reason, and the rest is imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("space", help="The space's slug, as in /spaces/<slug>/")
        parser.add_argument("zip", help="The zip file to import")
        parser.add_argument(
            "--as", dest="username", help="Who writes the pages (default: the space's owner, else an administrator)"
        )
        parser.add_argument("--dry-run", action="store_true", help="Show what would happen and write nothing")

    def handle(self, *args, space, username, dry_run, **options):
        found = Space.objects.filter(slug=space).first()
        if found is None:
            raise CommandError(f"There is no space “{space}”.")
        actor = self._actor(found, username)
        try:
            plan = plan_import(options["zip"], space=found, actor=actor)
        except (ArchiveError, PermissionDenied) as exc:
            raise CommandError(_message(exc)) from exc
        if dry_run:
            self._print(
                f"Would import into {found.slug} as {actor.username}:",
                created=[p.title for p in plan.created],
                updated=[p.title for p in plan.updated],
                unchanged=[p.title for p in plan.unchanged],
                refused=plan.refused,
                ignored=plan.ignored,
                notes=plan.notes,
            )
            return
        try:
            report = apply_import(plan, actor=actor)
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError(_message(exc)) from exc
        self._print(
            f"Imported into {found.slug} as {actor.username} in {report.seconds:.1f} s:",
            created=[p.item.title for p in report.created],
            updated=[p.item.title for p in report.updated],
            unchanged=report.unchanged,
            refused=report.refused,
            ignored=report.ignored,
            notes=report.notes,
        )

    def _actor(self, space, username):
        if username:
            actor = User.objects.filter(username=username).first()
            if actor is None:
                raise CommandError(f"There is no user “{username}”.")
            return actor
        owner = (
            Membership.objects.filter(space=space, role=Membership.Role.OWNER, state=Membership.State.ACTIVE)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if owner is not None and owner.user.is_active:
            return owner.user
        admin = User.objects.filter(Q(is_superuser=True) | Q(role=User.Role.ADMIN), is_active=True).order_by("pk")
        if not admin.exists():
            raise CommandError("The space has no owner and the site no administrator: name who writes with --as.")
        return admin.first()

    def _print(self, heading, *, created, updated, unchanged, refused, ignored, notes):
        self.stdout.write(heading)
        self.stdout.write(f"  created: {len(created)}")
        self.stdout.write(f"  updated: {len(updated)} (as a new revision of the page with the same title)")
        self.stdout.write(f"  unchanged: {len(unchanged)}")
        self.stdout.write(f"  refused: {len(refused)}")
        for refusal in refused:
            self.stdout.write(f"    {refusal.path}: {refusal.reason}")
        # A vault's settings folder alone can hold hundreds of files: count them by reason.
        by_reason = Counter(entry.reason for entry in ignored)
        detail = ", ".join(f"{reason}: {n}" for reason, n in sorted(by_reason.items()))
        self.stdout.write(f"  ignored: {len(ignored)}" + (f" ({detail})" if detail else ""))
        for note in notes:
            self.stdout.write(f"  note: {note}")


def _message(exc) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)
