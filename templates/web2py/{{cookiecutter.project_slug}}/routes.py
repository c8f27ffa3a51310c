"""web2py URL rewriting: the site's clean URLs in, and the same URLs out of ``URL()``.

web2py reads this file once, when gluon is imported. Every path not listed goes to the
app's 404 page (there is no admin or welcome app, and no /<app>/<controller>/<function> URL).
"""

APP = "{{ cookiecutter.project_slug }}"
ACTIONS = f"/{APP}/default"

default_application = APP
default_controller = "default"
default_function = "index"

routes_in = (
    ("/", f"{ACTIONS}/index"),
    ("/auth/register", f"{ACTIONS}/register"),
    ("/auth/login", f"{ACTIONS}/login"),
    ("/auth/logout", f"{ACTIONS}/logout"),
    ("/notes", f"{ACTIONS}/notes"),
    (r"/notes/(?P<id>\d+)/delete", f"{ACTIONS}/delete_note/$id"),
    ("/health", f"{ACTIONS}/health"),
    ("/static/$anything", f"/{APP}/static/$anything"),
    ("/$anything", f"{ACTIONS}/not_found"),
)

routes_out = (
    (f"{ACTIONS}/index", "/"),
    (f"{ACTIONS}/register", "/auth/register"),
    (f"{ACTIONS}/login", "/auth/login"),
    (f"{ACTIONS}/logout", "/auth/logout"),
    (f"{ACTIONS}/notes", "/notes"),
    (f"{ACTIONS}/delete_note/$id", "/notes/$id/delete"),
    (f"{ACTIONS}/health", "/health"),
    (f"/{APP}/static/$anything", "/static/$anything"),
)

# web2py's own pages for what it answers before the app runs, and for server errors: no
# traceback and no link to the admin app (the traceback goes to the log; see wsgi.py).
_PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>%s</title></head>'
    '<body><h1>%s</h1><p>%s</p><p><a href="/">Back to the home page</a></p></body></html>'
)
error_message = _PAGE % ("Error", "%s", "This address cannot be served.")
error_message_ticket = _PAGE % (
    "Server error",
    "Server error",
    "Something went wrong on our side. Please try again later. (Reference: %(ticket)s)",
)
