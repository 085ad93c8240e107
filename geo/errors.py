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


class CoverageInputError(PetaCakupanError, ValueError):
    """A coverage table handed to ``analysis.coverage`` is inconsistent (codes, periods, counts)."""
