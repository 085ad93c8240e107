"""A Folium map in streamlit-folium's frame, prepared once and shown on every run.

:func:`streamlit_folium.st_folium` renders the whole map to HTML and script
twice on every script run (about 0.5 s for the Garut maps) even when the map
has not changed.  :func:`frame_args` does that preparation once, with
streamlit-folium's own helpers, and returns what ``st_folium`` would send to
its component; :func:`show_frame` sends it.  :func:`cached_frame` keeps the
prepared frames of the last maps drawn, by the digest of what they are drawn
from (:mod:`ui.fingerprint`), for every session of the server: a rerun that
draws the same map costs nothing here, and the browser receives the same
component message and keeps its frame.

``tests/test_folium_frame.py`` checks that the pair sends exactly what
``st_folium`` sends for the same map, so an update of streamlit-folium that
changes its component's arguments fails there.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable

import branca
import folium
import folium.elements
import streamlit as st
import streamlit_folium as sf

#: What ``st_folium`` returns before the first interaction, by returned object.
_DEFAULTS = ("last_clicked", "last_object_clicked", "last_object_clicked_count", "last_object_clicked_tooltip",
             "last_object_clicked_popup", "all_drawings", "last_active_drawing", "bounds", "zoom",
             "last_circle_radius", "last_circle_polygon", "selected_layers", "selected_tags",
             "last_geocoder_result")


#: The prepared frames kept (the least recently shown goes first), at most this many and this many bytes.
FRAME_CACHE_ENTRIES = 24
FRAME_CACHE_BYTES = 256_000_000
_FRAMES: OrderedDict[str, dict[str, object]] = OrderedDict()
_FRAMES_LOCK = threading.Lock()


def cached_frame(digest: str, draw: Callable[[], folium.Map], key: str) -> dict[str, object]:
    """The prepared frame (:func:`frame_args`) of the map ``draw()`` makes, drawn only if ``digest`` is new.

    Parameters
    ----------
    digest : str
        A digest of everything ``draw`` draws from (:func:`ui.fingerprint.fingerprint`): equal digests
        must mean equal maps.
    draw : callable
        Makes the map (offline-ready) when it is not kept.
    key : str
        The widget key it is shown under.

    The frames are shared by every session and must not be changed by the caller.
    """
    name = f"{key}:{digest}"
    with _FRAMES_LOCK:
        if name in _FRAMES:
            _FRAMES.move_to_end(name)
            return _FRAMES[name]
    args = frame_args(draw(), key)
    with _FRAMES_LOCK:
        _FRAMES[name] = args
        while len(_FRAMES) > FRAME_CACHE_ENTRIES or (len(_FRAMES) > 1 and _cached_bytes() > FRAME_CACHE_BYTES):
            _FRAMES.popitem(last=False)
    return args


def _cached_bytes() -> int:
    return sum(len(a["script"]) + len(a["html"]) + len(a["header"]) for a in _FRAMES.values())


def clear_frames() -> None:
    """Forget the kept frames (tests)."""
    with _FRAMES_LOCK:
        _FRAMES.clear()


def frame_args(fmap: folium.Map, key: str) -> dict[str, object]:
    """The arguments ``st_folium(fmap, key=key)`` sends to streamlit-folium's component.

    Parameters
    ----------
    fmap : folium.Map
        The map (renamed in place by streamlit-folium's helpers, as ``st_folium`` does).
    key : str
        The widget key the frame is shown under (it enters the component's own key).

    Returns
    -------
    dict
        ``script``, ``header``, ``html``, ``id``, ``css_links``, ``js_links``,
        ``bounds``, ``zoom`` and ``hash_key``.
    """
    fmap.get_root().render()
    fmap.render()
    html = sf._get_html(fmap)          # before _get_map_string, which alters the map (as st_folium says)
    header = sf._get_header(fmap)
    script = sf._get_map_string(fmap)
    css_links: list[str] = []
    js_links: list[str] = []
    for element in _walk(fmap):
        if isinstance(element, branca.colormap.ColorMap):
            js_links.insert(0, "https://cdnjs.cloudflare.com/ajax/libs/d3/3.5.5/d3.min.js")
            js_links.insert(0, "https://d3js.org/d3.v4.min.js")
        css_links.extend(href for _, href in getattr(element, "default_css", []))
        js_links.extend(src for _, src in getattr(element, "default_js", []))
    (south, west), (north, east) = fmap.get_bounds()
    return {
        "script": script, "header": header, "html": html, "id": sf.get_full_id(fmap),
        "css_links": list(dict.fromkeys(css_links)), "js_links": list(dict.fromkeys(js_links)),
        "bounds": {"_southWest": {"lat": south, "lng": west}, "_northEast": {"lat": north, "lng": east}},
        "zoom": fmap.options.get("zoom"),
        "hash_key": sf.generate_js_hash(script, key, False),
    }


def _walk(element):
    """The map's elements that bring libraries (as ``st_folium`` collects them)."""
    if isinstance(element, branca.colormap.ColorMap):
        yield element
    if isinstance(element, folium.elements.JSCSSMixin):
        yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def show_frame(args: dict[str, object], *, key: str, height: int, returned_objects: Iterable[str],
               on_change: Callable[[], None] | None = None, width: int | None = None) -> object:
    """Show a map prepared by :func:`frame_args` under ``key``; return what ``st_folium`` returns.

    ``width=None`` fills the container (``st_folium``'s ``use_container_width``).
    """
    returned = list(returned_objects)
    everything = {"bounds": args["bounds"], "zoom": args["zoom"]}
    defaults = {name: everything.get(name) for name in _DEFAULTS if name in returned}
    hash_key = args["hash_key"]

    def changed() -> None:
        st.session_state[key] = st.session_state.get(hash_key, {})
        if on_change is not None:
            on_change()

    return sf._component_func(
        script=args["script"], header=args["header"], html=args["html"], id=args["id"], key=hash_key,
        height=height, width=width, returned_objects=returned, default=defaults, zoom=None, center=None,
        feature_group=None, return_on_hover=False, layer_control=None, pixelated=False,
        css_links=args["css_links"], js_links=args["js_links"], on_change=changed, wrap_longitude=False)
