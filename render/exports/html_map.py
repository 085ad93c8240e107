"""The map as one standalone HTML file that opens offline by double-click.

Built with the app's own map builder (:func:`render.maps.choropleth.choropleth_map`:
same classes, colours, legend, hatch for no data, escaped Indonesian
tooltips) and inlined by :func:`render.maps.web_assets.inline_html`, so Leaflet and
every stylesheet are embedded and nothing is fetched from the network.  A
title panel (top right) says what the map shows, the period, the source and
the date, and carries the DATA CONTOH banner when the figures are the sample
(the legend repeats it).  Every string is HTML-escaped.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

import folium
from branca.element import Element, MacroElement
from jinja2 import Template

from analysis.views import names_overview, partial_regions
from core.i18n import t
from render import escape
from render.exports.context import ExportData
from render.exports.mapspec import MapSpec, map_spec
from render.exports.text import sample_banner, x
from render.exports.view import ExportView
from render.maps.choropleth import choropleth_map
from render.maps.legend import legend_note
from render.maps.sites_layer import site_popup_html
from render.maps.web_assets import inline_html

#: Tooltip rows after the name(s): (column, metric kind).
TOOLTIP_METRICS = (("workers", "count"), ("covered", "count"), ("coverage_rate", "rate"),
                   ("gap_to_target", "count"))
#: Site marker style (Leaflet circle markers need no icon font).
SITE_MARKER = {"radius": 6, "color": "#ffffff", "weight": 1.5, "fill_color": "#111111", "fill_opacity": 0.95}

_PANEL_CSS = (
    ".peta-title{background:rgba(255,255,255,.95);color:#1b1b1b;padding:10px 14px;border-radius:6px;"
    "box-shadow:0 1px 5px rgba(0,0,0,.35);font-family:system-ui,'DejaVu Sans',sans-serif;"
    "max-width:min(24em,70vw);line-height:1.35}"
    ".peta-title h1{font-size:17px;font-weight:700;margin:0 0 4px 0}"
    ".peta-title .peta-sub{font-size:13px;color:#444}"
    ".peta-title .peta-src{font-size:11px;color:#555;margin-top:6px}"
    ".peta-title .peta-sample{background:#b3261e;color:#fff;font-weight:700;padding:4px 8px;border-radius:4px;"
    "margin:0 0 6px 0;font-size:13px}"
    ".peta-title .peta-sites{font-size:12px;margin-top:4px}"
    "@media (max-width:700px){.peta-title h1{font-size:14px}.peta-title .peta-src,.peta-title .peta-sub"
    "{display:none}}"
)


class TitlePanel(MacroElement):
    """A Leaflet control with the map's title, subtitle, source line and sample banner (escaped HTML)."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>{{ this.css }}</style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: "topleft"});
        {{ this.get_name() }}.onAdd = function (map) {
            var div = L.DomUtil.create("div", "peta-title");
            div.innerHTML = {{ this.html|tojson }};
            L.DomEvent.disableClickPropagation(div);
            L.DomEvent.disableScrollPropagation(div);
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        (function (map, panel) {
            // Keep the regions clear of the panel when the screen is wide enough.  The page says when the
            // view is final (data-peta-view="fitted"), for whoever prints or screenshots it.
            var width = panel.getContainer().offsetWidth, size = map.getSize();
            var fitted = function () { document.documentElement.dataset.petaView = "fitted"; };
            if (width > 0 && width < size.x / 2) {
                map.once("moveend", fitted);
                map.fitBounds({{ this.bounds|tojson }}, {paddingTopLeft: [width + 20, 0], animate: false});
            } else {
                fitted();
            }
        })({{ this._parent.get_name() }}, {{ this.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, title: str, subtitle: str, source: str, bounds: list[list[float]],
                 banner: str | None = None, sites_note: str | None = None):
        super().__init__()
        self.bounds = bounds
        self._name = "PetaTitle"
        self.css = _PANEL_CSS
        parts = []
        if banner:
            parts.append(f'<div class="peta-sample">{html.escape(banner)}</div>')
        parts.append(f"<h1>{html.escape(title)}</h1>")
        parts.append(f'<div class="peta-sub">{html.escape(subtitle)}</div>')
        if sites_note:
            parts.append(f'<div class="peta-sites">● {html.escape(sites_note)}</div>')
        parts.append(f'<div class="peta-src">{html.escape(source)}</div>')
        self.html = "".join(parts)


def _tooltip_fields(spec: MapSpec) -> list[tuple[str, str, str | None]]:
    lang = spec.lang
    if spec.level == "desa":
        fields = [("nama", x("col.desa", lang), None), ("kecamatan", x("col.kecamatan", lang), None)]
    else:
        fields = [("nama", x("col.kecamatan", lang), None)]
    shown = [(spec.metric.key, spec.metric.kind)]
    shown += [(column, kind) for column, kind in TOOLTIP_METRICS if column != spec.metric.key]
    fields += [(column, t(f"metric.{column}", lang), kind) for column, kind in shown]
    if spec.level == "kecamatan" and "reported" in spec.layer.columns:
        fields.append(("reported", t("map.reported", lang), "text"))
    return fields


def _add_sites(fmap: folium.Map, spec: MapSpec) -> None:

    sites = spec.data.sites
    if spec.kecamatan_name is not None:
        sites = sites[sites["kode_kec"] == spec.kecamatan["kode"].iloc[0]]
    group = folium.FeatureGroup(name="sites", control=False)
    for _, row in sites.iterrows():
        folium.CircleMarker(
            [row.geometry.y, row.geometry.x],
            popup=escape.popup(
                site_popup_html(row, illustrative=spec.data.sites_illustrative, lang=spec.lang), max_width=320
            ),
            tooltip=escape.tooltip(escape.html_text(row.get("name", ""))),
            **SITE_MARKER,
        ).add_to(group)
    group.add_to(fmap)


def map_html(spec: MapSpec, show_sites: bool = False, highlight: Iterable[str] | None = None) -> str:
    """Build the standalone HTML of a map view.

    Parameters
    ----------
    spec : MapSpec
    show_sites : bool
        Add the sites of ``spec.data.sites`` as circle markers with popups.
    highlight : iterable of str, optional
        ``kode`` values to outline thickly (top-10, priorities).

    Returns
    -------
    str
        One HTML document with Leaflet, its CSS and the data embedded.
    """
    lang = spec.lang
    kecamatan_layer = spec.kecamatan
    named_above = names_overview(spec.level, spec.data.result.region, spec.kecamatan_name)
    banner = sample_banner(lang) if spec.is_sample else None
    partial = partial_regions(spec.layer)
    fmap = choropleth_map(
        spec.layer, spec.metric.key, spec.classification, spec.colors,
        tooltip_fields=_tooltip_fields(spec), lang=lang, title=spec.metric_label, kind=spec.metric.kind,
        labels_column="nama", labels_layer=kecamatan_layer if named_above else None,
        outline_layer=kecamatan_layer if named_above else None,
        highlight=highlight,
        legend_note=" · ".join(n for n in (banner, legend_note(False, bool(partial), lang, spec.scheme)) if n)
        or None, partial=partial,
    )
    with_sites = show_sites and spec.data.sites is not None and len(spec.data.sites) > 0
    if with_sites:
        _add_sites(fmap, spec)
    sites_key = "legend.sites_illustrative" if spec.data.sites_illustrative else "legend.sites"
    minx, miny, maxx, maxy = (float(v) for v in spec.layer.total_bounds)
    TitlePanel(spec.title, spec.subtitle, spec.source_line, [[miny, minx], [maxy, maxx]], banner=banner,
               sites_note=x(sites_key, lang) if with_sites else None).add_to(fmap)
    root = fmap.get_root()
    root.title = html.escape(spec.title)
    note = banner or x("data_status.user", lang)
    root.header.add_child(Element(f'<meta name="description" content="{html.escape(note, quote=True)}">'))
    return inline_html(fmap)


def map_html_bytes(data: ExportData, view: ExportView | None = None) -> bytes:
    """Render the map as a standalone, offline HTML file (UTF-8 bytes).

    Parameters
    ----------
    data : ExportData
    view : ExportView, optional
        What the map shows (level, metric, classes, language, sites, highlight, drill-down).

    Returns
    -------
    bytes
        About 1.3 MB for the desa map (Leaflet and the display geometry).
    """
    view = view or ExportView()
    spec = map_spec(data, view)
    return map_html(spec, show_sites=view.show_sites, highlight=view.highlight).encode("utf-8")
