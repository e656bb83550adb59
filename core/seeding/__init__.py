"""Demo and benchmark data for ``manage.py seed``: a small, lived-in organisation and a large one."""

from contextlib import contextmanager

from django.test.utils import override_settings


@contextmanager
def tasks_held():
    """Keep background tasks from running while seeding.

    The seed delivers notifications and builds the search index itself, in bulk, once everything is
    written; and a demo must never send e-mail to the addresses it made up.
    """
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}):
        yield
