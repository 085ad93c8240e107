"""Map layers of the outreach pages: high-risk sites and visited desa, fully offline.

:func:`add_sites_layer` draws one marker per site: a map pin in the colour of
its category with a two-letter code inside (inline SVG in a ``DivIcon``, so no
icon font or image is fetched).  Markers are clustered when zoomed out
(Leaflet.markercluster, served locally by :mod:`render.maps.web_assets`) and an
in-map legend lists the categories with a check box each, which shows or
hides that category's markers in the browser (no Streamlit rerun).  Popups
come from :func:`ingest.sites.site_popup_html`, which escapes every value;
tooltips are escaped here.  The illustrative layer says so in its legend.

:func:`add_visited_layer` outlines the desa visited since the coverage
snapshot with a dashed green line and puts a check-mark badge on each.
:func:`add_follow_up_layer` puts a "!" badge on each desa whose follow-up
visit is due (orange) or overdue (red), beside its check mark.

Category colours are ColorBrewer's qualitative ``Paired`` scheme (through
branca) plus grey for "lainnya"; the letters keep categories apart for
readers who cannot tell the colours apart.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import folium
import folium.plugins
import geopandas as gpd
import pandas as pd
from branca.element import MacroElement
from branca.utilities import color_brewer
from folium.template import Template as FoliumTemplate
from jinja2 import Template

from core.formatting import check_lang, format_int
from core.i18n import t
from geo.paths import GEOGRAPHIC_CRS
from ingest.sites import OTHER_CATEGORY, _blank, category_group, category_label
from render import escape
from render.maps.labels import corner_box

_PAIRED = color_brewer("Paired", 12)
#: Category -> (index into ColorBrewer Paired, two-letter code shown on the pin).
_CATEGORY_KEYS: dict[str, tuple[int | None, str]] = {
    "rafting": (1, "AJ"),          # arung jeram: dark blue
    "river_tubing": (0, "SS"),     # susur sungai: light blue
    "crater_tourism": (5, "KW"),   # kawah: red
    "beach_tourism": (6, "PN"),    # pantai: light orange
    "fishing_port": (9, "PI"),     # pelabuhan ikan: purple
    "hot_spring": (4, "AP"),       # air panas: pink
    "tannery": (11, "KL"),         # kulit: brown
    "quarry": (10, "TB"),          # tambang: yellow
    "geothermal": (7, "PB"),       # panas bumi: orange
    "plantation": (3, "KB"),       # kebun: green
    "lake_boats": (8, "PS"),       # perahu situ: light purple
    "market_porters": (2, "KP"),   # kuli pasar: light green
    OTHER_CATEGORY: (None, "L"),   # lainnya: grey
}
OTHER_COLOR = "#737373"
#: Cluster badge: a dark disc with the number of sites (not the default traffic-light colours,
#: which would read as a rating).
CLUSTER_ICON_JS = """
function (cluster) {
    return L.divIcon({html: "<div><span>" + cluster.getChildCount() + "</span></div>",
                      className: "marker-cluster peta-site-cluster", iconSize: new L.Point(36, 36)});
}
"""
#: Maximum zoom given to a map without tiles (the marker clusters need one).
MAX_ZOOM = 18
#: Outline of the visited desa and colour of their check-mark badge.
VISITED_COLOR = "#1b7837"
#: Follow-up badges: overdue (dark red) and due today (dark orange); both keep 4.5:1 against white text.
FOLLOW_UP_COLORS = {"overdue": "#b2182b", "due": "#a84c00"}

_CSS = """
.peta-site-icon{background:none;border:none}
.peta-follow-up-icon{background:none;border:none}
.peta-site-icon svg{display:block;filter:drop-shadow(0 1px 1.5px rgba(0,0,0,.45))}
.peta-sites-legend{background:rgba(255,255,255,.95);color:#1b1b1b;padding:8px 10px;border-radius:6px;
 box-shadow:0 1px 5px rgba(0,0,0,.35);font:13px/1.3 system-ui,sans-serif;max-width:22em}
.peta-sites-legend .t{font-weight:700}
.peta-sites-legend summary{cursor:pointer;margin:0 0 2px 0}
.peta-sites-legend details:not([open]) .illu{margin:3px 0 0 0}
.peta-sites-legend .illu{background:#ffe066;border:1px solid #b58900;border-radius:3px;padding:1px 5px;
 font-weight:700;font-size:11.5px;margin:4px 0 6px 0}
.peta-sites-legend label{display:flex;align-items:center;gap:6px;margin:2px 0;cursor:pointer;white-space:nowrap}
.peta-sites-legend label .n{color:#555}
.peta-sites-legend input{margin:0;flex:none}
.peta-sites-legend label svg{flex:none}
.peta-visited-icon{background:none;border:none}
.marker-cluster.peta-site-cluster{background:rgba(255,255,255,.75);box-shadow:0 1px 4px rgba(0,0,0,.45)}
.marker-cluster.peta-site-cluster div{background:#263238;color:#fff;font:700 13px/30px system-ui,sans-serif}
.marker-cluster.peta-site-cluster span{line-height:30px}
.leaflet-popup-content{font:13px/1.35 system-ui,sans-serif}
"""


@dataclass(frozen=True)
class MarkerStyle:
    """How a category's markers look.

    Attributes
    ----------
    color : str
        Pin fill (CSS hex).
    text_color : str
        Code colour, dark or white, whichever contrasts more with ``color``.
    code : str
        One or two letters drawn on the pin.
    """

    color: str
    text_color: str
    code: str


def _luminance(hex_color: str) -> float:
    """WCAG relative luminance of ``#rrggbb``."""
    channels = [int(hex_color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _text_color(fill: str) -> str:
    """``#111111`` or ``#ffffff``, whichever has the higher WCAG contrast on ``fill``."""
    lum = _luminance(fill)
    dark, light = (lum + 0.05) / (_luminance("#111111") + 0.05), 1.05 / (lum + 0.05)
    return "#111111" if dark >= light else "#ffffff"


def _style(index: int | None, code: str) -> MarkerStyle:
    color = OTHER_COLOR if index is None else _PAIRED[index]
    return MarkerStyle(color, _text_color(color), code)


#: Marker style of every category group (known categories and ``lainnya``).
CATEGORY_STYLES: dict[str, MarkerStyle] = {cat: _style(i, code) for cat, (i, code) in _CATEGORY_KEYS.items()}


def category_name(group: str, lang: str = "id") -> str:
    """Category label in a language (:func:`ingest.sites.category_label`)."""
    return category_label(group, check_lang(lang))


def pin_svg(group: str, size: float = 1.0) -> str:
    """Inline SVG of a category's map pin (``size`` scales the 28x38 px pin)."""
    style = CATEGORY_STYLES.get(group, CATEGORY_STYLES[OTHER_CATEGORY])
    width, height = round(28 * size, 1), round(38 * size, 1)
    font = 10.5 if len(style.code) > 1 else 13
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 28 38" '
        f'aria-hidden="true">'
        f'<path d="M14 37C14 37 2 23 2 14a12 12 0 1 1 24 0c0 9-12 23-12 23z" fill="{style.color}" '
        'stroke="#1b1b1b" stroke-width="1.4"/>'
        f'<text x="14" y="18" text-anchor="middle" font-family="system-ui,Arial,sans-serif" '
        f'font-size="{font}" font-weight="700" fill="{style.text_color}">{html.escape(style.code)}</text>'
        "</svg>"
    )


def _check_svg(px: int = 22) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{px}" height="{px}" viewBox="0 0 22 22" aria-hidden="true">'
        f'<circle cx="11" cy="11" r="9.5" fill="#ffffff" stroke="{VISITED_COLOR}" stroke-width="2.2"/>'
        f'<path d="M6.3 11.4l3.2 3.2 6.2-6.6" fill="none" stroke="{VISITED_COLOR}" stroke-width="2.6" '
        'stroke-linecap="round" stroke-linejoin="round"/></svg>'
    )


class DivIconMarker(folium.Marker):
    """A marker created with its ``L.divIcon`` from the start.

    ``folium.Marker(icon=folium.DivIcon(...))`` first adds a marker with
    Leaflet's default image icon and swaps the icon afterwards, so the browser
    requests ``marker-icon.png`` (a 404 when Leaflet is served locally).  This
    marker never asks for an image.

    Parameters
    ----------
    location : (lat, lon)
    html : str
        Inner HTML of the icon (already escaped by the caller).
    icon_size, icon_anchor : (int, int)
        Pixels, as for ``L.divIcon``.
    class_name : str
        CSS class of the icon element.
    popup, tooltip : folium.Popup / folium.Tooltip, optional
    **kwargs
        Leaflet marker options (e.g. ``interactive=False``).
    """

    _template = FoliumTemplate(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.marker(
                {{ this.location|tojson }},
                Object.assign({{ this.options|tojavascript }}, {icon: L.divIcon({{ this.icon_options|tojson }})})
            ).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, location, html: str, icon_size: tuple[int, int], icon_anchor: tuple[int, int],
                 class_name: str, popup=None, tooltip=None, **kwargs) -> None:
        super().__init__(location, popup=popup, tooltip=tooltip, **kwargs)
        self._name = "DivIconMarker"
        self.icon_options = {"html": html, "iconSize": list(icon_size), "iconAnchor": list(icon_anchor),
                             "className": class_name}


class _Css(MacroElement):
    """Adds the layer's stylesheet to the page header once."""

    _template = Template("{% macro header(this, kwargs) %}<style>{{ this.css }}</style>{% endmacro %}")

    def __init__(self) -> None:
        super().__init__()
        self._name = "PetaSitesCss"
        self.css = " ".join(_CSS.split())


class SiteCategoryControl(MacroElement):
    """In-map legend of the site categories, one check box each to show or hide its markers.

    Parameters
    ----------
    parent : folium layer
        The layer holding the markers (the marker cluster or the feature group).
    groups : dict
        ``{category: [folium.Marker, ...]}`` in legend order.
    title : str
        Legend title (escaped).
    lang : str
    illustrative_label : str, optional
        Shown as a yellow tag under the title (escaped).
    position : str
        Leaflet control position.
    collapsed : bool
        Start with the category list folded (the title stays; a click unfolds it).
    fold_below_px : int, optional
        Start folded when the map is narrower than this (a phone), open otherwise.
    label_of, icon_of : callable, optional
        A group's label (escaped here) and its icon's HTML (trusted); default the site
        category's name and pin.  Other layers (companies by status) bring their own.

    Attributes
    ----------
    html : str
        The legend's inner HTML (what tests inspect).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
        {{ this.get_name() }}.onAdd = function (map) {
            var div = L.DomUtil.create("div", "peta-sites-legend");
            div.innerHTML = {{ this.html|tojson }};
            {%- if this.fold_below_px %}
            if (map.getSize().x < {{ this.fold_below_px }}) {   // a phone: the list starts folded
                var details = div.querySelector("details");
                if (details) { details.removeAttribute("open"); }
            }
            {%- endif %}
            L.DomEvent.disableClickPropagation(div);
            L.DomEvent.disableScrollPropagation(div);
            var parent = {{ this.parent_name }};
            var groups = {
            {%- for category, names in this.marker_names.items() %}
                {{ category|tojson }}: [{{ names|join(", ") }}],
            {%- endfor %}
            };
            div.querySelectorAll("input[data-category]").forEach(function (box) {
                box.addEventListener("change", function () {
                    var layers = groups[box.getAttribute("data-category")] || [];
                    if (box.checked) {
                        if (parent.addLayers) { parent.addLayers(layers); }
                        else { layers.forEach(function (l) { parent.addLayer(l); }); }
                    } else {
                        if (parent.removeLayers) { parent.removeLayers(layers); }
                        else { layers.forEach(function (l) { parent.removeLayer(l); }); }
                    }
                });
            });
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, parent, groups: Mapping[str, list[folium.Marker]], title: str, lang: str = "id",
                 illustrative_label: str | None = None, position: str = "topright",
                 collapsed: bool = False, label_of: Callable[[str], str] | None = None,
                 icon_of: Callable[[str], str] | None = None, fold_below_px: int | None = None) -> None:
        super().__init__()
        self._name = "SiteCategoryControl"
        self.fold_below_px = int(fold_below_px) if fold_below_px else None
        self.parent_name = parent.get_name()
        self.position = position
        self.marker_names = {cat: [m.get_name() for m in markers] for cat, markers in groups.items()}
        label_of = label_of or (lambda category: category_name(category, lang))
        icon_of = icon_of or (lambda category: pin_svg(category, 0.55))
        rows = []
        for category, markers in groups.items():
            label = html.escape(label_of(category))
            rows.append(
                f'<label><input type="checkbox" checked data-category="{html.escape(category, quote=True)}">'
                f'{icon_of(category)}<span>{label}</span><span class="n">({len(markers)})</span></label>'
            )
        tag = f'<div class="illu">{html.escape(illustrative_label)}</div>' if illustrative_label else ""
        # <details>: the list folds away with no script; title and illustrative tag stay visible
        self.html = (f'<details{"" if collapsed else " open"}><summary><span class="t">{html.escape(title)}</span>'
                     f'{tag}</summary>{"".join(rows)}</details>')


def clustered_group(fmap: folium.Map, title: str, label: str | None, cluster: bool,
                    radius_px: int) -> tuple[folium.FeatureGroup, folium.FeatureGroup]:
    """A marker layer on ``fmap`` (named for a LayerControl, with its label) and where its markers go.

    With ``cluster`` the markers go into a Leaflet.markercluster group (dark count badges, spiderfied at the
    last zoom) inside the layer; without, into the layer itself.
    """
    # Leaflet.markercluster needs a maximum zoom, which a map without tiles does not have
    fmap.options.setdefault("max_zoom", MAX_ZOOM)
    group = folium.FeatureGroup(name=title + (f" ({label})" if label else ""), control=True)
    group.add_to(fmap)
    if not cluster:
        return group, group
    parent = folium.plugins.MarkerCluster(
        name=title, control=False, icon_create_function=CLUSTER_ICON_JS,
        options={"showCoverageOnHover": False, "maxClusterRadius": radius_px, "spiderfyOnMaxZoom": True})
    parent.add_to(group)
    return group, parent


def _add_css(fmap: folium.Map) -> None:
    if not any(isinstance(child, _Css) for child in fmap._children.values()):
        _Css().add_to(fmap)


def _points(sites: gpd.GeoDataFrame) -> gpd.GeoSeries:
    geometry = sites.geometry
    if sites.crs is not None and str(sites.crs) != GEOGRAPHIC_CRS:
        geometry = geometry.to_crs(GEOGRAPHIC_CRS)
    return geometry


def _site_groups(sites: pd.DataFrame) -> pd.Series:
    """Category group of every site; unknown groups and blanks become ``lainnya``."""
    groups = (sites["category_group"] if "category_group" in sites.columns
              else sites["category"].map(category_group))
    return groups.where(groups.isin(list(_CATEGORY_KEYS)), OTHER_CATEGORY)


def _groups_in_order(groups: Iterable[str]) -> list[str]:
    present = set(groups)
    return [c for c in _CATEGORY_KEYS if c in present]


#: The folded sites legend (title and the ILUSTRATIF line), a generous estimate in px.
FOLDED_LEGEND_PX = (300, 76)


def folded_legend_box(map_px: tuple[int, int], position: str = "bottomright") -> tuple[float, float, float, float]:
    """Where the folded sites legend stands on a map of ``map_px`` (x0, y0, x1, y1): labels keep out of it."""
    return corner_box(map_px, *FOLDED_LEGEND_PX, position)


def add_sites_layer(fmap: folium.Map, sites: gpd.GeoDataFrame, lang: str = "id",
                    categories: Iterable[str] | None = None, cluster: bool = True,
                    illustrative: bool | None = None, legend: bool = True,
                    legend_collapsed: bool = False, legend_position: str = "topright") -> folium.FeatureGroup:
    """Add the high-risk sites to a map: category pins, clusters, a legend with toggles.

    Parameters
    ----------
    fmap : folium.Map
        The map (then localise it: ``ui.vendor.offline`` in the app,
        ``render.maps.web_assets.inline_html`` for a file).
    sites : GeoDataFrame
        Accepted sites (:func:`ingest.sites.load_sites`): point geometry,
        ``name``, ``category_group`` (or ``category``), ``desa``,
        ``kecamatan``, optional ``est_workers`` and ``illustrative``.
    lang : {"id", "en"}
        Language of the legend and tooltips (popups are Indonesian).
    categories : iterable of str, optional
        Category groups to draw (default: all).
    cluster : bool
        Cluster nearby markers when zoomed out.
    illustrative : bool, optional
        Label the layer as illustrative; default: any site's ``illustrative``.
    legend : bool
        Add the in-map legend with one check box per category.
    legend_collapsed : bool
        Start with the legend's category list folded (for busy maps).
    legend_position : str
        Leaflet control position of that legend (the map's own legend may hold the top right).

    Returns
    -------
    folium.FeatureGroup
        The layer (already on the map), named for a LayerControl.

    Raises
    ------
    ValueError
        If ``categories`` names an unknown category group or a column is missing.
    """
    lang = check_lang(lang)
    if "name" not in sites.columns or not ({"category_group", "category"} & set(sites.columns)):
        raise ValueError(f"Sites need 'name' and 'category_group' columns; got {sorted(map(str, sites.columns))}.")
    groups = _site_groups(sites)
    if categories is not None:
        wanted = set(categories)
        unknown = sorted(wanted - set(_CATEGORY_KEYS))
        if unknown:
            raise ValueError(f"Unknown site categories {unknown}; use {sorted(_CATEGORY_KEYS)}.")
        keep = groups.isin(wanted).to_numpy()
        sites, groups = sites[keep], groups[keep]
    if illustrative is None:
        illustrative = bool("illustrative" in sites.columns and sites["illustrative"].fillna(False).any())
    label = t("sites.illustrative_label", lang) if illustrative else None

    title = t("sites.layer", lang)
    group, parent = clustered_group(fmap, title, label, cluster, radius_px=45)
    markers: dict[str, list[folium.Marker]] = {c: [] for c in _groups_in_order(groups)}
    for (_, row), point, grp in zip(sites.iterrows(), _points(sites), groups):
        if point is None or point.is_empty:
            continue
        data = {**row.to_dict(), "category_group": grp}
        marker = DivIconMarker(
            [point.y, point.x],
            html=f'<div data-category="{html.escape(grp, quote=True)}">{pin_svg(grp)}</div>',
            icon_size=(28, 38), icon_anchor=(14, 37), class_name="peta-site-icon",
            popup=escape.popup(site_popup_html(data, illustrative=illustrative, lang=lang), max_width=320),
            tooltip=escape.tooltip(html.escape(f"{row['name']} · {category_name(grp, lang)}")),
        )
        marker.add_to(parent)
        markers[grp].append(marker)
    _add_css(fmap)
    if legend and markers:
        SiteCategoryControl(parent, markers, title, lang, illustrative_label=label,
                            collapsed=legend_collapsed, position=legend_position).add_to(fmap)
    return group


def add_visited_layer(fmap: folium.Map, desa_web: gpd.GeoDataFrame, visited_kode_set: Iterable[str],
                      lang: str = "id", details: Mapping[str, str] | None = None) -> folium.FeatureGroup:
    """Outline the visited desa (dashed green) and mark each with a check-mark badge.

    Parameters
    ----------
    fmap : folium.Map
    desa_web : GeoDataFrame
        Desa display layer (``kode``, ``nama``, ``kecamatan``, EPSG:4326).
    visited_kode_set : iterable of str
        Codes of the visited desa (e.g. ``Projection.visited``); codes not in
        ``desa_web`` are ignored (another kecamatan's map).
    lang : {"id", "en"}
    details : mapping, optional
        ``{kode: text}`` added to the badge's tooltip (e.g. "12 pekerja
        didaftarkan"); escaped.

    Returns
    -------
    folium.FeatureGroup
        The layer (already on the map); empty when no code matches.
    """
    lang = check_lang(lang)
    wanted = set(visited_kode_set)
    chosen = desa_web[desa_web["kode"].isin(wanted)]
    group = folium.FeatureGroup(name=t("visited.layer", lang), control=True)
    group.add_to(fmap)
    if chosen.empty:
        return group
    folium.GeoJson(
        json.loads(chosen[["geometry"]].to_json(drop_id=True)),
        name="visited-outline",
        style_function=lambda _f: {"color": VISITED_COLOR, "weight": 2.6, "dashArray": "6 4",
                                   "fill": False, "className": "peta-visited-outline"},
        interactive=False,
        control=False,
    ).add_to(group)
    points = chosen.geometry.representative_point()
    for kode, nama, kecamatan, point in zip(chosen["kode"], chosen["nama"], chosen["kecamatan"], points):
        text = t("visited.tooltip", lang, desa=nama, kecamatan=kecamatan)
        extra = (details or {}).get(kode)
        tooltip = html.escape(text) + (f"<br>{html.escape(extra)}" if extra else "")
        DivIconMarker(
            [point.y, point.x], html=_check_svg(), icon_size=(22, 22), icon_anchor=(11, 11),
            class_name="peta-visited-icon", tooltip=escape.tooltip(tooltip),
        ).add_to(group)
    _add_css(fmap)
    return group


def _follow_up_svg(color: str, px: int = 20) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{px}" height="{px}" viewBox="0 0 20 20" aria-hidden="true">'
        f'<circle cx="10" cy="10" r="9" fill="{color}" stroke="#ffffff" stroke-width="1.6"/>'
        '<path d="M10 4.6v6.4" stroke="#ffffff" stroke-width="2.6" stroke-linecap="round"/>'
        '<circle cx="10" cy="14.6" r="1.5" fill="#ffffff"/></svg>'
    )


def add_follow_up_layer(fmap: folium.Map, desa_web: gpd.GeoDataFrame, follow_ups: pd.DataFrame,
                        lang: str = "id") -> folium.FeatureGroup:
    """Mark desa whose follow-up visit is due or overdue with a "!" badge (orange: due, red: overdue).

    Parameters
    ----------
    fmap : folium.Map
    desa_web : GeoDataFrame
        Desa display layer (``kode``, ``nama``, ``kecamatan``); codes not in it are skipped.
    follow_ups : DataFrame
        :func:`analysis.visits.open_follow_ups`; ``upcoming`` rows are not marked.
    lang : {"id", "en"}

    Returns
    -------
    folium.FeatureGroup
        The layer (already on the map).
    """
    lang = check_lang(lang)
    group = folium.FeatureGroup(name=t("follow_up.layer", lang), control=True)
    group.add_to(fmap)
    urgent = follow_ups[follow_ups["status"].isin(list(FOLLOW_UP_COLORS))]
    if urgent.empty:
        return group
    first = urgent.drop_duplicates("kode_desa")          # the most urgent per desa (the frame is ordered)
    places = desa_web.set_index("kode")
    points = places.geometry.representative_point()
    for row in first.itertuples():
        if row.kode_desa not in places.index:
            continue
        point, place = points[row.kode_desa], places.loc[row.kode_desa]
        key = "follow_up.tooltip_overdue" if row.status == "overdue" else "follow_up.tooltip_due"
        text = t(key, lang, desa=place["nama"], kecamatan=place["kecamatan"], team=row.team,
                 days=format_int(row.days_late, lang), promised=format_int(row.promised, lang))
        DivIconMarker(
            [point.y, point.x], html=_follow_up_svg(FOLLOW_UP_COLORS[row.status]), icon_size=(20, 20),
            icon_anchor=(-4, 24), class_name=f"peta-follow-up-icon peta-follow-up-{row.status}",
            tooltip=escape.tooltip(html.escape(text)),
        ).add_to(group)
    _add_css(fmap)
    return group


def site_category_table(sites: pd.DataFrame, lang: str = "id") -> pd.DataFrame:
    """Categories present in ``sites`` with their code, colour and count (legend order).

    Returns
    -------
    DataFrame
        ``category_group, label, code, color, n_sites``.
    """
    groups = _site_groups(sites)
    counts = groups.value_counts()
    rows = [{"category_group": c, "label": category_name(c, lang), "code": CATEGORY_STYLES[c].code,
             "color": CATEGORY_STYLES[c].color, "n_sites": int(counts[c])} for c in _groups_in_order(groups)]
    return pd.DataFrame(rows, columns=["category_group", "label", "code", "color", "n_sites"])


def site_popup_html(row: Mapping[str, Any] | pd.Series, illustrative: bool | None = None,
                    lang: str = "id") -> str:
    """HTML for a site's map popup; every value is escaped here.

    Site names are stored as written (``<b>`` stays ``<b>`` in the data);
    this is the place where they become safe HTML.  ``contact`` and
    ``operator`` are never shown.

    Parameters
    ----------
    row : mapping
        A site (``name``, ``category_group``, ``desa``, ``kecamatan``, optional
        ``est_workers``, ``illustrative``).
    illustrative : bool, optional
        Add the illustrative label (default: the row's ``illustrative``).
    """
    def text(key: str) -> str:
        value = row.get(key)
        return "" if _blank(value) else html.escape(str(value))

    group = row.get("category_group") or category_group(row.get("category"))
    lines = [f"<b>{text('name')}</b>", html.escape(category_label(str(group), lang))]
    if text("desa"):
        lines.append(
            html.escape(t("sites.popup.where", lang, desa=row.get("desa"), kecamatan=row.get("kecamatan")))
        )
    workers = row.get("est_workers")
    if not _blank(workers):
        lines.append(html.escape(t("sites.popup.workers", lang, n=format_int(float(workers), lang))))
    if illustrative if illustrative is not None else bool(row.get("illustrative", False)):
        lines.append(f"<i>{html.escape(t('sites.illustrative_label', lang))}</i>")
    return "<br>".join(lines)
