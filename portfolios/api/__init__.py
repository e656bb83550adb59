"""The portfolio API under /api/portfolios/: one router per area, as the views are split (pages.py: portfolios,
pages, blocks, journal; sharing.py: sharing, secret links, feedback, submissions; claims.py: skill claims,
endorsements, frameworks; transfer.py: Leap2A and offline-site exports and imports)."""

from ninja import Router

from portfolios.api import claims, pages, sharing, transfer

router = Router(tags=["portfolios"])
# Literal paths (/claims, /feedback-requests, /submissions...) before the pages router's /{portfolio_id}.
router.add_router("/transfer/", transfer.router)
router.add_router("", claims.router)
router.add_router("", sharing.router)
router.add_router("", pages.router)
