"""The digest the map page keys its drawn map by: equal content, equal digest; any change, another."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from analysis.classify import classify
from ui.fingerprint import fingerprint


def _layer() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"kode": ["32.05.01", "32.05.02"], "nama": ["Cisewu", "Caringin"],
                             "rate": [0.25, np.nan]},
                            geometry=[box(107.0, -7.5, 107.1, -7.4), box(107.1, -7.5, 107.2, -7.4)], crs=4326)


def test_equal_content_built_twice_gives_one_digest():
    recipe = lambda: {"layer": _layer(), "highlight": {"32.05.02", "32.05.01"}, "px": (800, 600),  # noqa: E731
                      "classes": classify([0.1, 0.4, 0.8], "target_bands", bands=[0.3, 0.5, 0.7]),
                      "today": dt.date(2026, 12, 2), "note": None}
    assert fingerprint(recipe()) == fingerprint(recipe())


@pytest.mark.parametrize("change", [
    lambda r: r["layer"].loc.__setitem__((0, "nama"), "Cisewu "),                       # a text cell
    lambda r: r["layer"].loc.__setitem__((1, "rate"), 0.0),                              # a missing number filled
    lambda r: r["layer"].__setitem__("geometry", [box(107.0, -7.5, 107.1, -7.4001),     # a vertex moved
                                                  box(107.1, -7.5, 107.2, -7.4)]),
    lambda r: r.__setitem__("layer", r["layer"].iloc[::-1]),                             # another order
    lambda r: r.__setitem__("layer", r["layer"].rename(columns={"rate": "gap"})),        # another column
    lambda r: r.__setitem__("highlight", {"32.05.01"}),
    lambda r: r.__setitem__("px", (800, 601)),
    lambda r: r.__setitem__("px", ("800", 600)),                                         # same text, other type
    lambda r: r.__setitem__("classes", classify([0.1, 0.4, 0.8], "target_bands", bands=[0.3, 0.5, 0.75])),
    lambda r: r.__setitem__("today", dt.date(2026, 12, 3)),
    lambda r: r.__setitem__("note", ""),
])
def test_any_change_gives_another_digest(change):
    recipe = {"layer": _layer(), "highlight": {"32.05.01", "32.05.02"}, "px": (800, 600),
              "classes": classify([0.1, 0.4, 0.8], "target_bands", bands=[0.3, 0.5, 0.7]),
              "today": dt.date(2026, 12, 2), "note": None}
    before = fingerprint(recipe)
    change(recipe)
    assert fingerprint(recipe) != before


def test_mixed_object_cells_and_missing_values():
    frame = pd.DataFrame({"x": ["a", None, pd.NA, 1, Point(0, 0)]})
    assert fingerprint(frame) == fingerprint(frame.copy())
    assert fingerprint(frame) != fingerprint(frame.iloc[:4])


def test_paths_count_by_their_text():
    from pathlib import Path

    assert fingerprint(Path("/data/app.db")) == fingerprint(Path("/data/app.db"))
    assert fingerprint(Path("/data/app.db")) not in {fingerprint(Path("/data/app2.db")), fingerprint("/data/app.db")}


def test_an_unknown_type_is_refused_not_hashed_by_identity():
    class Drawing:
        pass

    with pytest.raises(TypeError, match="Drawing"):
        fingerprint({"layer": Drawing()})
