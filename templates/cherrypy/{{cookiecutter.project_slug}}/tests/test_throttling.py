"""Sign-in throttling: failures counted in the database, per username and per client address."""

import pytest
import webtest
from conftest import AuthActions, location
from sqlalchemy import func, select

from {{ cookiecutter.project_slug }} import env, rules
from {{ cookiecutter.project_slug }}.models import ThrottleEvent


@pytest.fixture()
def alice(auth):
    auth.register("alice")
    auth.logout()


def visitor(app, address):
    """A client of its own, whose requests come from ``address``."""
    return AuthActions(webtest.TestApp(app, extra_environ={"REMOTE_ADDR": address}))


def events(db):
    return db.scalar(select(func.count()).select_from(ThrottleEvent))


@pytest.mark.usefixtures("alice")
def test_login_is_throttled_per_username_even_with_the_right_password(app, db):
    for number in range(5):
        response = visitor(app, f"10.0.0.{number}").login("Alice", "wrong password")
        assert response.status_int == 200
    owner = visitor(app, "10.0.1.1")
    response = owner.login("alice")  # the right password, from elsewhere
    assert response.status_int == 429
    assert rules.TOO_MANY_ATTEMPTS in response.text
    assert response.html.find("form", action="/auth/login")
    assert not owner.logged_in()


@pytest.mark.usefixtures("alice")
def test_throttled_attempts_are_not_counted_and_the_window_slides(app, db, clock):
    attacker = visitor(app, "10.0.0.1")
    for _ in range(5):
        attacker.login("alice", "wrong password")
        clock.advance(60)
    counted = events(db)
    for _ in range(3):
        assert attacker.login("alice", "wrong password").status_int == 429
    assert events(db) == counted  # a refused attempt adds nothing
    clock.advance(599)  # 899 s after the first failure: all five are in the 15-minute window
    owner = visitor(app, "10.0.0.2")
    assert owner.login("alice").status_int == 429
    clock.advance(1)  # the first failure leaves the window
    assert location(owner.login("alice")) == "/notes"


@pytest.mark.usefixtures("alice")
def test_a_successful_login_clears_the_username_count(app, db):
    user = visitor(app, "10.0.0.1")
    for _ in range(4):
        user.login("alice", "wrong password")
    assert location(user.login("alice")) == "/notes"
    user.logout()
    for _ in range(4):
        assert user.login("alice", "wrong password").status_int == 200
    assert location(user.login("alice")) == "/notes"


@pytest.mark.usefixtures("alice")
def test_login_is_throttled_per_client_address(app):
    bot = visitor(app, "10.9.9.9")
    for number in range(20):
        assert bot.login(f"someone{number}", "guess").status_int == 200
    assert bot.login("alice").status_int == 429  # every attempt from that address
    assert location(visitor(app, "10.9.9.10").login("alice")) == "/notes"


@pytest.mark.usefixtures("alice")
def test_throttle_numbers_come_from_the_settings(make_app):
    accounts = env.AccountSettings(login_failures_per_user=2, login_failure_window=60)
    app = make_app(accounts=accounts)
    for _ in range(2):
        visitor(app, "10.0.0.1").login("alice", "wrong")
    assert visitor(app, "10.0.0.2").login("alice").status_int == 429


def test_throttle_counts_the_client_behind_a_trusted_proxy(make_app, app):
    """Behind TRUSTED_PROXIES the address is the right-most X-Forwarded-For entry that is not a
    proxy; an untrusted peer's header is never believed."""
    AuthActions(webtest.TestApp(app)).register("alice")
    proxied = make_app(trusted_proxies=frozenset({"127.0.0.1"}))
    environ = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 10.1.1.1"}
    for number in range(20):
        visitor(proxied, "127.0.0.1").login(f"nobody{number}", "x", **environ)
    blocked = visitor(proxied, "127.0.0.1").login("alice", **environ)
    assert blocked.status_int == 429
    other_client = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "10.1.1.2"}
    assert visitor(proxied, "127.0.0.1").login("alice", **other_client).status_int == 303
    # The same header from a peer that is not a trusted proxy changes nothing: its own address.
    direct = {"REMOTE_ADDR": "10.1.1.1", "HTTP_X_FORWARDED_FOR": "10.1.1.3"}
    assert visitor(proxied, "10.1.1.1").login("alice", **direct).status_int == 429


@pytest.mark.usefixtures("alice")
def test_throttle_deletes_old_rows(app, db, clock):
    visitor(app, "10.0.0.1").login("alice", "wrong")
    assert events(db) == 2  # one for the username, one for the address
    clock.advance(3601)  # past every window (the reset-mail hour included)
    visitor(app, "10.0.0.1").login("bob", "wrong")
    assert events(db) == 2
