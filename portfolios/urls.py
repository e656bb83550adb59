from portfolios.views import claims, pages, sharing, transfer

app_name = "portfolios"

# /portfolios/ (a portfolio's permalink is its item's /i/<id>/)
urlpatterns = pages.urlpatterns + sharing.urlpatterns + claims.urlpatterns + transfer.urlpatterns
