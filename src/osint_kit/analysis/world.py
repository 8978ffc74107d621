"""World gazetteer: the world's populated places, offline, with ambiguity said out loud.

The file ``data/gazetteer/world_places.csv.gz`` (+ ``world_names.csv.gz``)
is derived from GeoNames ``cities500`` (CC BY 4.0) by
``data/gazetteer/build_world.py``; see ``data/gazetteer/README.md``.  It is
read on the first :func:`lookup` or :func:`resolve` (never by
``import osint_kit`` or ``import osint_kit.analysis.world``) and cached.

Matching a name
---------------
A name is split at its first comma ("Tripoli, Libya": the *head* "Tripoli",
the *qualifier* "Libya"; more commas give more qualifiers).  The head's
candidates are the places found either way (``matched_on`` says which):

1. **as written**: Unicode NFKC, case-folded, spaces collapsed, and the
   Arabic/Persian letter variants unified (ي/ى and ی, ك and ک; tatweel,
   harakat and the zero-width non-joiner removed) -- :func:`written_form` --
   against the same form of every name and alternate name;
2. **transliterated**: :func:`osint_kit.text.match_key` (anyascii) of a head
   in Latin, Cyrillic or Greek letters against the key of the names in those
   scripts ("Пенза" -> "penza").  A head in Arabic script is matched as
   written only: an abjad transliterates without its short vowels and
   anyascii even drops an initial alef (امیرآباد, Amirabad, and میرآباد,
   Mirabad, both give "myrabd").

Both ways are pooled, never one preferred: "Tehrān" is written so only for
Tīrān (418446), a town of 21,703, and transliterates to the capital's key.

Choosing a candidate (:func:`resolve`)
--------------------------------------
A name with one candidate resolves to it (``resolved_by="only candidate"``).
A name with several resolves only when its context narrows them to one, in
this order (each step applies while more than one candidate is left):

1. **qualifiers in the text** ("Tripoli, Libya", "Springfield, Illinois",
   "Springfield, IL"): each qualifier keeps the candidates whose country
   (GeoNames or ISO 3166 name, English, Russian, Ukrainian, Persian or
   Arabic, via pycountry; or its ISO code written in capitals) or region
   (name, or admin1 code in capitals) it names.  A qualifier that names none
   of the candidates is a problem, not ignored -> ``"country in text"`` /
   ``"region in text"``;
2. ``countries=`` (the case's countries, ISO alpha-2 or names): keeps the
   candidates in those countries *if any is*; a place abroad is still found
   -> ``"country"``;
3. ``region=`` (text, like a qualifier) -> ``"region"``;
4. ``near=(lat, lon)`` (another place of the same record): the one
   candidate within :data:`NEAR_KM` km of it; two or more within that
   distance stay ambiguous -> ``"nearest to (lat, lon): d km; next e km"``;
5. **a national capital** that has at least :data:`CAPITAL_FACTOR` times
   the population of every other remaining candidate ("Tehran": the capital,
   7,153,309, against Tīrān, 21,703, which GeoNames also calls "Tehran")
   -> ``"capital, >=100x any other candidate"``.  Nothing else is decided by
   population: Kazan, Russia (1,243,500) against Kazan, Turkey (23,889) is
   52x, and stays ambiguous without the case's countries; Paris, France
   against Paris, Texas is 85x, so "Paris" alone is ambiguous too.

Anything else with more than one candidate is a **problem**: no
coordinates, the top :data:`MAX_LISTED` candidates listed (name, country,
region, population) and the fix ("add the place to the case, or write
'Tripoli, Libya'").  There is never a silent pick of the most populous.
Empty names, numbers, names in letters of several scripts (a Cyrillic "а"
in a Latin name) or in a script the file does not carry are problems too;
nothing here raises on bad input and nothing gets (0, 0).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from osint_kit.datafiles import data_path
from osint_kit.errors import PlaceResolutionError
from osint_kit.text import match_key

__all__ = [
    "CAPITAL_FACTOR",
    "LOOKUP_COLUMNS",
    "MAX_LISTED",
    "NEAR_KM",
    "RESOLVE_COLUMNS",
    "countries_named",
    "load",
    "lookup",
    "resolve",
    "written_form",
]

#: km: a candidate this close to the record's other place (and the only one so
#: close) is taken.  Towns of the same name are usually farther apart
#: (Iran's two Amirabads of the file are 632 km apart), while a record's
#: places are in the same area.
NEAR_KM = 100.0
#: a capital wins only with this many times the population of every other candidate.
CAPITAL_FACTOR = 100
#: candidates listed in a problem.
MAX_LISTED = 5
EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG); distances for NEAR_KM only

LOOKUP_COLUMNS = [
    "name",
    "rank",
    "n_candidates",
    "matched_on",
    "geonameid",
    "place",
    "country_code",
    "country",
    "region_code",
    "region",
    "population",
    "lat",
    "lon",
    "tz",
]
RESOLVE_COLUMNS = [
    "geonameid",
    "place",
    "country_code",
    "country",
    "region_code",
    "region",
    "population",
    "lat",
    "lon",
    "tz",
    "matched_on",
    "resolved_by",
    "n_candidates",
    "candidates",
    "problem",
    "fix",
]

SOURCE = "GeoNames cities500 (CC BY 4.0), via data/gazetteer/world_places.csv.gz"

# --------------------------------------------------------------------------- text forms

_ARABIC_FOLD = {
    0x064A: 0x06CC,
    0x0649: 0x06CC,
    0x0643: 0x06A9,
    0x0640: None,
    0x200C: None,
    0x200D: None,
    0x0670: None,
}
_ARABIC_FOLD.update({c: None for c in range(0x064B, 0x0660)})  # harakat, sukun, ...
_SPACES = re.compile(r"\s+")

_LATIN = "A-Za-z\u00aa\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
_CYRILLIC = "\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f"
_GREEK = "\u0370-\u03ff\u1f00-\u1fff"
_ARABIC = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
_LETTER = r"(?=[^\W\d_])"  # a letter (not a digit, not "_")
_SCRIPT_RE = {
    name: f"{_LETTER}[{chars}]"
    for name, chars in (
        ("Latin", _LATIN),
        ("Cyrillic", _CYRILLIC),
        ("Greek", _GREEK),
        ("Arabic", _ARABIC),
    )
}
_OTHER_LETTER = f"{_LETTER}[^{_LATIN}{_CYRILLIC}{_GREEK}{_ARABIC}]"


def written_form(values: pd.Series) -> pd.Series:
    """The "as written" matching form of each value (string Series in, out).

    NFKC, case-folded, runs of white space as one space, stripped, and the
    Arabic-script letter variants unified (Arabic yeh/alef maksura -> Farsi
    yeh, Arabic kaf -> keheh; tatweel, harakat, superscript alef, ZWNJ/ZWJ
    removed), so that text typed on an Arabic or a Persian keyboard, or
    copied with presentation forms, meets the same form.

    >>> written_form(pd.Series(["  TEHRAN ", "تهران", "كرج"])).tolist()
    ['tehran', 'تهران', 'کرج']
    """
    s = values.astype("string").str.normalize("NFKC").str.casefold()
    s = s.str.translate(_ARABIC_FOLD)
    return s.str.replace(_SPACES, " ", regex=True).str.strip()


# --------------------------------------------------------------------------- the file


class _World:
    """The loaded gazetteer: places (one row per GeoNames id, sorted by id)
    and two name indexes from a form to the positions of its places: the
    written forms (sorted in the file, searched by bisection) and the
    transliterated keys (hashed, built on the first name that needs them)."""

    def __init__(self, places: pd.DataFrame, names: pd.DataFrame):
        self.places = places
        gid = places["geonameid"].to_numpy()
        pos = np.searchsorted(gid, names["geonameid"].to_numpy())
        written = names["written"].to_numpy(dtype=object)
        self.written = _Forms(written, pos)
        self._names = (written, names["key"].to_numpy(dtype=object), pos)
        self._key: _Forms | None = None
        self.capital = places["capital"].to_numpy() == 1
        self.population = places["population"].to_numpy()
        self.lat = places["lat"].to_numpy()
        self.lon = places["lon"].to_numpy()

    @property
    def key(self) -> _Forms:
        if self._key is None:
            # the file stores a key only where it differs from the written form ("");
            # "-" marks none (Arabic script, or a key the place has from another form).
            # A form in Arabic letters never equals an (ASCII) key.
            written, keys, pos = self._names
            keep = keys != "-"
            keys = np.where(keys == "", written, keys)
            self._key = _Forms(keys[keep], pos[keep])
        return self._key

    @staticmethod
    def gather(index: _Forms, queries: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        """(query position, place position) of every candidate of each query form."""
        code = index.codes(queries)
        hit = np.flatnonzero(code >= 0)
        starts, ends = index.offsets[code[hit]], index.offsets[code[hit] + 1]
        counts = ends - starts
        q = np.repeat(hit, counts)
        within = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        return q, index.pos[np.repeat(starts, counts) + within]


class _Forms:
    """Distinct forms (sorted), and for form i its places
    ``pos[offsets[i]:offsets[i + 1]]``.  (form, place) pairs are distinct in
    the file (build_world.py)."""

    def __init__(self, forms: np.ndarray, pos: np.ndarray):
        if len(forms) > 1 and not (forms[1:] >= forms[:-1]).all():
            # not sorted (the keys): group equal forms by their factorized code
            codes, _ = pd.factorize(forms)
            order = np.argsort(codes, kind="stable")
            forms, pos = forms[order], pos[order]
        start = (
            np.flatnonzero(np.r_[True, forms[1:] != forms[:-1]])
            if len(forms)
            else np.zeros(0, dtype=np.int64)
        )
        self.forms = forms[start]
        self._index: pd.Index | None = None
        self.offsets = np.r_[start, len(forms)].astype(np.int64)
        self.pos = pos

    def codes(self, queries: pd.Series) -> np.ndarray:
        """Position of each query among the forms, -1 when absent (NA: absent).
        A hash table of the forms is built on the first call (pandas' Index
        engine); bisection on Python strings was 30x slower per query."""
        if self._index is None:
            self._index = pd.Index(self.forms, dtype=object)
        q = queries.astype(object).where(queries.notna(), "").to_numpy(dtype=object)
        return self._index.get_indexer(q)


@functools.lru_cache(maxsize=1)
def load() -> _World:
    """Read the world gazetteer (once per process: 2-4 s on the project's 2-core
    machine, 2026-12-01; the transliterated-key index is built on the first
    name that needs it, about 0.5 s more).

    ``load().places`` columns: geonameid (int64), name, ascii_name, lat, lon
    (float64, WGS84 degrees), country_code (ISO 3166-1 alpha-2), country,
    admin1_code, region (name where known, else empty), population (int64),
    tz (IANA), capital (1 for a national capital).
    """
    text = {
        "name": "string",
        "ascii_name": "string",
        "country_code": "string",
        "country": "string",
        "admin1_code": "string",
        "region": "string",
        "tz": "string",
    }
    places = pd.read_csv(
        data_path("gazetteer", "world_places.csv.gz"),
        keep_default_na=False,
        na_values=[],
        dtype={
            **text,
            "geonameid": "int64",
            "lat": "float64",
            "lon": "float64",
            "population": "int64",
            "capital": "int8",
        },
    )
    names = pd.read_csv(
        data_path("gazetteer", "world_names.csv.gz"),
        keep_default_na=False,
        na_values=[],
        dtype={"geonameid": "int64", "written": object, "key": object},
    )
    return _World(places, names)


# --------------------------------------------------------------------------- parsing


def _distinct(names) -> tuple[pd.Series, np.ndarray, pd.Index]:
    series = names if isinstance(names, pd.Series) else pd.Series(list(names), dtype=object)
    series = series.astype("string")
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    return series, codes, pd.Index(uniques, dtype="string")


_SPLIT = re.compile(r"\s*[,\u060c]\s*")
_SCRIPT_PATTERNS = {name: re.compile(rx) for name, rx in _SCRIPT_RE.items()}
_OTHER_PATTERN = re.compile(_OTHER_LETTER)
_ASCII_LETTER = re.compile("[A-Za-z]")
_DIGIT = re.compile(r"\d")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_FIXES = {
    "empty": "write the place's name (or leave the row without a place)",
    "other": "write the name in Latin letters, or add the place to the case with its coordinates",
    "mixed": "retype the name in one script",
    "number": "write the place's name here; coordinates go in the lat/lon columns",
    "none": "write the place's name",
}


def _analyse(text) -> tuple:
    """One distinct text -> (head, qualifiers, script, problem, fix, written, key)."""
    if not isinstance(text, str):
        return "", [], None, "empty place name", _FIXES["empty"], None, None
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    if "," in text or "\u060c" in text:
        parts = _SPLIT.split(text)
        head, quals = parts[0].strip(), parts[1:]
    else:
        head, quals = text.strip(), []
    if not head:
        return head, quals, None, "empty place name", _FIXES["empty"], None, None
    if head.isascii():
        found = ["Latin"] if _ASCII_LETTER.search(head) else []
        other = False
    else:
        found = [name for name, rx in _SCRIPT_PATTERNS.items() if rx.search(head)]
        other = _OTHER_PATTERN.search(head) is not None
    script = found[0] if len(found) == 1 else None
    if other:
        return (
            head,
            quals,
            script,
            (
                f"letters of a script the world gazetteer does not carry in "
                f"'{head}' (it has Latin, Cyrillic, Greek, Arabic/Persian names)"
            ),
            _FIXES["other"],
            None,
            None,
        )
    if len(found) > 1:
        return (
            head,
            quals,
            None,
            f"letters of several scripts in one name: '{head}' mixes "
            + " and ".join(found)
            + " (often a look-alike letter, such as Cyrillic 'а' for Latin 'a')",
            _FIXES["mixed"],
            None,
            None,
        )
    if not found:
        if _DIGIT.search(head):
            return (
                head,
                quals,
                None,
                f"a number, not a place name: '{head}'",
                _FIXES["number"],
                None,
                None,
            )
        return (
            head,
            quals,
            None,
            f"no letters in the place name '{head}'",
            _FIXES["none"],
            None,
            None,
        )
    if head.isascii():
        lower = head.lower()
        written = _SPACES.sub(" ", lower)  # str.casefold is str.lower on ASCII
        return head, quals, script, None, None, written, _NON_ALNUM.sub(" ", lower).strip()
    written = _SPACES.sub(" ", head.casefold().translate(_ARABIC_FOLD)).strip()
    # an abjad is matched as written only
    key = None if script == "Arabic" else match_key(head)
    return head, quals, script, None, None, written, key


def _parse(values: pd.Index) -> pd.DataFrame:
    """Per distinct text: text, head, quals (list), script, problem, fix, and the
    head's ``written`` form (as :func:`written_form`) and transliterated ``key``
    (:func:`osint_kit.text.match_key`; None for Arabic script) -- one pass per value."""
    rows = [_analyse(v) for v in values.to_numpy(dtype=object, na_value=None)]
    frame = pd.DataFrame(
        rows, columns=["head", "quals", "script", "problem", "fix", "written", "key"], dtype=object
    )
    frame.insert(0, "text", pd.Series(values, dtype="string"))
    return frame  # object columns, None when absent (internal; converted on output)


# --------------------------------------------------------------------------- candidates


def _candidates(parsed: pd.DataFrame, world: _World) -> pd.DataFrame:
    """Long frame (q, pos, tier) of every candidate of every parsed query: the
    places whose written form matches (tier 1) and, for alphabetic scripts,
    those whose transliterated key matches (tier 2); a place found both ways
    counts once, as tier 1."""
    q1, p1 = world.gather(world.written, parsed["written"])
    q2, p2 = world.gather(world.key, parsed["key"])
    frames = [
        pd.DataFrame({"q": q1, "pos": p1, "tier": np.int8(1)}),
        pd.DataFrame({"q": q2, "pos": p2, "tier": np.int8(2)}),
    ]
    cand = pd.concat(frames, ignore_index=True)
    q, pos, tier = (cand[c].to_numpy() for c in ("q", "pos", "tier"))
    order = np.lexsort((tier, pos, -world.population[pos], q))
    q, pos, tier = q[order], pos[order], tier[order]
    first = np.ones(len(q), dtype=bool)
    first[1:] = (q[1:] != q[:-1]) | (pos[1:] != pos[:-1])
    return pd.DataFrame({"q": q[first], "pos": pos[first], "tier": tier[first]})


def _describe(world: _World, pos: np.ndarray) -> pd.Series:
    """'Tripoli (Libya, region 77, pop. 1,302,947)' for each place position."""
    p = world.places.iloc[pos]
    region = p["region"].where(p["region"] != "", "region " + p["admin1_code"])
    region = region.where(p["admin1_code"] != "", "no region")
    pop = pd.Series([f"{v:,}" for v in p["population"].to_numpy()], index=p.index, dtype="string")
    text = p["name"] + " (" + p["country"] + ", " + region + ", pop. " + pop + ")"
    return text.reset_index(drop=True)


def lookup(names: pd.Series | Iterable[str]) -> pd.DataFrame:
    """Every candidate of each distinct name, most populous first.

    Parameters
    ----------
    names : Series or sequence of str
        Place names in Latin, Cyrillic, Greek or Arabic script; a comma
        part ("Tripoli, Libya") is ignored here (see :func:`resolve`).

    Returns
    -------
    DataFrame
        One row per (distinct name, candidate), in the order names first
        appear, candidates by population (descending), then geonameid.
        Columns: ``name`` (the input text), ``rank`` (1 = most populous),
        ``n_candidates``, ``matched_on`` ("as written" | "transliterated"),
        ``geonameid``, ``place``, ``country_code``, ``country``,
        ``region_code`` (GeoNames admin1), ``region``, ``population``,
        ``lat``, ``lon`` (WGS84 degrees), ``tz`` (IANA).  A name with no
        candidate (or that cannot be a name) has one row with
        ``n_candidates`` 0 and the rest empty: no name is lost.
    """
    _, _, values = _distinct(names)
    values = values.dropna() if values.hasnans else values
    world = load()
    parsed = _parse(values)
    cand = _candidates(parsed, world)
    n = np.bincount(cand["q"].to_numpy(), minlength=len(parsed))
    rank = cand.groupby("q").cumcount().to_numpy() + 1
    p = world.places.iloc[cand["pos"].to_numpy()].reset_index(drop=True)
    found = pd.DataFrame(
        {
            "q": cand["q"].to_numpy(),
            "name": parsed["text"].to_numpy()[cand["q"].to_numpy()],
            "rank": rank,
            "n_candidates": n[cand["q"].to_numpy()],
            "matched_on": np.where(cand["tier"].to_numpy() == 1, "as written", "transliterated"),
            "geonameid": p["geonameid"],
            "place": p["name"],
            "country_code": p["country_code"],
            "country": p["country"],
            "region_code": p["admin1_code"],
            "region": p["region"],
            "population": p["population"],
            "lat": p["lat"],
            "lon": p["lon"],
            "tz": p["tz"],
        }
    )
    missing = np.flatnonzero(n == 0)
    empty = pd.DataFrame(
        {"q": missing, "name": parsed["text"].to_numpy()[missing], "rank": 0, "n_candidates": 0}
    )
    out = pd.concat([found, empty], ignore_index=True).sort_values(["q", "rank"], kind="stable")
    out = out.drop(columns="q").reset_index(drop=True)
    for c in (
        "name",
        "matched_on",
        "place",
        "country_code",
        "country",
        "region_code",
        "region",
        "tz",
    ):
        out[c] = out[c].astype("string")
    out["geonameid"] = out["geonameid"].astype("Int64")
    out["population"] = out["population"].astype("Int64")
    return out[LOOKUP_COLUMNS]


# --------------------------------------------------------------------------- context


@functools.lru_cache(maxsize=1)
def _country_names() -> pd.DataFrame:
    """(key, country_code): country names (GeoNames; pycountry's name, common and
    official names, and their Russian, Ukrainian, Persian, Arabic translations)."""
    import gettext

    import pycountry

    rows = []
    world = load()
    geo = world.places.drop_duplicates("country_code")
    rows += list(zip(geo["country"], geo["country_code"]))
    langs = [
        gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
        for lang in ("ru", "uk", "fa", "ar")
    ]
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value:
                rows.append((value, c.alpha_2))
                rows += [(t.gettext(value), c.alpha_2) for t in langs]
    # "Iran, Islamic Republic of" / "ایران، جمهوری اسلامی": the short name before the comma
    rows += [(re.split("[,\u060c]", n)[0].strip(), c) for n, c in rows if re.search("[,\u060c]", n)]
    frame = pd.DataFrame(rows, columns=["name", "country_code"]).astype("string")
    frame["key"] = _qualifier_keys(frame["name"])
    return frame.drop_duplicates(["key", "country_code"])[["key", "country_code"]]


def _qualifier_keys(values: pd.Series) -> pd.Series:
    """Matching key of a qualifier or of a country/region name: the written form for
    Arabic script, the transliterated key otherwise."""
    values = values.astype("string")
    arabic = values.str.contains(_SCRIPT_RE["Arabic"], regex=True).fillna(False)
    keys = pd.Series(
        [match_key(v) if isinstance(v, str) else "" for v in values],
        index=values.index,
        dtype="string",
    )
    return keys.mask(arabic, "ar:" + written_form(values))


def countries_named(texts: pd.Series) -> pd.Series:
    """The ISO 3166-1 alpha-2 code of the country each text names, <NA> when none.

    A country name (GeoNames' English name; pycountry's name, common and
    official names and their Russian, Ukrainian, Persian and Arabic
    translations, and their short forms before a comma: "Iran", "Иран",
    "ایران") or an ISO alpha-2/alpha-3 code written in capitals ("IR", "IRN").
    Same index as ``texts``; each distinct text is keyed once.
    """
    import pycountry

    texts = texts.astype("string")
    codes, uniques = pd.factorize(texts, use_na_sentinel=True)
    u = pd.Series(uniques, dtype="string").str.strip()
    table = _country_names().drop_duplicates("key").set_index("key")["country_code"]
    by_name = _qualifier_keys(u).map(table)
    iso = {c.alpha_2: c.alpha_2 for c in pycountry.countries}
    iso.update({c.alpha_3: c.alpha_2 for c in pycountry.countries})
    by_code = u.map(iso)
    found = by_name.fillna(by_code).astype("string").to_numpy(dtype=object)
    out = np.append(found, pd.NA)[np.where(codes < 0, len(found), codes)]
    return pd.Series(out, index=texts.index, dtype="string")


def _country_codes(countries) -> set[str]:
    """ISO alpha-2 codes of ``countries`` (codes or names); unknown names are errors."""
    if countries is None:
        return set()
    if isinstance(countries, str):
        countries = [countries]
    values = pd.Series(list(countries), dtype="string").dropna().str.strip()
    codes = set(values[values.str.fullmatch(r"[A-Z]{2}")])
    rest = values[~values.isin(codes)]
    if len(rest):
        table = _country_names().drop_duplicates("key").set_index("key")["country_code"]
        mapped = _qualifier_keys(rest).map(table)
        if mapped.isna().any():
            bad = ", ".join(repr(v) for v in rest[mapped.isna().to_numpy()])
            raise PlaceResolutionError(
                f"countries= names no country: {bad}; give ISO 3166-1 alpha-2 codes "
                "(RU, IR) or English names (Russia, Iran)"
            )
        codes |= set(mapped)
    return codes


#: words that say a qualifier is a first-level region, removed before its name is
#: compared with the region's ("Kharkiv oblast" -> "Kharkiv").
_REGION_WORDS = (
    r"(?i)(?:^(?:the\s+)?(?:province|region|governorate|state|republic|oblast)\s+of\s+"
    r"|\s+(?:oblast|province|region|governorate|state|krai|kray|raion|county)$"
    r"|\s+(?:област[ьи]|кра[йя]|губерни[яи])$|^(?:استان|ostan-e|ostan)\s+)"
)


def _qualifier_match(
    cand: pd.DataFrame, q_of: np.ndarray, text: pd.Series, world: _World
) -> pd.DataFrame:
    """For each candidate row and its query's qualifier ``text`` (aligned with
    ``q_of`` = query of each qualifier): does the qualifier name its country or region?

    Returns a frame (row = candidate row, qual = qualifier number, country, region)."""
    quals = pd.DataFrame({"q": q_of, "text": text.to_numpy()})
    quals["qual"] = np.arange(len(quals))
    quals["key"] = _qualifier_keys(quals["text"]).to_numpy()
    # "Kharkiv oblast", "Mazandaran province", "استان مازندران": the region's name
    bare = quals["text"].str.replace(_REGION_WORDS, "", regex=True).str.strip()
    quals["region_key"] = _qualifier_keys(bare).to_numpy()
    quals["code"] = quals["text"].where(
        quals["text"].str.fullmatch(r"[A-Z]{2,3}|[A-Z0-9]{2,3}").fillna(False)
    )
    countries = _country_names()
    import pycountry

    iso = pd.DataFrame(
        [(c.alpha_2, c.alpha_2) for c in pycountry.countries]
        + [(c.alpha_3, c.alpha_2) for c in pycountry.countries],
        columns=["code", "country_code"],
    ).astype("string")
    by_name = quals.merge(countries, on="key")[["qual", "country_code"]]
    by_code = quals.dropna(subset=["code"]).merge(iso, on="code")[["qual", "country_code"]]
    qual_country = pd.concat([by_name, by_code]).drop_duplicates()
    rows = cand.reset_index(names="row").merge(
        quals[["q", "qual", "key", "region_key", "code"]], on="q"
    )
    p = world.places.iloc[rows["pos"].to_numpy()]
    rows["country_code"] = p["country_code"].to_numpy()
    region_key = _region_keys(world)[rows["pos"].to_numpy()]
    named = (region_key == rows["key"].to_numpy()) | (region_key == rows["region_key"].to_numpy())
    rows["region"] = (named & (region_key != "")) | (
        rows["code"].notna().to_numpy() & (p["admin1_code"].to_numpy() == rows["code"].to_numpy())
    )
    rows["region"] = rows["region"].fillna(False).astype(bool)
    hit = rows.merge(qual_country.assign(country=True), on=["qual", "country_code"], how="left")
    hit["country"] = hit["country"].fillna(False).astype(bool)
    return hit[["row", "q", "qual", "country", "region"]]


@functools.lru_cache(maxsize=1)
def _region_keys_cached() -> np.ndarray:
    world = load()
    names = world.places["region"]
    distinct = pd.Series(names.unique(), dtype="string")
    keys = _qualifier_keys(distinct).where(distinct != "", "")
    return names.map(dict(zip(distinct, keys))).astype(object).to_numpy()


def _region_keys(world: _World) -> np.ndarray:
    return _region_keys_cached()


# --------------------------------------------------------------------------- resolve


def _country_as_place(parsed, name_code_v, valid_q, problem, fix, cand, world):
    """A bare name that is a country's name ("Russia", "Israel", "Iran") is a
    country, not a town named so (GeoNames has Russia, Ohio, pop. 552): a problem
    -- a country has no point -- never the town.  With its country after a comma
    ("Russia, United States") the town is found as usual."""
    key = parsed["key"].to_numpy(dtype=object)
    written = parsed["written"].to_numpy(dtype=object)
    quals = parsed["quals"].to_numpy(dtype=object)
    arabic = parsed["script"].to_numpy(dtype=object) == "Arabic"
    forms = np.where(arabic, "ar:" + np.where(written == None, "", written), key)  # noqa: E711
    forms = np.where(forms == None, "", forms)  # noqa: E711
    bare = np.array([not (isinstance(x, list) and len(x) > 0) for x in quals])
    known = pd.Index(_country_names()["key"].astype(object).unique())
    is_country = bare & (known.get_indexer(forms.astype(object)) >= 0)
    hit = valid_q & is_country[name_code_v] & pd.isna(problem)
    if not hit.any():
        return problem, fix
    n_q = len(problem)
    first = np.full(n_q, -1)
    if len(cand):
        firsts = cand.drop_duplicates("q")
        first[firsts["q"].to_numpy()] = firsts["pos"].to_numpy()
    heads = parsed["head"].to_numpy(dtype=object)[name_code_v]
    countries = world.places["country"].to_numpy(dtype=object)
    for i in np.flatnonzero(hit):
        town = ""
        if first[i] >= 0:
            town = (
                f"; for the town of that name write its country after a comma, e.g. "
                f"'{heads[i]}, {countries[first[i]]}'"
            )
        problem[i] = f"'{heads[i]}' names a country, not a place: a country has no point to draw"
        fix[i] = "name the city or site the record is about, or add it to the case" + town
    return problem, fix


def _haversine_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    lat1, lon1, lat2, lon2 = (
        np.radians(np.asarray(v, dtype="float64")) for v in (lat1, lon1, lat2, lon2)
    )
    a = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def _per_row(value, series: pd.Series, what: str):
    """A scalar context value, or one aligned with the names (None: absent)."""
    if value is None:
        return None
    if isinstance(value, pd.Series):
        return value.reindex(series.index) if not value.index.equals(series.index) else value
    return value


def resolve(
    names: pd.Series | Iterable[str],
    *,
    countries: Iterable[str] | str | None = None,
    region: str | pd.Series | None = None,
    near: Any = None,
) -> pd.DataFrame:
    """Resolve place names against the world gazetteer, only where unambiguous.

    Parameters
    ----------
    names : Series or sequence of str
        Place names, optionally with a country or region after a comma
        ("Tripoli, Libya", "Springfield, IL", "Триполи, Ливия").
    countries : iterable of str, optional
        The case's countries (ISO 3166-1 alpha-2 codes or names): among
        several candidates, those in these countries are kept when any is.
    region : str or Series, optional
        A region named by the record (one for all names, or one per row).
    near : (lat, lon), or DataFrame/array with columns lat, lon per row, optional
        Another place of the same record: the one candidate within
        :data:`NEAR_KM` km of it is taken.

    Returns
    -------
    DataFrame
        Same index as ``names``; columns :data:`RESOLVE_COLUMNS`:
        ``geonameid``, ``place`` (GeoNames name), ``country_code``,
        ``country``, ``region_code``, ``region``, ``population``, ``lat``,
        ``lon`` (float64 WGS84 degrees; NaN when unresolved, never 0, 0),
        ``tz``, ``matched_on`` ("as written" | "transliterated"),
        ``resolved_by`` ("only candidate", "country in text", "region in
        text", "country", "region", "nearest to ...", "capital, ..."),
        ``n_candidates`` (candidates of the name before narrowing),
        ``candidates`` (the top :data:`MAX_LISTED` when ambiguous),
        ``problem`` and ``fix`` (<NA> when resolved).  Each distinct
        (name, context) is resolved once.
    """
    series, codes, values = _distinct(names)
    n_rows = len(series)
    region_s = _per_row(region, series, "region")
    near_arr = None
    if near is not None:
        if isinstance(near, pd.DataFrame):
            near_arr = near.reindex(series.index)[["lat", "lon"]].to_numpy(dtype="float64")
        else:
            arr = np.asarray(near, dtype="float64")
            near_arr = np.broadcast_to(arr, (n_rows, 2)) if arr.shape == (2,) else arr
    per_row = isinstance(region_s, pd.Series) or near_arr is not None
    world = load()

    # distinct queries: the name alone, or (name, region, near) when context is per row
    if per_row:
        key = pd.DataFrame({"c": codes})
        if isinstance(region_s, pd.Series):
            key["r"] = region_s.astype("string").to_numpy()
        if near_arr is not None:
            key["la"], key["lo"] = near_arr[:, 0], near_arr[:, 1]
        qid = key.groupby(list(key.columns), dropna=False, sort=False).ngroup().to_numpy()
        first = pd.Series(np.arange(n_rows)).groupby(qid).first().to_numpy()
        name_code = codes[first]
        q_region = (
            region_s.astype("string").to_numpy()[first] if isinstance(region_s, pd.Series) else None
        )
        q_near = near_arr[first] if near_arr is not None else None
    else:
        qid, name_code = codes, np.arange(len(values))
        q_region, q_near = None, None
    valid_q = name_code >= 0
    name_code_v = np.where(valid_q, name_code, 0)

    parsed_names = _parse(values) if len(values) else _parse(pd.Index([""], dtype="string"))
    cand_n = (
        _candidates(parsed_names, world)
        if len(values)
        else pd.DataFrame({"q": [], "pos": [], "tier": []}, dtype="int64")
    )
    n_q = len(name_code)
    # candidates per query: the name's candidates repeated for each of its queries
    if per_row:
        order = np.argsort(name_code_v, kind="stable")
        by_name = pd.Series(np.arange(n_q)[order]).groupby(name_code_v[order]).agg(list)
        qs = cand_n["q"].map(by_name)
        cand = cand_n.assign(q=qs).explode("q")
        cand = cand[cand["q"].notna()].astype({"q": "int64"})
        cand = cand[valid_q[cand["q"].to_numpy()]]
        cand = cand.sort_values(["q"], kind="stable").reset_index(drop=True)
    else:
        cand = cand_n.copy()

    problem = np.where(
        valid_q, parsed_names["problem"].to_numpy(dtype=object)[name_code_v], "empty place name"
    )
    problem = np.array([None if v is pd.NA else v for v in problem], dtype=object)
    fix = np.where(
        valid_q,
        parsed_names["fix"].to_numpy(dtype=object)[name_code_v],
        "write the place's name (or leave the row without a place)",
    )
    fix = np.array([None if v is pd.NA else v for v in fix], dtype=object)
    label = np.full(n_q, "only candidate", dtype=object)
    n_cand = np.bincount(cand["q"].to_numpy(), minlength=n_q)
    heads = parsed_names["head"].to_numpy(dtype=object)[name_code_v]
    problem, fix = _country_as_place(parsed_names, name_code_v, valid_q, problem, fix, cand, world)

    def count(frame):
        return np.bincount(frame["q"].to_numpy(), minlength=n_q)

    def narrow(frame, keep, name, only_if_some=True):
        """Keep candidates where ``keep`` for queries with >1 left (and, with
        only_if_some, where at least one is kept); label the queries narrowed to one."""
        nonlocal label
        left = count(frame)
        kept = np.bincount(frame["q"].to_numpy()[keep], minlength=n_q)
        apply = (left > 1) & ((kept > 0) if only_if_some else True)
        rows_apply = apply[frame["q"].to_numpy()]
        frame = frame[~rows_apply | keep]
        now = count(frame)
        label = np.where(apply & (now == 1), name, label)
        return frame

    # 1. qualifiers in the text
    quals = parsed_names["quals"].to_numpy(dtype=object)[name_code_v]
    has_q = np.array([isinstance(x, list) and len(x) > 0 for x in quals]) & valid_q
    has_q &= pd.isna(problem)
    if has_q.any() and len(cand):
        qq = np.flatnonzero(has_q)
        lens = np.array([len(quals[i]) for i in qq])
        q_of = np.repeat(qq, lens)
        text = pd.Series([t for i in qq for t in quals[i]], dtype="string")
        sub = cand[has_q[cand["q"].to_numpy()]]
        hits = _qualifier_match(sub, q_of, text, world)
        hits["any"] = hits["country"] | hits["region"]
        # a qualifier naming no candidate is a problem
        per_qual = hits.groupby("qual")["any"].any().reindex(np.arange(len(q_of)), fill_value=False)
        bad_q = pd.Series(q_of[~per_qual.to_numpy()]).drop_duplicates()
        bad_text = pd.Series(text.to_numpy()[~per_qual.to_numpy()], dtype="string")
        for qi, t in zip(q_of[~per_qual.to_numpy()], bad_text):
            if problem[qi] is None and n_cand[qi] > 0:
                problem[qi] = (
                    f"'{t}' after the comma names neither the country nor the "
                    f"region of any of the {n_cand[qi]} candidate(s) of "
                    f"'{heads[qi]}'"
                )
                fix[qi] = (
                    "write the country as in 'Tripoli, Libya' (see candidates), "
                    "or add the place to the case"
                )
        del bad_q
        all_ok = hits.groupby("row")["any"].all()
        country = hits.groupby("row")["country"].any()
        keep_rows = all_ok[all_ok].index
        sub_keep = sub.loc[sub.index.isin(keep_rows)]
        by = np.where(
            country.reindex(sub_keep.index).to_numpy(), "country in text", "region in text"
        )
        left = np.bincount(sub_keep["q"].to_numpy(), minlength=n_q)
        cand = pd.concat([cand[~has_q[cand["q"].to_numpy()]], sub_keep]).sort_index()
        one = has_q & (left == 1)
        label_by = pd.Series(by, index=sub_keep["q"].to_numpy())
        label_by = label_by[~label_by.index.duplicated()]
        label = np.where(one, pd.Series(np.arange(n_q)).map(label_by).to_numpy(dtype=object), label)
        # several candidates can be left: carry on with the other steps
    # 2. the case's countries
    codes_set = _country_codes(countries)
    if codes_set and len(cand):
        cc = world.places["country_code"].to_numpy()[cand["pos"].to_numpy()]
        cand = narrow(cand, np.isin(cc, list(codes_set)), "country")
    # 3. a region given by the caller
    if region is not None and len(cand):
        if q_region is None:
            rtext = pd.Series([region] * n_q, dtype="string")
        else:
            rtext = pd.Series(q_region, dtype="string")
        has_r = (rtext.notna() & (rtext.str.strip() != "")).to_numpy()
        sub_mask = has_r[cand["q"].to_numpy()]
        if sub_mask.any():
            sub = cand[sub_mask]
            hits = _qualifier_match(sub, np.flatnonzero(has_r), rtext[has_r].str.strip(), world)
            ok_rows = hits.groupby("row")["region"].any()
            keep = cand.index.isin(ok_rows[ok_rows].index)
            cand = narrow(cand, keep | ~sub_mask, "region")
    # 4. near another place of the record
    if q_near is not None and len(cand):  # q_near: set exactly when near_arr is
        qn = q_near
        pos = cand["pos"].to_numpy()
        qv = cand["q"].to_numpy()
        d = _haversine_km(qn[qv, 0], qn[qv, 1], world.lat[pos], world.lon[pos])
        left = count(cand)
        within = np.nan_to_num(d, nan=np.inf) <= NEAR_KM
        n_within = np.bincount(qv[within], minlength=n_q)
        pick = (left > 1) & (n_within == 1)
        rows_pick = pick[qv]
        dist = pd.Series(d, index=cand.index)
        chosen = cand[rows_pick & within]
        nxt = dist[rows_pick & ~within].groupby(qv[rows_pick & ~within]).min()
        for i, row in zip(chosen["q"].to_numpy(), chosen.index):
            la, lo = qn[i]
            label[i] = (
                f"nearest to ({la:.4f}, {lo:.4f}): {dist[row]:.0f} km; "
                f"next candidate {nxt.get(i, np.nan):.0f} km"
            )
        cand = cand[~rows_pick | within]
    # 5. a capital far larger than every other candidate
    if len(cand):
        left = count(cand)
        qv, pos = cand["q"].to_numpy(), cand["pos"].to_numpy()
        rank = cand.groupby("q").cumcount().to_numpy()
        top = rank == 0
        second_pop = np.zeros(n_q, dtype="float64")
        second_pop[qv[rank == 1]] = world.population[pos[rank == 1]]
        top_pop = np.zeros(n_q, dtype="float64")
        top_pop[qv[top]] = world.population[pos[top]]
        top_cap = np.zeros(n_q, dtype=bool)
        top_cap[qv[top]] = world.capital[pos[top]]
        # candidates are ranked by population: the second is the largest other one
        cap = (left > 1) & top_cap & (top_pop >= CAPITAL_FACTOR * second_pop)
        label = np.where(
            cap, f"capital, >={CAPITAL_FACTOR}x the population of any other candidate", label
        )
        cand = cand[~cap[qv] | top]

    left = count(cand)
    resolved = (left == 1) & pd.isna(problem)
    # problems: unknown and ambiguous
    unknown = np.flatnonzero((n_cand == 0) & pd.isna(problem))
    problem[unknown] = [
        f"unknown place '{heads[i]}': not in the world gazetteer (GeoNames cities500)"
        for i in unknown
    ]
    fix[unknown] = (
        "check the spelling, or add the place to the case's places.csv "
        "with its coordinates and a source"
    )
    # qualifiers that each name a candidate, but never the same one
    crossed = np.flatnonzero((left == 0) & (n_cand > 0) & pd.isna(problem))
    problem[crossed] = [
        f"no candidate of '{heads[i]}' is in the country and region that the "
        "text after its commas names"
        for i in crossed
    ]
    fix[crossed] = "check the country and region written after the name"
    ambiguous = (left > 1) & pd.isna(problem)
    lists = np.full(n_q, None, dtype=object)
    if ambiguous.any():
        sub = cand[ambiguous[cand["q"].to_numpy()]]
        rank = sub.groupby("q").cumcount().to_numpy()
        sub, rank = sub[rank < MAX_LISTED], rank[rank < MAX_LISTED]
        desc = _describe(world, sub["pos"].to_numpy())
        wide = pd.DataFrame(
            {"q": sub["q"].to_numpy(), "rank": rank, "d": desc.to_numpy(dtype=object)}
        ).pivot(index="q", columns="rank", values="d")
        joined = wide[0].astype(object)
        for k in range(1, wide.shape[1]):
            more = wide[k].notna()
            joined[more] = joined[more] + "; " + wide.loc[more, k]
        lists[joined.index.to_numpy()] = joined.to_numpy()
        # the first two countries among the listed candidates, for the example fix
        cs = pd.DataFrame(
            {
                "q": sub["q"].to_numpy(),
                "c": world.places["country"].to_numpy(dtype=object)[sub["pos"].to_numpy()],
            }
        ).drop_duplicates()
        c_rank = cs.groupby("q").cumcount().to_numpy()
        c1 = cs[c_rank == 0].set_index("q")["c"]
        c2 = cs[c_rank == 1].set_index("q")["c"]
        amb = np.flatnonzero(ambiguous)
        c1, c2 = c1.reindex(amb).to_numpy(dtype=object), c2.reindex(amb).to_numpy(dtype=object)
        problem[amb] = [
            f"ambiguous place '{heads[i]}': {left[i]} candidates in the world gazetteer"
            + (f" (the first {MAX_LISTED} of {left[i]})" if left[i] > MAX_LISTED else "")
            + "; none is chosen without context"
            for i in amb
        ]
        fix[amb] = [
            f"add the place to the case, or write '{heads[i]}, {a}'"
            + ("" if pd.isna(b) else f" or '{heads[i]}, {b}'")
            for i, a, b in zip(amb, c1, c2)
        ]
    # a query that was narrowed to nothing by its qualifier keeps its problem
    label = np.where(resolved, label, None)  # type: ignore[call-overload]  # (see matched_on)

    first_pos = np.full(n_q, -1)
    if len(cand):
        firsts = cand.drop_duplicates("q")
        first_pos[firsts["q"].to_numpy()] = firsts["pos"].to_numpy()
    first_pos = np.where(resolved, first_pos, -1)
    tier = np.zeros(n_q, dtype=np.int8)
    if len(cand):
        tier[firsts["q"].to_numpy()] = firsts["tier"].to_numpy()
    p = world.places
    sel = np.where(first_pos >= 0, first_pos, 0)
    has = first_pos >= 0
    # numpy's stubs do not take None as the fill value (numpy does: an object array)
    matched_on = np.where(tier == 1, "as written", np.where(tier == 2, "transliterated", None))  # type: ignore[call-overload]
    table = pd.DataFrame(
        {
            "geonameid": pd.array(np.where(has, p["geonameid"].to_numpy()[sel], 0), dtype="Int64"),
            "place": p["name"].to_numpy()[sel],
            "country_code": p["country_code"].to_numpy()[sel],
            "country": p["country"].to_numpy()[sel],
            "region_code": p["admin1_code"].to_numpy()[sel],
            "region": p["region"].to_numpy()[sel],
            "population": pd.array(p["population"].to_numpy()[sel], dtype="Int64"),
            "lat": np.where(has, world.lat[sel], np.nan),
            "lon": np.where(has, world.lon[sel], np.nan),
            "tz": p["tz"].to_numpy()[sel],
            "matched_on": matched_on,
            "resolved_by": label,
            "n_candidates": n_cand,
            "candidates": lists,
            "problem": problem,
            "fix": fix,
        }
    )
    for c in ("place", "country_code", "country", "region_code", "region", "tz"):
        table[c] = table[c].where(has, None)
    table.loc[~has, ["geonameid", "population"]] = pd.NA
    for c in (
        "place",
        "country_code",
        "country",
        "region_code",
        "region",
        "tz",
        "matched_on",
        "resolved_by",
        "candidates",
        "problem",
        "fix",
    ):
        table[c] = table[c].astype("string")
    # rows: empty/NA names are a query of their own (qid -1 when not per-row)
    if not per_row:
        # NA names (code -1) take one extra row: an empty name's problem
        table = table.reindex(np.arange(len(table) + 1))
        table.loc[len(table) - 1, ["n_candidates", "problem", "fix"]] = [
            0,
            "empty place name",
            "write the place's name (or leave the row without a place)",
        ]
        take = np.where(qid < 0, len(table) - 1, qid)
    else:
        take = qid
    out = table.take(take)
    out.index = series.index
    out["n_candidates"] = out["n_candidates"].astype("int64")
    return out[RESOLVE_COLUMNS]
