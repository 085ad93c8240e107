"""Restyle the map drawn on the page in the browser (``ui/components/restyle/index.html``).

The map page draws its choropleth for one metric per view and, when only
the metric, the classes or the bands change, sends a restyle
(:func:`render.maps.restyle.restyle_payload`: fills, legend, tooltip rows)
through this invisible component instead of a new map: the map frame is
neither sent again nor re-mounted.
"""

from __future__ import annotations

from pathlib import Path

import streamlit.components.v1 as components

_component = components.declare_component("peta_restyle", path=str(Path(__file__).with_name("components") / "restyle"))


def restyle(payload: dict[str, object], key: str) -> None:
    """Apply ``payload`` to the page's map (an invisible element; safe to send on every run)."""
    _component(payload=payload, key=key, default=None)
