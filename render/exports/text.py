"""Words the exports print (titles, footers, table headers), in Bahasa Indonesia and English.

Metric names, KPI labels and the sample banner come from :mod:`core.i18n`
so that an export says exactly what the app says; the strings here are the
ones only documents need (page headers, source lines, table titles).
Plain text: the HTML export escapes them itself.
"""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date

from analysis.sample import SAMPLE_BANNER, SAMPLE_BANNER_EN
from core.formatting import check_lang, format_percent
from core.i18n import t

#: Attribution of the boundaries, printed on every map.
BOUNDARY_SOURCE = {
    "id": "Batas wilayah: Kemendagri 2025 (cahyadsn/wilayah_boundaries, MIT)",
    "en": "Boundaries: Ministry of Home Affairs 2025 (cahyadsn/wilayah_boundaries, MIT)",
}
#: Name of the tool, in footers and file metadata.
TOOL_NAME = "Peta Cakupan Jamsostek Garut"

_STRINGS: dict[str, dict[str, str]] = {
    "id": {
        "map.title": "{metric} per {level}, {kabupaten}",
        "map.title_kec": "{metric} per {level}, Kecamatan {kecamatan}, {kabupaten}",
        "level.desa": "desa/kelurahan",
        "level.kecamatan": "kecamatan",
        "level.desa_plural": "desa/kel.",
        "subtitle.period": "Periode {period}",
        "subtitle.no_period": "Periode tidak disebutkan",
        "subtitle.target": "target cakupan {target}",
        "subtitle.scheme": "kelas: {scheme}",
        "source.data": "Sumber data: {source}",
        "source.sample_suffix": " (DATA CONTOH)",
        "source.created": "Dibuat {date} dengan {tool}",
        "source.projection": "Proyeksi UTM zona 48S (EPSG:32748)",
        "legend.count": "{n} wilayah",
        "legend.kecamatan_outline": "Batas kecamatan",
        "legend.sites": "Lokasi kerja informal berisiko tinggi",
        "legend.sites_illustrative": "Lokasi kerja berisiko tinggi (ILUSTRATIF)",
        "legend.highlight": "Wilayah prioritas",
        "panel.kabupaten": "Angka kabupaten",
        "watermark": "DATA CONTOH",
        "north": "U",
        "data_status.sample": "DATA CONTOH — bukan data resmi BPJS Ketenagakerjaan",
        "data_status.user": "Data dari berkas pengguna",
        "briefing.title": "Ringkasan Cakupan BPJS Ketenagakerjaan — {kabupaten}",
        "briefing.title_p2": "Desa/kelurahan untuk dikunjungi — {kabupaten}",
        "briefing.subtitle": "Periode {period} · target cakupan {target} · dibuat {date}",
        "briefing.change": "{change} dibanding {previous}",
        "briefing.top_kecamatan": "10 kecamatan dengan kekurangan terbesar menuju target {target}",
        "briefing.top_desa_priorities": "Desa/kelurahan prioritas kunjungan (skor prioritas 0–100)",
        "briefing.top_desa_gap": (
            "Desa/kelurahan dengan kekurangan terbesar menuju target {target} "
            "(modul prioritas tidak tersedia: urutan menurut kekurangan saja)"
        ),
        "briefing.no_desa_data": (
            "Data per desa/kelurahan tidak tersedia (data masukan per kecamatan), "
            "sehingga daftar desa untuk dikunjungi tidak dapat disusun."
        ),
        "briefing.priority_note": (
            "Skor prioritas menggabungkan kekurangan menuju target, porsi pekerja informal, cakupan rendah, "
            "lokasi kerja berisiko tinggi dan lama sejak kunjungan terakhir (bobot di config/outreach.toml; "
            "rincian di docs/priorities.md)."
        ),
        "briefing.sites_illustrative_note": (
            "Lokasi kerja berisiko tinggi: daftar ILUSTRATIF (contoh dari sumber publik), bukan daftar resmi."
        ),
        "briefing.definitions": (
            "Tingkat cakupan = peserta aktif ÷ jumlah pekerja. Kekurangan = tambahan peserta agar cakupan "
            "mencapai target. Iuran JKK + JKM pekerja informal {contribution} per orang per bulan."
        ),
        "briefing.page": "Halaman {page} dari {pages}",
        "briefing.map_title": "Peta: {metric} per {level}",
        "briefing.kpi_contribution": "Iuran bulanan semua pekerja informal belum terlindungi",
        "col.no": "No",
        "col.rank": "Peringkat",
        "col.kecamatan": "Kecamatan",
        "col.desa": "Desa/Kelurahan",
        "col.workers": "Pekerja",
        "col.covered": "Peserta",
        "col.rate": "Cakupan",
        "col.gap": "Kekurangan",
        "col.score": "Skor",
        "col.reason": "Alasan",
    },
    "en": {
        "map.title": "{metric} by {level}, {kabupaten}",
        "map.title_kec": "{metric} by {level}, Kecamatan {kecamatan}, {kabupaten}",
        "level.desa": "village (desa/kelurahan)",
        "level.kecamatan": "sub-district (kecamatan)",
        "level.desa_plural": "villages",
        "subtitle.period": "Period {period}",
        "subtitle.no_period": "Period not given",
        "subtitle.target": "coverage target {target}",
        "subtitle.scheme": "classes: {scheme}",
        "source.data": "Data source: {source}",
        "source.sample_suffix": " (SAMPLE DATA)",
        "source.created": "Made {date} with {tool}",
        "source.projection": "UTM zone 48S projection (EPSG:32748)",
        "legend.count": "{n} areas",
        "legend.kecamatan_outline": "Kecamatan boundary",
        "legend.sites": "High-risk informal work sites",
        "legend.sites_illustrative": "High-risk work sites (ILLUSTRATIVE)",
        "legend.highlight": "Priority areas",
        "panel.kabupaten": "Regency figures",
        "watermark": "SAMPLE DATA",
        "north": "N",
        "data_status.sample": "SAMPLE DATA — not official BPJS Ketenagakerjaan figures",
        "data_status.user": "Data from the user's file",
        "briefing.title": "BPJS Ketenagakerjaan Coverage Briefing — {kabupaten}",
        "briefing.title_p2": "Villages to visit — {kabupaten}",
        "briefing.subtitle": "Period {period} · coverage target {target} · made {date}",
        "briefing.change": "{change} vs {previous}",
        "briefing.top_kecamatan": "10 kecamatan with the largest gap to the {target} target",
        "briefing.top_desa_priorities": "Priority villages to visit (priority score 0–100)",
        "briefing.top_desa_gap": (
            "Villages with the largest gap to the {target} target "
            "(priority module not available: ordered by gap only)"
        ),
        "briefing.no_desa_data": (
            "No village-level data (the input is per kecamatan), so no list of villages to visit "
            "can be drawn up."
        ),
        "briefing.priority_note": (
            "The priority score combines the gap to target, the informal share, low coverage, high-risk "
            "work sites and the time since the last visit (weights in config/outreach.toml; details in "
            "docs/priorities.md)."
        ),
        "briefing.sites_illustrative_note": (
            "High-risk work sites: an ILLUSTRATIVE list (examples from public sources), not an official register."
        ),
        "briefing.definitions": (
            "Coverage rate = active members ÷ workers. Gap = additional members needed to reach the target. "
            "JKK + JKM contribution of an informal worker: {contribution} per person per month."
        ),
        "briefing.page": "Page {page} of {pages}",
        "briefing.map_title": "Map: {metric} by {level}",
        "briefing.kpi_contribution": "Monthly contribution for all uncovered informal workers",
        "col.no": "No",
        "col.rank": "Rank",
        "col.kecamatan": "Kecamatan",
        "col.desa": "Village",
        "col.workers": "Workers",
        "col.covered": "Members",
        "col.rate": "Coverage",
        "col.gap": "Gap",
        "col.score": "Score",
        "col.reason": "Reason",
    },
}


def x(key: str, lang: str = "id", **fmt: object) -> str:
    """Return an export string (see :data:`_STRINGS`) with placeholders filled in.

    Parameters
    ----------
    key : str
        Dotted key, e.g. ``"briefing.title"``.
    lang : str
        ``"id"`` or ``"en"``.
    **fmt
        Placeholder values (already formatted).

    Returns
    -------
    str
    """
    text = _STRINGS[check_lang(lang)][key]
    return text.format(**fmt) if fmt else text


def sample_banner(lang: str = "id") -> str:
    """The sample-data notice of :mod:`analysis.sample` in a language."""
    return SAMPLE_BANNER if check_lang(lang) == "id" else SAMPLE_BANNER_EN


def format_period(period: str | None, lang: str = "id") -> str:
    """``"2024-12"`` -> ``"Desember 2024"`` (id) / ``"December 2024"`` (en); None -> "not given".

    Parameters
    ----------
    period : str or None
        ``YYYY-MM``.
    lang : str

    Returns
    -------
    str
    """
    if not period:
        return {"id": "tidak disebutkan", "en": "not given"}[check_lang(lang)]
    year, month = (int(part) for part in period.split("-"))
    return format_date(dt.date(year, month, 1), "LLLL y", locale=check_lang(lang))


def format_day(day: dt.date, lang: str = "id") -> str:
    """``2026-11-24`` -> ``"24 November 2026"`` in the language's month names."""
    return format_date(day, "d MMMM y", locale=check_lang(lang))


def level_label(level: str, lang: str = "id") -> str:
    """``"desa"`` -> ``"desa/kelurahan"``, ``"kecamatan"`` -> ``"kecamatan"``."""
    return x(f"level.{level}", lang)


def target_text(target: float, lang: str = "id") -> str:
    """A target fraction as a whole percentage when it is one (``0.7`` -> ``"70%"``)."""
    digits = 0 if abs(target * 100 - round(target * 100)) < 1e-9 else 1
    return format_percent(target, lang, digits=digits)


def scheme_label(scheme: str, lang: str = "id") -> str:
    """Short name of a classification scheme (the app's label without its parenthesis)."""
    return t(f"scheme.{scheme}", lang).split(" (")[0]
