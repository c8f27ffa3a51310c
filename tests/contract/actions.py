"""What a user does on any webcutter app, in the contract's terms (docs/contract.md)."""

import re
import uuid
from dataclasses import dataclass
from urllib.parse import parse_qs, urljoin, urlsplit

from support.browser import Browser

PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "a new and longer passphrase"
FORM_STATUSES = {200, 400, 422}
REDIRECTS = {302, 303}  # the contract's only redirects: a 307 would post the form again
CSRF_REFUSED = {400, 403}
INVALID_LINK_STATUSES = {200, 400, 404, 410}
TOO_MANY = "Too many failed sign-in attempts. Try again in a few minutes."
RESET_SENT = "If an account uses that address, we have sent it a link to set a new password."


@dataclass
class Account:
    username: str
    email: str
    password: str = PASSWORD


def new_account(prefix="user", password=PASSWORD):
    tag = uuid.uuid4().hex[:10]
    return Account(f"{prefix}_{tag}", f"{prefix}_{tag}@example.com", password)


def location(page):
    """(path, query dict) of a redirect's target, resolved against the request URL."""
    target = urlsplit(urljoin(page.url, page.response.headers["Location"]))
    return target.path, parse_qs(target.query)


def location_netloc(page):
    return urlsplit(urljoin(page.url, page.response.headers["Location"])).netloc


def assert_redirect(page, path, query=None):
    assert page.status in REDIRECTS, (
        f"expected a redirect (302 or 303) to {path}, got {page.status}"
        + (
            f" to {page.response.headers.get('Location')}"
            if "Location" in page.response.headers
            else ""
        )
    )
    got_path, got_query = location(page)
    where = page.response.headers["Location"]
    assert location_netloc(page) == urlsplit(page.url).netloc, (
        f"redirected to {where}: a Location must stay on the requested host"
    )
    assert got_path == path, f"redirected to {where}, not {path}"
    if query is not None:
        assert got_query == query, (
            f"redirected to {page.response.headers['Location']}: expected the query {query}"
        )


def register_values(page, account, password=None, confirmation=None):
    """Fill the register form by field kind: one text, one e-mail, two password inputs."""
    form = page.form("/auth/register")
    text, email, passwords = form.named("text"), form.named("email"), form.named("password")
    assert (len(text), len(email), len(passwords)) == (1, 1, 2), (
        f"the register form needs one text, one email and two password inputs: {form.fields}"
    )
    password = account.password if password is None else password
    return {
        text[0]: account.username,
        email[0]: account.email,
        passwords[0]: password,
        passwords[1]: password if confirmation is None else confirmation,
    }


def register(browser, account, **overrides):
    page = browser.get("/auth/register")
    return browser.submit(page, "/auth/register", register_values(page, account, **overrides))


def login_values(page, username, password):
    form = page.form("/auth/login")
    text, passwords = form.named("text"), form.named("password")
    assert (len(text), len(passwords)) == (1, 1), f"the login form: {form.fields}"
    return {text[0]: username, passwords[0]: password}


def login(browser, username, password, next_url=None):
    page = browser.get("/auth/login" + (f"?next={next_url}" if next_url else ""))
    return browser.submit(page, "/auth/login", login_values(page, username, password))


def logout(browser):
    page = browser.get("/")
    return browser.submit(page, "/auth/logout", {})


def note_values(page, title, body):
    form = page.form("/notes")
    text, areas = form.named("text"), form.named("textarea")
    assert (len(text), len(areas)) == (1, 1), f"the note form: {form.fields}"
    return {text[0]: title, areas[0]: body}


def add_note(browser, title, body=""):
    page = browser.get("/notes")
    return browser.submit(page, "/notes", note_values(page, title, body))


def note_ids(page):
    """Ids of the notes on the notes page, from their delete forms, in page order."""
    ids = []
    for form in page.forms:
        parts = urlsplit(urljoin(page.url, form.action)).path.strip("/").split("/")
        if len(parts) == 3 and parts[0] == "notes" and parts[2] == "delete":
            ids.append(int(parts[1]))
    return ids


def delete_form_hidden(page):
    """Hidden fields of the first delete form on the page (the user's own CSRF token)."""
    for form in page.forms:
        if form.action.rstrip("/").endswith("/delete"):
            return form.hidden()
    raise AssertionError("no delete form on the notes page")


def assert_logged_in(browser, username, why="still logged in"):
    assert logged_in_as(browser, username), (
        f"{username} is not {why}: GET / shows no username and logout form"
    )


def assert_anonymous(browser, why="anonymous"):
    assert is_anonymous(browser), (
        f"expected {why}, but GET /notes does not redirect to /auth/login (logged in?)"
    )


def logged_in_as(browser, username):
    page = browser.get("/")
    return username in page.text and page.has_form("/auth/logout")


def is_anonymous(browser):
    page = browser.get("/notes", follow=False)
    return page.status in REDIRECTS and location(page)[0] == "/auth/login"


def registered(base_url, prefix="user", password=PASSWORD):
    """A new account, registered and logged in, with its browser."""
    browser, account = Browser(base_url), new_account(prefix, password)
    page = register(browser, account)
    assert_redirect(page, "/notes")
    return browser, account


def logged_in_browser(base_url, account):
    """Another visitor (another device), logged in as ``account``."""
    browser = Browser(base_url)
    assert_redirect(login(browser, account.username, account.password), "/notes")
    return browser


def can_log_in(base_url, username, password):
    """Whether a fresh visitor can log in with these credentials (and is then logged out)."""
    browser = Browser(base_url)
    page = login(browser, username, password)
    if page.status in REDIRECTS:
        logout(browser)
        return True
    assert page.status in FORM_STATUSES, f"a login answered {page.status}"
    return False


def login_refused_as_throttled(page):
    """The contract's 429: the login form again, with the throttling message."""
    assert page.status == 429, f"expected 429 (throttled), got {page.status}"
    assert page.has_form("/auth/login"), "the 429 page must show the login form again"
    assert TOO_MANY in page.visible_text, f"no throttling message in {page.visible_text[:300]!r}"


def request_reset(browser, email):
    """Ask for a password-reset mail for ``email`` through the form; returns the answer."""
    page = browser.get("/auth/password-reset")
    assert page.status == 200, f"GET /auth/password-reset answered {page.status}"
    form = page.form("/auth/password-reset")
    emails = form.named("email")
    visible = [f for f in form.fields if f.type not in {"hidden"}]
    assert len(emails) == 1 and len(visible) == 1, (
        f"the reset form needs exactly one email input and nothing else visible: {form.fields}"
    )
    return browser.submit(page, "/auth/password-reset", {emails[0]: email})


def reset_answer(browser, page):
    """What the visitor is shown after asking for a reset: (status or redirect path, text)."""
    if page.status in REDIRECTS:
        target, _ = location(page)
        return ("redirect", target), browser.get(target).visible_text
    return page.status, page.visible_text


def reset_link(mails, base_url):
    """The one link of the newest reset mail, checked for the contract's shape."""
    mail = mails[-1]
    links = mail.links()
    assert len(links) == 1, f"the reset mail must hold exactly one link, it holds {links}"
    link = links[0]
    prefix = f"{base_url}/auth/password-reset/"
    assert link.startswith(prefix), f"the link {link} does not start with {prefix}"
    token = link[len(prefix) :]
    assert token and "/" not in token and "?" not in token, f"the token is not one segment: {link}"
    return link


def open_reset_link(browser, link):
    """GET the link (following a redirect to a token-free page); returns the page."""
    return browser.get(link.replace(browser.base_url, "", 1), follow=True)


def new_password_form(page):
    forms = page.forms_with("password", 2)
    assert len(forms) == 1, f"expected one form with two password inputs on {page.url}"
    return forms[0]


def submit_new_password(browser, page, password, confirmation=None):
    form = new_password_form(page)
    first, second = form.named("password")
    data = {
        **form.hidden(),
        first: password,
        second: password if confirmation is None else confirmation,
    }
    target = urljoin(page.url, form.action) if form.action else page.url
    return browser.post(target.replace(browser.base_url, "", 1), data)


def assert_invalid_link_page(page):
    assert page.status in INVALID_LINK_STATUSES, f"an invalid link answered {page.status}"
    assert page.password_inputs() == 0, "an invalid link must not show a password form"
    text = page.visible_text.lower()
    assert "invalid" in text or "expired" in text, f"no 'invalid'/'expired' in {text[:300]!r}"
    assert "/auth/password-reset" in page.link_paths(), "no link to ask for a new one"


def change_password(browser, current, new, confirmation=None):
    page = browser.get("/auth/password")
    form = page.form("/auth/password")
    passwords = form.named("password")
    assert len(passwords) == 3, f"the change form needs three password inputs: {form.fields}"
    values = dict(
        zip(passwords, [current, new, new if confirmation is None else confirmation], strict=True)
    )
    return browser.submit(page, "/auth/password", values)


ACCEPTED_HASHES = {  # scheme -> (pattern, index of the iteration count group or None)
    "argon2id (argon2-cffi)": (r"^\$argon2id\$v=\d+\$m=\d+,t=\d+,p=\d+\$", None),
    "argon2id (Django)": (r"^argon2\$argon2id\$v=\d+\$m=\d+,t=\d+,p=\d+\$", None),
    "scrypt (Werkzeug)": (r"^scrypt:\d+:\d+:\d+\$", None),
    "scrypt (Django)": (r"^scrypt\$\d+\$", None),
    "bcrypt-SHA256 (Django)": (r"^bcrypt_sha256\$\$2[aby]\$\d+\$", None),
    "bcrypt-SHA256 (passlib)": (r"^\$bcrypt-sha256\$", None),
    "PBKDF2-SHA256 (Django)": (r"^pbkdf2_sha256\$(\d+)\$", 1),
    "PBKDF2-SHA256 (Werkzeug)": (r"^pbkdf2:sha256:(\d+)\$", 1),
    "PBKDF2-SHA256 (web2py)": (r"^pbkdf2\((\d+),\d+,sha256\)\$", 1),
}


def hash_scheme(value):
    """The accepted scheme ``value`` is a hash of, or None."""
    for name, (pattern, group) in ACCEPTED_HASHES.items():
        match = re.match(pattern, value)
        if match and (group is None or int(match.group(group)) >= 600_000):
            return name
    return None
