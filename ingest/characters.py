"""Characters a person cannot see that change what a cell means: removed, and named in a note.

A code copied from a web page or a PDF may carry a zero-width space, a
right-to-left mark or a no-break space; a figure typed on a phone may use
full-width digits (``８３６``).  They make ``32.05.01.1001`` fail to match or
a count fail to parse, with nothing visible to fix.  :func:`clean_text`
removes the invisible ones, turns no-break spaces into spaces and full-width
digits into ASCII digits, and counts what it changed per kind, so the
reader can say so (``note.invisible_characters``).
"""

from __future__ import annotations

import re

#: Kind of change -> characters.
KINDS: dict[str, str] = {
    "zero_width": "\u200b\u200c\u200d\u2060\ufeff\u00ad",
    "direction_marks": "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c",
    "no_break_spaces": "\u00a0\u2007\u202f",
    "fullwidth_digits": "".join(chr(0xFF10 + d) for d in range(10)),
}
_TABLE = str.maketrans(
    {**{ch: None for kind in ("zero_width", "direction_marks") for ch in KINDS[kind]},
     **{ch: " " for ch in KINDS["no_break_spaces"]},
     **{chr(0xFF10 + d): str(d) for d in range(10)}}
)
_ANY = re.compile("[" + re.escape("".join(KINDS.values())) + "]")


def has_hidden(text: str) -> bool:
    """Whether ``text`` holds any character :func:`clean_text` changes (one C-speed search)."""
    return _ANY.search(text) is not None


def clean_text(text: str) -> tuple[str, dict[str, int]]:
    """``text`` with invisible characters removed, no-break spaces and full-width digits made plain.

    >>> clean_text("32.05.01\\u200b.1001 \\uff18\\uff13\\uff16")
    ('32.05.01.1001 836', {'zero_width': 1, 'fullwidth_digits': 3})
    """
    if not has_hidden(text):
        return text, {}
    counts = {kind: sum(text.count(ch) for ch in chars) for kind, chars in KINDS.items()}
    return text.translate(_TABLE), {kind: n for kind, n in counts.items() if n}


def merge_counts(total: dict[str, int], more: dict[str, int]) -> dict[str, int]:
    """Add ``more`` into ``total`` (returned)."""
    for kind, n in more.items():
        total[kind] = total.get(kind, 0) + n
    return total
