"""What a user does on any webcutter app, in the contract's terms (docs/contract.md)."""

import uuid
from dataclasses import dataclass
from urllib.parse import parse_qs, urljoin, urlsplit

from support.browser import Browser

PASSWORD = "correct horse battery staple"
FORM_STATUSES = {200, 400, 422}
REDIRECTS = {301, 302, 303, 307, 308}
CSRF_REFUSED = {400, 403}


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
    assert page.status in REDIRECTS, f"expected a redirect to {path}, got {page.status}"
    got_path, got_query = location(page)
    assert got_path == path, f"redirected to {page.response.headers['Location']}, not {path}"
    if query is not None:
        assert got_query == query


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
