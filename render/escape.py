"""Escaping for the places a string from a file or a person lands in the rendered pages.

- :func:`html_text`: element content and quoted attribute values.
- :func:`for_js_template`: an HTML fragment that folium writes into a
  JavaScript template literal (``folium.Tooltip`` and ``folium.Popup``
  render ``\\`...\\``` in the page's script), where `` ` ``, ``${`` and ``\\``
  are live code.  They become HTML character references, which the browser
  shows as the same characters once the fragment is HTML.
- :func:`tooltip` and :func:`popup`: folium's tooltip and popup with the
  fragment made safe, so no caller can forget it.

Strings in JSON contexts (``{{ value|tojson }}`` in our templates, GeoJSON
properties) need HTML escaping only: Jinja's ``tojson`` escapes ``<``, ``>``,
``&`` and ``'``, and GeoJSON values are data, never code.
"""

from __future__ import annotations

import html
from typing import Any

import folium

_JS_TEMPLATE = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;"})


def html_text(value: object) -> str:
    """``value`` as text for HTML content or a quoted attribute (``None`` gives ``""``)."""
    return html.escape("" if value is None else str(value), quote=True)


def for_js_template(fragment: str) -> str:
    """An (already escaped) HTML fragment made inert inside a JavaScript template literal.

    >>> for_js_template("${alert(1)} `x` \\\\u0041")
    '&#36;{alert(1)} &#96;x&#96; &#92;u0041'
    """
    return fragment.translate(_JS_TEMPLATE)


def tooltip(fragment: str, **options: Any) -> folium.Tooltip:
    """``folium.Tooltip`` of an escaped HTML fragment, safe in its template literal."""
    return folium.Tooltip(for_js_template(fragment), **options)


def popup(fragment: str, **options: Any) -> folium.Popup:
    """``folium.Popup`` of an escaped HTML fragment, safe in its template literal."""
    return folium.Popup(for_js_template(fragment), **options)
