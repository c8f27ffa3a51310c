"""The views, found by ``config.scan()``, and what every template gets."""

from pyramid.events import BeforeRender, subscriber

# The asset spec of the static folder, for ``request.static_url(static ~ "style.css")``.
STATIC = "{{ cookiecutter.project_slug }}:static/"


@subscriber(BeforeRender)
def add_template_globals(event):
    event.setdefault("project_name", event["request"].registry.settings["project_name"])
    event.setdefault("static", STATIC)
