"""The kit's exception family.

Every error the kit raises on bad input derives from :class:`OsintKitError`
and says *where* (file, row, column, value) and *what to do*.  Validation
collects every problem before raising, so one run lists them all
(the followthemoney ``InvalidData(errors=...)`` habit).
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "OsintKitError",
    "CaseError",
    "CaseFileError",
    "CaseValidationError",
    "CycleError",
    "InputFileError",
    "DateParseError",
    "PlaceResolutionError",
    "OfflineError",
    "ExportError",
]


class OsintKitError(Exception):
    """Root of every error raised by osint-kit."""


class CaseError(OsintKitError):
    """A case bundle cannot be used as it is.

    ``errors`` holds one line per problem (already formatted with file, row,
    column, value and fix); ``problems`` the same as a DataFrame when the
    error comes from row validation.
    """

    def __init__(self, message: str, errors: Sequence[str] = (), problems=None):
        self.errors = list(errors)
        self.problems = problems
        if self.errors:
            message = message + "\n" + "\n".join(f"  - {e}" for e in self.errors)
        super().__init__(message)


class CaseFileError(CaseError):
    """A file of the bundle is missing, empty, mis-encoded or mis-shaped."""


class CaseValidationError(CaseError):
    """Rows of the bundle break the schema (raised in strict mode)."""


class CycleError(CaseError):
    """``derived_from`` links form a cycle: no source can be its own origin."""

    def __init__(self, message: str, cycles: Sequence[Sequence[str]] = ()):
        self.cycles = [list(c) for c in cycles]
        super().__init__(message)


class InputFileError(OsintKitError):
    """An input file other than a case bundle (a booking export, an OpenSky
    list, an ACLED export, a TimelineJS sheet) is missing, empty, unreadable or
    lacks the columns its format needs.  The message names the file and the fix."""


class DateParseError(OsintKitError):
    """A date text cannot be turned into an interval (strict parsing)."""


class PlaceResolutionError(OsintKitError):
    """A place name or code cannot be resolved (strict resolution)."""


class OfflineError(OsintKitError):
    """Online look-up asked for, but the network cannot be reached."""


class ExportError(OsintKitError, ValueError):
    """A figure or table cannot be written as asked: an unknown format, or a
    table whose column names repeat.  Nothing is written; the message says
    what to change.  (A ``ValueError`` too, as the format check always was.)"""
