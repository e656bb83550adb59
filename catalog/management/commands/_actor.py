"""Who a catalogue command acts as: the person named by --as, or the first site administrator."""

from django.core.management.base import CommandError
from django.db.models import Q

from people.models import User


def add_actor_argument(parser) -> None:
    parser.add_argument("--as", dest="actor", help="Username of the curator doing this (default: an administrator)")
    parser.add_argument("--dry-run", action="store_true", help="Show what would change and write nothing")


def find_actor(username: str | None) -> User:
    if username:
        actor = User.objects.filter(username=username, is_active=True).first()
        if actor is None:
            raise CommandError(f"There is no active person “{username}”.")
        if not actor.is_curator:
            raise CommandError(f"{username} is not a curator or an administrator.")
        return actor
    actor = User.objects.filter(Q(is_superuser=True) | Q(role=User.Role.ADMIN), is_active=True).order_by("pk").first()
    if actor is None:
        raise CommandError("There is no administrator to act as; name a curator with --as.")
    return actor
