"""Exception hierarchy of the project.

Modelled on pyogrio's ``errors`` module: one base class so callers can catch
everything the project raises on purpose, and a few subclasses that say what
kind of thing went wrong.  Every message says what is wrong, the values
involved and how to fix it.
"""

from __future__ import annotations


class PetaCakupanError(Exception):
    """Base class of every error this project raises on purpose."""


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

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


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
