"""{{ cookiecutter.project_slug }}: the Pyramid application."""

from pyramid.config import Configurator

from .settings import app_settings, load_env_file


def main(global_config, **settings):
    """Build the WSGI app; ``pserve development.ini`` and ``gunicorn --paste production.ini``
    call it with the ``[app:main]`` settings of the ini file."""
    load_env_file(settings)
    settings = app_settings(settings)
    with Configurator(settings=settings) as config:
        config.include("pyramid_jinja2")
        config.add_jinja2_search_path(f"{__name__}:templates", name=".jinja2")
        config.include(".models")
        config.include(".security")
        config.include(".mail")
        config.include(".routes")
        config.scan()
    return config.make_wsgi_app()
