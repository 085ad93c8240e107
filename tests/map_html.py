"""Read what a rendered Folium map contains (features, links) in tests."""

from __future__ import annotations

import json
import re


def geojson_features(html: str, leaders: bool = False) -> list[dict]:
    """Return the GeoJSON features a rendered Folium map adds (``..._add({...});``).

    The labels' leader lines (line features with no properties) are left out unless ``leaders``.
    """
    decoder = json.JSONDecoder()
    features = []
    for match in re.finditer(r"_add\(\{", html):
        payload, _ = decoder.raw_decode(html, match.end() - 1)
        features.extend(f for f in payload["features"]
                        if leaders or f.get("properties") or f["geometry"]["type"] != "LineString")
    return features
