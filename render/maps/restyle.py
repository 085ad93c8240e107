"""What a metric switch sends to a map already drawn: styles, legend and tooltip rows, not geometry.

The app draws its choropleth once per view (level, drill-down, size,
highlight ...) and, when only the metric, the classes or the bands change,
restyles it in the browser (``ui/components/restyle``): every region's
fill, the legend's rows and the tooltip table.  :func:`restyle_payload`
computes them with the same functions :func:`render.maps.choropleth.choropleth_map`
uses, so a restyled map looks as one drawn for that metric would.

Safety: every text in the payload is HTML-escaped here (labels, values,
the legend); the browser side only joins these strings into the table and
never evaluates them as script.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence

import geopandas as gpd

from core.formatting import DEFAULT_LANG, check_lang
from render.maps.choropleth import NoDataPattern, styles_by_region, tooltip_rows
from render.maps.legend import Legend, legend_for


def restyle_payload(layer: gpd.GeoDataFrame, column: str, classification, palette: str | Sequence[str], *,
                    tooltip_fields: Sequence[tuple[str, str, str | None]] = (), lang: str = DEFAULT_LANG,
                    title: str = "", kind: str = "rate", large: bool = False, legend_note: str | None = None,
                    tiles: str | None = None, partial: Iterable[str] | None = None,
                    legend_position: str = "bottomright") -> tuple[dict[str, object], Legend]:
    """The restyle of a drawn choropleth for ``column`` (arguments as :func:`choropleth_map`'s).

    Returns
    -------
    (dict, Legend)
        The JSON-ready payload: ``styles`` (escaped kode -> Leaflet style),
        ``legend`` (the legend's inner HTML), ``tips`` (:func:`tooltip_rows`),
        ``pattern`` (the no-data hatch's SVG when a region has no data, else
        None) and ``version`` (a digest of the rest: the browser applies a
        version once); and the legend itself (for a legend drawn beside the map).
    """
    lang = check_lang(lang)
    styles = styles_by_region(layer, column, classification, palette, tiles=tiles, partial=partial)
    legend = legend_for(classification, styles.colors, title, kind=kind, lang=lang, large=large,
                        note=legend_note, has_missing=styles.has_missing, position=legend_position)
    payload: dict[str, object] = {
        "styles": styles.by_code,
        "legend": legend.html,
        "tips": tooltip_rows(layer, tooltip_fields, lang),
        "pattern": NoDataPattern().svg if styles.has_missing else None,
    }
    payload["version"] = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]
    return payload, legend
