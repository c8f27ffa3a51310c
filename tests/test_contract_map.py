"""docs/extending.md lists every sentence of docs/contract.md with the tests that check it: the
list, the contract and the tests stay in step (see tests/support/contract_map.py)."""

import ast

import pytest
from support.contract_map import cells, contract_sentences, listed, sentences
from support.templates import ROOT

CONTRACT_TESTS = ROOT / "tests" / "contract"


def defined_tests():
    """{"tests/...py::test_name"} of every test function of the repository's suite."""
    found = set()
    for path in (ROOT / "tests").rglob("test_*.py"):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                found.add(f"{path.relative_to(ROOT)}::{node.name}")
    return found


def test_every_sentence_of_the_contract_is_listed_with_its_tests():
    contract = contract_sentences()
    rows = listed()
    listed_sentences = [(section, sentence) for section, sentence, _ in rows]
    missing = [
        f"{section}: {sentence}"
        for section, sentence in contract
        if (section, sentence) not in listed_sentences
    ]
    stale = [
        f"{section}: {sentence}"
        for section, sentence in listed_sentences
        if (section, sentence) not in contract
    ]
    assert not missing, (
        "sentences of docs/contract.md missing from the list in docs/extending.md:\n"
        + "\n".join(missing)
    )
    assert not stale, (
        "sentences listed in docs/extending.md that docs/contract.md no longer has:\n"
        + "\n".join(stale)
    )
    unchecked = [sentence for _, sentence, tests in rows if not tests]
    assert not unchecked, (
        "sentences no test checks (check them, or take them out of the contract):\n"
        + "\n".join(unchecked)
    )


def test_every_test_the_list_names_exists():
    existing = defined_tests()
    named = {test for _, _, tests in listed() for test in tests}
    gone = sorted(named - existing)
    assert not gone, f"docs/extending.md names tests that do not exist (renamed?): {gone}"


def test_every_contract_test_checks_a_listed_sentence():
    named = {test for _, _, tests in listed() for test in tests}
    contract_tests = {test for test in defined_tests() if test.startswith("tests/contract/")}
    unlisted = sorted(contract_tests - named)
    assert not unlisted, (
        f"contract tests that no sentence of docs/extending.md's list names: {unlisted}"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two (2). Three, e.g. four.", ["One.", "Two (2).", "Three, e.g. four."]),
        (
            'With **"Stop. Go."** inside. `a. B` too.',
            ['With **"Stop. Go."** inside.', "`a. B` too."],
        ),
        ("A `Location` stays. **Bold.** Next", ["A `Location` stays.", "**Bold.** Next"]),
    ],
)
def test_sentences_end_where_a_reader_sees_them_end(text, expected):
    assert sentences(text) == expected


def test_a_table_row_is_read_by_its_cells():
    assert cells(r"| `GET\|POST /x` | one. Two. |") == ["`GET|POST /x`", "one. Two."]
    contract = (
        "## 1. Routes\n\nIntro one. Intro two.\n\n| Route | Behaviour |\n|---|---|\n"
        "| `GET /` | Home. Links. |\n\n## 6. What the suite does\n\nNot a clause.\n"
    )
    assert contract_sentences(contract) == [
        ("§1", "Intro one."),
        ("§1", "Intro two."),
        ("§1", "`GET /`: Home."),
        ("§1", "`GET /`: Links."),
    ]
