"""The region the app, the CLI and the exports work on: Garut unless ``PETA_REGION`` says otherwise.

``PETA_REGION`` holds a kabupaten/kota code of Jawa Barat (``32.06``,
undotted ``3206`` too) or ``32`` for the whole province; the CLI's
``--region`` sets it for one command (:func:`use_region`).  Every function
that takes ``region=None`` works on :func:`region_in_use`, so a file, its
boundaries, its population estimate and its map are always of one region.

>>> import os; os.environ.pop(REGION_ENV, None) and None
>>> region_in_use()
'32.05'
"""

from __future__ import annotations

import os
import re

from core.errors import RegionError

#: The environment variable naming the region in use.
REGION_ENV = "PETA_REGION"
#: The region when none is set: Kabupaten Garut.
DEFAULT_REGION = "32.05"
#: The province code: a region of this form holds every kabupaten/kota of Jawa Barat.
PROVINCE = "32"
_REGION = re.compile(r"^\d{2}(\.\d{2})?$")
#: The province's name (the boundary source names kabupaten/kota and below only).
PROVINCE_NAME = "Provinsi Jawa Barat"


def validate_region(region: str) -> str:
    """Check a region code and return it normalised.

    Parameters
    ----------
    region : str
        ``"32"`` (a province) or ``"32.05"`` (a kabupaten/kota); the undotted
        ``"3205"`` is accepted too.

    Returns
    -------
    str
        The dotted code.

    Raises
    ------
    RegionError
        If the code is not of either form.
    """
    text = str(region).strip()
    if re.fullmatch(r"\d{4}", text):
        text = f"{text[:2]}.{text[2:]}"
    if not _REGION.fullmatch(text):
        raise RegionError(
            "source.bad_region_code", region=repr(region)
        )
    return text


def region_in_use() -> str:
    """The dotted region code in use: ``PETA_REGION`` if set (and well formed), else :data:`DEFAULT_REGION`.

    Raises
    ------
    RegionError
        If ``PETA_REGION`` is set to something that is not a region code (the message names the value).
    """
    value = os.environ.get(REGION_ENV, "").strip()
    return validate_region(value) if value else DEFAULT_REGION


def resolve_region(region: str | None) -> str:
    """``region`` normalised (:func:`geo.source.validate_region`), or the region in use for None."""
    return region_in_use() if region is None else validate_region(region)


def use_region(region: str) -> str:
    """Make ``region`` the region in use for this process (the CLI's ``--region``); return it normalised."""
    code = validate_region(region)
    os.environ[REGION_ENV] = code
    return code


def is_province(region: str | None = None) -> bool:
    """Whether ``region`` (default: the region in use) is the whole province rather than one kabupaten/kota."""
    return resolve_region(region) == PROVINCE


def region_title(region: str, kabupaten_names) -> str:
    """The region's name as a title: ``Kabupaten Garut``, ``Kota Bandung`` or :data:`PROVINCE_NAME`.

    Parameters
    ----------
    region : str
        Dotted region code.
    kabupaten_names : pandas.Series
        The kabupaten/kota names of the region's layer (a kabupaten's: its own name, throughout).
    """
    if validate_region(region) == PROVINCE:
        return PROVINCE_NAME
    return str(kabupaten_names.iloc[0]) if len(kabupaten_names) else region
