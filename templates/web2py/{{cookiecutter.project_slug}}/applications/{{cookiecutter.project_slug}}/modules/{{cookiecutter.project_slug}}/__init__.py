"""The application's own Python modules.

web2py imports what an application keeps in ``applications/<app>/modules/``: the models and
controllers say ``from {{ cookiecutter.project_slug }}.validators import IS_RULE``. ``pip install -e .`` installs this
package too, so ``wsgi.py``, ``manage.py`` and the tests import the very same modules.

``env.py``, ``rules.py``, ``hardening.py`` and ``redirects.py`` are shared by every webcutter
project (links to ``common/`` in the template set); the rest is this site's web2py wiring.
"""
