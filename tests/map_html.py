"""Read what a rendered Folium map contains (features, links) in tests."""

from __future__ import annotations

import json
import re


def geojson_features(html: str) -> list[dict]:
    """Return the GeoJSON features a rendered Folium map adds (``..._add({...});``)."""
    decoder = json.JSONDecoder()
    features = []
    for match in re.finditer(r"_add\(\{", html):
        payload, _ = decoder.raw_decode(html, match.end() - 1)
        features.extend(payload["features"])
    return features
