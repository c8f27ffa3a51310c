"""A real SMTP server for the contract suite (aiosmtpd), and what the apps sent to it.

One :class:`MailServer` per test process listens on 127.0.0.1 on a free port; every deployment's
``EMAIL_URL`` points at it. Messages are kept per recipient (case-folded), parsed with the
standard library, so a test asks "what did <address> receive?" and waits for it.
A ``refusing`` server answers every recipient with ``550``: a mail server that refuses mail.
"""

import email
import email.policy
import re
import threading
import time
from dataclasses import dataclass

from aiosmtpd.controller import Controller

from webcutter.runtime import HOST, free_port

LINK = re.compile(r"https?://[^\s<>\"')\]]+")


@dataclass
class Mail:
    sender: str
    recipients: list
    message: email.message.EmailMessage

    @property
    def text(self):
        """The plain-text body (the message must have one)."""
        part = self.message.get_body(preferencelist=("plain",))
        kind = self.message.get_content_type()
        assert part is not None, f"the mail has no text/plain part: {kind}"
        return part.get_content()

    def links(self):
        return LINK.findall(self.text)


class _Handler:
    def __init__(self, server):
        self.server = server

    async def handle_RCPT(self, smtp, session, envelope, address, rcpt_options):
        if self.server.refusing:
            return "550 5.7.1 This server refuses all mail"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, smtp, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.server.store(Mail(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


class MailServer:
    def __init__(self, refusing=False):
        self.refusing = refusing
        self.port = free_port()
        self._mails = []
        self._lock = threading.Condition()
        self._controller = Controller(_Handler(self), hostname=HOST, port=self.port)

    @property
    def url(self):
        return f"smtp://{HOST}:{self.port}"

    def start(self):
        self._controller.start()
        return self

    def stop(self):
        self._controller.stop()

    def store(self, mail):
        with self._lock:
            self._mails.append(mail)
            self._lock.notify_all()

    def received(self, address):
        """Every mail delivered to ``address`` so far (any case)."""
        wanted = address.casefold()
        with self._lock:
            return [
                mail
                for mail in self._mails
                if wanted in (rcpt.casefold() for rcpt in mail.recipients)
            ]

    def wait_for(self, address, count=1, timeout=15.0):
        """The mails to ``address`` once there are ``count`` of them; fails after ``timeout``."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                mails = self.received(address)
                if len(mails) >= count:
                    return mails
                left = deadline - time.monotonic()
                assert left > 0, (
                    f"{address} received {len(mails)} mail(s) within {timeout}s, expected {count}"
                )
                self._lock.wait(left)

    def assert_none_for(self, address, grace=1.5):
        """No mail reaches ``address`` (waiting ``grace`` seconds for a late one)."""
        time.sleep(grace)
        mails = self.received(address)
        assert not mails, f"{address} received {len(mails)} mail(s), expected none"
