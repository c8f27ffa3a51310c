"""A small browser over real HTTP: keeps cookies, reads forms, submits their hidden fields.

The contract fixes URLs and behaviour, not markup, so forms are found by their action and
fields by their kind: the register form has one text input (username), one e-mail input and
two password inputs (password, confirmation); the login form one text and one password input;
the note form one text input (title) and one textarea (body). Hidden inputs (CSRF tokens and
the like) are sent back as the page gave them.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import requests


@dataclass
class Field:
    tag: str
    type: str
    name: str
    value: str


@dataclass
class Form:
    action: str
    method: str
    fields: list = field(default_factory=list)

    def hidden(self):
        return {f.name: f.value for f in self.fields if f.type == "hidden" and f.name}

    def named(self, kind):
        """Names of the visible fields of one kind: text, email, password or textarea."""
        return [f.name for f in self.fields if f.type == kind and f.name]


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.links, self._form, self._textarea = [], [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._form = Form(attrs.get("action", ""), attrs.get("method", "get").lower())
            self.forms.append(self._form)
        elif tag == "a" and "href" in attrs:
            self.links.append(attrs["href"])
        elif self._form is not None and tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind not in {"submit", "button", "image", "reset"}:
                self._form.fields.append(Field("input", kind, attrs.get("name", ""),
                                               attrs.get("value", "")))
        elif self._form is not None and tag == "textarea":
            self._textarea = Field("textarea", "textarea", attrs.get("name", ""), "")
            self._form.fields.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None


class Page:
    def __init__(self, response):
        self.response = response
        self.status = response.status_code
        self.url = response.url
        self.text = response.text
        parser = _FormParser()
        parser.feed(self.text)
        self.forms, self.links = parser.forms, parser.links

    def form(self, action_path):
        """The form whose action (resolved against the page) has the path ``action_path``."""
        for form in self.forms:
            if urlsplit(urljoin(self.url, form.action)).path == action_path:
                return form
        actions = [form.action for form in self.forms]
        raise AssertionError(f"no form posting to {action_path} on {self.url} (forms: {actions})")

    def has_form(self, action_path):
        return any(urlsplit(urljoin(self.url, f.action)).path == action_path for f in self.forms)

    def link_paths(self):
        return {urlsplit(urljoin(self.url, href)).path for href in self.links}


class Browser:
    def __init__(self, base_url):
        self.base_url = base_url
        self.session = requests.Session()

    def url(self, path):
        return urljoin(self.base_url, path)

    def get(self, path, follow=True):
        return Page(self.session.get(self.url(path), allow_redirects=follow, timeout=30))

    def post(self, path, data, follow=False):
        return Page(self.session.post(self.url(path), data=data, allow_redirects=follow,
                                      timeout=60))

    def submit(self, page, action_path, values, follow=False):
        """Submit the form of ``page`` posting to ``action_path``, as a browser would."""
        form = page.form(action_path)
        data = {**form.hidden(), **values}
        target = urljoin(page.url, form.action) if form.action else page.url
        response = self.session.request(form.method.upper(), target, data=data,
                                        allow_redirects=follow, timeout=60)
        return Page(response)

    def cookies(self):
        return dict(self.session.cookies)
