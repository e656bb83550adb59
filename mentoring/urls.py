from mentoring.views import curate, pairs, programmes

app_name = "mentoring"

# /mentoring/ (a programme's permalink is its item's /i/<id>/)
urlpatterns = curate.urlpatterns + pairs.urlpatterns + programmes.urlpatterns
