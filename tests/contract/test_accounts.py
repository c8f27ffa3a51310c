"""Contract §2b and §3: password change, sessions that end on the server, usernames and e-mail
addresses unique regardless of case, passwords stored hashed."""

import unicodedata
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest
from actions import (
    FORM_STATUSES,
    NEW_PASSWORD,
    assert_anonymous,
    assert_logged_in,
    assert_redirect,
    can_log_in,
    change_password,
    hash_scheme,
    is_anonymous,
    logged_in_as,
    logged_in_browser,
    login,
    logout,
    new_account,
    register,
    register_values,
    registered,
)
from support.browser import Browser
from support.database import Database

clause = pytest.mark.clause


# Password change ----------------------------------------------------------------------------


@clause("§2b Change", "GET /auth/password (anonymous) redirects to /auth/login?next=/auth/password")
def test_the_change_form_needs_a_login(deployment):
    page = Browser(deployment.url).get("/auth/password", follow=False)
    assert_redirect(page, "/auth/login", {"next": ["/auth/password"]})


@clause("§2b Change", "the header links to /auth/password; the form has three password inputs")
def test_the_change_form_is_linked_and_has_three_password_inputs(deployment):
    browser, _ = registered(deployment.url)
    for path in ("/", "/notes"):
        assert "/auth/password" in browser.get(path).link_paths(), f"{path}: no change link"
    form = browser.get("/auth/password").form("/auth/password")
    assert form.method == "post", f"the change form's method is {form.method!r}, not post"
    visible = [f.type for f in form.fields if f.type != "hidden"]
    assert visible == ["password"] * 3, f"the change form's visible fields are {visible}"


@clause("§2b Change", "a wrong current password or an invalid new one changes nothing")
@pytest.mark.parametrize("case", ["wrong current", "too short", "confirmation differs"])
def test_an_invalid_change_changes_nothing(deployment, case):
    browser, account = registered(deployment.url)
    current, new, confirmation = account.password, NEW_PASSWORD, None
    if case == "wrong current":
        current = account.password + "x"
    elif case == "too short":
        new = "short7!"
    else:
        confirmation = NEW_PASSWORD + "x"
    page = change_password(browser, current, new, confirmation)
    assert page.status in FORM_STATUSES, f"{case}: answered {page.status}"
    assert page.has_form("/auth/password"), f"{case}: the form is not shown again"
    assert_logged_in(browser, account.username, f"logged in after a refused change ({case})")
    assert can_log_in(deployment.url, account.username, account.password), (
        f"{case}: the old password no longer works after a refused change"
    )
    assert not can_log_in(deployment.url, account.username, new), (
        f"{case}: the refused new password was set"
    )


@clause("§2b Change", "success: changed, this session stays under a new id, the others end")
def test_a_change_keeps_this_session_and_ends_the_others(deployment):
    browser, account = registered(deployment.url)
    other_device = logged_in_browser(deployment.url, account)
    copy_before = browser.copy()
    cookies_before = browser.cookies()
    page = change_password(browser, account.password, NEW_PASSWORD)
    assert_redirect(page, "/notes")
    assert logged_in_as(browser, account.username), "the session that changed it was logged out"
    assert browser.cookies() != cookies_before, "the session id did not change"
    assert is_anonymous(copy_before), "a copy of this session from before the change still works"
    assert is_anonymous(other_device), "another session of the user still works"
    assert can_log_in(deployment.url, account.username, NEW_PASSWORD), "the new password fails"
    assert not can_log_in(deployment.url, account.username, account.password), (
        "the old password still works after the change"
    )


@clause("§3 Security", "CSRF: a password change without a valid token changes nothing")
def test_a_change_without_a_valid_token_is_refused(deployment):
    browser, account = registered(deployment.url)
    form = browser.get("/auth/password").form("/auth/password")
    values = dict(
        zip(form.named("password"), [account.password, NEW_PASSWORD, NEW_PASSWORD], strict=True)
    )
    status = browser.post("/auth/password", values).status
    assert status in {400, 403}, f"a password change without the CSRF token answered {status}"
    assert can_log_in(deployment.url, account.username, account.password), (
        "a password change without the CSRF token changed the password"
    )


# Sessions -----------------------------------------------------------------------------------


@clause("§3 Security", "log-out ends the session on the server: a copied cookie is anonymous")
def test_a_copy_of_the_cookies_is_logged_out_with_the_session(deployment):
    browser, account = registered(deployment.url)
    copy = browser.copy()
    assert_logged_in(copy, account.username, "logged in through a copy of the session cookies")
    assert_redirect(logout(browser), "/")
    assert is_anonymous(copy), "a copy of the session cookie taken before log-out still works"


@clause("§3 Security", "log-out ends this session only: another device stays logged in")
def test_logging_out_leaves_other_devices_alone(deployment):
    browser, account = registered(deployment.url)
    other_device = logged_in_browser(deployment.url, account)
    logout(browser)
    assert_logged_in(
        other_device, account.username, "logged in on another device after logging out on this one"
    )


# Usernames and addresses --------------------------------------------------------------------


def assert_refused(deployment, account):
    browser = Browser(deployment.url)
    page = register(browser, account)
    assert page.status in FORM_STATUSES, (
        f"registering {account.username!r} / {account.email!r} again answered {page.status}, "
        "expected the form again (200/400/422): it is taken"
    )
    assert page.has_form("/auth/register"), "the refused registration does not show the form"
    assert_anonymous(browser, "anonymous after a refused registration")


@clause("§3 Accounts", "usernames are unique regardless of case (Alice, Émile)")
@pytest.mark.parametrize(
    ("first", "second"), [("alice", "ALICE"), ("émile", "Émile"), ("straße", "STRASSE")]
)
def test_usernames_are_unique_regardless_of_case(deployment, first, second):
    tag = new_account().username.split("_")[1]
    taken = new_account()
    taken = replace(taken, username=f"{first}_{tag}")
    assert_redirect(register(Browser(deployment.url), taken), "/notes")
    assert_refused(deployment, replace(new_account(), username=f"{second}_{tag.upper()}"))


@clause("§3 Accounts", "usernames are NFKC-normalised: ﬁle is file")
def test_usernames_are_nfkc_normalised(deployment):
    tag = new_account().username.split("_")[1]
    browser = Browser(deployment.url)
    account = replace(new_account(), username=f"ﬁle_{tag}")
    assert_redirect(register(browser, account), "/notes")
    assert_logged_in(browser, f"file_{tag}", "shown as file_... (NFKC) after registering ﬁle_...")
    assert_refused(deployment, replace(new_account(), username=f"file_{tag}"))


@clause("§3 Accounts", "e-mail addresses are unique regardless of case")
def test_email_addresses_are_unique_regardless_of_case(deployment):
    _, account = registered(deployment.url)
    assert_refused(deployment, replace(new_account(), email=account.email.upper()))


def folded(text):
    return unicodedata.normalize("NFKC", text).casefold()


@clause("§3 Accounts", "the database stores the case-folded username and e-mail address")
def test_the_database_keeps_the_folded_username_and_address(deployment):
    account = replace(new_account("Folded"), email=f"Folded_{uuid.uuid4().hex[:8]}@Example.COM")
    account = replace(account, username=account.username.replace("Folded", "Straße"))
    assert_redirect(register(Browser(deployment.url), account), "/notes")
    rows = Database(deployment).rows_containing(folded(account.username))
    assert rows, (
        f"no row holds the folded username {folded(account.username)!r} (NFKC, then "
        "casefold()): the database can't enforce uniqueness without it"
    )
    assert Database(deployment).rows_containing(folded(account.email)), (
        f"no row holds the folded address {folded(account.email)!r}"
    )


@clause("§3 Accounts", "registrations of one name in different cases at once: one account")
def test_simultaneous_registrations_of_one_name_make_one_account(deployment):
    tag = uuid.uuid4().hex[:8]
    variants = [f"race_{tag}", f"RACE_{tag}", f"Race_{tag}", f"rAcE_{tag}", f"racE_{tag}"]
    visitors = []
    for name in variants:  # every form first, then every POST at once
        browser = Browser(deployment.url)
        account = replace(new_account(), username=name)
        page = browser.get("/auth/register")
        visitors.append((browser, page, account))

    def post(visitor):
        browser, page, account = visitor
        return browser.submit(page, "/auth/register", register_values(page, account)).status

    with ThreadPoolExecutor(max_workers=len(visitors)) as pool:
        statuses = list(pool.map(post, visitors))
    assert all(status < 500 for status in statuses), f"simultaneous registrations: {statuses}"
    created = sum(status in {302, 303} for status in statuses)
    assert created == 1, (
        f"{created} accounts for {variants} registered at once: the database "
        "must refuse the folded duplicates (a unique constraint)"
    )


@clause("§1 Routes", "sign-in finds the username whatever its case")
def test_sign_in_finds_the_username_whatever_its_case(deployment):
    browser, account = registered(deployment.url)
    logout(browser)
    assert_redirect(login(browser, account.username.upper(), account.password), "/notes")
    assert_logged_in(browser, account.username, "logged in after signing in in capitals")


# How passwords are stored -------------------------------------------------------------------


@clause("§3 Security", "passwords are stored hashed (argon2id, scrypt, bcrypt-SHA256, PBKDF2)")
def test_passwords_are_stored_hashed_never_in_clear(deployment):
    password = f"Stored-{new_account().username}-secret"
    _, account = registered(deployment.url, "Stored", password=password)
    database = Database(deployment)
    table, row = database.row_with(account.username)
    assert not database.anywhere(password), "the password is stored in clear in the database"
    hashes = [
        str(value) for value in row.values() if isinstance(value, str) and hash_scheme(str(value))
    ]
    shown = {key: (str(value)[:40] if value is not None else None) for key, value in row.items()}
    assert hashes, (
        f"no column of {table} holds an accepted password hash (argon2id, scrypt, "
        f"bcrypt-SHA256, PBKDF2-SHA256 >= 600000): {shown}"
    )
