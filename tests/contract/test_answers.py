"""Contract: the project's name, as typed at generation, on the served home page (escaped)."""

from html.parser import HTMLParser

import pytest
from support.answers import HOSTILE
from support.browser import Browser

clause = pytest.mark.clause


class PageText(HTMLParser):
    """The text of a page as a browser shows it, and the tags its markup opens."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text, self.tags = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


@clause("§1 Routes", "the home page shows the project's name as typed, as text")
def test_the_home_page_shows_the_project_name_as_typed(deployment):
    page = Browser(deployment.url).get("/")
    assert page.status == 200, f"GET / answered {page.status}"
    parsed = PageText()
    parsed.feed(page.text)
    parsed.close()
    name = HOSTILE["project_name"]  # the deployments are baked with it (see conftest.py)
    assert name in "".join(parsed.text), f"{name!r} is not in the text of the home page"
    assert "b" not in parsed.tags, "the name's <b> reached the page as markup, not as text"
