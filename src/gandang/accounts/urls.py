from django.urls import path

from gandang.accounts import views

app_name = "accounts"
urlpatterns = [
    path("password/", views.PasswordChange.as_view(), name="password_change"),
]
