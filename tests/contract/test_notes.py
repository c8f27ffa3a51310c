"""Contract: each user's notes."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from actions import (
    FORM_STATUSES,
    add_note,
    assert_redirect,
    delete_form_hidden,
    note_ids,
    registered,
)


def test_add_and_list_own_notes_newest_first(deployment):
    browser, _ = registered(deployment.url)
    for title in ("first note", "second note", "third note"):
        assert_redirect(add_note(browser, title, f"body of the {title}"), "/notes")
    page = browser.get("/notes")
    assert page.status == 200
    assert page.text.index("third note") < page.text.index("second note") < page.text.index(
        "first note")
    assert "body of the second note" in page.text
    assert len(note_ids(page)) == 3


def test_the_limits_are_accepted(deployment):
    browser, _ = registered(deployment.url)
    assert_redirect(add_note(browser, "t" * 200, "b" * 10_000), "/notes")
    assert len(note_ids(browser.get("/notes"))) == 1


@pytest.mark.parametrize(("title", "body"), [("", "no title"), ("t" * 201, "title too long"),
                                             ("body too long", "b" * 10_001)])
def test_invalid_notes_are_refused_with_the_form_and_not_stored(deployment, title, body):
    browser, _ = registered(deployment.url)
    page = add_note(browser, title, body)
    assert page.status in FORM_STATUSES
    assert page.has_form("/notes")
    assert note_ids(browser.get("/notes")) == []


def test_users_see_only_their_own_notes(deployment):
    alice, _ = registered(deployment.url, "alice")
    add_note(alice, "alice private note")
    bob, _ = registered(deployment.url, "bob")
    page = bob.get("/notes")
    assert "alice private note" not in page.text
    assert note_ids(page) == []


def test_only_the_owner_can_delete_a_note(deployment):
    alice, _ = registered(deployment.url, "alice")
    add_note(alice, "alice keeps this")
    [alice_note] = note_ids(alice.get("/notes"))
    bob, _ = registered(deployment.url, "bob")
    add_note(bob, "bob's own note")
    bob_page = bob.get("/notes")
    page = bob.post(f"/notes/{alice_note}/delete", delete_form_hidden(bob_page))
    assert page.status == 404
    assert note_ids(alice.get("/notes")) == [alice_note]
    alice_page = alice.get("/notes")
    page = alice.post(f"/notes/{alice_note}/delete", delete_form_hidden(alice_page))
    assert_redirect(page, "/notes")
    assert note_ids(alice.get("/notes")) == []


def test_note_text_is_escaped(deployment):
    browser, _ = registered(deployment.url)
    add_note(browser, '<script>alert("title")</script>', "<img src=x onerror=alert(1)>")
    page = browser.get("/notes")
    assert '<script>alert("title")</script>' not in page.text
    assert "<img src=x onerror=alert(1)>" not in page.text
    assert "&lt;script&gt;" in page.text


def test_ten_parallel_writers_lose_nothing(deployment):
    writers = [registered(deployment.url, f"writer{n}") for n in range(10)]
    per_writer = 3

    def write(index):
        browser, _ = writers[index]
        return [add_note(browser, f"w{index} note {n}", "x").status for n in range(per_writer)]

    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = [status for result in pool.map(write, range(10)) for status in result]
    assert all(status in {302, 303} for status in statuses), statuses
    for index, (browser, _) in enumerate(writers):
        page = browser.get("/notes")
        assert len(note_ids(page)) == per_writer
        assert all(f"w{index} note {n}" in page.text for n in range(per_writer))
