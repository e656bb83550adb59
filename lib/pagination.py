"""Bounded pages for every list: a limit and an offset capped so no page scans without end."""

from dataclasses import dataclass

MAX_PAGE = 200


@dataclass
class Page:
    rows: list
    number: int
    has_next: bool
    per_page: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def paginate(queryset, request, *, per_page: int = 30) -> Page:
    """Fetch one more row than shown to know whether a next page exists, without a COUNT."""
    try:
        number = max(1, min(int(request.GET.get("page", 1)), MAX_PAGE))
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    return Page(rows=rows[:per_page], number=number, has_next=len(rows) > per_page, per_page=per_page)
