"""Hostile case bundles through ``load_case``.

One file of a small valid bundle is replaced by a generated one (hostile
cells, an encoding, line endings, damage).  Properties: only the kit's own
errors; rows in = rows out + rows rejected (``Case.rows_read`` against the
loaded frame and ``Case.rejected``); never a (0, 0) place; hostile text kept
as written.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import csv_file, examples, hostile_text, number_text

from osint_kit.errors import OsintKitError
from osint_kit.readers.bundle import load_case
from osint_kit.schema.bundle import REQUIRED_COLUMNS

BASE = {
    "case.toml": 'title = "Hostile"\n',
    "sources.csv": "source_id,title,publisher,url,published,kind,derived_from,reliability\n"
    "s1,T,P,http://example.org,2024-01-01,primary_reporting,,B\n",
    "places.csv": "place_id,name,alt_names,lat,lon,precision\np1,Town,,35.7,51.4,city\n",
    "claims.csv": "claim_id,text,date,place_id\nc1,text,2024-04-24,p1\n",
    "events.csv": "event_id,date,title,category,place_id\ne1,2024-04,E,military,p1\n",
    "travel.csv": "record_id,record_kind,origin,destination,departure,source_id\n"
    "t1,booking,Moscow,Tehran,2024-04-24,s1\n",
    "assertions.csv": "source_id,claim_id,stance\ns1,c1,supports\n",
}
TEXT = hostile_text()
IDS = st.one_of(st.sampled_from(["s1", "p1", "c1", "e1", "t1", "", "s1\ufeff", "p1\u200b"]), TEXT)
CELLS = {
    "sources": {
        "source_id": IDS,
        "title": TEXT,
        "publisher": TEXT,
        "url": TEXT,
        "published": st.one_of(st.sampled_from(["2024-01-01", "2024-13-45"]), TEXT),
        "kind": TEXT,
        "derived_from": IDS,
        "reliability": st.one_of(st.sampled_from(list("ABCDEFG")), TEXT),
    },
    "places": {
        "place_id": IDS,
        "name": TEXT,
        "alt_names": TEXT,
        "lat": st.one_of(st.sampled_from(["35.7"]), number_text()),
        "lon": st.one_of(st.sampled_from(["51.4"]), number_text()),
        "precision": st.one_of(st.sampled_from(["city", "exact", "bogus"]), TEXT),
    },
    "claims": {
        "claim_id": IDS,
        "text": TEXT,
        "date": st.one_of(st.sampled_from(["2024-04-24", "April 2024", "25:61"]), TEXT),
        "place_id": IDS,
    },
    "travel": {
        "record_id": IDS,
        "record_kind": TEXT,
        "origin": TEXT,
        "destination": TEXT,
        "departure": st.one_of(st.sampled_from(["2024-04-24"]), TEXT),
        "source_id": IDS,
    },
}


@pytest.mark.parametrize("table", list(CELLS))
@settings(max_examples=examples(20))
@given(data=st.data())
def test_load_case(table, data):
    cells = {**CELLS[table], "notes": TEXT}
    f = data.draw(
        csv_file(cells, required=REQUIRED_COLUMNS[table], packings=("plain", "gzip")), label="file"
    )
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d) / "case"
        folder.mkdir()
        for name, text in BASE.items():
            (folder / name).write_text(text, encoding="utf-8")
        (folder / f"{table}.csv").write_bytes(f.data)
        try:
            case = load_case(folder)
        except OsintKitError:
            return
    loaded = getattr(case, table)
    rejected = case.rejected.get(table)
    n_rejected = 0 if rejected is None else len(rejected)
    # rows in = rows out + rows rejected
    assert case.rows_read[table] == len(loaded) + n_rejected
    if f.n_rows is not None:
        assert case.rows_read[table] == f.n_rows
    # every rejected row has a problem row naming it
    if n_rejected:
        named = case.problems[case.problems["file"] == f"{table}.csv"]["row"]
        assert set(rejected.index) <= set(named.dropna().astype(int))
    places = case.places
    assert not ((places["lat"] == 0) & (places["lon"] == 0)).any()
    assert not ((places["lat"].abs() > 90) | (places["lon"].abs() > 180)).any()
    if "notes" in loaded and f.encoding in ("utf-8", "utf-8-sig") and f.packing == "plain":
        # kept rows keep their text as written ("{{7*7}}" is not 49, "=1+1" is not 2)
        j = f.header.index("notes") if "notes" in f.header else None
        if j is not None and f.damage == "none":
            by_row = {i + 2: r[j] for i, r in enumerate(f.rows)}
            for row, value in loaded["notes"].items():
                assert (value if isinstance(value, str) else "") == by_row[row]


# --------------------------------------------------------------------------- regressions


def _bundle(tmp_path: Path) -> Path:
    folder = tmp_path / "case"
    folder.mkdir()
    for name, text in BASE.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _kit_error_or_loads(folder: Path):
    try:
        return load_case(folder)
    except OsintKitError:
        return None


def test_cr_only_line_ends(tmp_path):
    folder = _bundle(tmp_path)
    (folder / "claims.csv").write_bytes(BASE["claims.csv"].replace("\n", "\r").encode())
    case = _kit_error_or_loads(folder)
    if case is not None:  # read as the same one claim
        assert case.claims["claim_id"].tolist() == ["c1"]


def test_table_is_a_folder(tmp_path):
    folder = _bundle(tmp_path)
    (folder / "claims.csv").unlink()
    (folder / "claims.csv").mkdir()
    with pytest.raises(OsintKitError):  # nothing to read: only a kit error is right
        load_case(folder)


def test_case_toml_nested_deep(tmp_path):
    folder = _bundle(tmp_path)
    (folder / "case.toml").write_text("x = " + "[" * 5000 + "]" * 5000 + "\n")
    with pytest.raises(OsintKitError):
        load_case(folder)


def test_huge_field_in_first_data_row(tmp_path):
    folder = _bundle(tmp_path)
    huge = "x" * 140_000
    (folder / "claims.csv").write_text(f"claim_id,text,date,place_id\nc1,{huge},2024,p1\n")
    case = _kit_error_or_loads(folder)
    if case is not None:
        assert case.claims["text"].tolist() == [huge]  # kept whole


def test_source_without_id_but_derived_from(tmp_path):
    folder = _bundle(tmp_path)
    (folder / "sources.csv").write_text(
        BASE["sources.csv"] + ",T,P,http://example.org,2024-01-01,republication,zz,F\n"
    )
    case = _kit_error_or_loads(folder)
    if case is not None:  # the row without an id is rejected, with a reason
        assert case.sources["source_id"].tolist() == ["s1"]
        assert len(case.rejected["sources"]) == 1
