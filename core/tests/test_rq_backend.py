"""At scale, background tasks go through Redis with RQ: enqueue there, and a worker runs them."""

import os

import pytest
from django.test import override_settings

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (CI's PostgreSQL run sets it)"),
]


def test_a_task_enqueued_on_redis_is_run_by_an_rq_worker(settings, personas):
    import django_rq
    from rq import SimpleWorker

    from core.models import Activity, Notification
    from core.tasks import fan_out_activity
    from spaces.models import Membership

    Membership.objects.filter(space=personas.team, user=personas.alice).delete()
    activity = Activity.objects.create(
        actor=personas.mo, verb=Activity.Verb.INVITED, space=personas.team, target=personas.alice
    )
    rq_settings = {
        "TASKS": {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}},
        "RQ_QUEUES": {"default": {"URL": os.environ["REDIS_URL"]}},
        "INSTALLED_APPS": [*settings.INSTALLED_APPS, "django_rq"],
    }
    with override_settings(**rq_settings):
        queue = django_rq.get_queue("default", job_class="django_tasks_rq.backend.Job")
        queue.empty()
        result = fan_out_activity.enqueue(activity.pk)
        assert not Notification.objects.filter(recipient=personas.alice).exists()  # queued, not run
        SimpleWorker([queue], connection=queue.connection, job_class=queue.job_class).work(burst=True)
        result.refresh()
        assert result.status == "SUCCESSFUL"
    assert Notification.objects.filter(recipient=personas.alice, kind="invited").exists()
