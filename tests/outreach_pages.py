"""AppTest helpers for the pages of ``tests/outreach_app.py``: run one page, read what it shows."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from geo.paths import PROJECT_ROOT
from tests.markdown_text import shown

APP = str(PROJECT_ROOT / "tests" / "outreach_app.py")


def run_page(page: str, lang: str = "id", **state) -> AppTest:
    """Run one outreach page (``?page=``) in ``lang`` with ``state`` in its session; fail on an exception."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["page"] = page
    at.query_params["lang"] = lang
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def page_text(at: AppTest) -> str:
    """Every text the page shows (Markdown, captions, alerts, titles), Markdown escapes resolved."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [e.value for e in (*at.warning, *at.info, *at.error, *at.success)]
    parts += [h.value for h in (*at.title, *at.header, *at.subheader)]
    return shown("\n".join(parts))
