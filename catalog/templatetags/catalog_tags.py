from django import template

from catalog.queries import completions_for
from core.models import Item

register = template.Library()

# A profile shows the latest completions; the rest would make the page long for little use.
COMPLETIONS_SHOWN = 20


@register.inclusion_tag("catalog/partials/completions.html", takes_context=True)
def completed_courses(context, person):
    """The courses ``person`` completed, only those the viewer may see (a course in a space stays in it)."""
    viewer = context["request"].user
    visible = Item.objects.visible_to(viewer).filter(kind="course").values("pk")
    rows = list(completions_for(person).filter(course_id__in=visible)[:COMPLETIONS_SHOWN])
    return {"completions": rows, "person": person, "is_me": viewer.pk == person.pk}
