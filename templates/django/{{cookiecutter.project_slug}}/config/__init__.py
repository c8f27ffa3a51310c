"""The Django project package of {{ cookiecutter.project_name }}: settings, URLs and entry points."""
