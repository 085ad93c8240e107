"""Browser history for the map view: Back undoes a drill-down, a metric or a level change.

Streamlit keeps the view in the URL, but a browser Back only changes the
address: the app does not rerun.  :func:`remember_view` puts a small
component on the page (``ui/components/history/index.html``, served by
Streamlit from this folder, nothing fetched from outside) that makes each new
view its own history entry when Streamlit has not (``pushState``) and, when
the reader goes Back, sends that entry's query string back: :func:`_go_to`
puts that view into the widgets before the next run.  Forward after Back is
not reliable yet (Streamlit may write a fresh entry when the view changes).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlencode

import streamlit as st
import streamlit.components.v1 as components

from geo.boundaries import load_layer
from ui.state import DEFAULTS, state_from_query

_component = components.declare_component("peta_history", path=str(Path(__file__).with_name("components") / "history"))
KEY = "peta_history"
#: Session key of the query of the view shown before this run.
_PREVIOUS = "_history_previous_query"


def _go_to() -> None:
    """Back/Forward: set the view widgets to the popped entry's query (runs before the next script run)."""
    value = st.session_state.get(KEY) or {}
    params = {k: v[-1] for k, v in parse_qs(str(value.get("query", ""))).items()}
    codes = set(load_layer("kecamatan_web")["kode"])
    st.session_state.update({**DEFAULTS, **state_from_query(params, codes)})
    st.session_state[_PREVIOUS] = None   # the entry already exists: nothing to push


def remember_view(query: dict[str, str]) -> None:
    """Make the view a browser history entry (see the module notes)."""
    previous = st.session_state.get(_PREVIOUS)
    st.session_state[_PREVIOUS] = dict(query)
    _component(query=urlencode(query), previous=None if previous is None else urlencode(previous), key=KEY,
               default=None, on_change=_go_to)
