"""Contract §3, "Requests": a bounded, seeded Hypothesis fuzz run over every field of every form.

Each example fetches the form (for a valid CSRF token), posts generated values (NUL, lone
surrogates, right-to-left and combining characters, very long and whitespace-only strings,
markup) encoded as any client may send them, and requires: no 5xx, no traceback, and nothing
stored when the answer is not a success (checked in the database itself, or on the page that
lists what is stored). ``derandomize`` fixes the examples, so every run sends the same values;
a failure prints Hypothesis' shrunk example.
"""

import dataclasses
import uuid
from urllib.parse import urljoin

import pytest
from actions import (
    PASSWORD,
    hash_scheme,
    new_account,
    note_ids,
    register,
    registered,
    request_reset,
    reset_link,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.browser import Browser
from support.database import Database
from test_hostile import encoded, post_raw

clause = pytest.mark.clause

CHARACTERS = st.one_of(
    st.characters(),  # any code point but surrogates...
    st.characters(categories=["Cs"]),  # ...lone surrogates
    st.sampled_from(
        [
            "\x00",
            "\u202e",
            "\u200f",
            "\u0301",
            "\u0302",
            "\ufeff",
            "\u2028",
            " ",
            "\t",
            "\n",
            "<",
            ">",
            "&",
            "'",
            '"',
            "%",
            "\\",
            "é",
            "ß",
            "🎉",
        ]
    ),
)
TEXT = st.one_of(
    st.text(CHARACTERS, max_size=24),
    st.sampled_from(
        [
            "",
            " ",
            "   \t\n ",
            "\x00",
            "a\x00b",
            "\ud800",
            "x\udfffy",
            "\u202eevil.exe",
            "e\u0301\u0301\u0301",
            "ﷺ" * 30,
            "x" * 201,
            "y" * 10_001,
            "🎉" * 100,
            "<script>alert(1)</script>",
            "' OR '1'='1",
            "%00%ff",
        ]
    ),
)
FUZZ = settings(
    max_examples=15,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    print_blob=False,
)
SAME = "same as the password"
_cache = {}


def cached(deployment, key, make):
    """One value per deployment (a user table, a logged-in browser...), made when first needed."""
    slot = (deployment.framework, deployment.database, key)
    if slot not in _cache:
        _cache[slot] = make()
    return _cache[slot]


def assert_answer(response, what):
    assert response.status_code < 500, f"{what}: answered {response.status_code}"
    assert "Traceback" not in response.text, f"{what}: the answer shows a traceback"


def succeeded(response):
    return response.status_code in {302, 303}


def post_form(browser, path, values_for):
    """Fetch the page ``path``, fill its form posting to ``path`` (hidden fields as given,
    visible ones from ``values_for(form)``: (name, value) pairs) and post it, encoded as any
    client may (lone surrogates included)."""
    form = browser.get(path).form(path)
    return post_raw(browser, path, encoded([*form.hidden().items(), *values_for(form)]))


def user_table(deployment):
    def find():
        _, account = registered(deployment.url, "FuzzTable")
        return Database(deployment).row_with(account.username)[0]

    return cached(deployment, "user table", find)


def password_hash(deployment, username):
    _, row = Database(deployment).row_with(username)
    return [value for value in row.values() if isinstance(value, str) and hash_scheme(value)]


@clause("§3 Requests", "fuzz: the registration form")
@FUZZ
@given(
    username=TEXT,
    email=st.one_of(TEXT, st.builds(lambda t: f"{t}@example.com", TEXT)),
    password=st.one_of(TEXT, st.just(PASSWORD)),
    confirmation=st.one_of(TEXT, st.just(SAME)),
)
def test_fuzz_registration(deployment, username, email, password, confirmation):
    table = user_table(deployment)
    before = Database(deployment).count(table)

    def values(form):
        (name,), (address,), (first, second) = (
            form.named("text"),
            form.named("email"),
            form.named("password"),
        )
        return [
            (name, username),
            (address, email),
            (first, password),
            (second, password if confirmation == SAME else confirmation),
        ]

    response = post_form(Browser(deployment.url), "/auth/register", values)
    assert_answer(response, "registration")
    if not succeeded(response):
        assert Database(deployment).count(table) == before, "a refused registration stored a row"


@clause("§3 Requests", "fuzz: the login form")
@FUZZ
@given(username=TEXT, password=TEXT)
def test_fuzz_login(deployment, username, password):
    browser = Browser(deployment.url)
    response = post_form(
        browser,
        "/auth/login",
        lambda form: [(form.named("text")[0], username), (form.named("password")[0], password)],
    )
    assert_answer(response, "login")
    assert not succeeded(response), "a made-up account logged in"
    page = browser.get("/notes", follow=False)
    assert page.status in {302, 303}, "a refused login left a logged-in session"


@clause("§3 Requests", "fuzz: the note form")
@FUZZ
@given(title=TEXT, body=TEXT)
def test_fuzz_notes(deployment, title, body):
    browser = cached(deployment, "notes browser", lambda: registered(deployment.url, "fuzz")[0])
    before = len(note_ids(browser.get("/notes")))
    response = post_form(
        browser,
        "/notes",
        lambda form: [(form.named("text")[0], title), (form.named("textarea")[0], body)],
    )
    assert_answer(response, "note")
    page = browser.get("/notes")
    assert page.status == 200, f"GET /notes after a fuzzed note answered {page.status}"
    expected = before + (1 if succeeded(response) else 0)
    assert len(note_ids(page)) == expected, (
        f"{len(note_ids(page))} notes after a {'stored' if succeeded(response) else 'refused'} "
        f"note, expected {expected}"
    )


@clause("§3 Requests", "fuzz: the password-reset request form")
@FUZZ
@given(email=st.one_of(TEXT, st.builds(lambda t: f"{t}@example.com", TEXT)))
def test_fuzz_reset_request(deployment, email):
    response = post_form(
        Browser(deployment.url),
        "/auth/password-reset",
        lambda form: [(form.named("email")[0], email)],
    )
    assert_answer(response, "reset request")


@dataclasses.dataclass
class ResetLink:
    username: str
    link: str


def fresh_reset_link(deployment):
    _, account = registered(deployment.url, "FuzzReset")
    request_reset(Browser(deployment.url), account.email)
    return ResetLink(
        account.username, reset_link(deployment.mail.wait_for(account.email), deployment.url)
    )


@clause("§3 Requests", "fuzz: the new-password form of a reset link")
@FUZZ
@given(
    password=st.one_of(TEXT, st.just("a fresh passphrase")),
    confirmation=st.one_of(TEXT, st.just(SAME)),
)
def test_fuzz_reset_confirm(deployment, password, confirmation):
    current = cached(deployment, "reset link", lambda: [fresh_reset_link(deployment)])
    browser = Browser(deployment.url)
    page = browser.get(current[0].link, follow=True)
    if not page.forms_with("password", 2):  # spent by an earlier example's success
        current[0] = fresh_reset_link(deployment)
        page = browser.get(current[0].link, follow=True)
    form = page.forms_with("password", 2)[0]
    first, second = form.named("password")
    before = password_hash(deployment, current[0].username)
    values = [
        *form.hidden().items(),
        (first, password),
        (second, password if confirmation == SAME else confirmation),
    ]
    response = post_raw(browser, urljoin(page.url, form.action), encoded(values))
    assert_answer(response, "new password")
    if not succeeded(response):
        assert password_hash(deployment, current[0].username) == before, (
            "a refused new password changed the stored hash"
        )


@clause("§3 Requests", "fuzz: the password-change form")
@FUZZ
@given(
    current=st.one_of(TEXT, st.just("CURRENT")),
    new=st.one_of(TEXT, st.just("a new one!")),
    confirmation=st.one_of(TEXT, st.just(SAME)),
)
def test_fuzz_password_change(deployment, current, new, confirmation):
    def login_state():
        username = f"FuzzChange_{uuid.uuid4().hex[:8]}"
        account = dataclasses.replace(new_account(), username=username)
        browser = Browser(deployment.url)
        status = register(browser, account).status
        assert status in {302, 303}, f"registering {username} answered {status}"
        return {"browser": browser, "account": account, "password": account.password}

    state = cached(deployment, "change", login_state)
    browser, username = state["browser"], state["account"].username
    sent = state["password"] if current == "CURRENT" else current
    before = password_hash(deployment, username)
    response = post_form(
        browser,
        "/auth/password",
        lambda form: list(
            zip(
                form.named("password"),
                [sent, new, new if confirmation == SAME else confirmation],
                strict=True,
            )
        ),
    )
    assert_answer(response, "password change")
    if succeeded(response):
        state["password"] = new
    else:
        assert password_hash(deployment, username) == before, (
            "a refused password change changed the stored hash"
        )
