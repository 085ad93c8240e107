"""URL query parameters of the map view: reading, checking and writing them.

Level, kecamatan, metric, scheme, bands, language and mode live in the query
string, so a planner can send a link that opens the same view.  The values
are the stable keys (``metric=coverage_rate``), never translated labels.
:func:`state_from_query` keeps only understood values (the app seeds its
widgets with them on the first run of a session), :func:`ignored_params`
names the rest so the page can say so, and :func:`query_from_state` writes
the current view back, leaving out defaults to keep links short.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from analysis.classify import SCHEMES
from analysis.metrics import METRICS
from core.formatting import LANGS

LEVELS = ("kecamatan", "desa")
#: The scheme value meaning "the metric's own default" (target bands for rates, the level scale for counts).
AUTO_SCHEME = "auto"
MODES = ("normal", "briefing")
CHOICES: dict[str, tuple[str, ...]] = {
    "level": LEVELS, "metric": tuple(METRICS), "scheme": (AUTO_SCHEME, *SCHEMES), "lang": LANGS, "mode": MODES,
}
_KEC = re.compile(r"^\d{2}\.\d{2}\.\d{2}$")

#: Value of ``kec`` meaning the whole kabupaten (a selectbox shows None as "no choice").
ALL_KECAMATAN = ""

#: Every query parameter of the view and its default value.
DEFAULTS: dict[str, str] = {
    "level": "kecamatan", "kec": ALL_KECAMATAN, "metric": "coverage_rate", "scheme": AUTO_SCHEME,
    "bands": "30,50,70", "mode": "normal", "lang": "id",
}


def bands_from_text(text: str) -> tuple[float, ...] | None:
    """Parse band edges in percent, ``"30,50,70"`` -> ``(0.3, 0.5, 0.7)``.

    Returns None when malformed: not numbers, outside (0, 100), not strictly
    increasing, or empty.
    """
    try:
        values = tuple(float(part.strip().replace("%", "")) / 100 for part in text.split(","))
    except (ValueError, AttributeError):
        return None
    if not values or any(not 0 < v < 1 for v in values) or list(values) != sorted(set(values)):
        return None
    return values


def _first(value: object) -> str | None:
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    return None if value is None else str(value)


def ignored_params(params: Mapping[str, object], kecamatan_codes: set[str] | None = None) -> list[str]:
    """Return ``key=value`` for query parameters whose value is not understood.

    Parameters
    ----------
    params : mapping
        ``st.query_params`` or a dict.
    kecamatan_codes : set of str, optional
        Valid kecamatan codes; without it ``kec`` is checked for its format only.
    """
    ignored = []
    for key, allowed in CHOICES.items():
        value = _first(params.get(key))
        if value is not None and value not in allowed:
            ignored.append(f"{key}={value}")
    kec = _first(params.get("kec"))
    if kec is not None and not (_KEC.fullmatch(kec) and (kecamatan_codes is None or kec in kecamatan_codes)):
        ignored.append(f"kec={kec}")
    bands = _first(params.get("bands"))
    if bands is not None and bands_from_text(bands) is None:
        ignored.append(f"bands={bands}")
    return ignored


def state_from_query(params: Mapping[str, object], kecamatan_codes: set[str] | None = None) -> dict[str, str]:
    """Return the understood view parameters of a query string.

    Parameters
    ----------
    params : mapping
        ``st.query_params`` or a dict.
    kecamatan_codes : set of str, optional
        Valid kecamatan codes.

    Returns
    -------
    dict
        Only keys of :data:`DEFAULTS` whose value is valid; ``kec`` implies
        ``level="desa"`` unless the level says otherwise.
    """
    bad = {item.split("=", 1)[0] for item in ignored_params(params, kecamatan_codes)}
    state = {key: _first(params.get(key)) for key in DEFAULTS if key not in bad and params.get(key) is not None}
    if state.get("kec"):
        state.setdefault("level", "desa")
    if state.get("level") == "kecamatan":
        state.pop("kec", None)
    return state


def query_from_state(state: Mapping[str, object]) -> dict[str, str]:
    """Return the query parameters of a view, leaving out defaults."""
    out = {}
    for key, default in DEFAULTS.items():
        value = state.get(key)
        if value is not None and value != default:
            out[key] = str(value)
    return out
