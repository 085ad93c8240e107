"""Small HTML blocks of the app (KPI cards, banners, briefing styles).

Pure functions returning strings, so they are tested without a browser.
Every value is formatted by :mod:`core.formatting` and every string is
escaped before it reaches HTML.
"""

from __future__ import annotations

from html import escape

from core.formatting import format_change_pp, format_int, format_percent, format_rupiah
from core.i18n import t

#: Minimum KPI number size (px): readable from 4 m on a projector in briefing mode.
KPI_PX = {"normal": 28, "briefing": 48}
KPI_LABEL_PX = {"normal": 14, "briefing": 20}
#: The line under a KPI number (dropped in briefing mode unless it is the target bar).
KPI_SUB_PX = {"normal": 13, "briefing": 20}

#: On paper the map is drawn at this scale, and at most this high (CSS px), so that it fits the first A4
#: landscape sheet with the title and the KPIs.
PRINT_MAP_SCALE = 0.7
PRINT_MAP_MAX_PX = 440

BASE_CSS = ("""
<style>
.peta-banner{background:#ffe066;color:#1a1a1a;border:3px solid #b58900;border-radius:6px;
  padding:.45rem .9rem;font-weight:800;letter-spacing:.02em;margin:.2rem 0 .6rem 0}
.peta-kpis{display:flex;flex-wrap:wrap;gap:.8rem;margin:.3rem 0 .8rem 0}
.peta-kpi{flex:1 1 9.5rem;background:#ffffff;border:1px solid #c9d1d9;border-left:6px solid #08519c;
  border-radius:6px;padding:.5rem .8rem;color:#111}
.peta-kpi.k-cost{flex:1.7 1 14rem}
.peta-kpi .v{font-weight:800;line-height:1.1;font-variant-numeric:tabular-nums}
.peta-kpi .l{color:#333;font-weight:600}
.peta-kpi .s{color:#444}
.peta-bar{position:relative;height:14px;background:#e3e7ec;border-radius:7px;margin:.35rem 0 .2rem 0}
.peta-bar .fill{position:absolute;left:0;top:0;bottom:0;background:#08519c;border-radius:7px}
.peta-bar .target{position:absolute;top:-5px;bottom:-5px;width:3px;background:#b30000}
h1{font-size:2.1rem !important;padding:.3rem 0 .5rem 0 !important}
.block-container{padding-top:3rem !important}
.st-key-peta_map_room{overflow:hidden !important}
.peta-loading{height:0;position:relative;top:3rem;z-index:0;text-align:center;font-size:1.2rem;font-weight:700;
  color:#333}
@media print{
  @page{size:A4 landscape;margin:10mm}
  [data-testid="stSidebar"],[data-testid="stSidebarCollapsedControl"],header[data-testid="stHeader"],
  [data-testid="stExpander"],[data-testid="stBaseButton-secondary"],[data-testid="stBaseButton-primary"],
  [data-testid="stButtonGroup"],
  .peta-no-print,.peta-loading,.peta-local{display:none !important}
  .block-container{max-width:100% !important;padding:0 !important}
  /* the first sheet holds the title, the KPIs and the whole map, drawn smaller (a transform scales the map's
     frame too; its room shrinks to the scaled height) */
  h1{padding:0 0 .2rem 0 !important;font-size:1.6rem !important}
  .peta-kpis{margin:.2rem 0 .3rem 0}
  .peta-kpi{padding:.3rem .6rem}
  .st-key-map_hint_row{display:none !important}
  .st-key-peta_map_room,[data-testid="stLayoutWrapper"]:has(> .st-key-peta_map_room){break-inside:avoid;
    overflow:visible !important;
    height:calc(var(--peta-print-scale, PRINT_SCALE) * var(--peta-map-height, 620px)) !important;
    min-height:0 !important;max-height:none !important}
  .st-key-peta_map_room{position:relative}
  .st-key-peta_map_room > *{position:absolute;top:0;left:0;right:0;
    transform:scale(var(--peta-print-scale, PRINT_SCALE));
    transform-origin:top center}
  iframe{break-inside:avoid}
}
</style>
""").replace("PRINT_SCALE", str(PRINT_MAP_SCALE))

BRIEFING_CSS = """
<style>
[data-testid="stSidebar"],[data-testid="stSidebarCollapsedControl"],header[data-testid="stHeader"]{display:none !important}
.block-container{max-width:100% !important;padding:.6rem 1.4rem .4rem 1.4rem !important}
html, body, [data-testid="stAppViewContainer"]{background:#ffffff;color:#000}
h1{display:none}
.peta-local{display:none !important}
.peta-brief-head{display:flex;flex-wrap:wrap;align-items:baseline;column-gap:1rem;row-gap:.2rem;color:#111}
.peta-brief-head .m{font-size:32px;font-weight:800;line-height:1.15}
.peta-brief-head .s{font-size:20px;font-weight:600;color:#222}
.peta-brief-head .peta-banner{font-size:20px;margin:0;padding:.05rem .6rem;border-width:2px}
.peta-kpis{display:grid;grid-template-columns:1fr 1fr;gap:.5rem;margin:0 0 .4rem 0}
.peta-kpi{padding:.3rem .6rem;border-left-width:10px}
.peta-kpi .l{line-height:1.2}
.peta-kpi.k-rate{order:1}.peta-kpi.k-gap{order:2}.peta-kpi.k-workers{order:3}.peta-kpi.k-covered{order:4}
.peta-bar{height:22px}
[data-testid="stMarkdownContainer"] p, [data-testid="stTable"] td, [data-testid="stTable"] th{font-size:22px}
.peta-brief-card{border:3px solid #08306b;border-left:12px solid #08306b;border-radius:8px;padding:.4rem .8rem;
  margin:.2rem 0 .3rem 0;background:#f7fbff;color:#111}
.peta-brief-card .t{font-size:28px;font-weight:800;line-height:1.2}
.peta-brief-card .f{font-size:24px;font-weight:700;line-height:1.25}
.peta-brief-card .p{font-size:20px;line-height:1.3;margin-top:.15rem}
button p, button kbd, button [data-testid="stIconMaterial"]{font-size:20px !important}
[data-testid="stSegmentedControl"] button p, button kbd{font-size:20px !important}
</style>
"""


def briefing_title_html(main: str, sub: str, sample: str | None, local: str | None = None) -> str:
    """The briefing's title block: region and period, what and from which data, the sample and local-mode badges
    (escaped)."""
    badge = (banner_html(sample) if sample else "") + (banner_html(local) if local else "")
    return (f'<div class="peta-brief-head" role="heading" aria-level="1"><span class="m">{escape(main)}</span>'
            f'<span class="s">{escape(sub)}</span>{badge}</div>')


def loading_html(text: str, map_height: int | None = None) -> str:
    """A "loading the map" line drawn where the map frame will be: the frame is see-through until the map paints.

    ``map_height`` (px) tells the print styles how much room the scaled-down map gives back.
    """
    room = ""
    if map_height:
        scale = min(PRINT_MAP_SCALE, PRINT_MAP_MAX_PX / map_height)
        room = (f'<style>.st-key-peta_map_room,[data-testid="stLayoutWrapper"]:has(> .st-key-peta_map_room)'
                f"{{--peta-map-height:{int(map_height)}px;--peta-print-scale:{scale:.3f}}}</style>")
    return f'{room}<div class="peta-loading" role="status">{escape(text)}</div>'


#: The local-mode notice: a slim line at the top of every page (its own styles: it is drawn before any page's).
LOCAL_STYLE = ("background:#fff3cd;color:#1a1a1a;border:1px solid #b58900;border-radius:4px;"
               "padding:.2rem .6rem;margin:0 0 .4rem 0;font-size:.9rem")


def local_mode_html(text: str) -> str:
    """The notice of the single-user local mode (``PETA_AUTH=off``); hidden in print and in the briefing, whose
    title block carries it as a badge."""
    return f'<div class="peta-local" role="note" style="{LOCAL_STYLE}">{escape(text)}</div>'


def banner_html(text: str) -> str:
    """The yellow 'DATA CONTOH' style banner (text escaped)."""
    return f'<div class="peta-banner" role="alert">{escape(text)}</div>'


def _card(value: str, label: str, sub: str, mode: str, name: str = "") -> str:
    if mode == "briefing" and 'class="peta-bar"' not in sub:
        sub = ""  # on a projector: the number and its name only
    return (
        f'<div class="peta-kpi k-{name}"><div class="l" style="font-size:{KPI_LABEL_PX[mode]}px">{escape(label)}</div>'
        f'<div class="v" style="font-size:{KPI_PX[mode]}px">{escape(value)}</div>'
        f'<div class="s" style="font-size:{KPI_SUB_PX[mode]}px;line-height:1.3">{sub}</div></div>'
    )


#: The participant segments a KPI header lists, as ``kabupaten_kpis`` keys.
SEGMENT_KPIS = {"pu": "covered_formal", "bpu": "covered_informal", "jakon": "covered_jakon", "pmi": "covered_pmi"}


def segments_line(kpis: dict[str, object], lang: str) -> str:
    """The covered card's line of the participant segments the data gives (PU, BPU, Jakon, PMI; escaped).

    Empty when it gives none; a segment it does not give is left out (not shown as 0).
    """
    parts = [t("kpi.segment", lang, segment=t(f"segment.{name}", lang), n=format_int(kpis[key], lang))
             for name, key in SEGMENT_KPIS.items() if kpis.get(key) is not None]
    return f'<div class="peta-segments">{escape(" · ".join(parts))}</div>' if parts else ""


def kpi_cards_html(kpis: dict[str, object], lang: str = "id", mode: str = "normal",
                   workers_estimated: bool = False, without: tuple[str, ...] = ()) -> str:
    """KPI header: workers, covered, rate vs target (bar), to enrol, contribution.

    Parameters
    ----------
    kpis : dict
        From :func:`analysis.coverage.kabupaten_kpis`.
    lang : {"id", "en"}
    mode : {"normal", "briefing"}
        Briefing uses larger type (numbers 48 px, labels 20 px: read from across the room) in a 2-column grid.
    workers_estimated : bool
        The workers are the denominator estimate: the card says "estimasi".
    without : tuple of str
        Cards left out (``"workers"``, ``"covered"``, ``"rate"``, ``"gap"``, ``"cost"``): the page shows
        that figure elsewhere.
    """
    rate = kpis.get("coverage_rate")
    target = float(kpis["target"])
    width = 0.0 if rate is None else max(0.0, min(1.0, float(rate))) * 100
    bar = (
        f'<div class="peta-bar" title="{escape(t("kpi.target_marker", lang, target=format_percent(target, lang, 0)))}">'
        f'<div class="fill" style="width:{width:.1f}%"></div>'
        f'<div class="target" style="left:{target * 100:.1f}%"></div></div>'
    )
    change = kpis.get("change_rate")
    change_text = (
        escape(t("kpi.change", lang, change=format_change_pp(change, lang)))
        if change is not None else ""
    )
    target_text = escape(t("kpi.of_target", lang, target=format_percent(target, lang, 0)))
    cards = [
        _card(format_int(kpis.get("workers"), lang),
              t("kpi.workers_estimated", lang) if workers_estimated else t("kpi.workers", lang),
              escape(t("app.data_period", lang, period=kpis.get("period") or "–")), mode, "workers"),
        _card(format_int(kpis.get("covered"), lang), t("kpi.covered", lang),
              change_text + segments_line(kpis, lang), mode, "covered"),
        _card(format_percent(rate, lang), t("kpi.coverage_rate", lang), bar + target_text, mode, "rate"),
        _card(format_int(kpis.get("gap_to_target"), lang), t("kpi.to_enrol", lang,
              target=format_percent(target, lang, 0)), escape(t("kpi.to_enrol_help", lang)), mode, "gap"),
        _card(format_rupiah(kpis.get("informal_contribution_monthly"), lang), t("kpi.contribution", lang),
              escape(t("kpi.contribution_help", lang,
                       per_worker=format_rupiah(kpis.get("contribution_per_worker"), lang, compact=False))), mode,
              "cost"),
    ]
    cards = [card for card in cards if not any(f'class="peta-kpi k-{name}"' in card for name in without)]
    scope = ""
    if kpis.get("partial"):
        scope = (f'<div class="peta-kpi-scope" style="font-size:{KPI_LABEL_PX[mode]}px;font-weight:700;'
                 f'background:#fff3bf;border-left:6px solid #b58900;padding:.35rem .6rem;margin:.2rem 0 .5rem">'
                 f'{escape(t("kpi.scope_partial", lang, n=format_int(kpis.get("n_desa_with_data"), lang), total=format_int(kpis.get("n_desa"), lang)))}</div>')
    return f'{scope}<div class="peta-kpis">{"".join(cards)}</div>'
