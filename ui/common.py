"""Pieces shared by the app's pages: language, data source, cached loading.

The data source is the bundled sample unless the user uploaded a file on
the upload page (kept in ``st.session_state["upload"]`` as name and bytes).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from analysis.coverage import DEFAULT_TARGET
from analysis.dataset import CoverageDataset, load_coverage, update_dataset
from analysis.sample import default_sample_path, sample_path
from core.formatting import LANGS, format_int
from core.i18n import t
from geo.boundaries import load_layer, region_name
from geo.build import gpkg_path
from geo.region import region_in_use
from ui.fingerprint import fingerprint
from ui.history import follow_history
from ui.html import BASE_CSS, banner_html
from ui.markdown import md, md_escape
from ui.state import DEFAULTS, ignored_params, state_from_query

UPLOAD_KEY = "upload"
#: Session key of :func:`session_memo`'s values.
MEMO_KEY = "_memo"
T = TypeVar("T")
#: Session key of the query parameters not understood on arrival.
IGNORED_KEY = "_ignored_query"


class _StatusLines(io.TextIOBase):
    """A text stream that shows each line written to it in a Streamlit status box (the build's progress)."""

    def __init__(self, box) -> None:
        self._box = box

    def write(self, text: str) -> int:
        line = text.strip()
        if line:
            self._box.caption(md_escape(line))
        return len(text)


def prepare_region() -> None:
    """Build what the region in use needs on its first use (boundaries, its sample), with progress on screen.

    A region asked for the first time (``PETA_REGION``) has no boundaries or sample yet: building them takes
    seconds for a kabupaten and about a minute for the province, shown step by step instead of a blank page.
    """
    region = region_in_use()
    if gpkg_path(region).is_file() and default_sample_path(region).is_file():
        return
    asked = st.query_params.get("lang")      # before the language switch is drawn
    lang = asked if asked in LANGS else current_lang()
    with st.status(t("region.preparing", lang, region=region), expanded=True) as box:
        lines = _StatusLines(box)
        load_layer("kabupaten", region, stream=lines)
        box.caption(md_escape(t("region.preparing_sample", lang)))
        sample_path(region)
        box.update(label=t("region.ready", lang, region=region_name(region)), state="complete", expanded=False)


def seed_from_query() -> None:
    """Seed the view widgets from the URL on a session's first run and on Back/Forward."""
    if "_query_seeded" in st.session_state:
        follow_history()
        return
    st.session_state["_query_seeded"] = True
    for key, value in DEFAULTS.items():
        st.session_state.setdefault(key, value)
    codes = set(load_layer("kecamatan_web")["kode"])
    st.session_state.update(state_from_query(st.query_params, codes))
    st.session_state[IGNORED_KEY] = ignored_params(st.query_params, codes)


def language_control() -> str:
    """Render the language switch (bound to ``?lang=``) and return the language."""
    return st.sidebar.segmented_control(
        "Bahasa / Language", LANGS, key="lang",
        format_func=lambda code: {"id": "Indonesia", "en": "English"}[code], required=True,
    )


def current_lang() -> str:
    """The language chosen this run (default Indonesian)."""
    lang = st.session_state.get("lang")
    return lang if lang in LANGS else "id"


@st.cache_data(show_spinner=False, max_entries=8)
def _load(content: bytes | None, filename: str | None, digest: str, target: float,
          columns: tuple[tuple[str, str], ...] | None = None, region: str = "") -> CoverageDataset:
    # ``region``: part of the cache key only (load_coverage reads it from the environment)
    return load_coverage(content, filename=filename, target=target, columns=dict(columns) if columns else None)


def _load_part(part: tuple | None, target: float) -> CoverageDataset:
    """One stored upload ``(name, content[, column mapping])``, or the sample for None."""
    if part is None:
        return _load(None, None, "sample", target, region=region_in_use())
    name, content, *mapping_given = part
    columns = mapping_given[0] if mapping_given else None
    mapping = tuple(sorted(columns.items())) if columns else None
    return _load(content, name, hashlib.sha256(content).hexdigest(), target, mapping, region_in_use())


@st.cache_data(show_spinner=False, max_entries=4)
def _combined(base: tuple | None, updates: tuple[tuple, ...], target: float, region: str) -> CoverageDataset:
    data = _load_part(base, target)
    for part in updates:
        data = update_dataset(data, _load_part(part, target), target=target)
    return data


def dataset(target: float = DEFAULT_TARGET) -> CoverageDataset:
    """The coverage data in use: the upload if there is one (with the column roles the person chose), else the sample.

    ``st.session_state[UPLOAD_KEY]`` is ``(file name, content[, column mapping or None])`` for a file used
    alone, or ``{"base": such a tuple or None (the sample), "updates": [tuples]}`` for files that update
    some desa of the data before them (:func:`analysis.dataset.update_dataset`).
    """
    upload = st.session_state.get(UPLOAD_KEY)
    if isinstance(upload, dict):
        return _combined(upload["base"], tuple(upload["updates"]), target, region_in_use())
    return _load_part(upload, target)


def dataset_key(target: float = DEFAULT_TARGET) -> str:
    """A digest of what :func:`dataset` is computed from (the stored upload, the target, the region)."""
    return fingerprint((st.session_state.get(UPLOAD_KEY), target, region_in_use()))


def session_memo(name: str, key: str, compute: Callable[[], T]) -> T:
    """``compute()``, computed again only when ``key`` changed since this session last computed ``name``.

    For figures a rerun would otherwise compute again from the same data (the trend of every period).
    An exception is raised each time and not kept.
    """
    memo = st.session_state.setdefault(MEMO_KEY, {})
    kept = memo.get(name)
    if kept is None or kept[0] != key:
        memo[name] = kept = (key, compute())
    return kept[1]


def page_header(data: CoverageDataset, lang: str, banner: bool = True) -> None:
    """Styles, the sample banner when sample data is in use, and a warning when the workers are estimated.

    ``banner=False``: the page shows the sample badge itself (the briefing's title block).
    """
    st.markdown(BASE_CSS, unsafe_allow_html=True)
    if data.is_sample and banner:
        st.markdown(banner_html(t("sample.banner", lang)), unsafe_allow_html=True)
    workers_estimate_warning(getattr(data, "workers_estimate", None), lang)


def workers_estimate_warning(estimate: dict | None, lang: str) -> None:
    """Say plainly that the workers are estimated (from what, as of when), when they are."""
    if estimate:
        st.warning(md("data.workers_estimated", lang, source=estimate["label"], date=estimate.get("date") or "-",
                      total=format_int(estimate["total"], lang)))
