"""URL configuration: the contract's paths, without trailing slashes, and the admin.

https://docs.djangoproject.com/en/5.2/topics/http/urls/
"""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from config import views

urlpatterns = [
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
    path("health", views.health, name="health"),
    path("auth/", include("accounts.urls")),
    path("", include("notes.urls")),
    path("admin/", admin.site.urls),
]

handler500 = "config.views.server_error"
