"""The gettext catalogs: complete in both languages, compiled, and the only source of text."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import core.errors
from analysis.classify import ClassificationError
from core.i18n import LANGS, STRINGS, catalog_path
from render.maps.web_assets import UnknownAssetError

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("core", "geo", "ingest", "analysis", "render", "cli", "ui")
#: The project's own errors (what a person reads); built-in ValueErrors mark programming mistakes.
PROJECT_ERRORS = {name for name, value in vars(core.errors).items()
                  if isinstance(value, type) and issubclass(value, core.errors.PetaCakupanError)}
PROJECT_ERRORS |= {ClassificationError.__name__, UnknownAssetError.__name__}


def _catalog(lang: str):
    with catalog_path(lang, ".po").open("rb") as handle:
        return read_po(handle, locale=lang)


def _fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("lang", LANGS)
def test_every_message_is_translated_and_not_fuzzy(lang):
    catalog = _catalog(lang)
    other = _catalog("en" if lang == "id" else "id")
    assert {m.id for m in catalog if m.id} == {m.id for m in other if m.id}
    missing = [m.id for m in catalog if m.id and not (m.string or "").strip()]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert missing == [] and fuzzy == []
    for message in catalog:
        if message.id:
            assert _fields(message.string) == _fields(other[message.id].string), message.id


@pytest.mark.parametrize("lang", LANGS)
def test_compiled_catalog_matches_the_po_file(lang):
    po = {m.id: m.string for m in _catalog(lang) if m.id}
    assert dict(STRINGS[lang]) == po


def _literal_keys() -> set[str]:
    keys = set()
    for package in PACKAGES:
        for _file, _line, message, _comments, _context in extract_from_dir(
                ROOT / package, method_map=[("**.py", "python")], keywords={"t": None, "Message": None},
                comment_tags=(), strip_comment_tags=True):
            if isinstance(message, str) and re.fullmatch(r"[a-z0-9_]+(\.[a-z0-9_]+)+", message):
                keys.add(message)
    return keys


def test_every_key_the_code_names_is_in_the_catalogs():
    keys = _literal_keys()
    assert len(keys) > 250, "the extractor found the code's keys"
    assert sorted(keys - set(STRINGS["id"])) == []


def _error_keys() -> list[tuple[str, int, str]]:
    found = []
    for path in sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            position = 1 if name == "_file_error" else 0 if name in PROJECT_ERRORS else None
            if position is None or len(node.args) <= position:
                continue
            arg = node.args[position]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                names = {k.arg for k in node.keywords if k.arg and k.arg != "field"}
                if name == "_file_error":
                    names.add("file")
                found.append((str(path.relative_to(ROOT)), node.lineno, arg.value, frozenset(names),
                              any(k.arg is None for k in node.keywords)))
            elif name != "_file_error" and isinstance(arg, ast.JoinedStr):
                found.append((str(path.relative_to(ROOT)), node.lineno, "<f-string>", frozenset(), False))
    return found


def test_every_error_carries_a_catalog_key():
    errors = _error_keys()
    assert len(errors) > 100
    bad = [(path, line, key) for path, line, key, _names, _rest in errors if f"error.{key}" not in STRINGS["id"]]
    assert bad == []
    wrong = [(path, line, key, sorted(names), sorted(_fields(STRINGS["en"][f"error.{key}"])))
             for path, line, key, names, rest in errors
             if not rest and names != _fields(STRINGS["en"][f"error.{key}"])]
    assert wrong == [], "the raise passes other parameters than its message has"


_ID_WORDS = re.compile(r"\b(yang|dan|tidak|untuk|dengan|berkas|baris|kolom|isi|periksa)\b", re.I)
_EN_WORDS = re.compile(r"\b(the|and|not|with|file|row|column|check|fill|is)\b", re.I)


def _joined_strings(path: Path) -> list[tuple[int, str]]:
    out = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and " / " in node.value:
            left, _, right = node.value.partition(" / ")
            if (_ID_WORDS.search(left) and _EN_WORDS.search(right)) or (_EN_WORDS.search(left)
                                                                       and _ID_WORDS.search(right)):
                out.append((node.lineno, node.value[:80]))
    return out


def test_no_pre_joined_indonesian_english_sentences_in_code():
    joined = {str(p.relative_to(ROOT)): found for package in PACKAGES for p in (ROOT / package).rglob("*.py")
              if (found := _joined_strings(p))}
    assert joined == {}


def test_joined_sentence_check_sees_one(tmp_path):
    sample = tmp_path / "m.py"
    sample.write_text('X = "Isi sel ini. / Fill in this cell."\nY = "a / b"\n')
    assert _joined_strings(sample) == [(1, "Isi sel ini. / Fill in this cell.")]
