from django.urls import path

from gandang.achievements import views

app_name = "achievements"
urlpatterns = [
    path("", views.index, name="index"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("experiences/", views.experience_list, name="experience_list"),
    path("experiences/new/", views.experience_create, name="experience_create"),
    path("experiences/<int:pk>/", views.experience_detail, name="experience_detail"),
    path("experiences/<int:pk>/edit/", views.experience_edit, name="experience_edit"),
    path("experiences/<int:pk>/step/<str:action>/", views.experience_step, name="experience_step"),
    path("experiences/<int:pk>/promotions/", views.promotion_add, name="promotion_add"),
    path("experiences/<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("promotions/<int:pk>/remove/", views.promotion_remove, name="promotion_remove"),
    path("promotions/<int:pk>/scan/", views.promotion_scan, name="promotion_scan"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/remove/", views.attachment_remove, name="attachment_remove"),
    path("pilots/", views.pilot_list, name="pilot_list"),
    path("pilots/new/", views.pilot_create, name="pilot_create"),
    path("pilots/<int:pk>/", views.pilot_detail, name="pilot_detail"),
    path("pilots/<int:pk>/edit/", views.pilot_edit, name="pilot_edit"),
    path("pilots/<int:pk>/step/", views.pilot_step, name="pilot_step"),
    path("pilot-steps/<int:pk>/document/", views.pilot_document, name="pilot_document"),
    path("honors/", views.honor_list, name="honor_list"),
    path("honors/new/", views.honor_create, name="honor_create"),
    path("honors/<int:pk>/evidence/", views.honor_evidence, name="honor_evidence"),
    path("honors/<int:pk>/remove/", views.honor_remove, name="honor_remove"),
]

showcase_patterns = (
    [
        path("", views.showcase_list, name="list"),
        path("<int:pk>/", views.showcase_detail, name="detail"),
    ],
    "showcase",
)
