"""Contract: CSRF, session fixation and cookie flags."""

import pytest
from actions import (
    CSRF_REFUSED,
    PASSWORD,
    add_note,
    assert_anonymous,
    assert_logged_in,
    assert_redirect,
    delete_form_hidden,
    is_anonymous,
    login_values,
    new_account,
    note_ids,
    register_values,
    registered,
)
from support.browser import Browser

clause = pytest.mark.clause


def tamper(hidden, how):
    """The hidden fields of a form, with every value forged, or none of them at all."""
    if how == "missing":
        return {}
    return {name: "forged-" + value[::-1] for name, value in hidden.items()}


@clause("§3 Security", "CSRF: a register POST without a valid token is refused")
@pytest.mark.parametrize("how", ["missing", "forged"])
def test_register_without_a_valid_token_is_refused(deployment, how):
    browser, account = Browser(deployment.url), new_account()
    page = browser.get("/auth/register")
    data = {**tamper(page.form("/auth/register").hidden(), how), **register_values(page, account)}
    status = browser.post("/auth/register", data).status
    assert status in CSRF_REFUSED, f"a register POST with a {how} CSRF token answered {status}"
    assert_anonymous(browser, f"anonymous after a register POST with a {how} token")
    again = Browser(deployment.url)  # the refused account was not created: it can register now
    page = again.get("/auth/register")
    assert_redirect(again.submit(page, "/auth/register", register_values(page, account)), "/notes")


@clause("§3 Security", "CSRF: a login POST without a valid token is refused")
@pytest.mark.parametrize("how", ["missing", "forged"])
def test_login_without_a_valid_token_is_refused(deployment, how):
    _, account = registered(deployment.url)
    browser = Browser(deployment.url)
    page = browser.get("/auth/login")
    data = {
        **tamper(page.form("/auth/login").hidden(), how),
        **login_values(page, account.username, account.password),
    }
    status = browser.post("/auth/login", data).status
    assert status in CSRF_REFUSED, f"a login POST with a {how} CSRF token answered {status}"
    assert_anonymous(browser, f"anonymous after a login POST with a {how} token")


@clause("§3 Security", "CSRF: logged-in POSTs without a valid token change nothing")
@pytest.mark.parametrize("how", ["missing", "forged", "another session's"])
def test_logged_in_posts_without_a_valid_token_change_nothing(deployment, how):
    browser, account = registered(deployment.url)
    add_note(browser, "stays")
    notes = browser.get("/notes")
    [note] = note_ids(notes)
    if how == "another session's":
        attacker, _ = registered(deployment.url, "attacker")
        add_note(attacker, "attacker note")
        attacker_page = attacker.get("/notes")
        forged_note = attacker_page.form("/notes").hidden()
        forged_logout = attacker.get("/").form("/auth/logout").hidden()
        forged_delete = delete_form_hidden(attacker_page)
    else:
        forged_note = tamper(notes.form("/notes").hidden(), how)
        forged_logout = tamper(browser.get("/").form("/auth/logout").hidden(), how)
        forged_delete = tamper(delete_form_hidden(notes), how)
    title_field = notes.form("/notes").named("text")[0]
    for action, data in (
        ("/notes", {**forged_note, title_field: "forged"}),
        (f"/notes/{note}/delete", forged_delete),
        ("/auth/logout", forged_logout),
    ):
        status = browser.post(action, data).status
        assert status in CSRF_REFUSED, f"POST {action} with {how} CSRF token answered {status}"
    assert_logged_in(browser, account.username, f"logged in after a logout with {how} token")
    page = browser.get("/notes")
    assert note_ids(page) == [note], f"a delete with {how} CSRF token deleted the note"
    assert "forged" not in page.text, f"a note posted with {how} CSRF token was stored"


@clause("§3 Security", "no session fixation: pre-login cookies are not logged in")
def test_the_session_from_before_login_is_not_logged_in(deployment):
    _, account = registered(deployment.url)
    browser = Browser(deployment.url)
    page = browser.get("/auth/login")
    before = browser.cookies()
    assert_redirect(
        browser.submit(page, "/auth/login", login_values(page, account.username, PASSWORD)),
        "/notes",
    )
    replay = Browser(deployment.url)
    replay.session.cookies.update(before)
    assert_anonymous(
        replay,
        "anonymous with the cookies from before the login (session "
        "fixation: give the session a new id when logging in)",
    )
    assert_logged_in(browser, account.username, "logged in after signing in")


def session_cookie_attributes(browser, set_cookie_headers):
    """Set-Cookie attributes of the cookies that carry the login (removing one logs out)."""
    names = [name for name in browser.cookies() if is_anonymous(_without_cookie(browser, name))]
    assert names, "no cookie carries the login"
    attributes = {}
    for header in set_cookie_headers:
        name = header.split("=", 1)[0].strip()
        if name in names:
            attributes[name] = [part.strip().lower() for part in header.split(";")[1:]]
    return attributes


def _without_cookie(browser, name):
    other = Browser(browser.base_url)
    other.session.cookies.update({k: v for k, v in browser.cookies().items() if k != name})
    return other


def recording(browser):
    headers = []
    browser.session.hooks["response"].append(
        lambda response, *args, **kwargs: headers.extend(response.raw.headers.getlist("Set-Cookie"))
    )
    return headers


@clause("§3 Security", "the session cookie is HttpOnly and SameSite=Lax")
def test_session_cookie_is_httponly_and_samesite_lax(deployment):
    browser, account = Browser(deployment.url), new_account()
    headers = recording(browser)
    page = browser.get("/auth/register")
    browser.submit(page, "/auth/register", register_values(page, account))
    for name, attributes in session_cookie_attributes(browser, headers).items():
        assert "httponly" in attributes, f"the session cookie {name} is not HttpOnly"
        assert "samesite=lax" in attributes, (
            f"the session cookie {name} has no SameSite=Lax: {attributes}"
        )
        assert "secure" not in attributes, f"{name}: SECURE_COOKIES=false is set in .env"


@clause("§3 Security", "the session cookie is Secure unless SECURE_COOKIES=false")
@pytest.mark.parametrize("value", ["true", ""], ids=["true", "blank"])
def test_secure_cookies_are_on_unless_turned_off(deployment, value):
    # The project's .env says false (local HTTP); the real environment wins, a blank value too,
    # and a blank value means the default: Secure.
    with deployment.web_process(SECURE_COOKIES=value) as web:
        browser, account = Browser(web.url), new_account()
        headers = recording(browser)
        page = browser.get("/auth/register")
        send_secure_cookies_over_http(browser)
        assert_redirect(
            browser.submit(page, "/auth/register", register_values(page, account)), "/notes"
        )
        send_secure_cookies_over_http(browser)
        attributes = session_cookie_attributes(browser, headers)
        for name, flags in attributes.items():
            assert "secure" in flags, (
                f"SECURE_COOKIES={value}: the session cookie {name} is not Secure: {flags}"
            )


def send_secure_cookies_over_http(browser):
    """Let the test client send back Secure cookies, which it got from plain-HTTP loopback."""
    for cookie in browser.session.cookies:
        cookie.secure = False
