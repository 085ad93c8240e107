"""Outreach tables as files: the visit plan and the visit log (CSV or XLSX).

Both go through :func:`render.spreadsheet.write_table`, the one writer that
neutralises formulas in every cell.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from analysis.trips import TRIP_COLUMNS, TripPlan
from analysis.visits import VISIT_COLUMNS, VisitLog
from core.i18n import localize, t
from geo.boundaries import load_layer
from render.spreadsheet import write_table


def trip_headers(lang: str = "id") -> dict[str, str]:
    """Column -> header of the visit-plan table in a language."""
    return {column: t(f"export.trip.{column}", lang) for column in TRIP_COLUMNS}


def visit_headers(lang: str = "id") -> dict[str, str]:
    """Column -> header of the visit-log table in a language."""
    return {column: t(f"export.visit.{column}", lang) for column in VISIT_COLUMNS}


def export_trips(plan: TripPlan, path: str | os.PathLike[str], notes: list[str] | None = None,
                 source_label: str | None = None, lang: str = "id") -> Path:
    """Export the visit plan (one row per stop) to CSV or XLSX, headers and notes in ``lang``.

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
    lang : str
        ``"id"`` (default) or ``"en"``.
    """
    stops = plan.stops
    headers = trip_headers(lang)
    if source_label:
        stops = stops.assign(sumber_lokasi=source_label)
        headers["sumber_lokasi"] = t("export.trip.sumber_lokasi", lang)
    where = dict(name=plan.start.name, lat=plan.start.lat, lon=plan.start.lon)
    start_note = (t("export.trip.start_note", lang, **where) if plan.start.configured
                  else t("export.trip.start_note_default", lang, **where))
    all_notes = [start_note, localize(plan.distance_note(), lang),
                 *([source_label] if source_label else []), *(notes or [])]
    return write_table(stops, path, headers, sheet_name=t("export.sheet.trips", lang), notes=all_notes, lang=lang)


def export_visits(log: VisitLog, path: str | os.PathLike[str], desa: pd.DataFrame | None = None,
                  lang: str = "id") -> Path:
    """Export the visit log to CSV or XLSX (Indonesian headers, formulas in notes neutralised).

    Parameters
    ----------
    log : VisitLog
    path : path-like
        ``.csv`` or ``.xlsx``.
    desa : DataFrame, optional
        ``kode, nama, kecamatan`` to add desa and kecamatan names
        (default: the Garut desa layer).
    lang : str
        Language of the headers.

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
    return write_table(frame, path, visit_headers(lang), sheet_name=t("export.sheet.visits", lang), lang=lang)
