import pytest

from {{ cookiecutter.project_slug }} import create_app
from {{ cookiecutter.project_slug }}.config import database_uri, load_config


def test_testing_config(app):
    assert app.testing
    assert not create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"}).testing


def test_refuses_to_start_without_secret_key(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DEBUG", "false")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        load_config(tmp_path)
    monkeypatch.setenv("SECRET_KEY", "   ")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        load_config(tmp_path)


def test_debug_runs_with_a_throwaway_key(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DEBUG", "true")
    first, second = load_config(tmp_path), load_config(tmp_path)
    assert first["DEBUG"] is True
    assert len(first["SECRET_KEY"]) >= 32
    assert first["SECRET_KEY"] != second["SECRET_KEY"]


def test_cookie_settings_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "s")
    monkeypatch.delenv("SECURE_COOKIES", raising=False)
    config = load_config(tmp_path)
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"
    monkeypatch.setenv("SECURE_COOKIES", "false")
    assert load_config(tmp_path)["SESSION_COOKIE_SECURE"] is False
    monkeypatch.setenv("SECURE_COOKIES", " ")  # blank means the default, not false
    assert load_config(tmp_path)["SESSION_COOKIE_SECURE"] is True
    monkeypatch.setenv("SECURE_COOKIES", "perhaps")
    with pytest.raises(RuntimeError, match="SECURE_COOKIES"):
        load_config(tmp_path)


def test_secure_cookie_flags_on_the_session_cookie(migrated):
    app = create_app(
        {"SECRET_KEY": "s", "SQLALCHEMY_DATABASE_URI": migrated, "SESSION_COOKIE_SECURE": True}
    )
    cookie = app.test_client().get("/auth/login").headers["Set-Cookie"]
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://u:p@db/app", "postgresql+psycopg://u:p@db/app"),
        ("postgres://u:p@db/app", "postgresql+psycopg://u:p@db/app"),
        ("sqlite:////srv/app.sqlite3", "sqlite:////srv/app.sqlite3"),
    ],
)
def test_database_url(url, expected, tmp_path):
    assert database_uri(url, tmp_path) == expected


def test_default_database_is_a_sqlite_file_in_the_instance_folder(tmp_path):
    uri = database_uri("", tmp_path / "instance")
    assert uri == f"sqlite:///{tmp_path / 'instance' / '{{ cookiecutter.project_slug }}.sqlite3'}"
    assert (tmp_path / "instance").is_dir()
