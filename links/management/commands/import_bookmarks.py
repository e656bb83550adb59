"""Import a Netscape bookmark file for someone from the shell, as the import page would."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.models import Visibility
from links.importing import apply_plan, plan_import
from links.models import ImportJob
from spaces.models import Space


class Command(BaseCommand):
    help = (
        "Import a bookmark export (Netscape HTML from a browser, Pinboard, linkding, Shaarli, Pocket…) for a person. "
        "Prints how many links were created, merged and refused, with the reasons; exits non-zero only when the "
        "file, the person or the space cannot be used at all."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("file")
        parser.add_argument(
            "--folders",
            choices=ImportJob.Folders.values,
            default=ImportJob.Folders.TAGS,
            help="What the file's folders become: tags on each link (default) or one board per folder.",
        )
        parser.add_argument("--space", metavar="SLUG", help="Save the links in this space (the person must belong).")
        parser.add_argument(
            "--visibility",
            choices=[v for v in Visibility.values if v != Visibility.PEOPLE],
            default=Visibility.PRIVATE,
            help="Who may see the imported links (default: private); entries marked private stay private.",
        )

    def handle(self, *args, username, file, folders, space, visibility, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is nobody with the user name “{username}”.")
        chosen = None
        if space:
            chosen = Space.objects.filter(slug=space).first()
            if chosen is None:
                raise CommandError(f"There is no space “{space}”.")
        try:
            plan = plan_import(file, user=user, folders=folders, space=chosen, visibility=visibility)
        except (ValidationError, PermissionDenied) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            raise CommandError(" ".join(messages)) from error
        self.stdout.write(
            f"Read {plan.entries:,} entries ({plan.format} format, {plan.folder_count:,} folders) "
            f"in {plan.seconds:.1f} s: {plan.to_create:,} to create, {plan.to_merge:,} to merge, "
            f"{len(plan.refused):,} refused."
        )
        verbosity = options["verbosity"]

        def progress(done, result):
            if verbosity > 1:
                self.stderr.write(f"  {done:,} of {len(plan.links):,} links saved")

        result = apply_plan(plan, user=user, space=chosen, progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {result.created:,}, merged {result.merged:,}, refused {len(result.refused):,} "
                f"({result.seconds:.1f} s)."
            )
        )
        if result.boards_created:
            self.stdout.write(f"Boards made: {result.boards_created:,}.")
        for refusal in result.refused:
            where = f"line {refusal['line']}: " if refusal.get("line") else ""
            shown = refusal["url"] or refusal["title"] or "(no address)"
            self.stdout.write(f"  refused {where}{shown}: {refusal['reason']}")
        for warning in result.warnings:
            self.stdout.write(f"  note, line {warning['line']}: {warning['url']}: {warning['warning']}")
