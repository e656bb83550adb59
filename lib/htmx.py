"""One decision for every view: the whole page, or just the named partial htmx asked for."""

from django.shortcuts import render


def render_page(request, template: str, context: dict, *, partial: str | None = None, status: int = 200):
    """Render ``template``; for an htmx request that is not a boosted navigation, only ``partial``.

    ``partial`` names a django-template-partials block inside the template (``"results"``), so the
    fragment and the full page always come from the same markup.
    """
    htmx = getattr(request, "htmx", None)
    if partial and htmx and not htmx.boosted:
        return render(request, f"{template}#{partial}", context, status=status)
    return render(request, template, context, status=status)
