from datetime import timedelta

import pytest
from django.utils import timezone

from catalog import services
from catalog.models import Course


@pytest.fixture
def course(personas):
    return services.create_course(
        actor=personas.lee, title="Negotiation skills", summary="Getting to yes.", format=Course.Format.CLASSROOM
    )


@pytest.fixture
def make_session(personas):
    def make(course, *, capacity=None, days=7, time_zone="Europe/Berlin", actor=None):
        starts = timezone.now().replace(microsecond=0) + timedelta(days=days)
        return services.add_session(
            actor=actor or personas.lee,
            course=course,
            starts=starts,
            ends=starts + timedelta(hours=3),
            time_zone=time_zone,
            place="Room 4",
            capacity=capacity,
        )

    return make
