"""Tests for osint_kit.practice.case: the synthetic practice case (issue 12)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pandas as pd
import pytest

from osint_kit.analysis.ach import compare_hypotheses
from osint_kit.analysis.corroboration import corroborate
from osint_kit.analysis.places import geodesic_km
from osint_kit.cli import main as cli_main
from osint_kit.errors import CaseError
from osint_kit.practice.case import DEFAULT_SEED, PRACTICE_SLUG, main, write_practice_case
from osint_kit.readers.bundle import load_case
from osint_kit.readers.exports import read_bookings, read_opensky

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "data" / "cases" / PRACTICE_SLUG


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def practice():
    return load_case(PRACTICE_SLUG)


def test_regenerating_gives_the_committed_files(tmp_path):
    # the committed bundle is exactly what the script writes with the default seed:
    # nothing in data/cases/<slug> was edited by hand, and the script is deterministic
    out = write_practice_case(tmp_path, seed=DEFAULT_SEED)
    assert out.name == PRACTICE_SLUG
    assert _files(out) == _files(COMMITTED)
    # every file of the bundle, the exports and the README included
    assert sorted(_files(out)) == [
        "README.md",
        "ach.csv",
        "assertions.csv",
        "case.toml",
        "claims.csv",
        "events.csv",
        "exports/bookings_synthetic.csv",
        "exports/manifest_synthetic.csv",
        "exports/opensky_synthetic.csv",
        "hypotheses.csv",
        "places.csv",
        "sources.csv",
        "travel.csv",
    ]


def test_seed_changes_the_exports_only(tmp_path):
    a = _files(write_practice_case(tmp_path / "a", seed=1))
    b = _files(write_practice_case(tmp_path / "b", seed=2))
    story = [n for n in a if n.endswith(".csv") and not n.startswith("exports/")]
    assert len(story) == 8 and all(a[n] == b[n] for n in story)
    # the booking export and the manifest hold the seeded people; the flight list is fixed
    changed = sorted(n for n in a if n.startswith("exports/") and a[n] != b[n])
    assert changed == ["exports/bookings_synthetic.csv", "exports/manifest_synthetic.csv"]


def test_it_says_synthetic_everywhere(practice):
    assert "synthetic" in PRACTICE_SLUG
    meta = tomllib.loads((COMMITTED / "case.toml").read_text(encoding="utf-8"))
    assert meta["synthetic"] is True and meta["seed"] == DEFAULT_SEED
    assert "synthetic" in practice.title.lower()
    assert "entirely synthetic" in (COMMITTED / "README.md").read_text(encoding="utf-8")
    # every invented outlet says so in its publisher name; every URL is example.invalid
    # (the anonymous official, an unpublished input, has none)
    assert practice.sources["publisher"].str.contains("synthetic|synthétique").all()
    urls = practice.sources.set_index("source_id")["url"]
    assert urls[urls.isna()].index.tolist() == ["port_official"]
    assert urls.dropna().str.startswith("https://example.invalid/").all()
    assert all("synthetic" in p.name for p in (COMMITTED / "exports").iterdir())


def test_loads_clean_and_validates(practice):
    assert practice.problems.empty
    c = practice.counts()
    # 18 sources (11 outlets, 6 documents/datasets, 1 anonymous official), 14 claims,
    # 90 stances (the official's two among them), 7 events,
    # 5 places, 4 travel records, 4 hypotheses x 8 evidence items = 32 ACH cells
    assert c["loaded"].to_dict() == {
        "sources": 18,
        "claims": 14,
        "assertions": 90,
        "events": 7,
        "places": 5,
        "travel": 4,
        "hypotheses": 4,
        "ach": 32,
    }
    assert cli_main(["validate", str(COMMITTED)]) == 0


def test_the_story_has_the_drift_it_promises(practice):
    r = corroborate(practice).check()
    d = r.drift.set_index(["source_id", "claim_id"])
    # hardening: gulf_brief turns "booked" into "flew" (its own; change = hardens), brief_mirror
    # and radio_costa copy it
    assert d.loc[("gulf_brief", "C01"), "drift"] == "hardens"
    assert not d.loc[("gulf_brief", "C01"), "inherited"]
    assert d.loc[[("brief_mirror", "C01"), ("radio_costa", "C01")], "drift"].eq("hardens").all()
    assert (
        d.loc[("brief_mirror", "C01"), "inherited"] and d.loc[("radio_costa", "C01"), "inherited"]
    )
    # a dropped caveat and a vaguer place: le_quai
    assert d.loc[("le_quai", "C09"), "drift"] == "omits"
    assert d.loc[("le_quai", "C08"), "drift"] == "qualifies"
    # a misdated fact: port_watch adds C13 (2022) and contradicts C11 (May 2023); newsheap copies it
    assert d.loc[("port_watch", "C13"), "drift"] == "adds"
    assert d.loc[("port_watch", "C11"), "drift"] == "contradicts"
    assert d.loc[("newsheap", "C11"), "inherited"]
    # an addition nobody upstream has
    assert d.loc[("insider_blog", "C14"), "drift"] == "adds"
    assert len(r.drift) == 11  # the eleven rows above and below, no other drift
    s = r.claim_summary.set_index("claim_id")
    # two independent origins: the ADS-B list and the port notice, beside the Ledger
    assert s.loc["C05", "origins_support"] == "flight_list;ledger_orig"
    assert s.loc["C06", "origins_support"] == "ledger_orig;port_notice"
    assert (s.loc[["C05", "C06"], "status"] == "corroborated").all()
    assert (s.drop(["C05", "C06"])["status"] == "single origin").all()
    # the headline (C12) is a claim the origin supports (its body does not say it)
    assert s.loc["C12", "entry_ids"] == "ledger_orig"


def test_the_story_uses_the_model_of_claims_that_know_each_other(practice):
    r = corroborate(practice).check()
    src = practice.sources.set_index("source_id")
    # the anonymous official is an input (kind official, F) behind the Ledger: the Ledger has
    # no drift rows (what it adds to its input is its reporting), and the official's account
    # (C07, C08) has the official as its origin, an F origin that weighs nothing (6)
    assert src.at["port_official", "kind"] == "official"
    assert src.at["port_official", "via"] == "told the Ledger, anonymously"
    assert src.at["ledger_orig", "derived_from"] == "port_official"
    assert not (r.drift["source_id"] == "ledger_orig").any()
    s = r.claim_summary.set_index("claim_id")
    assert s.loc[["C07", "C08"], "origins_support"].tolist() == ["port_official"] * 2
    assert s.loc[["C07", "C08"], "credibility_suggested"].tolist() == [6, 6]
    # the Ledger and its ten relays, and the official itself: twelve sources with that root
    assert (r.origins["origin_id"] == "port_official").sum() == 12
    # the misdating C13 (an E relay, 4) excludes the better-supported C11 (B, 2): improbable, 5
    assert s.at["C13", "conflicts_with"] == "C11"
    assert s.at["C13", "credibility_suggested"] == 5 and s.at["C11", "credibility_suggested"] == 2
    # the events backing C05 and C06 are cited to flight_list and port_notice, sources already
    # in the case: they add no source and no origin
    assert practice.claims.set_index("claim_id").loc[["C05", "C06"], "event_ids"].tolist() == [
        "E05",
        "E06",
    ]
    assert r.event_sources["source_id"].tolist() == ["flight_list", "port_notice"]
    assert r.event_sources["listed"].all()
    assert s.loc[["C05", "C06"], "n_origins_support"].tolist() == [2, 2]


def test_relative_place_and_events_with_sources(practice):
    p = practice.places.set_index("place_id")
    assert p.at["P02", "coord_origin"] == "computed"
    # 12 km due east of P01 on the ellipsoid (pyproj): the distance comes back exactly
    d = geodesic_km(p.at["P01", "lat"], p.at["P01", "lon"], p.at["P02", "lat"], p.at["P02", "lon"])
    assert d == pytest.approx(12.0, abs=1e-6)
    assert p.at["P02", "lon"] > p.at["P01", "lon"]
    # every context event names a source of the case, and its source_url is that source's url
    ev = practice.events
    assert ev["source_id"].isin(practice.sources["source_id"]).all()
    url = practice.sources.set_index("source_id")["url"]
    assert (ev["source_url"] == url.loc[ev["source_id"]].to_numpy()).all()


def test_ach_has_a_clear_shape(practice):
    a = compare_hypotheses(practice).check()
    # H1 least inconsistent (C09 only), then H3, H4, H2 (C05 II weighs High x High = 2 x 2)
    assert a.scores["hypothesis_id"].tolist() == ["H1", "H3", "H4", "H2"]
    assert a.diagnosticity.iloc[0]["claim_id"] == "C05"
    assert a.diagnosticity.iloc[0]["diagnosticity"] == 4  # CC (2) to II (-2)


def test_exports_are_messy_but_read(practice):
    b = read_bookings(COMMITTED / "exports" / "bookings_synthetic.csv")
    # 48 noise rows + group K: 8 people x 2 flights; every row comes out as a leg
    assert len(b.legs) == 64 and b.rows_in == 64
    assert b.legs["problem"].notna().sum() > 0  # some rows broken on purpose
    k = b.legs[b.legs["record_id"].str.startswith("K")]
    assert len(k) == 16 and (k["destination_code"].isin(["IKA", "OIIE"])).all()
    m = read_bookings(COMMITTED / "exports" / "manifest_synthetic.csv", record_kind="manifest")
    assert len(m.legs) == 12 and (m.legs["record_kind"] == "manifest").all()
    o = read_opensky(COMMITTED / "exports" / "opensky_synthetic.csv")
    assert len(o.legs) == 6
    assert o.legs["destination"].isna().sum() == 1  # OpenSky left one arrival airport empty
    assert (o.legs["flight"] == "IRM9117").sum() == 1


def test_refuses_to_overwrite_and_bad_seed(tmp_path, capsys):
    write_practice_case(tmp_path)
    with pytest.raises(CaseError, match="already exists"):
        write_practice_case(tmp_path)
    write_practice_case(tmp_path, overwrite=True)
    for bad in (-1, "7", 1.5, True):
        with pytest.raises(CaseError, match="seed must be a whole number"):
            write_practice_case(tmp_path / "x", seed=bad)
    assert main([str(tmp_path / "cli")]) == 0
    assert (tmp_path / "cli" / PRACTICE_SLUG / "case.toml").exists()
    assert main([str(tmp_path / "cli")]) == 2  # exists: an error message, no traceback
    assert "already exists" in capsys.readouterr().err


def test_the_case_is_not_changed_by_loading(practice):
    before = _files(COMMITTED)
    corroborate(practice)
    compare_hypotheses(practice)
    assert _files(COMMITTED) == before
    assert isinstance(practice.claims, pd.DataFrame)


def test_synthetic_bookings_year():
    from osint_kit.practice.synthetic import synthetic_bookings

    # year= moves the departures into that year without changing the other draws
    a = synthetic_bookings(400, seed=9, bad_fraction=0.05)
    b = synthetic_bookings(400, seed=9, bad_fraction=0.05, year=2023)
    assert (a["Фамилия"] == b["Фамилия"]).all() and (
        a["Номер паспорта"] == b["Номер паспорта"]
    ).all()
    dep = b.loc[b["_defect"] != "bad_date", "Дата вылета"]
    # every readable departure (all five formats) names 2023, none 2024
    assert dep.str.contains("2023").all() and not dep.str.contains("2024").any()
    assert (b.loc[b["_defect"] == "bad_date", "Дата вылета"] == "31.02.2023 10:00").all()
