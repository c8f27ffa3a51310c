"""{{ cookiecutter.project_name }}: the plain-Python side of the web2py site.

The web2py application itself lives in ``applications/{{ cookiecutter.project_slug }}/``; this
package holds what is not web2py-specific and is imported by ``wsgi.py``, ``manage.py``, the
app's models and the tests: settings, the session-cookie signer and the security headers.
"""
