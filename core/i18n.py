"""Every text a person reads, from the gettext catalogs, in Bahasa Indonesia (default) and English.

>>> t("metric.coverage_rate")
'Tingkat cakupan'
>>> t("metric.coverage_rate", "en")
'Coverage rate'
>>> t("upload.success", "en", rows=10, matched=9, rejected=1)
'10 rows read: 9 matched to an area, 1 rejected.'

The catalogs are ``core/locale/<lang>/LC_MESSAGES/messages.po`` (committed,
edited with Babel's tools); ``make setup`` compiles them to ``.mo`` files,
which are read here.  Message ids are stable dotted keys (``area.key``);
both languages have exactly the same keys and ``{placeholders}`` (tests check
it).  Strings are plain text: escape them for the place they land in (HTML,
JavaScript, Markdown) yourself; the renderers do.

Errors and row problems carry a key and parameters (:class:`Message`), so
that each is shown in the reader's language where it is shown.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

#: Supported UI languages; the first is the default.
LANGS: tuple[str, ...] = ("id", "en")
DEFAULT_LANG = "id"
#: Where the catalogs live (package data).
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is a supported UI language.

    Parameters
    ----------
    lang : str
        ``"id"`` or ``"en"``.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        For any other value.
    """
    if lang not in LANGS:
        raise ValueError(f"Unsupported language {lang!r}; choose one of {LANGS}.")
    return lang


def env_lang(environ: Mapping[str, str] | None = None) -> str:
    """The language the environment asks for (``PETA_LANG``, then ``LANGUAGE``/``LC_ALL``/``LANG``), else ``id``.

    Parameters
    ----------
    environ : mapping, optional
        Default ``os.environ``.
    """
    environ = os.environ if environ is None else environ
    for name in ("PETA_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = (environ.get(name) or "").strip()
        for part in value.split(":"):
            code = part.split(".")[0].split("_")[0].lower()
            if code in LANGS:
                return code
    return DEFAULT_LANG


def catalog_path(lang: str, suffix: str = ".mo") -> Path:
    """Path of a language's compiled (``.mo``) or source (``.po``) catalog."""
    return LOCALE_DIR / check_lang(lang) / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


@lru_cache(maxsize=None)
def _catalog(lang: str) -> dict[str, str]:
    """The compiled catalog of a language as ``{key: text}``."""
    path = catalog_path(lang)
    source = catalog_path(lang, ".po")
    if not path.is_file():
        raise FileNotFoundError(
            f"The {lang!r} message catalog {path} is not compiled. Run `make setup` "
            f"(it runs `pybabel compile -d {LOCALE_DIR.relative_to(LOCALE_DIR.parents[1])}`)."
        )
    if source.is_file() and source.stat().st_mtime > path.stat().st_mtime:
        raise FileNotFoundError(
            f"The {lang!r} message catalog {path} is older than {source.name}. Run `make setup` to recompile it."
        )
    with path.open("rb") as handle:
        translations = gettext.GNUTranslations(handle)
    return {key: text for key, text in translations._catalog.items() if isinstance(key, str) and key}


class _Strings(Mapping):
    """Read-only ``{lang: {key: text}}`` view of the compiled catalogs."""

    def __getitem__(self, lang: str) -> Mapping[str, str]:
        if lang not in LANGS:
            raise KeyError(lang)
        return MappingProxyType(_catalog(lang))

    def __iter__(self):
        return iter(LANGS)

    def __len__(self) -> int:
        return len(LANGS)


#: The catalogs, per language (read-only).
STRINGS: Mapping[str, Mapping[str, str]] = _Strings()


def t(key: str, lang: str = DEFAULT_LANG, **params: object) -> str:
    """Return a catalog text in a language, with ``{placeholders}`` filled in.

    Parameters
    ----------
    key : str
        Dotted key, e.g. ``"metric.coverage_rate"``.
    lang : str
        ``"id"`` (default) or ``"en"``.
    **params
        Values for the placeholders (already formatted numbers: use
        :mod:`core.formatting`).  A :class:`Message` value is shown in ``lang``.

    Returns
    -------
    str
        Plain text, not escaped.

    Raises
    ------
    KeyError
        For a key that is not in the catalog.
    ValueError
        For an unknown language.
    """
    table = _catalog(check_lang(lang))
    if key not in table:
        raise KeyError(f"No catalog text {key!r} in {catalog_path(lang, '.po')}; add it to both languages.")
    text = table[key]
    if not params:
        return text
    return text.format(**{name: localize(value, lang) for name, value in params.items()})


class Message(str):
    """A catalog message with its parameters, shown in the reader's language where it is shown.

    As a ``str`` (JSON reports, logs, ``in`` tests) it reads in the default
    language; :meth:`text` gives any language.  Parameters may be messages
    themselves (a reason inside a sentence).

    >>> m = Message("reason.not_a_number")
    >>> m, m.text("en")
    ('bukan angka', 'not a number')
    """

    key: str
    params: dict[str, Any]

    def __new__(cls, key: str, /, **params: Any) -> Message:
        self = super().__new__(cls, t(key, DEFAULT_LANG, **params))
        self.key = key
        self.params = params
        return self

    def text(self, lang: str = DEFAULT_LANG) -> str:
        """The message in a language."""
        return t(self.key, lang, **self.params)

    def __reduce__(self):  # caches pickle it: rebuild from key and parameters, not from the text
        return (_rebuild_message, (self.key, self.params))


def _rebuild_message(key: str, params: dict[str, Any]) -> Message:
    return Message(key, **params)


class Joined(str):
    """Several texts joined by ``sep``, each shown in the reader's language (a list of categories, say).

    >>> Joined([Message("sites.category.rafting"), "Situ Bagendit"]).text("en")
    'Rafting, Situ Bagendit'
    """

    items: tuple[Any, ...]
    sep: str

    def __new__(cls, items: Any, sep: str = ", ") -> Joined:
        items = tuple(items)
        self = super().__new__(cls, cls._finish(sep.join(str(localize(item, DEFAULT_LANG)) for item in items)))
        self.items = items
        self.sep = sep
        return self

    @staticmethod
    def _finish(text: str) -> str:
        return text

    def text(self, lang: str = DEFAULT_LANG) -> str:
        """The joined texts in a language."""
        return self._finish(self.sep.join(str(localize(item, lang)) for item in self.items))

    def __reduce__(self):
        return (type(self), (self.items, self.sep))


class Sentence(Joined):
    """Phrases joined by ``"; "`` into one sentence: first letter capitalised, a full stop at the end.

    >>> Sentence([Message("prio.reason.never_visited")]).text("en")
    'Never visited.'
    """

    def __new__(cls, items: Any, sep: str = "; ") -> Sentence:
        return super().__new__(cls, items, sep)

    @staticmethod
    def _finish(text: str) -> str:
        return text[:1].upper() + text[1:] + "."


def localize(value: Any, lang: str = DEFAULT_LANG) -> Any:
    """A message, error or figure in a language; any other value as it is.

    Parameters
    ----------
    value : object
        A :class:`Message`/:class:`Joined` or any object with ``text(lang)``
        (:class:`core.formatting.Figure`), an error of :mod:`core.errors`
        (``message(lang)``), or anything else (returned as is).
    lang : str
    """
    if hasattr(value, "key") and callable(getattr(value, "message", None)):
        return value.message(lang)
    text = getattr(value, "text", None)
    return text(lang) if callable(text) else value


def localize_all(value: Any, lang: str = DEFAULT_LANG) -> Any:
    """:func:`localize` every message inside dicts, lists and tuples (a JSON report, say)."""
    if isinstance(value, dict):
        return {key: localize_all(item, lang) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(localize_all(item, lang) for item in value)
    return localize(value, lang)


def localize_escaped(value: Any, lang: str, escape: Callable[[str], str]) -> str:
    """A message in a language with every outside text in it passed through ``escape``.

    Catalog texts are trusted markup; the plain strings among a message's
    parameters (file names, headers, cell values: whatever a file or a person
    brought) are not, so only they are escaped, at any depth (a message
    inside an error inside a message).  Figures (numbers formatted here) are
    escaped too, as text.

    Parameters
    ----------
    value : object
        A :class:`Message`, :class:`Joined`, an error of :mod:`core.errors`
        (``key`` and ``params``), an object with ``text(lang)`` or any value.
    lang : str
    escape : callable
        ``str -> str`` for the context the text lands in (Markdown, HTML).
    """
    if isinstance(value, Joined):
        parts = [localize_escaped(item, lang, escape) for item in value.items]
        return value._finish(value.sep.join(parts))
    if isinstance(value, Message):
        key, params = value.key, value.params
    elif hasattr(value, "key") and isinstance(getattr(value, "params", None), dict) and callable(
            getattr(value, "message", None)):
        key, params = f"error.{value.key}", value.params
    else:
        return escape(str(localize(value, lang)))
    return t(key, lang, **{name: localize_escaped(item, lang, escape) for name, item in params.items()})
