"""One description of a map view, shared by the HTML, PNG and PDF exports.

:func:`map_spec` classifies the metric with :func:`analysis.classify.classify`,
colours the classes with :func:`render.maps.palettes.class_colors` and labels them
with :func:`render.maps.legend.legend_for`, exactly as the app's map does, so a
region has the same colour and the legend the same bounds in the app and in
every export.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np

from analysis.classify import Classification
from analysis.metrics import METRICS, Metric
from analysis.views import classify_metric, level_values, map_regions, overview_outline
from core.errors import ExportError
from core.formatting import check_lang
from core.i18n import t
from geo.boundaries import load_layer
from render.exports.context import ExportData
from render.exports.naming import LEVELS
from render.exports.text import (
    TOOL_NAME,
    format_day,
    format_period,
    level_label,
    scheme_label,
    target_text,
    workers_estimate_text,
    x,
)
from render.exports.view import ExportView
from render.maps.legend import legend_for
from render.maps.palettes import class_colors, metric_palette


@dataclass(frozen=True, eq=False)
class MapSpec:
    """A classified map view, ready to draw.

    Attributes
    ----------
    data : ExportData
    level : str
        ``"desa"`` or ``"kecamatan"``.
    metric : core.i18n.Metric
    scheme : str
    lang : str
    layer : GeoDataFrame
        The regions shown (display geometry, EPSG:4326) with every coverage
        column; in layer order.
    kecamatan : GeoDataFrame
        The kecamatan shown (outlines over a desa map, labels), EPSG:4326.
    classification : analysis.classify.Classification
    colors : list of str
        One colour per class.
    classes : numpy.ndarray
        Class of each row of ``layer`` (``-1`` for no data).
    legend_labels : list of str
        One label per class (Indonesian number formats by default), then
        "Tidak ada data" when some region has no data.
    title, subtitle, source_line : str
        Plain text.
    kecamatan_name : str or None
        The kecamatan of a drill-down view.
    """

    data: ExportData
    level: str
    metric: Metric
    scheme: str
    lang: str
    layer: gpd.GeoDataFrame
    kecamatan: gpd.GeoDataFrame
    classification: Classification
    colors: list[str]
    classes: np.ndarray
    legend_labels: list[str]
    title: str
    subtitle: str
    source_line: str
    kecamatan_name: str | None = None

    @property
    def has_missing(self) -> bool:
        """Whether some region shown has no data."""
        return bool((self.classes < 0).any())

    @property
    def counts(self) -> list[int]:
        """Number of regions shown in each class."""
        return np.bincount(self.classes[self.classes >= 0], minlength=self.classification.k)[
            : self.classification.k].tolist()

    @property
    def metric_label(self) -> str:
        """The metric's name in the map's language."""
        return self.metric.label(self.lang)

    @property
    def is_sample(self) -> bool:
        """Whether the figures are the bundled sample."""
        return self.data.is_sample


def source_line(data: ExportData, lang: str = "id", projection: bool = False, tool: bool = True) -> str:
    """The "source and date" line printed under every map and on every page.

    Parameters
    ----------
    data : ExportData
    lang : str
    projection : bool
        Also name the map projection (PNG/PDF maps drawn in EPSG:32748).
    tool : bool
        End with "... dengan Peta Cakupan Jamsostek Garut" (pages whose header names the tool leave it out).

    Returns
    -------
    str
        ``Sumber data: coverage_desa.csv (DATA CONTOH) · Batas wilayah: ... · Dibuat 24 November 2026 ...``
    """
    source = data.source_name + (x("source.sample_suffix", lang) if data.is_sample else "")
    parts = [x("source.data", lang, source=source), t("export.boundary_source", lang)]
    if data.workers_estimate:
        parts.insert(1, workers_estimate_text(data.workers_estimate, lang))
    if projection:
        parts.append(x("source.projection", lang))
    created = x("source.created", lang, date=format_day(data.created, lang), tool=TOOL_NAME)
    parts.append(created if tool else created.split(" dengan ")[0].split(" with ")[0])
    return " · ".join(parts)


def map_spec(data: ExportData, view: ExportView | None = None) -> MapSpec:
    """Classify and colour one map view.

    Parameters
    ----------
    data : ExportData
    view : ExportView, optional
        Level, metric, scheme, classes, bands, language and drill-down
        (``kec`` needs level ``"desa"``); default the desa coverage map.

    Returns
    -------
    MapSpec

    Raises
    ------
    ExportError
        For an unknown level or metric, a scheme the metric does not offer,
        or an unknown kecamatan.
    """
    view = view or ExportView()
    level, metric, scheme, k, bands, lang, kec = (view.level, view.metric, view.scheme, view.k, view.bands,
                                                   view.lang, view.kec)
    lang = check_lang(lang)
    if level not in LEVELS:
        raise ExportError("mapspec.unknown_level", level=repr(level), levels=', '.join(LEVELS))
    if metric not in METRICS:
        raise ExportError("mapspec.unknown_metric", metric=repr(metric), metrics=', '.join(METRICS))
    info = METRICS[metric]
    scheme = scheme or info.default_scheme
    if scheme not in info.schemes:
        raise ExportError(
            "mapspec.scheme_not_offered", scheme=repr(scheme), metric=metric, schemes=', '.join(info.schemes)
        )
    if kec is not None and level != "desa":
        raise ExportError("mapspec.drill_down_needs_desa", kec=kec, level=repr(level))

    result = data.result
    kecamatan = load_layer("kecamatan_web", result.region)[["kode", "nama", "geometry"]]
    kecamatan_name = None
    if kec is not None:
        if not (kecamatan["kode"] == kec).any():
            raise ExportError("mapspec.unknown_kecamatan", kec=repr(kec), region=result.region)
        kecamatan = kecamatan[kecamatan["kode"] == kec].reset_index(drop=True)
        kecamatan_name = str(kecamatan["nama"].iloc[0])
    else:      # the areas named over the whole region (the province: its kabupaten/kota)
        kecamatan = overview_outline(result.region)
    # the same regions and classes as the app shows (analysis.views)
    layer = map_regions(result, level, kec)
    classification = classify_metric(layer, metric, scheme, bands, k=k,
                                     reference=level_values(result, level, metric) if kec else None)
    classes = classification.assign(layer[metric])
    colors = class_colors(metric_palette(info), classification.lower, classification.bins)
    legend = legend_for(classification, colors, info.label(lang), kind=info.kind, lang=lang,
                        has_missing=bool((classes < 0).any()))

    fmt = {"metric": info.label(lang), "level": level_label(level, lang), "kabupaten": result.kabupaten["nama"]}
    title = (x("map.title_kec", lang, kecamatan=kecamatan_name, **fmt) if kecamatan_name
             else x("map.title", lang, **fmt))
    subtitle = " · ".join([
        x("subtitle.period", lang, period=format_period(result.period, lang)),
        x("subtitle.target", lang, target=target_text(result.target, lang)),
        x("subtitle.scheme", lang, scheme=scheme_label(scheme, lang).lower()),
    ])
    return MapSpec(
        data=data, level=level, metric=info, scheme=scheme, lang=lang, layer=layer, kecamatan=kecamatan,
        classification=classification, colors=list(colors), classes=classes, legend_labels=list(legend.labels),
        title=title, subtitle=subtitle, source_line=source_line(data, lang), kecamatan_name=kecamatan_name,
    )
