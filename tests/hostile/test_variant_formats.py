"""Hostile files in the formats issue 16 added: TimelineJS and ACLED API JSON,
GDELT 2.0 event files, OpenSky in its Trino/pyopensky forms.

Properties (every generated file):
* only the kit's own errors escape (:class:`~osint_kit.errors.OsintKitError`);
* rows in = events out + rows rejected + non-event rows (:meth:`EventsResult.check`);
  legs out = rows in (:meth:`LegsResult.check`);
* never a (0, 0) coordinate;
* nothing evaluated: a headline or a note comes out exactly as written.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import examples, hostile_text, number_text

from osint_kit.errors import OsintKitError
from osint_kit.readers import exports
from osint_kit.readers.events import GDELT_COLUMNS, read_events

#: any JSON value (what a hostile or broken export can hold)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | hostile_text(3),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(hostile_text(2), inner, max_size=4),
    max_leaves=12,
)


def _read(reader, data: bytes, name: str):
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / name
        path.write_bytes(data)
        try:
            return reader(path)
        except OsintKitError:
            return None


def _no_null_island(events: pd.DataFrame) -> None:
    assert not ((events["lat"] == 0) & (events["lon"] == 0)).any()


@settings(max_examples=examples(15))
@given(
    st.one_of(
        JSON,
        st.fixed_dictionaries({"events": JSON}),
        st.fixed_dictionaries({"data": JSON, "success": JSON}),
    )
)
def test_any_json_is_events_or_a_kit_error(value):
    data = json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")
    result = _read(read_events, data, "any_synthetic.json")
    if result is not None:
        result.check()
        _no_null_island(result.events)


_PART = st.one_of(
    st.none(), number_text(), st.integers(-(10**6), 10**6), st.floats(), hostile_text(3)
)


@settings(max_examples=examples(12))
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "start_date": st.dictionaries(
                    st.sampled_from(["year", "month", "day", "hour", "minute", "second"]), _PART
                ),
                "end_date": st.dictionaries(st.sampled_from(["year", "month", "day"]), _PART),
                "text": st.fixed_dictionaries({"headline": hostile_text(4)}),
            }
        ),
        max_size=6,
    )
)
def test_timelinejs_json_slides_are_accounted_for_and_kept_as_written(slides):
    data = json.dumps({"events": slides}, ensure_ascii=False, allow_nan=True)
    result = _read(read_events, data.encode("utf-8", "surrogatepass"), "tl_synthetic.json")
    assert result is not None  # the structure is right: every slide is an event or a problem
    result.check()
    assert result.rows_in == len(slides)
    kept = result.events.set_index("source_row")["title"]
    for row, headline in kept.items():
        written = slides[row - 2]["text"]["headline"].strip() or None
        # the headline is data: as written (stripped), never evaluated or rewritten
        assert (headline if headline is not pd.NA else None) == written


_FIELD = st.one_of(
    number_text(),
    hostile_text(3).map(lambda s: s.replace("\t", " ").replace("\n", " ").replace("\r", " ")),
)


@settings(max_examples=examples(12))
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "SQLDATE": st.one_of(
                    st.sampled_from(["20240413", "20240230", "2024041", ""]), _FIELD
                ),
                "ActionGeo_Type": st.one_of(st.sampled_from(["0", "1", "4", "4.0", "9"]), _FIELD),
                "ActionGeo_Lat": _FIELD,
                "ActionGeo_Long": _FIELD,
                "EventRootCode": st.one_of(st.sampled_from(["01", "14", "20", "21"]), _FIELD),
                "SOURCEURL": _FIELD,
            }
        ),
        min_size=1,
        max_size=5,
    )
)
def test_gdelt_lines_are_events_or_problems(records):
    lines = []
    for i, rec in enumerate(records):
        fields = [""] * len(GDELT_COLUMNS)
        fields[0] = str(1000 + i)
        for name, value in rec.items():
            fields[GDELT_COLUMNS.index(name)] = value
        fields[1] = rec["SQLDATE"]
        lines.append("\t".join(fields))
    result = _read(
        read_events, ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass"), "g.export.CSV"
    )
    if result is None:
        return  # e.g. a first line that no longer looks like GDELT: one kit message
    result.check()
    _no_null_island(result.events)
    assert np.isin(result.events["radius_km"].dropna(), [5.0, 100.0, 200.0, 500.0]).all()


@settings(max_examples=examples(12))
@given(
    st.lists(
        st.tuples(
            st.one_of(
                number_text(),
                st.sampled_from(["2024-04-24 07:20:00+00:00", "2024-04-24T07:20", "1999-01-01"]),
            ),
            st.one_of(number_text(), hostile_text(3)),
            hostile_text(3),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_opensky_lower_case_lists_keep_every_row(rows):
    frame = pd.DataFrame(
        {
            "icao24": ["0a1b2c"] * len(rows),
            "firstseen": [r[0] for r in rows],
            "lastseen": [r[1] for r in rows],
            "departure": ["UUEE"] * len(rows),
            "arrival": ["OIIE"] * len(rows),
            "note": [r[2] for r in rows],
        }
    )
    result = exports.read_opensky(frame).check()
    assert len(result.legs) == len(rows)
    assert result.legs["note"].tolist() == [r[2] for r in rows]  # data, as written
