"""osint-kit: an offline, Jupyter-based investigation notebook kit.

The front door: ``import osint_kit as ok`` shows what an investigation calls,
in the order of the data flow (read, analyse, draw, export), and the errors.

>>> import osint_kit as ok
>>> case = ok.load_case("ru-ir-missile-experts-2024")  # doctest: +SKIP
>>> co = ok.corroborate(case).check()                    # doctest: +SKIP
>>> ok.plot_matrix(co)                                   # doctest: +SKIP

Everything else lives in the subpackages, named for the layer it belongs to:
:mod:`osint_kit.readers` (bundle, exports, events), :mod:`osint_kit.analysis`
(dates, places, names, documents, legs, relays, corroboration, ach),
:mod:`osint_kit.views` (timeline, maps, matrix, offline HTML),
:mod:`osint_kit.report` (figures, tables, manifest), :mod:`osint_kit.schema`,
:mod:`osint_kit.io`, :mod:`osint_kit.practice` and :mod:`osint_kit.cli`.

``import osint_kit`` is kept fast: only :mod:`osint_kit.errors` is imported;
each name below (and the heavy libraries behind it: pandas, pandera, pyproj,
matplotlib, folium) loads on first use (PEP 562 module ``__getattr__``).
"""

from typing import TYPE_CHECKING

from osint_kit.errors import (
    CaseError,
    CaseFileError,
    CaseValidationError,
    CycleError,
    DateParseError,
    ExportError,
    InputFileError,
    OfflineError,
    OsintKitError,
    PlaceResolutionError,
)

__version__ = "0.1.0"

# public name -> submodule that defines it, resolved on first access (PEP 562)
_LAZY = {
    # reading
    "load_case": "readers.bundle",
    "new_case": "readers.bundle",
    "Case": "readers.bundle",
    "read_bookings": "readers.exports",
    "read_opensky": "readers.exports",
    "read_events": "readers.events",
    # analysis
    "parse_dates": "analysis.dates",
    "resolve_places": "analysis.places",
    "geodesic_km": "analysis.places",
    "normalise_legs": "analysis.legs",
    "case_legs": "analysis.legs",
    "LegsResult": "analysis.legs",
    "corroborate": "analysis.corroboration",
    "Corroboration": "analysis.corroboration",
    "compare_hypotheses": "analysis.ach",
    "AchResult": "analysis.ach",
    # views
    "plot_timeline": "views.timeline",
    "plot_story_spread": "views.timeline",
    "route_map": "views.maps",
    "plot_route": "views.maps",
    "plot_matrix": "views.matrix",
    "plot_relay_graph": "views.matrix",
    "plot_ach": "views.matrix",
    "save_offline_html": "views.offline",
    # report
    "save_figure": "report.export",
    "save_table": "report.export",
    "Manifest": "report.export",
    # errors defined beside the code that raises them
    "parse_phrases": "analysis.date_phrases",
    "events_from_gdelt": "readers.events",
    "search_areas": "views.maps",
    "build_report": "report.build",
    "verify": "report.integrity",
    "case_settings": "report.settings",
    "write_timelinejs_csv": "report.interop",
    "write_geojson": "report.interop",
    "write_kml": "report.interop",
    "write_ftm": "report.interop",
    "write_practice_case": "practice.case",
    "merge_class": "practice.classroom",
    "Checker": "practice.exercises",
    "DigestKeyError": "analysis.documents",
}
# the subpackages and core modules (their attributes are not re-exported here)
_SUBMODULES = (
    "analysis",
    "cli",
    "datafiles",
    "errors",
    "io",
    "practice",
    "problems",
    "readers",
    "report",
    "schema",
    "text",
    "views",
)
_PACKAGES = ("readers", "analysis", "views", "report", "schema", "io", "practice")

__all__ = [
    # errors (osint_kit.errors; DigestKeyError: osint_kit.analysis.documents)
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
    "DigestKeyError",
    # reading
    "load_case",
    "new_case",
    "Case",
    "read_bookings",
    "read_opensky",
    "read_events",
    "events_from_gdelt",
    # analysis
    "parse_dates",
    "parse_phrases",
    "resolve_places",
    "geodesic_km",
    "normalise_legs",
    "case_legs",
    "LegsResult",
    "corroborate",
    "Corroboration",
    "compare_hypotheses",
    "AchResult",
    # views
    "plot_timeline",
    "plot_story_spread",
    "route_map",
    "plot_route",
    "plot_matrix",
    "plot_relay_graph",
    "plot_ach",
    "save_offline_html",
    "search_areas",
    # report
    "save_figure",
    "save_table",
    "Manifest",
    "build_report",
    "verify",
    "case_settings",
    "write_timelinejs_csv",
    "write_geojson",
    "write_kml",
    "write_ftm",
    # practice (teaching)
    "write_practice_case",
    "merge_class",
    "Checker",
    "__version__",
]

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from osint_kit.analysis.ach import AchResult, compare_hypotheses
    from osint_kit.analysis.corroboration import Corroboration, corroborate
    from osint_kit.analysis.date_phrases import parse_phrases
    from osint_kit.analysis.dates import parse_dates
    from osint_kit.analysis.documents import DigestKeyError
    from osint_kit.analysis.legs import LegsResult, case_legs, normalise_legs
    from osint_kit.analysis.places import geodesic_km, resolve_places
    from osint_kit.practice.case import write_practice_case
    from osint_kit.practice.classroom import merge_class
    from osint_kit.practice.exercises import Checker
    from osint_kit.readers.bundle import Case, load_case, new_case
    from osint_kit.readers.events import events_from_gdelt, read_events
    from osint_kit.readers.exports import read_bookings, read_opensky
    from osint_kit.report.build import build_report
    from osint_kit.report.export import Manifest, save_figure, save_table
    from osint_kit.report.integrity import verify
    from osint_kit.report.interop import write_ftm, write_geojson, write_kml, write_timelinejs_csv
    from osint_kit.report.settings import case_settings
    from osint_kit.views.maps import plot_route, route_map, search_areas
    from osint_kit.views.matrix import plot_ach, plot_matrix, plot_relay_graph
    from osint_kit.views.offline import save_offline_html
    from osint_kit.views.timeline import plot_story_spread, plot_timeline


def __getattr__(name: str) -> object:
    import importlib

    if name in _LAZY:
        value = getattr(importlib.import_module(f"osint_kit.{_LAZY[name]}"), name)
        globals()[name] = value  # resolved once
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f"osint_kit.{name}")
    import difflib
    import importlib.util

    # a module of a subpackage asked for by its old flat name (osint_kit.ach)
    where = [
        f"osint_kit.{pkg}.{name}"
        for pkg in _PACKAGES
        if name.isidentifier() and importlib.util.find_spec(f"osint_kit.{pkg}.{name}")
    ]
    close = difflib.get_close_matches(name, [*__all__, *_SUBMODULES], n=3, cutoff=0.6)
    if where:
        hint = f"; the module is {where[0]} (import it from there)"
    elif close:
        hint = f"; did you mean {' or '.join(map(repr, close))}?"
    else:
        hint = (
            "; the public names are in osint_kit.__all__, the rest in its subpackages "
            f"({', '.join(_PACKAGES)})"
        )
    raise AttributeError(f"module 'osint_kit' has no attribute {name!r}{hint}")


def __dir__() -> list[str]:
    return sorted({*__all__, *_SUBMODULES})


del TYPE_CHECKING
