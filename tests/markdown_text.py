"""What a person reads of a Markdown source that ``ui.markdown`` escaped."""

from __future__ import annotations

import re


def shown(source: str) -> str:
    """The text with Markdown backslash escapes resolved (``a\\_b\\.csv`` -> ``a_b.csv``)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", source)
