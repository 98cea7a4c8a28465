from django.urls import path

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
]
