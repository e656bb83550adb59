"""A directory card shows each skill once, as the strongest thing the person says of it."""

from people.models import PersonSkill
from people.templatetags.people_tags import person_card
from tests.factories import SkillFactory


def test_a_skill_someone_has_and_teaches_is_one_teaching_chip(personas):
    empathy, sql = SkillFactory(name="Show empathy"), SkillFactory(name="SQL")
    PersonSkill.objects.create(person=personas.mo, skill=empathy, direction=PersonSkill.Direction.HAS)
    PersonSkill.objects.create(person=personas.mo, skill=empathy, direction=PersonSkill.Direction.TEACHES)
    PersonSkill.objects.create(person=personas.mo, skill=sql, direction=PersonSkill.Direction.WANTS)
    PersonSkill.objects.create(person=personas.mo, skill=sql, direction=PersonSkill.Direction.HAS)

    html = str(person_card(personas.mo))

    assert html.count(">Show empathy<") == 1 and "chip-teaches" in html
    assert html.count("SQL<") == 1 and "chip-has" in html and "chip-wants" not in html
