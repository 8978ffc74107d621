"""Relative places read from text, and the search area they stand for.

A source rarely gives coordinates; it writes "about 15 km (9 miles) west of
the port of Amirabad", "в 15 км к западу от порта Амирабад" or
"در ۱۵ کیلومتری غرب بندر امیرآباد".  :func:`parse_relative` reads such
phrases (English, Russian, Persian) into the structured relative place of
:func:`osint_kit.analysis.places.resolve_relative` -- reference, distance
with its unit, bearing -- plus the hedge the writer used, and
:func:`search_area` turns one into the polygon an analyst searches.

Grammar read (the phrase may follow a subject: "base about 15 km west of X")::

    [hedge] NUMBER UNIT [(NUMBER UNIT) | / NUMBER UNIT | or NUMBER UNIT] [BEARING] of|from REFERENCE
    BEARING of REFERENCE                    ("north-east of X", "NE of X")
    NEAR-WORD REFERENCE                     ("near X", "outside X")
    [примерно] в NUMBER UNIT [к ЗАПАДУ] от REFERENCE / в NUMBER UNIT ЗАПАДНЕЕ REFERENCE
    к ЗАПАДУ от REFERENCE / ЗАПАДНЕЕ REFERENCE / недалеко от REFERENCE
    [در] [حدود] NUMBER کیلومتری [غرب] REFERENCE / غرب REFERENCE / نزدیک REFERENCE

The reference ends where the clause does (a comma, a semicolon, a bracket,
a sentence's full stop, " on "/" in "/" at ", " в ", " در "); in English
also where its run of capitalised words ends ("near Isfahan attributed by US
officials" -> "Isfahan").  What follows is ``reference_context``, as
written.  ``reference`` keeps the place as written ("the port of
Amirabad", "Port of Spain" -- a capitalised "Port of" with no article is a
name); ``reference_name`` drops an article and a kind word ("Amirabad"): a
resolver should try the first, then the second.  A Russian reference keeps
its case ending ("от Москвы").

Persian and Arabic-Indic digits (۱۵, ١٥) are read as digits.  A comma
followed by three digits is a thousands separator in English ("40,000 km")
and ambiguous in Russian and Persian (where the comma is decimal): a problem.

The uncertainty rule
--------------------
The place lies in an *annular sector* around the reference point: distances
``d_lo .. d_hi``, bearings ``bearing_deg +- bearing_tol_deg``.

* **Distance, no hedge** ("15 km W"): ``d * (1 +- 0.20)``, the kit's
  :data:`~osint_kit.analysis.places.RELATIVE_DISTANCE_UNCERTAINTY` (12-18 km).
* **Distance with an approximating hedge** ("about", "some", "roughly",
  "around", "approximately", "около", "примерно", "حدود", "تقریباً" ...):
  ``d * (1 +- 0.30)`` (:data:`HEDGED_DISTANCE_UNCERTAINTY`; 10.5-19.5 km
  for "about 15 km").  Why 30 %: a hedged distance is a round number, and
  at the scale of wire copy round numbers sit on a 5-km grid (5, 10, 15,
  20, 25 km): the next round values either side of 15 are 10 and 20, so a
  writer who says "about 15" rather than "about 10" or "about 20" puts the
  place nearer 15 than either, i.e. within 12.5-17.5 km (+-17 %) *if* the
  writer's own figure is exact.  The unhedged 20 % allows for that grid
  alone; "about" says the writer's figure is itself loose, and 30 % adds
  half as much again.  It keeps the 9-mile conversion in the bundled case
  (14.5 km) and every "around 15 km" relay well inside.
* **No distance** ("near X", "outside X", "недалеко от X", "نزدیک X", and
  bearing-only "north-east of X"): distances ``0 .. NEAR_RADIUS_KM`` (25 km)
  from the reference point.  25 km is the kit's radius for a place inferred
  without a stated geometry (``PRECISION_RADIUS_KM["inferred"]``) and holds
  the bundled case's own usage: a relay calls the base, 15 km from the port
  in the wire copy, "near" the port.  "Outside X" is read like "near X"
  (a disc, not a ring): the reference's edge is itself uncertain.  For
  "north-east of X" with a reference of radius > 0 the rule below makes
  the disc of radius ``rho + 25`` km, which also holds the other reading,
  "in the north-east of X".
* **Distance, no bearing** ("15 km from X", "15 km away from X"): the
  ring ``d_lo .. d_hi`` in every direction; :func:`search_area` draws the
  disc of radius ``d_hi`` that holds it (a polygon without a hole).
* **Bearing**: the half-width of the compass word, exactly as
  :func:`~osint_kit.analysis.places.bearing_to_degrees` gives it: a 4-point
  word (W, west, запад, غرب) +-45 deg, an 8-point word (NE, north-east,
  северо-восток, شمال شرق) +-22.5 deg, a 16-point word (WNW) +-11.25 deg.
  No bearing: all directions (a circle).
* **The reference's own radius** ``rho`` (a port's 5 km) widens the sector
  so that it holds every point at the stated distance and bearing from *any*
  point of the reference's disc: distances ``max(d_lo - rho, 0) ..
  d_hi + rho`` and a half-width ``tol + asin(rho / d_lo)`` (flat-earth bound,
  conservative).  When ``rho >= d_lo`` (the disc reaches the apex) or the
  half-width reaches 180 deg, no direction can be excluded and the area is
  the circle of radius ``d_hi + rho``.

Text and the structured columns: one rule
-----------------------------------------
The places table's structured columns (``relative_to``, ``distance_km``,
``bearing``) hold a *number*, which is read at +-20 %; the writer's hedge is
held by the optional ``distance_uncertainty`` column (0.3 for "about").  So
the same words give the same area whichever way they come in:
:func:`places_from_text` writes "about 15 km west of X" as ``X, 15, W, 0.3``
and :func:`resolve_place_texts` reads the phrase itself at +-30 %.  The
bundled case's P02 stays ``P01, 15, W`` with the column empty (+-20 %, +-45
deg, radius 17.93 km, as its README states): its row is the analyst's search
centre, typed from the wire copy's "about 15 km (9 miles)", whose two units
agree to 3.4 % (9 mi = 14.48 km), so the analyst kept the figure as a number;
a case that takes the writer's "about" at its word sets 0.3 (radius 18.84 km).

Resolving
---------
:func:`resolve_place_texts` resolves a column of texts -- a name (case ->
curated -> airports -> world) or a relative phrase (its reference resolved so,
the point and radius by :func:`relative_point`); :func:`record_places` reads
every place a record's ``place_name`` names ("Amirabad, Iran -> Astrakhan,
Russia": a route of two; "Penza (employer)": a bracket is a note);
:func:`places_from_text` reads a places row given only in words.

Units: kilometres, degrees WGS84 (EPSG:4326), bearings clockwise from true
north.  Geodesy is :func:`~osint_kit.analysis.places.destination_point`
(pyproj on the WGS84 ellipsoid).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd

from osint_kit.analysis.places import (
    BEARING_WORDS,
    MAX_RELATIVE_DISTANCE_KM,
    RELATIVE_DISTANCE_UNCERTAINTY,
    RESOLVED_COLUMNS,
    Gazetteer,
    bearing_to_degrees,
    destination_point,
    relative_radius_km,
    resolve_places,
    resolve_relative,
)
from osint_kit.errors import PlaceResolutionError
from osint_kit.problems import concat_problems, problem_rows

__all__ = [
    "HEDGED_DISTANCE_UNCERTAINTY",
    "KM_PER_UNIT",
    "NEAR_RADIUS_KM",
    "RELATIVE_TEXT_COLUMNS",
    "SECOND_DISTANCE_AGREEMENT",
    "PLACE_TEXT_COLUMNS",
    "RECORD_PLACE_COLUMNS",
    "ROUTE_ARROW",
    "SearchArea",
    "parse_relative",
    "places_from_text",
    "record_places",
    "relative_point",
    "resolve_place_texts",
    "search_area",
]

#: Relative uncertainty of a distance with an approximating hedge ("about 15 km").
HEDGED_DISTANCE_UNCERTAINTY = 0.30

#: Radius (km, beyond the reference's own radius) of "near X" and of a bearing
#: without a distance ("north-east of X").
NEAR_RADIUS_KM = 25.0

#: A second distance in another unit ("15 km (9 miles)") must agree with the
#: first within this fraction of the first.
SECOND_DISTANCE_AGREEMENT = 0.10

#: Kilometres per unit: statute mile (exact, 1959 international yard),
#: nautical mile (exact, 1929), metre.
KM_PER_UNIT = {"km": 1.0, "mi": 1.609344, "nmi": 1.852, "m": 0.001}

#: Columns of :func:`parse_relative`, in order.
RELATIVE_TEXT_COLUMNS = [
    "reference",
    "reference_name",
    "reference_kind",
    "reference_context",
    "distance",
    "distance_unit",
    "distance_km",
    "distance_rel_tol",
    "bearing",
    "bearing_deg",
    "bearing_tol_deg",
    "hedge",
    "hedge_kind",
    "near_km",
    "relative",
    "problem",
]

# ----------------------------------------------------------------------- vocabulary

_DIGITS = str.maketrans(
    {
        **{chr(0x0660 + i): str(i) for i in range(10)},  # Arabic-Indic
        **{chr(0x06F0 + i): str(i) for i in range(10)},  # Extended Arabic-Indic (Persian)
        "\u066b": ".",  # Arabic decimal separator
        "\u066c": ",",  # Arabic thousands separator
        "\u064a": "\u06cc",  # Arabic yeh -> Persian yeh
        "\u0643": "\u06a9",  # Arabic kaf -> Persian keheh
        **{chr(c): "" for c in range(0x064B, 0x0660)},  # harakat (the ezafe kasra of غربِ)
        "\u0670": "",
        "\u0640": "",  # superscript alef, tatweel
        "\u200c": " ",  # zero-width non-joiner (شمال‌شرق) -> space
        "\u200d": "",
        "\u00a0": " ",
        "\u202f": " ",
        "ё": "е",
        "Ё": "Е",
        "−": "-",
        "–": "-",
        "—": "-",
    }
)

_NUM = r"(?P<{n}>[0-9]{{1,3}}(?:[, ][0-9]{{3}})+(?:\.[0-9]+)?|[0-9]+(?:[.,][0-9]+)?)"

_HEDGE_EN = (
    r"about|around|some|roughly|approximately|approx\.?|circa|ca\.|c\.|nearly|"
    r"almost|an\s+estimated|~|≈"
)
_HEDGE_RU = r"примерно|около|приблизительно|порядка|почти|где-то|~|≈"
_HEDGE_FA = r"در\s+حدود|حدوداً|حدودا|حدود|تقریباً|تقریبا|~|≈"

_UNIT_EN = (
    r"nautical\s+miles?|nmi|NM|kilomet(?:re|er)s?|kms?|miles?|mi|"
    r"met(?:re|er)s?|m"
)
_UNIT_RU = r"морск\w*\s+мил\w*|километр\w*|км|мил[ьия]\w*|метр\w*|м"
_UNIT_FA = r"مایل\s+دریایی|کیلومتر|کیلو\s+متر|مایل|متر"

_NEAR_EN = (
    r"near|nearby|close\s+to|just\s+outside(?:\s+of)?|outside(?:\s+of)?|"
    r"in\s+the\s+vicinity\s+of|on\s+the\s+outskirts\s+of|not\s+far\s+from|"
    r"in\s+the\s+area\s+of"
)
_NEAR_RU = (
    r"недалеко\s+от|неподалеку\s+от|рядом\s+со?|близ|вблизи|возле|около|под|"
    r"в\s+районе|в\s+окрестностях|за\s+пределами|на\s+окраине"
)
_NEAR_FA = r"(?:در\s+)?(?:نزدیکی|نزدیک|حوالی|اطراف|خارج\s+از|بیرون\s+از)"

_RU_DIR_DAT = r"(?:северо|юго)-?(?:западу|востоку)|западу|востоку|северу|югу"
_RU_DIR_ADJ = r"(?:северо|юго)-?(?:западнее|восточнее)|западнее|восточнее|севернее|южнее"
_FA_DIR = r"(?:شمال|جنوب)(?:\s*(?:شرق|غرب))?ی?|شرقی?|غربی?"

_EN_WORD = r"[^\W\d_]+"
_EN_COMPASS = (
    r"(?i:(?:north|south|east|west)[^\W\d_]*(?:[-\s](?:north|south|east|west)"
    r"[^\W\d_]*)*)|[NSEW]{1,3}"
)

_B = r"(?<![\w.,])"  # start of a word (the phrase may follow a subject)

_PATTERNS: list[tuple[str, re.Pattern]] = [
    (
        "en",
        re.compile(
            _B
            + rf"(?:(?P<hedge>{_HEDGE_EN})\s*)?"
            + _NUM.format(n="num")
            + r"\s*"
            + rf"(?P<unit>{_UNIT_EN})\b\.?\s*"
            + r"(?:(?:\(|/|\bor\b)\s*(?:(?:"
            + _HEDGE_EN
            + r")\s*)?"
            + _NUM.format(n="num2")
            + rf"\s*(?P<unit2>{_UNIT_EN})\b\.?\s*\)?\s*)?"
            + r"(?:(?:to\s+the\s+|due\s+)?(?!(?:away|outside)\b)"
            + rf"(?P<bearing>{_EN_WORD}(?:[-\s]{_EN_WORD}){{0,2}}?)\s+)?(?:(?:away|outside)\s+)?"
            + r"(?:of|from)\b(?:\s+(?P<ref>.*))?$",
            re.IGNORECASE | re.DOTALL,
        ),
    ),
    (
        "ru",
        re.compile(
            _B
            + rf"(?:(?P<hedge>{_HEDGE_RU})\s+)?(?:в\s+)?(?:(?P<hedge_b>{_HEDGE_RU})\s+)?"
            + _NUM.format(n="num")
            + rf"\s*(?P<unit>{_UNIT_RU})(?!\w)\.?\s+"
            + rf"(?:(?:(?:к|на)\s+(?P<bearing>{_RU_DIR_DAT}|[\w-]+)\s+)?от\s+"
            + rf"|(?P<bearing_adj>{_RU_DIR_ADJ})\s+)(?P<ref>.*)$",
            re.IGNORECASE | re.DOTALL,
        ),
    ),
    (
        "fa",
        re.compile(
            r"(?<!\w)(?:در\s+)?(?:(?P<hedge>"
            + _HEDGE_FA
            + r")\s*)?"
            + _NUM.format(n="num")
            + rf"\s*(?P<unit>{_UNIT_FA})ی?(?!\w)\s*(?:(?P<bearing>{_FA_DIR})(?!\w)\s*)?"
            + r"(?:از\s+)?(?P<ref>.*)$",
            re.DOTALL,
        ),
    ),
    (
        "en",
        re.compile(
            _B + rf"(?:to\s+the\s+|due\s+)?(?P<bearing>{_EN_COMPASS})\s+of\b(?:\s+(?P<ref>.*))?$",
            re.DOTALL,
        ),
    ),
    (
        "ru",
        re.compile(
            r"(?<!\w)(?:(?:к|на)\s+(?P<bearing>"
            + _RU_DIR_DAT
            + r")\s+от\s+|(?P<bearing_adj>"
            + _RU_DIR_ADJ
            + r")\s+)(?P<ref>.*)$",
            re.IGNORECASE | re.DOTALL,
        ),
    ),
    # bearing alone: the noun (غرب), not the adjective that ends a name (آذربایجان غربی)
    (
        "fa",
        re.compile(
            r"(?<!\w)(?:در\s+)?(?P<bearing>(?:شمال|جنوب)(?:\s*(?:شرق|غرب))?|شرق|غرب)"
            r"(?!\w)\s+(?P<ref>\S.*)$",
            re.DOTALL,
        ),
    ),
    (
        "en",
        re.compile(_B + rf"(?P<near>{_NEAR_EN})\b(?:\s+(?P<ref>.*))?$", re.IGNORECASE | re.DOTALL),
    ),
    (
        "ru",
        re.compile(
            r"(?<!\w)(?P<near>" + _NEAR_RU + r")(?:\s+(?P<ref>.*))?$", re.IGNORECASE | re.DOTALL
        ),
    ),
    ("fa", re.compile(r"(?<!\w)(?P<near>" + _NEAR_FA + r")(?!\w)\s*(?P<ref>.*)$", re.DOTALL)),
]

_FIRST_WITHOUT_DISTANCE = 3  # _PATTERNS[3:] read no distance
_UNIT_BEFORE = re.compile(
    rf"(?<!\w)(?:{_UNIT_EN}|{_UNIT_RU}|{_UNIT_FA})ی?\.?\s*\)?\s*$", re.IGNORECASE
)

_DISTANCE_ONLY = re.compile(
    rf"[0-9][0-9.,]*\s*(?:{_UNIT_EN}|{_UNIT_RU}|{_UNIT_FA})ی?\.?", re.IGNORECASE
)

_FA_BEARING = {"شمال": "north", "جنوب": "south", "شرق": "east", "غرب": "west"}

# where the reference's name ends and its context ("on Iran's Caspian coast",
# ", Mazandaran", "в Иране", "در استان مازندران") begins
_SENTENCE_END = r"(?<=[^\W\d_]{3})\.(?:\s|$)|[!?](?:\s|$)"  # "Sari. Russian ...", not "St. "
_CONTEXT = {
    "en": re.compile(
        r"\s*(?:[,;(\[]|\s-\s|\s(?:on|in|at|near|inside|within)\s|" + _SENTENCE_END + ")",
        re.IGNORECASE,
    ),
    "ru": re.compile(
        r"\s*(?:[,;(\[]|\s-\s|\s(?:в|на|у|близ)\s|" + _SENTENCE_END + ")", re.IGNORECASE
    ),
    "fa": re.compile(r"\s*(?:[،,;؛(\[]|\s-\s|\s(?:در|واقع)\s|" + _SENTENCE_END + ")"),
}
# lower-case words that may sit inside an English place name ("Port of Spain", "Rio de Janeiro")
_CONNECTORS = frozenset(
    {
        "of",
        "de",
        "del",
        "la",
        "le",
        "du",
        "des",
        "da",
        "do",
        "di",
        "dos",
        "upon",
        "am",
        "al",
        "el",
        "and",
        "&",
        "y",
        "e",
        "i",
        "the",
    }
)

# words that say what kind of place the reference is
_KIND_WORDS = {
    "port": ("port", "harbour", "harbor", "порт", "порта", "бандар", "بندر"),
    "city": ("city", "город", "города", "г.", "شهر"),
    "town": ("town", "посёлок", "поселок", "посёлка", "поселка", "пос.", "пгт"),
    "village": ("village", "село", "села", "деревня", "деревни", "روستای", "روستا"),
    "airport": ("airport", "airfield", "аэропорт", "аэропорта", "аэродром", "аэродрома", "فرودگاه"),
    "county": ("county", "شهرستان"),
    "province": ("province", "oblast", "область", "области", "провинция", "провинции", "استان"),
    "base": ("base", "база", "базы", "پایگاه"),
}
_KIND_OF = {w.casefold(): k for k, words in _KIND_WORDS.items() for w in words}
_KIND_ALT = "|".join(sorted((re.escape(w) for w in _KIND_OF), key=len, reverse=True))
_KIND_LEAD = re.compile(
    rf"^(?P<the>the\s+)?(?P<kind>{_KIND_ALT})(?:\s+of)?(?![\w-])\s*", re.IGNORECASE
)
_KIND_TRAIL = re.compile(rf"\s+(?P<kind>{_KIND_ALT})$", re.IGNORECASE)
_ARTICLE = re.compile(r"^the\s+", re.IGNORECASE)
_QUOTES = re.compile(r'["“”„«»]')  # 'base "near" the port': quotes are typography
_TRIM = " \t\r\n.,;:!?\"'«»“”„()[]{}"

_FLOAT_COLUMNS = (
    "distance",
    "distance_km",
    "distance_rel_tol",
    "bearing_deg",
    "bearing_tol_deg",
    "near_km",
)
_HEDGE_NEAR = "near"
_HEDGE_APPROX = "approx"

# compass abbreviation of a (degrees, tolerance) from the kit's own table
_ABBR = {v: k.upper() for k, v in BEARING_WORDS.items() if re.fullmatch(r"[nesw]{1,3}", k)}

_UNIT_NAME = [
    (re.compile(r"nautical|nmi|морск|دریایی", re.IGNORECASE), "nmi"),
    (re.compile(r"^nm$", re.IGNORECASE), "nmi"),
    (re.compile(r"^(?:km|kms|kilomet|километр|км|کیلو)", re.IGNORECASE), "km"),
    (re.compile(r"^(?:mi|mile|мил|مایل)", re.IGNORECASE), "mi"),
    (re.compile(r"^(?:m|met|метр|м|متر)", re.IGNORECASE), "m"),
]


def _unit(text: str) -> str:
    for pattern, name in _UNIT_NAME:
        if pattern.search(text):
            return name
    raise AssertionError(text)  # the grammar admits only the units above


def _number(text: str, lang: str) -> tuple[float, str | None]:
    """A number as written -> (value, problem)."""
    s = text.replace(" ", "")
    if "," in s and re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", s):
        if lang != "en":
            return math.nan, (
                f"number {text!r} is ambiguous: a thousands separator "
                f"({s.replace(',', '')}) or a decimal comma "
                f"({s.replace(',', '.', 1)})? Write it without the comma or "
                "with a decimal point"
            )
        s = s.replace(",", "")
    return float(s.replace(",", ".")), None


def _bearing_text(m: re.Match, lang: str) -> str | None:
    """The bearing as written, in a form bearing_to_degrees reads."""
    groups = m.groupdict()
    word = groups.get("bearing") or groups.get("bearing_adj")
    if not word:
        return None
    if lang == "ru" and groups.get("bearing"):
        return re.sub(r"у$", "", word.replace("-", "").casefold())  # западу -> запад
    if lang == "fa":
        word = re.sub(r"ی$", "", word)
        return "".join(_FA_BEARING[w] for w in re.findall("شمال|جنوب|شرق|غرب", word))
    return word


def _capitalised_run(ref: str, name: str, kind, context):
    """English: a name is a run of capitalised words ("Isfahan attributed by US officials"
    -> "Isfahan"); the words after it are context.  A kind word right after the run
    ("Isfahan airport") belongs to the reference.  All-lower-case text is left whole."""
    head = _ARTICLE.sub("", name)
    tokens = head.split(" ")
    if not tokens[0][:1].isupper():
        return ref, name, kind, context
    i = 1
    while i < len(tokens) and (
        tokens[i][:1].isupper() or tokens[i][:1].isdigit() or tokens[i].casefold() in _CONNECTORS
    ):
        i += 1
    while i > 1 and tokens[i - 1].casefold() in _CONNECTORS:
        i -= 1
    stop = i
    if i < len(tokens) and tokens[i].casefold() in _KIND_OF and kind is None:
        kind = _KIND_OF[tokens[i].casefold()]
        stop = i + 1
    if stop == len(tokens):
        return ref, " ".join(tokens[:i]), kind, context
    rest = " ".join(tokens[stop:])
    context = rest if context is None else f"{rest}, {context}"
    return ref[: len(ref) - len(rest)].strip(_TRIM), " ".join(tokens[:i]), kind, context


def _reference(raw: str, lang: str) -> dict:
    ref = whole = raw.strip(_TRIM)
    cut = _CONTEXT[lang].search(ref)
    context = None
    if cut is not None and cut.start() > 0:
        context = ref[cut.start() :].strip(_TRIM) or None
        ref = ref[: cut.start()].strip(_TRIM)
    name, kind = ref, None
    lead = _KIND_LEAD.match(name)
    if (
        lead is not None
        and lang == "en"
        and not lead.group("the")
        and lead.group("kind")[:1].isupper()
    ):
        lead = None  # "Port of Spain", "Port Said": a name, not "the port of ..."
    if lead is not None and lead.end() < len(name):
        kind = _KIND_OF[lead.group("kind").casefold()]
        name = name[lead.end() :]
    if lang == "en":
        ref, name, kind, context = _capitalised_run(ref, name, kind, context)
    if kind is None:
        trail = _KIND_TRAIL.search(name)
        if trail is not None and trail.start() > 0:
            kind = _KIND_OF[trail.group("kind").casefold()]
            name = name[: trail.start()]
    name = _ARTICLE.sub("", name).strip(_TRIM)
    context = whole[len(ref) :].strip(_TRIM) or None  # as written (ref is a prefix of whole)
    return {
        "reference": ref or None,
        "reference_name": name or None,
        "reference_kind": kind,
        "reference_context": context,
    }


_NOT_RELATIVE = (
    "{t!r} is not a relative place: no distance ('15 km of'), bearing "
    "('north-east of') or 'near' word before a place name was found; write e.g. "
    "'15 km west of Amirabad', 'в 15 км к западу от Амирабада', "
    "'۱۵ کیلومتری غرب امیرآباد', or give lat/lon"
)


def _parse_one(text: str) -> dict:
    """One distinct text -> the columns of :func:`parse_relative` (bearing still text)."""
    out: dict = {"problem": None, "relative": False}
    s = unicodedata.normalize("NFKC", text).translate(_DIGITS)
    s = re.sub(r"\s+", " ", _QUOTES.sub("", s)).strip()
    if not s:
        out["problem"] = "empty text: no relative place to read"
        return out
    for number, (lang, pattern) in enumerate(_PATTERNS):  # noqa: B007 (used after the break)
        m = pattern.search(s)
        if m is not None:
            break
    else:
        out["problem"] = _NOT_RELATIVE.format(t=text)
        return out
    g = m.groupdict()
    out["relative"] = True
    problems = []
    if number >= _FIRST_WITHOUT_DISTANCE and _UNIT_BEFORE.search(s[: m.start()]):
        problems.append(
            f"{text!r}: a distance unit comes before the direction but no number "
            "in digits was read ('ten km'): write the distance in digits, e.g. "
            "'10 km west of ...'"
        )
    out.update(_reference(g["ref"] or "", lang))
    hedge = g.get("hedge") or g.get("hedge_b")
    if g.get("near"):
        hedge = g["near"]
        if lang == "fa":
            hedge = re.sub(r"^در\s+", "", hedge)
        out["hedge_kind"] = _HEDGE_NEAR
    elif hedge:
        out["hedge_kind"] = _HEDGE_APPROX
    out["hedge"] = re.sub(r"\s+", " ", hedge).casefold() if hedge else None
    if g.get("num"):
        value, why = _number(g["num"], lang)
        unit = _unit(g["unit"])
        out["distance"], out["distance_unit"] = value, unit
        km = value * KM_PER_UNIT[unit]
        if why:
            problems.append(f"distance {why}")
            km = math.nan
        elif km > MAX_RELATIVE_DISTANCE_KM:
            problems.append(
                f"distance {g['num']} {g['unit']}"
                + ("" if unit == "km" else f" ({km:,.0f} km)")
                + " is longer than any distance "
                f"on the Earth ({MAX_RELATIVE_DISTANCE_KM:,.3f} km, WGS84 pole to pole): "
                "check the number and its unit"
            )
            km = math.nan
        out["distance_km"] = km
        out["distance_rel_tol"] = (
            HEDGED_DISTANCE_UNCERTAINTY if out["hedge"] else RELATIVE_DISTANCE_UNCERTAINTY
        )
        if g.get("num2") and math.isfinite(km):
            value2, why2 = _number(g["num2"], lang)
            km2 = value2 * KM_PER_UNIT[_unit(g["unit2"])]
            if why2:
                problems.append(f"second distance {why2}")
            elif abs(km2 - km) > SECOND_DISTANCE_AGREEMENT * km:
                problems.append(
                    f"the two distances disagree: {g['num']} {g['unit']} is {km:g} km but "
                    f"{g['num2']} {g['unit2']} is {km2:.3g} km (more than "
                    f"{SECOND_DISTANCE_AGREEMENT:.0%} apart): check which one the source "
                    "means and keep that one"
                )
    else:
        out["near_km"] = NEAR_RADIUS_KM
    out["bearing_text"] = _bearing_text(m, lang)
    if out["reference_name"] is None:
        problems.append(
            f"{text!r} names no reference place after the direction: write "
            "the place the distance is measured from"
        )
    elif not re.search(r"[^\W\d_]", out["reference_name"]) or _DISTANCE_ONLY.fullmatch(
        out["reference_name"]
    ):
        problems.append(
            f"reference {out['reference_name']!r} is a number, not a place name: "
            "write the place's name (coordinates go in lat/lon)"
        )
    out["problem"] = "; ".join(problems) or None
    return out


def parse_relative(texts: pd.Series) -> pd.DataFrame:
    """Read relative places ("about 15 km west of the port of X") from text.

    Parameters
    ----------
    texts : pandas.Series
        Phrases or short sentences in English, Russian or Persian (see the
        module docstring for the grammar).  Each distinct text is read once.

    Returns
    -------
    pandas.DataFrame
        Same index as ``texts``, columns :data:`RELATIVE_TEXT_COLUMNS`:

        ``reference`` (string)
            the place measured from, as written ("the port of Amirabad",
            "порта Амирабад" -- Russian keeps its case ending), its context
            cut off; ``reference_name`` the same without article or kind word
            ("Amirabad"); ``reference_kind`` port|city|town|village|airport|
            county|province|base when a word says so; ``reference_context``
            what followed the name (", Mazandaran" -> "Mazandaran", "on
            Iran's Caspian coast").
        ``distance`` (float64), ``distance_unit`` (km|mi|nmi|m)
            the first distance as written; ``distance_km`` (float64) it in
            km; ``distance_rel_tol`` (float64) 0.20, or 0.30 with a hedge,
            NaN with no distance.
        ``bearing`` (string: "W", "NE", "WNW"), ``bearing_deg``,
        ``bearing_tol_deg`` (float64, degrees)
            from :func:`~osint_kit.analysis.places.bearing_to_degrees`.
        ``hedge`` (string, casefolded: "about", "около", "حدود", "near",
        "недалеко от"), ``hedge_kind`` (approx|near)
        ``near_km`` (float64)
            :data:`NEAR_RADIUS_KM` when no distance is given, else NaN.
        ``relative`` (bool)
            a relative phrase was recognised (even one with a problem);
            False for a plain name ("Tehran"), which a caller resolves as a
            name instead, and for empty text.
        ``problem`` (string)
            why the text is not a usable relative place (empty, not a
            relative phrase, a distance beyond 20,003.931 km, a bearing such
            as "westish", a number where the name belongs, two distances that
            disagree); <NA> when fine.  Never an exception: a value that is
            wrong is NaN/<NA>, what was read is kept.
    """
    series = texts if isinstance(texts, pd.Series) else pd.Series(list(texts))
    text = series.astype("string")
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    rows = [_parse_one(str(u)) for u in uniques]
    rows.append({"problem": "empty text: no relative place to read", "relative": False})  # NA
    # bearings: the kit's own reader, once over the distinct bearing texts
    bearing = bearing_to_degrees(pd.Series([r.get("bearing_text") for r in rows], dtype="string"))
    deg = bearing["bearing_deg"].to_numpy()
    tol = bearing["bearing_tol_deg"].to_numpy()
    for r, d, t, why in zip(rows, deg, tol, bearing["bearing_problem"]):
        r["bearing"] = _ABBR.get((d, t)) if not math.isnan(d) else None
        if r.get("bearing_text") is not None and not pd.isna(why):
            why = f"{why}: write a compass word (W, NE, west, north-east, запад, غرب)"
            r["problem"] = f"{r['problem']}; {why}" if r["problem"] else why
    take = np.where(codes < 0, len(rows) - 1, codes)
    columns = {}
    for col in RELATIVE_TEXT_COLUMNS:
        if col == "relative":
            columns[col] = np.array([r["relative"] for r in rows], dtype=bool)[take]
        elif col in _FLOAT_COLUMNS:
            values = (
                deg
                if col == "bearing_deg"
                else tol
                if col == "bearing_tol_deg"
                else (np.array([r.get(col, math.nan) for r in rows], dtype="float64"))
            )
            columns[col] = values[take]
        else:
            columns[col] = pd.array([r.get(col) for r in rows], dtype="string").take(take)
    return pd.DataFrame(columns, index=series.index)


# ----------------------------------------------------------------------- search area


@dataclass(frozen=True)
class SearchArea:
    """A search area: a closed ring of vertices (degrees WGS84).

    ``kind`` is "sector" (an annular sector, ``inner_km``..``outer_km`` from
    the reference point and bearings ``bearing_from_deg`` clockwise to
    ``bearing_to_deg``) or "circle" (radius ``outer_km``; bearings NaN).
    ``lat``/``lon`` list the ring, first vertex repeated last.
    """

    lat: list[float]
    lon: list[float]
    kind: str
    inner_km: float
    outer_km: float
    bearing_from_deg: float
    bearing_to_deg: float


def search_area(
    lat,
    lon,
    ref_radius_km,
    distance_km,
    rel_tol,
    bearing_deg,
    bearing_tol_deg,
    *,
    near_km: float = NEAR_RADIUS_KM,
    points_per_arc: int = 33,
) -> SearchArea:
    """The area a relative place stands for (module docstring: the rule).

    Parameters
    ----------
    lat, lon : float
        The reference point, degrees WGS84.
    ref_radius_km : float
        The reference's own radius (km); NaN is 0.
    distance_km, rel_tol : float
        The stated distance (km) and its relative uncertainty (0.20, 0.30;
        NaN is 0.20); ``distance_km`` NaN means no distance: ``0 .. near_km``.
    bearing_deg, bearing_tol_deg : float
        Stated bearing and half-width (degrees); NaN means no bearing.

    Returns
    -------
    SearchArea
        An annular sector wherever a bearing is given and the reference's
        radius does not reach the sector's apex; otherwise a circle.  Every
        vertex is computed by a geodesic (destination_point).

    Raises
    ------
    PlaceResolutionError
        When the reference has no coordinates or a value is out of range.
    """
    vals = {
        "lat": lat,
        "lon": lon,
        "ref_radius_km": ref_radius_km,
        "distance_km": distance_km,
        "rel_tol": rel_tol,
        "bearing_deg": bearing_deg,
        "bearing_tol_deg": bearing_tol_deg,
    }
    try:
        f = {k: float(v) if v is not None and not pd.isna(v) else math.nan for k, v in vals.items()}
    except (TypeError, ValueError) as exc:
        raise PlaceResolutionError(
            f"search_area needs numbers: {vals} ({exc}); pass floats (NaN for not given)"
        ) from exc
    if not (abs(f["lat"]) <= 90 and abs(f["lon"]) <= 180):
        raise PlaceResolutionError(
            f"search_area: the reference point ({lat}, {lon}) has no valid coordinates; "
            "resolve the reference place first (lat within +-90, lon within +-180)"
        )
    rho = 0.0 if math.isnan(f["ref_radius_km"]) else f["ref_radius_km"]
    d = f["distance_km"]
    u = RELATIVE_DISTANCE_UNCERTAINTY if math.isnan(f["rel_tol"]) else f["rel_tol"]
    if rho < 0 or u < 0 or (not math.isnan(d) and not 0 <= d <= MAX_RELATIVE_DISTANCE_KM):
        raise PlaceResolutionError(
            f"search_area: radius {rho}, distance {d} km or tolerance {u} is out of range "
            f"(radius, tolerance >= 0; distance 0..{MAX_RELATIVE_DISTANCE_KM:,.3f} km)"
        )
    if math.isnan(d):
        d_lo, d_hi = 0.0, near_km
    else:
        d_lo, d_hi = max(d * (1 - u), 0.0), d * (1 + u)
    inner = max(d_lo - rho, 0.0)
    outer = min(d_hi + rho, MAX_RELATIVE_DISTANCE_KM)
    b, t = f["bearing_deg"], f["bearing_tol_deg"]
    half = math.nan
    if not (math.isnan(b) or math.isnan(t)):
        if rho == 0:
            half = t
        elif rho < d_lo:
            half = t + math.degrees(math.asin(rho / d_lo))
    if math.isnan(half) or half >= 180:
        az = np.linspace(0.0, 360.0, 4 * (points_per_arc - 1) + 1)
        la, lo = destination_point(
            np.full(az.shape, f["lat"]), np.full(az.shape, f["lon"]), az, np.full(az.shape, outer)
        )
        la[-1], lo[-1] = la[0], lo[0]
        return SearchArea(la.tolist(), lo.tolist(), "circle", 0.0, outer, math.nan, math.nan)
    az = np.linspace(b - half, b + half, points_per_arc)
    if inner > 0:
        ring_az = np.concatenate([az, az[::-1], az[:1]])
        ring_km = np.concatenate([np.full(az.shape, outer), np.full(az.shape, inner), [outer]])
    else:  # the apex is the reference point itself
        ring_az = np.concatenate([[b], az, [b]])
        ring_km = np.concatenate([[0.0], np.full(az.shape, outer), [0.0]])
    la, lo = destination_point(
        np.full(ring_az.shape, f["lat"]),
        np.full(ring_az.shape, f["lon"]),
        np.mod(ring_az, 360.0),
        ring_km,
    )
    la[-1], lo[-1] = la[0], lo[0]  # exactly closed
    return SearchArea(
        la.tolist(),
        lo.tolist(),
        "sector",
        inner,
        outer,
        float(np.mod(b - half, 360.0)),
        float(np.mod(b + half, 360.0)),
    )


# ----------------------------------------------------------------------- resolving texts

#: Columns of :func:`resolve_place_texts`: those of
#: :func:`~osint_kit.analysis.places.resolve_places`, then what a relative
#: text said (NaN / <NA> for a plain name).
PLACE_TEXT_COLUMNS = [
    "text",
    "kind",
    *RESOLVED_COLUMNS,
    "relative_to",
    "reference",
    "distance_km",
    "distance_rel_tol",
    "bearing_deg",
    "bearing_tol_deg",
    "hedge",
    "near_km",
]


def relative_point(ref_lat, ref_lon, ref_radius_km, parsed: pd.DataFrame) -> pd.DataFrame:
    """The point and radius a parsed relative text (:func:`parse_relative`) stands
    for, from its reference's point and radius (arrays aligned with ``parsed``).

    The rule (the module docstring gives the sector; this is the one circle, centred
    on a point, that holds it, for a table of places with one radius each):

    * distance and bearing: the point ``distance_km`` along ``bearing_deg``
      (geodesic), radius :func:`~osint_kit.analysis.places.relative_radius_km`
      with the text's own distance tolerance (0.20, or 0.30 after "about") --
      "about 15 km W" of a reference of radius 5 km: corner at 19.5 km, 45 deg
      off -> 13.84 km; + 5 = 18.84 km (17.93 km for "15 km W", at +-20 %);
    * distance, no bearing ("15 km from X"): the reference's point, radius
      ``d (1 + tol) + rho`` (the disc holding the ring);
    * no distance ("near X", "north-east of X"): the reference's point, radius
      ``rho + NEAR_RADIUS_KM`` (25 km; the disc of the module docstring).

    Returns lat, lon (float64 degrees), radius_km (float64 km); NaN where the
    reference has no point or the text a problem (never 0, 0).
    """
    rlat = np.asarray(ref_lat, dtype="float64")
    rlon = np.asarray(ref_lon, dtype="float64")
    rho = np.nan_to_num(np.asarray(ref_radius_km, dtype="float64"), nan=0.0)
    d = parsed["distance_km"].to_numpy(dtype="float64")
    tol = parsed["distance_rel_tol"].to_numpy(dtype="float64")
    b = parsed["bearing_deg"].to_numpy(dtype="float64")
    bt = parsed["bearing_tol_deg"].to_numpy(dtype="float64")
    usable = parsed["relative"].to_numpy(dtype=bool) & parsed["problem"].isna().to_numpy(dtype=bool)
    usable &= ~(np.isnan(rlat) | np.isnan(rlon))
    has_d, has_b = ~np.isnan(d), ~np.isnan(b)
    both = usable & has_d & has_b
    lat = np.where(usable, rlat, np.nan)
    lon = np.where(usable, rlon, np.nan)
    if both.any():
        la, lo = destination_point(rlat[both], rlon[both], b[both], d[both])
        lat[both], lon[both] = la, lo
    radius = np.full(len(parsed), np.nan)
    if both.any():
        radius[both] = relative_radius_km(
            d[both], bt[both], rho[both], distance_uncertainty=np.nan_to_num(tol[both], nan=0.2)
        )
    ring = usable & has_d & ~has_b
    radius[ring] = d[ring] * (1 + np.nan_to_num(tol[ring], nan=0.2)) + rho[ring]
    disc = usable & ~has_d
    radius[disc] = rho[disc] + NEAR_RADIUS_KM
    return pd.DataFrame({"lat": lat, "lon": lon, "radius_km": radius}, index=parsed.index)


def _reference_tries(parsed: pd.DataFrame) -> pd.DataFrame:
    """(pos, try, text): the reference as written, without its article, then its bare
    name ("the port of Amirabad", "port of Amirabad", "Amirabad") -- first found wins."""
    ref = parsed["reference"].astype("string")
    tries = [ref, ref.str.replace(r"^(?i:the)\s+", "", regex=True), parsed["reference_name"]]
    frames = [
        pd.DataFrame(
            {"pos": np.arange(len(parsed)), "try": i, "text": t.astype("string").to_numpy()}
        )
        for i, t in enumerate(tries)
    ]
    out = pd.concat(frames, ignore_index=True)
    out = out[out["text"].notna() & (out["text"].str.strip() != "")]
    return out.drop_duplicates(["pos", "text"]).sort_values(["pos", "try"], kind="stable")


def resolve_place_texts(
    texts,
    gazetteer: Gazetteer | None = None,
    *,
    case=None,
    countries=None,
    near=None,
) -> pd.DataFrame:
    """Resolve what a source wrote for a place: a name, or a place relative to one.

    Each text is read by :func:`parse_relative` first.  A relative text ("about
    15 km west of the port of Amirabad", "в 15 км к западу от порта Амирабад",
    "در ۱۵ کیلومتری غرب بندر امیرآباد", "near Isfahan") becomes a computed place:
    its reference is resolved by :func:`~osint_kit.analysis.places.resolve_places`
    (as written, then without its article, then its bare name; the first found
    wins), and the point and radius follow :func:`relative_point`.  Any other
    text is resolved as a name (case -> curated -> airports -> world).

    Parameters
    ----------
    texts : Series or sequence of str
    gazetteer, case, countries, near
        As for :func:`~osint_kit.analysis.places.resolve_places` (``near`` is
        the context of the name, or of a relative text's reference).

    Returns
    -------
    DataFrame
        Same index as ``texts``; columns :data:`PLACE_TEXT_COLUMNS`: ``text``,
        ``kind`` ("name" | "relative" | <NA> when empty), the columns of
        ``resolve_places`` (for a relative text: ``precision`` "inferred",
        ``place_id`` <NA> -- a computed place has no id --, ``matched_name``
        and ``match_how`` saying what was computed from what), then
        ``relative_to`` (the reference's place_id), ``reference`` (as
        written), ``distance_km``, ``distance_rel_tol``, ``bearing_deg``,
        ``bearing_tol_deg``, ``hedge``, ``near_km`` (what the text said,
        ready for :func:`search_area`).  A text that cannot be placed has NaN
        coordinates and a ``problem`` with the fix; nothing raises on bad text.
    """
    series = texts if isinstance(texts, pd.Series) else pd.Series(list(texts), dtype="string")
    text = series.astype("string").str.strip()
    text = text.where(text != "")
    if gazetteer is None:
        gazetteer = Gazetteer(case) if case is not None else None
    parsed = parse_relative(text.fillna(""))
    relative = parsed["relative"].to_numpy(dtype=bool) & text.notna().to_numpy(dtype=bool)
    out = resolve_places(
        text.where(~relative), gazetteer, case=case, countries=countries, near=near
    ).copy()
    out.insert(0, "kind", pd.Series(np.where(relative, "relative", "name"), index=series.index))
    out["kind"] = out["kind"].astype("string").where(text.notna())
    out.insert(0, "text", text)
    for col in ("relative_to", "reference", "hedge"):
        out[col] = pd.Series(pd.NA, index=series.index, dtype="string")
    for col in ("distance_km", "distance_rel_tol", "bearing_deg", "bearing_tol_deg", "near_km"):
        out[col] = parsed[col].where(relative).astype("float64")
    if relative.any():
        out = _place_relative(out, text, parsed, relative, gazetteer, case, countries, near)
    return out[PLACE_TEXT_COLUMNS]


def _place_relative(out, text, parsed, relative, gazetteer, case, countries, near):
    """Fill the rows of ``out`` whose text is relative (see :func:`resolve_place_texts`)."""
    pr = parsed[relative]
    tries = _reference_tries(pr)
    near_rows = near
    if isinstance(near, pd.DataFrame):
        near_rows = near.reindex(text.index)[["lat", "lon"]].iloc[
            np.flatnonzero(relative)[tries["pos"].to_numpy()]
        ]
        near_rows.index = tries.index
    ref = resolve_places(tries["text"], gazetteer, case=case, countries=countries, near=near_rows)
    ref["pos"] = tries["pos"].to_numpy()
    found = ref[ref["lat"].notna()].drop_duplicates("pos").set_index("pos")
    last = ref.drop_duplicates("pos", keep="last").set_index("pos")
    pos = np.arange(len(pr))
    hit = pd.Index(found.index).get_indexer(pos)
    ok = hit >= 0
    take = found.iloc[np.where(ok, hit, 0)] if len(found) else None
    rlat = (
        np.where(ok, take["lat"].to_numpy(dtype="float64"), np.nan)
        if take is not None
        else np.full(len(pr), np.nan)
    )
    rlon = (
        np.where(ok, take["lon"].to_numpy(dtype="float64"), np.nan)
        if take is not None
        else np.full(len(pr), np.nan)
    )
    rrad = (
        np.where(ok, take["radius_km"].to_numpy(dtype="float64"), np.nan)
        if take is not None
        else np.full(len(pr), np.nan)
    )
    point = relative_point(rlat, rlon, rrad, pr)
    rows = out.index[relative]
    out.loc[rows, "lat"] = point["lat"].to_numpy()
    out.loc[rows, "lon"] = point["lon"].to_numpy()
    out.loc[rows, "radius_km"] = point["radius_km"].to_numpy()
    placed = point["lat"].notna().to_numpy()
    out.loc[rows, "reference"] = pr["reference"].to_numpy(dtype=object)
    out.loc[rows, "hedge"] = pr["hedge"].to_numpy(dtype=object)
    if take is not None:
        for col in ("tz", "country", "gazetteer"):
            out.loc[rows, col] = np.where(ok, take[col].to_numpy(dtype=object), None)
        out.loc[rows, "relative_to"] = np.where(ok, take["place_id"].to_numpy(dtype=object), None)
    out.loc[rows, "precision"] = np.where(placed, "inferred", None)
    out.loc[rows, "place_id"] = None
    # what was computed from what, and why not: one text per distinct relative text
    ref_name = take["matched_name"].to_numpy(dtype=object) if take is not None else None
    matched, how, problems = [], [], []
    for i, p in enumerate(pr.itertuples(index=False)):
        if not pd.isna(p.problem):
            matched.append(None), how.append(None), problems.append(p.problem)
            continue
        if not ok[i]:
            why = last.loc[i, "problem"] if i in last.index else "no reference name"
            matched.append(None), how.append(None)
            problems.append(
                f"the reference {p.reference!r} of a relative place cannot be placed: {why}"
            )
            continue
        t = take.iloc[i]
        bearing = p.bearing if isinstance(p.bearing, str) else None
        dist = None if math.isnan(p.distance_km) else f"{p.distance_km:g} km"
        if dist and bearing:
            said = f"{dist} {bearing} of"
        elif dist:
            said = f"{dist} from"
        else:
            said = f"{bearing} of" if bearing else "near"
        matched.append(f"{said} {ref_name[i]}")
        rule = (
            f"distance +-{p.distance_rel_tol:.0%}"
            if not math.isnan(p.distance_km)
            else f"within {NEAR_RADIUS_KM:g} km"
        )
        if bearing:
            rule += f", bearing +-{p.bearing_tol_deg:g} deg"
        if isinstance(p.hedge, str):
            rule += f" ('{p.hedge}')"
        how.append(f"relative text: reference {t['place_id']} ({t['match_how']}); {rule}")
        problems.append(None)
    out.loc[rows, "matched_name"] = matched
    out.loc[rows, "match_how"] = how
    out.loc[rows, "problem"] = problems
    out.loc[rows, "candidates"] = None
    for col in ("lat", "lon", "radius_km"):
        out[col] = out[col].astype("float64")
    return out


# ----------------------------------------------------------------------- a places table


def _as_cell(column: pd.Series, value: float):
    """``value`` as ``column`` holds it: a float in a numeric column, else its text."""
    return float(value) if pd.api.types.is_numeric_dtype(column.dtype) else f"{value:g}"


def places_from_text(places: pd.DataFrame, *, file: str = "places.csv"):
    """Resolve a places table whose rows may give a place only in words.

    A row with no ``lat``/``lon`` and no ``relative_to`` whose ``name`` is a
    relative phrase ("about 15 km west of the port of Amirabad", "в 15 км к
    западу от порта Амирабад", "near Sari") is read by :func:`parse_relative`;
    its reference must be another place *of the same table* (matched on its
    names, as the gazetteer does: as written, without its article, bare name).
    A phrase with a distance and a bearing becomes the structured relative
    place: ``relative_to``, ``distance_km``, ``bearing`` (the compass point
    read) and ``distance_uncertainty`` (0.30 after a hedge such as "about",
    else empty = 0.20) are filled and :func:`~osint_kit.analysis.places.resolve_relative`
    computes it like any other.  A phrase without a distance or without a bearing
    ("near X", "north-east of X", "15 km from X") cannot be held by those
    columns: it gets the reference's point and the radius of
    :func:`relative_point` (reference radius + 25 km; or the ring's outer edge).
    Rows with structured columns or coordinates are never read from their name
    (the bundled case's P02 keeps its ``P01, 15, W``: +-20 %, +-45 deg).

    Returns
    -------
    (frame, problems)
        As :func:`~osint_kit.analysis.places.resolve_relative`; ``coord_origin``
        is "text" for a place read from its name; a phrase that cannot be used
        (a problem from :func:`parse_relative`, a reference not in the table)
        is a problems row with the fix and no coordinates.
    """
    frame = places.copy()
    typed = pd.api.types.is_numeric_dtype(frame["lat"])  # the loader's table, not raw text
    for col in ("relative_to", "distance_km", "bearing", "distance_uncertainty"):
        if col not in frame.columns:  # in a typed table an absent number column is numbers
            numeric = typed and col in ("distance_km", "distance_uncertainty")
            frame[col] = pd.Series(
                np.nan if numeric else pd.NA,
                index=frame.index,
                dtype=float if numeric else "string",
            )

    def empty(col):
        v = frame[col].astype("string").str.strip()
        return (v.isna() | (v == "")).to_numpy(dtype=bool)

    lat_empty = pd.to_numeric(frame["lat"], errors="coerce").isna().to_numpy() & empty("lat")
    lon_empty = pd.to_numeric(frame["lon"], errors="coerce").isna().to_numpy() & empty("lon")
    candidate = lat_empty & lon_empty & empty("relative_to")
    parsed = parse_relative(frame["name"].astype("string").where(candidate))
    wordy = candidate & parsed["relative"].to_numpy(dtype=bool)
    extra: list[dict] = []
    if wordy.any():
        own = Gazetteer(places.loc[~wordy], curated=False, airports=False, world=False)
        pr = parsed[wordy]
        tries = _reference_tries(pr)
        ref = own.lookup(tries["text"].dropna().unique())
        tries["place_id"] = tries["text"].map(ref["place_id"].where(ref["problem"].isna()))
        first = tries.dropna(subset=["place_id"]).drop_duplicates("pos").set_index("pos")
        pos = np.arange(len(pr))
        ref_id = pd.Series(pos).map(first["place_id"]).to_numpy(dtype=object)
        rows = frame.index[wordy]
        for i, row in enumerate(rows):
            p = pr.iloc[i]
            why = p["problem"]
            if pd.isna(why) and pd.isna(ref_id[i]):
                why = (
                    f"the reference {p['reference']!r} of {frame.at[row, 'name']!r} is not a "
                    "place of this table"
                )
            if not pd.isna(why):
                extra.append(
                    {
                        "row": row,
                        "column": "name",
                        "value": frame.at[row, "name"],
                        "problem": f"place given in words: {why}",
                        "fix": (
                            "add the reference place to places.csv, or give relative_to + "
                            "distance_km + bearing, or lat/lon"
                        ),
                    }
                )
                continue
            frame.at[row, "relative_to"] = ref_id[i]
            if not (math.isnan(p["distance_km"]) or math.isnan(p["bearing_deg"])):
                # a typed table (the case loader's) holds numbers, a raw one text
                frame.at[row, "distance_km"] = _as_cell(frame["distance_km"], p["distance_km"])
                frame.at[row, "bearing"] = p["bearing"] or f"{p['bearing_deg']:g}"
                if str(p["hedge_kind"]) == _HEDGE_APPROX:
                    frame.at[row, "distance_uncertainty"] = _as_cell(
                        frame["distance_uncertainty"], p["distance_rel_tol"]
                    )
    structured = wordy & ~empty("distance_km")
    # rows in words without distance or bearing: computed below from the reference
    loose = wordy & ~structured & ~empty("relative_to")
    resolved, problems = resolve_relative(
        frame.assign(relative_to=frame["relative_to"].where(~loose)), file=file
    )
    if loose.any():
        pos_of = pd.Series(np.arange(len(resolved)), index=resolved["place_id"].astype("string"))
        pos_of = pos_of[~pos_of.index.duplicated()]
        at = pos_of.reindex(frame.loc[loose, "relative_to"].astype("string")).to_numpy()
        ok = ~pd.isna(at)
        at = np.where(ok, at, 0).astype(int)
        rl = np.where(ok, resolved["lat"].to_numpy()[at], np.nan)
        ro = np.where(ok, resolved["lon"].to_numpy()[at], np.nan)
        rr = np.where(ok, resolved["radius_km"].to_numpy()[at], np.nan)
        point = relative_point(rl, ro, rr, parsed[loose])
        idx = resolved.index[loose]
        resolved.loc[idx, "lat"] = point["lat"].to_numpy()
        resolved.loc[idx, "lon"] = point["lon"].to_numpy()
        resolved.loc[idx, "radius_km"] = point["radius_km"].to_numpy()
        resolved.loc[idx, "relative_to"] = frame.loc[loose, "relative_to"].to_numpy()
        resolved.loc[idx, "coord_origin"] = point["lat"].notna().map({True: "text", False: None})
        # resolve_relative saw no relative_to there and said "no coordinates"
        problems = problems[~(problems["row"].isin(idx) & (problems["column"] == "lat"))]
        for row in idx[point["lat"].isna().to_numpy()]:
            extra.append(
                {
                    "row": row,
                    "column": "relative_to",
                    "value": frame.at[row, "relative_to"],
                    "problem": "place given in words: its reference has no coordinates",
                    "fix": "fix the coordinates of the referenced place first",
                }
            )
    text_rows = resolved.index[structured & resolved["lat"].notna().to_numpy()]
    resolved.loc[text_rows, "coord_origin"] = "text"
    # rows read from words: resolve_relative's "no coordinates and no relative_to" is moot
    # when the words were used, and replaced by the reason when they were not
    problems = problems[~(problems["row"].isin(frame.index[wordy]) & (problems["column"] == "lat"))]
    if extra:
        problems = concat_problems(
            [
                problems,
                problem_rows(
                    file,
                    [e["row"] for e in extra],
                    [e["column"] for e in extra],
                    [e["value"] for e in extra],
                    [e["problem"] for e in extra],
                    [e["fix"] for e in extra],
                    severity="error",
                    action="kept",
                ),
            ]
        )
    return resolved, problems


# ----------------------------------------------------------------------- a record's places

#: What separates the places of a route in one field ("Moscow -> Tehran").
ROUTE_ARROW = re.compile(r"\s*(?:->|→|⟶|➔|=>|—>|–>)\s*")
_NOTE = re.compile(r"^(?P<before>.*?)\s*\((?P<note>[^()]*)\)\s*(?P<after>.*)$", re.DOTALL)

#: Columns of :func:`record_places`, in order.
RECORD_PLACE_COLUMNS = ["row", "part", "role", "written", "note", *PLACE_TEXT_COLUMNS]


def _split_parts(values: pd.Series) -> pd.DataFrame:
    """(row, part, role, written, text, note) for each place a field names."""
    parts = values.astype("string").str.split(ROUTE_ARROW.pattern, regex=True)
    long = parts.explode().rename("written").to_frame()
    long["row"] = long.index
    long["part"] = long.groupby(level=0).cumcount()
    n = long.groupby(level=0)["part"].transform("size")
    long["role"] = np.select(
        [n == 1, long["part"] == 0, long["part"] == n - 1], ["at", "from", "to"], "via"
    )
    written = long["written"].astype("string").str.strip()
    # a bracket is a note ("Penza (employer)", "London (dateline)") -- unless it is
    # itself a relative place ("Mazandaran, Iran (~15 km W of Amirabad port)"),
    # which is then the place and what is outside it the note
    m = written.str.extract(_NOTE.pattern)
    bracket = m["note"].notna()
    inside = parse_relative(m["note"].fillna(""))["relative"].to_numpy(dtype=bool) & bracket
    outside = (m["before"].fillna("") + " " + m["after"].fillna("")).str.strip()
    outside = outside.str.replace(r"\s+,", ",", regex=True).str.strip(" ,")
    text = written.where(~bracket, outside)
    text = text.where(~inside, m["note"])
    note = m["note"].where(bracket & ~inside, outside.where(inside))
    long["text"] = text.where(text != "")
    long["note"] = note.astype("string").where(note != "")
    long["written"] = written
    return long.reset_index(drop=True)


def record_places(
    frame: pd.DataFrame,
    case=None,
    *,
    name_column: str = "place_name",
    id_column: str = "place_id",
    file: str = "events.csv",
    gazetteer: Gazetteer | None = None,
):
    """The places a record's own words name: every part of its ``place_name``.

    For the events and claims of a case: ``place_id`` says where the kit draws
    the record; ``place_name`` is what the source wrote, and may name more
    ("Amirabad, Iran -> Astrakhan, Russia").  Each row's ``place_name`` is split
    at route arrows (``->``, ``→``) into parts (role ``at`` for a single place;
    ``from``, ``via``, ``to`` for a route); a bracket is a note, dropped from
    the name ("Penza (employer)" -> "Penza"), unless the bracket is itself a
    relative place, which is then the part ("Mazandaran, Iran (~15 km W of
    Amirabad port)").  Each part is resolved by :func:`resolve_place_texts`
    with the case's gazetteer (case -> curated -> airports -> world, the
    case's countries) and, as ``near``, the point of the row's own
    ``place_id`` (the nearest other place of the same record).

    Returns
    -------
    (places, problems)
        ``places``: one row per part (columns :data:`RECORD_PLACE_COLUMNS`:
        ``row`` = the record's index value, ``part`` 0.., ``role``,
        ``written`` (the part as written), ``note``, then those of
        :func:`resolve_place_texts`).  Rows with an empty ``place_name``
        have no part (they name nothing); an empty part ("Moscow -> ") is a
        part with a problem.  ``problems``: the long-form problems table
        (file, row, column ``place_name``, value, problem, fix; severity
        ``warning``, action ``kept``: the record stays, without that place).
    """
    if gazetteer is None:
        gazetteer = Gazetteer(case) if case is not None else Gazetteer()
    names = (
        frame[name_column]
        if name_column in frame.columns
        else pd.Series(pd.NA, index=frame.index, dtype="string")
    )
    names = names.astype("string")
    has = (names.str.strip() != "").fillna(False).to_numpy(dtype=bool)
    long = _split_parts(names[has])
    near = None
    places = getattr(case, "places", case) if case is not None else None
    if id_column in frame.columns and isinstance(places, pd.DataFrame) and len(places):
        pts = places.drop_duplicates("place_id").set_index(
            places.drop_duplicates("place_id")["place_id"].astype("string")
        )
        ids = frame[id_column].astype("string").reindex(long["row"].to_numpy())
        near = pd.DataFrame(
            {
                "lat": pd.to_numeric(ids.map(pts["lat"]), errors="coerce").to_numpy(),
                "lon": pd.to_numeric(ids.map(pts["lon"]), errors="coerce").to_numpy(),
            },
            index=long.index,
        )
    got = resolve_place_texts(long["text"], gazetteer, near=near)
    empty_part = long["text"].isna()
    got.loc[empty_part, "problem"] = (
        "an empty place in the route '"
        + long.loc[empty_part, "written"].fillna("")
        + "': write the place on each side of the arrow"
    )
    out = pd.concat(
        [long[["row", "part", "role", "written", "note"]], got.drop(columns=[])], axis=1
    )
    out = out[RECORD_PLACE_COLUMNS]
    bad = out["problem"].notna()
    full = names.reindex(out.loc[bad, "row"].to_numpy()).to_numpy(dtype=object)
    problems = problem_rows(
        file,
        out.loc[bad, "row"].to_numpy(dtype=object),
        name_column,
        full,
        (
            out.loc[bad, "role"]
            + " place "
            + out.loc[bad, "written"].fillna("").map(repr)
            + ": "
            + out.loc[bad, "problem"]
        ).to_numpy(dtype=object),
        "the record keeps its place_id; to place this part, add it to the case's places.csv "
        "(with a source) or write it as the problem says",
        severity="warning",
        action="kept",
    )
    return out, problems
