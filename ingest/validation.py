"""Row-level checks of coverage files: numbers, periods, segments, problems.

Every problem found in a row becomes one entry of the report's ``problems``
list: the spreadsheet row, the column as the file names it, the cell text,
a short stable machine ``reason`` (:data:`REASONS`) and a ``suggestion``
for a person (a catalog message, shown in the reader's language); see
:mod:`ingest.problems`.  A row with at least one problem
is rejected; nothing is dropped or changed silently.

Numbers accept Indonesian and English writing (:func:`parse_count`):
``836.000`` and ``836,000`` are 836000 (a count is a whole number, so a
single 3-digit group after a dot or comma is a thousands group), ``22,3`` is
22.3 (rejected as ``not_whole_number`` in a count column).  When the file
shows which convention it uses (``1.234.567`` or ``12,5`` is Indonesian;
``1,234,567`` or ``12.5`` is English), a single group is read that way
(:func:`number_convention`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np
import pandas as pd

from core.formatting import Figure
from core.i18n import Message

#: Machine reasons of row problems; ``reason.<code>`` in the catalogs says what each means.
REASONS: tuple[str, ...] = (
    "missing_value", "unknown_code", "wrong_level", "name_not_found", "ambiguous_name", "key_mismatch",
    "total_row", "duplicate_region", "not_a_number", "not_whole_number", "negative", "covered_gt_workers",
    "parts_exceed_total", "invalid_period", "formula_not_computed", "unknown_segment", "invalid_coordinate",
    "outside_region", "duplicate_participant", "count_too_large", "period_in_future", "extra_fields",
)

#: Largest head count one row may give: more people than live in Jawa Barat cannot be one desa or
#: kecamatan, and any sum of such counts stays far inside 64-bit integers.
MAX_COUNT = 100_000_000


class UncomputedFormula(str):
    """Text of an Excel formula cell saved without its computed value."""


# -- cells --------------------------------------------------------------------

def cell_text(value: Any) -> str:
    """Return a cell as the text a person sees (used in reports and matching).

    ``None``/NaN give ``""``; whole floats lose their ``.0``; dates give ISO
    text.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value != value:
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is pd.NA or value is pd.NaT:
        return ""
    return str(value).strip()


def map_unique(values: pd.Series | np.ndarray, fn: Callable[[Any], tuple[Any, str | None]]
               ) -> tuple[np.ndarray, np.ndarray]:
    """Apply ``fn(value) -> (result, reason)`` once per distinct value.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Object arrays of results and reasons (None where fine), aligned with
        ``values``.
    """
    codes, uniques = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=False)
    pairs = [fn(u) for u in uniques]
    results = np.empty(len(pairs), dtype=object)
    reasons = np.empty(len(pairs), dtype=object)
    for i, (result, reason) in enumerate(pairs):
        results[i] = result
        reasons[i] = reason
    return results[codes], reasons[codes]


def is_blank(value: Any) -> bool:
    """True for an empty cell (None, NaN, '' or spaces, or a lone dash)."""
    return cell_text(value) in ("", "-", "–", "—") and not isinstance(value, UncomputedFormula)


# -- numbers --------------------------------------------------------------------

_INT = re.compile(r"\d+")
_DOT_GROUPED = re.compile(r"\d{1,3}(\.\d{3})+")
_COMMA_GROUPED = re.compile(r"\d{1,3}(,\d{3})+")
_SPACE_GROUPED = re.compile(r"\d{1,3}( \d{3})+")
_ID_DECIMAL = re.compile(r"(?P<int>\d{1,3}(\.\d{3})+|\d+),(?P<frac>\d+)")
_EN_DECIMAL = re.compile(r"(?P<int>\d{1,3}(,\d{3})+|\d+)\.(?P<frac>\d+)")
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " "})


def _evidence(text: str) -> str | None:
    """Which decimal separator a number text proves ("," or "." or None)."""
    s = text.strip().lstrip("-−+(").rstrip(")")
    if _DOT_GROUPED.fullmatch(s) and s.count(".") >= 2:
        return ","
    if _COMMA_GROUPED.fullmatch(s) and s.count(",") >= 2:
        return "."
    m = _ID_DECIMAL.fullmatch(s)
    if m and ("." in m["int"] or len(m["frac"]) != 3):
        return ","
    m = _EN_DECIMAL.fullmatch(s)
    if m and ("," in m["int"] or len(m["frac"]) != 3):
        return "."
    return None


def number_convention(columns: Iterable[pd.Series]) -> str | None:
    """Return the decimal separator a file's number texts prove, if any.

    Returns
    -------
    str or None
        ``","`` (Indonesian), ``"."`` (English), or None when the file shows
        neither or both (then a single 3-digit group is a thousands group).
    """
    found: set[str] = set()
    for column in columns:
        for value in pd.unique(np.asarray(column, dtype=object)):
            if isinstance(value, str) and not isinstance(value, UncomputedFormula):
                mark = _evidence(value)
                if mark:
                    found.add(mark)
    return found.pop() if len(found) == 1 else None


def parse_count(value: Any, decimal: str | None = None) -> tuple[int | None, str | None]:
    """Parse one head-count cell.

    Parameters
    ----------
    value : object
        Cell value (text from CSV, or a number/text from XLSX).
    decimal : str or None
        Decimal separator the file uses (:func:`number_convention`).

    Returns
    -------
    (int or None, str or None)
        The count, or None with a reason: ``missing_value`` (blank or a
        dash), ``not_a_number``, ``not_whole_number``, ``negative``,
        ``count_too_large`` (over :data:`MAX_COUNT`) or ``formula_not_computed``.
    """
    if isinstance(value, UncomputedFormula):
        return None, "formula_not_computed"
    if is_blank(value):
        return None, "missing_value"
    if isinstance(value, bool) or isinstance(value, (dt.date, dt.datetime, dt.time)):
        return None, "not_a_number"
    if isinstance(value, (int, np.integer)):
        number = Decimal(int(value))
    elif isinstance(value, (float, np.floating)):
        if not np.isfinite(value):
            return None, "not_a_number"
        number = Decimal(repr(float(value)))
    else:
        number = _parse_number_text(str(value), decimal)
        if number is None:
            return None, "not_a_number"
    if number != number.to_integral_value():
        return None, "not_whole_number"
    if number < 0:
        return None, "negative"
    if number > MAX_COUNT:
        return None, "count_too_large"
    return int(number), None


def parse_number(value: Any, decimal: str | None = None) -> float | None:
    """A number cell as a float, written either way (``7,4``, ``7.4``, ``1.234,5``), or None when it is not one.

    The text rules are :func:`parse_count`'s; ``decimal`` is the file's separator when known.
    """
    if isinstance(value, bool) or isinstance(value, (dt.date, dt.datetime, dt.time)):
        return None
    if isinstance(value, (int, np.integer, float, np.floating)):
        return float(value)
    if is_blank(value):
        return None
    number = _parse_number_text(str(value), decimal)
    return None if number is None else float(number)


def _parse_number_text(text: str, decimal: str | None) -> Decimal | None:
    s = text.translate(_SPACES).strip()
    negative = False
    if s[:1] in ("-", "−", "–") and len(s) > 1:
        negative, s = True, s[1:].strip()
    elif s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1].strip()
    elif s.startswith("+"):
        s = s[1:].strip()
    if _SPACE_GROUPED.fullmatch(s):
        s = s.replace(" ", "")
    number: str | None = None
    if _INT.fullmatch(s):
        number = s
    elif _DOT_GROUPED.fullmatch(s):
        number = s if decimal == "." and s.count(".") == 1 else s.replace(".", "")
    elif _COMMA_GROUPED.fullmatch(s):
        number = s.replace(",", ".") if decimal == "," and s.count(",") == 1 else s.replace(",", "")
    elif _ID_DECIMAL.fullmatch(s):
        number = s.replace(".", "").replace(",", ".")
    elif _EN_DECIMAL.fullmatch(s):
        number = s.replace(",", "")
    if number is None:
        return None
    try:
        result = Decimal(number)
    except InvalidOperation:  # pragma: no cover - the patterns exclude it
        return None
    return -result if negative else result


def parse_counts(values: pd.Series, decimal: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised :func:`parse_count` (once per distinct value).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Object arrays: counts (None where not valid) and reasons.
    """
    return map_unique(values, lambda v: parse_count(v, decimal))


# -- periods ----------------------------------------------------------------------

MONTHS: dict[str, int] = {}
for _number, _names in enumerate((
    ("januari", "jan", "january"), ("februari", "pebruari", "feb", "peb", "february"),
    ("maret", "mar", "march"), ("april", "apr"), ("mei", "may"), ("juni", "jun", "june"),
    ("juli", "jul", "july"), ("agustus", "agu", "agt", "ags", "aug", "august"),
    ("september", "sep", "sept"), ("oktober", "okt", "oct", "october"),
    ("november", "nov", "nop"), ("desember", "des", "dec", "december"),
), start=1):
    MONTHS.update(dict.fromkeys(_names, _number))

_PERIOD_PATTERNS = (
    (re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})"), None),
    (re.compile(r"(?P<y>\d{4})(?P<m>\d{2})"), None),
    (re.compile(r"(?P<m>\d{1,2})[-/.](?P<y>\d{4})"), None),
    (re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})([ T].*)?"), None),
    (re.compile(r"(?P<d>\d{1,2})[-/.](?P<m>\d{1,2})[-/.](?P<y>\d{4})"), None),
    (re.compile(r"(?P<mn>[a-z]+)[\s\-/.]*(?P<y>\d{4}|\d{2})"), None),
    (re.compile(r"(?P<y>\d{4})[\s\-/.]*(?P<mn>[a-z]+)"), None),
)


def parse_period(value: Any) -> tuple[str | None, str | None]:
    """Parse a period cell to ``"YYYY-MM"``.

    Accepts ``2024-01``, ``2024/1``, ``202401``, ``01/2024``, ``2024-01-31``,
    ``31/01/2024`` (day first), ``Jan 2024``, ``Januari 2024``, ``Jan-24``,
    ``2024 Januari`` and Excel dates.

    Returns
    -------
    (str or None, str or None)
        The period, or None with ``missing_value``, ``invalid_period`` or
        ``formula_not_computed``.
    """
    if isinstance(value, UncomputedFormula):
        return None, "formula_not_computed"
    if is_blank(value):
        return None, "missing_value"
    if isinstance(value, (dt.date, dt.datetime)):
        return f"{value.year:04d}-{value.month:02d}", None
    text = cell_text(value).casefold()
    for pattern, _ in _PERIOD_PATTERNS:
        m = pattern.fullmatch(text)
        if not m:
            continue
        groups = m.groupdict()
        if "mn" in groups:
            month = MONTHS.get(groups["mn"])
        else:
            month = int(groups["m"])
        year = int(groups["y"])
        if year < 100:
            year += 2000
        if month and 1 <= month <= 12 and 1900 <= year <= 2100:
            if groups.get("d") and not 1 <= int(groups["d"]) <= 31:
                continue
            return f"{year:04d}-{month:02d}", None
    return None, "invalid_period"


# -- segments and coordinates ------------------------------------------------------

#: Segment values (normalised: lower case, letters only) and their class.
SEGMENTS: dict[str, str] = {
    **dict.fromkeys(("pu", "ppu", "penerimaupah", "pekerjapenerimaupah", "formal", "sektorformal",
                     "wageearner", "wageearners", "tkpu"), "PU"),
    **dict.fromkeys(("bpu", "bukanpenerimaupah", "pekerjabukanpenerimaupah", "informal", "nonformal",
                     "sektorinformal", "nonwageearner", "nonwageearners", "tkbpu"), "BPU"),
    # Counted as covered but in neither PU nor BPU: construction projects (Jakon) and migrant workers (PMI).
    **dict.fromkeys(("jk", "jakon", "jasakonstruksi", "tkjakon"), "JAKON"),
    **dict.fromkeys(("pmi", "pekerjamigranindonesia", "pekerjamigran", "migran", "tki"), "PMI"),
}


def parse_segment(value: Any) -> tuple[str | None, str | None]:
    """Classify a participant's segment as ``PU``, ``BPU``, ``JAKON`` or ``PMI``."""
    if isinstance(value, UncomputedFormula):
        return None, "formula_not_computed"
    if is_blank(value):
        return None, "missing_value"
    key = re.sub(r"[^a-z]", "", cell_text(value).casefold())
    found = SEGMENTS.get(key)
    return (found, None) if found else (None, "unknown_segment")


def parse_coordinate(value: Any) -> tuple[float | None, str | None]:
    """Parse a decimal degree (``-7.21``, ``-7,21`` or an XLSX number)."""
    if isinstance(value, UncomputedFormula):
        return None, "formula_not_computed"
    if is_blank(value):
        return None, "missing_value"
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        number = float(value)
    else:
        text = cell_text(value).replace("−", "-").replace(" ", "")
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        if not re.fullmatch(r"[-+]?\d+(\.\d+)?", text):
            return None, "invalid_coordinate"
        number = float(text)
    return (number, None) if np.isfinite(number) else (None, "invalid_coordinate")


# -- problems ----------------------------------------------------------------------



#: Suggestions per reason for cell problems (catalog ``suggestion.<code>``).
SUGGESTIONS: dict[str, Message] = {
    **{code: Message(f"suggestion.{code}")
       for code in ("missing_value", "not_a_number", "not_whole_number", "negative", "formula_not_computed",
                    "invalid_period", "unknown_segment", "invalid_coordinate")},
    "count_too_large": Message("suggestion.count_too_large", limit=Figure(MAX_COUNT, "count")),
}
