"""The ESCO skills taxonomy the demo's people draw their skills from (files in ``esco/``)."""

from __future__ import annotations

from pathlib import Path

from people.models import Skill
from people.services import import_skills

ESCO_DIR = Path(__file__).resolve().parent / "esco"
# The hierarchy first: the two collections hang their skills under its concepts.
ESCO_FILES = (
    "esco-1.2.0_skillsHierarchy_en.csv",
    "esco-1.2.0_digCompSkillsCollection_en.csv",
    "esco-1.2.0_transversalSkillsCollection_en.csv",
)


def ensure_taxonomy() -> int:
    """Import ESCO unless the site already has it; returns how many skills the site has."""
    if not Skill.objects.filter(uri__startswith="http://data.europa.eu/esco/").exists():
        for name in ESCO_FILES:
            import_skills(data=(ESCO_DIR / name).read_bytes())
    return Skill.objects.count()
