"""The kit finds its data/ folder, or says how to make it findable."""

from __future__ import annotations

import pytest

from osint_kit import datafiles
from osint_kit.errors import OsintKitError


def test_found_in_the_checkout():
    path = datafiles.data_path("gazetteer", "places.csv")
    assert path == datafiles.CHECKOUT_DATA / "gazetteer" / "places.csv" and path.is_file()


def test_env_folder_comes_first(tmp_path, monkeypatch):
    (tmp_path / "gazetteer").mkdir()
    (tmp_path / "gazetteer" / "places.csv").write_text("place_id\n", encoding="utf-8")
    monkeypatch.setenv(datafiles.ENV, str(tmp_path))
    assert datafiles.data_path("gazetteer", "places.csv") == tmp_path / "gazetteer" / "places.csv"


def test_missing_everywhere_names_the_fix(tmp_path, monkeypatch):
    # as in a non-editable install: no checkout data/, nothing in ./data or $OSINT_KIT_DATA
    monkeypatch.setattr(datafiles, "CHECKOUT_DATA", tmp_path / "site-packages-has-no-data")
    monkeypatch.setenv(datafiles.ENV, str(tmp_path / "nowhere"))
    monkeypatch.chdir(tmp_path)
    with pytest.raises(OsintKitError) as info:
        datafiles.data_path("basemap", "naturalearth_110m_countries.geojson")
    msg = str(info.value)
    assert msg.startswith(
        "the kit's data file data/basemap/naturalearth_110m_countries.geojson "
        "was not found (looked at: "
    )
    assert msg.endswith(
        "install it from the checkout with `pip install -e .` (README), or set "
        "OSINT_KIT_DATA to that data/ folder."
    )
