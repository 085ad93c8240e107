"""Text from files and people shown through Streamlit's Markdown (``st.info``, ``st.error``, ``st.caption``...).

Streamlit renders those as Markdown with its own extensions: links and
images, bare URLs made links, ``:red[...]`` colours, ``:material/...:`` icons,
``$...$`` formulas.  A file name or a column header must show as the text it
is, so :func:`md` escapes every outside text in a message (the catalog text
itself stays Markdown) and :func:`md_escape` escapes one string.

>>> print(md_escape("[x](https://a.b) :red[z] $1$"))
\\[x\\]\\(https\\:\\/\\/a\\.b\\) \\:red\\[z\\] \\$1\\$
"""

from __future__ import annotations

import re
from typing import Any

from core.i18n import Message, localize_escaped

#: ASCII punctuation that Markdown, GFM or Streamlit give a meaning (all of it may be backslash-escaped).
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=\"'^@%/;?,])")


def md_escape(text: object) -> str:
    """``text`` as literal Markdown text: special characters escaped, line breaks kept as spaces."""
    flat = " ".join(str(text).split("\n"))
    return _SPECIAL.sub(r"\\\1", flat)


def md(key: str, lang: str, /, **params: Any) -> str:
    """A catalog text as safe Markdown: the catalog's own Markdown kept, every outside text escaped.

    Parameters
    ----------
    key : str
        Catalog key.
    lang : str
    **params
        Its parameters: plain strings (from a file or a person) are escaped;
        messages and errors are shown in ``lang`` with their own outside
        texts escaped.
    """
    return localize_escaped(Message(key, **params), lang, md_escape)


def md_value(value: Any, lang: str) -> str:
    """A message, error or sentence as safe Markdown (see :func:`md`); any other value escaped as text."""
    return localize_escaped(value, lang, md_escape)
