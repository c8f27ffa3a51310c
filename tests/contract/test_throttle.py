"""Contract §3, "Sign-in throttling": failed sign-ins counted in the database, per username and
per client address, the client address taken from X-Forwarded-For only behind a trusted proxy."""

import time
import uuid
from urllib.parse import urljoin, urlsplit

import pytest
from actions import (
    FORM_STATUSES,
    TOO_MANY,
    assert_redirect,
    login,
    login_refused_as_throttled,
    registered,
)
from support.browser import Browser, random_address
from support.database import Database

clause = pytest.mark.clause


def fail(base_url, username, address=None, forwarded_for=None, headers=None):
    """One failed sign-in as ``username`` (a wrong password) from ``address``."""
    browser = Browser(base_url, address or random_address())
    if forwarded_for:
        browser.session.headers["X-Forwarded-For"] = forwarded_for
    browser.session.headers.update(headers or {})
    page = login(browser, username, "not the password at all")
    assert page.status in FORM_STATUSES, f"a failed sign-in answered {page.status}"
    assert TOO_MANY not in page.visible_text, "throttled too early"
    return page


def sign_in(base_url, account, address=None, forwarded_for=None, headers=None):
    browser = Browser(base_url, address or random_address())
    if forwarded_for:
        browser.session.headers["X-Forwarded-For"] = forwarded_for
    browser.session.headers.update(headers or {})
    return login(browser, account.username, account.password)


@clause("§3 Throttling", "5 failures for a username: 429 even with the right password")
def test_a_username_is_throttled_after_five_failures(deployment):
    _, account = registered(deployment.url)
    for _ in range(5):
        fail(deployment.url, account.username.upper())  # counted case-insensitively
    login_refused_as_throttled(sign_in(deployment.url, account))  # from yet another address


OTHER_SIGN_IN_PAGES = ("/admin/login/", "/admin/login", "/admin/")  # a framework's own admin


def other_sign_in_form(base_url):
    """(page, form) of a sign-in form other than /auth/login (one text and one password
    input) at the usual places of a framework's admin, or None."""
    for path in OTHER_SIGN_IN_PAGES:
        page = Browser(base_url).get(path)
        for form in page.forms:
            if (
                len(form.named("password")) == 1
                and len(form.named("text")) == 1
                and (form.action.rstrip("/") not in {"/auth/login", f"{base_url}/auth/login"})
            ):
                return page, form
    return None


@clause("§3 Throttling", "every sign-in form is refused the same way (an admin's login too)")
def test_every_sign_in_form_is_throttled(deployment):
    found = other_sign_in_form(deployment.url)
    if found is None:
        return  # the project has no other sign-in form where an admin keeps one
    _, account = registered(deployment.url)
    for _ in range(5):
        fail(deployment.url, account.username)
    browser = Browser(deployment.url)
    page, form = found
    page = browser.get(page.url.replace(deployment.url, "", 1))
    form = next(f for f in page.forms if f.action == form.action)
    values = {
        **form.hidden(),
        form.named("text")[0]: account.username,
        form.named("password")[0]: account.password,
    }
    target = urljoin(page.url, form.action) if form.action else page.url
    answer = browser.post(target.replace(deployment.url, "", 1), values)
    assert answer.status == 429, (
        f"{urlsplit(target).path}: a throttled username answered {answer.status}, expected "
        "429 as on /auth/login"
    )


@clause("§3 Throttling", "the username count is shared by every web process")
def test_the_username_count_is_shared_by_every_process(deployment):
    _, account = registered(deployment.url)
    for _ in range(5):
        fail(deployment.url, account.username)
    with deployment.web_process() as other:
        login_refused_as_throttled(sign_in(other.url, account))


@clause("§3 Throttling", "a successful sign-in clears the username's count")
def test_a_success_clears_the_username_count(deployment):
    _, account = registered(deployment.url)
    for _ in range(4):
        fail(deployment.url, account.username)
    assert_redirect(sign_in(deployment.url, account), "/notes")
    for _ in range(4):
        fail(deployment.url, account.username)
    assert_redirect(sign_in(deployment.url, account), "/notes")


@clause("§3 Throttling", "20 failures from one address: 429 for every sign-in from it")
def test_an_address_is_throttled_after_twenty_failures(deployment):
    _, account = registered(deployment.url)
    address = random_address()
    for _ in range(20):
        fail(deployment.url, f"nobody_{uuid.uuid4().hex[:10]}", address)
    login_refused_as_throttled(sign_in(deployment.url, account, address))
    assert_redirect(sign_in(deployment.url, account), "/notes")  # another address is fine


@clause("§3 Throttling", "behind a trusted proxy: the right-most untrusted X-Forwarded-For entry")
def test_the_address_is_the_right_most_untrusted_forwarded_entry(deployment):
    _, account = registered(deployment.url)
    address = random_address()
    for _ in range(20):  # the left part is the client's own claim: it changes every time
        fail(
            deployment.url,
            f"nobody_{uuid.uuid4().hex[:10]}",
            forwarded_for=f"{random_address()}, {address}",
        )
    login_refused_as_throttled(
        sign_in(deployment.url, account, forwarded_for=f"{random_address()}, {address}")
    )
    login_refused_as_throttled(
        sign_in(deployment.url, account, forwarded_for=f"{address}, 127.0.0.1")
    )


@clause("§3 Throttling", "without TRUSTED_PROXIES, X-Forwarded-For is never believed")
def test_forwarded_for_is_ignored_without_trusted_proxies(deployment):
    _, account = registered(deployment.url)
    with deployment.web_process(TRUSTED_PROXIES="", LOGIN_FAILURES_PER_ADDRESS=3) as web:
        for _ in range(3):  # every attempt claims other addresses; the peer is 127.0.0.1
            fail(web.url, f"nobody_{uuid.uuid4().hex[:10]}", headers=claimed_addresses())
        login_refused_as_throttled(sign_in(web.url, account, headers=claimed_addresses()))


def claimed_addresses():
    """Headers in which a client may claim an address: none is ever believed."""
    return {
        "X-Real-IP": random_address(),
        "Forwarded": f"for={random_address()}",
        "True-Client-IP": random_address(),
        "CF-Connecting-IP": random_address(),
    }


@clause("§3 Throttling", "no header but X-Forwarded-For (behind a trusted proxy) is believed")
def test_no_other_header_names_the_client(deployment):
    _, account = registered(deployment.url)
    address = random_address()  # every attempt's X-Forwarded-For, as the trusted proxy sends it
    with deployment.web_process(LOGIN_FAILURES_PER_ADDRESS=3) as web:
        for _ in range(3):
            fail(web.url, f"nobody_{uuid.uuid4().hex[:10]}", address, headers=claimed_addresses())
        login_refused_as_throttled(sign_in(web.url, account, address, headers=claimed_addresses()))


@clause("§3 Throttling", "the window slides; refused attempts are not counted; old rows go")
def test_the_window_slides_and_refused_attempts_are_not_counted(deployment):
    _, account = registered(deployment.url)
    window = 8  # seconds; a failed sign-in may take one or two of them on a busy machine
    with deployment.web_process(LOGIN_FAILURE_WINDOW=window, LOGIN_FAILURES_PER_USER=2) as web:
        marker = f"Gone_{uuid.uuid4().hex[:10]}"  # an unknown username, stored folded: gone_...
        address = random_address()
        fail(web.url, marker, address)
        assert Database(deployment).rows_containing(marker.lower()), (
            "failed sign-ins are not stored (with the case-folded username)"
        )
        assert Database(deployment).rows_containing(address), (
            f"no stored failure holds the client address {address}"
        )
        first_failure = time.monotonic()  # the server saw the first failure after this
        fail(web.url, account.username)
        fail(web.url, account.username)
        last_failure = time.monotonic()
        login_refused_as_throttled(sign_in(web.url, account))
        while time.monotonic() < first_failure + window - 1.0:  # hammer the locked account
            login_refused_as_throttled(sign_in(web.url, account))
        time.sleep(max(0.0, last_failure + window + 0.7 - time.monotonic()))
        page = sign_in(web.url, account)
        assert page.status != 429, "refused attempts were counted, or the window did not slide"
        assert_redirect(page, "/notes")
        fail(web.url, f"nobody_{uuid.uuid4().hex[:10]}")  # a new failure: the old rows go
        assert not Database(deployment).rows_containing(marker.lower()), (
            "a failure older than the window is still in the database"
        )
