from django.urls import path

from burst_bare import views

urlpatterns = [path("insert/", views.insert)]
