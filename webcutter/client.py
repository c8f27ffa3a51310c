"""A small HTTP/1.1 client over the standard library, fast enough to generate load.

One :class:`Client` per thread keeps one connection alive while the server allows it, a
:class:`CookieJar` holds the cookies a visitor was given, and :func:`read_page` reads a page the
way the contract suite does (tests/support/browser.py uses it): forms by action, their fields by
kind, links, scripts and the visible text.
"""

import http.client
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import CookieError, SimpleCookie
from urllib.parse import urlencode, urljoin, urlsplit


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")

    def location_path(self):
        location = self.headers.get("Location", "")
        return urlsplit(location).path if location else None


class Client:
    """Requests to one server (``host``:``port``), reusing the connection when it stays open."""

    def __init__(self, host, port, timeout=30):
        self.host, self.port, self.timeout = host, port, timeout
        self.connection = None

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if isinstance(body, dict):
            body = urlencode(body).encode()
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        reused = self.connection is not None
        if not reused:
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            self.connection.request(method, path, body=body, headers=headers)
            raw = self.connection.getresponse()
            data = raw.read()
        except (http.client.HTTPException, OSError):
            self.close()
            if reused:  # the server closed a kept-alive connection: once more on a new one
                return self.request(method, path, body, headers)
            raise
        if raw.will_close:
            self.close()
        return Response(raw.status, raw.msg, data)


class CookieJar:
    """The cookies of one visitor of one host (names and values; attributes are ignored)."""

    def __init__(self):
        self.values = {}

    def update(self, response):
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            try:
                cookie.load(header)
            except CookieError:
                continue
            for name, morsel in cookie.items():
                expired = morsel["max-age"] == "0" or "1970" in morsel["expires"]
                if expired or morsel.value == "":
                    self.values.pop(name, None)
                else:
                    self.values[name] = morsel.value

    def header(self):
        return (
            {"Cookie": "; ".join(f"{k}={v}" for k, v in self.values.items())} if self.values else {}
        )


# Tags whose text a reader never sees.
INVISIBLE = {"script", "style", "head", "title", "template"}
NOT_FIELDS = {"submit", "button", "image", "reset"}


@dataclass
class Field:
    tag: str  # input or textarea
    type: str  # the input's type (text when none is given), or "textarea"
    name: str
    value: str


@dataclass
class Form:
    action: str
    method: str
    fields: list = field(default_factory=list)  # Field, in page order

    def hidden(self):
        return {f.name: f.value for f in self.fields if f.type == "hidden" and f.name}

    def named(self, kind):
        """Names of the fields of one kind: text, email, password, textarea, hidden..."""
        return [f.name for f in self.fields if f.type == kind and f.name]


class PageReader(HTMLParser):
    """What a page holds, read the way a browser (and the contract suite) reads it: its forms
    with their fields (buttons are not fields), its links, the stylesheets it links, its
    ``<script>`` elements (``src`` or None when inline) and the text a reader sees."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.links, self.scripts, self.stylesheets = [], [], [], []
        self.text, self._form, self._textarea, self._hidden = [], None, None, []

    def handle_starttag(self, tag, attrs):
        attrs = {key: value or "" for key, value in attrs}
        if tag in INVISIBLE:
            self._hidden.append(tag)
        if tag == "script":
            self.scripts.append(attrs.get("src") or None)
        elif tag == "link" and "stylesheet" in attrs.get("rel", "").lower().split():
            self.stylesheets.append(attrs.get("href", ""))
        if tag == "form":
            self._form = Form(attrs.get("action", ""), attrs.get("method", "get").lower())
            self.forms.append(self._form)
        elif tag == "a" and "href" in attrs:
            self.links.append(attrs["href"])
        elif self._form is not None and tag == "input":
            kind = attrs.get("type", "text").lower() or "text"
            if kind not in NOT_FIELDS:
                self._form.fields.append(
                    Field("input", kind, attrs.get("name", ""), attrs.get("value", ""))
                )
        elif self._form is not None and tag == "textarea":
            self._textarea = Field("textarea", "textarea", attrs.get("name", ""), "")
            self._form.fields.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data
        elif not self._hidden:
            self.text.append(data)

    def handle_endtag(self, tag):
        if self._hidden and tag == self._hidden[-1]:
            self._hidden.pop()
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None

    @property
    def visible_text(self):
        return " ".join(" ".join(self.text).split())


def read_page(html):
    reader = PageReader()
    reader.feed(html)
    reader.close()
    return reader


def forms(html):
    return read_page(html).forms


def form_posting_to(html, page_path, action_path):
    """The form of a page (at ``page_path``) whose action resolves to ``action_path``."""
    for candidate in forms(html):
        target = urlsplit(urljoin(f"http://host{page_path}", candidate.action)).path
        if target == action_path:
            return candidate
    return None


class Visitor:
    """A browser-like visitor: one client, its cookies, form submission by field kind."""

    def __init__(self, host, port):
        self.client = Client(host, port)
        self.cookies = CookieJar()

    def request(self, method, path, body=None):
        response = self.client.request(method, path, body, self.cookies.header())
        self.cookies.update(response)
        return response

    def get(self, path):
        return self.request("GET", path)

    def submit(self, page_path, action_path, values):
        """GET ``page_path``, fill its form posting to ``action_path`` (hidden fields as given,
        visible ones from ``values``: kind -> list of values) and POST it."""
        page = self.get(page_path)
        form = form_posting_to(page.text, page_path, action_path)
        if form is None:
            raise RuntimeError(
                f"no form posting to {action_path} on {page_path} (status {page.status})"
            )
        data = form.hidden()
        for kind, given in values.items():
            names = form.named(kind)
            if len(names) != len(given):
                raise RuntimeError(
                    f"the form on {page_path} has {len(names)} {kind} fields, expected {len(given)}"
                )
            data.update(zip(names, given, strict=True))
        return self.request("POST", action_path, data)
