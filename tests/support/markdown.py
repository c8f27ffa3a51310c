"""Markdown rendered as GitHub renders a README (CommonMark with strikethrough and tables),
read back as its blocks: each tag the HTML opens, and the text inside it."""

from html.parser import HTMLParser

from markdown_it import MarkdownIt

_MARKDOWN = MarkdownIt("commonmark").enable(["strikethrough", "table"])


class Rendered(HTMLParser):
    def __init__(self, markdown):
        super().__init__(convert_charrefs=True)
        self.blocks, self.tags, self._open = [], [], 0
        self.feed(_MARKDOWN.render(markdown))
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.blocks.append("")
        self._open += 1

    def handle_endtag(self, tag):
        self._open -= 1

    def handle_data(self, data):
        if self._open:
            self.blocks[-1] += data
