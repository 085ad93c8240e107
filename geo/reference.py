"""Kemendagri code lists, old names and the BPS kecamatan crosswalk.

Sources (read at set-up only, never committed):

* ``cahyadsn_wilayah/wilayah_32.csv``: Kemendagri 2025 codes and names;
* ``cahyadsn_wilayah/garut_name_history.csv``: Garut names that changed
  since the 2018-2023 editions (kept as aliases for name matching);
* ``fegarutsatudata_bps_kecamatan/kecamatan_bps_kemendagri_garut.csv``: BPS
  7-digit kecamatan codes mapped to Kemendagri codes (the numberings differ).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from core.errors import SourceCorruptError, SourceNotFoundError
from geo.paths import reference_dir

#: Spelling variants of kecamatan names seen in BPS tables and older lists,
#: beyond what normalising case, spaces and dots already equates.
KNOWN_KECAMATAN_VARIANTS: dict[str, tuple[str, ...]] = {
    "32.05.38": ("Bl. Limbangan", "Balubur Limbangan", "Blubur Limbangan"),
}


def _read_csv(folder: str, filename: str, required: set[str]) -> pd.DataFrame:
    path = reference_dir(folder) / filename
    if not path.is_file():
        raise SourceNotFoundError(
            "reference.file_missing", path=path
        )
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = required - set(frame.columns)
    if missing:
        raise SourceCorruptError(
            "reference.columns_missing", path=path, missing=sorted(missing), columns=list(frame.columns)
        )
    return frame


def kemendagri_codes(prefix: str) -> pd.DataFrame:
    """Return the Kemendagri 2025 codes and names under a prefix.

    Parameters
    ----------
    prefix : str
        E.g. ``"32.05"``; only codes starting with ``prefix + "."`` and the
        prefix itself are returned.

    Returns
    -------
    pandas.DataFrame
        Columns ``kode``, ``nama``, ``tingkat``, ``kode_induk``.
    """
    frame = _read_csv("cahyadsn_wilayah", "wilayah_32.csv", {"kode", "nama", "tingkat"})
    keep = frame["kode"].eq(prefix) | frame["kode"].str.startswith(prefix + ".")
    return frame[keep].reset_index(drop=True)


@dataclass
class ReferenceCheck:
    """Result of comparing boundary codes and names with the code list.

    Attributes
    ----------
    missing_in_boundaries : list of str
        Codes in the Kemendagri list with no polygon.
    not_in_reference : list of str
        Polygon codes absent from the Kemendagri list.
    name_differs : list of dict
        ``{"kode", "boundary", "reference"}`` where the names differ
        (ignoring case).
    """

    missing_in_boundaries: list[str] = field(default_factory=list)
    not_in_reference: list[str] = field(default_factory=list)
    name_differs: list[dict[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when codes and names agree completely."""
        return not (self.missing_in_boundaries or self.not_in_reference or self.name_differs)

    def as_dict(self) -> dict[str, object]:
        """Counts and the first few examples, for the JSON summary."""
        return {
            "missing_in_boundaries": len(self.missing_in_boundaries),
            "not_in_reference": len(self.not_in_reference),
            "name_differs": len(self.name_differs),
            "examples": (self.missing_in_boundaries + self.not_in_reference)[:5]
            + [d["kode"] for d in self.name_differs[:5]],
        }


def check_codes(boundary: pd.DataFrame, region: str, code_length: int = 13) -> ReferenceCheck:
    """Compare boundary codes and names with the Kemendagri 2025 list.

    Parameters
    ----------
    boundary : DataFrame
        With columns ``kode`` and ``nama``.
    region : str
        Region prefix, e.g. ``"32.05"``.
    code_length : int
        Length of the codes compared (13 = desa/kelurahan).

    Returns
    -------
    ReferenceCheck
    """
    ref = kemendagri_codes(region)
    ref = ref[ref["kode"].str.len() == code_length].set_index("kode")["nama"]
    got = boundary.set_index("kode")["nama"]
    check = ReferenceCheck(
        missing_in_boundaries=sorted(set(ref.index) - set(got.index)),
        not_in_reference=sorted(set(got.index) - set(ref.index)),
    )
    for kode in sorted(set(ref.index) & set(got.index)):
        if ref[kode].casefold() != got[kode].casefold():
            check.name_differs.append({"kode": kode, "boundary": got[kode], "reference": ref[kode]})
    return check


def name_aliases(region: str) -> pd.DataFrame:
    """Return old and variant names for codes in a region.

    Parameters
    ----------
    region : str
        Region prefix; the name history covers Garut (32.05) only, so other
        regions get only the known variants under their prefix (usually none).

    Returns
    -------
    pandas.DataFrame
        Columns ``kode``, ``alias``, ``sumber`` (where the alias comes from),
        one row per distinct (kode, alias).
    """
    history = _read_csv("cahyadsn_wilayah", "garut_name_history.csv", {"kode", "nama_wilayah_sql_2025"})
    rows: list[dict[str, str]] = []
    for _, rec in history.iterrows():
        if not (rec["kode"] + ".").startswith(region + ".") or len(rec["kode"]) <= 5:
            continue
        for column in history.columns:
            if column.startswith("nama_archive_"):
                alias = rec[column].strip()
                if alias and alias.casefold() != rec["nama_wilayah_sql_2025"].casefold():
                    rows.append({"kode": rec["kode"], "alias": alias,
                                 "sumber": f"Kemendagri {column.rsplit('_', 1)[-1]}"})
    for kode, variants in KNOWN_KECAMATAN_VARIANTS.items():
        if kode.startswith(region + ".") or kode == region:
            rows.extend({"kode": kode, "alias": v, "sumber": "varian ejaan"} for v in variants)
    frame = pd.DataFrame(rows, columns=["kode", "alias", "sumber"])
    return frame.drop_duplicates(["kode", "alias"]).reset_index(drop=True)


def bps_kecamatan_crosswalk(region: str) -> pd.DataFrame:
    """Return the BPS 7-digit to Kemendagri kecamatan code crosswalk.

    Parameters
    ----------
    region : str
        Region prefix; the crosswalk covers Garut only.

    Returns
    -------
    pandas.DataFrame
        Columns ``kode_bps``, ``nama_bps``, ``kode`` (Kemendagri); empty when
        the region has no crosswalk.
    """
    frame = _read_csv(
        "fegarutsatudata_bps_kecamatan",
        "kecamatan_bps_kemendagri_garut.csv",
        {"kode_bps", "nama_bps", "kode_kemendagri"},
    )
    frame = frame.rename(columns={"kode_kemendagri": "kode"})[["kode_bps", "nama_bps", "kode"]]
    keep = frame["kode"].str.startswith(region + ".")
    return frame[keep].reset_index(drop=True)
