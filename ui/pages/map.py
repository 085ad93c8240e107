"""The map page: KPI header, choropleth with drill-down, chart and top 10; briefing mode.

Every figure comes from ``analysis`` (views, coverage, formatting); this
module only lays them out.  Widget keys double as URL query parameters
(``bind="query-params"``), so a link reopens the same view.

The choropleth is drawn for the default metric and classes (:data:`BASE_VIEW`);
the metric, classes and bands shown are applied to it in the browser
(:mod:`ui.restyle`), so changing them sends a few kilobytes of styles, not the
map again, and the map frame (with its zoom) stays.
"""

from __future__ import annotations

from html import escape

import altair as alt
import folium
import pandas as pd
import streamlit as st

from analysis.classify import SCHEMES
from analysis.coverage import kabupaten_kpis
from analysis.desa_programmes import with_programmes
from analysis.metrics import METRICS
from analysis.projection import projection_from_log
from analysis.trend import dataset_trend
from analysis.views import (
    briefing_order,
    classify_metric,
    kecamatan_chart,
    level_values,
    map_regions,
    names_overview,
    overview_outline,
    partial_regions,
    scheme_for,
    segment_fields,
    tooltip_fields,
    top_kecamatan,
)
from core.errors import PetaCakupanError
from core.formatting import (
    format_change_pp,
    format_int,
    format_percent,
    format_rupiah,
    format_value,
)
from core.i18n import t
from geo.region import is_province
from render.exports.text import format_period, trend_sentences
from render.maps.choropleth import choropleth_map
from render.maps.legend import legend_note
from render.maps.mapview import padded_bounds
from render.maps.palettes import metric_palette
from render.maps.restyle import restyle_payload
from render.maps.sites_layer import (
    add_follow_up_layer,
    add_sites_layer,
    add_visited_layer,
    folded_legend_box,
)
from ui.access import current_user
from ui.common import IGNORED_KEY, current_lang, dataset, page_header
from ui.downloads import export_buttons
from ui.fingerprint import fingerprint
from ui.folium_frame import cached_frame, show_frame
from ui.html import BRIEFING_CSS, briefing_title_html, kpi_cards_html, loading_html
from ui.markdown import md
from ui.outreach_widgets import (
    layer,
    sites_in_use,
    visit_log,
    visited_details,
    visited_summary,
)
from ui.programmes import card_line, programmes_in_use
from ui.programmes import tooltip_rows as programme_tooltip_rows
from ui.restyle import restyle
from ui.state import (
    ALL_KECAMATAN,
    AUTO_SCHEME,
    DEFAULTS,
    bands_from_text,
    query_from_state,
)
from ui.trend_panel import trend_section
from ui.vendor import offline
from ui.viewport import PHONE_PX, map_px, measured_room

MAP_KEY = "peta"
#: Session keys of the map-size probes (:mod:`ui.viewport`), one per layout.
BRIEFING_ROOM_KEY = "map_room_briefing"
EVERYDAY_ROOM_KEY = "map_room"
#: Around the stepped-to kecamatan the briefing map shows this share of its size as context.
BRIEFING_ZOOM_PAD = 0.35
#: ... and around the desa found by the search.
FOCUS_ZOOM_PAD = 0.6
#: Session keys of the desa search and of the desa it focuses on.
SEARCH_KEY = "desa_search"
FOCUS_KEY = "desa_focus"
#: Optional basemap (needs internet; the map stays readable without it).
BASEMAP = "OpenStreetMap"


def _kecamatan_outline():
    return layer("kecamatan_web")


@st.cache_resource(show_spinner=False)
def _overview_outline(region: str):
    return overview_outline(region)


def clicked_kecamatan(value: dict | None) -> str | None:
    """Return the kecamatan code of a st_folium click value, if a kecamatan was clicked."""
    feature = (value or {}).get("last_active_drawing") or {}
    kode = (feature.get("properties") or {}).get("kode")
    return kode if isinstance(kode, str) and len(kode) == 8 else None


def _on_map_click() -> None:
    """Drill down when a kecamatan is clicked (runs before the next script run)."""
    kode = clicked_kecamatan(st.session_state.get(MAP_KEY))
    if kode:
        st.session_state["kec"] = kode
        st.session_state["level"] = "desa"


def _back_to_kabupaten() -> None:
    st.session_state["kec"] = ALL_KECAMATAN
    st.session_state["level"] = "kecamatan"
    st.session_state[FOCUS_KEY] = None


def _on_desa_search() -> None:
    """A desa was chosen in the search: drill down to its kecamatan and focus the map and the card on it."""
    kode = st.session_state.get(SEARCH_KEY)
    if kode:
        st.session_state["kec"] = kode[:8]
        st.session_state["level"] = "desa"
        st.session_state[FOCUS_KEY] = kode
        st.session_state[SEARCH_KEY] = None


def desa_search_options(desa: pd.DataFrame, lang: str) -> dict[str, str]:
    """``{kode: "Mekarsari — Kec. Cikajang"}`` sorted by name, then kecamatan: same-named desa told apart."""
    ordered = desa.sort_values(["nama", "kecamatan", "kode"])
    return {k: t("search.option", lang, desa=n, kecamatan=kc)
            for k, n, kc in zip(ordered["kode"], ordered["nama"], ordered["kecamatan"])}


def _desa_card(result, kode: str, lang: str) -> None:
    """The searched desa's figures above the map."""
    rows = result.desa[result.desa["kode"] == kode]
    if rows.empty:
        return
    row = rows.iloc[0]
    with st.container(border=True, key="desa_card"):
        st.markdown(md("search.card", lang, desa=row["nama"], kecamatan=row["kecamatan"],
                       rate=format_value(row["coverage_rate"], "rate", lang),
                       workers=format_value(row["workers"], "count", lang),
                       covered=format_value(row["covered"], "count", lang),
                       gap=format_value(row["gap_to_target"], "count", lang),
                       target=format_percent(result.target, lang, 0)))
        programmes = programmes_in_use()
        if programmes is not None:
            line = card_line(with_programmes(rows, programmes[0]).iloc[0], lang, illustrative=programmes[1])
            if line:
                st.markdown(line)


def _next_kecamatan(order: list[str]) -> None:
    st.session_state["brief_idx"] = (st.session_state.get("brief_idx", -1) + 1) % len(order)


def _controls(lang: str, kecamatan: pd.DataFrame) -> dict[str, object]:
    side = st.sidebar
    options = desa_search_options(layer("desa_web"), lang)
    side.selectbox(t("search.label", lang), list(options), index=None, key=SEARCH_KEY, format_func=options.get,
                   placeholder=t("search.placeholder", lang), on_change=_on_desa_search)
    level = side.radio(t("control.level", lang), ["kecamatan", "desa"], key="level",
                       format_func=lambda v: t(f"level.{v}", lang), horizontal=True)
    names = dict(zip(kecamatan["kode"], kecamatan["nama"]))
    kec = side.selectbox(t("control.kecamatan_filter", lang), [ALL_KECAMATAN, *sorted(names, key=names.get)],
                         key="kec",
                         format_func=lambda v: names.get(v) or t("control.all_kecamatan", lang))
    metric = side.selectbox(t("control.metric", lang), list(METRICS), key="metric",
                            format_func=lambda m: METRICS[m].label(lang))
    scheme = side.selectbox(t("control.scheme", lang), [AUTO_SCHEME, *SCHEMES], key="scheme",
                            format_func=lambda s: t(f"scheme.{s}", lang))
    bands_text = side.text_input(t("control.bands", lang), key="bands")
    bands = bands_from_text(bands_text)
    if bands is None:
        side.warning(md("control.bands_invalid", lang, value=bands_text))
    basemap = side.checkbox(t("control.basemap", lang), key="basemap")
    side.caption(t("map.offline_note", lang))
    return {"level": level, "kec": kec if level == "desa" and kec else None, "metric": metric,
            "scheme": scheme, "bands": bands, "tiles": BASEMAP if basemap else None}


#: The view the map is drawn for; other metrics, classes and bands restyle it in the browser (ui/restyle.py).
BASE_VIEW = {"metric": DEFAULTS["metric"], "scheme": DEFAULTS["scheme"], "bands": bands_from_text(DEFAULTS["bands"])}
RESTYLE_KEY = "peta_restyle"


def _styling(result, regions: pd.DataFrame, view: dict[str, object], lang: str) -> dict[str, object]:
    """The classes, palette, legend title and note of ``view``'s metric over ``regions``."""
    metric = view["metric"]
    info = METRICS[metric]
    scheme = scheme_for(metric, view["scheme"])
    # the editable 30/50/70 bands are rate bands; other metrics keep their own
    bands = view["bands"] if info.kind == "rate" else None
    classes = classify_metric(regions, metric, scheme, bands,
                              reference=level_values(result, view["level"], metric) if view["kec"] else None)
    return {"column": metric, "classification": classes, "palette": metric_palette(info), "title": info.label(lang),
            "kind": info.kind, "scheme": scheme,
            "legend_note": legend_note(dataset().is_sample, partial_regions(regions), lang, scheme)}


def _draw(recipe: dict[str, dict | None]) -> folium.Map:
    """The base map from ``recipe``: the choropleth's arguments and each layer's (None: not on this map)."""
    fmap = choropleth_map(**recipe["choropleth"])
    if recipe["visited"] is not None:
        add_visited_layer(fmap, **recipe["visited"])
    if recipe["follow_ups"] is not None:
        add_follow_up_layer(fmap, **recipe["follow_ups"])
    if recipe["sites"] is not None:
        add_sites_layer(fmap, **recipe["sites"])
    return fmap


def _base_frame(recipe: dict[str, dict | None]) -> dict[str, object]:
    """The prepared frame of ``recipe``'s map (:func:`ui.folium_frame.cached_frame`), drawn only when new.

    A rerun whose map is the same (a metric switch restyles it in the browser) sends the same component
    message, which crosses the websocket as a reference to the copy the browser holds, and the frame stays.
    """
    return cached_frame(fingerprint(recipe), lambda: offline(_draw(recipe)), MAP_KEY)


def _map(result, view: dict[str, object], lang: str, briefing: bool, highlight: set[str],
         projection=None, focus: str | None = None, size: tuple[int, int] | None = None,
         view_bounds=None) -> None:
    regions = map_regions(result, view["level"], view["kec"])
    programmes = programmes_in_use() if view["level"] == "desa" else None
    extra_rows = segment_fields(result, lang)       # PU, BPU, Jakon, PMI participants where the data gives them
    if programmes is not None:      # each desa's programmes in its tooltip
        regions = with_programmes(regions, programmes[0])
        extra_rows += programme_tooltip_rows(lang, programmes[1])
    metric = view["metric"]
    phone = size is not None and size[0] < PHONE_PX       # the legend goes under the map, not over it
    # the map's legend holds the top right on the everyday page: the sites' own stands bottom right (a phone's
    # map has no legend inside, and its south coast is the bottom right)
    sites_corner = "topright" if phone else "bottomright"
    sites = None if briefing else sites_in_use()
    found = regions[regions["kode"] == focus] if focus else regions.iloc[:0]
    if len(found):       # the searched desa: the map (and its labels) fitted to it and its neighbours
        view_bounds = padded_bounds(found, FOCUS_ZOOM_PAD)
    shown = _styling(result, regions, view, lang)
    if shown["scheme"] != view["scheme"] and view["scheme"] != AUTO_SCHEME:
        st.caption(t("control.scheme_fallback", lang, scheme=t(f"scheme.{shown['scheme']}", lang)))
    outline = _kecamatan_outline()
    if view["kec"]:
        outline = outline[outline["kode"] == view["kec"]]
    elif is_province(result.region):        # the province's overview names its kabupaten/kota
        outline = _overview_outline(result.region)
    outlined = view["level"] == "desa" or is_province(result.region)      # a drill-down: its kecamatan
    partial = partial_regions(regions)
    estimated = bool(dataset().workers_estimate)
    # the everyday map's bottom is below the fold at 1366x768: its legend stands at the top
    legend_position = "bottomright" if briefing else "topright"
    map_size = size or map_px(None, briefing)
    # drawn for the base view (the default metric and classes): another metric restyles it in the browser
    at_base = all(view[key] == value for key, value in BASE_VIEW.items())
    base = shown if at_base else _styling(result, regions, {**view, **BASE_VIEW}, lang)
    labels_layer = outline if names_overview(view["level"], result.region, view["kec"]) else None
    recipe: dict[str, dict | None] = {
        "choropleth": {
            "layer": regions, "column": base["column"], "classification": base["classification"],
            "palette": base["palette"],
            "tooltip_fields": tooltip_fields(view["level"], base["column"], lang, estimated) + extra_rows,
            "lang": lang, "title": base["title"], "kind": base["kind"], "labels_column": "nama",
            "labels_layer": labels_layer, "outline_layer": outline if outlined else None,
            "highlight": set(highlight), "large": briefing, "tiles": view.get("tiles"),
            "legend_note": base["legend_note"], "partial": partial, "map_px": size, "view_bounds": view_bounds,
            "legend_inside": not phone, "legend_position": legend_position,
            "label_obstacles": [folded_legend_box(map_size, sites_corner)] if sites is not None and len(sites)
            else [],
        },
        "visited": None, "follow_ups": None, "sites": None,
    }
    if not briefing:
        desa_all = layer("desa_web")
        desa_here = desa_all[desa_all["kode_kec"] == view["kec"]] if view["kec"] else desa_all
        if projection is not None and projection.visited:
            recipe["visited"] = {"desa_web": desa_here, "visited_kode_set": set(projection.visited), "lang": lang,
                                 "details": visited_details(projection, lang)}
        recipe["follow_ups"] = {"desa_web": desa_here, "follow_ups": visit_log().follow_ups(), "lang": lang}
        recipe["sites"] = {"sites": sites, "lang": lang, "legend_collapsed": True, "legend_position": sites_corner}
    payload, legend = restyle_payload(
        regions, metric, shown["classification"], shown["palette"],
        tooltip_fields=tooltip_fields(view["level"], metric, lang, estimated) + extra_rows, lang=lang,
        title=shown["title"],
        kind=shown["kind"], large=briefing, legend_note=shown["legend_note"], tiles=view.get("tiles"),
        partial=partial, legend_position=legend_position)
    height = map_size[1]
    # the map's room is kept while its frame re-mounts (a new size, a drill-down), so the page does not jump
    with st.container(height=height, border=False, gap=None, key="peta_map_room"):
        st.markdown(loading_html(t("map.loading", lang), height), unsafe_allow_html=True)
        show_frame(_base_frame(recipe), key=MAP_KEY, height=height, returned_objects=["last_active_drawing"],
                   on_change=_on_map_click)
    restyle(payload, key=RESTYLE_KEY)
    if phone:
        st.markdown(legend.standalone_html(), unsafe_allow_html=True)


def _chart(result, lang: str) -> None:
    data = kecamatan_chart(result)
    data["label"] = data["coverage_rate"].map(lambda v: format_percent(v, lang))
    # a kecamatan built from some of its desa says so on its bar's name and tooltip
    data["nama"] = [f"{n} *" if p else n for n, p in zip(data["nama"], data["partial"])]
    data["reported"] = [t("chart.partial", lang) if p else "" for p in data["partial"]]
    bars = alt.Chart(data).mark_bar().encode(
        x=alt.X("coverage_rate:Q", title=METRICS["coverage_rate"].label(lang), axis=alt.Axis(format="%")),
        y=alt.Y("nama:N", sort=None, title=None, axis=alt.Axis(labelOverlap=False, labelLimit=160)),
        color=alt.Color("below_target:N", legend=None,
                        scale=alt.Scale(domain=[True, False], range=["#d95f02", "#1b9e77"])),
        tooltip=[alt.Tooltip("nama:N", title=t("level.kecamatan", lang)),
                 alt.Tooltip("label:N", title=METRICS["coverage_rate"].label(lang)),
                 alt.Tooltip("reported:N", title=t("map.reported", lang))],
    )
    rule = alt.Chart(pd.DataFrame({"target": [result.target]})).mark_rule(color="#b30000", strokeWidth=2).encode(
        x="target:Q")
    st.subheader(t("chart.title", lang, target=format_percent(result.target, lang, 0)))
    st.altair_chart((bars + rule).properties(height=max(300, 19 * len(data))), width="stretch")
    if data["partial"].any():
        st.caption(t("chart.partial_note", lang))


def top10_table(result, lang: str) -> pd.DataFrame:
    """The top-10 kecamatan by gap, formatted for display (all strings)."""
    top = top_kecamatan(result, 10)
    return pd.DataFrame({
        t("table.rank", lang): range(1, len(top) + 1),
        t("level.kecamatan", lang): top["nama"],
        METRICS["gap_to_target"].label(lang): [format_int(v, lang) for v in top["gap_to_target"]],
        METRICS["coverage_rate"].label(lang): [format_percent(v, lang) for v in top["coverage_rate"]],
    })


def _previous_kecamatan(order: list[str]) -> None:
    st.session_state["brief_idx"] = (st.session_state.get("brief_idx", 0) - 1) % len(order)


def _briefing_highlight(result) -> set[str]:
    """The kecamatan the briefing has stepped to (none before the first step)."""
    idx = st.session_state.get("brief_idx", -1)
    order = briefing_order(result)
    return set() if idx < 0 else {order[idx % len(order)]}


def _briefing_focus(data, lang: str) -> None:
    """Step buttons (N / Shift+N) and the card of the kecamatan stepped to."""
    result = data.result
    order = briefing_order(result)
    idx = st.session_state.get("brief_idx", -1)
    buttons = st.container(horizontal=True)
    buttons.button(t("briefing.previous", lang), on_click=_previous_kecamatan, args=(order,), shortcut="shift+n",
                   help=t("briefing.previous_help", lang), key="brief_prev")
    buttons.button(t("briefing.next", lang), on_click=_next_kecamatan, args=(order,), type="primary",
                   shortcut="n", help=t("briefing.next_help", lang), key="brief_next")
    if idx < 0:
        st.markdown(briefing_kabupaten_html(data, lang), unsafe_allow_html=True)
        return
    kode = order[idx % len(order)]
    st.markdown(briefing_card_html(data, kode, idx % len(order) + 1, len(order), lang), unsafe_allow_html=True)


def briefing_kabupaten_html(data, lang: str) -> str:
    """Before the first step: the kabupaten's pace against the pace needed, and the largest gaps."""
    result = data.result
    lines = [f'<div class="t">{escape(t("briefing.kabupaten_title", lang, region=result.kabupaten["nama"]))}</div>']
    try:
        sentences = trend_sentences(dataset_trend(data, None), lang)[1:-1]     # pace, needed, when (not the source)
    except PetaCakupanError:
        sentences = []
    lines += [f'<div class="p">{escape(line)}</div>' for line in sentences]
    top = top_kecamatan(result, 3)
    names = ", ".join(f'{n} ({format_value(g, "count", lang)})' for n, g in zip(top["nama"], top["gap_to_target"]))
    lines.append(f'<div class="p">{escape(t("briefing.kabupaten_top", lang, kecamatan=names))}</div>')
    cost = kabupaten_kpis(result).get("informal_contribution_monthly")
    lines.append(f'<div class="p">{escape(t("briefing.kabupaten_cost", lang, cost=format_rupiah(cost, lang)))}</div>')
    lines.append(f'<div class="p"><i>{escape(t("briefing.kabupaten_hint", lang))}</i></div>')
    return f'<div class="peta-brief-card" role="region">{"".join(lines)}</div>'


def briefing_card_html(data, kode: str, rank: int, total: int, lang: str) -> str:
    """The stepped-to kecamatan: rank by gap, coverage, gap, pace against the pace needed, top desa to visit."""
    result = data.result
    row = result.kecamatan.set_index("kode").loc[kode]
    desa = result.desa[result.desa["kode"].str.startswith(kode + ".")]
    top = desa.sort_values("gap_to_target", ascending=False).head(3)
    try:
        trend = dataset_trend(data, kode)
        pace = t("briefing.card_pace", lang, pace=format_change_pp((trend.pace_pp or 0) / 100, lang, 2),
                 needed=format_change_pp((trend.needed_pp or 0) / 100, lang, 2)) if trend.pace_pp is not None else ""
    except PetaCakupanError:
        pace = ""
    lines = [
        f'<div class="t">{escape(t("briefing.card_title", lang, rank=rank, total=total, kecamatan=row["nama"]))}</div>',
        f'<div class="f">{escape(t("briefing.card_figures", lang, rate=format_value(row["coverage_rate"], "rate", lang), gap=format_value(row["gap_to_target"], "count", lang), target=format_percent(result.target, lang, 0)))}</div>',
    ]
    if pace:
        lines.append(f'<div class="p">{escape(pace)}</div>')
    if len(top):
        names = ", ".join(f'{n} ({format_value(g, "count", lang)})' for n, g in zip(top["nama"], top["gap_to_target"]))
        lines.append(f'<div class="p">{escape(t("briefing.card_top_desa", lang, desa=names))}</div>')
    return f'<div class="peta-brief-card" role="region">{"".join(lines)}</div>'


def _print_button(lang: str, where=st) -> None:
    """Print the page (A4 landscape: the print styles of ui/html.py hide the sidebar and the controls)."""
    if where.button(t("map.print", lang), key="map_print", icon=":material/print:", help=t("map.print_help", lang)):
        st.html("<script>window.print();</script>", unsafe_allow_javascript=True)


def _projection(result):
    """The visits since the snapshot for the map's visited layer, or None when the log cannot be read."""
    try:
        return projection_from_log(result, visit_log())
    except (PetaCakupanError, ValueError, OSError):
        return None   # the summary under the map says why


def _mode_switch(where, lang: str, collapsed: bool = False) -> None:
    where.segmented_control(
        t("briefing.toggle", lang), ["normal", "briefing"], key="mode",
        required=True, help=t("briefing.help", lang), width="content",
        format_func=lambda m: t(f"mode.{m}", lang), label_visibility="collapsed" if collapsed else "visible",
    )


def _briefing(data, view: dict[str, object], lang: str) -> None:
    """Briefing mode: a title block, the map filling the screen's height beside KPIs and the stepped-to card."""
    result = data.result
    st.markdown(BRIEFING_CSS, unsafe_allow_html=True)
    source = data.source_name           # the sample badge beside it says DATA CONTOH
    st.markdown(unsafe_allow_html=True, body=briefing_title_html(
        t("briefing.title_main", lang, region=result.kabupaten["nama"], period=format_period(result.period, lang)),
        t("briefing.title_sub", lang, source=source),
        t("sample.banner", lang) if data.is_sample else None,
        t("auth.local_badge", lang) if current_user().local else None))
    highlight = _briefing_highlight(result)
    view = {**view, "level": "kecamatan", "kec": None}
    stepped = _kecamatan_outline()
    stepped = stepped[stepped["kode"].isin(highlight)]
    map_col, side = st.columns([62, 38])
    with map_col.container(gap=None):       # no gaps between the size probe, the loading line and the map
        size = map_px(measured_room(BRIEFING_ROOM_KEY, track_top=True), briefing=True)
        _map(result, view, lang, True, highlight, size=size,
             view_bounds=padded_bounds(stepped, BRIEFING_ZOOM_PAD) if len(stepped) else None)
    with side:   # beside the map, so the map keeps the screen's height
        st.markdown(kpi_cards_html(kabupaten_kpis(result), lang, "briefing",
                                   workers_estimated=bool(data.workers_estimate), without=("cost",)),
                    unsafe_allow_html=True)     # the cost is in the kabupaten card: the card must fit at 720 px
        _briefing_focus(data, lang)
        row = st.container(horizontal=True, vertical_alignment="center")
        _mode_switch(row, lang, collapsed=True)     # the sidebar is hidden: the way back stands here
        _print_button(lang, row)


def render() -> None:
    """Draw the map page."""
    lang = current_lang()
    data = dataset()
    result = data.result
    briefing = st.session_state.get("mode") == "briefing"
    if not briefing:      # in briefing mode the sidebar is hidden: the switch back stands beside the map
        _mode_switch(st.sidebar, lang)
    view = _controls(lang, result.kecamatan)
    query = query_from_state({key: st.session_state.get(key) for key in DEFAULTS})
    st.query_params.from_dict(query)
    page_header(data, lang, banner=not briefing)
    for param in st.session_state.get(IGNORED_KEY, ()):
        st.warning(md("url.ignored", lang, param=param))
    if briefing:
        _briefing(data, view, lang)
        return
    st.title(t("app.title", lang, region=result.kabupaten["nama"]))
    st.markdown(kpi_cards_html(kabupaten_kpis(result), lang, "normal",
                               workers_estimated=bool(data.workers_estimate)),
                unsafe_allow_html=True)
    projection = _projection(result)

    highlight: set[str] = set()
    focus = st.session_state.get(FOCUS_KEY)
    if focus and (not view["kec"] or focus[:8] != view["kec"]):
        focus = st.session_state[FOCUS_KEY] = None      # the reader left that kecamatan
    if view["kec"]:
        name = result.kecamatan.set_index("kode").loc[view["kec"], "nama"]
        st.subheader(t("drill.title", lang, name=name))
        st.button("← " + t("drill.back", lang), on_click=_back_to_kabupaten)
    if focus:
        _desa_card(result, focus, lang)
        highlight = {*highlight, focus}
    row = st.container(horizontal=True, vertical_alignment="center", key="map_hint_row")   # hint, print
    if not focus:
        row.caption(t("map.click_hint", lang), width="stretch")
    _print_button(lang, row)
    with st.container(gap=None):            # no gaps between the size probe, the loading line and the map
        size = map_px(measured_room(EVERYDAY_ROOM_KEY), briefing=False)
        _map(result, view, lang, False, highlight, projection, focus=focus, size=size)
    # below the map (at 1366x768 the map starts above the fold); without a projection it says why the log failed
    visited_summary(result, lang, projection=projection)
    with st.expander(t("export.title", lang)):
        export_buttons(data, view, lang)
    trend_section(data, view["kec"], lang)
    left, right = st.columns([1, 1])
    with left:
        _chart(result, lang)
    with right:
        st.subheader(t("table.top_gap", lang, n=10))
        st.dataframe(top10_table(result, lang), hide_index=True, width="stretch")
