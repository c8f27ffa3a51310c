"""web2py URL rewriting: the site's clean URLs in, and the same URLs out of ``URL()``.

web2py reads this file once, when gluon is imported. Every path not listed goes to the
app's 404 page (there is no admin or welcome app, and no /<app>/<controller>/<function> URL).
"""

APP = "{{ cookiecutter.project_slug }}"
ACTIONS = f"/{APP}/default"  # the public pages (controllers/default.py)
ACCOUNT = f"/{APP}/account"
NOTES = f"/{APP}/notes"
RESET_FORM = "/auth/password-reset/set-password"

default_application = APP
default_controller = "default"
default_function = "index"

routes_in = (
    ("/", f"{ACTIONS}/index"),
    ("/auth/register", f"{ACCOUNT}/register"),
    ("/auth/login", f"{ACCOUNT}/login"),
    ("/auth/logout", f"{ACCOUNT}/logout"),
    ("/auth/password", f"{ACCOUNT}/change_password"),
    ("/auth/password-reset", f"{ACCOUNT}/password_reset"),
    # Auth's reset form, first with the mailed key, then without it (Auth keeps it in the
    # session and redirects there, so the key never leaks in a Referer).
    (RESET_FORM, f"{ACCOUNT}/reset_password"),
    (r"/auth/password-reset/(?P<key>[^/]+)", f"{ACCOUNT}/reset_password?key=$key"),
    ("/notes", f"{NOTES}/index"),
    (r"/notes/(?P<id>\d+)/delete", f"{NOTES}/delete/$id"),
    ("/health", f"{ACTIONS}/health"),
    ("/static/$anything", f"/{APP}/static/$anything"),
    (f"{ACTIONS}/server_error", f"{ACTIONS}/server_error"),  # see routes_onerror
    ("/$anything", f"{ACTIONS}/not_found"),
)

# The addresses URL() makes most often first (it tries them in order).
routes_out = (
    (f"/{APP}/static/$anything", "/static/$anything"),
    (f"{ACTIONS}/index", "/"),
    (f"{ACCOUNT}/login", "/auth/login"),
    (f"{ACCOUNT}/register", "/auth/register"),
    (f"{NOTES}/index", "/notes"),
    (f"{NOTES}/delete/$id", "/notes/$id/delete"),
    (f"{ACCOUNT}/logout", "/auth/logout"),
    (f"{ACCOUNT}/change_password", "/auth/password"),
    (f"{ACCOUNT}/password_reset", "/auth/password-reset"),
    (f"{ACCOUNT}/reset_password", RESET_FORM),
    (f"{ACCOUNT}/reset_password/reset_password", RESET_FORM),  # where Auth sends the browser
    (f"{ACTIONS}/health", "/health"),
)

# A server error is answered by default/server_error (the traceback there with DEBUG=true;
# always in the log, see wsgi.py). Should that page fail too, and for what web2py answers
# before the app runs, its own pages below: no traceback, no link to the absent admin app.
routes_onerror = [(f"{APP}/500", f"{ACTIONS}/server_error")]
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
