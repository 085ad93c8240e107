"""A map legend drawn inside the Folium map, with no external resource.

branca's ``ColorMap`` legends load d3 from a CDN, which breaks the offline
rule (see :mod:`render.maps.web_assets`), so the legend is a small branca
``MacroElement`` of our own: a Leaflet control (bottom right, inside the
map, so it is also in screenshots and exports) whose HTML and CSS are
written here.  Every title and label is HTML-escaped.

>>> from analysis.classify import RELATIVE_SCHEMES, classify
>>> c = classify([0.1, 0.4, None], "target_bands")
>>> legend = legend_for(c, ["#eee", "#ccc", "#999", "#333"], "Tingkat cakupan", kind="rate")
>>> legend.labels
['< 30%', '30% – 50%', '50% – 70%', '≥ 70%', 'Tidak ada data']
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

from branca.element import MacroElement
from jinja2 import Template

from analysis.classify import RELATIVE_SCHEMES
from core.formatting import DEFAULT_LANG, formatter, no_data_text
from core.i18n import t
from render.maps.labels import corner_box
from render.maps.palettes import NO_DATA_CSS

#: Smallest legend text in the normal and the briefing (large) variant, px.
FONT_PX = 14
FONT_PX_LARGE = 20

_CSS = """
.peta-legend{background:rgba(255,255,255,.94);color:#1b1b1b;padding:8px 12px;
 border-radius:6px;box-shadow:0 1px 5px rgba(0,0,0,.35);font-family:system-ui,sans-serif;
 line-height:1.3;max-width:22em}
.peta-legend .peta-legend-title{font-weight:700;margin:0 0 6px 0}
.peta-legend .peta-legend-row{display:flex;align-items:center;gap:.5em;margin:3px 0;white-space:nowrap}
.peta-legend .peta-legend-swatch{flex:none;width:1.4em;height:1em;border:1px solid rgba(0,0,0,.35);
 box-sizing:border-box}
.peta-legend .peta-legend-note{margin-top:6px;font-size:.85em;color:#444;white-space:normal}
"""


class Legend(MacroElement):
    """A legend control: title, one swatch row per class, optional no-data row.

    Parameters
    ----------
    title : str
        Legend title (escaped).
    colors : sequence of str
        One CSS colour per class.
    labels : sequence of str
        One label per class, already formatted (escaped here).
    no_data_label : str, optional
        Label of the "no data" row; no such row when None.
    large : bool
        Briefing variant: 20 px text instead of 14 px.
    note : str, optional
        A small line under the rows (e.g. the data source); escaped.
    position : str
        Leaflet control position.

    Attributes
    ----------
    html : str
        The legend's inner HTML (what the tests inspect).
    labels : list of str
        Row labels in order, no-data row last (unescaped).
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>{{ this.css }}</style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
        {{ this.get_name() }}.onAdd = function (map) {
            var div = L.DomUtil.create("div", "peta-legend");
            div.style.fontSize = {{ this.font_css|tojson }};
            div.innerHTML = {{ this.html|tojson }};
            L.DomEvent.disableClickPropagation(div);
            L.DomEvent.disableScrollPropagation(div);
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, title: str, colors: Sequence[str], labels: Sequence[str],
                 no_data_label: str | None = None, large: bool = False,
                 note: str | None = None, position: str = "bottomright"):
        super().__init__()
        if len(colors) != len(labels):
            raise ValueError(f"A legend needs one colour per label: {len(colors)} colours, {len(labels)} labels.")
        self._name = "PetaLegend"
        self.title = title
        self.colors = list(colors)
        self.labels = [*labels, *([no_data_label] if no_data_label is not None else [])]
        self.large = large
        self.position = position
        self.font_css = f"{FONT_PX_LARGE if large else FONT_PX}px"
        self.css = " ".join(_CSS.split())
        if large:     # on the projector no text is smaller than the legend's own
            self.css += " .peta-legend .peta-legend-note{font-size:1em}"
        rows = [
            _row(f"background:{html.escape(color, quote=True)}", label)
            for color, label in zip(self.colors, labels)
        ]
        if no_data_label is not None:
            rows.append(_row(NO_DATA_CSS, no_data_label, css_class="peta-legend-nodata"))
        note_html = f'<div class="peta-legend-note">{html.escape(note)}</div>' if note else ""
        self.note = note
        self.html = (
            f'<div class="peta-legend-title">{html.escape(title)}</div>{"".join(rows)}{note_html}'
        )

    def standalone_html(self) -> str:
        """The legend as a block of its own (beside a map too small to hold it), with its styles."""
        return (f'<style>{self.css}</style><div class="peta-legend peta-legend-outside" role="group" '
                f'style="font-size:{self.font_css};display:inline-block">{self.html}</div>')

    def box_px(self, map_px: tuple[int, int]) -> tuple[float, float, float, float]:
        """Where the legend stands on a map of ``map_px`` (x0, y0, x1, y1 px), a generous estimate.

        Labels are kept out of this box (:func:`render.maps.labels.plan_labels`).
        The bottom-right and top-right positions are estimated; others give the whole right half.
        """
        font = FONT_PX_LARGE if self.large else FONT_PX
        max_width = 22 * font                                     # the CSS max-width
        rows = max((len(label) for label in self.labels), default=0) * 0.56 * font + 2.0 * font
        width = min(max_width, max(len(self.title) * 0.62 * font, rows)) + 24
        height = 16 + (font * 1.3 + 6) * (1 + len(self.labels))
        if self.note:
            per_line = max(1, int((width - 24) / (0.85 * font * 0.55)))
            height += 6 + math.ceil(len(self.note) / per_line) * 0.85 * font * 1.3
        return corner_box(map_px, width * 1.08, height * 1.08, self.position)


def _row(swatch_css: str, label: str, css_class: str = "") -> str:
    extra = f" {css_class}" if css_class else ""
    return (
        f'<div class="peta-legend-row{extra}"><span class="peta-legend-swatch" style="{swatch_css}">'
        f"</span><span>{html.escape(label)}</span></div>"
    )


def legend_for(classification, colors: Sequence[str], title: str, kind: str = "rate",
               lang: str = DEFAULT_LANG, large: bool = False, note: str | None = None,
               fmt=None, has_missing: bool | None = None, position: str = "bottomright") -> Legend:
    """Build the legend of a classified map.

    Parameters
    ----------
    classification : analysis.classify.Classification
    colors : sequence of str
        One colour per class.
    title : str
        Usually the metric name (``core.i18n.t("metric.coverage_rate")``).
    kind : str
        Metric kind for the bounds' number format (``"count"``, ``"rate"``,
        ``"rupiah"``, ``"change"``); target bands show whole percentages.
    lang : str
        ``"id"`` (Indonesian numbers, "Tidak ada data") or ``"en"``.
    large : bool
        Briefing variant (20 px text).
    note : str, optional
        Small line under the rows.
    fmt : callable, optional
        ``value -> str`` overriding the formatter chosen by ``kind``.
    has_missing : bool, optional
        Whether to show the no-data row; default: whether the classified
        values had any (a map applying the bins to other values passes its own).
    position : str
        Leaflet control position.

    Returns
    -------
    Legend
        With a no-data row exactly when some value has no data.
    """
    if fmt is None:
        options = {"digits": 0} if classification.scheme == "target_bands" and kind == "rate" else {}
        fmt = formatter(kind, lang, **options)
    if has_missing is None:
        has_missing = classification.has_missing
    no_data = no_data_text(lang, capitalize=True) if has_missing else None
    return Legend(title, list(colors)[: classification.k], classification.labels(fmt),
                  no_data_label=no_data, large=large, note=note, position=position)


def legend_note(is_sample: bool, partial: bool, lang: str, scheme: str | None = None) -> str | None:
    """The small line under a map legend: the sample label, what a dashed outline means, whether colours are relative.

    A relative scheme (:data:`analysis.classify.RELATIVE_SCHEMES`) says that a
    colour compares the regions on this map; the level scale says it is the
    same for every region of the level.
    """
    parts = ([t("sample.short", lang)] if is_sample else []) + ([t("map.partial_note", lang)] if partial else [])
    if scheme in RELATIVE_SCHEMES:
        parts.append(t("legend.relative", lang))
    elif scheme == "level_scale":
        parts.append(t("legend.level_scale", lang))
    return " · ".join(parts) or None
