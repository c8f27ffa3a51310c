"""Contract: register, log in, log out."""

from dataclasses import replace

import pytest
from actions import (
    FORM_STATUSES,
    assert_redirect,
    is_anonymous,
    location,
    location_netloc,
    logged_in_as,
    login,
    logout,
    new_account,
    register,
    registered,
)
from support.browser import Browser


def test_register_creates_the_user_logs_in_and_redirects_to_notes(deployment):
    browser, account = Browser(deployment.url), new_account()
    page = register(browser, account)
    assert_redirect(page, "/notes")
    assert browser.get("/notes").status == 200
    assert logged_in_as(browser, account.username)


INVALID_REGISTRATIONS = {  # case: (changes to the account, changes to the password fields)
    "empty username": ({"username": ""}, {}),
    "username over 150": ({"username": "u" * 151}, {}),
    "invalid email": ({"email": "not-an-email"}, {}),
    "empty email": ({"email": ""}, {}),
    "short password": ({}, {"password": "short7!"}),
    "confirmation differs": ({}, {"confirmation": "a different password"}),
}


def assert_nothing_was_created(deployment, account):
    """Registering the untouched account now succeeds: neither its name nor e-mail was taken."""
    assert_redirect(register(Browser(deployment.url), account), "/notes")


@pytest.mark.parametrize("case", INVALID_REGISTRATIONS)
def test_invalid_registration_rerenders_the_form_and_creates_nothing(deployment, case):
    account_changes, password_changes = INVALID_REGISTRATIONS[case]
    account = new_account()
    attempt = replace(account, **account_changes)
    browser = Browser(deployment.url)
    page = register(browser, attempt, **password_changes)
    assert page.status in FORM_STATUSES, f"{case}: got {page.status}"
    assert page.has_form("/auth/register"), f"{case}: the form is not shown again"
    assert is_anonymous(browser)
    assert_nothing_was_created(deployment, account)


@pytest.mark.parametrize("taken", ["username", "email"])
def test_a_taken_username_or_email_is_refused(deployment, taken):
    _, first = registered(deployment.url)
    second = new_account()
    browser = Browser(deployment.url)
    page = register(browser, replace(second, **{taken: getattr(first, taken)}))
    assert page.status in FORM_STATUSES
    assert page.has_form("/auth/register")
    assert is_anonymous(browser)
    assert_nothing_was_created(deployment, second)


def test_long_non_ascii_password_works_or_gets_a_message(deployment):
    password = "ü" * 40  # 80 bytes of UTF-8: past bcrypt's 72-byte limit
    browser, account = Browser(deployment.url), new_account(password=password)
    page = register(browser, account)
    assert page.status < 500
    if page.status in FORM_STATUSES:
        assert page.has_form("/auth/register")
        return
    assert_redirect(page, "/notes")
    assert_redirect(logout(browser), "/")
    assert login(browser, account.username, password[:-1]).status in FORM_STATUSES
    assert_redirect(login(browser, account.username, password), "/notes")


def test_login_establishes_a_session_and_redirects_to_notes(deployment):
    browser, account = registered(deployment.url)
    logout(browser)
    assert is_anonymous(browser)
    assert_redirect(login(browser, account.username, account.password), "/notes")
    assert logged_in_as(browser, account.username)


@pytest.mark.parametrize("wrong", ["password", "username"])
def test_failed_login_says_one_generic_thing_and_opens_no_session(deployment, wrong):
    _, account = registered(deployment.url)
    browser = Browser(deployment.url)
    username = account.username if wrong == "password" else account.username + "_nobody"
    page = login(browser, username, account.password + ("x" if wrong == "password" else ""))
    assert page.status in FORM_STATUSES
    assert "Invalid username or password" in page.text
    assert is_anonymous(browser)


def test_login_redirects_to_a_local_next(deployment):
    browser, account = registered(deployment.url)
    logout(browser)
    page = login(browser, account.username, account.password, next_url="/notes%3Fpage%3D2")
    assert_redirect(page, "/notes", {"page": ["2"]})


@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example", "/\\evil.example",
                                    "%2F%2Fevil.example", "/%5Cevil.example"])
def test_login_never_redirects_off_site(deployment, target):
    browser, account = registered(deployment.url)
    logout(browser)
    page = login(browser, account.username, account.password, next_url=target)
    assert page.status in {302, 303}
    assert location_netloc(page) == f"127.0.0.1:{deployment.web.port}"
    assert "evil.example" not in page.response.headers["Location"]


def test_logout_is_a_post_that_ends_the_session(deployment):
    browser, account = registered(deployment.url)
    page = logout(browser)
    assert_redirect(page, "/")
    assert is_anonymous(browser)
    assert not logged_in_as(browser, account.username)


def test_a_get_does_not_log_anyone_out(deployment):
    browser, account = registered(deployment.url)
    page = browser.get("/auth/logout", follow=True)
    assert page.status < 500
    assert logged_in_as(browser, account.username)


def test_anonymous_notes_redirects_to_login_with_next(deployment):
    page = Browser(deployment.url).get("/notes", follow=False)
    assert_redirect(page, "/auth/login", {"next": ["/notes"]})
    assert location(page)[0] == "/auth/login"
