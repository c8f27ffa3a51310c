"""The project's URLs plus a view that fails, for the server-error page test."""

from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def boom(request):
    raise RuntimeError("secret internals")


urlpatterns = [*project_urlpatterns, path("boom", boom)]
