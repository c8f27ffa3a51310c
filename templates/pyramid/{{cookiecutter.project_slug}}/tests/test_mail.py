import configparser
import email as email_message
import logging
import smtplib
import socket
import ssl
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from pyramid_mailer.mailer import Mailer
from pyramid_mailer.message import Message

from {{ cookiecutter.project_slug }}.env import EmailSettings, email
from {{ cookiecutter.project_slug }}.mail import (
    ConsoleDelivery,
    LoggedDelivery,
    VerifiedSMTP,
    delivery,
    verified_smtp_ssl,
)


def message(body="Hi!"):
    return Message(
        subject="Hello", sender="site@example.com", recipients=["you@example.com"], body=body
    )


def test_mail_goes_to_the_log_by_default(caplog):
    mailer = Mailer(smtp_mailer=LoggedDelivery(delivery(email({}))))
    with caplog.at_level(logging.INFO, logger="{{ cookiecutter.project_slug }}.mail"):
        mailer.send_immediately(message())
    (record,) = caplog.records
    assert "you@example.com" in record.getMessage()
    assert "Subject: Hello" in record.getMessage()
    assert "Hi!" in record.getMessage()
    assert isinstance(delivery(email({})), ConsoleDelivery)


@pytest.mark.parametrize(
    ("url", "ssl", "no_tls", "force_tls", "port"),
    [
        ("smtp://mail.example.com", False, True, False, 25),
        ("submission://mail.example.com", False, False, True, 587),
        ("smtps://mail.example.com", True, True, False, 465),
        ("smtp://localhost:1025", False, True, False, 1025),
    ],
)
def test_email_url_selects_the_smtp_connection(url, ssl, no_tls, force_tls, port):
    smtp = delivery(email({"EMAIL_URL": url}))
    assert (smtp.ssl, smtp.no_tls, smtp.force_tls, smtp.port) == (ssl, no_tls, force_tls, port)


def test_tls_connections_check_the_certificate(monkeypatch):
    contexts = []
    monkeypatch.setattr(
        smtplib.SMTP, "starttls", lambda self, context=None: contexts.append(context)
    )
    VerifiedSMTP.starttls(object.__new__(VerifiedSMTP))
    monkeypatch.setattr(
        smtplib.SMTP_SSL, "__init__", lambda self, *args, context, **kw: contexts.append(context)
    )
    verified_smtp_ssl("mail.example.com", 465, timeout=10)
    assert len(contexts) == 2
    assert all(c.check_hostname and c.verify_mode == ssl.CERT_REQUIRED for c in contexts)
    smtp = delivery(email({"EMAIL_URL": "smtps://mail.example.com"}))
    assert (smtp.smtp, smtp.smtp_ssl) == (VerifiedSMTP, verified_smtp_ssl)


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_dead_mail_server_is_logged_not_raised(caplog):
    """A transactional send happens when the transaction commits: a failure there would be a
    500 for a request that already did its work."""
    settings = EmailSettings(backend="smtp", host="127.0.0.1", port=closed_port())
    mailer = Mailer(smtp_mailer=LoggedDelivery(delivery(settings)))
    with caplog.at_level(logging.ERROR, logger="{{ cookiecutter.project_slug }}.mail"):
        mailer.send_immediately(message())
    (record,) = caplog.records
    assert "could not be sent" in record.getMessage()
    assert "ConnectionRefusedError" in record.getMessage()


def test_a_server_that_never_answers_times_out_after_at_most_ten_seconds(monkeypatch):
    """repoze.sendmail opens its SMTP connections with a 10 s timeout (checked, not waited for:
    the connection is made to a listening socket that never speaks)."""
    timeouts = []
    real_smtp = smtplib.SMTP

    class RecordingSMTP(real_smtp):
        def __init__(self, host, port, timeout):
            timeouts.append(timeout)
            super().__init__(host, port, timeout=0.01)  # the test need not wait 10 s

    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        settings = EmailSettings(backend="smtp", host="127.0.0.1", port=silent.getsockname()[1])
        smtp = delivery(settings)
        monkeypatch.setattr(smtp, "smtp", RecordingSMTP)
        LoggedDelivery(smtp).send("a@example.com", ["b@example.com"], message().to_message())
    assert timeouts and all(0 < timeout <= 10 for timeout in timeouts)


def test_a_real_smtp_server_receives_the_mail():
    """aiosmtpd, a real SMTP server, on a free port of this machine."""
    handler = Sink()
    server = Controller(handler, hostname="127.0.0.1", port=closed_port())
    server.start()
    try:
        settings = email({"EMAIL_URL": f"smtp://127.0.0.1:{server.port}"})
        # Over 1000 bytes in all: sent with bare LFs, the server would read one line too long.
        body = "\n".join(f"Line {number} of a longer mail." for number in range(100))
        Mailer(smtp_mailer=LoggedDelivery(delivery(settings))).send_immediately(message(body))
    finally:
        server.stop()
    (envelope,) = handler.envelopes
    text = email_message.message_from_bytes(envelope.content).get_payload(decode=True)
    assert text.decode().splitlines() == body.splitlines()
    assert envelope.mail_from == "site@example.com"
    assert envelope.rcpt_tos == ["you@example.com"]
    assert b"Subject: Hello" in envelope.content


class Sink:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 OK"


def test_production_ini_shows_console_mails_in_the_log():
    ini = configparser.RawConfigParser()
    ini.read(Path(__file__).resolve().parent.parent / "production.ini")
    assert ini["logger_mail"]["qualname"] == ConsoleDelivery.__module__
    assert ini["logger_mail"]["level"] == "INFO"
