"""Each vectorised fast path against a plain reference implementation.

The kit's fast paths (date-times: :func:`osint_kit.analysis.dates.fast_times`;
person keys: :func:`osint_kit.analysis.names.person_keys_by_pair`; passports:
:func:`osint_kit.analysis.documents.classify_distinct`; the legs' problem
texts: :func:`osint_kit.analysis.legs.join_problems`) work on distinct values
and integer codes.  Below, each has a plain version -- one row or one value at
a time, written from the documented rule, not from the fast code -- and a
hypothesis test that the two agree on generated input.
"""

from __future__ import annotations

import hmac
import re
import unicodedata
from datetime import datetime

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from osint_kit.analysis import dates, documents, legs, names
from osint_kit.text import ascii_text, jaro_winkler, metaphone

SETTINGS = settings(max_examples=150, deadline=None)
KEY = b"k" * 32  # a fixed digest key: the test never reads or makes a key file


# --------------------------------------------------------------------------- date-times

# The fast path's formats, exactly: two-digit day/month/hour/minute/second,
# four-digit year, no offset; ISO may have "T" or " " before the time, the
# dotted form only " ".  Anything else is for the general path.
_FAST_FORMS = [
    (re.compile(r"\d{2}\.\d{2}\.\d{4}", re.ASCII), "%d.%m.%Y"),
    (re.compile(r"\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}", re.ASCII), "%d.%m.%Y %H:%M"),
    (re.compile(r"\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2}", re.ASCII), "%d.%m.%Y %H:%M:%S"),
    (re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII), "%Y-%m-%d"),
    (re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", re.ASCII), "%Y-%m-%d %H:%M"),
    (re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", re.ASCII), "%Y-%m-%d %H:%M:%S"),
    (re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", re.ASCII), "%Y-%m-%dT%H:%M"),
    (re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}", re.ASCII), "%Y-%m-%dT%H:%M:%S"),
]


def reference_fast_times(texts):
    """(handled, wall time or None, has_time) per text, with datetime.strptime."""
    out = []
    for t in texts:
        for pattern, fmt in _FAST_FORMS:
            if isinstance(t, str) and pattern.fullmatch(t):
                try:
                    out.append((True, datetime.strptime(t, fmt), "%H" in fmt))
                except ValueError:  # day 31 in April, month 13, hour 24, second 60...
                    out.append((False, None, False))
                break
        else:
            out.append((False, None, False))
    return out


def _two(lo, hi):
    return st.integers(lo, hi).map(lambda v: f"{v:02d}")


@st.composite
def date_time_texts(draw, years=None):
    """Texts in the accepted formats with any day/month/hour/minute/second,
    in range or out of it, plus near misses (one digit, a stray character)."""
    y = f"{draw(years if years is not None else st.integers(1, 9999)):04d}"
    mo, d = draw(_two(0, 14)), draw(_two(0, 33))
    h, mi, s = draw(_two(0, 26)), draw(_two(0, 62)), draw(_two(0, 62))
    day = draw(st.sampled_from([f"{d}.{mo}.{y}", f"{y}-{mo}-{d}"]))
    time = draw(
        st.sampled_from(["", f" {h}:{mi}", f" {h}:{mi}:{s}", f"T{h}:{mi}", f"T{h}:{mi}:{s}"])
    )
    text = day + time
    damage = draw(st.sampled_from(["none"] * 6 + ["one_digit", "space", "arabic", "char"]))
    if damage == "one_digit":
        text = text.replace("0", "", 1)
    elif damage == "space":
        text = " " + text
    elif damage == "arabic":  # an Arabic-Indic digit: not for the fast path
        text = text.replace("2", "\u0662", 1)
    elif damage == "char":
        at = draw(st.integers(0, len(text) - 1))
        text = text[:at] + draw(st.sampled_from(list("x/:-. Tё"))) + text[at + 1 :]
    return text


@SETTINGS
@given(texts=st.lists(st.one_of(date_time_texts(), st.text(max_size=20)), min_size=1, max_size=30))
def test_fast_times_agree_with_a_strptime_loop(texts):
    handled, values, has_time = dates.fast_times(pd.Series(texts, dtype="string"))
    want = reference_fast_times(texts)
    assert handled.tolist() == [w[0] for w in want]
    got = [pd.Timestamp(v).to_pydatetime() if ok else None for ok, v in zip(handled, values)]
    assert got == [w[1] for w in want]
    assert [bool(h) for h, ok in zip(has_time, handled) if ok] == [w[2] for w in want if w[0]]


@SETTINGS
@given(texts=st.lists(date_time_texts(years=st.integers(1900, 2100)), min_size=1, max_size=30))
def test_fast_times_agree_with_the_general_parser(texts):
    # the same texts through parse_local_times with and without the fast path
    series = pd.Series(texts, dtype="string")
    fast = dates.parse_local_times({"t": series})["t"]
    general = dates.parse_local_times({"t": series}, fast=False)["t"]
    pd.testing.assert_frame_equal(fast, general)


# --------------------------------------------------------------------------- person keys


def _ascii(name):
    s = unicodedata.normalize("NFKC", name)
    s = s.lower() if s.isascii() else ascii_text(s).lower()
    return re.sub(r"[^a-z]+", "", s)


def _components(items, linked):
    """Connected components (union-find) of ``items`` under ``linked(a, b)``."""
    parent = {x: x for x in items}

    def root(x):
        while parent[x] != x:
            x = parent[x]
        return x

    for i, a in enumerate(items):
        for b in items[i + 1 :]:
            if linked(a, b):
                parent[root(a)] = root(b)
    return {x: root(x) for x in items}


def reference_person_keys(surnames, givens):
    """person_key, name_ascii, name_problem per row, one row at a time: the rule
    of :func:`osint_kit.analysis.names.person_keys`."""
    rows = []
    for s, g in zip(surnames, givens):
        s = s.strip() if isinstance(s, str) and s.strip() else None
        g = g.strip() if isinstance(g, str) and g.strip() else None
        problem = names.name_problem(s) or names.name_problem(g)
        sa = "" if problem or s is None else _ascii(s)
        ga = "" if problem or g is None else _ascii(g)
        rows.append({"sa": sa, "ga": ga, "problem": problem, "spelled": f"{sa} {ga}".strip()})
    ok = [r for r in rows if r["sa"]]

    # surnames linked by sound (same metaphone) or spelling (Jaro-Winkler within
    # the same first letter), never across the feminine / masculine ending
    def fem(n):
        return n.endswith(("a", "aya"))

    sur = sorted({r["sa"] for r in ok})
    s_group = _components(
        sur,
        lambda a, b: (
            fem(a) == fem(b)
            and (
                metaphone(a) == metaphone(b)
                or (a[0] == b[0] and jaro_winkler(a, b) >= names.SURNAME_JW)
            )
        ),
    )
    giv = sorted({r["ga"] for r in ok if len(r["ga"]) > 1})
    g_group = _components(
        giv,
        lambda a, b: (
            metaphone(a) == metaphone(b) or (a[0] == b[0] and jaro_winkler(a, b) >= names.GIVEN_JW)
        ),
    )
    for r in ok:
        r["sg"] = s_group[r["sa"]]
        r["gg"] = g_group.get(r["ga"], "") if len(r["ga"]) != 1 else None
    # an initial joins the one given-name group of its surname group with that letter
    for _i, r in enumerate(rows):
        if r["sa"] and len(r["ga"]) == 1:
            options = {
                o["gg"]
                for o in ok
                if o["sg"] == r["sg"] and len(o["ga"]) > 1 and o["ga"][0] == r["ga"]
            }
            r["gg"] = options.pop() if len(options) == 1 else ("initial", r["sa"], r["ga"])
    # a person's key: its most frequent spelling (initials count 0), ties alphabetical
    weight: dict = {}
    for r in ok:
        person = (r["sg"], r["gg"])
        votes = weight.setdefault(person, {})
        votes[r["spelled"]] = votes.get(r["spelled"], 0) + (len(r["ga"]) != 1)
    best = {p: min(v, key=lambda sp: (-v[sp], sp)) for p, v in weight.items()}
    return pd.DataFrame(
        {
            "person_key": pd.array(
                [best[(r["sg"], r["gg"])] if r["sa"] else None for r in rows], dtype="string"
            ),
            "name_ascii": pd.array([r["spelled"] or None for r in rows], dtype="string"),
            "name_problem": pd.array([r["problem"] for r in rows], dtype="string"),
        }
    )


_SURNAMES = [
    "Иванов",
    "Ivanov",
    "Iwanow",
    "Иванова",
    "Ivanova",
    "Петров",
    "Petrov",
    "Petroff",
    "Щербаков",
    "Shcherbakov",
    "Scherbakov",
    "Smirnov",
    "Смирнова",
    "Kuznetsov",
    "Кузнецов",
    "Òåñòîâ",
    "123",
    "  ",
    "Testov",
    "Тестов",
]
_GIVENS = [
    "Иван",
    "Ivan",
    "Iwan",
    "I",
    "I.",
    "Анна",
    "Anna",
    "A",
    "Пётр",
    "Petr",
    "Pyotr",
    "P",
    "Мария",
    "Maria",
    "M",
    "",
    "Ð³Ñ",
    "Alexei",
    "Алексей",
    "Aleksey",
]


@SETTINGS
@given(
    pairs=st.lists(
        st.tuples(
            st.one_of(st.sampled_from(_SURNAMES), st.none(), st.text(min_size=1, max_size=8)),
            st.one_of(st.sampled_from(_GIVENS), st.none()),
        ),
        min_size=1,
        max_size=25,
    )
)
def test_person_keys_agree_with_a_per_row_version(pairs):
    surname = pd.Series([p[0] for p in pairs], dtype="string")
    given_name = pd.Series([p[1] for p in pairs], dtype="string")
    codes, per_pair = names.person_keys_by_pair(surname, given_name)
    fast = pd.DataFrame({c: per_pair[c].array.take(codes) for c in per_pair.columns})
    pd.testing.assert_frame_equal(
        fast, reference_person_keys(list(surname.astype(object)), list(given_name.astype(object)))
    )


# --------------------------------------------------------------------------- passports


def reference_passport(value, key=KEY):
    """classify_passports' rule for one value."""
    digits = re.sub(r"[\s\-№#]+|^(no|n)\.?", "", str(value).strip(), flags=re.IGNORECASE)
    nine = re.fullmatch(r"\d{9}", digits) is not None
    ten = re.fullmatch(r"\d{10}", digits) is not None and not nine
    series = digits[:2] if nine else None
    if nine:
        kind = documents.PASSPORT_SERIES.get(series, "ru_foreign_ordinary")
        official = kind != "ru_foreign_ordinary"
    elif ten:
        kind, official = "ru_internal", False
    elif digits:
        kind, official = "unknown", None
    else:
        kind = official = None
    keep = 2 if (nine or ten or not digits) else 1
    masked = digits[:keep] + "*" * max(len(digits) - keep, 0) if digits else None
    digest = (
        hmac.new(key, b"passport:" + digits.encode(), "sha256").hexdigest()[:12] if digits else None
    )
    problem = (
        f"passport number {masked!r} ({len(digits)} characters) is not a 9-digit "
        "Russian foreign passport number"
        if kind == "unknown"
        else None
    )
    return {
        "passport_kind": kind,
        "passport_series": series,
        "passport_official": official,
        "passport_masked": masked,
        "passport_hash": digest,
        "passport_problem": problem,
    }


@st.composite
def passport_texts(draw):
    digits = draw(st.text(alphabet="0123456789", min_size=0, max_size=12))
    if draw(st.booleans()) and len(digits) > 2:  # a series written apart
        digits = digits[:2] + draw(st.sampled_from([" ", "  ", "-", " № "])) + digits[2:]
    prefix = draw(st.sampled_from(["", "", "№ ", "No. ", "n", "#", " "]))
    series = draw(st.sampled_from(["", "", "20", "10", "75"]))
    return prefix + series + digits + draw(st.sampled_from(["", " ", "x", "\u0663"]))


@SETTINGS
@given(values=st.lists(passport_texts(), min_size=1, max_size=25, unique=True))
def test_passports_agree_with_a_per_value_version(values):
    fast = documents.classify_distinct(pd.Index(values, dtype=object), key=KEY)
    want = pd.DataFrame([reference_passport(v) for v in values]).astype(
        {
            "passport_kind": "string",
            "passport_series": "string",
            "passport_official": "boolean",
            "passport_masked": "string",
            "passport_hash": "string",
            "passport_problem": "string",
        }
    )
    pd.testing.assert_frame_equal(fast, want)


# --------------------------------------------------------------------------- problem texts


def reference_join(problems, n):
    """The ``problem`` text of each row: its reasons in key order, " | "-joined."""
    out = []
    for i in range(n):
        found = [str(v.iloc[i]) for v in problems.values() if pd.notna(v.iloc[i])]
        out.append(legs.PROBLEM_SEP.join(found) if found else None)
    return out


REASONS = st.sampled_from(
    [
        "unknown place 'Moscow | SVO'",
        "arrival is not after departure",
        "a",
        "b | c",
        "impossible speed: 5024 km/h",
    ]
)


@st.composite
def reason_columns(draw):
    n = draw(st.integers(1, 30))
    columns = {}
    for k in range(draw(st.integers(0, 6))):
        values = draw(st.lists(st.one_of(st.none(), REASONS), min_size=n, max_size=n))
        s = pd.Series(values, dtype="string")
        columns[f"k{k}"] = s.astype("category") if draw(st.booleans()) else s
    return n, columns


@SETTINGS
@given(data=reason_columns())
def test_join_problems_agrees_with_a_per_row_join(data):
    n, problems = data
    got = legs.join_problems(problems, pd.RangeIndex(n))
    assert got.astype("string").tolist() == [
        pd.NA if t is None else t for t in reference_join(problems, n)
    ]
