"""Values every template can use."""

from django.conf import settings


def project(request):
    """The project's name, set once in settings (templates are not rendered by the generator)."""
    return {"project_name": settings.PROJECT_NAME}
