"""The views, found by ``config.scan()``, and what every template gets."""

from pyramid.events import BeforeRender, subscriber


@subscriber(BeforeRender)
def add_template_globals(event):
    request = event["request"]
    event.setdefault("project_name", request.registry.settings["project_name"])
    event.setdefault(
        "static_path",
        lambda path: request.static_path(f"{{ cookiecutter.project_slug }}:static/{path}"),
    )
