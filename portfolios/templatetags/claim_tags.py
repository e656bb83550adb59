"""The "Recognised skills" section of a profile: the person's endorsed skill claims (``portfolios.claims``)."""

from django import template

from portfolios.claims import recognised_skills as recognised

register = template.Library()


@register.inclusion_tag("portfolios/claim_recognised.html", takes_context=True)
def recognised_skills(context, person):
    """Endorsed claims, each with its level, who endorsed it and the evidence the viewer may open."""
    viewer = context["request"].user
    return {"recognised": recognised(viewer, person), "person": person, "is_me": viewer.pk == person.pk}
