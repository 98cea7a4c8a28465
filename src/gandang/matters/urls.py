from django.urls import path

from gandang.matters import letter_views, views

app_name = "matters"
urlpatterns = [
    path("", views.matter_list, name="matter_list"),
    path("<int:pk>/", views.matter_detail, name="matter_detail"),
    path("<int:pk>/answer/", views.matter_answer, name="matter_answer"),
    path("<int:pk>/step/<str:action>/", views.matter_step, name="matter_step"),
    path("<int:pk>/itemize/", views.matter_itemize, name="matter_itemize"),
    path("<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/remove/", views.attachment_remove, name="attachment_remove"),
    path("instructions/", views.instruction_list, name="instruction_list"),
    path("instructions/new/", views.instruction_create, name="instruction_create"),
    path("instructions/<int:pk>/", views.instruction_detail, name="instruction_detail"),
    path("instructions/scans/<int:pk>/", views.scan_download, name="scan_download"),
    path("items/<int:pk>/instruct/", views.item_instruct, name="item_instruct"),
    # An overdue matter's letters (催办函, 督办函).
    path("<int:pk>/urge/", letter_views.matter_urge, name="matter_urge"),
    path("<int:pk>/escalate/", letter_views.matter_escalate, name="matter_escalate"),
    path("letters/<int:pk>.<str:fmt>", letter_views.letter_download, name="letter_download"),
    # A city leader's 批示 on a record of another app (gandang.core.records: dispatch.report, …).
    path("on/<str:key>/<int:pk>/instruct/", views.record_instruct, name="record_instruct"),
]
