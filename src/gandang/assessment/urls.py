from django.urls import path

from gandang.assessment import standing_views, views

app_name = "assessment"
urlpatterns = [
    path("", views.index, name="index"),
    path("schemes/<int:pk>/", views.scheme_detail, name="scheme_detail"),
    path("schemes/<int:pk>/compute/", views.run_compute, name="run_compute"),
    path("schemes/<int:pk>/manual/", views.manual_scores, name="manual_scores"),
    path("manual/<int:pk>/void/", views.manual_void, name="manual_void"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/finalize/", views.run_finalize, name="run_finalize"),
    path("runs/<int:pk>/export.xlsx", views.run_export, name="run_export"),
    path("runs/<int:pk>/objections/", views.objection_list, name="objection_list"),
    path("runs/<int:pk>/notice/", views.notice_issue, name="notice_issue"),
    path("runs/<int:pk>/notice.<slug:fmt>", views.notice_download, name="notice_download"),
    path("runs/<int:pk>/units/<int:unit_pk>/", views.sheet, name="sheet"),
    path("runs/<int:pk>/units/<int:unit_pk>/objection/", views.objection_file, name="objection_file"),
    path("objections/<int:pk>/answer/", views.objection_answer, name="objection_answer"),
]

# The monthly standing (月度晾晒), the tab beside the annual assessment.
urlpatterns += [
    path("standings/", standing_views.standing_index, name="standing_index"),
    path("standings/compute/", standing_views.standing_compute, name="standing_compute"),
    path("standings/<int:pk>/", standing_views.standing_detail, name="standing_detail"),
    path("standings/<int:pk>/export.xlsx", standing_views.standing_export, name="standing_export"),
    path("standings/<int:pk>/publish/", standing_views.standing_publish, name="standing_publish"),
    path("standings/<int:pk>/showcase/", standing_views.standing_showcase, name="standing_showcase"),
    path("standings/<int:pk>/units/<int:unit_pk>/", standing_views.standing_unit, name="standing_unit"),
]
