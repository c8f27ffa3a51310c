"""Mail, through pyramid_mailer: ``request.mailer.send(message)`` in a view.

``EMAIL_URL`` (``env.py`` reads it) picks the delivery: an SMTP server (``smtp://``,
``submission://`` with STARTTLS, ``smtps://`` with TLS) or, by default, the server's log
(``console://``), so a fresh project sends its mails somewhere you can read them.

``request.mailer.send`` is transactional: the message leaves when pyramid_tm commits the
request's transaction, and not at all when the request fails. A mail server that is down or
refuses the message must not turn a finished request into an error page, so every delivery goes
through :class:`LoggedDelivery`, which logs the failure instead of raising it (a failure raised
while the transaction commits would be a 500). repoze.sendmail's SMTP connection times out after
10 seconds, the most the contract allows; its TLS connections check the server's certificate.

The tests include ``pyramid_mailer.testing`` (testing.ini), whose ``DummyMailer`` keeps the
messages in its ``outbox``; ``includeme`` leaves a mailer that is already registered alone.
"""

import logging
import re
import smtplib
import ssl

from pyramid_mailer import get_mailer
from pyramid_mailer.interfaces import IMailer
from pyramid_mailer.mailer import Mailer
from repoze.sendmail.interfaces import IMailer as IDelivery
from repoze.sendmail.mailer import SMTPMailer
from zope.interface import implementer

log = logging.getLogger(__name__)
BARE_LF = re.compile(rb"(?<!\r)\n")


@implementer(IDelivery)
class ConsoleDelivery:
    """Writes each whole message to the log instead of sending it (``EMAIL_URL=console://``)."""

    def send(self, fromaddr, toaddrs, message):
        log.info(
            "Mail from %s to %s (EMAIL_URL is console://, so it was not sent):\n%s",
            fromaddr,
            ", ".join(toaddrs),
            message.as_string(),
        )


@implementer(IDelivery)
class LoggedDelivery:
    """Delivers through ``delivery``; a failure is logged, never raised."""

    def __init__(self, delivery):
        self.delivery = delivery

    def send(self, fromaddr, toaddrs, message):
        try:
            self.delivery.send(fromaddr, toaddrs, message)
        except (OSError, smtplib.SMTPException, RuntimeError) as error:
            log.error(
                "The mail to %s could not be sent: %s: %s",
                ", ".join(toaddrs),
                type(error).__name__,
                error,
            )


class StandardLineEnds:
    """SMTP that sends the message with CRLF line ends, as RFC 5321 wants: repoze.sendmail
    hands ``sendmail`` bytes with bare LFs, which smtplib passes on as they are, and a strict
    server reads the whole message as one line, too long to take."""

    def sendmail(self, from_addr, to_addrs, msg, *args, **kwargs):
        if isinstance(msg, bytes):
            msg = BARE_LF.sub(b"\r\n", msg)
        return super().sendmail(from_addr, to_addrs, msg, *args, **kwargs)


class VerifiedSMTP(StandardLineEnds, smtplib.SMTP):
    """``smtplib.SMTP`` whose STARTTLS checks the server's certificate and host name (without a
    context, smtplib accepts any certificate)."""

    def starttls(self, context=None):
        return super().starttls(context=context or ssl.create_default_context())


class VerifiedSMTPSSL(StandardLineEnds, smtplib.SMTP_SSL):
    """``smtplib.SMTP_SSL`` (``smtps://``)."""


def verified_smtp_ssl(host, port, timeout):
    """An ``smtps://`` connection that checks the server's certificate likewise."""
    return VerifiedSMTPSSL(host, port, timeout=timeout, context=ssl.create_default_context())


def delivery(email):
    """The delivery of ``email`` (an ``env.EmailSettings``)."""
    if email.backend == "console":
        return ConsoleDelivery()
    smtp = SMTPMailer(
        hostname=email.host,
        port=email.port,
        username=email.username or None,
        password=email.password or None,
        ssl=email.use_ssl,
        no_tls=not email.use_tls,  # smtp:// is plain, submission:// insists on STARTTLS
        force_tls=email.use_tls,
    )
    smtp.smtp, smtp.smtp_ssl = VerifiedSMTP, verified_smtp_ssl
    return smtp


def includeme(config):
    """Register the mailer of ``settings["email"]`` and ``request.mailer``, unless a mailer is
    registered already (``pyramid.includes = pyramid_mailer.testing`` in testing.ini)."""
    if config.registry.queryUtility(IMailer) is not None:
        return
    email = config.get_settings()["email"]
    mailer = Mailer(smtp_mailer=LoggedDelivery(delivery(email)), default_sender=email.sender)
    config.registry.registerUtility(mailer, IMailer)
    config.add_request_method(get_mailer, "mailer", reify=True)
