"""osint-kit: an offline, Jupyter-based investigation notebook kit.

``import osint_kit`` is kept fast: submodules (and the heavy libraries they
use: pandera, pyproj, matplotlib, folium) load on first use.

>>> import osint_kit
>>> case = osint_kit.load_case("ru-ir-missile-experts-2024")  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from osint_kit.errors import (
    CaseError,
    CaseFileError,
    CaseValidationError,
    CycleError,
    OsintKitError,
)

__version__ = "0.1.0"

# name -> submodule that defines it; resolved on first attribute access (PEP 562).
_LAZY = {
    "load_case": "readers.bundle",
    "Case": "readers.bundle",
    "new_case": "readers.bundle",
    "parse_dates": "analysis.dates",
    "resolve_places": "analysis.places",
    "geodesic_km": "analysis.places",
}
_SUBMODULES = {"schema", "io", "analysis", "readers", "views", "report", "practice", "cli"}

__all__ = [
    "CaseError",
    "CaseFileError",
    "CaseValidationError",
    "CycleError",
    "OsintKitError",
    "__version__",
    *_LAZY,
]

if TYPE_CHECKING:  # pragma: no cover
    from osint_kit.readers.bundle import Case, load_case, new_case
    from osint_kit.analysis.dates import parse_dates
    from osint_kit.analysis.places import geodesic_km, resolve_places


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module = importlib.import_module(f"osint_kit.{_LAZY[name]}")
        return getattr(module, name)
    if name in _SUBMODULES:
        return importlib.import_module(f"osint_kit.{name}")
    raise AttributeError(f"module 'osint_kit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY) | _SUBMODULES)
