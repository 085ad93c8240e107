"""Region-key matching: Kemendagri codes, BPS kecamatan codes, names and points.

A row of a coverage file names its region in one of these ways (see
``docs/input_format.md``):

* a Kemendagri code, dotted or not: desa ``32.05.01.1001`` / ``3205011001``,
  kecamatan ``32.05.01`` / ``320501``;
* a BPS 7-digit kecamatan code (``3205190``), translated through the
  ``kecamatan_bps`` crosswalk layer;
* names: a kecamatan name, or a desa name *within its kecamatan* (desa names
  repeat: Mekarsari is the name of eight desa in Garut);
* a point (participant files): the desa polygon that covers it.

Names are compared after :func:`normalise_name` (case, spaces, dots, dashes,
accents and a leading "Desa"/"Kel."/"Kec." are ignored), first against the
official names (method ``exact``), then against the old names and spelling
variants of layer ``alias_nama`` (method ``alias``), then by
:func:`rapidfuzz.fuzz.ratio` at or above a threshold (method ``fuzzy``).
Every result says how it was found, so alias and fuzzy matches can be shown
to a person to confirm.  :func:`resolve_key` combines the key cells of one
row (code, kecamatan, desa) into one match or the reasons it fails.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property, lru_cache

import numpy as np
import pandas as pd
import shapely
from rapidfuzz import fuzz, process

from core.i18n import Message
from geo.boundaries import load_layer
from geo.build import gpkg_path
from geo.locate import covering_positions
from geo.region import resolve_region

#: Match methods from most to least certain.
METHODS = ("code", "exact", "alias", "fuzzy")

#: Key columns used at each level, codes first.
DESA_KEYS = ("kode_desa", "kode", "desa")
KECAMATAN_KEYS = ("kode_kecamatan", "kode", "kode_bps", "kecamatan")

#: Names that mark a total or subtotal row rather than a region.
TOTAL_ROW_NAMES = frozenset({
    "jumlah", "jml", "total", "grandtotal", "subtotal", "jumlahtotal", "totalkeseluruhan",
    "jumlahkeseluruhan", "kabupaten", "kabgarut", "kabupatengarut", "garut",
})

#: Texts that start a total or subtotal label ("Jumlah Kec. Leles", "TOTAL KABUPATEN", "Sub total").
_TOTAL_WORDS = re.compile(r"^\s*(jumlah|jml|total|sub\s*-?\s*total|grand\s*total|rekap(itulasi)?)\b", re.IGNORECASE)
#: A kecamatan label in a desa column: the row sums that kecamatan ("Kec. Leles", "KECAMATAN LELES").
_KECAMATAN_LABEL = re.compile(r"^\s*(kec\.|kec\s|kecamatan\b)", re.IGNORECASE)

_PREFIX = re.compile(r"^(desa|ds|kelurahan|kel|kecamatan|kec)(\.\s*|\s+)(?=\S)")
_NOISE = re.compile(r"[\s.\-_'`’‘\"/,()]+")
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")


def normalise_name(text: object) -> str:
    """Return the comparison form of a region name.

    Case, accents, spaces, dots, dashes, quotes and a leading type word
    ("Desa", "Ds.", "Kelurahan", "Kel.", "Kecamatan", "Kec.") are ignored, so
    ``"Kec. Karang Pawitan"`` and ``"KARANGPAWITAN"`` compare equal.

    Parameters
    ----------
    text : object
        A name as written in a file.

    Returns
    -------
    str
        Lower-case letters and digits only ('' for a blank name).
    """
    s = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    s = s.casefold().strip()
    s = _PREFIX.sub("", s)
    return _NOISE.sub("", s)


def code_digits(text: object) -> str | None:
    """Return the digits of a region code written in any accepted form.

    ``"32.05.01.1001"``, ``"3205011001"``, ``"32 05 01 1001"``, the float
    text Excel sometimes writes (``"3205011001.0"``, ``"3.205011001E+09"``)
    all give ``"3205011001"``.

    Returns
    -------
    str or None
        None when the text is not made of digits and separators.
    """
    s = str(text).strip()
    if re.fullmatch(r"\d+\.0+", s):
        s = s.split(".")[0]
    elif _SCIENTIFIC.fullmatch(s):
        try:
            value = Decimal(s)
        except InvalidOperation:  # pragma: no cover - the pattern excludes it
            return None
        if value != value.to_integral_value():
            return None
        s = str(int(value))
    s = re.sub(r"[.\s\-/]", "", s)
    return s if s.isdigit() else None


def dotted(digits: str) -> str:
    """Format 6 or 10 code digits as a dotted Kemendagri code."""
    parts = [digits[0:2], digits[2:4], digits[4:6]]
    if len(digits) > 6:
        parts.append(digits[6:])
    return ".".join(parts)


@dataclass(frozen=True)
class Resolution:
    """Outcome of matching one key.

    Attributes
    ----------
    kode : str or None
        Matched Kemendagri code (desa 13 characters, kecamatan 8), None when
        not matched.
    method : str or None
        ``code``, ``exact``, ``alias`` or ``fuzzy``.
    reason : str or None
        Machine reason when not matched (``unknown_code``, ``wrong_level``,
        ``name_not_found``, ``ambiguous_name``, ``total_row``).
    suggestion : str
        A catalog message for a person fixing the file (shown in the reader's language).
    score : float
        Fuzzy score (100 for the other methods).
    """

    kode: str | None
    method: str | None = None
    reason: str | None = None
    suggestion: str = ""
    score: float = 100.0

    @property
    def ok(self) -> bool:
        """True when a region was found."""
        return self.kode is not None


def _fail(reason: str, suggestion: str) -> Resolution:
    return Resolution(None, None, reason, suggestion)


def weakest(*methods: str) -> str:
    """Return the least certain of several match methods."""
    return max(methods, key=METHODS.index)


class RegionIndex:
    """Codes, names, aliases and polygons of one region, ready for matching.

    Build with :meth:`load` (cached per region and GeoPackage version).
    """

    def __init__(self, region: str, desa: pd.DataFrame, kecamatan: pd.DataFrame,
                 aliases: pd.DataFrame, bps: pd.DataFrame, geometry=None) -> None:
        self.region = region
        self.desa_nama: dict[str, str] = dict(zip(desa["kode"], desa["nama"]))
        self.desa_kec: dict[str, str] = dict(zip(desa["kode"], desa["kode_kec"]))
        self.kec_nama: dict[str, str] = dict(zip(kecamatan["kode"], kecamatan["nama"]))
        self.bps: dict[str, str] = dict(zip(bps["kode_bps"].astype(str), bps["kode"]))
        self._geometry = geometry
        self._desa_order = list(desa["kode"])
        # normalised name -> [(kode, method)], per scope
        self.kec_names: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.desa_names: dict[str | None, dict[str, list[tuple[str, str]]]] = defaultdict(
            lambda: defaultdict(list))
        for kode, nama in self.kec_nama.items():
            self.kec_names[normalise_name(nama)].append((kode, "exact"))
        for kode, nama in self.desa_nama.items():
            key = normalise_name(nama)
            self.desa_names[self.desa_kec[kode]][key].append((kode, "exact"))
            self.desa_names[None][key].append((kode, "exact"))
        bps_names = bps.rename(columns={"nama_bps": "alias"})[["kode", "alias"]]
        for kode, alias in pd.concat([aliases[["kode", "alias"]], bps_names]).itertuples(index=False):
            key = normalise_name(alias)
            if kode in self.kec_nama:
                tables = [self.kec_names]
            elif kode in self.desa_nama:
                tables = [self.desa_names[self.desa_kec[kode]], self.desa_names[None]]
            else:
                continue
            for table in tables:
                if not {(kode, "exact"), (kode, "alias")} & set(table[key]):
                    table[key].append((kode, "alias"))

    @classmethod
    def load(cls, region: str | None = None) -> RegionIndex:
        """Return the (cached) index of a region (default the region in use), built first if needed.

        Raises
        ------
        core.errors.SourceNotFoundError
            If the region's boundaries are not built and cannot be.
        """
        region = resolve_region(region)
        path = gpkg_path(region)
        mtime = path.stat().st_mtime if path.is_file() else 0.0
        return _load_index(region, str(path), mtime)

    # -- names for people ---------------------------------------------------
    def label(self, kode: str) -> str:
        """Official name of a code; desa as ``"Desa (Kecamatan)"``."""
        if kode in self.desa_nama:
            return f"{self.desa_nama[kode]} ({self.kec_nama.get(self.desa_kec[kode], '?')})"
        return self.kec_nama.get(kode, kode)

    def names_of(self, kode: str) -> set[str]:
        """Normalised official and alias names of a code."""
        table = self.kec_names if kode in self.kec_nama else self.desa_names[None]
        return {name for name, hits in table.items() if any(k == kode for k, _ in hits)}

    # -- codes ----------------------------------------------------------------
    def match_code(self, text: str, level: str) -> Resolution:
        """Match a Kemendagri or BPS code at the expected level.

        Parameters
        ----------
        text : str
            The code as written (dotted, undotted, BPS 7-digit).
        level : str
            ``"desa"`` or ``"kecamatan"``: the level the row must have.

        Returns
        -------
        Resolution
            Reasons ``unknown_code`` or ``wrong_level`` when not matched.
        """
        digits = code_digits(text)
        region_digits = self.region.replace(".", "")
        if digits is None or len(digits) not in (6, 7, 10):
            return _fail("unknown_code", Message("match.not_a_code"))
        if len(digits) == 7:
            kind, kode = "kecamatan", self.bps.get(digits)
        else:
            kind = "desa" if len(digits) == 10 else "kecamatan"
            kode = dotted(digits)
            if kode not in (self.desa_nama if kind == "desa" else self.kec_nama):
                kode = None
        if kode is None:
            return _fail("unknown_code", self._unknown_code_hint(digits, kind, region_digits))
        if kind != level:
            return _fail(
                "wrong_level", Message("match.wrong_level", kind=kind, name=self.label(kode), level=level)
            )
        return Resolution(kode, "code")

    def _unknown_code_hint(self, digits: str, kind: str, region_digits: str) -> Message:
        if not digits.startswith(region_digits):
            return Message("match.outside_region", region=self.region)
        if len(digits) == 7:
            return Message("match.bps_not_in_crosswalk")
        if len(digits) == 10 and digits[:7] in self.bps:
            return Message("match.bps_desa_code")
        return Message("match.code_not_listed", kind=kind, kode=dotted(digits))

    # -- names ----------------------------------------------------------------
    def match_kecamatan(self, name: str, threshold: float) -> Resolution:
        """Match a kecamatan name (exact, alias, then fuzzy)."""
        return self._match_name(name, self.kec_names, threshold, "kecamatan", scope_label="")

    def match_desa(self, name: str, kec_kode: str | None, threshold: float) -> Resolution:
        """Match a desa name within a kecamatan (or the whole region if None).

        Without a kecamatan, a name that several desa share (Mekarsari) is
        ``ambiguous_name``.
        """
        scope_label = self.kec_nama[kec_kode] if kec_kode else ""
        found = self._match_name(name, self.desa_names[kec_kode], threshold, "desa", scope_label)
        elsewhere = self.desa_names[None].get(normalise_name(name)) if kec_kode and not found.ok else None
        if found.reason == "name_not_found" and elsewhere:
            where = ", ".join(self.label(k) for k in sorted({k for k, _ in elsewhere}))
            return _fail(
                "name_not_found",
                Message("match.desa_elsewhere", kecamatan=self.kec_nama[kec_kode], where=where),
            )
        return found

    def _match_name(self, name: str, table: dict[str, list[tuple[str, str]]], threshold: float,
                    kind: str, scope_label: str) -> Resolution:
        key = normalise_name(name)
        hits = table.get(key)
        if hits:
            exact = [h for h in hits if h[1] == "exact"]
            chosen = exact or hits
            if len({k for k, _ in chosen}) == 1:
                return Resolution(chosen[0][0], chosen[0][1])
            return _fail("ambiguous_name", self._ambiguous_hint(name, [k for k, _ in chosen], kind))
        if key in TOTAL_ROW_NAMES:
            return _fail("total_row", Message("match.total_row"))
        choices = list(table)
        found = process.extract(key, choices, scorer=fuzz.ratio, limit=12, score_cutoff=min(threshold, 60))
        good = [(choice, score) for choice, score, _ in found if score >= threshold]
        if good:
            best = good[0][1]
            top = {k for choice, score in good if score == best for k, _ in table[choice]}
            if len(top) == 1:
                return Resolution(top.pop(), "fuzzy", score=float(best))
            return _fail("ambiguous_name", self._ambiguous_hint(name, sorted(top), kind))
        near = []
        for choice, _score, _ in found:
            for k, _m in table[choice]:
                if self.label(k) not in near:
                    near.append(self.label(k))
        key = "match.unknown_name_in" if scope_label else "match.unknown_name"
        if near:
            return _fail("name_not_found", Message(f"{key}_maybe", kind=kind, kecamatan=scope_label,
                                                   near=", ".join(near[:3])))
        return _fail("name_not_found", Message(key, kind=kind, kecamatan=scope_label))

    def _ambiguous_hint(self, name: str, codes: list[str], kind: str) -> Message:
        where = ", ".join(self.label(k) for k in sorted(codes)[:8])
        return Message("match.ambiguous", n=len(codes), kind=kind, where=where)

    def name_agrees(self, name: str, kode: str, threshold: float) -> bool:
        """Tell whether a name written beside a code fits that code."""
        key = normalise_name(name)
        names = self.names_of(kode)
        if kode in self.desa_nama:
            names.add(normalise_name(self.desa_nama[kode]))
        return key in names or any(fuzz.ratio(key, n) >= threshold for n in names)

    # -- points ---------------------------------------------------------------
    @cached_property
    def _desa_polygons(self) -> tuple[np.ndarray, np.ndarray]:
        geometry = self._geometry if self._geometry is not None else load_layer("desa", self.region)
        geometry = geometry.sort_values("kode")
        polygons = geometry.geometry.to_numpy()
        shapely.prepare(polygons)          # once per index: every file located with it reuses them
        return polygons, geometry["kode"].to_numpy(dtype=object)

    def locate(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Return the desa code covering each point (None outside every desa).

        Vectorised over all points (:func:`geo.locate.covering_positions`).
        A point on a shared border goes to the lowest code.

        Parameters
        ----------
        lon, lat : numpy.ndarray
            WGS84 degrees, finite.

        Returns
        -------
        numpy.ndarray
            Object array of desa codes or None.
        """
        where, codes = self.locate_positions(lon, lat)
        out = np.empty(len(where), dtype=object)
        inside = where >= 0
        out[inside] = codes[where[inside]]
        return out

    def locate_positions(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`locate` as positions: ``(position in codes of each point, -1 outside; the codes)``.

        For callers that count points per desa: no code string is made per point.
        """
        polygons, codes = self._desa_polygons
        return covering_positions(polygons, lon, lat), codes


# -- one row's key cells ------------------------------------------------------------

@dataclass
class KeyResult:
    """Outcome of matching one distinct combination of key cells."""

    kode: str | None
    method: str | None = None
    input: str = ""
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # (role, reason, suggestion)


def _missing_key(level: str) -> Message:
    return Message(f"match.missing_key_{level}")


def total_row_role(values: dict[str, str], level: str) -> str | None:
    """The key role whose text marks a total or subtotal row, or None.

    ``Jumlah``, ``TOTAL``, ``Sub total``, ``Jumlah Kec. Leles`` in a name
    column; in a desa table also a kecamatan label in the desa column
    (``Kec. Leles``, ``KECAMATAN LELES``), which would otherwise match the
    desa that shares the kecamatan's name (38 do in Garut).
    """
    for role in ("desa", "kecamatan"):
        text = values.get(role)
        if not text:
            continue
        if _TOTAL_WORDS.match(text) or normalise_name(text) in TOTAL_ROW_NAMES:
            return role
        if level == "desa" and role == "desa" and _KECAMATAN_LABEL.match(text):
            return role
    return None


def resolve_key(values: dict[str, str], level: str, index: RegionIndex, threshold: float) -> KeyResult:
    """Match one combination of key cells (role -> cell text) at a level.

    A total or subtotal label (:func:`total_row_role`) is ``total_row``.  A
    code wins over names; names beside a code are checked against it
    (``key_mismatch``).  Without a code, a desa name is matched within the
    kecamatan given by ``kode_kecamatan``, ``kode_bps`` or ``kecamatan``.
    """
    total_role = total_row_role(values, level)
    if total_role:
        return KeyResult(None, problems=[(total_role, "total_row", Message("match.total_row"))])
    code_roles = ("kode_desa", "kode") if level == "desa" else ("kode_kecamatan", "kode", "kode_bps")
    code_role = next((r for r in code_roles if values.get(r)), None)
    if code_role:
        found = index.match_code(values[code_role], level)
        if not found.ok:
            return KeyResult(None, problems=[(code_role, found.reason, found.suggestion)])
        kode = found.kode
        problems = []
        if level == "desa":
            if values.get("desa") and not index.name_agrees(values["desa"], kode, threshold):
                problems.append(("desa", "key_mismatch", _mismatch(index, kode)))
            parent = index.desa_kec[kode]
            for role in ("kode_kecamatan", "kode_bps", "kecamatan"):
                if values.get(role):
                    scope = _scope(role, values[role], index, threshold)
                    if scope.ok and scope.kode != parent:
                        problems.append((role, "key_mismatch", _mismatch(index, kode)))
        else:
            for role in ("kode_kecamatan", "kode", "kode_bps"):
                if role != code_role and values.get(role):
                    other = index.match_code(values[role], "kecamatan")
                    if other.ok and other.kode != kode:
                        problems.append((role, "key_mismatch", _mismatch(index, kode)))
            if values.get("kecamatan") and not index.name_agrees(values["kecamatan"], kode, threshold):
                problems.append(("kecamatan", "key_mismatch", _mismatch(index, kode)))
        if problems:
            return KeyResult(None, problems=problems)
        return KeyResult(kode, "code", values[code_role])
    if level == "kecamatan":
        if not values.get("kecamatan"):
            return KeyResult(None, problems=[(_first_key(values, KECAMATAN_KEYS), "missing_value",
                                              _missing_key(level))])
        found = index.match_kecamatan(values["kecamatan"], threshold)
        if not found.ok:
            return KeyResult(None, problems=[("kecamatan", found.reason, found.suggestion)])
        return KeyResult(found.kode, found.method, values["kecamatan"])
    scope_kode, scope_method, scope_text = None, None, ""
    for role in ("kode_kecamatan", "kode_bps", "kecamatan"):
        if values.get(role):
            scope = _scope(role, values[role], index, threshold)
            if not scope.ok:
                return KeyResult(None, problems=[(role, scope.reason, scope.suggestion)])
            scope_kode, scope_method, scope_text = scope.kode, scope.method, values[role]
            break
    if not values.get("desa"):
        return KeyResult(None, problems=[(_first_key(values, DESA_KEYS), "missing_value", _missing_key(level))])
    found = index.match_desa(values["desa"], scope_kode, threshold)
    if not found.ok:
        return KeyResult(None, problems=[("desa", found.reason, found.suggestion)])
    method = weakest(found.method, scope_method) if scope_method else found.method
    text = f"{values['desa']} ({scope_text})" if scope_text else values["desa"]
    return KeyResult(found.kode, method, text)


def _first_key(values: dict[str, str], roles: tuple[str, ...]) -> str:
    return next((r for r in roles if r in values), next(iter(values), roles[0]))


def _scope(role: str, text: str, index: RegionIndex, threshold: float):
    if role == "kecamatan":
        return index.match_kecamatan(text, threshold)
    return index.match_code(text, "kecamatan")


def _mismatch(index: RegionIndex, kode: str) -> Message:
    return Message("match.key_mismatch", name=index.label(kode))



@lru_cache(maxsize=4)
def _load_index(region: str, path: str, mtime: float) -> RegionIndex:
    desa = load_layer("desa", region)
    kecamatan = load_layer("kecamatan", region)
    aliases = load_layer("alias_nama", region)
    bps = load_layer("kecamatan_bps", region)
    return RegionIndex(region, desa.drop(columns="geometry"), kecamatan, aliases, bps,
                       geometry=desa[["kode", "geometry"]])
