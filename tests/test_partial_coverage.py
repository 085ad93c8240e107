"""Data for some desa only: every figure says what it covers (KPI header, map outline, tooltips, exports)."""

from __future__ import annotations

import io

import openpyxl
import pytest

from analysis.coverage import kabupaten_kpis
from analysis.dataset import load_coverage
from analysis.views import map_regions, partial_regions, tooltip_fields
from render.exports import export_data_from
from render.exports.tables import xlsx_bytes
from render.maps.choropleth import PARTIAL_OUTLINE
from ui.html import kpi_cards_html

# 3 of Garut Kota's 11 desa/kelurahan, and all 12 desa of Leles.
LELES = [f"32.05.09.20{i:02d}" for i in range(1, 13)]
ROWS = ["32.05.01.1001", "32.05.01.1002", "32.05.01.1003", *LELES]


@pytest.fixture(scope="module")
def partial(garut_gpkg):
    body = "kode_desa,pekerja,peserta_aktif\n" + "".join(f"{k},1000,300\n" for k in ROWS)
    return load_coverage(body.encode(), filename="sebagian.csv")


def test_kabupaten_figures_say_they_are_the_reported_desa(partial):
    kpis = kabupaten_kpis(partial.result)
    assert kpis["partial"] and (kpis["n_desa_with_data"], kpis["n_desa"]) == (15, 442)
    html = kpi_cards_html(kpis, "id")
    assert "hanya untuk desa yang dilaporkan: 15 dari 442 desa, bukan seluruh wilayah" in html
    assert "for the reported desa only: 15 of 442 desa" in kpi_cards_html(kpis, "en")


def test_kecamatan_built_from_some_desa_are_marked(partial):
    kec = partial.result.kecamatan.set_index("kode")
    assert kec.loc["32.05.01", "partial"] and not kec.loc["32.05.09", "partial"]
    regions = map_regions(partial.result, "kecamatan")
    assert partial_regions(regions) == {"32.05.01"}
    shown = regions.set_index("kode")["reported"]
    assert shown["32.05.01"].text("id") == "3 dari 11 desa (sebagian)"
    assert shown["32.05.09"].text("en") == "all 12 desa"
    assert ("reported", "Desa dilaporkan", "text") in tooltip_fields("kecamatan", "coverage_rate", "id")


def test_map_draws_partial_kecamatan_dashed(partial):
    from analysis.views import classify_metric
    from render.maps.choropleth import choropleth_map

    regions = map_regions(partial.result, "kecamatan")
    fmap = choropleth_map(regions, "coverage_rate", classify_metric(regions, "coverage_rate", "target_bands"),
                          "YlGnBu", tooltip_fields=tooltip_fields("kecamatan", "coverage_rate"),
                          partial=partial_regions(regions))
    html = fmap.get_root().render()
    assert html.count('"dashArray": "6 5"') >= 1 and PARTIAL_OUTLINE["dashArray"] == "6 5"
    assert "3 dari 11 desa (sebagian)" in html


def test_kecamatan_export_says_which_are_partial(partial):
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(export_data_from(partial), "kecamatan")))
    sheet = book.worksheets[0]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    column = header.index("Sebagian desa saja")
    values = {row[0]: row[column] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}
    assert values["32.05.01"] in (True, "ya", "Ya") and values["32.05.09"] in (False, "tidak", "Tidak")


def test_covered_only_file_gets_estimated_workers_labelled_everywhere(garut_gpkg):
    from analysis.dataset import coverage_report
    from analysis.denominator import estimate_workers
    from render.exports.mapspec import source_line

    data = load_coverage(b"kode_desa,peserta_aktif\n32.05.01.1001,1000\n32.05.01.1002,200\n", filename="peserta.csv")
    assert data.workers_estimate == {"label": "Dukcapil Kemendagri, semester 1 2024", "date": "2024-06",
                                     "basis": "penduduk_15_64", "total": 836_000}
    estimate = estimate_workers().desa.set_index("kode")["pekerja_estimasi"]
    desa = data.result.desa.set_index("kode")
    assert desa.loc["32.05.01.1001", "workers"] == estimate["32.05.01.1001"]
    assert coverage_report(data)["workers_estimate"]["total"] == 836_000
    export = export_data_from(data)
    assert "Pekerja: estimasi dari penduduk usia 15–64 (Dukcapil Kemendagri, semester 1 2024, 2024-06), " \
           "total 836.000" in source_line(export, "id")
    assert "Workers: estimated from the population aged 15–64" in source_line(export, "en")
    assert ("workers", "Pekerja (estimasi)", "count") in tooltip_fields("desa", "coverage_rate", "id", True)
    html = kpi_cards_html(kabupaten_kpis(data.result), "id", workers_estimated=True)
    assert "Jumlah pekerja (estimasi)" in html


def test_png_pdf_maps_and_the_chart_mark_partial_kecamatan(partial):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis.views import kecamatan_chart
    from render.exports.mapspec import map_spec
    from render.exports.mpl_map import draw_legend, draw_regions, text_width
    from render.exports.view import ExportView

    spec = map_spec(export_data_from(partial), ExportView(level="kecamatan", metric="coverage_rate"))
    fig, (ax, legend) = plt.subplots(1, 2)
    draw_regions(ax, spec)
    assert [c.get_gid() for c in ax.collections].count("partial") == 1
    legend.set_xlim(0, 3)
    draw_legend(legend, spec, top=10)
    (note,) = [a for a in legend.texts if a.get_gid() == "legend-partial"]
    assert "sebagian desanya saja" in note.get_text().replace("\n", " ")
    room = 3 - 0.34 - 0.1                  # the legend's width less its swatch: the note wraps within it
    assert all(text_width(part, note.get_fontsize()) <= room for part in note.get_text().split("\n"))
    plt.close(fig)
    from render.exports.png_map import draw_figures

    fig, panel = plt.subplots()
    panel.set_xlim(0, 3)
    draw_figures(panel, spec, top=5)
    assert any(a.get_gid() == "figures-partial" and a.get_text() == "Hanya 15 dari 442 desa yang dilaporkan"
               for a in panel.texts)
    plt.close(fig)
    chart = kecamatan_chart(partial.result).set_index("kode")
    assert chart.loc["32.05.01", "partial"] and not chart.loc["32.05.09", "partial"]
