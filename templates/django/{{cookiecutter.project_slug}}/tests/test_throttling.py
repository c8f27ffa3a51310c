"""Sign-in throttling: counted in the database per folded username and per client address, on
every sign-in form (this site's and the admin's)."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from accounts.models import ThrottleEvent

pytestmark = pytest.mark.django_db
User = get_user_model()
TOO_MANY = "Too many failed sign-in attempts. Try again in a few minutes."


def fail(auth, times, username="alice", path="/auth/login"):
    for _ in range(times):
        response = auth.login(username, "wrong password", path=path)
        assert response.status_code == 200, response.status_code


def test_login_is_throttled_per_username_even_with_the_right_password(auth, alice, clock):
    fail(auth, 5, username="ALICE")  # counted under the folded username
    response = auth.login("alice")
    assert response.status_code == 429
    page = response.content.decode()
    assert TOO_MANY in page
    assert 'action="/auth/login"' in page
    assert auth.client.get("/notes").status_code == 302


def test_throttled_attempts_are_not_counted_and_the_window_slides(auth, alice, clock):
    fail(auth, 4)
    clock.advance(seconds=600)
    fail(auth, 1)
    for _ in range(10):
        assert auth.login("alice").status_code == 429
    assert ThrottleEvent.objects.filter(kind="username").count() == 5
    clock.advance(seconds=301)  # the first four failures are out of the window: one is left
    assert auth.login("alice").status_code == 302


def test_a_successful_login_clears_the_username_count_but_not_the_address(auth, alice, clock):
    fail(auth, 4)
    assert auth.login("alice").status_code == 302
    auth.logout()
    fail(auth, 4)
    assert auth.login("alice").status_code == 302
    assert ThrottleEvent.objects.filter(kind="username").count() == 0
    assert ThrottleEvent.objects.filter(kind="address", key="127.0.0.1").count() == 8


def test_login_is_throttled_per_client_address(auth, alice, clock, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 6
    for number in range(6):
        fail(auth, 1, username=f"someone{number}")
    assert auth.login("alice").status_code == 429
    elsewhere = Client(REMOTE_ADDR="192.0.2.7")
    response = elsewhere.post("/auth/login", {"username": "alice", "password": auth.password})
    assert response.status_code == 302


def test_the_client_address_behind_a_trusted_proxy_is_throttled(auth, alice, clock, settings):
    settings.TRUSTED_PROXIES = frozenset({"127.0.0.1"})
    settings.LOGIN_FAILURES_PER_ADDRESS = 2
    visitor = Client(enforce_csrf_checks=False, headers={"x-forwarded-for": "198.51.100.9"})
    for _ in range(2):
        visitor.post("/auth/login", {"username": "x", "password": "wrong password"})
    assert ThrottleEvent.objects.filter(kind="address", key="198.51.100.9").count() == 2
    refused = visitor.post("/auth/login", {"username": "alice", "password": auth.password})
    assert refused.status_code == 429
    other = Client(headers={"x-forwarded-for": "198.51.100.10"})
    assert (
        other.post("/auth/login", {"username": "alice", "password": auth.password}).status_code
        == 302
    )


def test_the_admin_login_is_throttled_the_same_way(auth, clock, django_user_model):
    django_user_model.objects.create_superuser("root", "root@example.com", "a long password")
    fail(auth, 3, username="root", path="/admin/login/")
    fail(auth, 2, username="ROOT")  # both forms count together
    response = auth.login("root", "a long password", path="/admin/login/")
    assert response.status_code == 429
    assert TOO_MANY in response.content.decode()
    assert auth.client.get("/admin/").status_code == 302
    clock.advance(seconds=901)
    assert (
        auth.login("root", "a long password", path="/admin/login/?next=/admin/").status_code == 302
    )
    assert auth.client.get("/admin/").status_code == 200


def test_old_throttle_events_are_deleted(auth, alice, clock):
    fail(auth, 3)
    clock.advance(hours=2)
    fail(auth, 1, username="bob")
    assert set(ThrottleEvent.objects.values_list("key", flat=True)) == {"bob", "127.0.0.1"}
