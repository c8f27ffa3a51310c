"""Contract §3, "Requests": text the database can't store is refused cleanly, ids are bounded,
and hostile requests never get a 5xx."""

import http.client
import json
from dataclasses import replace

import pytest
from actions import (
    FORM_STATUSES,
    NEW_PASSWORD,
    PASSWORD,
    add_note,
    assert_anonymous,
    assert_redirect,
    can_log_in,
    delete_form_hidden,
    new_account,
    note_ids,
    register,
    register_values,
    registered,
)
from support.browser import Browser

from webcutter.runtime import HOST

clause = pytest.mark.clause
REFUSED = FORM_STATUSES | {400}
UNSTORABLE = {"NUL": "a\x00b", "lone surrogate": "a\ud800b"}


def encoded(values):
    """A form body for ``values`` as any client may send it: UTF-8, lone surrogates included."""
    from urllib.parse import quote_from_bytes

    return "&".join(
        f"{quote_from_bytes(str(key).encode('utf-8', 'surrogatepass'))}="
        f"{quote_from_bytes(str(value).encode('utf-8', 'surrogatepass'))}"
        for key, value in values
    ).encode("ascii")


def post_raw(browser, path, body, content_type="application/x-www-form-urlencoded"):
    return browser.session.post(
        browser.url(path),
        data=body,
        allow_redirects=False,
        timeout=60,
        headers={"Content-Type": content_type},
    )


def form_fields(page, action):
    return list(page.form(action).hidden().items())


@clause("§3 Requests", "unstorable text in a registration is refused; nothing is created")
@pytest.mark.parametrize("kind", UNSTORABLE)
@pytest.mark.parametrize("field", ["username", "email", "password"])
def test_unstorable_text_in_a_registration_is_refused(deployment, kind, field):
    account = new_account()
    bad = UNSTORABLE[kind]
    attempt = (
        replace(account, **{field: getattr(account, field) + bad})
        if field != "password"
        else replace(account, password=PASSWORD + bad)
    )
    browser = Browser(deployment.url)
    page = browser.get("/auth/register")
    values = register_values(page, attempt)
    response = post_raw(
        browser, "/auth/register", encoded([*form_fields(page, "/auth/register"), *values.items()])
    )
    assert response.status_code in REFUSED, (
        f"a {kind} in the {field} of a registration answered {response.status_code}, expected "
        "the form again or a 400"
    )
    assert_anonymous(browser, f"anonymous after a registration with a {kind} in the {field}")
    assert_redirect(register(Browser(deployment.url), account), "/notes")  # nothing was taken


@clause("§3 Requests", "unstorable text in a login is refused, never a 5xx")
@pytest.mark.parametrize("kind", UNSTORABLE)
@pytest.mark.parametrize("field", ["username", "password"])
def test_unstorable_text_in_a_login_is_refused(deployment, kind, field):
    _, account = registered(deployment.url)
    browser = Browser(deployment.url)
    page = browser.get("/auth/login")
    form = page.form("/auth/login")
    username, password = account.username, account.password
    if field == "username":
        username += UNSTORABLE[kind]
    else:
        password += UNSTORABLE[kind]
    values = [
        *form.hidden().items(),
        (form.named("text")[0], username),
        (form.named("password")[0], password),
    ]
    response = post_raw(browser, "/auth/login", encoded(values))
    assert response.status_code in REFUSED, (
        f"a {kind} in the {field} of a login answered {response.status_code}"
    )
    assert_anonymous(browser, f"anonymous after a login with a {kind} in the {field}")


@clause("§3 Requests", "unstorable text in a note is refused; nothing is stored")
@pytest.mark.parametrize("kind", UNSTORABLE)
@pytest.mark.parametrize("field", ["title", "body"])
def test_unstorable_text_in_a_note_is_refused(deployment, kind, field):
    browser, _ = registered(deployment.url)
    page = browser.get("/notes")
    form = page.form("/notes")
    title, body = "a title", "a body"
    if field == "title":
        title += UNSTORABLE[kind]
    else:
        body += UNSTORABLE[kind]
    values = [
        *form.hidden().items(),
        (form.named("text")[0], title),
        (form.named("textarea")[0], body),
    ]
    response = post_raw(browser, "/notes", encoded(values))
    assert response.status_code in REFUSED, (
        f"a {kind} in a note's {field} answered {response.status_code}"
    )
    assert note_ids(browser.get("/notes")) == [], f"a note with a {kind} in its {field} was stored"


@clause("§3 Requests", "unstorable text in the reset and change forms is refused")
@pytest.mark.parametrize("kind", UNSTORABLE)
def test_unstorable_text_in_the_account_forms_is_refused(deployment, kind):
    browser, account = registered(deployment.url)
    page = browser.get("/auth/password-reset")
    form = page.form("/auth/password-reset")
    values = [*form.hidden().items(), (form.named("email")[0], account.email + UNSTORABLE[kind])]
    status = post_raw(browser, "/auth/password-reset", encoded(values)).status_code
    assert status < 500, f"a {kind} in the reset form's address answered {status}"
    page = browser.get("/auth/password")
    form = page.form("/auth/password")
    current, new, again = form.named("password")
    bad = NEW_PASSWORD + UNSTORABLE[kind]
    values = [*form.hidden().items(), (current, account.password), (new, bad), (again, bad)]
    response = post_raw(browser, "/auth/password", encoded(values))
    assert response.status_code in REFUSED, (
        f"a {kind} in a new password answered {response.status_code}"
    )
    assert can_log_in(deployment.url, account.username, account.password), (
        f"a new password with a {kind} replaced the old one"
    )


@clause("§1 Routes", "a delete of an id that is no positive integer within range is a 404")
@pytest.mark.parametrize(
    "note_id",
    [
        "0",
        "-1",
        "abc",
        "1.5",
        "2147483648",
        "9223372036854775808",
        "99999999999999999999999",
        "%00",
        "%EF%BC%91",
    ],
)
def test_out_of_range_ids_are_404(deployment, note_id):
    browser, _ = registered(deployment.url)
    add_note(browser, "stays")
    page = browser.get("/notes")
    response = browser.post(f"/notes/{note_id}/delete", delete_form_hidden(page))
    assert response.status == 404, f"/notes/{note_id}/delete answered {response.status}"
    assert len(note_ids(browser.get("/notes"))) == 1, f"/notes/{note_id}/delete deleted a note"


@clause("§3 Requests", "invalid UTF-8 in a form body: a 400 or U+FFFD, never a 5xx")
def test_invalid_utf8_in_a_form_body(deployment):
    browser, _ = registered(deployment.url)
    page = browser.get("/notes")
    form = page.form("/notes")
    hidden = "&".join(f"{key}={value}" for key, value in form.hidden().items())
    title, body = form.named("text")[0], form.named("textarea")[0]
    for raw in (b"%FF%FE%FD", b"\xff\xfe", b"%C3%28", b"%ED%A0%80"):
        payload = f"{hidden}&{title}=".encode() + raw + f"&{body}=x".encode()
        response = post_raw(browser, "/notes", payload)
        assert response.status_code < 500, f"{raw!r}: {response.status_code}"
    status = browser.get("/notes").status  # what was stored (as U+FFFD) shows as text
    assert status == 200, f"GET /notes after notes with invalid UTF-8 answered {status}"


@clause("§3 Requests", "a field sent twice or a JSON body to a form: never a 5xx")
def test_duplicate_fields_and_json_bodies(deployment):
    browser, _ = registered(deployment.url)
    page = browser.get("/notes")
    form = page.form("/notes")
    title, body = form.named("text")[0], form.named("textarea")[0]
    values = [*form.hidden().items(), (title, "one"), (title, "two"), (body, "b"), (body, "c")]
    status = post_raw(browser, "/notes", encoded(values)).status_code
    assert status < 500, f"a note form with every field sent twice answered {status}"
    as_json = json.dumps({**form.hidden(), title: "json", body: "x"})
    status = post_raw(browser, "/notes", as_json.encode(), "application/json").status_code
    assert status < 500, f"a JSON body posted to /notes answered {status}"
    status = post_raw(
        Browser(deployment.url), "/auth/login", b'{"username": "x"}', "application/json"
    ).status_code
    assert status < 500, f"a JSON body posted to /auth/login answered {status}"


@clause("§3 Requests", "a path or query string of several KB: never a 5xx")
def test_long_paths_and_queries(deployment):
    browser = Browser(deployment.url)
    paths = ("/" + "a" * 6000, "/notes?q=" + "b" * 6000, "/auth/login?next=/" + "c" * 3000)
    for path in paths:
        status = browser.get(path, follow=False).status
        assert status < 500, f"GET {path[:40]}... ({len(path)} characters) answered {status}"


@clause("§3 Requests", "a garbage session cookie is anonymous, never a 5xx")
def test_garbage_session_cookies_are_anonymous(deployment):
    browser, _ = registered(deployment.url)
    names = list(browser.cookies())
    for garbage in ("garbage", "x" * 1500, '"quoted"', "a.b.c", "%00%ff", "", "%E9%80\\\\"):
        visitor = Browser(deployment.url)
        visitor.session.cookies.update({name: garbage for name in names})
        page = visitor.get("/notes", follow=False)
        assert page.status in {302, 303}, (
            f"GET /notes with the session cookie {garbage[:20]!r} answered {page.status}, "
            "expected the redirect to log in (anonymous)"
        )
        status = visitor.get("/", follow=False).status
        assert status == 200, f"GET / with the session cookie {garbage[:20]!r} answered {status}"
    visitor = Browser(deployment.url)  # too large a cookie: refused by the server, not a 5xx
    visitor.session.cookies.update({name: "x" * 9000 for name in names})
    status = visitor.get("/notes", follow=False).status
    assert status < 500, f"a 9000-byte session cookie answered {status}"


def raw_request(port, method, path):
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request(method, path, body=b"" if method in {"PUT", "PATCH"} else None)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@clause("§1 Routes", "HEAD / is 200 without a body; PUT on a page is 405")
def test_head_and_put(deployment):
    status, body = raw_request(deployment.web.port, "HEAD", "/")
    assert status == 200 and body == b"", f"HEAD / answered {status} with {len(body)} bytes"
    for path in ("/", "/auth/login", "/notes"):
        status, _ = raw_request(deployment.web.port, "PUT", path)
        assert status == 405, f"PUT {path} answered {status}"
