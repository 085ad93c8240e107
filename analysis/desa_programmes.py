"""Desa programmes in numbers: what each desa has agreed to, as the map's tooltip and card show it, and totals.

:func:`programme_fields` turns a :class:`ingest.desa_programmes.ProgrammeCheck`
table into one row per desa of texts for people (catalog messages, shown in
the reader's language): the Desa Sadar Jamsostek status with its date, the
perangkat desa registered of all, the active Perisai agents.
:func:`programme_totals` counts them over the region.
"""

from __future__ import annotations

import pandas as pd

from core.formatting import Figure
from core.i18n import Message

#: Columns :func:`programme_fields` adds (and the map's tooltip rows show), in order.
PROGRAMME_FIELDS = ("programme_sadar", "programme_perangkat", "programme_perisai")


def _sadar(status: str | None, date) -> Message | None:
    if status is None and date is None:
        return None
    if status in (None, "sudah") and date is not None:
        return Message("programmes.sadar.sudah_on", date=Figure(date, "date"))
    return Message(f"programmes.sadar.{status}")


def programme_fields(table: pd.DataFrame) -> pd.DataFrame:
    """One row per desa (indexed by ``kode``): :data:`PROGRAMME_FIELDS` as messages (None where not given)."""
    rows = {}
    for r in table.itertuples(index=False):
        registered, total = r.perangkat_registered, r.perangkat_total
        perangkat = (Message("programmes.perangkat", registered=Figure(int(registered), "count"),
                             total=Figure(int(total), "count"))
                     if pd.notna(registered) and pd.notna(total)
                     else Figure(int(registered), "count") if pd.notna(registered) else None)
        rows[r.kode_desa] = {"programme_sadar": _sadar(r.sadar_status, r.sadar_date), "programme_perangkat": perangkat,
                             "programme_perisai": None if pd.isna(r.perisai_active) else int(r.perisai_active)}
    index = pd.Index(list(rows), name="kode", dtype=object)
    # object columns: pandas would store the messages as plain (Indonesian) strings
    return pd.DataFrame({column: pd.Series([rows[k][column] for k in rows], index=index, dtype=object)
                         for column in PROGRAMME_FIELDS}, index=index)


def with_programmes(regions: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """``regions`` (desa, with ``kode``) with :data:`PROGRAMME_FIELDS` (None for a desa the table leaves out)."""
    fields = programme_fields(table)
    out = regions.copy()
    for column in PROGRAMME_FIELDS:
        # object dtype: pandas would turn the messages into plain (Indonesian) strings
        out[column] = pd.Series([fields[column].get(k) if k in fields.index else None for k in out["kode"]],
                                index=out.index, dtype=object)
    return out


def programme_totals(table: pd.DataFrame) -> dict[str, int]:
    """Desa per Desa Sadar status (``sudah``/``proses``/``belum``), perangkat registered of all, Perisai agents."""
    status = table["sadar_status"].where(table["sadar_status"].notna(),
                                         table["sadar_date"].map(lambda d: "sudah" if d is not None else None))
    counts = status.value_counts()
    both = table["perangkat_registered"].notna() & table["perangkat_total"].notna()
    return {
        "desa": int(len(table)),
        "sadar_sudah": int(counts.get("sudah", 0)), "sadar_proses": int(counts.get("proses", 0)),
        "sadar_belum": int(counts.get("belum", 0)),
        "perangkat_registered": int(table.loc[both, "perangkat_registered"].sum()),
        "perangkat_total": int(table.loc[both, "perangkat_total"].sum()),
        "perisai_active": int(table["perisai_active"].fillna(0).sum()),
    }
