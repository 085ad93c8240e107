"""Outreach tables as files: the visit plan and the visit log (CSV or XLSX).

Both go through :func:`render.spreadsheet.write_table`, the one writer that
neutralises formulas in every cell.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from analysis.trips import TRIP_HEADERS, TripPlan
from analysis.visits import VISIT_HEADERS, VisitLog
from geo.boundaries import load_layer
from render.spreadsheet import write_table


def export_trips(plan: TripPlan, path: str | os.PathLike[str], notes: list[str] | None = None,
                 source_label: str | None = None) -> Path:
    """Export the visit plan (one row per stop) to CSV or XLSX with Indonesian headers.

    Parameters
    ----------
    plan : TripPlan
    path : path-like
        ``.csv`` or ``.xlsx``.
    notes : list of str, optional
        Extra lines for the XLSX "Keterangan" sheet.
    source_label : str, optional
        E.g. :data:`ingest.sites.ILLUSTRATIVE_LABEL` when the ranking used
        the illustrative sites: added as a column "Sumber data lokasi" (so the
        CSV carries it too) and as a note.
    """
    stops = plan.stops
    headers = dict(TRIP_HEADERS)
    if source_label:
        stops = stops.assign(sumber_lokasi=source_label)
        headers["sumber_lokasi"] = "Sumber data lokasi"
    start_note = (f"Titik awal: {plan.start.name} ({plan.start.lat}, {plan.start.lon})"
                  + ("" if plan.start.configured else
                     "; atur koordinat kantor cabang di [start_point] config/outreach.toml"))
    all_notes = [start_note, "Jarak garis lurus antar titik (EPSG:32748), bukan jarak jalan.",
                 *([source_label] if source_label else []), *(notes or [])]
    return write_table(stops, path, headers, sheet_name="Rencana kunjungan", notes=all_notes)


def export_visits(log: VisitLog, path: str | os.PathLike[str], desa: pd.DataFrame | None = None) -> Path:
    """Export the visit log to CSV or XLSX (Indonesian headers, formulas in notes neutralised).

    Parameters
    ----------
    log : VisitLog
    path : path-like
        ``.csv`` or ``.xlsx``.
    desa : DataFrame, optional
        ``kode, nama, kecamatan`` to add desa and kecamatan names
        (default: the Garut desa layer).

    Returns
    -------
    Path
        The file written.
    """
    if desa is None:
        desa = load_layer("desa")
    names = pd.DataFrame(desa)[["kode", "nama", "kecamatan"]].rename(
        columns={"kode": "kode_desa", "nama": "desa"})
    frame = log.visits().merge(names, on="kode_desa", how="left")
    return write_table(frame, path, VISIT_HEADERS, sheet_name="Log kunjungan")
