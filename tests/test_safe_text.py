"""Data strings shown on a terminal: control and bidirectional characters as escapes, markup never parsed."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from screening.safe_text import cell, clean, markup


@pytest.mark.parametrize(
    ("value", "one_line", "expected"),
    [
        ("ООО Ромашка", False, "ООО Ромашка"),
        (None, False, ""),
        (12, False, "12"),
        ("a\x1b[2Jb", False, "a\\x1b[2Jb"),
        ("\x1b]0;title\x07", False, "\\x1b]0;title\\x07"),
        ("a\rb", False, "a\\x0db"),
        ("a\x9bc", False, "a\\x9bc"),  # C1: the one-byte CSI
        ("a\x7f", False, "a\\x7f"),
        ("\u202eevil\u2066x\u2069", False, "\\u202eevil\\u2066x\\u2069"),
        ("\u200fRLM", False, "\\u200fRLM"),
        ("two\nlines\tand tab", False, "two\nlines\tand tab"),
        ("two\nlines\tand tab", True, "two\\x0alines\\x09and tab"),
        ("[/x] [link=http://e]x[/link]", False, "[/x] [link=http://e]x[/link]"),
    ],
)
def test_clean(value: object, one_line: bool, expected: str) -> None:
    assert clean(value, one_line=one_line) == expected


@pytest.mark.parametrize(
    "value",
    ["[/x]", "[link=http://e]x[/link]", "[bold red]loud", "\\[escaped]", "a\x1b[31mred", "[/]"],
)
def test_cell_and_markup_print_the_value_as_it_is(value: str) -> None:
    console = Console(record=True, width=200, force_terminal=True)
    console.print(cell(value))
    console.print(f"[bold]{markup(value)}[/]")
    lines = console.export_text(styles=False).splitlines()
    assert lines == [clean(value), clean(value)]


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=60))
def test_any_text_is_printed_as_its_cleaned_self(value: str) -> None:
    console = Console(record=True, width=10_000, force_terminal=True, color_system="truecolor")
    one_line = clean(value, one_line=True)
    console.print(cell(one_line), f"[bold]{markup(one_line)}[/]", sep="|")  # markup() goes inside a template
    written = console.export_text(styles=False)
    assert written == f"{one_line}|{one_line}\n"
    assert not any(ch in written for ch in "\x1b\x07\u202e\u2066\x9b")


# (text, what a rich template around markup() prints): rich's own escape() left the first three wrong
MARKUP_CASES = [("\\[", "\\["), ("a\\\\", "a\\\\"), ("\\[x]", "\\[x]"), ("[bold]x[/]", "[bold]x[/]"), ("x\\", "x\\")]
# templates a value is put in: before a tag, before plain text, at the end
TEMPLATES = ["[bold]{}[/]", "{} (x)", "{}"]


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize(("value", "printed"), MARKUP_CASES)
def test_markup_prints_brackets_and_backslashes_as_they_are(template: str, value: str, printed: str) -> None:
    console = Console(record=True, width=200)
    console.print(template.format(markup(value)))
    assert console.export_text(styles=False) == template.replace("[bold]", "").replace("[/]", "").format(printed) + "\n"
