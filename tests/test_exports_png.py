"""PNG map export: size and resolution, legend, scale bar, labels, and the sample watermark."""

from __future__ import annotations

import datetime as dt
import io
import itertools

import numpy as np
import pytest
from matplotlib import rc_context
from PIL import Image

from core.errors import ExportError
from render.exports import load_export_data, map_png_bytes
from render.exports.mapspec import map_spec
from render.exports.mpl_map import RC, WATERMARK_GID, _scale_factor
from render.exports.png_map import map_figure
from render.exports.view import ExportView

DAY = dt.date(2025, 1, 15)


@pytest.fixture(scope="module")
def sample(garut_gpkg):
    return load_export_data(created=DAY, priorities=False)


@pytest.fixture(scope="module")
def own(own_coverage_csv, garut_gpkg):
    return load_export_data(own_coverage_csv, created=DAY, priorities=False)


@pytest.fixture(scope="module")
def sample_png(sample):
    return map_png_bytes(sample, ExportView(level="desa", metric="coverage_rate", dpi=150))


def _figure(data, **kwargs):
    with rc_context(RC):
        spec = map_spec(data, ExportView(level=kwargs.pop("level", "desa"), metric=kwargs.pop("metric", "coverage_rate")))
        fig = map_figure(spec, **kwargs)
        fig.canvas.draw()
        return spec, fig


def _axes(fig, gid: str):
    (ax,) = [a for a in fig.axes if a.get_gid() == gid]
    return ax


def _reddish(image: Image.Image, box) -> int:
    pixels = np.asarray(image.convert("RGB").crop(box), dtype=int)
    r, g, b = pixels[..., 0], pixels[..., 1], pixels[..., 2]
    return int(((r - g > 20) & (r > b) & (r > 150)).sum())  # pink: red watermark over the light classes


def test_a4_150_dpi_size_and_resolution(sample_png):
    image = Image.open(io.BytesIO(sample_png))
    assert image.format == "PNG"
    assert image.size == pytest.approx((1754, 1240), abs=1)
    assert image.info["dpi"] == pytest.approx((150, 150), abs=0.1)
    assert "DATA CONTOH" in image.info.get("Description", "")


def test_16_9_300_dpi_size_and_resolution(sample):
    image = Image.open(io.BytesIO(map_png_bytes(sample, ExportView(level="kecamatan", metric="gap_to_target", dpi=300, size="16:9"))))
    assert image.size == pytest.approx((4000, 2250), abs=1)
    assert image.info["dpi"] == pytest.approx((300, 300), abs=0.1)


def test_bad_dpi_and_size_are_refused(sample):
    with pytest.raises(ExportError, match="150, 300"):
        map_png_bytes(sample, ExportView(dpi=72))
    with pytest.raises(ExportError, match="a4, 16:9"):
        map_png_bytes(sample, ExportView(size="letter"))


def test_watermark_and_banner_exactly_when_sample(sample, own):
    _, fig = _figure(sample)
    texts = [t.get_text() for t in fig.findobj(lambda a: a.get_gid() == WATERMARK_GID)]
    assert texts == ["DATA CONTOH"]
    assert fig.findobj(lambda a: a.get_gid() == "sample-banner")
    _, fig = _figure(own)
    assert not fig.findobj(lambda a: a.get_gid() in (WATERMARK_GID, "sample-banner"))
    assert "DATA CONTOH" not in " ".join(t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text")))


def test_watermark_pixels_appear_only_on_sample_maps(sample_png, own, sample):
    spec, fig = _figure(sample)
    box = _axes(fig, "map").get_window_extent()  # the map axes, in pixels at 150 dpi
    height = fig.bbox.height
    crop = (int(box.x0), int(height - box.y1), int(box.x1), int(height - box.y0))
    with_mark = _reddish(Image.open(io.BytesIO(sample_png)), crop)
    without = _reddish(Image.open(io.BytesIO(map_png_bytes(own, ExportView(level="desa", metric="coverage_rate", dpi=150)))), crop)
    assert with_mark > 2000 and without < 50


def test_legend_uses_the_app_classes_in_indonesian_format(sample):
    spec, fig = _figure(sample)
    labels = [t.get_text() for t in fig.findobj(lambda a: a.get_gid() == "legend-label")]
    assert labels == spec.legend_labels
    assert labels == ["< 30%", "30% – 50%", "50% – 70%", "≥ 70%"]        # target bands by default
    assert sum(spec.counts) == 442
    kpis = " ".join(t.get_text() for t in _axes(fig, "panel").texts)
    assert "836.000" in kpis and "22,2%" in kpis


def test_map_is_drawn_in_utm_with_a_true_scale_bar(sample):
    spec, fig = _figure(sample)
    ax = _axes(fig, "map")
    assert ax.get_aspect() == 1.0
    xmin, xmax = ax.get_xlim()
    assert 700_000 < xmin < xmax < 900_000, "x in UTM 48S metres"
    segments = [p for p in ax.patches if p.get_gid() == "scale-bar"]
    assert len(segments) == 4
    grid_length = sum(p.get_width() for p in segments)
    factor, _ = _scale_factor((xmin, ax.get_ylim()[0], xmax, ax.get_ylim()[1]))
    ground_km = grid_length / factor / 1000
    assert ground_km == pytest.approx(round(ground_km), abs=1e-6) and ground_km in (10, 20, 25, 50)
    labels = [t.get_text() for t in ax.texts if t.get_gid() == "scale-bar"]
    assert labels[-1] == f"{int(ground_km)} km"


def test_kecamatan_labels_are_readable_and_never_overlap(sample):
    _, fig = _figure(sample)
    ax = _axes(fig, "map")
    labels = [t for t in ax.texts if t.get_gid() == "label"]
    assert len(labels) >= 38, "nearly every one of the 42 kecamatan is named"
    assert min(t.get_fontsize() for t in labels) >= 5.4
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in labels]
    assert not [(a, b) for a, b in itertools.combinations(boxes, 2) if a.overlaps(b)]


def test_site_markers_are_optional(sample):
    _, fig = _figure(sample)
    assert not fig.findobj(lambda a: a.get_gid() == "sites")
    _, fig = _figure(sample, show_sites=True)
    (markers,) = fig.findobj(lambda a: a.get_gid() == "sites")
    assert len(markers.get_offsets()) == len(sample.sites)
