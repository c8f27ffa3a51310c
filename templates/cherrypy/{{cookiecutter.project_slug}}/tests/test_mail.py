"""Mail: EMAIL_URL chooses the mailer; a real SMTP server gets the reset mail; failures are
logged and never change the page."""

import logging
import socket

import pytest
import webtest
from aiosmtpd.controller import Controller
from conftest import PASSWORD, location, submit

from {{ cookiecutter.project_slug }} import env, mail


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Received:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted"


@pytest.fixture()
def smtp_server():
    handler = Received()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, handler
    controller.stop()


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        (None, mail.ConsoleMailer),
        ("console://", mail.ConsoleMailer),
        ("smtp://mail.example.com", mail.SMTPMailer),
        ("submission://mail.example.com", mail.SMTPMailer),
    ],
)
def test_mail_backend_comes_from_email_url(url, kind):
    settings = env.email({} if url is None else {"EMAIL_URL": url})
    assert isinstance(mail.mailer_for(settings), kind)


def reset_through(app, email):
    """Register ``email`` on ``app``, then ask for a reset link as that visitor."""
    client = webtest.TestApp(app)
    fields = {"username": "alice", "email": email, "password": PASSWORD}
    submit(client, "/auth/register", **fields, password_confirm=PASSWORD)
    return submit(client, "/auth/password-reset", email=email)


def test_reset_mail_reaches_a_real_smtp_server(smtp_server, make_app):
    controller, received = smtp_server
    settings = env.email(
        {"EMAIL_URL": f"smtp://127.0.0.1:{controller.port}", "EMAIL_FROM": "notes@example.com"}
    )
    app = make_app(mailer=mail.mailer_for(settings), email=settings)
    response = reset_through(app, "alice@example.com")
    assert location(response) == "/auth/password-reset"
    [envelope] = received.envelopes
    assert envelope.mail_from == "notes@example.com"
    assert envelope.rcpt_tos == ["alice@example.com"]
    text = envelope.content.decode()
    assert "Subject: Set a new password for" in text
    assert "/auth/password-reset/" in text


def test_a_dead_mail_server_gives_the_same_page_and_is_logged(make_app, caplog):
    settings = env.email({"EMAIL_URL": f"smtp://127.0.0.1:{free_port()}"})  # nothing listens
    app = make_app(mailer=mail.mailer_for(settings), email=settings)
    with caplog.at_level(logging.ERROR):
        response = reset_through(app, "alice@example.com")
    assert response.status_int == 303
    assert location(response) == "/auth/password-reset"
    assert "could not be sent" in caplog.text
    assert "Connection refused" in caplog.text or "Errno" in caplog.text


def test_the_console_mailer_logs_the_whole_message(caplog):
    with caplog.at_level(logging.INFO):
        assert mail.send_mail(
            mail.ConsoleMailer(),
            "from@example.com",
            "to@example.com",
            "Hello",
            "The body, whole.\n",
        )
    assert "To: to@example.com" in caplog.text
    assert "Subject: Hello" in caplog.text
    assert "The body, whole." in caplog.text
