from types import SimpleNamespace

import pytest

from people.models import Skill


@pytest.fixture
def tree(db):
    """programming > python > django, and negotiation on its own."""
    programming = Skill.objects.create(name="Programming")
    python = Skill.objects.create(name="Python", parent=programming, alt_labels="py\nPython 3")
    django = Skill.objects.create(name="Django", parent=python, description="The web framework.")
    negotiation = Skill.objects.create(name="Negotiation")
    return SimpleNamespace(programming=programming, python=python, django=django, negotiation=negotiation)
