from django.urls import path

from gandang.dispatch import views

app_name = "dispatch"
urlpatterns = [
    path("", views.period_list, name="period_list"),
    path("periods/new/", views.period_create, name="period_create"),
    path("periods/<int:pk>/", views.period_detail, name="period_detail"),
    path("periods/<int:pk>/fill/", views.period_fill, name="period_fill"),
    path("periods/<int:pk>/accept/", views.period_accept, name="period_accept"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("reports/<int:pk>/autosave/", views.report_autosave, name="report_autosave"),
    path("reports/<int:pk>/copy-verdict/", views.copy_verdict, name="copy_verdict"),
    path("sign/", views.sign, name="sign"),
    path("reports/<int:pk>/step/<str:action>/", views.report_step, name="report_step"),
    path("reports/<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("reports/<int:pk>/contribution/", views.contribution_save, name="contribution_save"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/remove/", views.attachment_remove, name="attachment_remove"),
    path("items/<int:pk>/no-effect/", views.item_no_effect, name="item_no_effect"),
]
