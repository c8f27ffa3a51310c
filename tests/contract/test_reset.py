"""Contract §2a and §2c: password reset by e-mail, through a real SMTP server."""

import base64
import quopri
import re
import time
import uuid

import pytest
from actions import (
    FORM_STATUSES,
    NEW_PASSWORD,
    PASSWORD,
    RESET_SENT,
    assert_invalid_link_page,
    assert_logged_in,
    assert_redirect,
    can_log_in,
    change_password,
    is_anonymous,
    location,
    logged_in_browser,
    new_password_form,
    open_reset_link,
    registered,
    request_reset,
    reset_answer,
    reset_link,
    submit_new_password,
)
from support.browser import Browser
from support.smtp import MailServer

from webcutter.runtime import free_port

clause = pytest.mark.clause


def reset_mail(deployment, account, base_url=None):
    """Ask for a reset of ``account`` and return the link the mail brought."""
    browser = Browser(base_url or deployment.url)
    before = len(deployment.mail.received(account.email))
    page = request_reset(browser, account.email)
    assert page.status < 500, f"POST /auth/password-reset answered {page.status}"
    mails = deployment.mail.wait_for(account.email, before + 1)
    return reset_link(mails, base_url or deployment.url), mails[-1]


@clause("§2a Reset", "the login page links to the reset form: one e-mail input, nothing else")
def test_the_login_page_links_to_the_reset_form(deployment):
    page = Browser(deployment.url).get("/auth/login")
    assert "/auth/password-reset" in page.link_paths(), "no link to /auth/password-reset"
    page = Browser(deployment.url).get("/auth/password-reset")
    assert page.status == 200, f"GET /auth/password-reset answered {page.status}"
    form = page.form("/auth/password-reset")
    assert form.method == "post", f"the reset form's method is {form.method!r}, not post"
    visible = [f.type for f in form.fields if f.type != "hidden"]
    assert visible == ["email"], f"the reset form's visible fields are {visible}, not [email]"


@clause("§2a Reset", "the same answer for an address with an account and one without")
def test_the_answer_is_the_same_with_and_without_an_account(deployment):
    _, account = registered(deployment.url)
    nobody = f"nobody_{uuid.uuid4().hex[:10]}@example.com"
    first, second = Browser(deployment.url), Browser(deployment.url)
    known = reset_answer(first, request_reset(first, account.email))
    unknown = reset_answer(second, request_reset(second, nobody))
    assert known[0] == unknown[0], f"different answers: {known[0]} and {unknown[0]}"
    assert known[1] == unknown[1], "the visible text differs between the two answers"
    assert RESET_SENT in known[1], f"the answer does not say {RESET_SENT!r}"
    deployment.mail.wait_for(account.email)
    deployment.mail.assert_none_for(nobody)


@clause("§2c Mail", "the mail is plain text from EMAIL_FROM with one absolute reset link")
def test_the_mail_holds_one_absolute_link(deployment):
    _, account = registered(deployment.url)
    link, mail = reset_mail(deployment, account)
    sender, to = str(mail.message["From"]), str(mail.message["To"])
    assert "noreply@contract.example" in sender, f"the mail is from {sender!r}, not EMAIL_FROM"
    assert account.email.casefold() in to.casefold(), f"the mail is to {to!r}"
    assert link.startswith(f"{deployment.url}/auth/password-reset/"), link


@clause("§2a Reset", "the address is matched whatever its case")
def test_the_address_is_matched_whatever_its_case(deployment):
    _, account = registered(deployment.url)
    browser = Browser(deployment.url)
    status = request_reset(browser, account.email.upper()).status
    assert status < 500, f"a reset for the address in capitals answered {status}"
    reset_link(deployment.mail.wait_for(account.email), deployment.url)


@clause("§2a Reset", "an invalid address gets the form again with a message")
def test_an_invalid_address_gets_the_form_again(deployment):
    browser = Browser(deployment.url)
    page = request_reset(browser, "not-an-address")
    assert page.status in FORM_STATUSES, (
        f"an invalid address answered {page.status}, expected the form again (200/400/422)"
    )
    assert page.has_form("/auth/password-reset"), "an invalid address: the form is not shown again"


@clause("§2a Reset", "the link opens a form with two password inputs; a new password works")
def test_a_reset_sets_the_password_and_ends_every_session(deployment):
    before_reset, account = registered(deployment.url)
    other_device = logged_in_browser(deployment.url, account)
    link, _ = reset_mail(deployment, account)
    browser = Browser(deployment.url)
    page = open_reset_link(browser, link)
    assert page.status == 200, f"a valid link answered {page.status}"
    new_password_form(page)
    answer = submit_new_password(browser, page, NEW_PASSWORD)
    assert answer.status in {302, 303}, f"setting the password answered {answer.status}"
    target, _ = location(answer)
    assert target in {"/auth/login", "/notes"}, f"redirected to {target}"
    if target == "/notes":
        assert_logged_in(browser, account.username, "logged in after the reset sent to /notes")
    assert is_anonymous(before_reset), "a session opened before the reset is still logged in"
    assert is_anonymous(other_device), "another device is still logged in after the reset"
    assert can_log_in(deployment.url, account.username, NEW_PASSWORD), (
        "the password set through the link does not work"
    )
    assert not can_log_in(deployment.url, account.username, PASSWORD), (
        "the old password still works after the reset"
    )


@clause("§2a Reset", "a used token is refused; the same form posted again changes nothing")
def test_a_token_is_single_use(deployment):
    _, account = registered(deployment.url)
    link, _ = reset_mail(deployment, account)
    browser = Browser(deployment.url)
    page = open_reset_link(browser, link)
    status = submit_new_password(browser, page, NEW_PASSWORD).status
    assert status in {302, 303}, f"setting a new password through the link answered {status}"
    again = submit_new_password(browser, page, "a third password, never set")
    assert again.status < 500, f"posting the spent form again answered {again.status}"
    assert not can_log_in(deployment.url, account.username, "a third password, never set"), (
        "the spent form set a password again: the token is not single use"
    )
    assert can_log_in(deployment.url, account.username, NEW_PASSWORD), (
        "the password set through the link no longer works"
    )
    assert_invalid_link_page(open_reset_link(Browser(deployment.url), link))


@clause("§2a Reset", "a link dies as soon as the password changes")
def test_a_link_dies_when_the_password_changes(deployment):
    browser, account = registered(deployment.url)
    link, _ = reset_mail(deployment, account)
    assert_redirect(change_password(browser, account.password, NEW_PASSWORD), "/notes")
    assert_invalid_link_page(open_reset_link(Browser(deployment.url), link))
    assert can_log_in(deployment.url, account.username, NEW_PASSWORD), (
        "the changed password no longer works after opening the older link"
    )


@clause("§2a Reset", "a tampered token gets the invalid-link page, with no password form")
def test_a_tampered_token_is_refused(deployment):
    _, account = registered(deployment.url)
    link, _ = reset_mail(deployment, account)
    last = link[-1]
    tampered = link[:-1] + ("A" if last != "A" else "B")
    assert_invalid_link_page(open_reset_link(Browser(deployment.url), tampered))
    assert_invalid_link_page(
        open_reset_link(Browser(deployment.url), f"{deployment.url}/auth/password-reset/garbage")
    )
    assert can_log_in(deployment.url, account.username, account.password), (
        "the password changed after opening tampered links"
    )


@clause("§2a Reset", "an invalid new password gets the form again and changes nothing")
def test_an_invalid_new_password_changes_nothing(deployment):
    _, account = registered(deployment.url)
    link, _ = reset_mail(deployment, account)
    browser = Browser(deployment.url)
    page = open_reset_link(browser, link)
    for password, confirmation in (("short7!", "short7!"), (NEW_PASSWORD, "something else")):
        answer = submit_new_password(browser, page, password, confirmation)
        assert answer.status in FORM_STATUSES, f"an invalid password answered {answer.status}"
        new_password_form(answer)
        page = answer
    assert can_log_in(deployment.url, account.username, account.password), (
        "a refused new password replaced the old one"
    )


@clause("§2a Reset", "at most 3 reset mails per address per hour, the same answer after")
def test_at_most_three_mails_per_address_per_hour(deployment):
    _, account = registered(deployment.url)
    answers = []
    for _ in range(4):
        browser = Browser(deployment.url)
        answers.append(reset_answer(browser, request_reset(browser, account.email)))
    assert all(answer == answers[0] for answer in answers), "the fourth answer differs"
    deployment.mail.wait_for(account.email, 3)
    time.sleep(1.5)
    count = len(deployment.mail.received(account.email))
    assert count == 3, f"{count} reset mails for four requests within the hour, expected 3"


@clause("§2a Reset", "the link expires after PASSWORD_RESET_MAX_AGE seconds")
def test_the_link_expires(deployment):
    _, account = registered(deployment.url)
    with deployment.web_process(PASSWORD_RESET_MAX_AGE=2) as web:
        link, _ = reset_mail(deployment, account, base_url=web.url)
        time.sleep(3.5)
        assert_invalid_link_page(open_reset_link(Browser(web.url), link))
    assert can_log_in(deployment.url, account.username, account.password), (
        "the password changed after opening an expired link"
    )


@clause("§2a Reset", "a forged Host is refused (400) and sends no mail; BASE_URL is the origin")
def test_a_forged_host_never_reaches_a_link(deployment):
    _, account = registered(deployment.url)
    browser = Browser(deployment.url)
    page = browser.get("/auth/password-reset")
    form = page.form("/auth/password-reset")
    data = {**form.hidden(), form.named("email")[0]: account.email}
    forged = browser.session.post(
        f"{deployment.url}/auth/password-reset",
        data=data,
        headers={"Host": "evil.example"},
        allow_redirects=False,
        timeout=30,
    )
    assert forged.status_code == 400, f"a forged Host answered {forged.status_code}"
    deployment.mail.assert_none_for(account.email, grace=1.0)
    tricked = browser.session.post(
        f"{deployment.url}/auth/password-reset",
        data=data,
        headers={"X-Forwarded-Host": "evil.example"},
        allow_redirects=False,
        timeout=30,
    )
    assert tricked.status_code < 500, f"X-Forwarded-Host answered {tricked.status_code}"
    mails = deployment.mail.wait_for(account.email)
    assert "evil.example" not in mails[-1].text, (
        "the reset mail names the X-Forwarded-Host evil.example: never believe that header"
    )
    reset_link(mails, deployment.url)
    with deployment.web_process(BASE_URL="https://notes.example.com") as web:
        before = len(deployment.mail.received(account.email))
        request_reset(Browser(web.url), account.email)
        mails = deployment.mail.wait_for(account.email, before + 1)
        reset_link(mails, "https://notes.example.com")


@clause("§2c Mail", "a dead or refusing mail server: the same answer, no 5xx, no hang, logged")
@pytest.mark.parametrize("server", ["closed port", "refusing"])
def test_a_dead_mail_server_never_breaks_the_page(deployment, server):
    _, account = registered(deployment.url)
    reference = Browser(deployment.url)
    expected = reset_answer(reference, request_reset(reference, account.email))
    refusing = MailServer(refusing=True).start() if server == "refusing" else None
    url = refusing.url if refusing else f"smtp://127.0.0.1:{free_port()}"
    try:
        with deployment.web_process(EMAIL_URL=url) as web:
            browser = Browser(web.url)
            started = time.monotonic()
            page = request_reset(browser, account.email)
            assert time.monotonic() - started < 15, "the page waited too long for the mail"
            assert page.status < 500, f"a dead mail server gave {page.status}"
            assert reset_answer(browser, page) == expected, (
                f"with a {server} mail server the answer differs from the usual one"
            )
            time.sleep(0.5)
            log = web.output().lower()
            assert "mail" in log, "the failure to send the mail was not logged"
    finally:
        if refusing:
            refusing.stop()


BASE64_LINES = re.compile(r"(?:^[A-Za-z0-9+/]{4,}={0,2}\n)+", re.M)


def mail_text_in(log):
    """A server log with the mails in it readable: as written, quoted-printable decoded, and
    each run of base64 lines decoded (a console mail's body may be in either encoding)."""
    parts = [log, quopri.decodestring(log.encode()).decode("utf-8", "replace")]
    for block in BASE64_LINES.findall(log):
        try:
            parts.append(base64.b64decode("".join(block.split())).decode("utf-8", "replace"))
        except ValueError:
            continue
    return "\n".join(parts)


@clause("§2c Mail", "console:// (and a blank EMAIL_URL) writes the whole mail to the log")
@pytest.mark.parametrize("email_url", ["console://", ""], ids=["console", "blank"])
def test_console_mail_goes_to_the_servers_log(deployment, email_url):
    _, account = registered(deployment.url)
    with deployment.web_process(EMAIL_URL=email_url, EMAIL_FROM="") as web:
        page = request_reset(Browser(web.url), account.email)
        assert page.status < 500, f"EMAIL_URL={email_url!r}: the reset answered {page.status}"
        deadline = time.monotonic() + 10
        while f"{web.url}/auth/password-reset/" not in mail_text_in(web.output()):
            assert time.monotonic() < deadline, (
                f"EMAIL_URL={email_url!r}: the reset link is not in the server's log: "
                f"{web.output()[-800:]!r}"
            )
            time.sleep(0.3)
        log = web.output()
        assert account.email in log, "the console mail does not show its recipient"
        assert "webmaster@localhost" in log, (
            "with a blank EMAIL_FROM the mail is not from webmaster@localhost"
        )
    deployment.mail.assert_none_for(account.email, grace=0.5)


@clause("§2c Mail", "submission:// and smtps:// never send in clear; the failure is logged")
@pytest.mark.parametrize("scheme", ["submission", "smtps"])
def test_tls_mail_schemes_never_fall_back_to_plain_smtp(deployment, scheme):
    _, account = registered(deployment.url)
    reference = Browser(deployment.url)
    expected = reset_answer(reference, request_reset(reference, account.email))
    deployment.mail.wait_for(account.email)
    plain = deployment.mail.url.split("://", 1)[1]  # the suite's server speaks no TLS
    with deployment.web_process(EMAIL_URL=f"{scheme}://{plain}") as web:
        browser = Browser(web.url)
        page = request_reset(browser, account.email)
        assert page.status < 500, f"{scheme}:// to a server without TLS answered {page.status}"
        assert reset_answer(browser, page) == expected, f"{scheme}://: the answer differs"
        time.sleep(1.0)
        assert "mail" in web.output().lower(), f"{scheme}://: the failure is not logged"
    count = len(deployment.mail.received(account.email))
    assert count == 1, f"{scheme}:// delivered the mail without TLS ({count} mails)"


@clause("§3 Security", "CSRF: a reset request without a valid token sends nothing")
def test_a_reset_request_without_a_valid_token_is_refused(deployment):
    _, account = registered(deployment.url)
    browser = Browser(deployment.url)
    page = browser.get("/auth/password-reset")
    form = page.form("/auth/password-reset")
    data = {form.named("email")[0]: account.email}
    status = browser.post("/auth/password-reset", data).status
    assert status in {400, 403}, f"a reset request without the CSRF token answered {status}"
    deployment.mail.assert_none_for(account.email)
