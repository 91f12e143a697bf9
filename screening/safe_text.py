"""Data strings made safe to show on a terminal: no markup, no control or bidirectional characters.

Every string that comes from data (a party name, a list entry, a reason, an analyst's name, a path)
passes through here before rich or ``print`` shows it:

- control characters (C0 but newline and tab, DEL, C1, line and paragraph separators) and the
  bidirectional embeddings, overrides, isolates and marks are replaced by a visible escape such as
  ``\\x1b`` or ``\\u202e``, so an ANSI or OSC sequence cannot clear the screen, set the window title
  or make a link, and text cannot be shown in another order than it is stored;
- rich markup is never interpreted: :func:`cell` returns a :class:`rich.text.Text`, which rich does
  not parse, and :func:`markup` escapes a string for use inside a markup template.
"""

from __future__ import annotations

import re
from typing import Final

from rich.text import Text

_BIDI: Final = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNSAFE: Final = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029{_BIDI}]")
_UNSAFE_IN_LINE: Final = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{_BIDI}]")
# A "[" (a tag-like "[...]" whole) or the text's end, with the backslashes before it. rich's escape() leaves a
# "[" that opens no tag, which its renderer still unescapes after a backslash ("\\[" printed "["), and
# backslashes at the end, which escape the template's next tag or, doubled, print twice before plain text.
_EMPTY_TAGS: Final = "[bold][/bold]"
_BRACKETS: Final = re.compile(r"(\\*)(\[(?:[a-z#/@][^[]*?])?|\Z)")


def _visible(found: re.Match[str]) -> str:
    """Return the escape that shows a character instead of obeying it."""
    code = ord(found.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean(value: object, *, one_line: bool = False) -> str:
    """Return a value as text with its control and bidirectional characters shown as escapes (None: empty)."""
    text = "" if value is None else str(value)
    return (_UNSAFE_IN_LINE if one_line else _UNSAFE).sub(_visible, text)


def cell(value: object, style: str = "") -> Text:
    """Return a value as rich text that is shown as it is: never parsed as markup, no control characters."""
    return Text(clean(value), style=style)


def cells(*values: object) -> list[Text]:
    """Return values as rich table cells shown as they are."""
    return [value if isinstance(value, Text) else cell(value) for value in values]


def markup(value: object) -> str:
    """Return a value escaped for use inside a rich markup template, control characters shown as escapes."""
    return _BRACKETS.sub(_escaped, clean(value))


def _escaped(found: re.Match[str]) -> str:
    """Return a bracket and its backslashes as rich markup prints them literally."""
    backslashes, bracket = found.groups()
    if bracket.endswith("]"):  # a tag: every backslash doubled, then the escape
        return f"{backslashes * 2}\\{bracket}"
    if bracket:  # a lone "[": only the renderer's unescaping to undo
        return f"{backslashes}\\["
    # the end: backslashes escape whatever tag follows, so they are closed by an empty tag pair of our own
    return f"{backslashes * 2}{_EMPTY_TAGS}" if backslashes else ""
