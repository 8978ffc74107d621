"""Tests for the top-level API (osint_kit/__init__.py): the front door.

``import osint_kit as ok`` shows what an investigation calls (readers, the
analyses, the views, the exporters, every error), lazily: nothing heavy is
imported until a name is used.
"""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys

import pytest

import osint_kit
from osint_kit import errors

#: The subpackages and core modules dir() lists beside __all__.
SUBMODULES = {
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
}

#: Where each public name is defined (issue 10's layout); the top level re-exports it.
HOMES = {
    "load_case": "readers.bundle",
    "new_case": "readers.bundle",
    "Case": "readers.bundle",
    "read_bookings": "readers.exports",
    "read_opensky": "readers.exports",
    "read_events": "readers.events",
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
    "plot_timeline": "views.timeline",
    "plot_story_spread": "views.timeline",
    "route_map": "views.maps",
    "plot_route": "views.maps",
    "plot_matrix": "views.matrix",
    "plot_relay_graph": "views.matrix",
    "plot_ach": "views.matrix",
    "save_offline_html": "views.offline",
    "save_figure": "report.export",
    "save_table": "report.export",
    "Manifest": "report.export",
    "DigestKeyError": "analysis.documents",
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
}

#: Libraries that take long to import; `import osint_kit` must load none of them
#: (benchmarks/bench_import.py measures the time).
HEAVY = {
    "matplotlib",
    "folium",
    "pandera",
    "pyproj",
    "airportsdata",
    "networkx",
    "pandas",
    "numpy",
    "openpyxl",
    "jellyfish",
    "anyascii",
    "charset_normalizer",
    "geopy",
    "nbformat",
}


def test_all_is_the_curated_front_door():
    # every error class, the readers, analyses, views and exporters, the version: nothing else
    error_classes = {
        n
        for n, v in vars(errors).items()
        if inspect.isclass(v) and issubclass(v, errors.OsintKitError)
    }
    assert error_classes == set(errors.__all__)  # errors.py lists every class it defines
    assert set(osint_kit.__all__) == error_classes | set(HOMES) | {"__version__"}
    assert len(osint_kit.__all__) == len(set(osint_kit.__all__))  # listed once each


@pytest.mark.parametrize("name", sorted(HOMES))
def test_every_public_name_resolves_to_its_module(name):
    # the top level hands out the object its module defines, not a copy or a wrapper
    module = importlib.import_module(f"osint_kit.{HOMES[name]}")
    assert getattr(osint_kit, name) is getattr(module, name)


def test_errors_are_the_kit_family():
    for name in osint_kit.__all__:
        if name.endswith("Error"):
            assert issubclass(getattr(osint_kit, name), osint_kit.OsintKitError), name


def test_version_is_the_package_version():
    from importlib.metadata import version

    assert osint_kit.__version__ == version("osint-kit")  # pyproject.toml's [project] version


def test_dir_lists_the_front_door_and_the_subpackages_only():
    # no Any, importlib, TYPE_CHECKING or annotations: only what a user may call or import
    assert dir(osint_kit) == sorted(set(osint_kit.__all__) | SUBMODULES)


@pytest.mark.parametrize("name", sorted(SUBMODULES))
def test_submodules_import_as_attributes(name):
    assert getattr(osint_kit, name) is importlib.import_module(f"osint_kit.{name}")


def test_typo_names_the_close_match():
    with pytest.raises(AttributeError) as err:
        osint_kit.load_cas  # noqa: B018
    assert (
        str(err.value)
        == "module 'osint_kit' has no attribute 'load_cas'; did you mean 'load_case'?"
    )


def test_old_flat_module_name_says_where_it_went():
    # osint_kit.ach was a module before the relayout: now osint_kit.analysis.ach
    with pytest.raises(AttributeError) as err:
        osint_kit.ach  # noqa: B018
    assert str(err.value) == (
        "module 'osint_kit' has no attribute 'ach'; the module is "
        "osint_kit.analysis.ach (import it from there)"
    )


def test_unknown_name_points_to_all():
    with pytest.raises(
        AttributeError,
        match=r"no attribute 'zzz'; the public names are in "
        r"osint_kit.__all__",
    ):
        osint_kit.zzz  # noqa: B018
    assert not hasattr(osint_kit, "zzz")


def test_star_import_gives_all():
    namespace: dict = {}
    exec("from osint_kit import *", namespace)  # our own module, a fixed text
    assert set(namespace) - {"__builtins__"} == set(osint_kit.__all__)


def test_import_loads_nothing_heavy():
    # in a fresh interpreter: import, list, and touch the names that need no submodule
    code = (
        "import sys, osint_kit; dir(osint_kit); osint_kit.__version__; osint_kit.OsintKitError;"
        f" heavy = {sorted(HEAVY)!r};"
        " print(sorted(m for m in sys.modules if m.split('.')[0] in heavy));"
        " print(sorted(m for m in sys.modules if m.startswith('osint_kit')))"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    heavy, kit = r.stdout.splitlines()
    assert heavy == "[]"
    assert kit == "['osint_kit', 'osint_kit.errors']"  # the errors only: the rest loads on use
