"""Exception hierarchy of the project.

Modelled on pyogrio's ``errors`` module: one base class so callers can catch
everything the project raises on purpose, and a few subclasses that say what
kind of thing went wrong.  Every message says what is wrong, the values
involved and how to fix it.

An error carries a catalog key and its parameters, never a finished
sentence: ``exc.message(lang)`` is the text in the reader's language (the UI
and the CLI show that), ``str(exc)`` the English text for logs and
tracebacks.  The catalog key is ``error.<key>``.

>>> exc = ExportError("naming.bad_period", period="'2024/6'")
>>> exc.message("id")
"Periode '2024/6' bukan YYYY-MM (misalnya 2024-06)."
"""

from __future__ import annotations

from typing import Any

from core.i18n import DEFAULT_LANG, t


class PetaCakupanError(Exception):
    """Base class of every error this project raises on purpose.

    Parameters
    ----------
    key : str
        Catalog key below ``error.`` (e.g. ``"reader.empty"``).
    **params
        Values for the message's placeholders (text, numbers or messages).
    """

    def __init__(self, key: str, /, **params: Any) -> None:
        t(f"error.{key}", DEFAULT_LANG, **params)  # fail here, at the raise, on a missing key or parameter
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self, lang: str = DEFAULT_LANG) -> str:
        """The message in a language (``"id"`` or ``"en"``)."""
        return t(f"error.{self.key}", lang, **self.params)

    def __str__(self) -> str:
        return self.message("en")

    def __reduce__(self):
        return (_rebuild, (type(self), self.key, self.params))


def _rebuild(cls: type[PetaCakupanError], key: str, params: dict[str, Any]) -> PetaCakupanError:
    return cls(key, **params)


class SourceNotFoundError(PetaCakupanError, FileNotFoundError):
    """A reference data source (boundaries, code lists) is missing."""


class SourceCorruptError(PetaCakupanError, ValueError):
    """A reference data source exists but cannot be read as expected."""


class RegionError(PetaCakupanError, ValueError):
    """A region code is malformed or not present in the source."""


class BoundaryBuildError(PetaCakupanError, RuntimeError):
    """The boundary build produced geometry that fails its own checks."""


class ConfigError(PetaCakupanError, ValueError):
    """A settings file (config/outreach.toml) is unreadable or holds invalid values."""


class SiteFileError(PetaCakupanError, ValueError):
    """A sites file cannot be read at all (format, encoding, missing columns)."""


class VisitValidationError(PetaCakupanError, ValueError):
    """A visit to record is invalid (future date, unknown desa, negative count).

    ``field`` names the offending input so a form can mark it.
    """

    def __init__(self, key: str, /, field: str = "", **params: Any) -> None:
        super().__init__(key, **params)
        self.field = field

    def __reduce__(self):
        return (_rebuild_visit, (self.key, self.field, self.params))


def _rebuild_visit(key: str, field: str, params: dict[str, Any]) -> VisitValidationError:
    return VisitValidationError(key, field=field, **params)


class CoverageInputError(PetaCakupanError, ValueError):
    """A coverage table handed to ``analysis.coverage`` is inconsistent (codes, periods, counts)."""


class InputFileError(PetaCakupanError, ValueError):
    """An uploaded or given input file cannot be read as a table at all.

    Raised for whole-file problems (empty, binary, not a table, no region key
    column, wrong sheet, over the size limit); problems in single rows are
    reported row by row instead.  The message names the file and the fix.
    """


class ExportError(PetaCakupanError, ValueError):
    """An export was asked for with an unknown or impossible combination (what, format, level, metric)."""


class StoreError(PetaCakupanError, RuntimeError):
    """The app database cannot be reached or used (server down, bad URL, locked file)."""


class AccessError(PetaCakupanError, PermissionError):
    """A signed-in user (or nobody) asked for something their role does not allow, or a login was refused."""
