from django.urls import path

from gandang.ledger import excel_views, views

app_name = "ledger"
urlpatterns = [
    path("", views.item_list, name="item_list"),
    path("items/new/", views.item_create, name="item_create"),
    path("items/<int:pk>/", views.item_detail, name="item_detail"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:pk>/archive/", views.item_archive, name="item_archive"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_edit, name="plan_create"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("import/", excel_views.import_upload, name="import"),
    path("import/confirm/", excel_views.import_confirm, name="import_confirm"),
    path("import/template.xlsx", excel_views.import_template, name="import_template"),
    path("export.xlsx", excel_views.export_xlsx, name="export_xlsx"),
    path("export.json", excel_views.export_json, name="export_json"),
]
