"""Local copies of the browser libraries Folium maps need, so maps work offline.

Folium writes ``<script src>``/``<link>`` tags pointing at CDNs (Leaflet,
jQuery, Bootstrap, awesome-markers, Font Awesome, markercluster).  With no
network the map is blank ("L is not defined").  The set-up installs the same
libraries from the npm registry (``package.json`` / ``package-lock.json``,
``npm ci`` into the git-ignored ``node_modules``) and this module rewrites
each Folium element's resources to those files:

* :func:`localize` points them at a URL prefix under which ``node_modules``
  is served (the Streamlit app serves it as a component folder);
* :func:`inline_html` embeds their content into one standalone HTML file
  (the offline export).

A resource Folium adds that is not in :data:`ASSETS` or :data:`OMITTED` raises
:class:`UnknownAssetError` instead of silently falling back to a CDN.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from collections.abc import Iterator
from pathlib import Path

import branca.element
import folium

from core.errors import PetaCakupanError, SourceNotFoundError
from geo.paths import PROJECT_ROOT

#: Where ``npm ci`` installs the libraries.
NODE_MODULES = PROJECT_ROOT / "node_modules"

#: Folium resource name -> file under ``node_modules``.
ASSETS: dict[str, str] = {
    "leaflet": "leaflet/dist/leaflet.js",
    "leaflet_css": "leaflet/dist/leaflet.css",
    "jquery": "jquery/dist/jquery.min.js",
    "bootstrap": "bootstrap/dist/js/bootstrap.bundle.min.js",
    "bootstrap_css": "bootstrap/dist/css/bootstrap.min.css",
    "awesome_markers": "leaflet.awesome-markers/dist/leaflet.awesome-markers.min.js",
    "awesome_markers_css": "leaflet.awesome-markers/dist/leaflet.awesome-markers.css",
    "awesome_markers_font_css": "@fortawesome/fontawesome-free/css/all.min.css",
    "markerclusterjs": "leaflet.markercluster/dist/leaflet.markercluster.js",
    "markerclustercss": "leaflet.markercluster/dist/MarkerCluster.css",
    "markerclusterdefaultcss": "leaflet.markercluster/dist/MarkerCluster.Default.css",
}

#: Folium resources deliberately left out, with the reason.
OMITTED: dict[str, str] = {
    "glyphicons_css": "Bootstrap 3 glyph icons; the maps use Font Awesome icons only",
    "awesome_rotate_css": "icon rotation CSS from folium's GitHub; no rotated icons are used",
}


_INLINE_PREFIX = "__peta_vendor__"


class UnknownAssetError(PetaCakupanError, KeyError):
    """A Folium element wants a browser resource that has no local copy."""


def asset_path(name: str) -> Path:
    """Return the local file of a Folium resource name.

    Raises
    ------
    UnknownAssetError
        If the name is not registered.
    SourceNotFoundError
        If ``npm ci`` has not installed it.
    """
    if name not in ASSETS:
        raise UnknownAssetError(
            "web_assets.no_local_copy", name=repr(name), known=sorted(ASSETS)
        )
    path = NODE_MODULES / ASSETS[name]
    if not path.is_file():
        raise SourceNotFoundError(
            "web_assets.file_missing", path=path
        )
    return path


def _elements(root: branca.element.Element) -> Iterator[branca.element.Element]:
    yield root
    for child in list(getattr(root, "_children", {}).values()):
        yield from _elements(child)


def _local(resources: list[tuple[str, str]], base_url: str) -> list[tuple[str, str]]:
    out = []
    for name, _url in resources:
        if name in OMITTED:
            continue
        asset_path(name)
        out.append((name, f"{base_url.rstrip('/')}/{ASSETS[name]}"))
    return out


def localize(fig: branca.element.Element, base_url: str) -> branca.element.Element:
    """Point every element's JS/CSS resources at local copies, in place.

    Parameters
    ----------
    fig : folium.Map or branca Element
        The map (all its descendants are rewritten too).
    base_url : str
        URL prefix under which ``node_modules`` is served, e.g.
        ``"../geo.vendor"`` relative to a Streamlit component iframe.

    Returns
    -------
    The same object, for chaining.
    """
    for element in _elements(fig):
        if isinstance(element, folium.elements.JSCSSMixin):
            element.default_js = _local(element.default_js, base_url)
            element.default_css = _local(element.default_css, base_url)
    # A map rendered before localising keeps the links of that render in its
    # figure header; re-rendering replaces them by name, except for the ones
    # left out on purpose, which must go explicitly.
    header = getattr(fig.get_root(), "header", None)
    if header is not None:
        for name in OMITTED:
            header._children.pop(name, None)
    return fig


def _css_with_inlined_urls(css_path: Path) -> str:
    """Return a stylesheet with its relative ``url(...)`` files as data URIs."""
    css = css_path.read_text(encoding="utf-8")

    def repl(match: re.Match[str]) -> str:
        target = match.group(2)
        if target.startswith(("data:", "http:", "https:", "#")):
            return match.group(0)
        file = (css_path.parent / target.split("?")[0].split("#")[0]).resolve()
        if not file.is_file():
            return match.group(0)
        mime = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        data = base64.b64encode(file.read_bytes()).decode()
        return f"url(data:{mime};base64,{data})"

    return re.sub(r"url\((['\"]?)([^'\")]+)\1\)", repl, css)


def inline_html(fig: folium.Map, fonts: bool = False) -> str:
    """Render a map as one standalone HTML page with every library embedded.

    Parameters
    ----------
    fig : folium.Map
    fonts : bool
        Also embed Font Awesome's web fonts as data URIs (needed only when
        the map uses Font Awesome icons; they add about 1 MB).

    Returns
    -------
    str
        HTML that renders with no network.
    """
    localize(fig, _INLINE_PREFIX)
    html = fig.get_root().render()

    def script(match: re.Match[str]) -> str:
        name = match.group(1)
        name_key = next(k for k, v in ASSETS.items() if v == name)
        code = asset_path(name_key).read_text(encoding="utf-8").replace("</script", "<\\/script")
        return f"<script>{code}</script>"

    def style(match: re.Match[str]) -> str:
        name = match.group(1)
        name_key = next(k for k, v in ASSETS.items() if v == name)
        path = asset_path(name_key)
        if name_key == "awesome_markers_font_css" and not fonts:
            return ""
        return f"<style>{_css_with_inlined_urls(path)}</style>"

    prefix = re.escape(_INLINE_PREFIX)
    html = re.sub(rf'<script src="{prefix}/([^"]+)"></script>', script, html)
    html = re.sub(rf'<link rel="stylesheet" href="{prefix}/([^"]+)"\s*/>', style, html)
    if _INLINE_PREFIX in html:
        raise UnknownAssetError("web_assets.not_inlined", prefix=_INLINE_PREFIX)
    return html
