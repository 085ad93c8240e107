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
from rapidfuzz import fuzz, process

from core.errors import ConfigError
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
            "road_distances": {k: tuple(v) for k, v in raw["road_distances"].items()},
            "cohorts": {k: tuple(v) for k, v in raw["cohorts"].items()},
            "companies": {k: tuple(v) for k, v in raw["companies"].items()},
            "desa_programmes": {k: tuple(v) for k, v in raw["desa_programmes"].items()},
            "filler_words": frozenset(raw["filler_words"]), "personal_words": frozenset(raw["personal_words"]),
            "noise_words": frozenset(raw.get("noise_words", ()))}


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
#: The programme's own names (BPJS, BPJSTK, BP Jamsostek, ...): they say nothing about a column's role.
NOISE_WORDS: frozenset[str] = _ALIASES["noise_words"]
#: A header scores at least this (0-100, rapidfuzz) against an accepted name to take its role unasked.
SURE_SCORE = 88.0
#: From this score on, a role is offered as the closest guess (mapping step, refusal messages).
GUESS_SCORE = 70.0
#: Sites files: canonical column -> header spellings (lower case, spaces and hyphens as ``_``).
SITE_COLUMN_ALIASES: dict[str, tuple[str, ...]] = _ALIASES["sites"]
#: Road-distance matrices: ``from``, ``to``, ``km`` -> header spellings, as for sites.
ROAD_COLUMN_ALIASES: dict[str, tuple[str, ...]] = _ALIASES["road_distances"]
#: Sponsored-cohort files: ``count``, ``kode``, ``source``, ``start_month``, ``end_month`` -> header spellings.
COHORT_COLUMN_ALIASES: dict[str, tuple[str, ...]] = _ALIASES["cohorts"]
#: Companies files (PWBD/PDS): canonical column -> header spellings, as for sites.
COMPANY_COLUMN_ALIASES: dict[str, tuple[str, ...]] = _ALIASES["companies"]
#: Desa programme tables: canonical column -> header spellings, as for sites.
PROGRAMME_COLUMN_ALIASES: dict[str, tuple[str, ...]] = _ALIASES["desa_programmes"]
#: Roles that hold personal data.
PERSONAL_ROLES = frozenset({"id_peserta"})


def _tokens(text: object) -> frozenset[str]:
    s = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii").casefold()
    words = frozenset(t for t in re.split(r"[^a-z0-9]+", s) if t and not t.isdigit() and t not in FILLER_WORDS)
    noise = words & NOISE_WORDS
    if noise:
        words -= noise
        if "tk" in words and len(words) > 1:  # "BPJS TK" is the programme's name, not "tenaga kerja"
            words -= {"tk"}
    return words


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


def header_role(cell: object, aliases: dict[str, tuple[str, ...]], lookup: dict[frozenset[str], str]) -> str | None:
    """The column a header cell names: by the word matcher, else by its exact spelling.

    The exact spelling (lower case, spaces and hyphens as ``_``) catches a name the word matcher
    cannot, such as ``jumlah`` alone, a filler word.  ``lookup`` is :func:`alias_lookup` of ``aliases``;
    every small-table, companies and programme reader names its columns this way.
    """
    exact = re.sub(r"[\s-]+", "_", cell_text(cell).casefold())
    return match_alias(cell, lookup) or next((role for role, names in aliases.items() if exact in names), None)


_LOOKUP = alias_lookup(COLUMN_ALIASES)
_CHOICES = {" ".join(sorted(key)): role for key, role in _LOOKUP.items()}


@dataclass(frozen=True)
class RoleGuess:
    """The closest role to a header: ``role`` (or None), its ``score`` (0-100) and whether it is ``sure``."""

    role: str | None
    score: float
    sure: bool


@lru_cache(maxsize=4096)
def guess_role(text: str) -> RoleGuess:
    """Score a header against every accepted name (tokens, noise words dropped, misspellings tolerated).

    An exact match of the words is sure (score 100); otherwise the best
    fuzzy score (rapidfuzz ``ratio`` of the sorted words) is sure from
    :data:`SURE_SCORE` when no other role comes within 5 points, and a guess
    from :data:`GUESS_SCORE`.

    >>> guess_role("Peserta Aktif BPJSTK"), guess_role("Jumlah Pekrja").role
    (RoleGuess(role='peserta_aktif', score=100.0, sure=True), 'pekerja')
    """
    key = _tokens(text)
    if not key:
        return RoleGuess(None, 0.0, False)
    role = _LOOKUP.get(key)
    if role:
        return RoleGuess(role, 100.0, True)
    query = " ".join(sorted(key))
    best: dict[str, float] = {}
    for choice, score, _ in process.extract(query, list(_CHOICES), scorer=fuzz.ratio, limit=20,
                                           score_cutoff=GUESS_SCORE):
        role = _CHOICES[choice]
        best[role] = max(best.get(role, 0.0), float(score))
    if not best:
        return RoleGuess(None, 0.0, False)
    ranked = sorted(best.items(), key=lambda item: -item[1])
    role, score = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    return RoleGuess(role, round(score, 1), score >= SURE_SCORE and score - runner_up >= 5)
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
    guess = guess_role(text)
    if guess.sure and guess.score == 100.0:
        return guess.role
    if key & PERSONAL_WORDS:
        return "personal"
    return guess.role if guess.sure else None


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


#: Roles a person may give a column (``--columns``, the mapping step); ``IGNORE`` leaves it out.
ROLES: tuple[str, ...] = tuple(COLUMN_ALIASES)
IGNORE = "-"


def column_key(name: object) -> str:
    """How a header is looked up in a mapping: spaces collapsed, case ignored."""
    return " ".join(str(name).split()).casefold()


def parse_column_mapping(text: str) -> dict[str, str]:
    """``"Peserta Aktif BPJSTK=peserta_aktif,Jml TK=pekerja"`` -> ``{column: role}`` (a command line's ``--columns``).

    Pairs are separated by commas (or semicolons), column and role by the last ``=``.

    Raises
    ------
    ConfigError
        ``headers.columns_syntax`` for a pair without ``=`` or with an empty side.
    """
    mapping: dict[str, str] = {}
    for pair in re.split(r"[,;]", text):
        if not pair.strip():
            continue
        column, sep, role = pair.rpartition("=")
        if not sep or not column.strip() or not role.strip():
            raise ConfigError("headers.columns_syntax", pair=repr(pair.strip()))
        mapping[column.strip()] = role.strip()
    return mapping


def _role_of(name: str, overrides: dict[str, str | None] | None) -> str | None:
    if overrides and column_key(name) in overrides:
        return overrides[column_key(name)]
    return classify_header(name)


def _score(names: list[str], overrides: dict[str, str | None] | None = None) -> tuple[int, list[str | None]]:
    roles = [_role_of(n, overrides) if n else None for n in names]
    used = [r for r in roles if r and r != "personal"]
    distinct = {r for r in used if used.count(r) == 1}
    has_key = bool(distinct & set(KEY_ROLES)) or {"lat", "lon"} <= distinct
    return (len(distinct) if has_key else 0), roles


def find_header(grid: pd.DataFrame, raise_for: str | None = "upload", sheet: str | None = None,
                overrides: dict[str, str | None] | None = None) -> Header | None:
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
    overrides : dict, optional
        :func:`column_key` of a header -> the role a person gave it (None:
        ignore it); other headers are classified as usual.

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
            score, roles = _score(names, overrides)
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


