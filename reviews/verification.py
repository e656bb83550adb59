"""Who counts as a verified reviewer: a hook each item kind may fill.

A kind whose items are something a person *does* (a course completed, a session attended) registers
a verifier at start-up, usually in its AppConfig.ready()::

    from reviews.verification import register_verifier
    register_verifier("course", lambda user, item: Completion.objects.filter(user=user, course__item=item).exists())

``reviews.services`` asks it when a review is written or edited and stores the answer on the review
(``Review.verified``), so lists never call it per row. No kind registers one yet: every review is
unverified until the catalogue app does.
"""

from collections.abc import Callable

Verifier = Callable[[object, object], bool]

_verifiers: dict[str, Verifier] = {}


def register_verifier(kind: str, fn: Verifier) -> None:
    """Let ``fn(user, item) -> bool`` decide whether ``user``'s reviews of ``kind`` items are verified."""
    _verifiers[kind] = fn


def unregister_verifier(kind: str) -> None:
    _verifiers.pop(kind, None)


def is_verified(user, item) -> bool:
    fn = _verifiers.get(item.kind)
    return bool(fn(user, item)) if fn is not None else False
