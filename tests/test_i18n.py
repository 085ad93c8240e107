"""UI strings: same keys and placeholders in both languages; the metric registry."""

from __future__ import annotations

import doctest
import string

import pytest

import core.errors
import core.i18n
from analysis.classify import SCHEMES, classify
from analysis.metrics import METRICS
from core.formatting import KINDS, LANGS, formatter, no_data_text
from core.i18n import STRINGS, t
from render.maps.palettes import (
    DIRECTION_PALETTE,
    PALETTES,
    class_colors,
    metric_palette,
    palette,
)


def _placeholders(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


def test_both_languages_have_exactly_the_same_keys():
    assert set(STRINGS) == set(LANGS)
    assert set(STRINGS["id"]) == set(STRINGS["en"])


@pytest.mark.parametrize("key", sorted(STRINGS["id"]))
def test_same_placeholders_and_no_empty_string(key):
    assert _placeholders(STRINGS["id"][key]) == _placeholders(STRINGS["en"][key])
    assert STRINGS["id"][key].strip() and STRINGS["en"][key].strip()


def test_required_strings():
    assert t("metric.coverage_rate") == "Tingkat cakupan"
    assert t("metric.coverage_rate", "en") == "Coverage rate"
    assert t("metric.uncovered") == "Pekerja belum terlindungi"
    assert t("metric.uncovered", "en") == "Uncovered workers"
    assert t("metric.gap_to_target") == "Kekurangan menuju target 70%"
    assert t("metric.gap_to_target", "en") == "Gap to 70% target"
    assert t("metric.workers") == "Pekerja" and t("metric.covered") == "Peserta aktif"
    assert t("metric.informal_rate") == "Cakupan informal (BPU)"
    assert t("metric.change_rate") == "Perubahan sejak periode lalu"
    assert t("sample.banner") == "DATA CONTOH — bukan data resmi BPJS Ketenagakerjaan"
    assert t("sample.banner", "en") == "SAMPLE DATA — not official BPJS Ketenagakerjaan figures"
    assert t("level.kecamatan") == "Kecamatan" and t("level.desa") == "Desa/kelurahan"
    assert t("briefing.toggle") == "Mode paparan" and t("briefing.toggle", "en") == "Briefing mode"


def test_map_no_data_matches_formatting():
    for lang in LANGS:
        assert t("map.no_data", lang) == no_data_text(lang, capitalize=True)


def test_placeholders_are_filled():
    assert t("upload.success", rows="10", matched="9", rejected="1") == (
        "10 baris dibaca: 9 cocok dengan wilayah, 1 ditolak."
    )
    assert t("drill.title", "en", name="Cibatu") == "Villages in Cibatu sub-district"


def test_every_scheme_and_metric_has_a_name():
    for lang in LANGS:
        for scheme in SCHEMES:
            assert t(f"scheme.{scheme}", lang)
        for key, metric in METRICS.items():
            assert metric.label(lang) == t(f"metric.{key}", lang)
            assert t(f"metric_help.{key}", lang)


def test_metric_registry():
    required = {"coverage_rate", "uncovered", "gap_to_target", "workers", "covered", "informal_rate", "change_rate"}
    assert required <= set(METRICS)
    for key, metric in METRICS.items():
        assert metric.key == key
        assert metric.kind in KINDS
        assert metric.direction in DIRECTION_PALETTE and metric_palette(metric) in PALETTES
        assert metric.default_scheme in metric.schemes
    assert METRICS["coverage_rate"].kind == "rate" and "target_bands" in METRICS["coverage_rate"].schemes
    assert METRICS["uncovered"].direction == "higher_bad" and "target_bands" not in METRICS["uncovered"].schemes
    assert METRICS["change_rate"].kind == "change" and PALETTES[metric_palette(METRICS["change_rate"])].kind == "diverging"
    for metric in METRICS.values():
        if metric.bands:
            assert classify([0.0], "target_bands", bands=metric.bands).k == len(metric.bands) + 1


def test_change_bands_give_a_centred_diverging_legend():
    metric = METRICS["change_rate"]
    c = classify([-0.08, -0.02, 0.0, 0.03, 0.09], metric.default_scheme, bands=metric.bands)
    assert c.yb.tolist() == [0, 1, 2, 3, 4]
    assert c.labels(formatter("change", "id")) == [
        "< -5,0 poin", "-5,0 poin – -1,0 poin", "-1,0 poin – +1,0 poin", "+1,0 poin – +5,0 poin", "≥ +5,0 poin"]
    assert class_colors(metric_palette(metric), c.lower, c.bins) == palette(metric_palette(metric), 5)


def test_unknown_key_or_language():
    with pytest.raises(KeyError):
        t("no.such.key")
    with pytest.raises(ValueError):
        t("app.title", "fr")


def test_doctests():
    for module in (core.i18n, core.errors):
        result = doctest.testmod(module)
        assert result.failed == 0 and result.attempted > 0, module.__name__
