"""The portfolio pages, one module per area: pages.py (portfolios, pages, blocks, journal, templates),
sharing.py (sharing, secret links, feedback, snapshots), claims.py (skill claims and endorsements),
transfer.py (Leap2A import and export, the offline site). Each module keeps its own ``urlpatterns``."""
