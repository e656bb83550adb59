from django import template

from people.models import PersonSkill

register = template.Library()


@register.filter
def level_label(value) -> str:
    """'Expert' for 4: the name of a skill level held as a bare number (as in annotations)."""
    try:
        return PersonSkill.Level(int(value)).label
    except (TypeError, ValueError):
        return ""
