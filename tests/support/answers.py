"""Answers a person may type that are hard on every syntax they reach, and answers the
pre-generation hook refuses.

``HOSTILE`` holds quotes, apostrophes, backslashes, braces and Jinja-looking text, HTML,
Markdown and ini syntax, non-ASCII text and emoji; ``LONGEST`` is as long as each question
takes (200 characters; an e-mail address 254), with wide characters and escapes in it.
"""

HOSTILE = {
    "project_name": 'Zoë\'s "Notes" \\ {braces} {{ not jinja }} {% raw %} </title><b>bold</b>'
    " & 100% #1 *star* _under_ `tick` ~~no~~ [link](x) 🎉",
    "description": 'A "quoted" line, a backslash \\ and ünïcode ✓ — 50% off, #hash, {{ x }},'
    " <script>alert(1)</script> &amp; 'single' 👩‍💻",
    "author_name": 'Seán O\'Brien "Z" \\ <b>',
    "author_email": "sean.o'brien+notes@example.com",
}


def _exactly(text, length):
    return (text * (length // len(text) + 1))[:length]


LONGEST = {
    "project_name": _exactly("Ünïcode 项目 🎉 \\ 'q' \"d\" % # ", 200),
    "description": _exactly('一个很长的描述 "quoted" \\ ', 200),
    "author_name": _exactly("Seán O'Brien-Ó Súilleabháin ", 200),
    "author_email": "a" * 64 + "@" + "b" * 180 + ".example.com"[: 254 - 64 - 1 - 180],
}

# Each kind of answer the pre-generation hook refuses: (answers, what its one line says).
ONE_LINE = ": an answer is one line of text"
REFUSED = {
    "newline": (
        {"project_name": "Two\nlines"},
        "project_name contains a control character (U+000A)" + ONE_LINE,
    ),
    "tab": (
        {"description": "a\ttab"},
        "description contains a control character (U+0009)" + ONE_LINE,
    ),
    "nul": (
        {"author_name": "nul\x00"},
        "author_name contains a control character (U+0000)" + ONE_LINE,
    ),
    "line-separator": (
        {"project_name": "line\u2028separator"},
        "project_name contains a line separator (U+2028)" + ONE_LINE,
    ),
    "long-name": ({"project_name": "n" * 201}, "project_name is 201 characters long: at most 200"),
    "long-description": (
        {"description": "d" * 201},
        "description is 201 characters long: at most 200",
    ),
    "long-author": ({"author_name": "a" * 201}, "author_name is 201 characters long: at most 200"),
    "long-email": (
        {"author_email": "e" * 243 + "@example.com"},
        "author_email is 255 characters long: at most 254",
    ),
    "empty-name": ({"project_name": "  "}, "project_name is empty"),
}
