"""Header roles: which column of a table is which (Indonesian and English names).

Aliases and filler words are listed in :data:`COLUMN_ALIASES`; :func:`find_header`
finds the header row (title rows above it skipped, two-row headers combined).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from ingest.reader import HEADER_SCAN_ROWS, _file_error
from ingest.validation import (
    cell_text,
)

#: Header roles that identify a region, in order of preference.
KEY_ROLES = ("kode_desa", "kode_kecamatan", "kode_bps", "kode", "desa", "kecamatan")

# -- column names ------------------------------------------------------------------

_CODE = ("kode", "kd", "code", "kode wilayah", "kode kemendagri", "kode dagri", "kemendagri", "id")
_DESA = ("desa", "kelurahan", "desa kelurahan", "desa kel", "kel", "ds", "village")
_KEC = ("kecamatan", "kec", "district", "subdistrict", "sub district")
_NAME = ("", "nama", "name", "nama wilayah")
_WORKERS = ("pekerja", "tenaga kerja", "workers", "worker", "employed", "penduduk bekerja")
_COVERED = ("peserta aktif", "peserta", "covered", "terlindungi", "pekerja terlindungi",
            "tenaga kerja terlindungi", "tk aktif", "tenaga kerja aktif", "peserta bpjs",
            "peserta bpjs ketenagakerjaan", "peserta bpjstk", "covered workers", "insured",
            "active participants", "participants", "active members", "kepesertaan aktif")
_PU = ("pu", "ppu", "penerima upah", "formal", "wage earners", "wage earner")
_BPU = ("bpu", "bukan penerima upah", "informal", "non formal", "nonformal", "non wage earners",
        "non wage earner")


def _join(*parts: str) -> str:
    return " ".join(p for p in parts if p)


#: Accepted column names per canonical column.  Matching ignores case, word
#: order, punctuation, digits (a year) and the filler words
#: :data:`FILLER_WORDS` ("jumlah", "total", "orang", ...).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "kode_desa": tuple(_join(c, d) for c in _CODE for d in _DESA),
    "kode_kecamatan": tuple(_join(c, k) for c in _CODE for k in _KEC),
    "kode_bps": tuple(_join(c, k, "bps") for c in ("", "kode", "kd", "code") for k in ("", *_KEC)),
    "kode": tuple(c for c in _CODE if c != "id") + ("region code", "area code", "kode area"),
    "desa": tuple(_join(n, d) for n in _NAME for d in _DESA),
    "kecamatan": tuple(_join(n, k) for n in _NAME for k in _KEC),
    "periode": ("periode", "period", "bulan", "month", "bulan tahun", "tahun bulan", "year month",
                "month year", "periode bulan", "periode data", "periode laporan", "bulan laporan",
                "reporting period", "reporting month", "yyyy mm"),
    "pekerja": _WORKERS,
    "peserta_aktif": _COVERED,
    "pekerja_pu": tuple(_join(w, s) for w in _WORKERS for s in _PU),
    "peserta_pu": tuple(_join(c, s) for c in _COVERED for s in _PU),
    "pekerja_bpu": tuple(_join(w, s) for w in _WORKERS for s in _BPU),
    "peserta_bpu": tuple(_join(c, s) for c in _COVERED for s in _BPU),
    "segmen": ("segmen", "segment", "segmen peserta", "segmen kepesertaan", "jenis kepesertaan",
               "kategori peserta", "jenis peserta", "kepesertaan", "participant segment", "sektor"),
    "lat": ("lat", "latitude", "lintang", "garis lintang"),
    "lon": ("lon", "lng", "long", "longitude", "bujur", "garis bujur"),
    # Personal identifiers: used to recognise participant files and repeated
    # participants, then dropped.  Never written anywhere.
    "id_peserta": ("nik", "no nik", "nomor nik", "nik ktp", "ktp", "no ktp", "nomor ktp", "kpj",
                   "no kpj", "nomor kpj", "no peserta", "nomor peserta", "id peserta", "kode peserta",
                   "participant id", "member id", "no kartu", "nomor kartu", "no kartu peserta",
                   "nomor kartu peserta", "nomor induk kependudukan", "national id"),
}
#: Words ignored in column names.
FILLER_WORDS = frozenset({"jumlah", "jml", "total", "banyaknya", "banyak", "number", "of", "the", "orang",
                          "jiwa", "org", "people", "persons", "person", "count", "sum", "nilai"})
#: A column whose name holds one of these words is personal data: dropped at
#: ingest, reported by name only.
PERSONAL_WORDS = frozenset({
    "nik", "ktp", "kpj", "npwp", "kk", "nama", "name", "alamat", "address", "telepon", "telp", "tlp",
    "phone", "hp", "handphone", "ponsel", "whatsapp", "wa", "email", "surel", "mail", "lahir", "birth",
    "dob", "ttl", "rekening", "account", "ibu", "mother", "kelamin", "gender", "sex", "umur", "usia",
    "age", "agama", "religion", "rt", "rw", "kartu", "paspor", "passport",
})
#: Roles that hold personal data.
PERSONAL_ROLES = frozenset({"id_peserta"})


def _tokens(text: object) -> frozenset[str]:
    s = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii").casefold()
    return frozenset(t for t in re.split(r"[^a-z0-9]+", s) if t and not t.isdigit() and t not in FILLER_WORDS)


def _build_lookup() -> dict[frozenset[str], str]:
    lookup: dict[frozenset[str], str] = {}
    for role, phrases in COLUMN_ALIASES.items():
        for phrase in (role, role.replace("_", " "), *phrases):
            key = _tokens(phrase)
            if key and lookup.setdefault(key, role) != role:
                raise AssertionError(f"column alias {phrase!r} means both {lookup[key]} and {role}")
    return lookup


_LOOKUP = _build_lookup()


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
            raise _file_error(raise_for, 'headers.not_table_no_column_separator')
        # Cell texts are not quoted: in a file without a header they could be personal data.
        where = f" of sheet {sheet!r}" if sheet is not None else ""
        raise _file_error(raise_for, 'headers.no_region_key_column_found', header_scan_rows=HEADER_SCAN_ROWS, where=where)
    return found


