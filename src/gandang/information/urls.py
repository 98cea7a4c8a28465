from django.urls import path

from gandang.information import partner_views, views

app_name = "information"
urlpatterns = [
    path("", views.piece_list, name="piece_list"),
    path("new/", views.piece_create, name="piece_create"),
    path("<int:pk>/", views.piece_detail, name="piece_detail"),
    path("<int:pk>/edit/", views.piece_edit, name="piece_edit"),
    path("<int:pk>/step/<str:action>/", views.piece_step, name="piece_step"),
    path("<int:pk>/raise/", views.piece_raise, name="piece_raise"),
    path("<int:pk>/photos/", views.photo_upload, name="photo_upload"),
    path("photos/<int:pk>/", views.photo_download, name="photo_download"),
    path("photos/<int:pk>/remove/", views.photo_remove, name="photo_remove"),
    path("counts/", views.counts, name="counts"),
    # The partners of 两办两研: where they used a piece (采用登记), withdrawn or corrected, and the list.
    path("<int:pk>/uses/", partner_views.use_record, name="use_record"),
    path("uses/", partner_views.use_list, name="use_list"),
    path("uses/<int:pk>/withdraw/", partner_views.use_withdraw, name="use_withdraw"),
    path("uses/<int:pk>/correct/", partner_views.use_correct, name="use_correct"),
    # The periodical (《XX改革》): its issues, compiled and issued by the office.
    path("issues/", views.issue_list, name="issue_list"),
    path("issues/new/", views.issue_create, name="issue_create"),
    path("issues/<int:pk>/", views.issue_detail, name="issue_detail"),
    path("issues/<int:pk>/edit/", views.issue_edit, name="issue_edit"),
    path("issues/<int:pk>/add/", views.issue_add, name="issue_add"),
    path("issues/<int:pk>/remove/", views.issue_remove, name="issue_remove"),
    path("issues/<int:pk>/move/", views.issue_move, name="issue_move"),
    path("issues/<int:pk>/publish/", views.issue_publish, name="issue_publish"),
    path("issues/<int:pk>.<str:fmt>", views.issue_download, name="issue_download"),
]
