from django.urls import path

from gandang.bulletins import views

app_name = "bulletins"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
]
