"""Serve the npm-installed browser libraries from the Streamlit server.

Streamlit serves a declared component's folder at ``/component/<name>/``
with proper content types.  Declaring ``node_modules`` as a (never rendered)
component therefore serves Leaflet and friends from localhost, and
streamlit-folium's iframe (``/component/streamlit_folium.st_folium/``) loads
them through a relative URL, which also works under a ``baseUrlPath``.
"""

from __future__ import annotations

import folium
import streamlit.components.v1 as components

from core.errors import SourceNotFoundError
from render.maps.web_assets import NODE_MODULES, localize

_COMPONENT = "vendor"
#: Full component name Streamlit derives from this module and ``_COMPONENT``.
COMPONENT_NAME = f"{__name__}.{_COMPONENT}"
#: URL of the served folder relative to a component iframe's index.html.
BASE_URL = f"../{COMPONENT_NAME}"


def register() -> str:
    """Register the served folder (idempotent) and return its base URL.

    Raises
    ------
    SourceNotFoundError
        If ``npm ci`` has not installed the libraries.
    """
    if not NODE_MODULES.is_dir():
        raise SourceNotFoundError(
            "vendor.libraries_missing", node_modules=NODE_MODULES
        )
    components.declare_component(_COMPONENT, path=str(NODE_MODULES))
    return BASE_URL


def offline(fmap: folium.Map) -> folium.Map:
    """Point a map's JS/CSS at the locally served libraries, in place."""
    return localize(fmap, register())
