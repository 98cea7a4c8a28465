from django.urls import path

from gandang.matters import meetings_views as mv
from gandang.matters import views

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
