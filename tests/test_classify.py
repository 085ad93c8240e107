"""classify(): the three mapclassify schemes, target bands, no data and edge cases."""

from __future__ import annotations

import doctest

import mapclassify
import numpy as np
import pandas as pd
import pytest

import analysis.classify
from analysis.classify import SCHEMES, Classification, ClassificationError, classify
from core.formatting import formatter

RNG = np.random.default_rng(20250101)
VALUES = np.round(RNG.gamma(2.0, 0.1, size=200), 4)

MAPCLASSIFY = {
    "quantiles": mapclassify.Quantiles,
    "natural_breaks": mapclassify.FisherJenks,
    "equal_interval": mapclassify.EqualInterval,
}


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("scheme", list(MAPCLASSIFY))
@pytest.mark.parametrize("k", [3, 5, 7])
def test_matches_mapclassify(scheme, k):
    expected = MAPCLASSIFY[scheme](VALUES, k=k)
    result = classify(VALUES, scheme, k=k)
    assert result.k == len(expected.bins) and result.fallback is None
    np.testing.assert_array_equal(result.assign(VALUES), result.yb)
    if scheme == "natural_breaks" and k == 7:
        # mapclassify's float sums miss the optimum here by 2e-7 (one break at 0.3759 instead of 0.3692);
        # the compiled implementation finds the partition with the smaller within-class spread
        assert within_class_squares(VALUES, result.bins) < within_class_squares(VALUES, expected.bins)
        return
    np.testing.assert_allclose(result.bins, expected.bins)
    np.testing.assert_array_equal(result.yb, expected.yb)
    np.testing.assert_array_equal(result.counts, expected.counts)


def within_class_squares(values: np.ndarray, bins: np.ndarray) -> float:
    """Sum over classes of the squared deviations from the class mean (what natural breaks minimise)."""
    classes = np.searchsorted(bins, values, side="left")
    return float(sum(((values[classes == c] - values[classes == c].mean()) ** 2).sum() for c in range(len(bins))))


def test_natural_breaks_are_optimal_on_a_province_sized_map():
    # 5,957 values (the desa of Jawa Barat): every one-step move of a break makes the classes worse
    values = np.round(np.random.default_rng(7).beta(2, 6, size=5957), 5)
    result = classify(values, "natural_breaks", k=5)
    best = within_class_squares(values, result.bins)
    ordered = np.unique(values)
    for i, edge in enumerate(result.bins[:-1]):
        at = np.searchsorted(ordered, edge)
        for step in (-1, 1):
            moved = result.bins.copy()
            moved[i] = ordered[at + step]
            assert within_class_squares(values, moved) >= best - 1e-12


def test_natural_breaks_above_the_exact_limit_stay_close(monkeypatch):
    values = np.random.default_rng(11).gamma(2.0, 0.1, size=6000)
    exact = classify(values, "natural_breaks", k=5).bins
    monkeypatch.setattr(analysis.classify, "FISHER_JENKS_EXACT_MAX", 1000)
    analysis.classify.clear_cache()
    sampled = classify(values, "natural_breaks", k=5)
    assert sampled.bins[-1] == values.max() and sampled.counts.sum() == 6000
    # the stated tolerance: within-class squares at most 0.5 % above the optimum, at most 2 % of values moved
    assert within_class_squares(values, sampled.bins) <= 1.005 * within_class_squares(values, exact)
    assert (np.searchsorted(exact, values, side="left") != sampled.yb).mean() <= 0.02
    assert not np.array_equal(sampled.bins, exact)          # the sample path ran
    assert classify(values, "natural_breaks", k=5) is sampled     # and is deterministic (and cached)


def test_a_classification_is_cached_and_read_only():
    values = np.random.default_rng(3).random(300)
    first = classify(values, "natural_breaks", k=5)
    assert classify(values.copy(), "natural_breaks", k=5) is first
    assert classify(values, "natural_breaks", k=4) is not first
    assert classify(values, "quantiles", k=5) is not first
    assert classify(list(values), "target_bands", bands=(0.2, 0.4)) is not classify(values, "target_bands")
    with pytest.raises(ValueError):
        first.yb[0] = 3


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("scheme", list(MAPCLASSIFY))
def test_nan_is_class_minus_one_and_does_not_move_breaks(scheme):
    with_gaps = VALUES.astype(object)
    with_gaps[[0, 5, 50]] = [np.nan, None, np.inf]
    result = classify(pd.Series(with_gaps), scheme, k=5)
    clean = np.delete(VALUES, [0, 5, 50])
    expected = MAPCLASSIFY[scheme](clean, k=5)
    np.testing.assert_allclose(result.bins, expected.bins)
    assert result.yb[[0, 5, 50]].tolist() == [-1, -1, -1]
    np.testing.assert_array_equal(np.delete(result.yb, [0, 5, 50]), expected.yb)
    assert result.counts.sum() == len(VALUES) - 3
    assert result.n_missing == 3 and result.has_missing


def test_target_bands_default():
    values = [0.0, 0.29, 0.3, 0.49, 0.5, 0.69, 0.7, 0.95, None]
    result = classify(values, "target_bands")
    assert result.yb.tolist() == [0, 0, 1, 1, 2, 2, 3, 3, -1]
    assert result.counts.tolist() == [2, 2, 2, 2]
    assert result.bins.tolist() == [0.3, 0.5, 0.7, np.inf]
    assert result.closed == "left"
    assert result.labels(formatter("rate", "id", digits=0)) == ["< 30%", "30% – 50%", "50% – 70%", "≥ 70%"]
    assert result.labels(formatter("rate", "en", digits=0)) == ["< 30%", "30% – 50%", "50% – 70%", "≥ 70%"]


def test_target_bands_keep_empty_bands_and_accept_custom_edges():
    result = classify([0.05, 0.1, 0.12], "target_bands")
    assert result.counts.tolist() == [3, 0, 0, 0]
    custom = classify([0.05, 0.25, 0.6], "target_bands", bands=[0.2, 0.4])
    assert custom.k == 3 and custom.yb.tolist() == [0, 1, 2]
    assert custom.labels(formatter("rate", "id", digits=0)) == ["< 20%", "20% – 40%", "≥ 40%"]


@pytest.mark.parametrize("bands", [[], [0.5, 0.3], [0.3, 0.3], [0.3, float("nan")]])
def test_bad_bands_raise(bands):
    with pytest.raises(ClassificationError):
        classify([0.1], "target_bands", bands=bands)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_all_nan(scheme):
    result = classify([np.nan, None, np.nan], scheme)
    assert result.yb.tolist() == [-1, -1, -1]
    assert result.counts.sum() == 0 and result.has_missing
    if scheme != "target_bands":
        assert result.k == 0 and result.labels() == [] and result.fallback == "no_data"


@pytest.mark.parametrize("scheme", list(MAPCLASSIFY))
def test_constant_values_one_class(scheme):
    result = classify([0.4, 0.4, None, 0.4], scheme, k=5)
    assert result.k == 1 and result.fallback == "constant"
    assert result.yb.tolist() == [0, 0, -1, 0]
    assert result.labels(formatter("rate", "id")) == ["40,0%"]


@pytest.mark.parametrize("scheme", list(MAPCLASSIFY))
def test_fewer_unique_values_than_k(scheme):
    result = classify([3, 1, 1, 2, np.nan, 3], scheme, k=5)
    assert result.fallback == "unique_values"
    assert result.bins.tolist() == [1.0, 2.0, 3.0]
    assert result.yb.tolist() == [2, 0, 0, 1, -1, 2]
    assert result.counts.tolist() == [2, 1, 2]
    assert result.labels(formatter("count", "id")) == ["1", "2", "3"]


def test_empty_input():
    result = classify([], "natural_breaks")
    assert result.k == 0 and result.yb.tolist() == [] and result.counts.tolist() == []


def test_range_labels_use_formatter():
    result = classify([0.05, 0.1, 0.2, 0.3, 0.4, 0.5], "equal_interval", k=3)
    assert result.bins.tolist() == pytest.approx([0.2, 0.35, 0.5])
    assert result.labels(formatter("rate", "id")) == ["5,0% – 20,0%", "20,0% – 35,0%", "35,0% – 50,0%"]
    assert result.labels(formatter("rate", "en")) == ["5.0% – 20.0%", "20.0% – 35.0%", "35.0% – 50.0%"]


def test_assign_applies_bins_to_other_values():
    result = classify([0.1, 0.2, 0.3, 0.4], "equal_interval", k=3)
    assert result.assign([0.0, 0.1, 0.25, 0.9, None]).tolist() == [0, 0, 1, 2, -1]


def test_pandas_nullable_and_text():
    series = pd.Series([0.1, pd.NA, 0.5, 0.9], dtype="Float64")
    assert classify(series, "target_bands").yb.tolist() == [0, -1, 2, 3]
    assert classify(["0.1", "abc", 0.8], "target_bands").yb.tolist() == [0, -1, 3]


@pytest.mark.parametrize(("scheme", "k"), [("jenks", 5), ("quantiles", 0), ("quantiles", 2.5), ("quantiles", True)])
def test_bad_scheme_or_k_raise(scheme, k):
    with pytest.raises(ClassificationError):
        classify(VALUES, scheme, k=k)


def test_no_warnings_leak(recwarn):
    classify(VALUES, "natural_breaks")
    classify([1, 1, 1, 2, 2, 3, 4, 5, 6], "quantiles", k=5)
    assert not [w for w in recwarn if issubclass(w.category, UserWarning)]


def test_result_type_and_doctests():
    assert isinstance(classify(VALUES), Classification)
    assert doctest.testmod(analysis.classify).failed == 0


def test_colours_mean_the_same_value_at_every_level_and_after_a_drill_down(garut_gpkg):
    """Default schemes: target bands for rates, the level scale for counts; a desa keeps its class in a drill-down."""
    from analysis.dataset import load_coverage
    from analysis.metrics import METRICS
    from analysis.views import classify_metric, level_values, map_regions, scheme_for

    result = load_coverage().result
    assert scheme_for("coverage_rate", "auto") == "target_bands" and scheme_for("gap_to_target", "auto") == "level_scale"
    for metric in ("coverage_rate", "gap_to_target", "uncovered"):
        scheme = METRICS[metric].default_scheme
        whole = map_regions(result, "desa", None)
        everywhere = dict(zip(whole["kode"], classify_metric(whole, metric, scheme).yb))
        for kec in ("32.05.05", "32.05.30"):
            part = map_regions(result, "desa", kec)
            classes = classify_metric(part, metric, scheme, reference=level_values(result, "desa", metric))
            assert dict(zip(part["kode"], classes.yb)) == {k: everywhere[k] for k in part["kode"]}, (metric, kec)
    # rates: the same bands at kecamatan and desa level
    kec = classify_metric(map_regions(result, "kecamatan", None), "coverage_rate", "target_bands")
    desa = classify_metric(map_regions(result, "desa", None), "coverage_rate", "target_bands")
    assert kec.bins.tolist() == desa.bins.tolist() == [0.3, 0.5, 0.7, float("inf")]


def test_the_legend_says_when_colours_are_relative():
    from render.maps.legend import legend_note

    assert "relatif terhadap wilayah di peta ini" in legend_note(False, False, "id", "natural_breaks")
    assert legend_note(False, False, "id", "target_bands") is None
    assert "one scale for every region" in legend_note(False, False, "en", "level_scale")
