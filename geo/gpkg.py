"""Writing and reading the project's built GeoPackages.

Built files are written atomically (to a temporary file beside the target,
then renamed), so a crash mid-build never leaves a half-written file that a
later run would mistake for a current one, and each carries a key/value
``build_info`` table that tells whether it is current.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd
import pyogrio


def write_layers_atomic(path: Path, layers: dict[str, pd.DataFrame]) -> None:
    """Write layers (GeoDataFrames, or DataFrames as attribute tables) to a new GeoPackage.

    Parameters
    ----------
    path : pathlib.Path
        Target file; replaced only once every layer is written.
    layers : dict
        ``{layer name: frame}`` in writing order.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(suffix=".gpkg", dir=path.parent, prefix=".building-")
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()
    try:
        for name, frame in layers.items():
            pyogrio.write_dataframe(frame, tmp, layer=name, driver="GPKG")
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def read_build_info(path: Path) -> dict[str, str]:
    """Return the ``build_info`` key/value table of a built GeoPackage ({} if unreadable)."""
    try:
        table = pyogrio.read_dataframe(path, layer="build_info", read_geometry=False)
    except Exception:  # missing, half-written or foreign file: treat as not built
        return {}
    return dict(zip(table["key"], table["value"]))
