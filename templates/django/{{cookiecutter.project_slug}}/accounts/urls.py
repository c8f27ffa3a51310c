from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("register", views.RegisterView.as_view(), name="register"),
    path("login", views.LoginView.as_view(), name="login"),
    # POST only (Django 5): a GET answers 405 and logs nobody out.
    path("logout", auth_views.LogoutView.as_view(), name="logout"),
]
