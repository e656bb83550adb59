import pytest


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run what a transaction queues at its commit (the notification fan-out, cache forgetting)."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run
