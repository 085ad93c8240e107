"""Every page in English shows no Indonesian sentence, and in Indonesian no English one.

Each page runs in AppTest in both languages; every text a person reads (labels,
help, options, markdown, captions, alerts, metric labels, table headers, chart
titles) is collected and checked two ways:

* no catalog text of the other language (one that differs between the two) appears;
* no function word of the other language appears (``the``, ``and``, ``with`` …
  on Indonesian pages; ``yang``, ``dan``, ``untuk`` … on English ones).

Place names are data, not sentences, and the language switch names both
languages by their own names on purpose; both are left out.
"""

from __future__ import annotations

import html
import json
import re

import pytest
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from core.i18n import STRINGS
from geo.boundaries import load_layer
from geo.paths import PROJECT_ROOT

MAIN_APP = str(PROJECT_ROOT / "streamlit_app.py")
OUTREACH_APP = str(PROJECT_ROOT / "tests" / "outreach_app.py")
UPLOAD_APP = str(PROJECT_ROOT / "tests" / "apps" / "upload_page.py")
#: The language switch names each language in that language.
LANGUAGE_NAMES = {"Indonesia", "English", "Bahasa Indonesia", "Bahasa / Language"}
FUNCTION_WORDS = {
    "id": re.compile(r"\b(the|and|with|of|is|are|from|this|that|for|not|or|by|has|have|which|will|your)\b", re.I),
    "en": re.compile(r"\b(yang|dan|untuk|tidak|dengan|dari|ini|atau|belum|sudah|oleh|pada|akan|dalam|setiap)\b",
                     re.I),
}
_TEXT_KEYS = {"label", "help", "body", "content", "options", "rawValue", "rawValues", "placeholder"}


def _strings(value, key=""):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, key)
    elif isinstance(value, str) and key in _TEXT_KEYS:
        yield value


def _plain(text: str) -> str:
    text = re.sub(r"<style.*?</style>", " ", text, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return html.unescape(text)


def _walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def page_texts(at: AppTest) -> list[str]:
    """Every text a person reads on the page (not the map's script, not the table cells)."""
    texts = []
    for node in _walk(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None or getattr(proto, "component_name", "") == "streamlit_folium.st_folium":
            continue
        data = MessageToDict(proto)
        texts.extend(_plain(s) for s in _strings(data))
        spec = data.get("spec")
        if spec:
            texts.extend(str(v) for k, v in _json_items(json.loads(spec)) if k == "title" and isinstance(v, str))
    for frame in at.dataframe:
        texts.extend(str(c) for c in frame.value.columns)
    for metric in at.metric:
        texts.append(metric.label)
    return [t.strip() for t in texts if t and t.strip() and t.strip() not in LANGUAGE_NAMES]


def _json_items(value):
    if isinstance(value, dict):
        for k, v in value.items():
            yield k, v
            yield from _json_items(v)
    elif isinstance(value, list):
        for v in value:
            yield from _json_items(v)


@pytest.fixture(scope="module")
def place_names() -> re.Pattern:
    names = set(load_layer("desa")["nama"]) | set(load_layer("kecamatan")["nama"])
    return re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))


def _other_language_texts(lang: str) -> list[str]:
    other = "en" if lang == "id" else "id"
    mine = STRINGS[lang]
    found = []
    for key, text in STRINGS[other].items():
        if text == mine[key] or "{" in text or len(text.split()) < 3:
            continue
        found.append(text)
    return found


def foreign_texts(texts: list[str], lang: str, place_names: re.Pattern) -> list[str]:
    """The texts that hold a sentence of the other language."""
    others = _other_language_texts(lang)
    bad = []
    for text in texts:
        stripped = re.sub(r"\S*[/\\_]\S*", " ", place_names.sub(" ", text))  # file paths and codes are data
        if FUNCTION_WORDS[lang].search(stripped) or any(other in text for other in others):
            bad.append(text[:160])
    return bad


def _run(script: str, lang: str, page: str | None = None) -> AppTest:
    at = AppTest.from_file(script, default_timeout=120)
    at.query_params["lang"] = lang
    if page:
        at.query_params["page"] = page
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    return at


PAGES = [
    ("map", MAIN_APP, None),
    ("priorities", OUTREACH_APP, "priorities"),
    ("visits", OUTREACH_APP, "visits"),
    ("whatif", OUTREACH_APP, "whatif"),
    ("companies", OUTREACH_APP, "companies"),
    ("upload", UPLOAD_APP, None),
]


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize(("name", "script", "page"), PAGES, ids=[p[0] for p in PAGES])
def test_page_speaks_one_language(name, script, page, lang, place_names, tmp_path, monkeypatch):
    monkeypatch.setenv("PETA_APP_DB", str(tmp_path / "app.db"))
    texts = page_texts(_run(script, lang, page))
    assert len(texts) > 3, f"the {name} page showed text"
    assert foreign_texts(texts, lang, place_names) == []


def test_checker_sees_the_other_language(place_names):
    english = ["Coverage rate", "Villages to visit first", "The sites layer cannot be loaded"]
    indonesian = ["Tingkat cakupan", "Desa yang perlu dikunjungi", "Cisurupan dan Garut Kota"]
    assert foreign_texts(english, "id", place_names) == english[1:]   # catalog text; function word
    assert foreign_texts(indonesian, "en", place_names) == ["Desa yang perlu dikunjungi", "Cisurupan dan Garut Kota"]
    assert foreign_texts(["Kecamatan Cisurupan", "Log in /tmp/pytest-of-root/app.db"], "id", place_names) == []
