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

clause = pytest.mark.clause


@clause("§1 Routes", "POST /notes adds a note; GET /notes lists them newest first")
def test_add_and_list_own_notes_newest_first(deployment):
    browser, _ = registered(deployment.url)
    for title in ("first note", "second note", "third note"):
        assert_redirect(add_note(browser, title, f"body of the {title}"), "/notes")
    page = browser.get("/notes")
    assert page.status == 200, f"GET /notes answered {page.status}"
    positions = [page.text.find(title) for title in ("third note", "second note", "first note")]
    assert -1 not in positions, "GET /notes does not show every note added"
    assert positions == sorted(positions), "the notes are not listed newest first"
    assert "body of the second note" in page.text, "GET /notes does not show the notes' bodies"
    count = len(note_ids(page))
    assert count == 3, f"{count} delete forms (/notes/<id>/delete) for 3 notes"


@clause("§1 Routes", "a 200-character title and a 10 000-character body are accepted")
def test_the_limits_are_accepted(deployment):
    browser, _ = registered(deployment.url)
    assert_redirect(add_note(browser, "t" * 200, "b" * 10_000), "/notes")
    assert len(note_ids(browser.get("/notes"))) == 1, "the note at the limits was not stored"


@clause("§1 Routes", "an invalid note: the form again with a message, nothing stored")
@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("", "no title"),
        (" \t ", "a blank title"),
        ("t" * 201, "title too long"),
        ("body too long", "b" * 10_001),
    ],
)
def test_invalid_notes_are_refused_with_the_form_and_not_stored(deployment, title, body):
    browser, _ = registered(deployment.url)
    page = add_note(browser, title, body)
    what = f"a note titled {title[:10]!r} ({len(title)} characters), body of {len(body)}"
    assert page.status in FORM_STATUSES, (
        f"{what}: answered {page.status}, expected the form again (200/400/422)"
    )
    assert page.has_form("/notes"), f"{what}: the form is not shown again"
    assert note_ids(browser.get("/notes")) == [], f"{what}: it was stored"


@clause("§1 Routes", "GET /notes lists the current user's notes only")
def test_users_see_only_their_own_notes(deployment):
    alice, _ = registered(deployment.url, "alice")
    add_note(alice, "alice private note")
    bob, _ = registered(deployment.url, "bob")
    page = bob.get("/notes")
    assert "alice private note" not in page.text, "another user's note is listed"
    assert note_ids(page) == [], "a new user's /notes holds delete forms of notes"


@clause("§1 Routes", "POST /notes/<id>/delete: the owner only, anyone else gets 404")
def test_only_the_owner_can_delete_a_note(deployment):
    alice, _ = registered(deployment.url, "alice")
    add_note(alice, "alice keeps this")
    [alice_note] = note_ids(alice.get("/notes"))
    bob, _ = registered(deployment.url, "bob")
    add_note(bob, "bob's own note")
    bob_page = bob.get("/notes")
    page = bob.post(f"/notes/{alice_note}/delete", delete_form_hidden(bob_page))
    assert page.status == 404, f"deleting another user's note answered {page.status}, not 404"
    assert note_ids(alice.get("/notes")) == [alice_note], "another user deleted the note"
    alice_page = alice.get("/notes")
    page = alice.post(f"/notes/{alice_note}/delete", delete_form_hidden(alice_page))
    assert_redirect(page, "/notes")
    assert note_ids(alice.get("/notes")) == [], "the owner's delete left the note"


@clause("§1 Routes", "a delete form's CSRF token is the session's, not bound to its note")
def test_a_delete_forms_token_deletes_any_of_the_users_notes(deployment):
    browser, _ = registered(deployment.url)
    add_note(browser, "older")
    add_note(browser, "newer")
    page = browser.get("/notes")
    newer, older = note_ids(page)
    hidden = delete_form_hidden(page)  # the first delete form: the newer note's
    assert_redirect(browser.post(f"/notes/{older}/delete", hidden), "/notes")
    assert note_ids(browser.get("/notes")) == [newer], (
        "deleting a note with another note's delete-form token did not delete it"
    )


@clause("§3 Security", "templates auto-escape a note's text")
def test_note_text_is_escaped(deployment):
    browser, _ = registered(deployment.url)
    add_note(browser, '<script>alert("title")</script>', "<img src=x onerror=alert(1)>")
    page = browser.get("/notes")
    assert '<script>alert("title")</script>' not in page.text, "a note's title is not escaped"
    assert "<img src=x onerror=alert(1)>" not in page.text, "a note's body is not escaped"
    assert "&lt;script&gt;" in page.text, "the title is not shown as text (&lt;script&gt;)"


@clause("§2 Data", "ten parallel writers through two workers lose nothing")
def test_ten_parallel_writers_lose_nothing(deployment):
    writers = [registered(deployment.url, f"writer{n}") for n in range(10)]
    per_writer = 3

    def write(index):
        browser, _ = writers[index]
        return [add_note(browser, f"w{index} note {n}", "x").status for n in range(per_writer)]

    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = [status for result in pool.map(write, range(10)) for status in result]
    assert all(status in {302, 303} for status in statuses), (
        f"ten parallel writers got {sorted(set(statuses))}, expected redirects only"
    )
    for index, (browser, _) in enumerate(writers):
        page = browser.get("/notes")
        count = len(note_ids(page))
        assert count == per_writer, f"writer {index} has {count} notes of {per_writer} written"
        missing = [n for n in range(per_writer) if f"w{index} note {n}" not in page.text]
        assert not missing, f"writer {index}'s notes {missing} are missing"
