"""Where the project reads its reference data and writes what it builds.

Every location can be overridden with an environment variable so that a
deployment elsewhere can point at its own copy of the same public sources:

``PETA_SHARED_DATA``
    Root of the reference data (default: ``../shared/data`` beside the repo).
``PETA_BOUNDARIES_SOURCE``
    The ``wilayah_boundaries`` SQL dump folder
    (default: ``$PETA_SHARED_DATA/wilayah_boundaries``).
``PETA_BOUNDARIES_DIR``
    Where built GeoPackages go (default: ``data/boundaries`` in the repo).
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: Metric CRS for measuring in Garut (UTM zone 48S).
METRIC_CRS = "EPSG:32748"
#: Geographic CRS of every stored layer.
GEOGRAPHIC_CRS = "EPSG:4326"


def shared_data_dir() -> Path:
    """Return the root folder of the reference data.

    Returns
    -------
    pathlib.Path
        ``$PETA_SHARED_DATA`` if set, else ``<repo>/../shared/data``.
    """
    env = os.environ.get("PETA_SHARED_DATA")
    return Path(env) if env else PROJECT_ROOT.parent / "shared" / "data"


def boundaries_source_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """Return the folder holding the ``wilayah_boundaries`` SQL dumps.

    Parameters
    ----------
    override : path-like, optional
        Explicit folder (the CLI's ``--source``); wins over the environment.

    Returns
    -------
    pathlib.Path
    """
    if override:
        return Path(override)
    env = os.environ.get("PETA_BOUNDARIES_SOURCE")
    return Path(env) if env else shared_data_dir() / "wilayah_boundaries"


def reference_dir(name: str) -> Path:
    """Return the folder of one reference data set under the shared data root.

    Parameters
    ----------
    name : str
        Folder name, e.g. ``"cahyadsn_wilayah"``.
    """
    return shared_data_dir() / name


def boundaries_dir() -> Path:
    """Return the folder where built boundary GeoPackages are written."""
    env = os.environ.get("PETA_BOUNDARIES_DIR")
    return Path(env) if env else PROJECT_ROOT / "data" / "boundaries"
