"""Sign-in throttling, counted in the database (docs/contract.md §3, "Sign-in throttling")."""

from datetime import timedelta

from sqlalchemy import func, select

from {{ cookiecutter.project_slug }}.extensions import db
from {{ cookiecutter.project_slug }}.models import ThrottleEvent

TOO_MANY = "Too many failed sign-in attempts. Try again in a few minutes."


def fail(auth, username="alice", times=1):
    for _ in range(times):
        response = auth.login(username, "wrong password")
        assert response.status_code == 200, response.status_code


def test_login_is_throttled_per_username_even_with_the_right_password(auth, clock):
    auth.register("alice")
    auth.logout()
    fail(auth, "alice", 5)
    response = auth.login("alice")
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert TOO_MANY in page
    assert 'action="/auth/login"' in page
    assert auth.client.get("/notes").status_code == 302


def test_login_throttle_counts_the_username_whatever_its_case(auth, clock):
    auth.register("alice")
    auth.logout()
    fail(auth, "ALICE", 3)
    fail(auth, "Alice", 2)
    assert auth.login("alice").status_code == 429


def test_login_throttle_window_slides_and_refusals_are_not_counted(auth, clock):
    auth.register("alice")
    auth.logout()
    fail(auth, "alice", 4)
    clock.advance(600)
    fail(auth, "alice")
    for _ in range(10):  # hammering a throttled account does not keep it throttled
        assert auth.login("alice", "wrong password").status_code == 429
    clock.advance(301)  # the first four failures are out of the window, the fifth is not
    fail(auth, "alice", 4)
    assert auth.login("alice").status_code == 429
    clock.advance(900)
    assert auth.login("alice").status_code == 303


def test_a_successful_login_clears_the_username_throttle(auth, clock):
    auth.register("alice")
    auth.logout()
    fail(auth, "alice", 4)
    assert auth.login("alice").status_code == 303
    auth.logout()
    fail(auth, "alice", 4)
    assert auth.login("alice").status_code == 303


def test_login_is_throttled_per_client_address(auth, make_app, clock):
    app = make_app({"LOGIN_FAILURES_PER_ADDRESS": "3"})
    app.extensions["throttle"].clock = clock
    attacker, visitor = auth.another_browser(app), auth.another_browser(app)
    attacker.client.environ_base["REMOTE_ADDR"] = "10.0.0.66"
    visitor.register("alice")
    visitor.logout()
    for username in ("a", "b", "c"):
        fail(attacker, username)
    assert attacker.login("alice").status_code == 429
    assert visitor.login("alice").status_code == 303  # another address


def test_login_throttle_believes_x_forwarded_for_only_from_a_trusted_proxy(auth, make_app, clock):
    proxied = make_app({"LOGIN_FAILURES_PER_ADDRESS": "2", "TRUSTED_PROXIES": "127.0.0.1"})
    direct = make_app({"LOGIN_FAILURES_PER_ADDRESS": "2"})
    for app in (proxied, direct):
        app.extensions["throttle"].clock = clock
    behind_proxy = auth.another_browser(proxied)
    behind_proxy.register("alice")
    behind_proxy.logout()
    for address in ("10.0.0.1", "10.0.0.1"):
        behind_proxy.client.environ_base["HTTP_X_FORWARDED_FOR"] = address
        fail(behind_proxy, "someone")
    assert behind_proxy.login("alice").status_code == 429
    behind_proxy.client.environ_base["HTTP_X_FORWARDED_FOR"] = "10.0.0.2"
    assert behind_proxy.login("alice").status_code == 303
    behind_proxy.logout()
    # Without trusted proxies the header is the client's own claim: the peer is counted.
    spoofer = auth.another_browser(direct)
    for address in ("10.0.0.3", "10.0.0.4"):
        spoofer.client.environ_base["HTTP_X_FORWARDED_FOR"] = address
        fail(spoofer, "someone else")
    spoofer.client.environ_base["HTTP_X_FORWARDED_FOR"] = "10.0.0.5"
    assert spoofer.login("alice").status_code == 429


def test_old_throttle_rows_are_deleted(app, auth, clock):
    fail(auth, "alice", 3)
    clock.advance(timedelta(hours=2).total_seconds())
    fail(auth, "bob")
    with app.app_context():
        keys = db.session.scalars(select(ThrottleEvent.key).order_by(ThrottleEvent.kind)).all()
        assert sorted(keys) == ["127.0.0.1", "bob"]
        assert db.session.scalar(select(func.count()).select_from(ThrottleEvent)) == 2
