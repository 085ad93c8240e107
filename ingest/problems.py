"""The one problem model of every upload: one problem per bad cell, with a row, a column and words.

A :class:`Problem` names the spreadsheet row, the column, the cell as read
(masked for personal columns), a reason and a suggestion (catalog messages,
shown in the reader's language) and whether the row is rejected.  Table
readers collect them in a :class:`ProblemLog` (vectorised, positions of data
rows) or build them one by one (sites).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from core.i18n import Message

#: Columns that may hold personal data: never echoed in reports or logs.
PERSONAL_COLUMNS = frozenset({"contact", "operator"})

#: What personal data looks like in any cell: a 16-digit NIK, an Indonesian mobile number, an e-mail address.
_NIK = re.compile(r"(?<!\d)(\d{4})\d{12}(?!\d)")
_PHONE = re.compile(r"(?<![\d+])((?:\+62|62|0)8)[\d\s.\-]{7,14}\d(?!\d)")
_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")


def mask_personal(text: str) -> str:
    """``text`` with NIKs, phone numbers and e-mail addresses masked, for any place a cell is echoed.

    >>> mask_personal("3205010101900001 / 0812-3456-7890 / siti@contoh.id")
    '3205************ / 08**-****-**** / ***@***'
    """
    if not isinstance(text, str) or isinstance(text, Message) or not any(ch.isdigit() or ch == "@" for ch in text):
        return text
    text = _EMAIL.sub("***@***", text)
    text = _NIK.sub(lambda m: m.group(1) + "*" * 12, text)
    return _PHONE.sub(lambda m: m.group(1) + re.sub(r"\d", "*", m.group(0)[len(m.group(1)):]), text)


@dataclass
class Problem:
    """One problem with one cell of an uploaded table (coverage, participants, sites).

    Attributes
    ----------
    row : int
        Row as a spreadsheet shows it (a header in row 1 puts the first record in row 2;
        for GeoJSON, feature *n* is row *n* + 1).
    column : str
        Canonical column (``lat``, ``category`` ...).
    value : str
        The cell as read (``sites.value_hidden``, "<disembunyikan>", for personal columns).
    reason : str or Message
        What is wrong: a machine code of :data:`ingest.validation.REASONS`
        (coverage and participant files) or a catalog message (sites).
    suggestion : str or Message
        How to fix it, in the reader's language where it is shown.
    rejected : bool
        True if the row was rejected; False for a warning (row kept).
    suggested_position : dict or None
        For swapped or sign-flipped coordinates: ``lat``, ``lon`` and the
        desa (``kode_desa``, ``desa``, ``kecamatan``) the corrected point falls in.
    """

    row: int
    column: str
    value: str
    reason: str
    suggestion: str = ""
    rejected: bool = True
    suggested_position: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        # a column's name can hold a cell too (a two-row header joins its rows): masked as a value would be
        self.column = mask_personal(self.column)
        if self.column in PERSONAL_COLUMNS:
            self.value = Message("sites.value_hidden")
        else:
            self.value = mask_personal(self.value)

    def as_dict(self, with_status: bool = True) -> dict[str, Any]:
        """JSON-ready form (``suggested_position`` only when present).

        Parameters
        ----------
        with_status : bool
            Include ``rejected`` (a table whose every problem rejects its row leaves it out).
        """
        out: dict[str, Any] = {
            "row": self.row, "column": self.column, "value": self.value,
            "reason": self.reason, "suggestion": self.suggestion,
        }
        if with_status:
            out["rejected"] = self.rejected
        if self.suggested_position is not None:
            out["suggested_position"] = self.suggested_position
        return out


class ProblemLog:
    """Collects row problems; rows with any problem are rejected.

    Positions are 0-based data-row positions; the report turns them into
    spreadsheet rows.
    """

    def __init__(self, n_rows: int) -> None:
        self.n_rows = n_rows
        self._items: list[tuple[int, int, str, str, str, str]] = []

    def add(self, pos: int, col_order: int, column: str, value: str, reason: str, suggestion: str) -> None:
        """Record one problem."""
        self._items.append((int(pos), col_order, column, value, reason, suggestion))

    def add_many(self, positions: np.ndarray, col_order: int, column: str, values: Iterable[str],
                 reasons: Iterable[str], suggestions: Iterable[str] | str) -> None:
        """Record one problem per position (values/reasons/suggestions aligned)."""
        if isinstance(suggestions, str):
            suggestions = [suggestions] * len(positions)
        for pos, value, reason, suggestion in zip(positions, values, reasons, suggestions):
            self._items.append((int(pos), col_order, column, value, reason, suggestion))

    def positions(self, reason: str) -> list[int]:
        """Row positions with a problem of ``reason``, in order, once each."""
        return sorted({item[0] for item in self._items if item[4] == reason})

    def rejected(self) -> np.ndarray:
        """Boolean mask of rejected rows."""
        mask = np.zeros(self.n_rows, dtype=bool)
        if self._items:
            mask[np.fromiter((item[0] for item in self._items), dtype=np.int64)] = True
        return mask

    def reason_counts(self) -> dict[str, int]:
        """Number of problems per reason, every problem counted."""
        return dict(Counter(str(item[4]) for item in self._items))

    def expanded_records(self, rows: np.ndarray, positions: np.ndarray,
                         extra: Iterable[tuple[int, int, str, str, str, str]] = (),
                         limit: int | None = None) -> tuple[list[dict[str, Any]], dict[str, int]]:
        """Problems as report dicts when each position stands for many rows (a file read by column).

        Parameters
        ----------
        rows : numpy.ndarray
            Spreadsheet rows, ascending; ``positions[i]`` is the position whose problems row ``rows[i]`` has.
        positions : numpy.ndarray
            Aligned with ``rows``.
        extra : iterable of tuple
            More problems, ``(row, col_order, column, value, reason, suggestion)``, recorded after the others.

        limit : int, optional
            List at most this many (the first by row); every problem is counted all the same.

        Returns
        -------
        (list of dict, dict)
            The problems as :meth:`records` gives them row by row (by row, then column order, then the
            order they were recorded in), and the number per reason of all of them.
        """
        by_position: dict[int, list[tuple[int, tuple]]] = {}
        for seq, item in enumerate(self._items):
            by_position.setdefault(item[0], []).append((seq, item))
        extra = list(extra)
        counts: Counter[str] = Counter()
        per_position = np.bincount(positions, minlength=self.n_rows) if len(positions) else np.zeros(0, int)
        for pos, items in by_position.items():
            times = int(per_position[pos]) if pos < len(per_position) else 0
            for _seq, item in items:
                counts[str(item[4])] += times
        counts.update(str(item[4]) for item in extra)
        out = []
        cap = len(rows) if limit is None else limit
        for row, pos in zip(rows.tolist(), positions.tolist()):
            if len(out) >= cap:          # rows ascend: the first ``limit`` problems are among those kept
                break
            for seq, (_pos, order, column, value, reason, suggestion) in by_position.get(pos, ()):
                out.append((row, order, seq, column, value, reason, suggestion))
        start = len(self._items)
        out.extend((row, order, start + k, column, value, reason, suggestion)
                   for k, (row, order, column, value, reason, suggestion) in enumerate(extra))
        out.sort(key=lambda t: (t[0], t[1], t[2]))
        if limit is not None:
            out = out[:limit]
        return ([Problem(row, column, value, reason, suggestion).as_dict(with_status=False)
                 for row, _order, _seq, column, value, reason, suggestion in out], dict(counts))

    def records(self, rows: np.ndarray, limit: int | None = None) -> list[dict[str, Any]]:
        """Problems as report dicts, by row then column order (the first ``limit`` of them, if given)."""
        items = sorted(enumerate(self._items), key=lambda t: (t[1][0], t[1][1], t[0]))
        if limit is not None:
            items = items[:limit]
        return [
            Problem(int(rows[pos]), column, value, reason, suggestion).as_dict(with_status=False)
            for _, (pos, _order, column, value, reason, suggestion) in items
        ]
