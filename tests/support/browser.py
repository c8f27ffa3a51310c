"""A small browser over real HTTP: keeps cookies, reads forms, submits their hidden fields.

The contract fixes URLs and behaviour, not markup, so forms are found by their action and
fields by their kind: the register form has one text input (username), one e-mail input and
two password inputs (password, confirmation); the login form one text and one password input;
the note form one text input (title) and one textarea (body). Hidden inputs (CSRF tokens and
the like) are sent back as the page gave them. The page itself is read by webcutter/client.py's
:func:`~webcutter.client.read_page`, the one HTML reader of the repository (``webcutter compare``
fills forms with it too).
"""

import copy
import random
from urllib.parse import urljoin, urlsplit

import requests

from webcutter.client import Field, Form, read_page

__all__ = ["Browser", "Field", "Form", "Page", "random_address"]


class Page:
    def __init__(self, response):
        self.response = response
        self.status = response.status_code
        self.url = response.url
        self.text = response.text
        page = read_page(self.text)
        self.forms, self.links = page.forms, page.links
        self.inline_scripts = sum(1 for src in page.scripts if not src)
        self.stylesheets = page.stylesheets
        self.visible_text = page.visible_text

    def form(self, action_path):
        """The form whose action (resolved against the page) has the path ``action_path``."""
        for form in self.forms:
            if urlsplit(urljoin(self.url, form.action)).path == action_path:
                return form
        actions = [form.action for form in self.forms]
        raise AssertionError(f"no form posting to {action_path} on {self.url} (forms: {actions})")

    def has_form(self, action_path):
        return any(urlsplit(urljoin(self.url, f.action)).path == action_path for f in self.forms)

    def forms_with(self, kind, count):
        """The forms with exactly ``count`` visible fields of ``kind`` (say, two passwords)."""
        return [form for form in self.forms if len(form.named(kind)) == count]

    def password_inputs(self):
        return sum(len(form.named("password")) for form in self.forms)

    def link_paths(self):
        return {urlsplit(urljoin(self.url, href)).path for href in self.links}


def random_address():
    """A client address of the 10.0.0.0/8 network, one per simulated visitor."""
    return f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"


class Browser:
    """A visitor: cookies, forms, and an address of its own. The suite serves every app with
    ``TRUSTED_PROXIES=127.0.0.1``, so ``X-Forwarded-For`` gives each visitor its own address
    (sign-in throttling counts per address); ``address=None`` sends no header."""

    def __init__(self, base_url, address="random"):
        self.base_url = base_url
        self.session = requests.Session()
        self.address = random_address() if address == "random" else address
        if self.address:
            self.session.headers["X-Forwarded-For"] = self.address

    def url(self, path):
        return urljoin(self.base_url, path)

    def get(self, path, follow=True):
        return Page(self.session.get(self.url(path), allow_redirects=follow, timeout=30))

    def post(self, path, data, follow=False):
        return Page(
            self.session.post(self.url(path), data=data, allow_redirects=follow, timeout=60)
        )

    def submit(self, page, action_path, values, follow=False):
        """Submit the form of ``page`` posting to ``action_path``, as a browser would."""
        form = page.form(action_path)
        data = {**form.hidden(), **values}
        target = urljoin(page.url, form.action) if form.action else page.url
        response = self.session.request(
            form.method.upper(), target, data=data, allow_redirects=follow, timeout=60
        )
        return Page(response)

    def cookies(self):
        return dict(self.session.cookies)

    def copy(self, base_url=None):
        """Another visitor holding a copy of this one's cookies, as they are (domain and path
        kept, so a cookie the server sets again replaces the copy), from the same address;
        ``base_url``: the same host on another port (another web process; cookies are per
        host, not per port)."""
        other = Browser(base_url or self.base_url, self.address)
        other.session.cookies = copy.deepcopy(self.session.cookies)
        return other
