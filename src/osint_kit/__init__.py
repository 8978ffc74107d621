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
    "load_case": "case",
    "Case": "case",
    "new_case": "case",
    "parse_dates": "dates",
    "resolve_places": "places",
    "geodesic_km": "places",
}
_SUBMODULES = {
    "case", "schemas", "dates", "places", "relays", "travel", "events", "corroboration",
    "timeline", "maps", "matrix", "export", "cli",
}

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
    from osint_kit.case import Case, load_case, new_case
    from osint_kit.dates import parse_dates
    from osint_kit.places import geodesic_km, resolve_places


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module = importlib.import_module(f"osint_kit.{_LAZY[name]}")
        return getattr(module, name)
    if name in _SUBMODULES:
        return importlib.import_module(f"osint_kit.{name}")
    raise AttributeError(f"module 'osint_kit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY) | _SUBMODULES)
