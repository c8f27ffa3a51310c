"""The CherryPy glue every page relies on: the per-request transaction and the session store."""

import json
from datetime import timedelta

import cherrypy
import pytest
import webtest
from sqlalchemy import func, insert, select, update

from {{ cookiecutter.project_slug }}.models import StoredSession, User
from {{ cookiecutter.project_slug }}.sessions import DatabaseSession

sessions = StoredSession.__table__


def user_count(db):
    return db.scalar(select(func.count()).select_from(User))


def add_ghost():
    cherrypy.request.db.add(User(username="ghost", email="ghost@example.com", password_hash="x"))
    cherrypy.request.db.flush()  # the row is written, in the request's transaction


@pytest.mark.parametrize(
    ("ending", "status", "kept"),
    [
        (lambda: "done", 200, 1),
        (lambda: cherrypy.HTTPRedirect("/", 303), 303, 1),
        (lambda: cherrypy.NotFound(), 404, 0),
        (lambda: RuntimeError("after the write"), 500, 0),
    ],
    ids=["return", "redirect", "http-error", "exception"],
)
def test_a_request_commits_on_success_and_rolls_back_on_error(
    app, client, db, ending, status, kept
):
    def handler():
        add_ghost()
        result = ending()
        if isinstance(result, BaseException):
            raise result
        return result

    app.root.write = cherrypy.expose(handler)
    assert client.get("/write", expect_errors=True).status_int == status
    assert user_count(db) == kept


def test_a_handler_raising_after_a_write_leaves_nothing(app, client, db):
    def handler():
        add_ghost()
        raise RuntimeError("something broke after the write")

    app.root.write = cherrypy.expose(handler)
    response = client.get("/write", expect_errors=True)
    assert response.status_int == 500
    assert "Traceback" not in response.text
    assert user_count(db) == 0


def stored(db):
    return db.execute(select(sessions)).all()


def test_sessions_are_stored_as_json(client, auth, db):
    auth.register("alice")
    [row] = stored(db)
    assert row.id == client.cookies["session_id"]
    data = json.loads(row.data)
    assert data["user_id"] == db.scalars(select(User.id)).one()


def test_an_anonymous_visit_stores_no_session(client, db):
    client.get("/")
    client.get("/notes")
    assert stored(db) == []


def test_a_second_process_serves_the_same_session_login(make_app, client, auth):
    auth.register("alice")
    second = webtest.TestApp(make_app())
    second.set_cookie("session_id", client.cookies["session_id"])
    assert "alice" in second.get("/notes").text


def test_sessions_know_their_user_so_all_of_them_can_end(client, auth, db):
    auth.register("alice")
    [row] = stored(db)
    assert row.user_id == db.scalars(select(User.id)).one()


def test_logout_deletes_the_stored_session(client, auth, db):
    auth.register("alice")
    logged_in = client.cookies["session_id"]
    auth.logout()
    assert client.cookies["session_id"] != logged_in
    assert stored(db) == []


def test_an_expired_session_is_logged_out_and_cleaned_up(app, client, auth, db):
    auth.register("alice")
    now = DatabaseSession.now(None)
    db.execute(update(sessions).values(expires_at=now - timedelta(minutes=1)))
    db.execute(insert(sessions).values(id="live", data="{}", expires_at=now + timedelta(days=1)))
    db.commit()
    assert client.get("/notes").status_int == 303
    DatabaseSession(database=app.config["services"]["database"]).clean_up()
    assert [row.id for row in stored(db)] == ["live"]


def test_an_ended_session_stays_ended_when_an_earlier_request_saves(app, client, auth, db):
    """A request that loaded the session before it ended (log-out in another tab, a password
    change elsewhere) must not write its row back when it finishes."""
    auth.register("alice")
    session_id = client.cookies["session_id"]
    in_flight = DatabaseSession(session_id, database=app.config["services"]["database"])
    assert in_flight["user_id"]  # loaded, with its row
    auth.logout()  # the row is deleted
    in_flight["late"] = True
    in_flight.save()
    assert stored(db) == []
