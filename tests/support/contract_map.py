"""docs/contract.md sentence by sentence, and the list in docs/extending.md of the test that
checks each one (tests/test_contract_map.py keeps the two in step).

A sentence is one sentence of a paragraph or of a bullet of §1–§5 (§6 describes the suite
itself); in a table, each sentence of a row's cells, prefixed by the row's first cell
(`POST /notes`: ..., `SECRET_KEY`: ...).
"""

import re

from support.templates import ROOT

CONTRACT = ROOT / "docs" / "contract.md"
EXTENDING = ROOT / "docs" / "extending.md"
LIST_HEADING = "## Every sentence of the contract, and the test that checks it"
# A sentence ends at . ! or ? (and any closing ** ) " after it) before a space and a capital,
# a backtick, a quote or a parenthesis; "e.g." and "i.e." end nothing.
END = re.compile(r"(?<!e\.g)(?<!i\.e)([.!?](?:\*\*|\)|\")*)\s+(?=[A-Z`\"(*])")
TEST = re.compile(r"`(?P<file>[\w/]+\.py)::(?P<name>test_\w+)`")


SPANS = re.compile(r"`[^`]*`|\*\*.*?\*\*")  # code and bold: no sentence ends inside one
LABEL = re.compile(r"^\*\*[^*]+\.\*\*$")  # a paragraph's bold label (**Errors.**): no clause


def sentences(text):
    text = " ".join(text.split())
    masked = SPANS.sub(lambda m: m.group(0).replace(".", "\0").replace("?", "\1"), text)
    parts, start = [], 0
    for match in END.finditer(masked):
        parts.append(text[start : match.end(1)])
        start = match.end()
    parts.append(text[start:])
    return [part.strip() for part in parts if part.strip() and not LABEL.match(part.strip())]


def cells(row):
    """The cells of a Markdown table row (``\\|`` is a literal bar)."""
    inner = row.strip().strip("|")
    return [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", inner)]


def contract_sentences(text=None):
    """[(section, sentence)] of §1–§5 of the contract, in order."""
    text = CONTRACT.read_text() if text is None else text
    found, section, numbered, block = [], None, False, []

    def flush():
        if block and numbered:
            found.extend((section, sentence) for sentence in sentences(" ".join(block)))
        block.clear()

    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            flush()
            heading = stripped.lstrip("#").strip()
            match = re.match(r"(\d+[a-z]?)\.", heading)
            if stripped.startswith("## "):
                numbered = bool(match) and match.group(1)[0] in "12345"
            if match:
                section = f"§{match.group(1)}"
            continue
        if not stripped:
            flush()
        elif stripped.startswith("|"):
            flush()
            row = cells(stripped)
            if set("".join(row)) <= set("-: ") or row[0] in {"Route", "Variable"}:
                continue  # a header or separator row
            if numbered:
                found.extend(
                    (section, f"{row[0]}: {sentence}")
                    for sentence in sentences(" | ".join(row[1:]))
                )
        elif stripped.startswith("- "):
            flush()
            block.append(stripped[2:])
        else:
            block.append(stripped)
    flush()
    return found


def listed(text=None):
    """[(section, sentence, [test node names])] of the list in docs/extending.md."""
    text = EXTENDING.read_text() if text is None else text
    part = text.split(LIST_HEADING, 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in part.splitlines():
        if not line.startswith("| §"):
            continue
        section, sentence, tests = cells(line)
        if sentence == "Sentence":
            continue  # the header row
        rows.append(
            (
                section,
                sentence,
                [f"{m['file']}::{m['name']}" for m in TEST.finditer(tests)] if tests else [],
            )
        )
    return rows
