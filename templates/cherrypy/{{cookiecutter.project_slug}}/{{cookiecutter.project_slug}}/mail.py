"""Sending mail, on the standard library (CherryPy has no mail library of its own).

``EMAIL_URL`` chooses the mailer (``env.email()`` reads it): ``SMTPMailer`` for ``smtp://``,
``submission://`` (STARTTLS) and ``smtps://`` (implicit TLS), ``ConsoleMailer`` for
``console://`` (the default: the whole message goes to the server's log), and the tests use an
``Outbox``. ``send_mail`` never lets a mail break a page: a server that is down or refuses the
message is logged, and the caller answers as if it had gone.
"""

import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

import cherrypy


class SMTPMailer:
    """Delivery to an SMTP server, as ``env.EmailSettings`` describe it (at most 10 s)."""

    def __init__(self, settings):
        self.settings = settings

    def send(self, message):
        settings = self.settings
        context = ssl.create_default_context()
        if settings.use_ssl:
            server = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=settings.timeout, context=context
            )
        else:
            server = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        with server:
            if settings.use_tls:
                server.starttls(context=context)
            if settings.username:
                server.login(settings.username, settings.password)
            server.send_message(message)


class ConsoleMailer:
    """``console://``: each message is written, whole, to the server's log instead of sent."""

    def send(self, message):
        cherrypy.log(f"console:// mail, not sent:\n{message.as_string()}", "MAIL")


class Outbox:
    """Keeps the messages in ``messages``: the project's tests read what would have been sent."""

    def __init__(self):
        self.messages = []

    def send(self, message):
        self.messages.append(message)


def mailer_for(settings):
    """The mailer for ``env.EmailSettings``."""
    return SMTPMailer(settings) if settings.backend == "smtp" else ConsoleMailer()


def send_mail(mailer, sender, to, subject, body):
    """Send a plain-text mail; True when it went. A failure is logged with its reason, never
    raised: the page that sends it looks the same either way."""
    message = EmailMessage()
    try:
        message["From"] = sender
        message["To"] = to
        message["Subject"] = subject
        message["Date"] = formatdate(localtime=False)
        domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
        message["Message-ID"] = make_msgid(domain=domain)
        # Not quoted-printable: a link must stay whole on its line, as a reader's eye sees it.
        message.set_content(body, cte="7bit" if body.isascii() else "8bit")
        mailer.send(message)
    except Exception as error:  # a mail must never turn a page into a 500
        cherrypy.log(
            f"The mail to {to!r} could not be sent: {error!r}", "MAIL", severity=logging.ERROR
        )
        return False
    return True
