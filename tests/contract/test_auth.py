"""Contract: register, log in, log out."""

from dataclasses import replace

import pytest
from actions import (
    FORM_STATUSES,
    assert_anonymous,
    assert_logged_in,
    assert_redirect,
    location_netloc,
    logged_in_as,
    login,
    logout,
    new_account,
    register,
    registered,
)
from support.browser import Browser

clause = pytest.mark.clause


@clause("§1 Routes", "POST /auth/register creates the user, logs in, redirects to /notes")
def test_register_creates_the_user_logs_in_and_redirects_to_notes(deployment):
    browser, account = Browser(deployment.url), new_account()
    page = register(browser, account)
    assert_redirect(page, "/notes")
    status = browser.get("/notes", follow=False).status
    assert status == 200, f"GET /notes right after registering answered {status}: not logged in"
    assert_logged_in(browser, account.username, "logged in after registering")


INVALID_REGISTRATIONS = {  # case: (changes to the account, changes to the password fields)
    "empty username": ({"username": ""}, {}),
    "username over 150": ({"username": "u" * 151}, {}),
    "username with a space": ({"username": "two words"}, {}),
    "username with a slash": ({"username": "a/b"}, {}),
    "username with markup": ({"username": "<b>x</b>"}, {}),
    "invalid email": ({"email": "not-an-email"}, {}),
    "empty email": ({"email": ""}, {}),
    "short password": ({}, {"password": "short7!"}),
    "confirmation differs": ({}, {"confirmation": "a different password"}),
}


def assert_nothing_was_created(deployment, account):
    """Registering the untouched account now succeeds: neither its name nor e-mail was taken."""
    assert_redirect(register(Browser(deployment.url), account), "/notes")


@clause("§1 Routes", "POST /auth/register with an invalid value: the form again, nothing made")
@pytest.mark.parametrize("case", INVALID_REGISTRATIONS)
def test_invalid_registration_rerenders_the_form_and_creates_nothing(deployment, case):
    account_changes, password_changes = INVALID_REGISTRATIONS[case]
    account = new_account()
    attempt = replace(account, **account_changes)
    browser = Browser(deployment.url)
    page = register(browser, attempt, **password_changes)
    assert page.status in FORM_STATUSES, (
        f"{case}: answered {page.status}, expected the form again (200/400/422)"
    )
    assert page.has_form("/auth/register"), f"{case}: the form is not shown again"
    assert_anonymous(browser, f"anonymous after a refused registration ({case})")
    assert_nothing_was_created(deployment, account)


@clause("§1 Routes", "a username of 150 letters, digits and @.+-_ registers")
def test_a_username_of_every_allowed_character_registers(deployment):
    tag = new_account().username.split("_")[1]
    username = (f"zoë.9+a-b_c@{tag}" + "x" * 150)[:150]
    browser = Browser(deployment.url)
    assert_redirect(register(browser, replace(new_account(), username=username)), "/notes")
    assert_logged_in(browser, username, "logged in with a 150-character username")


@clause("§1 Routes", "POST /auth/register refuses a taken username or e-mail")
@pytest.mark.parametrize("taken", ["username", "email"])
def test_a_taken_username_or_email_is_refused(deployment, taken):
    _, first = registered(deployment.url)
    second = new_account()
    browser = Browser(deployment.url)
    page = register(browser, replace(second, **{taken: getattr(first, taken)}))
    assert page.status in FORM_STATUSES, (
        f"a taken {taken} answered {page.status}, expected the form again (200/400/422)"
    )
    assert page.has_form("/auth/register"), f"a taken {taken}: the form is not shown again"
    assert_anonymous(browser, f"anonymous after registering a taken {taken}")
    assert_nothing_was_created(deployment, second)


@clause("§1 Routes", "a long non-ASCII password works or gets a form message, never a 5xx")
def test_long_non_ascii_password_works_or_gets_a_message(deployment):
    password = "ü" * 40  # 80 bytes of UTF-8: past bcrypt's 72-byte limit
    browser, account = Browser(deployment.url), new_account(password=password)
    page = register(browser, account)
    assert page.status < 500, f"registering with 40 × ü as the password answered {page.status}"
    if page.status in FORM_STATUSES:
        assert page.has_form("/auth/register"), "a refused long password: no form again"
        return
    assert_redirect(page, "/notes")
    assert_redirect(logout(browser), "/")
    status = login(browser, account.username, password[:-1]).status
    assert status in FORM_STATUSES, (
        f"signing in with 39 × ü (a prefix of the 80-byte password) answered {status}: the hash "
        "must cover the whole password"
    )
    assert_redirect(login(browser, account.username, password), "/notes")


@clause("§1 Routes", "POST /auth/login opens a session and redirects to /notes")
def test_login_establishes_a_session_and_redirects_to_notes(deployment):
    browser, account = registered(deployment.url)
    logout(browser)
    assert_anonymous(browser, "anonymous after logging out")
    assert_redirect(login(browser, account.username, account.password), "/notes")
    assert_logged_in(browser, account.username, "logged in after signing in")


@clause("§1 Routes", "a failed login says 'Invalid username or password', no session")
@pytest.mark.parametrize("wrong", ["password", "username"])
def test_failed_login_says_one_generic_thing_and_opens_no_session(deployment, wrong):
    _, account = registered(deployment.url)
    browser = Browser(deployment.url)
    username = account.username if wrong == "password" else account.username + "_nobody"
    page = login(browser, username, account.password + ("x" if wrong == "password" else ""))
    assert page.status in FORM_STATUSES, (
        f"a wrong {wrong} answered {page.status}, expected the form again (200/400/422)"
    )
    assert "Invalid username or password" in page.text, (
        f"a wrong {wrong}: the page does not say 'Invalid username or password': "
        f"{page.visible_text[:200]!r}"
    )
    assert_anonymous(browser, f"anonymous after a wrong {wrong}")


@clause("§1 Routes", "POST /auth/login redirects to a local next, query kept")
def test_login_redirects_to_a_local_next(deployment):
    browser, account = registered(deployment.url)
    logout(browser)
    page = login(browser, account.username, account.password, next_url="/notes%3Fpage%3D2")
    assert_redirect(page, "/notes", {"page": ["2"]})


@clause("§3 Security", "next never leads off-site")
@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "https://evil.example",
        "/\\evil.example",
        "%2F%2Fevil.example",
        "/%5Cevil.example",
    ],
)
def test_login_never_redirects_off_site(deployment, target):
    browser, account = registered(deployment.url)
    logout(browser)
    page = login(browser, account.username, account.password, next_url=target)
    assert page.status in {302, 303}, f"next={target}: signing in answered {page.status}"
    where = page.response.headers["Location"]
    assert location_netloc(page) == f"127.0.0.1:{deployment.web.port}", (
        f"next={target}: redirected off-site, to {where}"
    )
    assert "evil.example" not in where, f"next={target}: redirected to {where}"


@clause("§1 Routes", "POST /auth/logout ends the session, redirects to /")
def test_logout_is_a_post_that_ends_the_session(deployment):
    browser, account = registered(deployment.url)
    page = logout(browser)
    assert_redirect(page, "/")
    assert_anonymous(browser, "anonymous after POST /auth/logout")
    assert not logged_in_as(browser, account.username), "the home page still shows the user"


@clause("§1 Routes", "GET /auth/logout logs nobody out")
def test_a_get_does_not_log_anyone_out(deployment):
    browser, account = registered(deployment.url)
    page = browser.get("/auth/logout", follow=True)
    assert page.status < 500, f"GET /auth/logout answered {page.status}"
    assert_logged_in(browser, account.username, "logged in after a GET /auth/logout")


@clause("§1 Routes", "GET /notes (anonymous) redirects to /auth/login?next=/notes")
def test_anonymous_notes_redirects_to_login_with_next(deployment):
    page = Browser(deployment.url).get("/notes", follow=False)
    assert_redirect(page, "/auth/login", {"next": ["/notes"]})
