"""Companies page (PWBD/PDS): who is obliged and not (fully) registered, where, in which sector, what next.

The companies list is the illustrative file until the user uploads and
accepts one (CSV/XLSX through :func:`ingest.companies.read_companies`: every
row accepted or rejected with its reason).  Statuses and their rules are
:func:`analysis.compliance.company_status`; the follow-up list and each
company's next step are :func:`analysis.company_steps.follow_up_list` over the
steps recorded here (the app database); letters are
:func:`render.company_letters.company_letter_pdf`.  Every figure comes from
those functions, which the CLI calls too (``python -m analysis companies``).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import altair as alt
import folium
import pandas as pd
import streamlit as st
from babel.dates import format_date

from analysis.company_steps import (
    MAX_NOTES_CHARS,
    MAX_TEAM_CHARS,
    StepLog,
    company_key,
    follow_up_list,
    load_ladder,
)
from analysis.compliance import by_area, by_sector, sector_label_key
from analysis.config import load_config
from core.errors import AccessError, PetaCakupanError, VisitValidationError
from core.formatting import format_int, format_percent
from core.i18n import localize, t
from geo.boundaries import region_name
from ingest.companies import CompanyCheck
from render.company_letters import (
    company_letter_pdf,
    follow_up_letters,
    letter_filename,
)
from render.exports.companies import export_follow_up, export_steps
from render.maps.companies_layer import add_companies_layer, status_label
from render.maps.mapview import base_map
from render.spreadsheet import written_bytes
from ui.access import audit, audit_upload, can, current_user, download_button, team_field
from ui.common import current_lang
from ui.companies_state import UPLOAD_KEY, checked_companies, companies_in_use
from ui.fingerprint import fingerprint
from ui.folium_frame import cached_frame, show_frame
from ui.html import BASE_CSS, banner_html
from ui.markdown import md
from ui.outreach_widgets import kpi_cards_html, layer
from ui.tables import XLSX_MIME, problems_table, right_aligned
from ui.vendor import offline

PDF_MIME = "application/pdf"
MAP_KEY = "companies_map"


def _date_text(value: object, lang: str) -> str:
    return format_date(value, "d MMM y", locale=lang) if isinstance(value, dt.date) else ""


def follow_up_table(follow: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The follow-up list for display: every cell a string in the UI language."""
    return pd.DataFrame({
        t("companies.col.name", lang): follow["name"].to_numpy(),
        t("companies.col.desa", lang): [f"{d} ({k})" for d, k in zip(follow["desa"], follow["kecamatan"])],
        t("companies.col.status", lang): [status_label(s, lang) for s in follow["status"]],
        t("companies.col.uncovered", lang): [format_int(v, lang) if pd.notna(v) else "-" for v in follow["uncovered"]],
        t("companies.col.last_step", lang): [t(f"steps.step.{s}", lang) if isinstance(s, str) else "-"
                                             for s in follow["last_step"]],
        t("companies.col.next_step", lang): [t(f"steps.step.{s}", lang) if isinstance(s, str) else "-"
                                             for s in follow["next_step"]],
        t("companies.col.due", lang): [_date_text(d, lang) for d in follow["due"]],
        t("companies.col.state", lang): [t(f"steps.state.{s}", lang) for s in follow["state"]],
        t("companies.col.rule", lang): [localize(r, lang) for r in follow["rule"]],
    })


def steps_table(steps: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The recorded steps for display, newest first."""
    frame = steps.sort_values(["step_date", "id"], ascending=False)
    return pd.DataFrame({
        t("export.step.step_date", lang): [_date_text(d, lang) for d in frame["step_date"]],
        t("export.step.company_name", lang): frame["company_name"].to_numpy(),
        t("export.step.step", lang): [t(f"steps.step.{s}", lang) for s in frame["step"]],
        t("export.step.outcome", lang): [t(f"steps.outcome.{s}", lang) for s in frame["outcome"]],
        t("export.step.letter_number", lang): frame["letter_number"].to_numpy(),
        t("export.step.team", lang): frame["team"].to_numpy(),
        t("export.step.notes", lang): frame["notes"].to_numpy(),
    })


def area_table(table: pd.DataFrame, level: str, lang: str) -> pd.DataFrame:
    """Companies per kecamatan or desa, the most uncovered workers of PWBD/PDS companies first."""
    areas = by_area(table, level).sort_values("uncovered_non_compliant", ascending=False, kind="stable")
    if level == "desa":
        desa = layer("desa").set_index("kode")
        names = [f"{desa['nama'].get(k, k)} ({desa['kecamatan'].get(k, '')})" for k in areas.index]
    else:
        kecamatan = layer("kecamatan").set_index("kode")["nama"]
        names = [kecamatan.get(k, k) for k in areas.index]
    return pd.DataFrame({
        t(f"companies.col.{'desa' if level == 'desa' else 'kecamatan'}", lang): names,
        t("companies.col.companies", lang): [format_int(v, lang) for v in areas["companies"]],
        t("compliance.status.pwbd", lang): [format_int(v, lang) for v in areas["n_pwbd"]],
        t("companies.col.pds", lang): [format_int(a + b + c, lang) for a, b, c in
                                       zip(areas["n_pds_tk"], areas["n_pds_upah"], areas["n_pds_program"])],
        t("companies.col.uncovered", lang): [format_int(v, lang) for v in areas["uncovered_non_compliant"]],
    })


def sector_chart(table: pd.DataFrame, lang: str) -> alt.Chart:
    """Enrolled share of the workers per sector, the least covered ("belum terjamah") at the top.

    Each sector's name and figures stand above its bar, so the bars keep the chart's whole width on a phone.
    """
    sectors = by_sector(table)
    data = pd.DataFrame({
        "sector": [t(sector_label_key(s), lang) for s in sectors.index],
        "share": sectors["enrolled_share"].fillna(0).to_numpy(),
        "label": [t("companies.sector_bar", lang, sector=t(sector_label_key(k), lang), share=format_percent(s, lang),
                    uncovered=format_int(u, lang))
                  for k, s, u in zip(sectors.index, sectors["enrolled_share"], sectors["uncovered_non_compliant"])],
    })
    y = alt.Y("sector:N", sort=list(data["sector"]), title=None, axis=None,
              scale=alt.Scale(paddingInner=0.66, paddingOuter=0.6))
    base = alt.Chart(data).encode(y=y)
    bars = base.mark_bar(color="#b2182b").encode(
        x=alt.X("share:Q", title=t("companies.sector_axis", lang), axis=alt.Axis(format="%", tickCount=5),
                scale=alt.Scale(domain=[0, 1])),
        tooltip=[alt.Tooltip("label:N", title=t("companies.col.sector", lang))])
    text = base.mark_text(align="left", baseline="bottom", dy=-23, fontSize=13, lineHeight=16, lineBreak="\n",
                          color="#1a1a1a").encode(x=alt.datum(0), text="label:N")
    return (bars + text).properties(height=max(160, 64 * len(data)))


def companies_map(table: pd.DataFrame, follow: pd.DataFrame, lang: str, illustrative: bool) -> folium.Map:
    """Kecamatan outlines and the companies layer."""
    kec = layer("kecamatan_web")
    fmap = base_map(kec)
    folium.GeoJson(kec[["nama", "geometry"]].to_json(drop_id=True), name="kecamatan",
                   style_function=lambda _f: {"color": "#555", "weight": 1.2, "fillColor": "#f4f1ea",
                                              "fillOpacity": 0.6},
                   interactive=False, control=False).add_to(fmap)
    steps = {int(r): t(f"steps.step.{s}", lang) + (f" ({_date_text(d, lang)})" if isinstance(d, dt.date) else "")
             for r, s, d in zip(follow["row"], follow["next_step"], follow["due"]) if isinstance(s, str)}
    add_companies_layer(fmap, table, layer("desa"), lang, illustrative=illustrative, next_steps=steps)
    return fmap


# --------------------------------------------------------------------------- sections


def _upload_section(lang: str) -> None:
    if not can("upload"):
        return
    with st.expander(t("companies.upload.title", lang), expanded=False):
        st.caption(t("companies.upload.help", lang, region=region_name()))
        if st.session_state.get(UPLOAD_KEY) is not None:
            st.info(md("companies.upload.in_use", lang, name=st.session_state[UPLOAD_KEY][0]))
            if st.button(t("companies.upload.back", lang), key="companies_back"):
                st.session_state[UPLOAD_KEY] = None
                audit("dataset_switch", kind="companies", to="sample")
                st.rerun()
        upload = st.file_uploader(t("companies.upload.file", lang), type=["csv", "txt", "xlsx"],
                                  key="companies_file")
        if upload is None:
            return
        try:
            check, _table = checked_companies(upload.getvalue(), upload.name)
        except PetaCakupanError as exc:
            audit_upload("companies", upload, problem=exc.key)
            st.error(md("companies.upload.unreadable", lang, detail=exc))
            return
        audit_upload("companies", upload, check.rows_in, check.rows_matched,
                     check.rows_rejected)
        st.markdown(md("companies.upload.counts", lang, rows=format_int(check.rows_in, lang),
                       matched=format_int(check.rows_matched, lang), rejected=format_int(check.rows_rejected, lang)))
        _problems(check, lang)
        if check.rows_matched and st.button(t("companies.upload.use", lang), type="primary", key="companies_use"):
            st.session_state[UPLOAD_KEY] = (upload.name, upload.getvalue())
            audit("dataset_switch", kind="companies", to="upload", file=upload.name)
            st.rerun()


def _problems(check: CompanyCheck, lang: str) -> None:
    if not check.problems:
        return
    st.dataframe(problems_table(check.problems, lang), hide_index=True, width="stretch")


def _kpis(table: pd.DataFrame, lang: str) -> None:
    def count(statuses: tuple[str, ...]) -> tuple[int, int]:
        chosen = table[table["status"].isin(statuses)]
        return len(chosen), int(chosen["uncovered"].fillna(0).sum())

    pwbd, pwbd_gap = count(("pwbd",))
    pds, pds_gap = count(("pds_tk", "pds_upah", "pds_program"))
    patuh, _ = count(("patuh",))
    cards = [
        (t("companies.kpi.companies", lang), format_int(len(table), lang),
         t("companies.kpi.workers", lang, n=format_int(table["workers_employed"].sum(), lang))),
        (t("compliance.status.pwbd", lang), format_int(pwbd, lang),
         t("companies.kpi.uncovered", lang, n=format_int(pwbd_gap, lang))),
        (t("companies.kpi.pds", lang), format_int(pds, lang),
         t("companies.kpi.uncovered", lang, n=format_int(pds_gap, lang))),
        (t("compliance.status.patuh", lang), format_int(patuh, lang),
         t("companies.kpi.share", lang, share=format_percent(patuh / len(table) if len(table) else None, lang))),
    ]
    st.markdown(kpi_cards_html(cards), unsafe_allow_html=True)


def _letters_section(follow: pd.DataFrame, check: CompanyCheck, lang: str, illustrative: bool,
                     today: dt.date) -> None:
    if not can("export"):   # letters are exports
        return
    st.subheader(t("companies.letters.title", lang))
    with_letter = follow[follow["letter"].notna()]
    if with_letter.empty:
        st.caption(t("companies.letters.none", lang))
        return
    settings = load_config().letters
    options = {int(r): t("companies.letters.option", lang, name=n, letter=t(f"steps.step.{s}", lang))
               for r, n, s in zip(with_letter["row"], with_letter["name"], with_letter["letter"])}
    row = st.selectbox(t("companies.letters.choose", lang), list(options), format_func=options.get,
                       key="companies_letter_row")
    company = with_letter[with_letter["row"] == row].iloc[0].to_dict()
    previous = company["last_date"] if company.get("last_step") in ("himbauan", "teguran_1", "teguran_2") else None
    region = region_name()
    # the letter is written when the button is clicked, not on every run of the page
    download_button(st, t("companies.letters.download", lang),
                       lambda: company_letter_pdf(company, company["letter"], today=today, settings=settings,
                                                  region_name=region, previous_date=previous,
                                                  illustrative=illustrative, source=check.source),
                       letter_filename(company, company["letter"], illustrative), mime=PDF_MIME,
                       key="companies_letter_pdf", on_click="ignore")
    st.caption(t("companies.letters.caption", lang, n=format_int(len(with_letter), lang)))
    if st.button(t("companies.letters.prepare_all", lang), key="companies_letters_all"):
        with st.spinner(t("companies.letters.preparing", lang, n=format_int(len(with_letter), lang))):
            letters = follow_up_letters(with_letter, today=today, settings=settings, region_name=region_name(),
                                        illustrative=illustrative, source=check.source)
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for name, content in letters:
                    archive.writestr(name, content)
        st.session_state["companies_letters_zip"] = buffer.getvalue()
    if st.session_state.get("companies_letters_zip"):
        download_button(st, t("companies.letters.download_all", lang), st.session_state["companies_letters_zip"],
                           f"surat_perusahaan_{today.isoformat()}{'_ilustratif' if illustrative else ''}.zip",
                           mime="application/zip", key="companies_letters_zip_download")


def _record_section(table: pd.DataFrame, follow: pd.DataFrame, log: StepLog, lang: str, today: dt.date) -> None:
    if not can("record_company_step"):
        return
    st.subheader(t("companies.record.title", lang))
    ladder = load_ladder()
    order = pd.concat([follow, table[~table["row"].isin(follow["row"])]], ignore_index=True)
    options = {int(r): t("companies.record.option", lang, name=n, desa=d, status=status_label(s, lang))
               for r, n, d, s in zip(order["row"], order["name"], order["desa"], order["status"])}
    with st.form("companies_record", clear_on_submit=True):
        row = st.selectbox(t("companies.record.company", lang), list(options), format_func=options.get,
                           key="companies_step_company")
        first, second = st.columns(2)
        step = first.selectbox(t("companies.record.step", lang), list(ladder.records),
                               format_func=lambda s: t(f"steps.step.{s}", lang), key="companies_step_step")
        outcome = second.selectbox(t("companies.record.outcome", lang), list(ladder.outcomes),
                                   format_func=lambda s: t(f"steps.outcome.{s}", lang), key="companies_step_outcome")
        when = first.date_input(t("companies.record.date", lang), value=today, max_value=today, format="DD/MM/YYYY",
                                key="companies_step_date")
        number = second.text_input(t("companies.record.letter_number", lang), max_chars=80,
                                   key="companies_step_number")
        team = team_field(first, t("companies.record.team", lang), max_chars=MAX_TEAM_CHARS, key="companies_step_team")
        notes = st.text_area(t("companies.record.notes", lang), max_chars=MAX_NOTES_CHARS, key="companies_step_notes")
        if st.form_submit_button(t("companies.record.save", lang), type="primary"):
            company = order[order["row"] == row].iloc[0]
            try:
                current_user().require("record_company_step", team=team)
                step_id = log.record_step(company_key(company["npp"], company["name"], company["kode_desa"]),
                                          company["name"], company["kode_desa"], step, when, outcome,
                                          letter_number=number, team=team, notes=notes, today=today)
            except (VisitValidationError, AccessError) as exc:
                st.error(md("companies.record.invalid", lang, detail=exc))
            else:
                audit("company_step", id=step_id, step=step, outcome=outcome, kode_desa=company["kode_desa"],
                      team=team, step_date=when.isoformat())
                st.success(md("companies.record.saved", lang, name=company["name"],
                              step=t(f"steps.step.{step}", lang)))


def render() -> None:
    """Draw the companies page."""
    lang = current_lang()
    st.markdown(BASE_CSS, unsafe_allow_html=True)
    st.title(t("companies.title", lang))
    st.caption(t("companies.intro", lang))
    _upload_section(lang)
    name, content, illustrative = companies_in_use()
    try:
        check, table = checked_companies(content, name)
    except PetaCakupanError as exc:
        st.error(md("companies.upload.unreadable", lang, detail=exc))
        return
    if illustrative:
        st.markdown(banner_html(t("companies.illustrative_label", lang)), unsafe_allow_html=True)
    if table.empty:
        st.warning(md("companies.empty", lang, name=name))
        _problems(check, lang)
        return
    today = dt.date.today()
    log = StepLog(load_config().database)
    follow = follow_up_list(table, log.steps(), today)
    _kpis(table, lang)

    st.subheader(t("companies.map_title", lang))
    st.caption(t("companies.map_caption", lang))
    # prepared once per list, steps and language for every session (a rerun sends the same frame)
    digest = fingerprint((name, content, lang, illustrative, follow[["row", "next_step", "due"]]))
    frame = cached_frame(digest, lambda: offline(companies_map(table, follow, lang, illustrative)), MAP_KEY)
    show_frame(frame, key=MAP_KEY, height=560, returned_objects=[])

    left, right = st.columns([3, 2])
    with left:
        st.subheader(t("companies.sector_title", lang))
        st.caption(t("companies.sector_caption", lang))
        st.altair_chart(sector_chart(table, lang), width="stretch")
    with right:
        st.subheader(t("companies.area_title", lang))
        level = st.radio(t("control.level", lang), ["kecamatan", "desa"], horizontal=True,
                         format_func=lambda v: t(f"level.{v}", lang), key="companies_area_level")
        kec = area_table(table, level, lang)
        st.dataframe(kec, hide_index=True, width="stretch", height=380,
                     column_config=right_aligned(list(kec.columns[1:])))

    st.subheader(t("companies.follow_up_title", lang))
    st.caption(t("companies.follow_up_caption", lang, n=format_int(len(follow), lang)))
    shown = follow_up_table(follow, lang)
    st.dataframe(shown, hide_index=True, width="stretch", height=420,
                 column_config=right_aligned([t("companies.col.uncovered", lang)]))
    download_button(st,
        t("companies.follow_up_download", lang),
        lambda: written_bytes(lambda p: export_follow_up(follow, p, lang, illustrative, check.source), ".xlsx"),
        f"tindak_lanjut_perusahaan_{today.isoformat()}{'_ilustratif' if illustrative else ''}.xlsx",
        mime=XLSX_MIME, key="companies_follow_up_xlsx", on_click="ignore")

    _letters_section(follow, check, lang, illustrative, today)
    _record_section(table, follow, log, lang, today)
    steps = log.steps()
    if len(steps):
        with st.expander(t("companies.steps_title", lang, n=format_int(len(steps), lang))):
            st.dataframe(steps_table(steps, lang), hide_index=True, width="stretch")
            download_button(st, t("companies.steps_download", lang),
                               lambda: written_bytes(lambda p: export_steps(steps, p, lang), ".xlsx"),
                               f"langkah_tindak_lanjut_{today.isoformat()}.xlsx", mime=XLSX_MIME,
                               key="companies_steps_xlsx", on_click="ignore")
    if check.problems:
        with st.expander(t("companies.problems_title", lang, n=format_int(check.rows_rejected, lang))):
            _problems(check, lang)
