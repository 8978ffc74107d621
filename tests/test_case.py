"""Tests for osint_kit.readers.bundle: loading, validating and saving case bundles.

Broken bundles are made by editing a copy of the bundled case, so each test
shows exactly which change the kit must catch.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

CASE_DIR = Path(__file__).resolve().parents[1] / "data" / "cases" / "ru-ir-missile-experts-2024"

from osint_kit import load_case, new_case
from osint_kit.errors import (
    CaseError,
    CaseFileError,
    CaseValidationError,
    CycleError,
    OsintKitError,
)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not found in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(path: Path, line: str) -> None:
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")


def rows_balance(case) -> None:
    """Rows in = rows loaded + rows rejected, for every table."""
    c = case.counts()
    assert (c["read"] == c["loaded"] + c["rejected"]).all(), c


# --------------------------------------------------------------------------- the bundled case


def test_bundled_case_loads_every_row_without_problems(case):
    # row counts of the research dossier (its README lists 38/36/351/28/11/3: 38 sources,
    # the full dossier) plus the case's own rows: the three inputs behind Reuters
    # (booking_records, iran_defence_official, western_defence_official: 38 + 3 = 41) with
    # their 11 assertions (C01-C06, C09-C11, C12-C13), claims C37 (Reuters' headline) and
    # C38 (the wire copies' lede) with their 42 assertions (351 + 42 + 11 = 404), and the
    # 4 hypotheses and 40 ratings (4 hypotheses x 10 claims) added for ACH
    assert case.counts()["loaded"].to_dict() == {
        "sources": 41,
        "places": 11,
        "claims": 38,
        "events": 28,
        "travel": 3,
        "assertions": 404,
        "hypotheses": 4,
        "ach": 40,
    }
    assert case.problems.empty
    assert case.meta["cutoff"] == "2025-10-02"  # event E28, the latest dated item


def test_every_source_has_a_grade_and_a_reason(case):
    assert set(case.sources["reliability"]) <= set("ABCDEF")
    assert case.sources["reliability"].notna().all()
    assert case.sources["reliability_rationale"].str.len().min() > 20
    # the primary report is the best-graded source (B: a wire agency, text reconstructed)
    assert case.sources.set_index("source_id").loc["reuters_orig", "reliability"] == "B"


def test_no_real_names_or_document_numbers_in_the_bundle():
    text = "".join(p.read_text(encoding="utf-8") for p in CASE_DIR.glob("*.csv"))
    assert "Gusev" not in text  # the relays name one man; the kit keeps a pseudonym
    # no 9-digit run that could be a Russian passport number
    assert pd.Series([text]).str.contains(r"(?<!\d)\d{9}(?!\d)").item() is False


def test_extra_columns_are_kept(case):
    # 'subject', 'origin' and 'notes' are not in the contract but must survive loading
    assert {"subject", "origin", "notes"} <= set(case.claims.columns)
    assert "reliability_rationale" in case.sources.columns


def test_index_is_the_spreadsheet_row(case):
    # header is row 1, so C01 (the first data line) is row 2 and C36 row 37
    claims = case.claims
    assert claims.index.name == "row"
    assert claims.loc[2, "claim_id"] == "C01"
    assert claims.loc[37, "claim_id"] == "C36"


def test_dates_are_intervals(case):
    c = case.claims.set_index("claim_id")
    # "2024-09" is a month: the whole of September, inclusive end on the 30th
    assert (c.loc["C11", "date_start"], c.loc["C11", "date_end"]) == (
        pd.Timestamp("2024-09-01", tz="UTC"),
        pd.Timestamp("2024-09-30", tz="UTC"),
    )
    assert c.loc["C11", "date_precision"] == "month"
    # C26 (the misdated treaty) says "January 2024": a month, never 1 January
    assert c.loc["C26", "date_precision"] == "month"
    assert c.loc["C26", "date_end"] == pd.Timestamp("2024-01-31", tz="UTC")
    e = case.events.set_index("event_id")
    # E04 is given as 2024-04-13/2024-04-14: launch evening 13 April, arrival 14 April
    assert e.loc["E04", "date_precision"] == "range"
    assert e.loc["E04", "date_end"] == pd.Timestamp("2024-04-14", tz="UTC")


def test_relative_place_p02_is_computed(case):
    p = case.places.set_index("place_id")
    assert p.loc["P02", "coord_origin"] == "computed"
    assert p.loc["P01", "coord_origin"] == "given"
    # 15 km due west of P01 (36.854, 53.371): the latitude barely moves (a geodesic
    # heading west curves slightly south of the parallel), the longitude drops by
    # 15 / (111.32 * cos 36.854°) ≈ 0.168° (the dossier's note says the same)
    assert p.loc["P02", "lat"] == pytest.approx(36.853881, abs=1e-6)
    assert p.loc["P02", "lon"] == pytest.approx(53.202804, abs=1e-6)
    assert p.loc["P02", "radius_km"] > 0


def test_load_by_path_and_unknown_slug(case_copy):
    assert load_case(case_copy).claims.shape[0] == 38  # the dossier's 36 + C37, C38
    with pytest.raises(CaseFileError, match="ru-ir-missile-experts-2024"):
        load_case("no-such-case")  # the message lists the known slugs


# --------------------------------------------------------------------------- broken files


def test_missing_file(case_copy):
    (case_copy / "claims.csv").unlink()
    with pytest.raises(CaseFileError) as info:
        load_case(case_copy)
    assert "claims.csv is missing" in str(info.value)
    assert "header claim_id,text,date,place_id" in str(info.value)  # what to write


def test_optional_tables_may_be_missing(case_copy):
    (case_copy / "ach.csv").unlink()
    (case_copy / "hypotheses.csv").unlink()
    c = load_case(case_copy)
    assert c.ach is None and c.hypotheses is None


def test_missing_column_names_the_columns_and_suggests_a_rename(case_copy):
    edit(
        case_copy / "places.csv",
        "place_id,name,alt_names,lat,lon,",
        "place_id,name,alt_names,latitude,lon,",
    )
    with pytest.raises(CaseFileError) as info:
        load_case(case_copy)
    msg = str(info.value)
    assert "places.csv lacks required column(s) lat" in msg
    assert "'latitude' → 'lat'?" in msg  # the likely rename


def test_empty_file(case_copy):
    (case_copy / "travel.csv").write_bytes(b"")
    with pytest.raises(CaseFileError, match="travel.csv is empty: it needs at least the header"):
        load_case(case_copy)


def test_header_only_file_is_a_valid_empty_table(case_copy):
    (case_copy / "travel.csv").write_text(
        "record_id,record_kind,origin,destination,departure,source_id\n", encoding="utf-8"
    )
    assert load_case(case_copy).travel.empty


def test_wrong_delimiter(case_copy):
    p = case_copy / "travel.csv"
    p.write_text(
        "record_id;record_kind;origin;destination;departure;source_id\n"
        "T1;booking;Moscow;Tehran;2024-04-24;reuters_orig\n",
        encoding="utf-8",
    )
    with pytest.raises(CaseFileError, match="travel.csv is separated by semicolons, not commas"):
        load_case(case_copy)


def test_unquoted_comma_names_the_row_instead_of_shifting_columns(case_copy):
    # claims.csv has 10 columns; an unquoted comma in the first claim's text
    # gives row 2 eleven fields. pandas alone would take claim_id as the index
    # and shift every column, rejecting all 38 claims for the wrong reason.
    p = case_copy / "claims.csv"
    lines = p.read_text(encoding="utf-8").split("\n")
    lines[1] = "C01,Seven specialists, booked,seven Russian specialists,2024,,Moscow,reuters,,,"
    p.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(CaseFileError) as info:
        load_case(case_copy)
    assert info.value.errors == [
        "claims.csv: row 2 has 11 fields where the header has 10: a text in it probably "
        "holds an unquoted ','. Put that text in double quotes."
    ]
    # the same defect further down is named by its row too (pandas' own error)
    lines[1], lines[5] = lines[5], lines[1]
    p.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(
        CaseFileError, match="claims.csv: row 6 has 11 fields where the header has 10"
    ):
        load_case(case_copy)


def test_a_column_given_twice_is_a_file_error(case_copy):
    # pandas would silently call the second "title" "title.1"; the kit names both
    p = case_copy / "events.csv"
    lines = p.read_text(encoding="utf-8").split("\n")
    n = len(lines[0].split(","))
    lines = [lines[0] + ",title"] + [line + ",x" if line else line for line in lines[1:]]
    p.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(CaseFileError) as info:
        load_case(case_copy)
    assert info.value.errors == [
        f"events.csv has the column 'title' more than once (columns 3, {n + 1}): keep one, "
        "or rename the other."
    ]


def test_every_file_error_is_reported_at_once(case_copy):
    (case_copy / "travel.csv").write_bytes(b"")
    (case_copy / "events.csv").unlink()
    with pytest.raises(CaseFileError) as info:
        load_case(case_copy)
    assert len(info.value.errors) == 2  # both files named in one error


def test_utf8_with_bom_loads(case_copy):
    p = case_copy / "places.csv"
    p.write_bytes(b"\xef\xbb\xbf" + p.read_bytes())
    c = load_case(case_copy)
    # without handling the BOM the first column would be called '\ufeffplace_id'
    assert c.places.columns[0] == "place_id"
    assert len(c.places) == 11


def test_cp1251_cyrillic_is_refused_with_a_fix_then_loads_when_told(case_copy):
    p = case_copy / "places.csv"
    p.write_bytes(
        p.read_text(encoding="utf-8")
        .replace("بندر امیرآباد;", "")
        .replace("فرودگاه بین‌المللی امام خمینی;", "")
        .replace("فرودگاه بین‌المللی مهرآباد;", "")
        .replace("فرودگاه بین‌المللی شهید بهشتی اصفهان;", "")
        .replace("بهشهر;", "")
        .replace("تهران;", "")
        .encode("cp1251")
    )
    with pytest.raises(CaseFileError) as info:
        load_case(case_copy)
    msg = str(info.value)
    assert "places.csv: not utf-8 text" in msg
    assert "Re-save it as UTF-8" in msg and "encoding='cp1251'" in msg
    c = load_case(case_copy, encoding="cp1251")
    # the Cyrillic alternate name of Moscow survives the round trip through cp1251
    assert c.places.set_index("place_id").loc["P10", "alt_names"] == "Москва;Moskva"


# --------------------------------------------------------------------------- bad rows


def test_duplicate_ids_keep_the_first_and_reject_the_rest(case_copy):
    append(case_copy / "claims.csv", "C01,A second claim with a reused id,,2024,,,,")
    c = load_case(case_copy)
    assert len(c.claims) == 38  # the original C01 is kept (38 claims: the dossier's 36 + C37, C38)
    p = c.problems.iloc[0]
    # the appended line is data row 39, so spreadsheet row 40
    assert (p["file"], p["row"], p["column"], p["value"]) == ("claims.csv", 40, "claim_id", "C01")
    assert "repeats the key of an earlier row" in p["problem"]
    rows_balance(c)


def test_dangling_references_are_rejected_with_a_reason(case_copy):
    append(case_copy / "assertions.csv", "nobody,C01,supports,,")
    append(case_copy / "assertions.csv", "reuters_orig,C99,supports,,")
    append(case_copy / "events.csv", "E99,2024-05-01,An event at an unknown place,military,P99,,,")
    c = load_case(case_copy)
    probs = c.problems.set_index(["file", "row"])
    # 404 assertions (the full dossier's 351 + 42 on C37/C38 + 11 of the inputs): appended
    # rows are spreadsheet rows 406, 407
    assert (
        probs.loc[("assertions.csv", 406), "problem"]
        == "source_id 'nobody' is not in sources.csv (or its row was rejected)"
    )
    assert (
        probs.loc[("assertions.csv", 407), "problem"]
        == "claim_id 'C99' is not in claims.csv (or its row was rejected)"
    )
    assert probs.loc[("events.csv", 30), "fix"] == "add 'P99' to places.csv or correct the id"
    assert len(c.assertions) == 404 and len(c.events) == 28
    rows_balance(c)


def test_an_empty_reference_is_reported_once(case_copy):
    # an assertion without a source_id: "is empty" once, not a second row telling
    # the analyst to "add nan to sources.csv" (the loader did both before)
    append(case_copy / "assertions.csv", ",C01,supports,,")
    c = load_case(case_copy)
    assert c.problems[["file", "row", "column", "problem", "fix"]].values.tolist() == [
        [
            "assertions.csv",
            406,
            "source_id",
            "is empty",
            "write a single source_id without spaces, ';' or ','",
        ]
    ]  # 404 rows + header + 1
    assert len(c.assertions) == 404
    rows_balance(c)


def test_latitude_95_is_rejected(case_copy):
    edit(case_copy / "places.csv", "36.683333,53.533333", "95,53.533333")
    c = load_case(case_copy)
    p = c.problems.iloc[0]
    assert (p["file"], p["row"], p["column"], p["value"]) == ("places.csv", 10, "lat", "95.0")
    assert p["problem"] == "95.0 is outside [-90, 90]"
    assert "check the lat/lon order" in p["fix"]
    assert "P09" not in set(c.places["place_id"])
    rows_balance(c)


def test_null_island_is_rejected_never_loaded(case_copy):
    edit(case_copy / "places.csv", "36.683333,53.533333", "0,0")
    c = load_case(case_copy)
    assert ((c.places["lat"] == 0) & (c.places["lon"] == 0)).sum() == 0
    assert (
        c.problems.iloc[0]["problem"]
        == "(0, 0) is the usual sign of a missing coordinate, not a place"
    )


def test_text_in_a_number_column(case_copy):
    edit(case_copy / "places.csv", "36.683333,53.533333", "36°41'N,53.533333")
    c = load_case(case_copy)
    p = c.problems.iloc[0]
    assert (p["column"], p["value"], p["problem"]) == (
        "lat",
        "36°41'N",
        '"36°41\'N" is not a number',
    )


def test_rejected_place_cascades_to_rows_that_use_it(case_copy):
    edit(case_copy / "places.csv", "55.7558,37.6173", "155.7558,37.6173")  # P10 Moscow
    c = load_case(case_copy)
    # seven events (E15, E16, E22–E25, E28) are placed in Moscow (P10): all set aside with a reason
    ev = c.problems[c.problems["file"] == "events.csv"]
    assert len(ev) == 7
    assert set(ev["value"]) == {"P10"}
    rows_balance(c)


def test_stance_variants_are_normalised_and_unknown_words_reported(case_copy):
    append(case_copy / "claims.csv", "C90,Test claim,,,,,,")
    append(case_copy / "assertions.csv", "jns,C90,  Supports ,,")
    append(case_copy / "claims.csv", "C91,Test claim,,,,,,")
    append(case_copy / "assertions.csv", "jns,C91,endorses,,")
    c = load_case(case_copy)
    a = c.assertions.set_index("claim_id")
    assert a.loc["C90", "stance"] == "supports"  # case and blanks do not matter
    assert "C91" not in a.index
    assert c.problems.iloc[0]["problem"] == "'endorses' is not an allowed value"
    assert c.problems.iloc[0]["fix"] == "use one of: supports, contradicts, qualifies, omits"


def test_unparseable_date_is_kept_with_a_warning(case_copy):
    edit(case_copy / "events.csv", "E03,2024-04-01,", "E03,sometime in spring,")
    c = load_case(case_copy)
    assert len(c.events) == 28  # kept: the event is real even if its date text is not
    p = c.problems.iloc[0]
    assert (p["severity"], p["action"], p["value"]) == ("warning", "kept", "sometime in spring")
    assert pd.isna(c.events.set_index("event_id").loc["E03", "date_start"])


def test_strict_mode_raises_with_every_problem(case_copy):
    edit(case_copy / "places.csv", "36.683333,53.533333", "95,53.533333")
    append(case_copy / "assertions.csv", "nobody,C01,supports,,")
    with pytest.raises(CaseValidationError) as info:
        load_case(case_copy, strict=True)
    assert len(info.value.errors) == 2
    # 404 assertions (the full dossier's 351 + 42 on C37/C38 + 11 of the inputs), so the
    # appended row is 406
    assert info.value.errors[0].startswith(
        "assertions.csv row 406, column source_id: value 'nobody':"
    )
    assert isinstance(info.value, OsintKitError)


def test_derived_from_cycle_is_an_error_naming_the_sources(case_copy):
    # reuters_orig derives only from its three inputs; making it relay worldreviewnews too
    # (which relays foxnews, which relays reuters_orig) closes a loop of three
    inputs = "booking_records;iran_defence_official;western_defence_official"
    edit(
        case_copy / "sources.csv",
        f"primary_reporting,{inputs},",
        f"primary_reporting,{inputs};worldreviewnews,",
    )
    with pytest.raises(CycleError) as info:
        load_case(case_copy)
    assert str(info.value).startswith(
        "derived_from cycle in sources.csv: foxnews -> reuters_orig -> worldreviewnews -> foxnews."
    )
    assert isinstance(info.value, CaseError)


def test_derived_from_unknown_source_is_rejected(case_copy):
    edit(case_copy / "sources.csv", "republication,foxnews,", "republication,fox_news,")
    c = load_case(case_copy)
    p = c.problems.set_index("file").loc["sources.csv"]
    # worldreviewnews is data row 27 of sources.csv (38 sources: the full dossier, in its
    # order), so spreadsheet row 28; it is the first "republication,foxnews," (newsfinale is next)
    assert (p["row"], p["column"], p["value"]) == (28, "derived_from", "fox_news")
    # its 5 assertions (the dossier's 4 rows for worldreviewnews + its C38, the lede) go with
    # it, each saying why
    cascade = c.problems[c.problems["file"] == "assertions.csv"]
    assert len(cascade) == 5
    assert set(cascade["value"]) == {"worldreviewnews"}
    rows_balance(c)


# --------------------------------------------------------------------------- save / new


def test_save_round_trip_is_lossless(case, tmp_path):
    out = case.save(tmp_path / "copy")
    again = load_case(out)
    for t in ("sources", "claims", "assertions", "events", "places", "travel", "hypotheses", "ach"):
        pd.testing.assert_frame_equal(getattr(again, t), getattr(case, t), check_dtype=True)
    assert again.meta == case.meta
    # P02's coordinates are computed, not data: they are not written back
    assert (
        "P02,Search centre: about 15 km west of the port of Amirabad,(derived; no real name),,,"
        in (out / "places.csv").read_text(encoding="utf-8")
    )


def test_save_keeps_rejected_rows(case_copy, tmp_path):
    edit(case_copy / "places.csv", "36.683333,53.533333", "95,53.533333")
    c = load_case(case_copy)
    c.save(tmp_path / "out")
    text = (tmp_path / "out" / "places.csv").read_text(encoding="utf-8")
    assert "P09,Behshahr (town)" in text and ",95," in text  # nothing lost, still visible


def test_new_case_is_a_valid_empty_bundle(tmp_path):
    path = new_case(tmp_path / "my-case", title="My case")
    c = load_case(path)
    assert c.counts()["loaded"].sum() == 0
    assert c.meta["title"] == "My case"
    # a grade needs its reason: the template asks for one next to the grade; the
    # header is the required columns, then every optional column the data
    # dictionary documents (schema/bundle.toml), in its order
    assert (path / "sources.csv").read_text(encoding="utf-8").split("\n")[0] == (
        "source_id,title,publisher,url,published,kind,derived_from,reliability,"
        "reliability_rationale,via,language,notes"
    )
    assert (path / "places.csv").read_text(encoding="utf-8").split("\n")[0] == (
        "place_id,name,alt_names,lat,lon,precision,relative_to,distance_km,bearing,distance_uncertainty,source_url,notes"
    )
    assert (path / "ach.csv").read_text(encoding="utf-8").split("\n")[0] == (
        "hypothesis_id,claim_id,rating,credibility,relevance,rationale"
    )
    with pytest.raises(CaseError, match="already exists"):
        new_case(path)


def test_cite_gives_publisher_and_date_once_each(case):
    # sources.csv: reuters_orig = Reuters, published 2025-03-04; foxnews =
    # Fox News Digital, 2025-03-05; an id not in the case is kept as written
    assert case.cite(["reuters_orig", "foxnews", None, "reuters_orig", "elsewhere"]) == [
        "Reuters, 2025-03-04",
        "Fox News Digital, 2025-03-05",
        "elsewhere",
    ]


@pytest.mark.parametrize(
    "cutoff, problem",
    [
        ("2 October 2025", "is not a date; write the day of the latest material as 2025-10-02"),
        ("2025-02-30", "is not a calendar date"),
    ],
)
def test_cutoff_must_be_an_iso_date(case_copy, cutoff, problem):
    toml = case_copy / "case.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace('cutoff = "2025-10-02"', f'cutoff = "{cutoff}"'), encoding="utf-8")
    with pytest.raises(CaseFileError, match=problem):
        load_case(case_copy)


def test_cutoff_property(case, tmp_path):
    # the bundled case's material ends on 2025-10-02; a new case has none yet
    assert case.cutoff == pd.Timestamp("2025-10-02", tz="UTC")
    assert load_case(new_case(tmp_path / "fresh")).cutoff is None


# --------------------------------------------------------------------------- hostile or damaged files
# Each of these raised a non-kit exception or loaded a wrong result silently
# before (issue 9, items 4 and 5).


def frames_equal(a, b) -> None:
    for t in ("sources", "claims", "assertions", "events", "places", "travel", "hypotheses", "ach"):
        pd.testing.assert_frame_equal(getattr(a, t), getattr(b, t), check_dtype=True)


def test_cr_only_line_ends_load_as_the_same_rows(case_copy, case):
    # an old Mac file ends lines with a lone CR; the csv module raised
    # "new-line character seen in unquoted field". Every file, case.toml too.
    for p in case_copy.iterdir():
        if p.suffix in (".csv", ".toml"):
            p.write_bytes(p.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r"))
    c = load_case(case_copy)
    assert c.problems.empty
    frames_equal(c, case)  # the same rows, columns and values as the LF original
    assert c.meta == case.meta


def test_a_folder_where_a_csv_should_be_is_a_file_error(case_copy):
    (case_copy / "claims.csv").unlink()
    (case_copy / "claims.csv").mkdir()  # was IsADirectoryError
    with pytest.raises(CaseFileError) as info:
        load_case(case_copy)
    assert info.value.errors == [
        "claims.csv is a folder, not a file: the bundle needs a CSV file with the header "
        "claim_id,text,date,place_id by that name (move the folder away and put the file "
        "in its place)."
    ]


def test_case_toml_nested_5000_deep_is_a_file_error(case_copy):
    (case_copy / "case.toml").write_text(
        "x = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8"
    )  # tomllib: RecursionError
    with pytest.raises(CaseFileError) as info:
        load_case(case_copy)
    assert info.value.errors == [
        "case.toml nests lists or tables too deeply to be read (hundreds of levels or "
        "more); a case.toml needs at most one level ([map]): remove the nesting."
    ]


BUNDLED_MAP = "[map]\ncenter = [45.0, 47.0]\nzoom = 4"


@pytest.mark.parametrize(
    "old, new, error",
    [
        (
            'title = "Russian missile',
            'title = 5\nx = "Russian missile',
            "case.toml: title is 5 (a whole number), not text; write it in double quotes: "
            'title = "...".',
        ),
        (
            BUNDLED_MAP,
            "map = 5",
            "case.toml: map is 5 (a whole number), not a table; write the default map view as a "
            "[map] section with the lines center = [45.0, 47.0] (lat, lon) and zoom = 4, or leave "
            "map out.",
        ),
        (
            BUNDLED_MAP,
            '[map]\ncenter = "x"',
            "case.toml: map.center is 'x' (text); it must be [lat, lon], two numbers in degrees, "
            "e.g. center = [45.0, 47.0].",
        ),
        (
            BUNDLED_MAP,
            "[map]\ncenter = [45.0, nan]",
            "case.toml: map.center is [45.0, nan] (a list); it must be [lat, lon], two numbers in "
            "degrees, e.g. center = [45.0, 47.0].",
        ),
        (
            BUNDLED_MAP,
            "[map]\ncenter = [95, 400]",
            "case.toml: map.center [95, 400]: latitude 95 is outside [-90, 90] and longitude 400 "
            "is outside [-180, 180]; write [lat, lon] in degrees, latitude first (WGS84), e.g. "
            "center = [45.0, 47.0].",
        ),
        (
            BUNDLED_MAP,
            '[map]\nzoom = "far"',
            "case.toml: map.zoom is 'far' (text); it must be a number from 0 (the whole world) to "
            "18 (a street), e.g. zoom = 4.",
        ),
        (
            BUNDLED_MAP,
            "[map]\nzoom = 19",
            "case.toml: map.zoom is 19 (a whole number); it must be a number from 0 (the whole "
            "world) to 18 (a street), e.g. zoom = 4.",
        ),
        (
            BUNDLED_MAP,
            "[map]\nzoom = true",  # TOML true is not the number 1
            "case.toml: map.zoom is True (true/false); it must be a number from 0 (the whole "
            "world) to 18 (a street), e.g. zoom = 4.",
        ),
        (
            'cutoff = "2025-10-02"',
            "cutoff = 2025",
            "case.toml: cutoff is 2025 (a whole number), not a day; write the day of the latest "
            'material as cutoff = "2025-10-02".',
        ),
    ],
)
def test_case_toml_fields_of_the_wrong_type_are_file_errors(case_copy, old, new, error):
    # each loaded silently before, and route_map then crashed in folium (map = 5)
    # or centred the map off the Earth ([95, 400])
    edit(case_copy / "case.toml", old, new)
    with pytest.raises(CaseFileError) as info:
        load_case(case_copy)
    assert info.value.errors == [error]


def test_case_toml_date_without_quotes_and_a_bom_are_read(case_copy):
    # Notepad writes a byte-order mark (tomllib: "Invalid statement"); an unquoted
    # TOML date is a day too, and is kept as its ISO text like a quoted one
    toml = case_copy / "case.toml"
    edit(toml, 'cutoff = "2025-10-02"', "cutoff = 2025-10-02")
    toml.write_bytes(b"\xef\xbb\xbf" + toml.read_bytes())
    c = load_case(case_copy)
    assert c.meta["cutoff"] == "2025-10-02"
    assert c.meta["map"] == {"center": [45.0, 47.0], "zoom": 4}


@pytest.mark.parametrize(
    "content, error",
    [
        (
            lambda b: __import__("gzip").compress(b, mtime=0),
            "claims.csv is gzip-compressed, not CSV text: decompress it (gunzip, or 7-Zip on "
            "Windows) and put the .csv it holds in its place.",
        ),
        (
            lambda b: b"PK\x03\x04" + b"\x00" * 40,
            "claims.csv is a zip archive or an Excel workbook (.xlsx), not CSV text: open it and "
            "save the sheet as CSV UTF-8 (comma-separated), or unzip it and use the .csv inside.",
        ),
        (
            lambda b: b.decode("utf-8").encode("utf-16-le"),  # no mark: every other byte is NUL
            "claims.csv is not utf-8 text: a quarter or more of its first bytes are NUL, as in "
            "UTF-16 text without a byte-order mark (or a file that is not text). Re-save it as "
            "UTF-8 (in LibreOffice: Save As → Text CSV, character set Unicode (UTF-8)), or load "
            "it with encoding='utf-16-le' if that is what it is.",
        ),
    ],
)
def test_files_that_are_not_utf8_csv_text_are_named_as_what_they_are(case_copy, content, error):
    # gzip used to be reported as "byte 0x8b ... load it with encoding='cp1251'";
    # UTF-16 without a mark decoded "successfully" into NUL-riddled column names
    p = case_copy / "claims.csv"
    p.write_bytes(content(p.read_bytes()))
    with pytest.raises(CaseFileError) as info:
        load_case(case_copy)
    assert info.value.errors == [error]


def test_utf16_with_a_mark_is_named_then_loads_when_told(case_copy, case):
    # was "not utf-8 text (byte 0xff on line 1) ... load it with encoding='cp1251'"
    p = case_copy / "claims.csv"
    p.write_bytes(p.read_text(encoding="utf-8").encode("utf-16"))
    with pytest.raises(CaseFileError) as info:
        load_case(case_copy)
    assert info.value.errors == [
        "claims.csv is UTF-16 text (it starts with a UTF-16 byte-order mark), not utf-8. "
        "Re-save it as UTF-8 (in LibreOffice: Save As → Text CSV, character set Unicode "
        "(UTF-8)), or load it with encoding='utf-16'."
    ]
    for other in case_copy.glob("*.csv"):
        if other != p:
            other.write_bytes(other.read_text(encoding="utf-8").encode("utf-16"))
    frames_equal(load_case(case_copy, encoding="utf-16"), case)


def test_unknown_encoding_is_a_kit_error(case_copy):
    for encoding, error in [
        (
            "nonsense",
            "Unknown encoding 'nonsense': give one Python knows, e.g. 'utf-8', "
            "'cp1251', 'latin-1' or 'utf-16'.",
        ),
        (
            "rot13",
            "'rot13' is not a text encoding: give one such as 'utf-8', 'cp1251', "
            "'latin-1' or 'utf-16'.",
        ),
    ]:  # LookupError before
        with pytest.raises(CaseError) as info:
            load_case(case_copy, encoding=encoding)
        assert str(info.value) == error


def test_unclosed_quote_names_its_row(case_copy):
    # pandas said "EOF inside string starting at row 37" (counting from 0 at the header)
    append(case_copy / "claims.csv", 'C99,"A text whose quote is never closed,,2024,,,,')
    with pytest.raises(CaseFileError) as info:
        load_case(case_copy)
    assert info.value.errors == [
        "claims.csv: row 40 opens a double quote that is never closed, so every line after "
        "it would be one text. Close the quote (a quote inside a quoted text is written "
        'twice: "").'
    ]


def test_a_text_longer_than_the_csv_field_limit_loads(case_copy):
    # the first data row was checked with the csv module, whose 131,072-character
    # field limit raised _csv.Error: field larger than field limit
    long_text = "x" * 200_000
    edit(
        case_copy / "claims.csv",
        '"Seven Russian weapons/missile specialists were booked to travel Moscow to Tehran '
        'on two flights (bookings, not proof of travel)."',
        long_text,
    )
    c = load_case(case_copy)
    assert c.problems.empty
    assert c.claims.loc[2, "text"] == long_text  # C01 is row 2
    assert c.claims.loc[2, "subject"] == "seven Russian specialists"  # no shift


@pytest.mark.parametrize(
    "hidden, named",
    [
        ("\ufeff", "U+FEFF ZERO WIDTH NO-BREAK SPACE at character 2"),
        ("\u200b", "U+200B ZERO WIDTH SPACE at character 2"),
        ("\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE at character 2"),
        ("\x00", "U+0000 control character at character 2"),
    ],
)
def test_look_alike_ids_are_rejected_naming_the_character(case_copy, hidden, named):
    # "C\u200b05" looks like C05 but does not join with it: it loaded as a claim of
    # its own, and C05's 8 assertions and 4 ACH ratings lost their claim without a word
    edit(case_copy / "claims.csv", "\nC05,", f"\nC{hidden}05,")
    c = load_case(case_copy)
    p = c.problems[c.problems["file"] == "claims.csv"]
    assert p[["row", "column", "value"]].values.tolist() == [[6, "claim_id", f"C{hidden}05"]]
    assert p["problem"].item() == (
        f"claim_id {'C' + hidden + '05'!r} holds an invisible "
        f"character ({named}): it looks like another id but does "
        f"not match it"
    )
    assert p["fix"].item() == "delete the invisible character (retype the id)"
    assert len(c.claims) == 37 and "C05" not in set(c.claims["claim_id"])  # 38 claims - C05
    # the rows that use C05 are set aside, each saying why (C05 has 17 assertions in the
    # full dossier, 18 with booking_records' (the manifest), and 4 ACH ratings)
    assert (c.counts()["rejected"][["assertions", "ach"]] == [18, 4]).all()
    rows_balance(c)


def test_look_alike_ids_in_a_referring_column_are_rejected(case_copy):
    # a zero-width space in assertions' source_id: named as such, not as an unknown source
    append(case_copy / "assertions.csv", "reuters\u200b_orig,C01,supports,,")
    c = load_case(case_copy)
    assert c.problems[["file", "row", "column"]].values.tolist() == [
        ["assertions.csv", 406, "source_id"]
    ]  # one problem for the row, not two
    assert "U+200B ZERO WIDTH SPACE at character 8" in c.problems["problem"].item()
    rows_balance(c)


def test_two_exports_joined_with_cat_are_reported(case_copy):
    # `cat claims.csv more.csv` where more.csv was saved by Excel as "CSV UTF-8":
    # its header arrives mid-file behind a byte-order mark, and loaded as a claim
    # with the id "\ufeffclaim_id"
    header = "claim_id,text,subject,date,place_id,place_name,origin,notes"
    p = case_copy / "claims.csv"
    p.write_bytes(
        p.read_bytes()
        + b"\xef\xbb\xbf"
        + header.encode()
        + b"\n"
        + b"C90,A claim from the second export,,2024,,,,\n"
    )
    c = load_case(case_copy)
    assert c.problems[["file", "row", "column", "value"]].values.tolist() == [
        ["claims.csv", 40, "claim_id", "\ufeffclaim_id"]
    ]  # 38 claims + header + 1
    assert c.problems["problem"].item() == (
        "the line starts with a byte-order mark (U+FEFF) and repeats the header: a second "
        "export was joined onto the file here (e.g. with cat)"
    )
    assert "C90" in set(c.claims["claim_id"])  # the second file's rows load as usual
    rows_balance(c)


def test_a_repeated_header_row_is_rejected(case_copy):
    # the same join without a BOM: "claim_id" loaded as a claim whose id is claim_id
    append(case_copy / "claims.csv", "claim_id,text,subject,date,place_id,place_name,origin,notes")
    c = load_case(case_copy)
    assert c.problems[["row", "problem"]].values.tolist() == [
        [40, "the row repeats the header: two files were probably joined here"]
    ]
    assert "claim_id" not in set(c.claims["claim_id"])


@pytest.mark.parametrize(
    "make, error",
    [
        (
            lambda tmp: tmp / "case.toml",
            "is a file, not a case folder: give the folder that holds case.toml and the CSV files",
        ),
        (
            lambda tmp: tmp / ("b" * 300),
            "cannot be a case folder (File name too long): give "
            "the path of an existing folder, or a case's slug.",
        ),
        (
            lambda tmp: tmp,
            "is not a case bundle: it has no case.toml and none of the bundle's "
            "CSV files (sources.csv, places.csv, claims.csv, events.csv, travel.csv, "
            "assertions.csv, hypotheses.csv, ach.csv). Give the folder of a bundle, or create "
            "one with `osint-kit new-case NAME`.",
        ),
    ],
)
def test_paths_that_are_not_a_case_folder(tmp_path, make, error):
    # a file and an empty folder got "No case folder" / eight "missing" lines; a
    # 300-character name raised OSError: File name too long
    (tmp_path / "case.toml").write_text('title = "x"\n', encoding="utf-8")
    if make(tmp_path) == tmp_path:
        (tmp_path / "case.toml").unlink()
    with pytest.raises(CaseFileError) as info:
        load_case(make(tmp_path))
    assert error in str(info.value)


@pytest.mark.parametrize(
    "name, why",
    [
        (
            "..",
            "it is a path, not a name; choose the folder it goes in with --dir (from "
            "Python: new_case(parent / name))",
        ),
        ("a" * 300, "it has 300 characters; keep it to 64"),
        (
            ".hidden",
            "it starts with '.', which hides the folder or reads as an option; start "
            "with a letter or a digit",
        ),
        ("case\u0430", "it has '\u0430' (U+0430 CYRILLIC SMALL LETTER A) at character 5"),
        ("NUL", "Windows reserves that name for a device"),
    ],
)
def test_new_case_names_must_be_slugs(tmp_path, name, why):
    # all of these were created (or, for 300 characters, raised OSError)
    with pytest.raises(CaseError) as info:
        new_case(tmp_path / "cases" / name)
    assert why in str(info.value)
    assert not (tmp_path / "cases").exists()  # nothing written


def test_a_place_given_in_words_is_read_from_its_name(tmp_path):
    # issue 14: a places row with neither coordinates nor relative_to whose name is a
    # relative phrase is read from its words by the loader (analysis.relative_text
    # places_from_text), in English and Russian; a name that is no phrase stays a problem
    import shutil

    d = tmp_path / "c"
    shutil.copytree(CASE_DIR, d)
    pl = pd.read_csv(d / "places.csv", dtype=str)
    blank = dict.fromkeys(pl.columns)
    rows = [
        {
            **blank,
            "place_id": "P99",
            "name": "about 15 km west of the port of Amirabad",
            "precision": "inferred",
        },
        {
            **blank,
            "place_id": "P98",
            "name": "в 15 км к западу от порта Амирабад",
            "precision": "inferred",
        },
        {**blank, "place_id": "P97", "name": "somewhere nice", "precision": "inferred"},
    ]
    pd.concat([pl, pd.DataFrame(rows)]).to_csv(d / "places.csv", index=False)
    c = load_case(d)
    got = c.places.set_index("place_id")
    p02 = got.loc["P02"]
    for pid, tol in (("P99", 0.3), ("P98", None)):
        p = got.loc[pid]
        # the same reference, distance and bearing as the structured P02 (P01, 15, W) ...
        assert (p["relative_to"], p["distance_km"], p["bearing"]) == ("P01", 15.0, "W")
        assert (p["lat"], p["lon"]) == (p02["lat"], p02["lon"])
        # ... "about" widens the distance to +-30 % (the structured default is 20 %)
        if tol is None:
            assert pd.isna(p["distance_uncertainty"])
        else:
            assert p["distance_uncertainty"] == tol
    assert got.loc["P99", "radius_km"] > p02["radius_km"] == got.loc["P98", "radius_km"]
    probs = c.problems[c.problems["file"] == "places.csv"]
    assert probs["problem"].tolist() == ["the place has no coordinates and no relative_to"]
    assert probs["action"].tolist() == ["rejected"]  # P97, set aside; the two phrases placed
