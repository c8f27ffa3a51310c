"""Contract: CSRF, session fixation and cookie flags."""


import pytest
from actions import (
    CSRF_REFUSED,
    PASSWORD,
    add_note,
    assert_redirect,
    is_anonymous,
    logged_in_as,
    login_values,
    new_account,
    note_ids,
    register_values,
    registered,
)
from support.browser import Browser


def tamper(hidden, how):
    """The hidden fields of a form, with every value forged, or none of them at all."""
    if how == "missing":
        return {}
    return {name: "forged-" + value[::-1] for name, value in hidden.items()}


@pytest.mark.parametrize("how", ["missing", "forged"])
def test_register_without_a_valid_token_is_refused(deployment, how):
    browser, account = Browser(deployment.url), new_account()
    page = browser.get("/auth/register")
    data = {**tamper(page.form("/auth/register").hidden(), how),
            **register_values(page, account)}
    assert browser.post("/auth/register", data).status in CSRF_REFUSED
    assert is_anonymous(browser)
    again = Browser(deployment.url)  # the refused account was not created: it can register now
    page = again.get("/auth/register")
    assert_redirect(again.submit(page, "/auth/register", register_values(page, account)), "/notes")


@pytest.mark.parametrize("how", ["missing", "forged"])
def test_login_without_a_valid_token_is_refused(deployment, how):
    _, account = registered(deployment.url)
    browser = Browser(deployment.url)
    page = browser.get("/auth/login")
    data = {**tamper(page.form("/auth/login").hidden(), how),
            **login_values(page, account.username, account.password)}
    assert browser.post("/auth/login", data).status in CSRF_REFUSED
    assert is_anonymous(browser)


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
        forged_delete = next(f.hidden() for f in attacker_page.forms if "delete" in f.action)
    else:
        forged_note = tamper(notes.form("/notes").hidden(), how)
        forged_logout = tamper(browser.get("/").form("/auth/logout").hidden(), how)
        forged_delete = tamper(next(f.hidden() for f in notes.forms if "delete" in f.action), how)
    title_field = notes.form("/notes").named("text")[0]
    assert browser.post("/notes", {**forged_note, title_field: "forged"}).status in CSRF_REFUSED
    assert browser.post(f"/notes/{note}/delete", forged_delete).status in CSRF_REFUSED
    assert browser.post("/auth/logout", forged_logout).status in CSRF_REFUSED
    assert logged_in_as(browser, account.username)
    page = browser.get("/notes")
    assert note_ids(page) == [note]
    assert "forged" not in page.text


def test_the_session_from_before_login_is_not_logged_in(deployment):
    _, account = registered(deployment.url)
    browser = Browser(deployment.url)
    page = browser.get("/auth/login")
    before = browser.cookies()
    assert_redirect(browser.submit(page, "/auth/login",
                                   login_values(page, account.username, PASSWORD)), "/notes")
    replay = Browser(deployment.url)
    replay.session.cookies.update(before)
    assert is_anonymous(replay)
    assert logged_in_as(browser, account.username)


def session_cookie_attributes(browser, set_cookie_headers):
    """Set-Cookie attributes of the cookies that carry the login (removing one logs out)."""
    names = [name for name in browser.cookies()
             if is_anonymous(_without_cookie(browser, name))]
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
        lambda response, *args, **kwargs: headers.extend(
            response.raw.headers.getlist("Set-Cookie")))
    return headers


def test_session_cookie_is_httponly_and_samesite_lax(deployment):
    browser, account = Browser(deployment.url), new_account()
    headers = recording(browser)
    page = browser.get("/auth/register")
    browser.submit(page, "/auth/register", register_values(page, account))
    for name, attributes in session_cookie_attributes(browser, headers).items():
        assert "httponly" in attributes, name
        assert "samesite=lax" in attributes, name
        assert "secure" not in attributes, f"{name}: SECURE_COOKIES=false is set in .env"


def test_secure_cookies_are_on_unless_turned_off(deployment):
    with deployment.web_process(SECURE_COOKIES="true") as web:
        browser, account = Browser(web.url), new_account()
        headers = recording(browser)
        page = browser.get("/auth/register")
        send_secure_cookies_over_http(browser)
        assert_redirect(browser.submit(page, "/auth/register", register_values(page, account)),
                        "/notes")
        send_secure_cookies_over_http(browser)
        attributes = session_cookie_attributes(browser, headers)
        for name, flags in attributes.items():
            assert "secure" in flags, f"{name}: {flags}"


def send_secure_cookies_over_http(browser):
    """Let the test client send back Secure cookies, which it got from plain-HTTP loopback."""
    for cookie in browser.session.cookies:
        cookie.secure = False
