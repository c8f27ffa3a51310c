"""The Django project package of {{ cookiecutter.project_slug }}: settings, URLs and entry points."""
