"""Project-wide views: the health check and the server-error page (the home page is a
TemplateView in urls.py)."""

import logging
import sys

from django.db import DatabaseError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.defaults import server_error as django_server_error

logger = logging.getLogger(__name__)

# The methods of a page with a form (its views' http_method_names): Django's form views would
# take a PUT as a POST; here it is a 405.
FORM_METHODS = ["get", "post", "head", "options"]


@never_cache
@require_GET
def health(request):
    """200 when the database answers a real query, 503 when it cannot be reached."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database did not answer")
        return JsonResponse({"status": "error", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def server_error(request):
    """``handler500``: Django's 500 page, or a 503 page when the error is the database being
    out of reach (it is raised while Django handles it, so ``sys.exc_info`` names it). With
    DEBUG on, Django shows its traceback page instead of either."""
    if isinstance(sys.exc_info()[1], OperationalError):
        return HttpResponse(render_to_string("503.html"), status=503)
    return django_server_error(request)
