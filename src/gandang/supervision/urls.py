from django.urls import path

from gandang.supervision import views

app_name = "supervision"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.listing_new, name="listing_new"),
    path("proposals/<int:pk>/dismiss/", views.proposal_dismiss, name="proposal_dismiss"),
    path("proposals/refresh/", views.proposals_refresh, name="proposals_refresh"),
    path("<int:pk>/", views.listing_detail, name="listing_detail"),
    path("<int:pk>/escalate/", views.listing_escalate, name="listing_escalate"),
    path("<int:pk>/revoke/", views.listing_revoke, name="listing_revoke"),
    path("<int:pk>/extend/", views.listing_extend, name="listing_extend"),
    path("<int:pk>/rectification/", views.rectification_edit, name="rectification_edit"),
    path("<int:pk>/rectification/step/<str:action>/", views.rectification_step, name="rectification_step"),
    path("<int:pk>/rectification/attachments/", views.attachment_upload, name="attachment_upload"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/remove/", views.attachment_remove, name="attachment_remove"),
    path("letters/<int:pk>.<str:fmt>", views.letter_download, name="letter_download"),
]
