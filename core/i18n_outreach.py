"""UI strings of the outreach pages (sites, priorities, visit plan, visit log, what-if).

Merged into :data:`core.i18n.STRINGS`; keys must not repeat keys there.
Both languages must have the same keys and placeholders (tests check it).
Every key here starts with one of ``sites. visited. prio. plan. trip. visits.
proj. whatif.`` so that it cannot clash with the map pages' keys.
"""

STRINGS: dict[str, dict[str, str]] = {
    "id": {
        # High-risk sites layer
        "sites.layer": "Lokasi kerja berisiko tinggi",
        "sites.banner": "Lapisan lokasi: {label}. {n} contoh lokasi dari sumber publik, tidak lengkap; "
                        "tidak menyatakan izin, legalitas, atau status BPJS lokasi.",
        "sites.upload.title": "Pakai berkas lokasi berisiko sendiri (CSV, XLSX, GeoJSON)",
        "sites.upload.help": (
            "Kolom: name, category, lat, lon; boleh juga est_workers, operator, contact. Setiap baris "
            "diperiksa: titik di luar Garut ditolak, lintang/bujur tertukar dilaporkan dengan posisi yang "
            "benar, duplikat dilaporkan, kategori lain dikelompokkan sebagai lainnya."
        ),
        "sites.upload.file": "Berkas lokasi",
        "sites.upload.counts": "{rows} baris dibaca: {matched} diterima, {rejected} ditolak.",
        "sites.upload.use": "Pakai lokasi ini untuk peta dan peringkat",
        "sites.upload.in_use": "Peta dan peringkat memakai lokasi dari {name}.",
        "sites.upload.back": "Kembali ke lapisan ilustratif",
        "sites.upload.unreadable": "Berkas lokasi tidak dapat dibaca: {detail}",
        "sites.unavailable": "Lapisan lokasi risiko tinggi tidak dapat dimuat; peringkat dihitung tanpa lokasi. "
                             "{detail}",
        "sites.category.rafting": "Arung jeram",
        "sites.category.river_tubing": "Susur sungai (river tubing)",
        "sites.category.crater_tourism": "Wisata kawah dan pendakian",
        "sites.category.beach_tourism": "Wisata pantai",
        "sites.category.fishing_port": "Pelabuhan perikanan / TPI",
        "sites.category.hot_spring": "Pemandian air panas",
        "sites.category.tannery": "Penyamakan kulit",
        "sites.category.quarry": "Tambang pasir dan batu",
        "sites.category.geothermal": "Panas bumi (PLTP)",
        "sites.category.plantation": "Perkebunan",
        "sites.category.lake_boats": "Perahu wisata situ",
        "sites.category.market_porters": "Kuli angkut pasar",
        "sites.category.lainnya": "Lainnya",
        # Visited desa layer
        "visited.layer": "Desa sudah dikunjungi",
        "visited.tooltip": "Sudah dikunjungi: {desa}, Kec. {kecamatan}",
        "visited.details": "{visits} kunjungan · {enrolled} pekerja didaftarkan",
        # Priorities page
        "prio.nav": "Prioritas & rencana kunjungan",
        "prio.title": "Prioritas kunjungan desa",
        "prio.intro": (
            "Skor 0–100 per desa/kelurahan dari lima komponen: kekurangan menuju target, porsi pekerja "
            "informal, cakupan rendah, lokasi kerja berisiko tinggi, dan lama sejak kunjungan terakhir. "
            "Bobot diatur di config/outreach.toml; penjelasan lengkap di docs/priorities.md."
        ),
        "prio.top_n": "Jumlah desa teratas",
        "prio.kecamatan": "Saring kecamatan",
        "prio.table_title": "{n} desa prioritas teratas",
        "prio.table_title_kec": "{n} desa prioritas di Kec. {kecamatan}",
        "prio.rank_note": "Peringkat dihitung untuk seluruh kabupaten; saringan kecamatan hanya memilih baris.",
        "prio.col.rank": "Peringkat",
        "prio.col.desa": "Desa/kelurahan",
        "prio.col.kecamatan": "Kecamatan",
        "prio.col.score": "Skor",
        "prio.col.points": "{component} (poin)",
        "prio.col.reason": "Alasan",
        "prio.col.last_visit": "Kunjungan terakhir",
        "prio.never": "belum pernah",
        "prio.component.gap": "Kekurangan menuju target",
        "prio.component.informal": "Porsi pekerja informal",
        "prio.component.low_coverage": "Cakupan rendah",
        "prio.component.sites": "Lokasi risiko tinggi",
        "prio.component.last_visit": "Lama sejak kunjungan",
        "prio.chart_title": "Mengapa desa ini: poin per komponen",
        "prio.chart.points": "Poin",
        "prio.chart.component": "Komponen",
        "prio.detail_select": "Rincian skor desa",
        "prio.detail.component": "Komponen",
        "prio.detail.basis": "Dasar",
        "prio.detail.value": "Nilai (0–1)",
        "prio.detail.weight": "Bobot",
        "prio.detail.points": "Poin",
        "prio.detail.total": "Skor total",
        "prio.basis.gap": "kurang {n} peserta menuju target {target}",
        "prio.basis.informal": "{share} pekerja informal",
        "prio.basis.informal_none": "data tanpa pemisahan formal/informal",
        "prio.basis.low_coverage": "cakupan {rate} (target {target})",
        "prio.basis.sites": "{inside} lokasi di desa, {near} dalam {km} km",
        "prio.basis.last_visit": "{days} hari lalu ({date})",
        "prio.basis.never": "belum pernah dikunjungi",
        "prio.no_data": "{n} desa/kelurahan tanpa data cakupan tidak diberi peringkat",
        "prio.no_data_help": "Jumlah lokasi risiko tinggi di/dekat desa ini ditampilkan agar pengumpulan datanya "
                             "dapat direncanakan.",
        "prio.col.sites_in": "Lokasi di desa",
        "prio.col.sites_near": "Lokasi di dekatnya",
        "prio.no_ranked": (
            "Data cakupan yang dipakai tidak berisi angka per desa, jadi desa tidak dapat diberi peringkat. "
            "Unggah data tingkat desa di halaman Unggah data."
        ),
        "prio.map_title": "Peta skor prioritas",
        "prio.map_legend": "Skor prioritas",
        "prio.map_caption": (
            "Garis tebal: {n} desa terpilih. Pin: lokasi kerja berisiko tinggi (klik untuk rincian; "
            "centang di legenda untuk menampilkan atau menyembunyikan kategori). Garis putus-putus hijau "
            "dan tanda centang: desa yang sudah dikunjungi."
        ),
        "prio.download_csv": "Unduh daftar prioritas (CSV)",
        "prio.download_xlsx": "Unduh daftar prioritas (XLSX)",
        # Visit plan
        "plan.title": "Rencana kunjungan",
        "plan.intro": "Desa terpilih di atas dikelompokkan menjadi perjalanan harian dari titik awal.",
        "plan.per_day": "Desa per hari",
        "plan.start_date": "Tanggal mulai",
        "plan.workdays": "Hanya hari kerja (Senin–Jumat)",
        "plan.start_configured": "Titik awal dan akhir setiap perjalanan: {name} ({lat}, {lon}).",
        "plan.start_fallback": (
            "Titik awal dan akhir setiap perjalanan: {name} ({lat}, {lon}). Koordinat kantor cabang belum "
            "diatur: isi lat dan lon di bagian [start_point] berkas config/outreach.toml."
        ),
        "plan.summary": "{n_desa} desa dalam {n_days} hari · total jarak garis lurus {km} km",
        "plan.distance_note": (
            "Jarak adalah garis lurus antar titik (EPSG:32748): batas bawah jarak jalan, untuk "
            "membandingkan rute, bukan untuk anggaran BBM."
        ),
        "plan.trip_header": "Hari {day} · {date} · {n} desa · {km} km pulang-pergi",
        "plan.no_date": "tanpa tanggal",
        "plan.col.order": "Urutan",
        "plan.col.from_prev": "Dari titik sebelumnya",
        "plan.col.cumulative": "Kumulatif",
        "plan.return": "Kembali ke titik awal: {km} km",
        "plan.download_csv": "Unduh rencana (CSV)",
        "plan.download_xlsx": "Unduh rencana (XLSX)",
        "plan.print": "Halaman cetak hari {day} (HTML)",
        "plan.print_help": "Halaman mandiri berisi peta dan daftar desa; buka di peramban lalu cetak (A4). "
                           "Berfungsi tanpa internet.",
        "plan.map_day": "Peta perjalanan",
        "plan.day_option": "Hari {day}",
        "plan.empty": "Tidak ada desa terpilih untuk direncanakan.",
        "plan.error": "Rencana tidak dapat dibuat: {detail}",
        # Printable trip page
        "trip.title": "Rencana kunjungan lapangan — Hari {day}",
        "trip.app": "Peta Cakupan Jamsostek Garut · BPJS Ketenagakerjaan",
        "trip.date": "Tanggal",
        "trip.start": "Titik awal dan akhir",
        "trip.start_unset": "Atur koordinat kantor cabang di [start_point] berkas config/outreach.toml.",
        "trip.n_desa": "Jumlah desa",
        "trip.total": "Pulang-pergi (garis lurus)",
        "trip.col.order": "No.",
        "trip.col.desa": "Desa/kelurahan",
        "trip.col.kecamatan": "Kecamatan",
        "trip.col.rank": "Peringkat",
        "trip.col.score": "Skor",
        "trip.col.leg": "Dari sebelumnya",
        "trip.col.cumulative": "Kumulatif",
        "trip.col.reason": "Alasan",
        "trip.col.field": "Catatan lapangan",
        "trip.depart": "Berangkat: {name}",
        "trip.return": "Kembali: {name}",
        "trip.map_start": "Titik awal",
        "trip.generated": "Dibuat {date} dengan Peta Cakupan Jamsostek Garut.",
        "trip.print_button": "Cetak",
        "trip.no_date": "belum ditentukan",
        # Visit log page
        "visits.nav": "Log kunjungan",
        "visits.title": "Log kunjungan lapangan",
        "visits.intro": (
            "Catat setiap kunjungan tim sosialisasi: tanggal, desa, tim, dan jumlah pekerja yang didaftarkan "
            "(JKK/JKM). Kunjungan menurunkan desa itu di daftar prioritas dan menambah cakupan proyeksi."
        ),
        "visits.db": "Log disimpan di {path}.",
        "visits.privacy": "Jangan tulis NIK, nama, atau nomor telepon perorangan di catatan.",
        "visits.form_title": "Catat kunjungan",
        "visits.date": "Tanggal kunjungan",
        "visits.desa": "Desa/kelurahan (ketik untuk mencari)",
        "visits.desa_placeholder": "Ketik nama desa atau kecamatan",
        "visits.desa_option": "{desa} — Kec. {kecamatan} ({kode})",
        "visits.team": "Tim",
        "visits.team_help": "Nama tim, bukan nama orang.",
        "visits.enrolled": "Pekerja didaftarkan (JKK/JKM)",
        "visits.notes": "Catatan",
        "visits.submit": "Simpan kunjungan",
        "visits.saved": "Kunjungan ke {desa} (Kec. {kecamatan}) pada {date} tersimpan: {n} pekerja didaftarkan.",
        "visits.invalid": "Kunjungan tidak disimpan. {detail}",
        "visits.log_title": "Kunjungan tercatat ({n})",
        "visits.empty": "Belum ada kunjungan tercatat.",
        "visits.download_csv": "Unduh log (CSV)",
        "visits.download_xlsx": "Unduh log (XLSX)",
        "visits.col.id": "No.",
        "visits.col.visit_date": "Tanggal kunjungan",
        "visits.col.desa": "Desa/kelurahan",
        "visits.col.kecamatan": "Kecamatan",
        "visits.col.team": "Tim",
        "visits.col.enrolled": "Pekerja didaftarkan",
        "visits.col.notes": "Catatan",
        "visits.col.recorded_at": "Dicatat pada (UTC)",
        # Projected coverage summary
        "proj.title": "Kunjungan sejak periode data {period}",
        "proj.title_all": "Kunjungan tercatat",
        "proj.visited": "Desa dikunjungi",
        "proj.visits": "{n} kunjungan sejak {date}",
        "proj.visits_all": "{n} kunjungan",
        "proj.enrolled": "Pekerja didaftarkan",
        "proj.enrolled_sub": "{added} ditambahkan ke peserta",
        "proj.not_added": "{n} tidak ditambahkan (melebihi pekerja belum terlindungi di desanya, "
                          "atau desa tanpa data)",
        "proj.rate": "Cakupan proyeksi",
        "proj.rate_sub": "{change} dari {rate} pada data",
        "proj.gap": "Sisa kekurangan menuju target {target}",
        "proj.gap_sub": "semula {gap}",
        "proj.assumption": (
            "Asumsi: setiap pekerja yang didaftarkan saat kunjungan sejak periode data menambah satu peserta "
            "di desa itu, paling banyak sampai semua pekerja desa terlindungi."
        ),
        "proj.error": "Cakupan proyeksi tidak dapat dihitung: {detail}",
        # What-if page
        "whatif.nav": "Simulasi 1 ASN 1 pekerja rentan",
        "whatif.title": "Simulasi “1 ASN 1 pekerja rentan”",
        "whatif.intro": (
            "Setiap ASN penyantun membayar iuran JKK + JKM satu pekerja informal yang belum terlindungi: "
            "{monthly} per bulan, {yearly} per tahun."
        ),
        "whatif.mode": "Cara memasukkan ASN",
        "whatif.mode.total": "Jumlah total",
        "whatif.mode.per_kecamatan": "Per kecamatan",
        "whatif.asn_total": "Jumlah ASN penyantun",
        "whatif.total_help": (
            "Dibagi ke kecamatan sebanding dengan pekerja informal yang belum terlindungi (metode sisa "
            "terbesar); tidak ada kecamatan mendapat ASN lebih banyak dari pekerja tersebut."
        ),
        "whatif.editor_help": "Isi kolom ASN per kecamatan. ASN yang melebihi pekerja belum terlindungi tidak terpakai.",
        "whatif.monthly": "Iuran JKK + JKM per pekerja per bulan (Rp)",
        "whatif.kpi.asn": "ASN penyantun",
        "whatif.kpi.sponsored": "Pekerja disponsori",
        "whatif.kpi.unused": "{n} ASN tidak terpakai",
        "whatif.kpi.all_used": "semua ASN terpakai",
        "whatif.kpi.cost": "Biaya per tahun",
        "whatif.kpi.cost_sub": "{per_worker} per pekerja per tahun",
        "whatif.kpi.rate": "Cakupan proyeksi kabupaten",
        "whatif.kpi.rate_sub": "{change} dari {rate}",
        "whatif.chart_title": "Cakupan per kecamatan: kini dan proyeksi",
        "whatif.chart.now": "Kini",
        "whatif.chart.projected": "Proyeksi",
        "whatif.chart.series": "Cakupan",
        "whatif.col.kecamatan": "Kecamatan",
        "whatif.col.informal_uncovered": "Pekerja informal belum terlindungi",
        "whatif.col.asn": "ASN",
        "whatif.col.sponsored": "Pekerja disponsori",
        "whatif.col.now": "Cakupan kini",
        "whatif.col.projected": "Cakupan proyeksi",
        "whatif.col.change": "Perubahan",
        "whatif.col.cost": "Biaya per tahun",
        "whatif.error": "Simulasi tidak dapat dihitung: {detail}",
        "whatif.download_csv": "Unduh hasil simulasi (CSV)",
        "whatif.download_xlsx": "Unduh hasil simulasi (XLSX)",
    },
    "en": {
        # High-risk sites layer
        "sites.layer": "High-risk work sites",
        "sites.banner": "Sites layer: {label}. {n} examples from public sources, incomplete; it says nothing "
                        "about a site's licensing, legality or BPJS status.",
        "sites.upload.title": "Use your own high-risk sites file (CSV, XLSX, GeoJSON)",
        "sites.upload.help": (
            "Columns: name, category, lat, lon; optionally est_workers, operator, contact. Every row is "
            "checked: points outside Garut are rejected, swapped lat/lon is reported with the corrected "
            "position, duplicates are reported, other categories are grouped as lainnya."
        ),
        "sites.upload.file": "Sites file",
        "sites.upload.counts": "{rows} rows read: {matched} accepted, {rejected} rejected.",
        "sites.upload.use": "Use these sites for the maps and the ranking",
        "sites.upload.in_use": "The maps and the ranking use the sites from {name}.",
        "sites.upload.back": "Back to the illustrative layer",
        "sites.upload.unreadable": "The sites file cannot be read: {detail}",
        "sites.unavailable": "The high-risk sites layer could not be loaded; the ranking leaves sites out. {detail}",
        "sites.category.rafting": "Rafting",
        "sites.category.river_tubing": "River tubing",
        "sites.category.crater_tourism": "Crater tourism and hiking",
        "sites.category.beach_tourism": "Beach tourism",
        "sites.category.fishing_port": "Fishing port / fish auction",
        "sites.category.hot_spring": "Hot springs",
        "sites.category.tannery": "Leather tanning",
        "sites.category.quarry": "Sand and stone quarry",
        "sites.category.geothermal": "Geothermal plant",
        "sites.category.plantation": "Plantation",
        "sites.category.lake_boats": "Lake tourist boats",
        "sites.category.market_porters": "Market porters",
        "sites.category.lainnya": "Other",
        # Visited desa layer
        "visited.layer": "Visited desa",
        "visited.tooltip": "Visited: {desa}, {kecamatan} district",
        "visited.details": "{visits} visits · {enrolled} workers enrolled",
        # Priorities page
        "prio.nav": "Priorities & visit plan",
        "prio.title": "Desa visit priorities",
        "prio.intro": (
            "A 0–100 score per desa/kelurahan from five components: gap to target, informal share, low "
            "coverage, high-risk work sites and time since the last visit. Weights are set in "
            "config/outreach.toml; docs/priorities.md explains them."
        ),
        "prio.top_n": "Number of top desa",
        "prio.kecamatan": "Filter by kecamatan",
        "prio.table_title": "Top {n} priority desa",
        "prio.table_title_kec": "{n} priority desa in {kecamatan}",
        "prio.rank_note": "Ranks are regency-wide; the kecamatan filter only selects rows.",
        "prio.col.rank": "Rank",
        "prio.col.desa": "Desa/kelurahan",
        "prio.col.kecamatan": "Kecamatan",
        "prio.col.score": "Score",
        "prio.col.points": "{component} (points)",
        "prio.col.reason": "Reason (Indonesian)",
        "prio.col.last_visit": "Last visit",
        "prio.never": "never",
        "prio.component.gap": "Gap to target",
        "prio.component.informal": "Informal share",
        "prio.component.low_coverage": "Low coverage",
        "prio.component.sites": "High-risk sites",
        "prio.component.last_visit": "Time since last visit",
        "prio.chart_title": "Why this desa: points per component",
        "prio.chart.points": "Points",
        "prio.chart.component": "Component",
        "prio.detail_select": "Score breakdown of a desa",
        "prio.detail.component": "Component",
        "prio.detail.basis": "Basis",
        "prio.detail.value": "Value (0–1)",
        "prio.detail.weight": "Weight",
        "prio.detail.points": "Points",
        "prio.detail.total": "Total score",
        "prio.basis.gap": "{n} more members needed to reach {target}",
        "prio.basis.informal": "{share} informal workers",
        "prio.basis.informal_none": "no formal/informal split in the data",
        "prio.basis.low_coverage": "coverage {rate} (target {target})",
        "prio.basis.sites": "{inside} sites in the desa, {near} within {km} km",
        "prio.basis.last_visit": "{days} days ago ({date})",
        "prio.basis.never": "never visited",
        "prio.no_data": "{n} desa/kelurahan without coverage data are not ranked",
        "prio.no_data_help": "Their high-risk sites in or near them are listed so that collecting their data "
                             "can be planned.",
        "prio.col.sites_in": "Sites in the desa",
        "prio.col.sites_near": "Sites nearby",
        "prio.no_ranked": (
            "The coverage data in use has no figures per desa, so desa cannot be ranked. Upload desa-level "
            "data on the Upload data page."
        ),
        "prio.map_title": "Priority score map",
        "prio.map_legend": "Priority score",
        "prio.map_caption": (
            "Thick outline: the {n} selected desa. Pins: high-risk work sites (click for details; tick the "
            "boxes in the legend to show or hide a category). Dashed green outline and check mark: desa "
            "already visited."
        ),
        "prio.download_csv": "Download the priority list (CSV)",
        "prio.download_xlsx": "Download the priority list (XLSX)",
        # Visit plan
        "plan.title": "Visit plan",
        "plan.intro": "The desa selected above, grouped into day trips from the start point.",
        "plan.per_day": "Desa per day",
        "plan.start_date": "Start date",
        "plan.workdays": "Workdays only (Monday–Friday)",
        "plan.start_configured": "Every trip starts and ends at: {name} ({lat}, {lon}).",
        "plan.start_fallback": (
            "Every trip starts and ends at: {name} ({lat}, {lon}). The branch office coordinates are not "
            "set yet: fill in lat and lon under [start_point] in config/outreach.toml."
        ),
        "plan.summary": "{n_desa} desa in {n_days} days · {km} km in straight lines",
        "plan.distance_note": (
            "Distances are straight lines between points (EPSG:32748): a lower bound of road distance, "
            "for comparing routes, not for fuel budgets."
        ),
        "plan.trip_header": "Day {day} · {date} · {n} desa · {km} km round trip",
        "plan.no_date": "no date",
        "plan.col.order": "Stop",
        "plan.col.from_prev": "From the previous point",
        "plan.col.cumulative": "Cumulative",
        "plan.return": "Back to the start: {km} km",
        "plan.download_csv": "Download the plan (CSV)",
        "plan.download_xlsx": "Download the plan (XLSX)",
        "plan.print": "Printable page, day {day} (HTML)",
        "plan.print_help": "A standalone page with the map and the list of desa; open it in a browser and print "
                           "(A4). Works without internet.",
        "plan.map_day": "Trip map",
        "plan.day_option": "Day {day}",
        "plan.empty": "No desa selected to plan.",
        "plan.error": "The plan could not be made: {detail}",
        # Printable trip page
        "trip.title": "Field visit plan — Day {day}",
        "trip.app": "Peta Cakupan Jamsostek Garut · BPJS Ketenagakerjaan",
        "trip.date": "Date",
        "trip.start": "Start and end point",
        "trip.start_unset": "Set the branch office coordinates under [start_point] in config/outreach.toml.",
        "trip.n_desa": "Desa",
        "trip.total": "Round trip (straight line)",
        "trip.col.order": "No.",
        "trip.col.desa": "Desa/kelurahan",
        "trip.col.kecamatan": "Kecamatan",
        "trip.col.rank": "Rank",
        "trip.col.score": "Score",
        "trip.col.leg": "From previous",
        "trip.col.cumulative": "Cumulative",
        "trip.col.reason": "Reason (Indonesian)",
        "trip.col.field": "Field notes",
        "trip.depart": "Depart: {name}",
        "trip.return": "Return: {name}",
        "trip.map_start": "Start",
        "trip.generated": "Made on {date} with Peta Cakupan Jamsostek Garut.",
        "trip.print_button": "Print",
        "trip.no_date": "not set",
        # Visit log page
        "visits.nav": "Visit log",
        "visits.title": "Field visit log",
        "visits.intro": (
            "Record every outreach visit: date, desa, team and the number of workers enrolled (JKK/JKM). "
            "A visit moves the desa down the priority list and adds to the projected coverage."
        ),
        "visits.db": "The log is stored in {path}.",
        "visits.privacy": "Do not write ID numbers (NIK), names or phone numbers of individuals in the notes.",
        "visits.form_title": "Record a visit",
        "visits.date": "Visit date",
        "visits.desa": "Desa/kelurahan (type to search)",
        "visits.desa_placeholder": "Type a desa or kecamatan name",
        "visits.desa_option": "{desa} — {kecamatan} district ({kode})",
        "visits.team": "Team",
        "visits.team_help": "The team's name, not a person's.",
        "visits.enrolled": "Workers enrolled (JKK/JKM)",
        "visits.notes": "Notes",
        "visits.submit": "Save visit",
        "visits.saved": "Visit to {desa} ({kecamatan} district) on {date} saved: {n} workers enrolled.",
        "visits.invalid": "Visit not saved. {detail}",
        "visits.log_title": "Recorded visits ({n})",
        "visits.empty": "No visits recorded yet.",
        "visits.download_csv": "Download the log (CSV)",
        "visits.download_xlsx": "Download the log (XLSX)",
        "visits.col.id": "No.",
        "visits.col.visit_date": "Visit date",
        "visits.col.desa": "Desa/kelurahan",
        "visits.col.kecamatan": "Kecamatan",
        "visits.col.team": "Team",
        "visits.col.enrolled": "Workers enrolled",
        "visits.col.notes": "Notes",
        "visits.col.recorded_at": "Recorded at (UTC)",
        # Projected coverage summary
        "proj.title": "Visits since the {period} data",
        "proj.title_all": "Recorded visits",
        "proj.visited": "Desa visited",
        "proj.visits": "{n} visits since {date}",
        "proj.visits_all": "{n} visits",
        "proj.enrolled": "Workers enrolled",
        "proj.enrolled_sub": "{added} added to the covered workers",
        "proj.not_added": "{n} not added (more than the uncovered workers of their desa, or a desa without data)",
        "proj.rate": "Projected coverage",
        "proj.rate_sub": "{change} from {rate} in the data",
        "proj.gap": "Remaining gap to the {target} target",
        "proj.gap_sub": "was {gap}",
        "proj.assumption": (
            "Assumption: every worker enrolled on a visit since the data period adds one covered worker in "
            "that desa, at most until all of the desa's workers are covered."
        ),
        "proj.error": "Projected coverage could not be computed: {detail}",
        # What-if page
        "whatif.nav": "What-if: 1 ASN 1 vulnerable worker",
        "whatif.title": "What-if: “1 ASN 1 pekerja rentan” (one civil servant, one vulnerable worker)",
        "whatif.intro": (
            "Each sponsoring civil servant (ASN) pays the JKK + JKM contribution of one uncovered informal "
            "worker: {monthly} a month, {yearly} a year."
        ),
        "whatif.mode": "How to enter the ASN",
        "whatif.mode.total": "One total",
        "whatif.mode.per_kecamatan": "Per kecamatan",
        "whatif.asn_total": "Number of sponsoring ASN",
        "whatif.total_help": (
            "Shared out across kecamatan in proportion to their uncovered informal workers (largest "
            "remainder); no kecamatan gets more ASN than it has such workers."
        ),
        "whatif.editor_help": "Fill in the ASN column per kecamatan. ASN beyond the uncovered workers stay unused.",
        "whatif.monthly": "JKK + JKM contribution per worker per month (Rp)",
        "whatif.kpi.asn": "Sponsoring ASN",
        "whatif.kpi.sponsored": "Workers sponsored",
        "whatif.kpi.unused": "{n} ASN unused",
        "whatif.kpi.all_used": "every ASN sponsors a worker",
        "whatif.kpi.cost": "Yearly cost",
        "whatif.kpi.cost_sub": "{per_worker} per worker per year",
        "whatif.kpi.rate": "Projected regency coverage",
        "whatif.kpi.rate_sub": "{change} from {rate}",
        "whatif.chart_title": "Coverage per kecamatan: now and projected",
        "whatif.chart.now": "Now",
        "whatif.chart.projected": "Projected",
        "whatif.chart.series": "Coverage",
        "whatif.col.kecamatan": "Kecamatan",
        "whatif.col.informal_uncovered": "Uncovered informal workers",
        "whatif.col.asn": "ASN",
        "whatif.col.sponsored": "Workers sponsored",
        "whatif.col.now": "Coverage now",
        "whatif.col.projected": "Projected coverage",
        "whatif.col.change": "Change",
        "whatif.col.cost": "Yearly cost",
        "whatif.error": "The what-if cannot be computed: {detail}",
        "whatif.download_csv": "Download the what-if (CSV)",
        "whatif.download_xlsx": "Download the what-if (XLSX)",
    },
}
