from django.urls import path

from reviews import views

app_name = "reviews"

urlpatterns = [
    # /reviews/
    path("moderation/", views.moderation, name="moderation"),
    path("reports/<int:pk>/dismiss", views.dismiss, name="dismiss"),
    # /reviews/i/<item id>/: one item's reviews, and the signed-in person's own
    path("i/<int:item_pk>/", views.item_reviews, name="item"),
    path("i/<int:item_pk>/review", views.save, name="save"),
    path("i/<int:item_pk>/review/delete", views.delete, name="delete"),
    # /reviews/<review id>/
    path("<int:pk>/history/", views.history, name="history"),
    path("<int:pk>/vote", views.vote, name="vote"),
    path("<int:pk>/report", views.report, name="report"),
    path("<int:pk>/reply", views.reply, name="reply"),
    path("<int:pk>/hide", views.hide, name="hide"),
    path("<int:pk>/unhide", views.unhide, name="unhide"),
]
