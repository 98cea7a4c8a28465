from django.urls import path

from gandang.bulletins import factsheet_views as fs
from gandang.bulletins import views

# Included at the site root: the dashboard keeps /dashboard/, the bulletins live under /bulletins/.
app_name = "bulletins"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("bulletins/", views.bulletin_list, name="list"),
    path("bulletins/new/", views.bulletin_create, name="create"),
    path("bulletins/<int:pk>/", views.bulletin_detail, name="detail"),
    path("bulletins/<int:pk>/sections/<slug:key>/", views.section_edit, name="section_edit"),
    path("bulletins/<int:pk>/sections/<slug:key>/restore/", views.section_restore, name="section_restore"),
    path("bulletins/<int:pk>/issue/", views.bulletin_issue, name="issue"),
    path("bulletins/<int:pk>/correct/", views.bulletin_correct, name="correct"),
    path("bulletins/<int:pk>/download/<slug:fmt>/", views.bulletin_download, name="download"),
    # The press-conference fact sheets (发布会材料), a tab beside the bulletins.
    path("factsheets/", fs.factsheet_list, name="factsheet_list"),
    path("factsheets/new/", fs.factsheet_create, name="factsheet_create"),
    path("factsheets/<int:pk>/", fs.factsheet_detail, name="factsheet_detail"),
    path("factsheets/<int:pk>/wording/", fs.wording_save, name="factsheet_wording"),
    path("factsheets/<int:pk>/sections/<slug:key>/", fs.section_edit, name="factsheet_section_edit"),
    path(
        "factsheets/<int:pk>/sections/<slug:key>/restore/",
        fs.section_restore,
        name="factsheet_section_restore",
    ),
    path("factsheets/<int:pk>/download/<slug:fmt>/", fs.factsheet_download, name="factsheet_download"),
]
