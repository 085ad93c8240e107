"""File names and allowed combinations of exports (render.exports.naming)."""

from __future__ import annotations

import pytest

from analysis.metrics import METRICS
from core.errors import ExportError, PetaCakupanError
from render.exports import FORMATS, MIME_TYPES, check_export, export_filename


def test_filename_of_the_issue_example():
    assert export_filename("map", "desa", "coverage_rate", "2024-06", "png") == "peta_cakupan_desa_2024-06.png"


@pytest.mark.parametrize(("args", "expected"), [
    (("map", "kecamatan", "gap_to_target", "2024-12", "html"), "peta_kekurangan_target_kecamatan_2024-12.html"),
    (("briefing", "desa", "coverage_rate", "2024-12", "pdf"), "ringkasan_cakupan_desa_2024-12.pdf"),
    (("data", "desa", "uncovered", "2024-12", "csv"), "data_cakupan_desa_2024-12.csv"),
    (("data", "kecamatan", "coverage_rate", "2024-12", "xlsx"), "data_cakupan_kecamatan_2024-12.xlsx"),
    (("data", "desa", "coverage_rate", "2024-12", "gpkg"), "data_cakupan_2024-12.gpkg"),
    (("map", "desa", "change_rate", None, "png"), "peta_perubahan_cakupan_desa_tanpa_periode.png"),
])
def test_filenames_say_what_they_hold(args, expected):
    assert export_filename(*args) == expected


def test_sample_and_drill_down_are_in_the_name():
    name = export_filename("map", "desa", "coverage_rate", "2024-12", "png", area="Tarogong Kidul", sample=True)
    assert name == "peta_cakupan_desa_tarogong_kidul_2024-12_contoh.png"


def test_every_metric_has_a_short_indonesian_name():
    names = {export_filename("map", "desa", m, "2024-12", "png") for m in METRICS}
    assert len(names) == len(METRICS)
    assert all(n.isascii() and " " not in n for n in names)


@pytest.mark.parametrize(("what", "fmt", "level", "metric", "needle"), [
    ("briefing", "csv", "desa", "coverage_rate", "formats for briefing: pdf"),
    ("map", "xlsx", "desa", "coverage_rate", "formats for map: html, png, pdf"),
    ("data", "png", "desa", "coverage_rate", "png is offered by --what map"),
    ("poster", "pdf", "desa", "coverage_rate", "Unknown export 'poster'"),
    ("map", "png", "kabupaten", "coverage_rate", "Unknown level 'kabupaten'"),
    ("map", "png", "desa", "happiness", "Unknown metric 'happiness'"),
])
def test_bad_combinations_are_refused_with_the_allowed_values(what, fmt, level, metric, needle):
    with pytest.raises(ExportError, match=needle.replace("(", r"\(")) as info:
        check_export(what, fmt, level, metric)
    assert isinstance(info.value, PetaCakupanError)


def test_bad_period_is_refused():
    with pytest.raises(ExportError, match="YYYY-MM"):
        export_filename("map", "desa", "coverage_rate", "2024/06", "png")


def test_every_format_has_a_mime_type():
    assert {f for formats in FORMATS.values() for f in formats} <= set(MIME_TYPES)
