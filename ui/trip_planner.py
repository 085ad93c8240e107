"""The visit-plan section of the priorities page: teams, start points, road distances, the plan.

* the shared start point (the branch office), typed or picked on the map;
* the field teams: a name, optionally their own start (typed or picked on the
  map) and their working days; saved in the app database
  (:class:`analysis.start_points.TeamStore`), no file to edit;
* an optional road-distance matrix (CSV/XLSX) replacing estimated legs;
* the plan (:func:`analysis.trips.plan_trips`): a summary with total km and
  the nearest-neighbour yardstick, desa that fit nowhere with the reason, and
  per team and day the stops, a small route picture, and a printable page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from functools import partial

import folium
import pandas as pd
import streamlit as st
from babel.dates import format_date
from streamlit_folium import st_folium

from analysis.config import OutreachConfig
from analysis.start_points import MAX_DAYS, MAX_TEAMS, StartPointStore, TeamStore
from analysis.trips import (
    StartPoint,
    TripPlan,
    plan_teams,
    plan_trips,
    recently_visited,
    start_point,
)
from core.errors import PetaCakupanError
from core.formatting import format_int, format_number, format_value
from core.i18n import localize, t
from ingest.road_distances import read_road_distances
from render import escape
from render.exports.outreach import export_trips
from render.maps.mapview import base_map
from render.spreadsheet import written_bytes
from render.trip_page import trip_file_name, trip_map, trip_page_html
from render.trip_thumbnail import trip_route_png
from ui.access import audit, can, download_button
from ui.markdown import md, md_value
from ui.outreach_widgets import layer, sites_label
from ui.tables import XLSX_MIME, right_aligned
from ui.vendor import offline

PICK_MAP_KEY = "plan_pick_map"
PICK_TARGET_KEY = "plan_pick_target"
ROAD_UPLOAD_KEY = "plan_road_upload"
#: Session key of the road distances read from the upload.
ROAD_KEY = "plan_road_metres"
#: Value of the pick target that moves the shared start point.
SHARED = "__shared__"


def trip_table(trip: dict, lang: str) -> pd.DataFrame:
    """One trip's stops formatted for display (order, desa, kecamatan, rank, distances and their kind)."""
    def km(metres: object) -> str:
        return f"{format_number(float(metres) / 1000, lang, 1)} km"

    return pd.DataFrame({
        t("plan.col.order", lang): [format_int(s["urutan"], lang) for s in trip["stops"]],
        t("prio.col.desa", lang): [s["nama"] for s in trip["stops"]],
        t("prio.col.kecamatan", lang): [s["kecamatan"] for s in trip["stops"]],
        t("prio.col.rank", lang): [format_value(s["rank"], "count", lang) for s in trip["stops"]],
        t("plan.col.from_prev", lang): [km(s["jarak_dari_sebelumnya_m"]) for s in trip["stops"]],
        t("plan.col.cumulative", lang): [km(s["jarak_kumulatif_m"]) for s in trip["stops"]],
        t("plan.col.kind", lang): [localize(s["jenis_jarak"], lang) for s in trip["stops"]],
    })


def next_workday(today: dt.date) -> dt.date:
    """The first Monday–Friday after ``today``."""
    day = today + dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


# --------------------------------------------------------------------------- start points and teams


def _start_point_form(store: StartPointStore, lang: str) -> None:
    """Type the shared start point (the branch office); saved in the app database."""
    saved = store.get()
    with st.form("start_point_form"):
        st.markdown("**" + t("plan.start_form.title", lang) + "**")
        name = st.text_input(t("plan.start_form.name", lang), value=saved[0] if saved else "",
                             max_chars=80, key="start_name")
        cols = st.columns(2)
        lat = cols[0].number_input(t("plan.start_form.lat", lang), value=saved[1] if saved else -7.2,
                                   format="%.5f", step=0.001, key="start_lat")
        lon = cols[1].number_input(t("plan.start_form.lon", lang), value=saved[2] if saved else 107.9,
                                   format="%.5f", step=0.001, key="start_lon")
        if st.form_submit_button(t("plan.start_form.save", lang)):
            try:
                saved_name, saved_lat, saved_lon = store.put(name, lat, lon)
            except PetaCakupanError as exc:
                st.error(md_value(exc, lang))
            else:
                audit("settings", setting="start_point", lat=saved_lat, lon=saved_lon)
                st.rerun()


def _team_rows(teams: TeamStore, lang: str) -> pd.DataFrame:
    """The saved teams as text cells (empty, not "None", where a team has no own start or day count)."""
    def text(value: object, digits: int | None = None) -> str:
        if value is None:
            return ""
        return format_number(value, lang, digits) if digits is not None else str(value)

    rows = [{"name": tm.name, "start_name": text(tm.start[0] if tm.start else None),
             "lat": text(tm.start[1] if tm.start else None, 5), "lon": text(tm.start[2] if tm.start else None, 5),
             "days": text(tm.days)} for tm in teams.get()]
    if not rows:
        rows = [{"name": t("plan.team_default", lang, n=1), "start_name": "", "lat": "", "lon": "", "days": ""}]
    return pd.DataFrame(rows, columns=["name", "start_name", "lat", "lon", "days"], dtype=object)


def _teams_form(teams: TeamStore, lang: str) -> None:
    """Edit the teams: name, own start (optional), working days (optional)."""
    with st.form("teams_form"):
        st.markdown("**" + t("plan.teams.title", lang) + "**")
        st.caption(t("plan.teams.help", lang, limit=MAX_TEAMS))
        edited = st.data_editor(
            _team_rows(teams, lang), num_rows="dynamic", hide_index=True, width="stretch", key="teams_editor",
            column_config={
                "name": st.column_config.TextColumn(t("plan.teams.name", lang), max_chars=80, required=True),
                "start_name": st.column_config.TextColumn(t("plan.teams.start_name", lang), max_chars=80),
                "lat": st.column_config.TextColumn(t("plan.start_form.lat", lang), max_chars=20),
                "lon": st.column_config.TextColumn(t("plan.start_form.lon", lang), max_chars=20),
                "days": st.column_config.TextColumn(t("plan.teams.days", lang), max_chars=4,
                                                    help=t("plan.teams.days_help", lang, limit=MAX_DAYS)),
            })
        if st.form_submit_button(t("plan.teams.save", lang)):
            try:
                saved = teams.put(edited.to_dict("records"))
            except PetaCakupanError as exc:
                st.error(md_value(exc, lang))
            else:
                audit("settings", setting="trip_teams", teams=len(saved))
                st.rerun()


def _apply_pick(shared: StartPointStore, teams: TeamStore) -> None:
    """Move the chosen start to the point clicked on the pick map (runs before the next script run)."""
    clicked = (st.session_state.get(PICK_MAP_KEY) or {}).get("last_clicked")
    if not clicked or not can("settings"):       # the pick map is drawn only for roles that may change settings
        return
    target = st.session_state.get(PICK_TARGET_KEY, SHARED)
    try:
        if target == SHARED:
            saved = shared.get()
            shared.put(saved[0] if saved else t("plan.start_form.picked_name"), clicked["lat"], clicked["lng"])
        else:
            teams.move(target, clicked["lat"], clicked["lng"])
    except PetaCakupanError as exc:
        st.session_state["plan_pick_error"] = exc
    else:
        audit("settings", setting="start_point" if target == SHARED else "team_start", lat=clicked["lat"],
              lon=clicked["lng"])
        st.session_state["plan_pick_done"] = (target, round(clicked["lat"], 5), round(clicked["lng"], 5))


def _pick_on_map(shared: StartPointStore, teams: TeamStore, team_list, lang: str) -> None:
    """A small map: choose whose start to place, click the spot."""
    names = [tm.name for tm in teams.get()]
    options = [SHARED, *names]
    target = st.selectbox(t("plan.pick.target", lang), options, key=PICK_TARGET_KEY,
                          format_func=lambda v: t("plan.pick.shared", lang) if v == SHARED else v)
    st.caption(t("plan.pick.help", lang))
    kecamatan = layer("kecamatan_web")
    fmap = base_map(kecamatan)        # fitted to the kabupaten
    folium.GeoJson(json.loads(layer("kecamatan_web")[["geometry"]].to_json(drop_id=True)),
                   style_function=lambda _f: {"color": "#6b7280", "weight": 0.8, "fillColor": "#f3f4f6",
                                              "fillOpacity": 0.6},
                   interactive=False, control=False).add_to(fmap)
    for team in team_list:
        chosen = (target == SHARED and not team.start.configured) or team.name == target
        folium.CircleMarker([team.start.lat, team.start.lon], radius=8 if chosen else 6, weight=2,
                            color="#111111", fill=True, fill_color="#f59e0b" if chosen else "#ffffff",
                            fill_opacity=1,
                            tooltip=escape.tooltip(escape.html_text(team.name), permanent=True, direction="right",
                                                   offset=(8, 0))).add_to(fmap)
    st_folium(offline(fmap), key=PICK_MAP_KEY, height=340, use_container_width=True,
              returned_objects=["last_clicked"], on_change=partial(_apply_pick, shared, teams))
    error = st.session_state.pop("plan_pick_error", None)
    if error is not None:
        st.error(md_value(error, lang))
    done = st.session_state.pop("plan_pick_done", None)
    if done is not None:
        who = t("plan.pick.shared", lang) if done[0] == SHARED else done[0]
        st.success(md("plan.pick.done", lang, who=who, lat=format_number(done[1], lang, 5),
                      lon=format_number(done[2], lang, 5)))


def _road_matrix(lang: str) -> None:
    """Read an uploaded road-distance matrix into the session (kept while the set-up is closed)."""
    upload = st.file_uploader(t("plan.road.upload", lang), type=["csv", "txt", "xlsx"], key=ROAD_UPLOAD_KEY,
                              help=t("plan.road.help", lang))
    if upload is None:
        st.session_state.pop(ROAD_KEY, None)
        return
    try:
        road = read_road_distances(upload.getvalue(), upload.name)
    except PetaCakupanError as exc:
        st.session_state.pop(ROAD_KEY, None)
        st.error(md_value(exc, lang))
        return
    st.session_state[ROAD_KEY] = road.metres
    st.success(md("plan.road.read", lang, file=road.source, n=format_int(len(road), lang)))


# --------------------------------------------------------------------------- the plan


def plan_section(top: pd.DataFrame, config: OutreachConfig, data, sites, lang: str,
                 last_visits: dict | None = None) -> None:
    """Draw the visit plan for the ``top`` desa (best first)."""
    st.header(t("plan.title", lang))
    st.caption(t("plan.intro", lang))
    recent = recently_visited(last_visits or {}, config.recent_visit_days)
    recent_here = {k: d for k, d in recent.items() if k in set(top["kode"])}
    if recent_here:
        names = top.set_index("kode")["nama"]
        listed = ", ".join(f"{names[k]} ({format_date(d, 'd MMM', locale=lang)})" for k, d in recent_here.items())
        st.info(md("plan.recent", lang, days=config.recent_visit_days, n=len(recent_here), desa=listed))
        if not st.checkbox(t("plan.include_recent", lang), value=False, key="plan_include_recent"):
            top = top[~top["kode"].isin(list(recent_here))]
    if top.empty:
        st.info(t("plan.empty", lang))
        return
    cols = st.columns([1, 1, 1.4])
    per_day = cols[0].number_input(t("plan.per_day", lang), min_value=1, max_value=12, step=1,
                                   value=int(config.desa_per_day), key="plan_per_day")
    start_date = cols[1].date_input(t("plan.start_date", lang), value=next_workday(dt.date.today()),
                                    key="plan_start_date", format="DD/MM/YYYY")
    cols[2].markdown("<div style='height:1.9rem'></div>", unsafe_allow_html=True)
    workdays = cols[2].checkbox(t("plan.workdays", lang), value=True, key="plan_workdays")

    shared_store, team_store = StartPointStore(config.database), TeamStore(config.database)
    try:
        shared = start_point(config, layer("kecamatan"), stored=shared_store.get())
    except (PetaCakupanError, ValueError) as exc:
        st.error(md("plan.error", lang, detail=exc))
        return
    teams = plan_teams(team_store.get(), shared)
    # A toggle, not an expander: a Leaflet map drawn inside a closed expander keeps the size it had while hidden.
    if can("settings") and st.toggle(t("plan.setup.title", lang, n=format_int(len(teams), lang)),
                                     key="plan_setup_open"):
        with st.container(border=True):
            left, right = st.columns([1, 1])
            with left:
                _start_point_form(shared_store, lang)
                _teams_form(team_store, lang)
                _road_matrix(lang)
            with right:
                _pick_on_map(shared_store, team_store, teams, lang)
    _start_notice(shared, lang)
    try:
        plan = plan_trips(top, desa=layer("desa"), desa_per_day=int(per_day), start_date=start_date,
                          workdays_only=workdays, config=config, teams=teams, road=st.session_state.get(ROAD_KEY))
    except (PetaCakupanError, ValueError) as exc:
        st.error(md("plan.error", lang, detail=exc))
        return
    _summary(plan, lang)
    _plan_downloads(plan, data.is_sample, sites, lang)
    _days(plan, data, sites, lang)


def _start_notice(start: StartPoint, lang: str) -> None:
    coords = {"name": start.name, "lat": format_number(start.lat, lang, 5), "lon": format_number(start.lon, lang, 5)}
    if start.configured:
        st.info(md("plan.start_configured", lang, **coords))
    else:
        st.warning(md("plan.start_fallback", lang, **coords))


def _summary(plan: TripPlan, lang: str) -> None:
    st.markdown("**" + md("plan.summary", lang, n_desa=format_int(len(plan.stops), lang),
                          n_days=format_int(len(plan.trips), lang), n_teams=format_int(len(plan.teams), lang),
                          km=format_number(plan.total_m / 1000, lang, 1)) + "**")
    if plan.baseline_m:
        st.caption(t("plan.baseline", lang, km=format_number(plan.baseline_m / 1000, lang, 1),
                     share=format_number(100 * plan.total_m / plan.baseline_m, lang, 0)))
    st.caption(localize(plan.distance_note(), lang))
    if len(plan.unplanned):
        items = [t("plan.unplanned_item", lang, desa=f"{row.nama} (Kec. {row.kecamatan})",
                   reason=localize(row.alasan_tidak_terjadwal, lang)) for row in plan.unplanned.itertuples()]
        st.warning(md("plan.unplanned", lang, n=format_int(len(items), lang), desa="; ".join(items)))


def _route_png(record: dict) -> bytes:
    """The day's route picture, cached by the trip's content."""
    key = hashlib.sha1(json.dumps([record["path"], [s["kode"] for s in record["stops"]]]).encode()).hexdigest()
    cache = st.session_state.setdefault("_plan_route_png", {})
    if key not in cache:
        if len(cache) > 200:
            cache.clear()
        cache[key] = trip_route_png(record, layer("desa_web"), layer("kecamatan_web"))
    return cache[key]


def _days(plan: TripPlan, data, sites, lang: str) -> None:
    records = plan.records()
    desa_web, kecamatan_web = layer("desa_web"), layer("kecamatan_web")
    for number, record in enumerate(records):
        date = (format_date(dt.date.fromisoformat(record["date"]), "EEEE, d MMMM y", locale=lang)
                if record["date"] else t("plan.no_date", lang))
        with st.container(border=True, key=f"plan_trip_{number}"):
            st.markdown("**" + md("plan.trip_header", lang, team=localize(record["team"], lang), day=record["day"],
                                  date=date, n=format_int(record["n_desa"], lang),
                                  km=format_number(record["total_m"] / 1000, lang, 1),
                                  hours=format_number(record["duration_min"] / 60, lang, 1)) + "**")
            picture, listing = st.columns([1, 2.2])
            picture.image(_route_png(record), width=300,
                          caption=md("plan.route_picture", lang, team=localize(record["team"], lang),
                                     day=record["day"]))
            with listing:
                table = trip_table(record, lang)
                st.dataframe(table, hide_index=True, width="stretch",
                             column_config=right_aligned([table.columns[0], *table.columns[3:6]]))
                st.caption(t("plan.return", lang, km=format_number(record["return_m"] / 1000, lang, 1)))
                download_button(st,
                    md("plan.print", lang, day=record["day"], team=localize(record["team"], lang)),
                    data=lambda r=record: trip_page_html(r, desa_web, kecamatan_web, lang=lang,
                                                         is_sample=data.is_sample,
                                                         sites_label=sites_label(sites, lang)),
                    file_name=trip_file_name(record), mime="text/html", key=f"plan_print_{number}",
                    help=t("plan.print_help", lang), on_click="ignore", icon=":material/print:",
                )
    if not records:
        return
    labels = [t("plan.day_option_team", lang, team=localize(r["team"], lang), day=r["day"]) for r in records]
    chosen = st.selectbox(t("plan.map_day", lang), range(len(records)), key="plan_map_day",
                          format_func=lambda i: labels[i])
    record = records[chosen if chosen is not None and chosen < len(records) else 0]
    st_folium(offline(trip_map(record, desa_web, kecamatan_web, lang=lang)), key="plan_trip_map", height=460,
              use_container_width=True, returned_objects=[])


def _plan_downloads(plan: TripPlan, is_sample: bool, sites, lang: str) -> None:
    label = sites_label(sites, "id")
    notes = [t("sample.banner", "id")] if is_sample else []
    buttons = st.container(horizontal=True)
    for suffix, mime, key in ((".csv", "text/csv", "plan.download_csv"), (".xlsx", XLSX_MIME, "plan.download_xlsx")):
        download_button(buttons,
            t(key, lang),
            data=lambda s=suffix: written_bytes(
                lambda p: export_trips(plan, p, notes=notes, source_label=label, lang=lang), s),
            file_name=f"rencana_kunjungan{suffix}", mime=mime, key=f"plan_dl_{suffix[1:]}", on_click="ignore",
        )
