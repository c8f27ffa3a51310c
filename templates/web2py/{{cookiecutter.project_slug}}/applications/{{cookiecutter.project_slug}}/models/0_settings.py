"""The app's settings, and the error page helper every later model and controller uses.

web2py runs the files in models/ before every request, in alphabetical order; what they
define (``settings``, ``db``, ``auth`` and the helpers) is global in controllers and views,
like web2py's own ``request``, ``response``, ``session``, ``URL`` and the rest.
Settings are read once per process from the environment and .env (see .env.example).
"""

from {{ cookiecutter.project_slug }}.settings import current_settings

APP_TITLE = {{ cookiecutter.project_name|tojson }}
settings = current_settings()
response.generic_patterns = []  # no automatic .json/.xml views of an action's variables
response.title = ""


def http_error(status, title, message):
    """Stop the request with ``status`` and the site's error page (from a model or an action)."""
    if response._view_environment is None:  # still in the models: web2py has not made it yet
        response._view_environment = dict(globals())
    response.title = title
    page = response.render("errors/page.html", {"title": title, "message": message})
    raise HTTP(status, page, **{"Content-Type": "text/html; charset=utf-8"})
