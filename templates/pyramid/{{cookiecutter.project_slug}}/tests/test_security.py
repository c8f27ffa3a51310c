from pyramid.authorization import Authenticated, Everyone

from {{ cookiecutter.project_slug }}.models import Note, User
from {{ cookiecutter.project_slug }}.routes import NoteResource, NotesResource
from {{ cookiecutter.project_slug }}.security import LOGIN_TOKEN, SecurityPolicy


def make_user(dbsession, username):
    user = User(username=username, email=f"{username}@example.com")
    user.set_password("long enough pw")
    dbsession.add(user)
    dbsession.flush()
    return user


def policy_for(app):
    return SecurityPolicy(app.registry["logins"])


def log_in(app, request, user):
    request.session[LOGIN_TOKEN] = app.registry["logins"].start(request.dbsession, user.id)


def test_identity_comes_from_a_live_sign_in_record(app, dummy_request, dbsession):
    assert policy_for(app).identity(dummy_request) is None
    alice = make_user(dbsession, "alice")
    log_in(app, dummy_request, alice)
    policy = policy_for(app)
    assert policy.identity(dummy_request) is alice
    assert policy.principals(dummy_request) == [Everyone, Authenticated, f"u:{alice.id}"]
    app.registry["logins"].end_all(dbsession, alice.id)
    assert policy_for(app).identity(dummy_request) is None  # the session still holds the token


def test_a_forged_session_token_is_anonymous(app, dummy_request):
    for token in ["forged", "", 42, None, ["list"]]:
        dummy_request.session[LOGIN_TOKEN] = token
        assert policy_for(app).identity(dummy_request) is None


def test_only_the_owner_may_delete_a_note(app, dummy_request, dbsession):
    alice, bob = make_user(dbsession, "alice"), make_user(dbsession, "bob")
    note = Note(owner=alice, title="mine")
    dbsession.add(note)
    dbsession.flush()
    for user, allowed in [(alice, True), (bob, False)]:
        log_in(app, dummy_request, user)
        policy = policy_for(app)
        assert bool(policy.permits(dummy_request, NoteResource(note), "delete")) is allowed
        assert policy.permits(dummy_request, NotesResource(dummy_request), "add")


def test_anonymous_visitors_may_not_see_notes(app, dummy_request):
    assert not policy_for(app).permits(dummy_request, NotesResource(dummy_request), "view")
