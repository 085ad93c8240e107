"""A digest of the arguments a map is drawn from, to draw it once and reuse it.

The map page keeps the frame it drew last (:mod:`ui.folium_frame`) and
draws again only when :func:`fingerprint` of the drawing's arguments
changes.  The digest covers the content of every argument (table cells and
geometries too), so two runs that would draw the same map get the same
digest, and any other argument gets another one.  A value of a type it does
not know is refused rather than hashed by identity, so a new kind of
argument cannot silently keep an old map on screen.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Mapping
from pathlib import PurePath

import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

_SCALARS = (type(None), bool, int, float, str, np.generic)


def fingerprint(value: object) -> str:
    """The SHA-256 hex digest of ``value``'s content.

    Parameters
    ----------
    value : object
        Scalars (None, bool, int, float, str, bytes, numpy scalars), dates, paths (by their text),
        numpy arrays, pandas Series/DataFrames (GeoDataFrames too: geometries
        by their WKB), shapely geometries, dataclasses, mappings, sets, lists
        and tuples of these, nested.

    Returns
    -------
    str
        64 hex digits.

    Raises
    ------
    TypeError
        For a value of any other type (its type is named).
    """
    digest = hashlib.sha256()
    _feed(digest, value)
    return digest.hexdigest()


def _feed(digest, value: object) -> None:
    """Add ``value`` to ``digest``, each part tagged with its type so ``1`` and ``"1"`` differ."""
    digest.update(type(value).__name__.encode() + b"\x00")
    if isinstance(value, _SCALARS) or value is pd.NA or value is pd.NaT:
        digest.update(repr(value).encode() + b"\x01")
    elif isinstance(value, bytes):
        digest.update(len(value).to_bytes(8, "little") + value)
    elif isinstance(value, PurePath):
        digest.update(str(value).encode() + b"\x01")
    elif isinstance(value, (dt.date, dt.datetime, dt.time)):
        digest.update(value.isoformat().encode() + b"\x01")
    elif isinstance(value, BaseGeometry):
        digest.update(shapely.to_wkb(value))
    elif isinstance(value, np.ndarray):
        _feed_array(digest, value)
    elif isinstance(value, pd.DataFrame):
        _feed(digest, [str(c) for c in value.columns])
        _feed(digest, value.index.to_numpy())
        for column in value.columns:
            _feed_array(digest, value[column].to_numpy())
    elif isinstance(value, pd.Series):
        _feed(digest, str(value.name))
        _feed(digest, value.index.to_numpy())
        _feed_array(digest, value.to_numpy())
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            _feed(digest, field.name)
            _feed(digest, getattr(value, field.name))
    elif isinstance(value, Mapping):
        parts = sorted((fingerprint(k), fingerprint(v)) for k, v in value.items())
        _feed(digest, parts)
    elif isinstance(value, (set, frozenset)):
        _feed(digest, sorted(fingerprint(v) for v in value))
    elif isinstance(value, (list, tuple)):
        digest.update(len(value).to_bytes(8, "little"))
        for item in value:
            _feed(digest, item)
    else:
        raise TypeError(f"fingerprint() does not know values of type {type(value).__qualname__} ({value!r:.80}); "
                        "pass its content (a table, a mapping, a tuple) instead")


def _feed_array(digest, array: np.ndarray) -> None:
    """Numbers by their bytes; objects (text, geometries, mixed cells) one by one."""
    digest.update(f"{array.dtype.str}{array.shape}".encode())
    if array.dtype.kind in "biufcmMSU":
        digest.update(np.ascontiguousarray(array).tobytes())
        return
    flat = array.ravel()
    geometries = np.fromiter((isinstance(v, BaseGeometry) for v in flat), bool, len(flat))
    if geometries.all() and len(flat):
        for wkb in shapely.to_wkb(flat):
            digest.update(len(wkb).to_bytes(8, "little") + wkb)
        return
    for item in flat:
        _feed(digest, item)
