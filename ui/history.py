"""Browser history of the map view: Back and Forward move through drill-downs and view changes.

The view lives in the URL (see :mod:`ui.state`).  Streamlit (pinned in
``requirements.txt``) does the browser side itself: when a run changes
``st.query_params`` it pushes a new history entry, and when the reader goes
Back or Forward it reruns the page with that entry's query string, marked as a
history navigation, and only *replaces* the address during that run, so the
entries ahead of it are kept.  What Streamlit cannot know is how this app's
view follows from the URL: :func:`follow_history` puts the entry's view into
the widgets at the start of such a run, before the page writes the view back.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from geo.boundaries import load_layer
from ui.state import DEFAULTS, state_from_query


def is_history_navigation() -> bool:
    """Whether this run was started by the browser's Back or Forward button."""
    ctx = get_script_run_ctx()
    return bool(ctx is not None and ctx.is_history_navigation)


def follow_history() -> bool:
    """On a Back/Forward run, set the view widgets to the URL's view; return whether it did.

    Parameters missing from the entry's URL are the defaults (the URL leaves
    defaults out), so going Back to the plain map resets the drill-down.  The
    language is the exception: only the map page writes it into the address,
    so an entry of another page without it keeps the language being read.
    """
    if not is_history_navigation():
        return False
    codes = set(load_layer("kecamatan_web")["kode"])
    defaults = {key: value for key, value in DEFAULTS.items() if key != "lang"}
    st.session_state.update({**defaults, **state_from_query(st.query_params, codes)})
    return True
