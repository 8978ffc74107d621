"""Tests for osint_kit.schema: the bundle format declared once (schema/bundle.toml)
and the output frames checked against their declaration."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from osint_kit import schema as S
from osint_kit.errors import OsintKitError
from osint_kit.schema import bundle as B
from osint_kit.schema import check_frame

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"


# --------------------------------------------------------------------------- the declaration


def test_required_columns_are_the_contract():
    # DESIGN.md's bundle contract, written out once more here on purpose: the
    # declaration must give exactly these names, in this order
    assert B.REQUIRED_COLUMNS == {
        "sources": [
            "source_id",
            "title",
            "publisher",
            "url",
            "published",
            "kind",
            "derived_from",
            "reliability",
        ],
        "places": ["place_id", "name", "alt_names", "lat", "lon", "precision"],
        "claims": ["claim_id", "text", "date", "place_id"],
        "events": ["event_id", "date", "title", "category", "place_id"],
        "travel": ["record_id", "record_kind", "origin", "destination", "departure", "source_id"],
        "assertions": ["source_id", "claim_id", "stance"],
        "hypotheses": ["hypothesis_id", "text"],
        "ach": ["hypothesis_id", "claim_id", "rating"],
    }
    # load order: every table only refers to tables before it
    assert B.TABLES == (
        "sources",
        "places",
        "claims",
        "events",
        "travel",
        "assertions",
        "hypotheses",
        "ach",
    )
    assert B.OPTIONAL_TABLES == ("hypotheses", "ach")
    assert B.ID_COLUMNS["assertions"] == ["source_id", "claim_id"]
    assert B.STANCES == ("supports", "contradicts", "qualifies", "omits")
    assert B.ACH_WEIGHTS == ("LOW", "MEDIUM", "HIGH")


def test_every_reference_points_to_an_earlier_table_and_a_key():
    for t in S.bundle_tables():
        for c in t.of_type("reference", "references"):
            target, column = c.target
            # the loader checks a reference against the tables loaded before it; the links
            # the corroboration checks once every table is loaded (claims.csv event_ids ->
            # events, loaded after claims) are the exception, and are declared so
            if c.checked_by != "corroborate":
                assert S.table(target).order <= t.order, (t.name, c.name)
            assert S.table(target).key == (column,), (t.name, c.name)  # a whole key
    assert S.table("claims").column("event_ids").checked_by == "corroborate"
    assert S.table("claims").column("excludes").checked_by == "corroborate"


def test_generic_reference_checks_come_from_the_declaration():
    # the loader checks these (column -> table); derived_from and relative_to
    # have their own checks (relays, resolve_relative)
    refs = {t.name: [(c.name, c.references) for c in t.references()] for t in S.bundle_tables()}
    assert refs == {
        "sources": [],
        "places": [],
        "claims": [("place_id", "places.place_id")],
        "events": [("place_id", "places.place_id")],
        "travel": [("source_id", "sources.source_id")],
        "assertions": [("source_id", "sources.source_id"), ("claim_id", "claims.claim_id")],
        "hypotheses": [],
        "ach": [("hypothesis_id", "hypotheses.hypothesis_id"), ("claim_id", "claims.claim_id")],
    }
    assert S.table("sources").column("derived_from").checked_by == "relays"
    assert S.table("places").column("relative_to").checked_by == "resolve_relative"


def test_pandera_schema_is_built_from_the_declaration():
    s = B.schema("places")
    # ids, enumerations and numbers are checked; free text is not
    assert list(s.columns) == [
        "place_id",
        "lat",
        "lon",
        "precision",
        "distance_km",
        "distance_uncertainty",
    ]
    assert [str(c) for c in s.columns["lat"].checks] == ["<Check in_range: in_range(-90, 90)>"]
    assert s.columns["lat"].description == (
        "latitude is degrees north in [-90, 90] (WGS84); check the lat/lon order"
    )
    assert s.columns["distance_km"].required is False  # optional: checked when present
    assert s.columns["precision"].nullable is False
    assert s.unique == ["place_id"]
    assert [c.name for c in s.checks] == ["not_null_island"]
    # an open enumeration (record_kind) is warned about by the loader, not rejected
    assert "record_kind" not in B.schema("travel").columns


def test_row_problems_are_the_long_form_model():
    frame = pd.DataFrame(
        {
            "place_id": ["P1", "P1", "bad id"],
            "name": "x",
            "alt_names": "",
            "lat": [95.0, 0.0, 10.0],
            "lon": [10.0, 0.0, 10.0],
            "precision": ["city", "city", "somewhere"],
        },
        index=pd.Index([2, 3, 4], name="row"),
    )
    p = B.row_problems("places", frame)
    assert list(p.columns) == list(B.PROBLEM_COLUMNS)
    # every failing cell at once (pandera's lazy mode), in pandera's order (the
    # loader sorts by file and row): the duplicate P1 and (0, 0) on row 3, the
    # id with a blank, lat 95 beyond 90, an unknown precision
    assert p[["row", "column", "problem"]].values.tolist() == [
        [3, "place_id", "repeats the key of an earlier row (the first one is kept)"],
        [3, "lat,lon", "(0, 0) is the usual sign of a missing coordinate, not a place"],
        [4, "place_id", "'bad id' is not a single id (it has blanks, ';' or ',')"],
        [2, "lat", "95.0 is outside [-90, 90]"],
        [4, "precision", "'somewhere' is not an allowed value"],
    ]
    assert set(p["action"]) == {"rejected"} and set(p["file"]) == {"places.csv"}


def test_new_case_templates_have_the_documented_columns(tmp_path):
    from osint_kit import load_case, new_case

    path = new_case(tmp_path / "fresh")
    for t in S.bundle_tables():
        header = (path / t.file).read_text(encoding="utf-8").rstrip("\n").split(",")
        assert header == t.template_columns()
        assert header[: len(t.required_columns)] == t.required_columns
    # e.g. claims: the four required columns, then the seven documented optional ones
    assert S.table("claims").template_columns() == [
        "claim_id",
        "text",
        "date",
        "place_id",
        "subject",
        "place_name",
        "origin",
        "credibility",
        "excludes",
        "event_ids",
        "notes",
    ]
    assert load_case(path).problems.empty


def test_data_readme_is_current():
    # fails when bundle.toml changed and `python -m osint_kit.schema` was not run
    assert S.update_readme(ROOT / "data" / "README.md", write=False), (
        "data/README.md is not current: run python -m osint_kit.schema"
    )


def test_readme_generation_writes_between_the_markers(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(
        f"# intro\n\n{S.README_BEGIN}\nold text\n{S.README_END}\ntail\n", encoding="utf-8"
    )
    assert S.update_readme(readme) is False  # it was not current: written
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("# intro\n") and text.endswith(f"{S.README_END}\ntail\n")
    assert "old text" not in text
    assert "| **stance** |" in text and "| notes | anything the analyst adds | text |  |" in text
    assert S.update_readme(readme) is True  # now it is
    readme.write_text("no markers\n", encoding="utf-8")
    with pytest.raises(OsintKitError, match="has no data dictionary markers"):
        S.update_readme(readme)


def test_schema_command_check_exit_status(tmp_path, capsys):
    from osint_kit.schema.__main__ import main

    readme = tmp_path / "README.md"
    readme.write_text(f"{S.README_BEGIN}\n{S.README_END}\n", encoding="utf-8")
    assert main([str(readme), "--check"]) == 1
    assert "not current" in capsys.readouterr().out
    assert main([str(readme)]) == 0 and main([str(readme), "--check"]) == 0


# --------------------------------------------------------------------------- output frames


def test_legs_frames_match_their_declaration(case):
    from osint_kit.analysis.legs import LEG_COLUMNS, case_legs
    from osint_kit.readers.exports import read_bookings, read_opensky

    legs = check_frame("legs", case_legs(case).legs)
    assert len(legs) == 3  # travel.csv's three records
    check_frame("legs", read_bookings(FIXTURES / "manifest_ru_synthetic.csv").legs)
    check_frame("legs", read_opensky(FIXTURES / "opensky_flights_synthetic.csv").legs)
    # the declaration is the legs module's LEG_COLUMNS
    assert S.frame("legs").column_names == list(LEG_COLUMNS)


def test_events_frames_match_their_declaration(case):
    from osint_kit.readers import events as ev

    assert S.frame("events").column_names == list(ev.EVENT_COLUMNS)
    check_frame("events", ev.events_from_case(case).events)
    for name in ("acled_synthetic_small.csv", "timelinejs_synthetic_small.csv"):
        r = ev.read_events(FIXTURES / name)
        check_frame("events", r.events)
        check_frame("problems", r.problems)


def test_claim_summary_and_problems_match_their_declaration(case, case_copy):
    from osint_kit import load_case
    from osint_kit.analysis.corroboration import corroborate

    res = corroborate(case)
    summary = getattr(res, "claim_summary", None)
    summary = res.summary if summary is None else summary
    summary = summary() if callable(summary) else summary
    assert (
        len(check_frame("claim_summary", summary)) == 38
    )  # one row per claim (the full dossier: 36 + headline C37 + lede C38)
    check_frame("problems", case.problems)
    with open(case_copy / "places.csv", "a", encoding="utf-8") as fh:
        fh.write("P99,Nowhere,,95,10,city,,,,,\n")
    broken = load_case(case_copy)
    assert len(check_frame("problems", broken.problems)) == 1


def test_check_frame_names_what_is_wrong():
    good = pd.DataFrame(
        {
            "file": pd.Series(["a.csv"], dtype="string"),
            "row": pd.array([2], dtype="Int64"),
            **{
                c: pd.Series(["x"], dtype="string")
                for c in ["column", "value", "problem", "fix", "severity", "action"]
            },
        }
    )
    assert check_frame("problems", good) is good
    with pytest.raises(
        S.FrameSchemaError,
        match=r"missing column\(s\) fix.*extra column\(s\) "
        r"remedy",
    ):
        check_frame("problems", good.rename(columns={"fix": "remedy"}))
    with pytest.raises(S.FrameSchemaError, match="column row is float64, not integer"):
        check_frame("problems", good.assign(row=np.array([2.0])))
    with pytest.raises(S.FrameSchemaError, match="columns out of order"):
        check_frame("problems", good[list(reversed(good.columns))])
    with pytest.raises(S.FrameSchemaError, match="No frame 'leg' is declared"):
        check_frame("leg", good)
    # a frame that keeps input columns may have them after the declared ones
    events = pd.DataFrame(
        {
            c.name: pd.Series(
                dtype={
                    "text": "string",
                    "integer": "int64",
                    "float": "float64",
                    "datetime_utc": "datetime64[us, UTC]",
                }[c.dtype]
            )
            for c in S.frame("events").columns
        }
    )
    check_frame("events", events.assign(notes=pd.Series(dtype="string")))
    with pytest.raises(S.FrameSchemaError, match="date_start is datetime64.us., not datetime_utc"):
        check_frame("events", events.assign(date_start=events["date_start"].dt.tz_localize(None)))
