from django import template

register = template.Library()


@register.inclusion_tag("reviews/partials/panel.html", takes_context=True)
def reviews_panel(context, item):
    """The ratings and reviews of ``item``: summary, the viewer's own review form, the most helpful reviews."""
    from reviews.views import panel_context

    request = context["request"]
    return panel_context(request, item)


@register.inclusion_tag("reviews/partials/stars.html")
def stars(value, size="md"):
    """Five stars, ``value`` of them filled (rounded), with the number for screen readers."""
    filled = round(value or 0)
    return {"filled": range(filled), "empty": range(5 - filled), "value": value, "size": size}
