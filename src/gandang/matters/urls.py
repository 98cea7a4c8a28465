from django.urls import path

from gandang.matters import consult_views, letter_views, views
from gandang.matters import meetings_views as mv

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
    path("year/", views.year_overview, name="year_overview"),
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
    # The consultation (协商座谈): sessions, suggestions and their reply letters.
    path("consult/", consult_views.consult_index, name="consult_index"),
    path("consult/new/", consult_views.consultation_create, name="consultation_create"),
    path("consult/<int:pk>/", consult_views.consultation_detail, name="consultation_detail"),
    path("consult/<int:pk>/edit/", consult_views.consultation_edit, name="consultation_edit"),
    path("consult/<int:pk>/suggestions/", consult_views.suggestion_add, name="suggestion_add"),
    path("consult/suggestions/", consult_views.suggestion_list, name="suggestion_list"),
    path("consult/suggestions/<int:pk>/", consult_views.suggestion_detail, name="suggestion_detail"),
    path("consult/suggestions/<int:pk>/edit/", consult_views.suggestion_edit, name="suggestion_edit"),
    path("consult/suggestions/<int:pk>/assign/", consult_views.suggestion_assign, name="suggestion_assign"),
    path("consult/suggestions/<int:pk>/reply/", consult_views.reply_issue, name="reply_issue"),
    path("consult/replies/<int:pk>.<str:fmt>", consult_views.reply_download, name="reply_download"),
    # Reform-committee meetings (深改委会议): topics, observers, minutes, decisions.
    path("meetings/", mv.meeting_list, name="meeting_list"),
    path("meetings/new/", mv.meeting_create, name="meeting_create"),
    path("meetings/decisions/", mv.decision_list, name="decision_list"),
    path("meetings/<int:pk>/", mv.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", mv.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/step/<str:action>/", mv.meeting_step, name="meeting_step"),
    path("meetings/<int:pk>/topics/", mv.topic_create, name="topic_create"),
    path("meetings/<int:pk>/observers/", mv.observer_add, name="observer_add"),
    path("meetings/<int:pk>/minutes/", mv.minutes_save, name="minutes_save"),
    path("meetings/<int:pk>/minutes/issue/", mv.minutes_issue, name="minutes_issue"),
    path("meetings/<int:pk>/minutes.<str:fmt>", mv.minutes_download, name="minutes_download"),
    path("meetings/<int:pk>/decisions/", mv.decision_add, name="decision_add"),
    path("meetings/topics/<int:pk>/", mv.topic_detail, name="topic_detail"),
    path("meetings/topics/<int:pk>/step/<str:action>/", mv.topic_step, name="topic_step"),
    path("meetings/topics/<int:pk>/move/", mv.topic_move, name="topic_move"),
    path("meetings/topics/<int:pk>/materials/", mv.material_upload, name="material_upload"),
    path("meetings/materials/<int:pk>/", mv.material_download, name="material_download"),
    path("meetings/materials/<int:pk>/remove/", mv.material_remove, name="material_remove"),
    path("meetings/observers/<int:pk>/step/<str:action>/", mv.observer_step, name="observer_step"),
    path("meetings/observers/<int:pk>/comments/", mv.comment_add, name="comment_add"),
    path("meetings/comments/<int:pk>/assign/", mv.comment_assign, name="comment_assign"),
    path("meetings/decisions/<int:pk>/matter/", mv.decision_matter, name="decision_matter"),
    path("meetings/decisions/<int:pk>/itemize/", mv.decision_itemize, name="decision_itemize"),
]
