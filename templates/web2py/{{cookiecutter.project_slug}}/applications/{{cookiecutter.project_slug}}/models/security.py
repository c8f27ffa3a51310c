"""CSRF form keys, the login redirect, password checks and the session clean-up.

Every POST must carry a ``_formname`` and a ``_formkey`` this session was given (web2py's
form keys: one-time tokens kept in the session, the last ten per form name). Anything else is
answered 403 before an action runs, so a forged post can change nothing.
"""

import hmac

from gluon.utils import web2py_uuid

INVALID_LOGIN = "Invalid username or password"
# Checked when the username is unknown, so that a wrong name costs as long as a wrong password.
DUMMY_HASH = f"{HASH_ALGORITHM}${'0' * 16}${'0' * 64}"
# Keys web2py keeps in every session; a new session holding nothing else is not stored.
SESSION_INTERNALS = {"_secure", "_same_site", "_last_timestamp", "_start_timestamp"}


def formkey_list(formname):
    return f"_formkey[{formname}]"


def new_formkey(formname):
    """A fresh one-time key for the forms called ``formname`` (as web2py's FORM makes them)."""
    key = web2py_uuid()
    name = formkey_list(formname)
    session[name] = list(session.get(name) or [])[-9:] + [key]
    return key


def has_valid_formkey():
    formname, formkey = request.post_vars._formname, request.post_vars._formkey
    if not isinstance(formname, str) or not isinstance(formkey, str) or not formkey:
        return False
    issued = session.get(formkey_list(formname)) or []
    return any(hmac.compare_digest(formkey, key) for key in issued if isinstance(key, str))


def spend_formkey(formname):
    """Use up the key a post to an action without a form object sent (logout, delete)."""
    formkey = request.post_vars._formkey
    if request.post_vars._formname != formname:
        http_error(403, "Forbidden", "The form was not sent from this site. Reload the page.")
    session[formkey_list(formname)].remove(formkey)


def post_form(formname, action, label, css_class="inline"):
    """A one-button POST form for ``action``, carrying a key for ``formname``."""
    return FORM(
        BUTTON(label, _type="submit"),
        hidden={"_formname": formname, "_formkey": new_formkey(formname)},
        _action=action,
        _method="post",
        _class=css_class,
    )


def logout_form():
    return post_form("logout", URL("default", "logout"), "Log out")


def require_post():
    if request.env.request_method != "POST":
        http_error(405, "Method not allowed", "This address does not accept that kind of request.")


def send_to_login():
    """Where ``@auth.requires_login`` sends anonymous visitors: the login form, then back."""
    here = request.env.web2py_original_uri or URL()
    redirect(URL("default", "login", vars={"next": here}), how=303)


def authenticate(username, password):
    """The user with this username and password, or None (it takes as long either way)."""
    user = db.auth_user(username=username) if username else None
    candidate, error = CRYPT(digest_alg=HASH_ALGORITHM, min_length=1)(password or "")
    stored = user.password if user and not user.registration_key else DUMMY_HASH
    if error is None and candidate == stored and user and not user.registration_key:
        return user
    return None


def hash_password(password):
    return str(CRYPT(digest_alg=HASH_ALGORITHM, min_length=1)(password)[0])


def run_action(action):
    """web2py's hook around each action: a new session left empty is never stored."""
    try:
        return action()
    finally:
        if response.session_new and set(session.keys()) <= SESSION_INTERNALS:
            session.forget(response)


response._caller = run_action

if request.env.request_method == "POST" and not has_valid_formkey():
    if response.session_new:
        session.forget(response)
    http_error(403, "Forbidden", "The form was not sent from this site, or it has expired.")
