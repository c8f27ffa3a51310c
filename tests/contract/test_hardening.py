"""Contract §3, "Requests" and "Response headers": allowed hosts, the body limit, what is served
as files, the security headers and the Content-Security-Policy of every page."""

import http.client
import uuid
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from actions import add_note, note_ids, registered
from support.browser import Browser
from support.rawhttp import post_oversized

from webcutter.runtime import HOST

clause = pytest.mark.clause
REFERRER_POLICIES = {"same-origin", "no-referrer", "strict-origin"}


def raw_get(port, path, headers=None):
    """GET ``path`` exactly as written (no client-side normalisation of dots or escapes)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        for name, value in {"Host": f"{HOST}:{port}", **(headers or {})}.items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@clause("§3 Requests", "a request for a Host outside ALLOWED_HOSTS gets 400")
@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1.evil.example", "localhost.evil"])
def test_other_hosts_get_400(deployment, host):
    status, headers, _ = raw_get(deployment.web.port, "/", {"Host": host})
    assert status == 400, f"Host: {host} answered {status}, expected 400 (not in ALLOWED_HOSTS)"
    assert headers.get("X-Content-Type-Options") == "nosniff", (
        f"the 400 for Host: {host} has no X-Content-Type-Options: nosniff"
    )


@clause("§3 Requests", "the default ALLOWED_HOSTS: localhost, 127.0.0.1, [::1], with any port")
@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "[::1]"])
def test_the_default_hosts_are_served(deployment, host):
    status, _, _ = raw_get(deployment.web.port, "/", {"Host": f"{host}:{deployment.web.port}"})
    assert status == 200, f"Host: {host}:{deployment.web.port} answered {status}, expected 200"


@clause("§3 Requests", "ALLOWED_HOSTS names the hosts; * only when written")
def test_allowed_hosts_is_read_from_the_environment(deployment):
    def status(web, host):
        return raw_get(web.port, "/", {"Host": host})[0]

    setting = "ALLOWED_HOSTS=notes.example.com,.example.org"
    with deployment.web_process(ALLOWED_HOSTS="notes.example.com,.example.org") as web:
        for host, expected in (
            ("notes.example.com", 200),
            ("www.example.org", 200),
            ("example.org", 200),
            (f"127.0.0.1:{web.port}", 400),
        ):
            got = status(web, host)
            assert got == expected, f"{setting}: Host: {host} answered {got}, expected {expected}"
    with deployment.web_process(ALLOWED_HOSTS="*") as web:
        got = status(web, "anything.example")
        assert got == 200, f"ALLOWED_HOSTS=*: Host: anything.example answered {got}"


def oversized_form(browser, path, fields, size=1024 * 1024 + 4096):
    """The body of the form of ``path``, valid but for one field padded past 1 MiB."""
    from urllib.parse import urlencode

    form = browser.get(path).form(path)
    data = {**form.hidden(), **fields}
    first = list(fields)[0]
    data[first] += "x" * size
    return urlencode(data).encode()


def cookie_header(browser):
    return {
        "Cookie": "; ".join(f"{k}={v}" for k, v in browser.cookies().items()),
        "X-Forwarded-For": browser.address,
    }


@clause("§3 Requests", "a body over 1 MiB gets 413 and nothing happens")
def test_a_body_over_one_mebibyte_gets_413(deployment):
    browser, _ = registered(deployment.url)
    form = browser.get("/notes").form("/notes")
    title, body = form.named("text")[0], form.named("textarea")[0]
    payload = oversized_form(browser, "/notes", {body: "", title: "too big"})
    status, sent = post_oversized(deployment.web.port, "/notes", payload, cookie_header(browser))
    assert status == 413, f"a 1 MiB+ note answered {status}, expected 413"
    assert not sent, (
        "the 413 came only after the body was sent: refuse a request by its "
        "Content-Length, before the app reads the body"
    )
    assert note_ids(browser.get("/notes")) == [], "the note of a 1 MiB+ body was stored"
    status = add_note(browser, "a small note", "fits").status
    assert status in {302, 303}, f"after the 413 a small note answered {status}"
    anonymous = Browser(deployment.url)
    form = anonymous.get("/auth/login").form("/auth/login")
    payload = oversized_form(
        anonymous,
        "/auth/login",
        {form.named("text")[0]: "someone", form.named("password")[0]: "pw"},
    )
    status, _ = post_oversized(
        deployment.web.port, "/auth/login", payload, cookie_header(anonymous)
    )
    assert status == 413, f"a 1 MiB+ login POST answered {status}, expected 413"


def static_urls(deployment):
    """The paths of the stylesheets the home page links to: files of the static folder."""
    page = Browser(deployment.url).get("/")
    assert page.stylesheets, "the home page links no stylesheet"
    return [urlsplit(urljoin(page.url, href)).path for href in page.stylesheets]


@clause("§3 Requests", "only the static folder is served as files (/.env and ../ never)")
def test_only_the_static_folder_is_served_as_files(deployment):
    [stylesheet, *_] = static_urls(deployment)
    status, headers, _ = raw_get(deployment.web.port, stylesheet)
    content_type = headers.get("Content-Type", "")
    assert status == 200 and content_type.startswith("text/css"), (
        f"the stylesheet {stylesheet} answered {status} {content_type!r}"
    )
    folder = stylesheet.rsplit("/", 1)[0]
    secrets = [
        line.split("=", 1)[1]
        for line in (deployment.project / ".env").read_text().splitlines()
        if line.startswith("SECRET_KEY=")
    ]
    assert secrets and secrets[0], "the project's .env holds no SECRET_KEY"
    secret = secrets[0]
    probes = [
        "/.env",
        "/static/../.env",
        "/static/%2e%2e/.env",
        "/static/%2E%2E%2F.env",
        "/static/..%2f.env",
        "/static/..%5c.env",
        "/%2e%2e/.env",
        "/pyproject.toml",
        "/Procfile",
    ]
    ups = "/..".join([""] * (folder.count("/") + 1))
    probes += [
        f"{folder}{ups}/.env",
        f"{folder}/%2e%2e/%2e%2e/.env",
        f"{folder}/..%2f..%2f.env",
        f"{folder}/....//....//.env",
    ]
    for probe in probes:
        status, _, body = raw_get(deployment.web.port, probe)
        assert status < 500, f"{probe} answered {status}"
        text = body.decode("utf-8", "replace")
        assert secret not in text, f"{probe} served the project's .env"
        assert "[project]" not in text and "release:" not in text, f"{probe} served a file"


def responses_of_every_kind(deployment):
    """(what, response) pairs: pages, a redirect, errors, /health, a static file, a 429..."""
    browser, _ = registered(deployment.url)
    session = browser.session
    url = deployment.url
    kinds = [
        ("home page", session.get(f"{url}/", timeout=30)),
        ("login page", requests.get(f"{url}/auth/login", timeout=30)),
        ("register page", requests.get(f"{url}/auth/register", timeout=30)),
        ("notes page", session.get(f"{url}/notes", timeout=30)),
        ("reset page", requests.get(f"{url}/auth/password-reset", timeout=30)),
        ("change page", session.get(f"{url}/auth/password", timeout=30)),
        ("redirect", requests.get(f"{url}/notes", allow_redirects=False, timeout=30)),
        ("404 page", requests.get(f"{url}/missing-{uuid.uuid4().hex}", timeout=30)),
        ("405", requests.put(f"{url}/", timeout=30)),
        ("CSRF refusal", session.post(f"{url}/notes", data={"x": "1"}, timeout=30)),
        ("/health", requests.get(f"{url}/health", timeout=30)),
    ]
    stylesheet = static_urls(deployment)[0]
    kinds.append(("static file", requests.get(f"{url}{stylesheet}", timeout=30)))
    return kinds


@clause("§3 Security", "nosniff and frame denial on every kind of response")
@clause("§3 Headers", "nosniff, Referrer-Policy and frame denial on every kind of response")
def test_security_headers_on_every_kind_of_response(deployment):
    for what, response in responses_of_every_kind(deployment):
        headers = response.headers
        assert headers.get("X-Content-Type-Options") == "nosniff", (
            f"{what}: X-Content-Type-Options is {headers.get('X-Content-Type-Options')!r}"
        )
        assert headers.get("Referrer-Policy", "").lower() in REFERRER_POLICIES, (
            f"{what}: Referrer-Policy is {headers.get('Referrer-Policy')!r}"
        )
        frame_options = headers.get("X-Frame-Options", "").upper()
        csp = headers.get("Content-Security-Policy", "")
        assert frame_options == "DENY" or "frame-ancestors 'none'" in csp, (
            f"{what}: neither X-Frame-Options: DENY nor frame-ancestors 'none' (X-Frame-Options "
            f"{frame_options!r}, CSP {csp!r})"
        )
    status, headers, _ = raw_get(deployment.web.port, "/", {"Host": "evil.example"})
    assert status == 400 and headers.get("Referrer-Policy", "").lower() in REFERRER_POLICIES, (
        f"the 400 for a forged Host: status {status}, Referrer-Policy "
        f"{headers.get('Referrer-Policy')!r}"
    )


def csp_directives(header):
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = [word.lower() for word in words[1:]]
    return directives


@clause("§3 Headers", "every HTML page has a CSP (self, form-action, frame-ancestors, no inline)")
def test_every_page_has_a_content_security_policy_and_no_inline_script(deployment):
    from support.browser import Page

    for what, response in responses_of_every_kind(deployment):
        if not response.headers.get("Content-Type", "").startswith("text/html"):
            continue
        header = response.headers.get("Content-Security-Policy", "")
        assert header, f"{what}: no Content-Security-Policy"
        directives = csp_directives(header)
        for name in ("default-src", "form-action"):
            sources = directives.get(name, [])
            assert "'self'" in sources and "*" not in sources, f"{what}: {name} is {sources}"
        assert directives.get("frame-ancestors") == ["'none'"], (
            f"{what}: frame-ancestors is {directives.get('frame-ancestors')} in {header!r}"
        )
        scripts = directives.get("script-src", directives.get("default-src", []))
        assert "'unsafe-inline'" not in scripts, f"{what}: scripts may run inline"
        assert Page(response).inline_scripts == 0, f"{what}: the page holds an inline <script>"
