"""Header roles: which column of a table is which (Indonesian and English names).

Aliases and filler words are listed in :data:`COLUMN_ALIASES`; :func:`find_header`
finds the header row (title rows above it skipped, two-row headers combined).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from ingest.reader import HEADER_SCAN_ROWS, _file_error
from ingest.validation import cell_text

#: Header roles that identify a region, in order of preference.
KEY_ROLES = ("kode_desa", "kode_kecamatan", "kode_bps", "kode", "desa", "kecamatan")

# -- column names ------------------------------------------------------------------

#: Where the accepted column names live (package data, shared by every reader).
ALIASES_PATH = Path(__file__).with_name("aliases.json")


def _expand(alternative: str | list[str], groups: dict[str, list[str]]) -> list[str]:
    """Phrases of one alias entry: a phrase, or a combination of word groups and words."""
    if isinstance(alternative, str):
        return [alternative]
    phrases = [""]
    for part in alternative:
        choices = groups[part[1:]] if part.startswith("@") else [part]
        phrases = [" ".join(p for p in (done, choice) if p) for done in phrases for choice in choices]
    return phrases


def load_aliases(path: Path = ALIASES_PATH) -> dict[str, Any]:
    """The alias tables: ``coverage`` (role -> phrases), ``sites``, ``filler_words``, ``personal_words``.

    Parameters
    ----------
    path : pathlib.Path
        The JSON file (default :data:`ALIASES_PATH`).
    """
    raw = json.loads(path.read_text(encoding="utf-8"))
    coverage = {role: tuple(phrase for alt in alternatives for phrase in _expand(alt, raw["groups"]))
                for role, alternatives in raw["coverage"].items()}
    return {"coverage": coverage, "sites": {k: tuple(v) for k, v in raw["sites"].items()},
            "filler_words": frozenset(raw["filler_words"]), "personal_words": frozenset(raw["personal_words"])}


_ALIASES = load_aliases()
#: Accepted column names per canonical column.  Matching ignores case, word
#: order, punctuation, digits (a year) and the filler words
#: :data:`FILLER_WORDS` ("jumlah", "total", "orang", ...).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = _ALIASES["coverage"]
#: Words ignored in column names.
FILLER_WORDS: frozenset[str] = _ALIASES["filler_words"]
#: A column whose name holds one of these words is personal data: dropped at
#: ingest, reported by name only.
PERSONAL_WORDS: frozenset[str] = _ALIASES["personal_words"]
#: Sites files: canonical column -> header spellings (lower case, spaces and hyphens as ``_``).
SITE_COLUMN_ALIASES: dict[str, tuple[str, ...]] = _ALIASES["sites"]
#: Roles that hold personal data.
PERSONAL_ROLES = frozenset({"id_peserta"})


def _tokens(text: object) -> frozenset[str]:
    s = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii").casefold()
    return frozenset(t for t in re.split(r"[^a-z0-9]+", s) if t and not t.isdigit() and t not in FILLER_WORDS)


def alias_lookup(aliases: dict[str, tuple[str, ...]]) -> dict[frozenset[str], str]:
    """The one header-matching table: word set of every accepted name -> its role.

    Matching ignores case, word order, punctuation, digits and :data:`FILLER_WORDS`;
    every reader (coverage, participants, sites) matches its headers this way.

    Parameters
    ----------
    aliases : dict
        Role -> accepted names (the role's own name is accepted too).

    Raises
    ------
    AssertionError
        If one name would mean two roles (a mistake in ``aliases.json``).
    """
    lookup: dict[frozenset[str], str] = {}
    for role, phrases in aliases.items():
        for phrase in (role, role.replace("_", " "), *phrases):
            key = _tokens(phrase)
            if key and lookup.setdefault(key, role) != role:
                raise AssertionError(f"column alias {phrase!r} means both {lookup[key]} and {role}")
    return lookup


def match_alias(text: object, lookup: dict[frozenset[str], str]) -> str | None:
    """The role a header names in ``lookup`` (:func:`alias_lookup`), or None."""
    key = _tokens(text)
    return lookup.get(key) if key else None


_LOOKUP = alias_lookup(COLUMN_ALIASES)
#: Header matching of sites files.
SITE_LOOKUP = alias_lookup(SITE_COLUMN_ALIASES)


@lru_cache(maxsize=4096)
def classify_header(text: str) -> str | None:
    """Return what a column header means.

    Parameters
    ----------
    text : str
        Header text as written (any case, order, punctuation).

    Returns
    -------
    str or None
        A canonical role (``kode_desa``, ``desa``, ``pekerja``, ``lat``,
        ``id_peserta`` ...), ``"personal"`` for other personal columns, or
        None for a column that is not used.
    """
    key = _tokens(text)
    if not key:
        return None
    role = _LOOKUP.get(key)
    if role:
        return role
    if key & PERSONAL_WORDS:
        return "personal"
    return None


# -- header ------------------------------------------------------------------------

@dataclass
class Header:
    """The header found in a grid.

    Attributes
    ----------
    last_row : int
        Grid position of the (last) header row; data starts below it.
    names : list of str
        Column names as the file gives them (two-row headers joined by " / ").
    roles : list of str or None
        What each column means (:func:`classify_header`).
    """

    last_row: int
    names: list[str]
    roles: list[str | None]

    def positions(self, role: str) -> list[int]:
        """Column positions holding a role."""
        return [i for i, r in enumerate(self.roles) if r == role]

    def has(self, role: str) -> bool:
        """True when one column holds the role."""
        return role in self.roles

    @property
    def width(self) -> int:
        """Columns up to the last one with a name (cells right of it have no header)."""
        return max((i + 1 for i, n in enumerate(self.names) if n), default=0)


def _row_texts(grid: pd.DataFrame, r: int) -> list[str]:
    return [cell_text(v) for v in grid.iloc[r].tolist()]


def _combine_rows(upper: list[str], lower: list[str]) -> list[str]:
    filled = list(upper)
    for j in range(1, len(filled)):
        if not filled[j] and lower[j] and filled[j - 1] and lower[j - 1]:
            filled[j] = filled[j - 1]  # a merged group label spreads right over its sub-columns
    return [f"{u} / {lo}" if u and lo and u != lo else (lo or u) for u, lo in zip(filled, lower)]


def _score(names: list[str]) -> tuple[int, list[str | None]]:
    roles = [classify_header(n) if n else None for n in names]
    used = [r for r in roles if r and r != "personal"]
    distinct = {r for r in used if used.count(r) == 1}
    has_key = bool(distinct & set(KEY_ROLES)) or {"lat", "lon"} <= distinct
    return (len(distinct) if has_key else 0), roles


def find_header(grid: pd.DataFrame, raise_for: str | None = "upload", sheet: str | None = None) -> Header | None:
    """Find the header row (or two-row header) in the first rows of a grid.

    The header is the row, or pair of rows, naming the most recognised
    columns, one of them a region key.

    Parameters
    ----------
    grid : DataFrame
        Cells, row i = spreadsheet row i + 1.
    raise_for : str or None
        File name for the error; None returns None instead of raising.
    sheet : str, optional
        XLSX sheet name, for the error.

    Raises
    ------
    InputFileError
        If no row names a region key column.
    """
    best: tuple[int, int] = (0, 0)
    found: Header | None = None
    previous: list[str] | None = None
    for r in range(min(HEADER_SCAN_ROWS, len(grid))):
        texts = _row_texts(grid, r)
        options = [(texts, False)]
        if previous is not None and any(previous):
            options.append((_combine_rows(previous, texts), True))
        for names, pair in options:
            score, roles = _score(names)
            rank = (score, -int(pair))
            if score and rank > best:
                best, found = rank, Header(r, names, roles)
        previous = texts
    if found is None and raise_for is not None:
        if grid.shape[1] <= 1 and sheet is None:
            raise _file_error(raise_for, "headers.no_separator")
        # Cell texts are not quoted: in a file without a header they could be personal data.
        where = f" of sheet {sheet!r}" if sheet is not None else ""
        raise _file_error(raise_for, "headers.no_region_column", n=HEADER_SCAN_ROWS, where=where)
    return found


