from pyramid.authorization import Authenticated, Everyone

from {{ cookiecutter.project_slug }}.models import Note, User
from {{ cookiecutter.project_slug }}.routes import NoteResource, NotesResource
from {{ cookiecutter.project_slug }}.security import SecurityPolicy


def make_user(dbsession, username):
    user = User(username=username, email=f"{username}@example.com")
    user.set_password("long enough pw")
    dbsession.add(user)
    dbsession.flush()
    return user


def log_in(request, user):
    request.session["auth.userid"] = user.id


def test_identity_comes_from_the_session(dummy_request, dbsession):
    policy = SecurityPolicy()
    assert policy.identity(dummy_request) is None
    alice = make_user(dbsession, "alice")
    log_in(dummy_request, alice)
    policy = SecurityPolicy()
    assert policy.identity(dummy_request) is alice
    assert policy.principals(dummy_request) == [Everyone, Authenticated, f"u:{alice.id}"]


def test_only_the_owner_may_delete_a_note(dummy_request, dbsession):
    alice, bob = make_user(dbsession, "alice"), make_user(dbsession, "bob")
    note = Note(owner=alice, title="mine")
    dbsession.add(note)
    dbsession.flush()
    for user, allowed in [(alice, True), (bob, False)]:
        log_in(dummy_request, user)
        policy = SecurityPolicy()
        assert bool(policy.permits(dummy_request, NoteResource(note), "delete")) is allowed
        assert policy.permits(dummy_request, NotesResource(dummy_request), "add")


def test_anonymous_visitors_may_not_see_notes(dummy_request):
    policy = SecurityPolicy()
    assert not policy.permits(dummy_request, NotesResource(dummy_request), "view")
