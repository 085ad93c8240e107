"""Dukcapil 2024 population per desa, matched to Kemendagri desa codes (reference data for the denominator).

The source is ``dukcapil_penduduk_desa`` under the shared data (see its
PROVENANCE.md): two snapshots of Dukcapil's administrative register for
Jawa Barat, ``s1`` (semester 1 2024, BPS-style codes, every desa once) and
``s2`` (semester 2 2024, names only, with exact repeats of rows from the
scrape).  :func:`population_table` reads one through the one table reader,
keeps the region's rows, finds each desa's Kemendagri code (kecamatan by
BPS code or name, desa by name within the kecamatan) and returns one row per
desa with the population and the population aged 15–64.

Nothing is counted twice: an exact repeat of a row is reported and dropped;
two different rows for one desa, or a row no desa matches, are reported and
left out.  :func:`build_population` writes the table for the region to the
git-ignored ``data/population/`` at set-up (a derived file, never committed).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from core.errors import SourceCorruptError, SourceNotFoundError
from geo.boundaries import load_layer
from geo.paths import PROJECT_ROOT, reference_dir
from geo.region import is_province, resolve_region
from ingest.matching import RegionIndex
from ingest.reader import load_source, read_grid
from ingest.validation import cell_text, parse_count

#: The snapshots: id -> (file, label).
SOURCES = {
    "s1": ("penduduk_desa_jabar_2024s1.csv", "Dukcapil Kemendagri, semester 1 2024", "2024-06"),
    "s2": ("penduduk_desa_jabar_2024s2.csv", "Dukcapil Kemendagri, semester 2 2024", "2024-12"),
}
#: Age bands of the working-age population (15–64).
WORKING_AGE_BANDS = ("15 - 19", "20 - 24", "25 - 29", "30 - 34", "35 - 39", "40 - 44", "45 - 49", "50 - 54",
                     "55 - 59", "60 - 64")
_TOTAL = "Jumlah Penduduk"
_BUILD_VERSION = "4"


def population_dir() -> Path:
    """Where built population tables live (git-ignored ``data/population``; ``PETA_POPULATION_DIR``)."""
    env = os.environ.get("PETA_POPULATION_DIR")
    return Path(env) if env else PROJECT_ROOT / "data" / "population"


def source_path(source: str) -> Path:
    """The shared CSV of a snapshot (``s1`` or ``s2``)."""
    if source not in SOURCES:
        raise ValueError(f"population source must be one of {sorted(SOURCES)}, not {source!r}.")
    return reference_dir("dukcapil_penduduk_desa") / SOURCES[source][0]


@dataclass
class PopulationTable:
    """Population per desa of a region from one snapshot.

    Attributes
    ----------
    desa : DataFrame
        ``kode``, ``penduduk``, ``penduduk_15_64`` (int), one row per matched desa, by code.
    source : dict
        ``id``, ``label``, ``date`` (end of the semester), ``file``, ``licence``.
    repeats : list of dict
        Exact repeats dropped: ``row`` (file row), ``kode``, ``nama``.
    conflicts : list of dict
        Desa given by two different rows (all left out): ``rows``, ``kode``.
    unmatched : list of dict
        Region rows no desa matched: ``row``, ``kecamatan``, ``desa``.
    missing : list of str
        Desa codes of the region with no row.
    """

    desa: pd.DataFrame
    source: dict[str, str]
    repeats: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    unmatched: list[dict[str, Any]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def _count(value: Any, where: str) -> int:
    number, reason = parse_count(value)
    if number is None:
        raise SourceCorruptError("population.bad_count", where=where, value=repr(cell_text(value)), reason=reason)
    return number


def population_table(source: str = "s1", region: str | None = None, path: Path | None = None) -> PopulationTable:
    """Read a Dukcapil snapshot and match its desa of ``region`` to Kemendagri codes.

    Parameters
    ----------
    source : {"s1", "s2"}
    region : str, optional
        Kabupaten/kota code (``32.05`` Garut); default the region in use (:func:`geo.region.region_in_use`).
    path : pathlib.Path, optional
        The CSV (default :func:`source_path`).

    Raises
    ------
    SourceNotFoundError
        If the CSV is missing.
    SourceCorruptError
        If a count cannot be read.
    """
    region = resolve_region(region)
    path = path or source_path(source)
    if not path.is_file():
        raise SourceNotFoundError("population.source_missing", path=path)
    if is_province(region):
        return _province_table(source, region)
    name, data = load_source(path)
    grid, _meta, _merged = read_grid(name, data)
    header = [cell_text(v) for v in grid.iloc[0]]
    rows = grid.iloc[1:].reset_index(drop=True)
    rows.columns = header
    index = RegionIndex.load(region)
    in_region = _region_rows(rows, region, index)
    seen: dict[tuple, int] = {}
    by_code: dict[str, list[int]] = {}
    repeats, unmatched = [], []
    records: dict[int, tuple[str, int, int]] = {}
    for pos in in_region:
        row = rows.iloc[pos]
        file_row = pos + 2
        fingerprint = tuple(cell_text(v) for v in row)
        if fingerprint in seen:
            repeats.append({"row": file_row, "same_as_row": seen[fingerprint], "nama": cell_text(row["Kelurahan/Desa"])})
            continue
        seen[fingerprint] = file_row
        kode = _desa_code(row, index)
        if kode is None:
            unmatched.append({"row": file_row, "kecamatan": cell_text(row["Kecamatan"]),
                              "desa": cell_text(row["Kelurahan/Desa"])})
            continue
        where = f"{path.name} row {file_row}"
        total = _count(row[_TOTAL], where)
        working = sum(_count(row[band], where) for band in WORKING_AGE_BANDS)
        records[file_row] = (kode, total, working)
        by_code.setdefault(kode, []).append(file_row)
    conflicts = [{"rows": r, "kode": k} for k, r in by_code.items() if len(r) > 1]
    kept = [records[r[0]] for k, r in by_code.items() if len(r) == 1]
    desa = pd.DataFrame(kept, columns=["kode", "penduduk", "penduduk_15_64"]).sort_values("kode").reset_index(
        drop=True)
    missing = sorted(set(index.desa_nama) - set(desa["kode"]))
    return PopulationTable(desa, {"id": source, "label": SOURCES[source][1], "date": SOURCES[source][2],
                                  "file": path.name, "licence": "MIT"},
                           repeats, conflicts, unmatched, missing)


def _province_table(source: str, province: str) -> PopulationTable:
    """The province's table: each kabupaten/kota matched on its own (kecamatan names repeat between them)."""
    codes = sorted(load_layer("kabupaten", province)["kode"])
    parts = [load_population(source, code) for code in codes]
    desa = pd.concat([p.desa for p in parts]).sort_values("kode").reset_index(drop=True)
    return PopulationTable(desa, parts[0].source, *(sum((getattr(p, name) for p in parts), [])
                                                     for name in ("repeats", "conflicts", "unmatched", "missing")))


def _region_rows(rows: pd.DataFrame, region: str, index: RegionIndex) -> list[int]:
    """Positions of the rows of the kabupaten: by BPS code (S1), else by the kecamatan names of the region (S2)."""
    if "kode_kabupaten" in rows.columns:
        wanted = region.replace(".", "")
        return [i for i, v in enumerate(rows["kode_kabupaten"]) if cell_text(v) == wanted]
    from_codes = {cell_text(v) for v in rows["Kabupaten/Kota"]}
    names = [n for n in from_codes if n.upper().startswith(("KABUPATEN ", "KOTA "))]
    # The kabupaten whose kecamatan names match the region's best (S2 has no codes).
    def fit(kab: str) -> int:
        kecamatan = {cell_text(v) for v, k in zip(rows["Kecamatan"], rows["Kabupaten/Kota"]) if cell_text(k) == kab}
        return sum(index.match_kecamatan(name, 90).ok for name in kecamatan)
    best = max(names, key=fit)
    return [i for i, v in enumerate(rows["Kabupaten/Kota"]) if cell_text(v) == best]


def _desa_code(row: pd.Series, index: RegionIndex) -> str | None:
    """The Kemendagri code of a Dukcapil row: kecamatan by BPS code (S1) or name, desa by name within it."""
    kec = None
    if "kode_kecamatan" in row.index and cell_text(row["kode_kecamatan"]):
        found = index.match_code(cell_text(row["kode_kecamatan"]), "kecamatan")
        kec = found.kode if found.ok else None
    if kec is None:
        found = index.match_kecamatan(cell_text(row["Kecamatan"]), 90)
        kec = found.kode if found.ok else None
    if kec is None:
        return None
    found = index.match_desa(cell_text(row["Kelurahan/Desa"]), kec, 90)
    return found.kode if found.ok else None


def _fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def built_path(source: str, region: str) -> Path:
    """The built table of a snapshot and region."""
    return population_dir() / f"penduduk_desa_{region}_{source}.json"


def build_population(source: str = "s1", region: str | None = None, force: bool = False) -> Path:
    """Build (when missing or stale) the matched table of a snapshot for a region; return its path.

    The file is JSON: the desa rows, the source and what was dropped.  ``region``: default the region in use.
    """
    region = resolve_region(region)
    src = source_path(source)
    out = built_path(source, region)
    if not src.is_file():
        if out.is_file():
            return out
        raise SourceNotFoundError("population.source_missing", path=src)
    fingerprint = _fingerprint(src)
    if out.is_file() and not force:
        info = json.loads(out.read_text(encoding="utf-8"))
        if info.get("fingerprint") == fingerprint and info.get("build_version") == _BUILD_VERSION:
            return out
    table = population_table(source, region, src)
    out.parent.mkdir(parents=True, exist_ok=True)
    payload = {"build_version": _BUILD_VERSION, "fingerprint": fingerprint, "region": region,
               "source": table.source, "desa": table.desa.to_dict("records"), "repeats": table.repeats,
               "conflicts": table.conflicts, "unmatched": table.unmatched, "missing": table.missing}
    tmp = out.with_suffix(".tmp")
    tmp.write_text(json.dumps(payload, ensure_ascii=False, default=int), encoding="utf-8")
    tmp.replace(out)
    return out


def load_population(source: str = "s1", region: str | None = None) -> PopulationTable:
    """The matched table of a snapshot (built first when needed); ``region``: default the region in use."""
    info = json.loads(build_population(source, region).read_text(encoding="utf-8"))
    desa = pd.DataFrame(info["desa"], columns=["kode", "penduduk", "penduduk_15_64"])
    return PopulationTable(desa, info["source"], info["repeats"], info["conflicts"], info["unmatched"],
                           info["missing"])
