"""The mentoring API under /api/mentoring/: one router per area, as the views are split (programmes.py:
programmes, applications, suggestions, requests and answers; curate.py: match runs, dashboard; pairs.py:
matches, agreements, goals, meetings, check-ins, closing)."""

from ninja import Router

from mentoring.api import curate, pairs, programmes

router = Router(tags=["mentoring"])
router.add_router("", curate.router)
router.add_router("", pairs.router)
router.add_router("", programmes.router)
