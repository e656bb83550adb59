from django.apps import AppConfig


class PortfoliosConfig(AppConfig):
    name = "portfolios"
    verbose_name = "E-portfolios: pages, journals, feedback, skill claims"

    def ready(self):
        from core.kinds import register_item_kind
        from portfolios.queries import search_text
        from portfolios.views.pages import portfolio_item
        from search.index import register_item_text

        register_item_kind("portfolio", view=portfolio_item, detail_relation="portfolio")
        register_item_text("portfolio", search_text)
