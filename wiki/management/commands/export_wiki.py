from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from people.models import User
from spaces.models import Space
from wiki.transfer import export_space_zip


class Command(BaseCommand):
    help = (
        "Write a space's wiki to a zip of Markdown files, folders mirroring the page tree. It holds every page "
        "an administrator may see: all of them except people's private pages."
    )

    def add_arguments(self, parser):
        parser.add_argument("space", help="The space's slug, as in /spaces/<slug>/")
        parser.add_argument("zip", help="Where to write the zip, e.g. team-wiki.zip")

    def handle(self, *args, **options):
        space = options["space"]
        found = Space.objects.filter(slug=space).first()
        if found is None:
            raise CommandError(f"There is no space “{space}”.")
        target = Path(options["zip"])
        if not target.parent.is_dir():
            raise CommandError(f"The folder {target.parent} does not exist.")
        # An administrator who owns nothing (no row has pk 0): sees what any administrator sees, and no
        # one's private pages. Unsaved, it could not be used in the access rule's membership queries.
        viewer = User(pk=0, username="export", role=User.Role.ADMIN)
        try:
            with target.open("wb") as out:
                count = export_space_zip(found, viewer=viewer, out=out)
        except OSError as exc:
            raise CommandError(f"Cannot write {target}: {exc.strerror}.") from exc
        self.stdout.write(f"Wrote {count} pages of {found.slug} to {target}.")
