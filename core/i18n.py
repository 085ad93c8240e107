"""UI strings in Bahasa Indonesia (default) and English, and the metric registry.

>>> t("metric.coverage_rate")
'Tingkat cakupan'
>>> t("metric.coverage_rate", "en")
'Coverage rate'
>>> t("upload.success", "en", rows=10, matched=9, rejected=1)
'10 rows read: 9 matched to an area, 1 rejected.'

Both languages have exactly the same keys and the same ``{placeholders}``
(a test checks it).  Strings are plain text: escape them before putting them
into HTML yourself (the map modules do).

:data:`METRICS` (keys are the column names of ``analysis.coverage``) says, per metric, how to format it (``kind``), how to colour
it (``direction`` -> palette) and how to classify it by default.
"""

from __future__ import annotations

from core.formatting import DEFAULT_LANG, check_lang

#: Strings per language.  Keys are dotted: ``area.key``.
STRINGS: dict[str, dict[str, str]] = {
    "id": {
        "cli.help.boundaries": 'bangun GeoPackage batas wilayah bila perlu dan cetak ringkasan JSON',
        "cli.help.coverage": 'periksa berkas cakupan CSV/XLSX, cocokkan ke desa/kecamatan dan cetak laporan JSON',
        "cli.help.bench": 'jalankan tolok ukur kecepatan dan ukuran, cetak tabel',
        "cli.help.sample": 'tulis CSV cakupan contoh (442 desa, dua periode)',
        "cli.help.sites": 'periksa berkas lokasi berisiko tinggi (CSV/XLSX/GeoJSON) atau bangun lapisan ilustratif',
        "cli.help.priorities": 'peringkat desa untuk kunjungan (JSON dengan komponen skor) dan rencana perjalanan',
        "cli.help.export": 'ekspor peta (HTML/PNG/PDF), ringkasan PDF atau tabel data (XLSX/CSV/GeoJSON/GPKG)',
        # App frame
        "app.title": "Peta Cakupan Jamsostek Kabupaten Garut",
        "app.subtitle": "Cakupan kepesertaan BPJS Ketenagakerjaan per kecamatan dan desa/kelurahan",
        "app.boundaries_caption": (
            "{n_kecamatan} kecamatan · {n_desa} desa/kelurahan · "
            "batas wilayah Kemendagri 2025 (cahyadsn/wilayah_boundaries, MIT)"
        ),
        "app.data_period": "Periode data: {period}",
        "sample.banner": "DATA CONTOH — bukan data resmi BPJS Ketenagakerjaan",
        "sample.explain": (
            "Angka pada peta ini dibuat untuk peragaan. Unggah data kepesertaan "
            "resmi di halaman Unggah data untuk melihat angka sebenarnya."
        ),
        # Navigation
        "nav.map": "Peta",
        "nav.upload": "Unggah data",
        "nav.about": "Tentang",
        # Language switch
        "lang.label": "Bahasa",
        "lang.id": "Bahasa Indonesia",
        "lang.en": "English",
        # Controls
        "control.level": "Tingkat wilayah",
        "control.metric": "Indikator",
        "control.scheme": "Pengelompokan warna",
        "control.classes": "Jumlah kelas",
        "control.bands": "Batas pita target (%)",
        "control.basemap": "Tampilkan peta dasar (perlu internet)",
        "control.labels": "Tampilkan nama kecamatan",
        "control.kecamatan_filter": "Kecamatan",
        "control.all_kecamatan": "Semua kecamatan",
        # Levels
        "level.kabupaten": "Kabupaten",
        "level.kecamatan": "Kecamatan",
        "level.desa": "Desa/kelurahan",
        # Metrics
        "metric.coverage_rate": "Tingkat cakupan",
        "metric.uncovered": "Pekerja belum terlindungi",
        "metric.gap_to_target": "Kekurangan menuju target 70%",
        "metric.workers": "Pekerja",
        "metric.covered": "Peserta aktif",
        "metric.informal_rate": "Cakupan informal (BPU)",
        "metric.change_rate": "Perubahan sejak periode lalu",
        "metric.formal_rate": "Cakupan formal (PU)",
        "metric.informal_contribution_monthly": "Iuran bulanan semua pekerja informal belum terlindungi",
        "metric.gap_contribution_monthly": "Iuran bulanan untuk menutup kekurangan target",
        "metric_help.coverage_rate": "Peserta aktif dibagi jumlah pekerja.",
        "metric_help.uncovered": "Pekerja yang belum menjadi peserta aktif.",
        "metric_help.gap_to_target": (
            "Tambahan peserta yang dibutuhkan agar cakupan mencapai 70% (0 bila sudah tercapai)."
        ),
        "metric_help.workers": "Jumlah penduduk yang bekerja.",
        "metric_help.covered": "Peserta BPJS Ketenagakerjaan yang aktif.",
        "metric_help.informal_rate": (
            "Peserta Bukan Penerima Upah (BPU) dibagi jumlah pekerja informal."
        ),
        "metric_help.change_rate": "Selisih tingkat cakupan dengan periode sebelumnya, dalam poin persen.",
        "metric_help.formal_rate": "Peserta Penerima Upah (PU) dibagi jumlah pekerja formal.",
        "metric_help.informal_contribution_monthly": (
            "Iuran JKK + JKM per bulan bila semua pekerja informal yang belum terlindungi didaftarkan."
        ),
        "metric_help.gap_contribution_monthly": (
            "Iuran JKK + JKM per bulan bila kekurangan menuju target ditutup dengan pekerja informal."
        ),
        # Classification schemes
        "scheme.quantiles": "Kuantil (jumlah wilayah per kelas sama)",
        "scheme.natural_breaks": "Jeda alami (Fisher-Jenks)",
        "scheme.equal_interval": "Interval sama",
        "scheme.target_bands": "Pita tetap (mis. 30/50/70%)",
        "scheme.fallback_unique": "Nilai yang berbeda lebih sedikit dari jumlah kelas: satu kelas per nilai.",
        "scheme.fallback_constant": "Semua wilayah bernilai sama: satu kelas.",
        "scheme.fallback_no_data": "Tidak ada wilayah dengan data untuk indikator ini.",
        # KPI cards
        "kpi.workers": "Jumlah pekerja",
        "kpi.covered": "Peserta aktif",
        "kpi.coverage_rate": "Tingkat cakupan",
        "kpi.uncovered": "Belum terlindungi",
        "kpi.gap_to_target": "Kekurangan menuju target 70%",
        "kpi.below_target": "Wilayah di bawah target 70%",
        "kpi.no_data": "Wilayah tanpa data",
        "kpi.change": "{change} dibanding periode lalu",
        # Map
        "map.no_data": "Tidak ada data",
        "map.kode": "Kode wilayah",
        "map.click_hint": "Klik sebuah wilayah untuk melihat rinciannya.",
        "map.highlight_note": "Garis tebal: {n} wilayah prioritas",
        "map.offline_note": "Peta berfungsi tanpa internet; peta dasar hanya tampil bila tersambung.",
        # Briefing mode
        "briefing.toggle": "Mode paparan",
        "briefing.help": "Teks, legenda dan label besar untuk layar proyektor.",
        # Drill-down and tables
        "drill.title": "Desa/kelurahan di Kecamatan {name}",
        "drill.back": "Kembali ke seluruh kabupaten",
        "table.top": "{n} wilayah dengan {metric} tertinggi",
        "table.bottom": "{n} wilayah dengan {metric} terendah",
        "table.rank": "Peringkat",
        "table.name": "Nama",
        # Exports
        "export.html": "Unduh peta (HTML, bisa dibuka tanpa internet)",
        "export.png": "Unduh peta (PNG)",
        "export.csv": "Unduh tabel (CSV)",
        # Upload page
        "upload.title": "Unggah data kepesertaan",
        "upload.intro": (
            "Unggah rekap kepesertaan per desa/kelurahan atau per kecamatan. "
            "Nama atau kode wilayah dicocokkan dengan daftar Kemendagri."
        ),
        "upload.file_label": "Berkas CSV atau Excel (.xlsx)",
        "upload.template": "Unduh templat",
        "upload.required_columns": "Kolom wajib: {columns}",
        "upload.success": "{rows} baris dibaca: {matched} cocok dengan wilayah, {rejected} ditolak.",
        "upload.rejected_title": "Baris yang ditolak",
        "upload.rejected_reason": "Alasan",
        "upload.suggestion": "Mungkin maksudnya: {name}",
        "upload.use_sample": "Pakai data contoh",
        "upload.clear": "Hapus data unggahan",
        # Errors
        "error.file_unreadable": "Berkas tidak dapat dibaca: {detail}",
        "error.file_too_large": "Berkas terlalu besar ({size_mb} MB; maksimal {max_mb} MB).",
        "error.missing_columns": "Kolom tidak ditemukan: {columns}",
        "error.no_rows": "Berkas tidak berisi baris data.",
        "error.bad_number": "Baris {row}: nilai {column} bukan angka yang sah ({value}).",
        "error.unknown_area": "Baris {row}: wilayah {name} tidak dikenal.",
        "error.boundaries_missing": "Batas wilayah belum dibangun. Jalankan `make setup`.",
        "error.browser_assets_missing": "Pustaka peta belum terpasang. Jalankan `make setup`.",
        "error.generic": "Terjadi kesalahan: {detail}",
        "kpi.target_marker": "Garis merah: target {target}",
        "kpi.of_target": "dari target {target}",
        "kpi.to_enrol": "Pekerja perlu didaftarkan (target {target})",
        "kpi.to_enrol_help": "tambahan peserta agar target tercapai",
        "kpi.contribution": "Iuran bulanan menutup kesenjangan informal",
        "kpi.contribution_help": "semua pekerja informal belum terlindungi × {per_worker}/bulan (JKK+JKM)",
        "control.bands_invalid": "Batas pita tidak dipahami: {value}. Tulis persen naik, dipisah koma, mis. 30,50,70.",
        "control.scheme_fallback": "Pita tetap hanya untuk persentase; dipakai {scheme}.",
        "sample.short": "DATA CONTOH",
        "chart.title": "Cakupan per kecamatan (garis merah: target {target})",
        "table.top_gap": "{n} kecamatan dengan kekurangan terbesar menuju target",
        "briefing.next": "Kecamatan berikutnya ▶ (tombol N)",
        "briefing.next_help": "Menyorot kecamatan satu per satu, mulai dari kekurangan terbesar.",
        "mode.normal": "Biasa",
        "mode.briefing": "Paparan",
        "url.ignored": "Parameter tautan tidak dikenal dan diabaikan: {param}",
        "upload.in_use": "Peta sedang memakai data unggahan: {name}",
        "upload.rows_in": "Baris dibaca",
        "upload.rows_matched": "Baris cocok",
        "upload.rows_rejected": "Baris ditolak",
        "upload.personal_dropped": "Kolom data pribadi dibuang dan tidak disimpan: {columns}",
        "upload.table.rejected": "Baris ditolak ({n})",
        "upload.table.matched": "Baris cocok ({n})",
        "upload.table.to_confirm": "Cocok lewat nama lama/ejaan lain atau kemiripan — mohon diperiksa ({n})",
        "upload.download_csv": "Unduh tabel ini (CSV)",
        "upload.use_this": "Pakai data ini untuk peta",
        "upload.switched": "Peta kini memakai data unggahan.",
        "upload.choose_sheet": "Pilih lembar (sheet) yang berisi tabel cakupan",
        "export.title": "Unduh tampilan ini",
        "export.map_html": "Peta HTML (tanpa internet)",
        "export.map_png_a4": "Peta PNG (A4, 150 dpi)",
        "export.map_png_169": "Peta PNG (16:9, 300 dpi)",
        "export.briefing_pdf": "Ringkasan PDF untuk Bupati",
        "export.data_xlsx": "Tabel Excel (XLSX)",
        "export.data_csv": "Tabel CSV",
        "export.data_geojson": "GeoJSON",
        "export.data_gpkg": "GeoPackage (QGIS)",
        "upload.participants_only": (
            "Berkas per peserta: {covered} peserta dihitung per desa (di bawah). Berkas ini tidak memuat "
            "jumlah pekerja, jadi tingkat cakupan tidak bisa dihitung dan peta tetap memakai data sebelumnya. "
            "Tambahkan kolom pekerja per desa lalu unggah sebagai rekap per desa."
        ),
    },
    "en": {
        "cli.help.boundaries": 'build the boundary GeoPackage if needed and print a JSON summary',
        "cli.help.coverage": 'validate a coverage CSV/XLSX, match it to desa/kecamatan and print the report as JSON',
        "cli.help.bench": 'run speed and size benchmarks and print a table',
        "cli.help.sample": 'write the illustrative sample coverage CSV (442 desa, two periods)',
        "cli.help.sites": 'check a high-risk sites file (CSV/XLSX/GeoJSON) or build the illustrative layer',
        "cli.help.priorities": 'rank desa for outreach visits (JSON with score components) and plan trips',
        "cli.help.export": 'export a map (HTML/PNG/PDF), the PDF briefing or the data tables (XLSX/CSV/GeoJSON/GPKG)',
        "app.title": "Social Security Coverage Map, Garut Regency",
        "app.subtitle": "BPJS Ketenagakerjaan membership coverage by kecamatan and desa/kelurahan",
        "app.boundaries_caption": (
            "{n_kecamatan} kecamatan · {n_desa} desa/kelurahan · "
            "boundaries: Ministry of Home Affairs 2025 (cahyadsn/wilayah_boundaries, MIT)"
        ),
        "app.data_period": "Data period: {period}",
        "sample.banner": "SAMPLE DATA — not official BPJS Ketenagakerjaan figures",
        "sample.explain": (
            "The figures on this map are made up for demonstration. Upload the "
            "official membership data on the Upload data page to see real figures."
        ),
        "nav.map": "Map",
        "nav.upload": "Upload data",
        "nav.about": "About",
        "lang.label": "Language",
        "lang.id": "Bahasa Indonesia",
        "lang.en": "English",
        "control.level": "Area level",
        "control.metric": "Indicator",
        "control.scheme": "Colour classes",
        "control.classes": "Number of classes",
        "control.bands": "Target band edges (%)",
        "control.basemap": "Show basemap (needs internet)",
        "control.labels": "Show kecamatan names",
        "control.kecamatan_filter": "Kecamatan",
        "control.all_kecamatan": "All kecamatan",
        "level.kabupaten": "Regency (kabupaten)",
        "level.kecamatan": "Sub-district (kecamatan)",
        "level.desa": "Village (desa/kelurahan)",
        "metric.coverage_rate": "Coverage rate",
        "metric.uncovered": "Uncovered workers",
        "metric.gap_to_target": "Gap to 70% target",
        "metric.workers": "Workers",
        "metric.covered": "Active members",
        "metric.informal_rate": "Informal coverage (BPU)",
        "metric.change_rate": "Change since last period",
        "metric.formal_rate": "Formal coverage (PU)",
        "metric.informal_contribution_monthly": "Monthly contribution for all uncovered informal workers",
        "metric.gap_contribution_monthly": "Monthly contribution to close the target gap",
        "metric_help.coverage_rate": "Active members divided by the number of workers.",
        "metric_help.uncovered": "Workers who are not active members.",
        "metric_help.gap_to_target": (
            "Additional members needed for coverage to reach 70% (0 once reached)."
        ),
        "metric_help.workers": "Number of working people.",
        "metric_help.covered": "Active BPJS Ketenagakerjaan members.",
        "metric_help.informal_rate": (
            "Non-wage-earner (BPU) members divided by the number of informal workers."
        ),
        "metric_help.change_rate": "Difference in coverage rate from the previous period, in percentage points.",
        "metric_help.formal_rate": "Wage-earner (PU) members divided by the number of formal workers.",
        "metric_help.informal_contribution_monthly": (
            "JKK + JKM contribution per month if every uncovered informal worker were enrolled."
        ),
        "metric_help.gap_contribution_monthly": (
            "JKK + JKM contribution per month if the gap to target were closed with informal workers."
        ),
        "scheme.quantiles": "Quantiles (equal number of areas per class)",
        "scheme.natural_breaks": "Natural breaks (Fisher-Jenks)",
        "scheme.equal_interval": "Equal intervals",
        "scheme.target_bands": "Fixed bands (e.g. 30/50/70%)",
        "scheme.fallback_unique": "Fewer distinct values than classes: one class per value.",
        "scheme.fallback_constant": "All areas have the same value: one class.",
        "scheme.fallback_no_data": "No area has data for this indicator.",
        "kpi.workers": "Workers",
        "kpi.covered": "Active members",
        "kpi.coverage_rate": "Coverage rate",
        "kpi.uncovered": "Uncovered",
        "kpi.gap_to_target": "Gap to 70% target",
        "kpi.below_target": "Areas below the 70% target",
        "kpi.no_data": "Areas without data",
        "kpi.change": "{change} from last period",
        "map.no_data": "No data",
        "map.kode": "Area code",
        "map.click_hint": "Click an area to see its details.",
        "map.highlight_note": "Thick outline: {n} priority areas",
        "map.offline_note": "The map works offline; the basemap shows only when connected.",
        "briefing.toggle": "Briefing mode",
        "briefing.help": "Large text, legend and labels for a projector screen.",
        "drill.title": "Villages in {name} sub-district",
        "drill.back": "Back to the whole regency",
        "table.top": "{n} areas with the highest {metric}",
        "table.bottom": "{n} areas with the lowest {metric}",
        "table.rank": "Rank",
        "table.name": "Name",
        "export.html": "Download map (HTML, opens offline)",
        "export.png": "Download map (PNG)",
        "export.csv": "Download table (CSV)",
        "upload.title": "Upload membership data",
        "upload.intro": (
            "Upload a membership summary per desa/kelurahan or per kecamatan. "
            "Area names or codes are matched against the Ministry of Home Affairs list."
        ),
        "upload.file_label": "CSV or Excel (.xlsx) file",
        "upload.template": "Download template",
        "upload.required_columns": "Required columns: {columns}",
        "upload.success": "{rows} rows read: {matched} matched to an area, {rejected} rejected.",
        "upload.rejected_title": "Rejected rows",
        "upload.rejected_reason": "Reason",
        "upload.suggestion": "Did you mean: {name}",
        "upload.use_sample": "Use sample data",
        "upload.clear": "Remove uploaded data",
        "error.file_unreadable": "The file cannot be read: {detail}",
        "error.file_too_large": "The file is too large ({size_mb} MB; at most {max_mb} MB).",
        "error.missing_columns": "Columns not found: {columns}",
        "error.no_rows": "The file has no data rows.",
        "error.bad_number": "Row {row}: {column} is not a valid number ({value}).",
        "error.unknown_area": "Row {row}: unknown area {name}.",
        "error.boundaries_missing": "The boundaries are not built yet. Run `make setup`.",
        "error.browser_assets_missing": "The map libraries are not installed. Run `make setup`.",
        "error.generic": "Something went wrong: {detail}",
        "kpi.target_marker": "Red line: target {target}",
        "kpi.of_target": "of the {target} target",
        "kpi.to_enrol": "Workers to enrol (target {target})",
        "kpi.to_enrol_help": "additional members needed to reach the target",
        "kpi.contribution": "Monthly contribution to close the informal gap",
        "kpi.contribution_help": "all uncovered informal workers × {per_worker}/month (JKK+JKM)",
        "control.bands_invalid": "Band edges not understood: {value}. Write increasing percentages separated by commas, e.g. 30,50,70.",
        "control.scheme_fallback": "Fixed bands apply to percentages only; using {scheme}.",
        "sample.short": "SAMPLE DATA",
        "chart.title": "Coverage by kecamatan (red line: target {target})",
        "table.top_gap": "{n} kecamatan with the largest gap to target",
        "briefing.next": "Next kecamatan ▶ (key N)",
        "briefing.next_help": "Highlights the kecamatan one by one, largest gap first.",
        "mode.normal": "Normal",
        "mode.briefing": "Briefing",
        "url.ignored": "Link parameter not understood and ignored: {param}",
        "upload.in_use": "The maps use the uploaded data: {name}",
        "upload.rows_in": "Rows read",
        "upload.rows_matched": "Rows matched",
        "upload.rows_rejected": "Rows rejected",
        "upload.personal_dropped": "Personal-data columns dropped and not stored: {columns}",
        "upload.table.rejected": "Rejected rows ({n})",
        "upload.table.matched": "Matched rows ({n})",
        "upload.table.to_confirm": "Matched by old/variant name or similarity — please check ({n})",
        "upload.download_csv": "Download this table (CSV)",
        "upload.use_this": "Use this data for the maps",
        "upload.switched": "The maps now use the uploaded data.",
        "upload.choose_sheet": "Choose the sheet that holds the coverage table",
        "export.title": "Download this view",
        "export.map_html": "Map HTML (works offline)",
        "export.map_png_a4": "Map PNG (A4, 150 dpi)",
        "export.map_png_169": "Map PNG (16:9, 300 dpi)",
        "export.briefing_pdf": "Briefing PDF for the Bupati",
        "export.data_xlsx": "Excel table (XLSX)",
        "export.data_csv": "CSV table",
        "export.data_geojson": "GeoJSON",
        "export.data_gpkg": "GeoPackage (QGIS)",
        "upload.participants_only": (
            "Participant file: {covered} members counted per desa (below). It holds no worker counts, "
            "so coverage rates cannot be computed and the maps keep the previous data. Add a workers "
            "column per desa and upload it as a per-desa table."
        ),
    },
}


def _merge_strings(extra: dict[str, dict[str, str]], origin: str) -> None:
    """Add another module's strings to :data:`STRINGS`; a repeated key is an error."""
    for lang, table in extra.items():
        clash = set(table) & set(STRINGS[lang])
        if clash:
            raise KeyError(f"{origin} redefines i18n keys {sorted(clash)} for {lang!r}; rename them.")
        STRINGS[lang].update(table)


from core import i18n_outreach  # noqa: E402  (plain dicts, no imports back)

_merge_strings(i18n_outreach.STRINGS, "core.i18n_outreach")


def t(key: str, lang: str = DEFAULT_LANG, **fmt: object) -> str:
    """Return a UI string in a language, with ``{placeholders}`` filled in.

    Parameters
    ----------
    key : str
        Dotted key, e.g. ``"metric.coverage_rate"``.
    lang : str
        ``"id"`` (default) or ``"en"``.
    **fmt
        Values for the string's placeholders (already formatted numbers:
        use :mod:`core.formatting`).

    Returns
    -------
    str
        Plain text, not HTML-escaped.

    Raises
    ------
    KeyError
        For an unknown key.
    ValueError
        For an unknown language.
    """
    table = STRINGS[check_lang(lang)]
    if key not in table:
        raise KeyError(f"No UI string {key!r}.")
    text = table[key]
    return text.format(**fmt) if fmt else text
