"""The app's request class: form bodies must be UTF-8.

Werkzeug decodes a form leniently: in a URL-encoded body it keeps bytes that are not UTF-8 as
their ``%XX`` text, and in a multipart body it replaces them with U+FFFD. Either way the app
would store something other than what was sent; here such a form is a 400 instead
(docs/contract.md §3: a value the database can't store is refused, never changed).
"""

import io
from urllib.parse import parse_qsl

from flask import Request as FlaskRequest
from werkzeug.exceptions import BadRequest
from werkzeug.formparser import FormDataParser

FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


class Utf8FormDataParser(FormDataParser):
    def parse(self, stream, mimetype, content_length, options=None):
        if mimetype in FORM_TYPES:
            body = stream.read()
            try:
                text = body.decode()
                if mimetype == "application/x-www-form-urlencoded":
                    parse_qsl(text, keep_blank_values=True, errors="strict")
            except UnicodeDecodeError:
                raise BadRequest("The form's text is not UTF-8.") from None
            stream = io.BytesIO(body)
        return super().parse(stream, mimetype, content_length, options)


class Request(FlaskRequest):
    form_data_parser_class = Utf8FormDataParser
