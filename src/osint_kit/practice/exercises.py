"""Exercises that check themselves, for the bundled case and the practice case.

Each exercise (:data:`EXERCISES`) has a level (``easy``: run and read;
``medium``: change a parameter, a grade or a stance and explain the effect;
``advanced``: write a small analysis with the library), a question written
with the ids of one case (:data:`CASE_PARAMETERS`), a hint, and, per case, the
**salted SHA-256 of the normalised right answer** (:data:`ANSWER_DIGESTS`).
The answers themselves are in no file of the package and in no learner
notebook: a check hashes the learner's answer the same way and compares.
The instructor's notebook ``05_solutions`` computes every answer with the
library and runs every check.

>>> from osint_kit.practice import exercises as ex          # doctest: +SKIP
>>> checker = ex.Checker("ru-ir-missile-experts-2024")      # doctest: +SKIP
>>> checker.show("E1")                                      # doctest: +SKIP
>>> checker.check("E1", 3)                                  # doctest: +SKIP
✗ E1: not right yet. Hint: count origins, not outlets: ...

A check never raises on a learner's answer: an empty answer, one of the
wrong type (a list where one id is asked, text where a number is asked, a
DataFrame), an unknown exercise or a case without stored answers each get a
sentence saying what to write instead (:class:`CheckResult`, ``status``
``right`` / ``wrong`` / ``empty`` / ``invalid`` / ``unknown``).

Normalisation (what counts as the same answer): text and ids are stripped,
blanks collapsed and case-folded (``" Pishtaz"`` = ``"pishtaz"``); whole
numbers may be given as ``3``, ``3.0``, ``"3"`` or a NumPy integer; a distance
is rounded to whole km and accepted within the exercise's tolerance (each
accepted whole number has its own digest); a date may be ``"2024-09-17"``,
``"17 September 2024"``, a ``date`` or a ``Timestamp``.

Why not jupyterquiz, otter-grader or nbgrader: jupyterquiz shows
multiple-choice and numeric quizzes in JavaScript with the answers embedded
in the notebook (visible in its JSON), and its questions are typed, not
computed from a case; otter-grader and nbgrader are course-management tools
(assignment generation, hidden tests, autograding of submitted notebooks,
Docker or a grading database) built around a teacher collecting work.  Here
the learner works alone and offline, answers are values computed from a case
bundle, each case needs its own answer key, and the checks must never raise:
a dependency-free checker of salted hashes does that in a few hundred lines
and adds nothing to install.  The salt stops a copied answer key from being
looked up in a table, not a determined learner from trying every id of a
small case: these checks are for practice, not for grading.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import os
import re
from dataclasses import dataclass, field
from numbers import Integral, Real
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from osint_kit.analysis.corroboration import STATUSES
from osint_kit.practice.case import PRACTICE_SLUG

__all__ = [
    "Exercise",
    "CheckResult",
    "Checker",
    "EXERCISES",
    "CASE_PARAMETERS",
    "ANSWER_DIGESTS",
    "LEVELS",
    "BUNDLED_SLUG",
    "check",
    "show",
    "question",
    "exercises_table",
    "parameters",
    "answer_digest",
    "normalise",
]

BUNDLED_SLUG = "ru-ir-missile-experts-2024"
LEVELS = ("easy", "medium", "advanced")
_SALT = "osint-kit/exercises/v1"
_GRADES = ("A", "B", "C", "D", "E", "F")
_PRECISIONS = ("datetime", "day", "month", "year", "range")


@dataclass(frozen=True)
class Exercise:
    """One exercise: ``kind`` says what an answer is (``int``, ``id``,
    ``choice`` (one of ``choices``), ``km`` (a distance, accepted within
    ``tolerance`` km) or ``date``); ``question`` and ``hint`` are formatted with
    the case's :data:`CASE_PARAMETERS`."""

    id: str
    level: str
    title: str
    kind: str
    question: str
    hint: str
    where: str
    choices: tuple[str, ...] = ()
    tolerance: int = 0
    example: str = ""


EXERCISES: dict[str, Exercise] = {
    e.id: e
    for e in [
        Exercise(
            "E1",
            "easy",
            "Independent origins",
            "int",
            "How many independent origins stand behind claim {claim} ({about})?",
            "count origins, not outlets: corroborate(case).claim_summary has a column for the "
            "origins among the supporters (a claim's origins are where it enters the relay "
            "graph; entry points that share a root count once).",
            "03_claim_corroboration, step 4",
            example="3",
        ),
        Exercise(
            "E2",
            "easy",
            "A source's grade",
            "choice",
            "What Admiralty reliability grade does the case give source {source}? "
            "Give the letter, then say in a sentence what it means.",
            "case.sources has the grade and its rationale (reliability_rationale); "
            "00_start_here lists what A-F mean.",
            "00_start_here, section 3",
            choices=_GRADES,
            example="'A'",
        ),
        Exercise(
            "E3",
            "easy",
            "A date's precision",
            "choice",
            "Claim {claim} is dated {date!r} in claims.csv. What date precision does the kit "
            "give it?",
            "case.claims holds date_start, date_end and date_precision for every claim; compare "
            "the start and the end.",
            "00_start_here, section 4",
            choices=_PRECISIONS,
            example="'day'",
        ),
        Exercise(
            "E4",
            "easy",
            "One voice or many",
            "int",
            "Following derived_from to its end, how many sources of the case have {root} among "
            "their roots (counting {root} itself)?",
            "corroborate(case).origins has one row per (source, root) pair: the roots of a "
            "report are the inputs behind it (documents, officials), not the report itself.",
            "03_claim_corroboration, step 2",
            example="12",
        ),
        Exercise(
            "M1",
            "medium",
            "Who misdated it first",
            "id",
            "Claim {claim} is a misdating ({fact}). Of the sources through which it enters the "
            "relay graph, which was published first?",
            "the claim summary's entry_ids say where a claim enters; case.sources' "
            "published_start gives their dates (an undated source cannot be shown to be first).",
            "03_claim_corroboration, steps 4-5",
            example="'some_source_id'",
        ),
        Exercise(
            "M2",
            "medium",
            "A distance on the ellipsoid",
            "km",
            "How far is {a_name} ({a}) from {b_name} ({b}), in kilometres (whole km)?",
            "geodesic_km(lat1, lon1, lat2, lon2) with the coordinates of case.places; the "
            "search centre's coordinates are computed from its distance and bearing.",
            "00_start_here, section 5; 02_route_map",
            tolerance=1,
            example="150",
        ),
        Exercise(
            "M3",
            "medium",
            "A detail nobody upstream has",
            "id",
            "Which relay added the detail in claim {claim}, which none of the sources it copies "
            "contains?",
            "corroborate(case).drift: the rows whose drift is 'adds'.",
            "03_claim_corroboration, step 5",
            example="'some_source_id'",
        ),
        Exercise(
            "M4",
            "medium",
            "Regrade a claim's origin",
            "int",
            "Claim {claim} enters the relay graph at {source}. Regrade {source} from {old} to "
            "{new} (on a copy of case.sources) and run the corroboration again. What suggested "
            "credibility (1-6) does claim {claim} get now? Explain the change.",
            "a single-origin claim's suggested grade follows the best grade among its origins "
            "(claim_summary's origins_support), not among the relays that repeat it; then a "
            "claim that excludes a better-supported claim (conflicts_with) becomes 5 "
            "(co.CREDIBILITY_RULES). Regrade with case.sources.assign(...) and pass "
            "co.frames(sources, case.claims, case.assertions, events=case.events, "
            "meta=case.meta) to co.corroborate.",
            "03_claim_corroboration, step 4",
            example="2",
        ),
        Exercise(
            "M5",
            "medium",
            "Change a stance",
            "choice",
            "Change {source}'s stance on claim {claim} to {new!r} (on a copy of "
            "case.assertions). What status does the claim get now?",
            "the status rules are the table in 03_claim_corroboration, step 4; the first rule "
            "that applies wins.",
            "03_claim_corroboration, step 4",
            choices=STATUSES,
            example="'corroborated'",
        ),
        Exercise(
            "A1",
            "advanced",
            "The most diagnostic evidence",
            "id",
            "Which evidence item (claim_id) is the most diagnostic in the ACH, and why? (If "
            "several tie, name any one of them.)",
            "diagnosticity is the spread of an item's ratings across the hypotheses: "
            "compare_hypotheses(case).diagnosticity.",
            "03_claim_corroboration, step 6",
            example="'C01'",
        ),
        Exercise(
            "A2",
            "advanced",
            "One ACH cell moves the ranking",
            "id",
            "Rate claim {claim} as {rating} for hypothesis {hypothesis} (on a copy of case.ach) "
            "and compare the hypotheses again. Which hypothesis ranks first now?",
            "ACH ranks by the evidence against a hypothesis (weighted_inconsistency closest to "
            "0 first); co.frames(..., hypotheses=case.hypotheses, ach=your_copy) takes your "
            "ratings.",
            "03_claim_corroboration, step 6",
            example="'H1'",
        ),
        Exercise(
            "A3",
            "advanced",
            "Count the hardenings",
            "int",
            "How many relays harden claim {claim} of their own accord (drift 'hardens': a hedge "
            "turned into an assertion, such as booked -> flew; not inherited from an ancestor "
            "that made the same change)?",
            "filter corroborate(case).drift on claim_id, drift ('hardens') and inherited.",
            "03_claim_corroboration, step 5",
            example="5",
        ),
        Exercise(
            "A4",
            "advanced",
            "How much rests on one report",
            "int",
            "How many claims of the case rest on a single origin (status 'single origin')?",
            "count the statuses of corroborate(case).claim_summary.",
            "03_claim_corroboration, step 4",
            example="10",
        ),
        Exercise(
            "A5",
            "advanced",
            "Intent and boarding",
            "date",
            "On which day does the case hold both a booking and a manifest for the same trip? "
            "(YYYY-MM-DD)",
            "case.travel: record_kind and departure_start; a booking shows intent, a manifest "
            "boarding.",
            "01_timeline; 02_route_map",
            example="'2024-01-31'",
        ),
    ]
}

#: Per case, the ids an exercise's question names (the same question, each case's ids).
CASE_PARAMETERS: dict[str, dict[str, dict[str, Any]]] = {
    BUNDLED_SLUG: {
        "E1": {"claim": "C05", "about": "the passenger manifest"},
        "E2": {"source": "iran_defence_official"},
        "E3": {"claim": "C26", "date": "2024-01"},
        "E4": {"root": "booking_records"},
        "M1": {"claim": "C26", "fact": "the Russia-Iran pact 'signed in January 2024'"},
        "M2": {
            "a": "P06",
            "a_name": "Imam Khomeini airport",
            "b": "P02",
            "b_name": "the Amirabad search centre",
        },
        "M3": {"claim": "C29"},
        "M4": {"source": "booking_records", "old": "B", "new": "D", "claim": "C02"},
        "M5": {"source": "pishtaz", "claim": "C29", "new": "qualifies"},
        "A1": {},
        "A2": {"claim": "C05", "hypothesis": "H1", "rating": "II"},
        "A3": {"claim": "C01"},
        "A4": {},
        "A5": {},
    },
    PRACTICE_SLUG: {
        "E1": {"claim": "C05", "about": "the October flight landing at IKA"},
        "E2": {"source": "harbour_daily"},
        "E3": {"claim": "C01", "date": "2023"},
        "E4": {"root": "port_official"},
        "M1": {"claim": "C13", "fact": "the port agreement 'signed in March 2022'"},
        "M2": {
            "a": "P04",
            "a_name": "Imam Khomeini airport",
            "b": "P02",
            "b_name": "the search centre east of Amirabad",
        },
        "M3": {"claim": "C14"},
        "M4": {"source": "ledger_orig", "old": "B", "new": "D", "claim": "C02"},
        "M5": {"source": "port_notice", "claim": "C06", "new": "contradicts"},
        "A1": {},
        "A2": {"claim": "C14", "hypothesis": "H3", "rating": "N"},
        "A3": {"claim": "C01"},
        "A4": {},
        "A5": {},
    },
}

#: Per case and exercise, the digests of the accepted normalised answers
#: (:func:`answer_digest`); a distance has one digest per accepted whole km.
ANSWER_DIGESTS: dict[str, dict[str, tuple[str, ...]]] = {
    "ru-ir-missile-experts-2024": {
        "E1": ("9233ac3d9b15b5a899a6615c95b6d392fdb7a5f6a46da5eabb9e8cd98f3d4fdf",),
        "E2": ("b7a4ff18b410e44f8112a862f206dc02e37242012bae2b79112b4717354fe827",),
        "E3": ("fe236ad3cb6c09d3ba6eaff6d0818a020fa898766d18a2596b72b077a03175e5",),
        "E4": ("58fb7da4dd962763b308b5f0567fb05d0535689f860877badb6b1c57ef108466",),
        "M1": ("23b19cfe2c28c83f2526e060ae3bbd2a81f8dd82af6be12dd7606a38e491a442",),
        "M2": (
            "1ca73fb2019edc7c1e9f1e7ac173250e058cf2a0980da2f282e96697a306aa2c",
            "490f4cf7b5e38af9ee33f40b3febe001503885b8dc0795b469e96c5c3e3743ce",
            "ecbdebd6468b46e794d5175ad7e14c5801eb562ff9b0cf1f0e779de7292714aa",
        ),
        "M3": ("377ca309182b717a21b06bde57f899406bad68afbaeedc38e65a184ff693d843",),
        "M4": ("e5f2602ef4321999aaaf61d1db6debd8460dfdff7434df6b27f025f27cab463b",),
        "M5": ("c411f9b5a85c401b21ce12591eb743eb68cc61c8de5d23a4e95d189865ad7e2b",),
        "A1": (
            "0b1ff07e1ce9a72c32b0f0236529c2f0b66982430e3a5ebabc105a61e2ac2b89",
            "62d8c63265879ef9a7dee8c384790ce522ed22da789f7fb76fc85399eaeaf820",
        ),
        "A2": ("0670c041d6a950f67bd616b81d68fd1901f5e73bedab74147ae84cb163397873",),
        "A3": ("0d767e4480b309bbcd330a9bcefd6c0a18ea81b7860a6dc1e0cf5a5c6501700b",),
        "A4": ("1a79bce80c8fe1828739d194c0c16e26af3061bc56ae0027499382ae18aba4f3",),
        "A5": ("44cbdace3b043a09ba143774d0955f4ca5d160c2e4c7e65a86ef67c9e4589390",),
    },
    "practice-synthetic-ferry-2023": {
        "E1": ("e9964954c84e6c2d12ecb24bf238f518f651ecca495456953e483f9d417e25c2",),
        "E2": ("ddfbfc1fa7a4540b7f7aa93e9beb0d9826c37eca095461f1ae956d15a8b75702",),
        "E3": ("76ff0cfc2926c41bceb7aa7cec104ca2093261ebc997e97fb1d622f73ec71662",),
        "E4": ("b5237540f115184483c1f463ff8e30f88637cb5f5309b4c76e3de6fc37c1613e",),
        "M1": ("10417b53b763cc7f8894312ea774811c84f24cce0e60868794b99120cf85ada5",),
        "M2": (
            "5fdbcc50d63b9e90e037f554944b22cfc5e1d7b7eec1a5589c45dec05f851ca0",
            "6752e7c88564dacd4a66c7ef0385a45487c5c3cb303efb8ce00e3a516cef899a",
            "48fadf94118a4b28e84328433b46772ecd235609ba2cce0fe257e5949425d902",
        ),
        "M3": ("77a12a33ebb83d9f4b7bff8e44a338624d03383c706685c2c30e533c3e82397f",),
        "M4": ("7e5866bc6f902b8653ba9f893eeff39c2c673f493d80d1e87d44970f849faedd",),
        "M5": ("0400d9c9d3d52b15589f6949e45731b6e8b73b1aa47a58db81e4e86ca7d23d30",),
        "A1": ("f24a75202de9c21ff971132490dbcee619865c7ca11d261247134503d69c63cc",),
        "A2": ("15dc6ad4ee4a2bad1678d1a4a26aa461a0796474cccdbc231ab7b7baa7438d2f",),
        "A3": ("a70cd9bd95f3a31c7c9f535b710e7f1b7fae82272fdbc6e0d151927f4f3f10da",),
        "A4": ("e94303079a38aeaa43dd8fe2fad38da3895cf77c337a514264c3cdeb5777d564",),
        "A5": ("9b0d6f6e64785372ea3d2441198b6e17300f7081068048d230b2a50d3246f0d3",),
    },
}


# --------------------------------------------------------------------------- normalising


class _Invalid(Exception):
    """An answer that cannot be read as the exercise's kind (the message says why)."""


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _is_empty(answer: Any) -> bool:
    if answer is None:
        return True
    if isinstance(answer, str):
        return not answer.strip()
    if isinstance(answer, float) and math.isnan(answer):
        return True
    if answer is pd.NA or answer is pd.NaT:
        return True
    if isinstance(answer, (list, tuple, set, dict, pd.Series, pd.Index, pd.DataFrame, np.ndarray)):
        return len(answer) == 0
    return False


def _type_name(value: Any) -> str:
    if isinstance(value, pd.DataFrame):
        return f"a DataFrame ({value.shape[0]} rows x {value.shape[1]} columns)"
    if isinstance(value, (pd.Series, pd.Index)):
        return f"a pandas {type(value).__name__} of {len(value)} values"
    if isinstance(value, (list, tuple, set)):
        return f"a {type(value).__name__} of {len(value)} values"
    return f"{type(value).__name__} {_shown(value)}"


def _text(answer: Any, what: str) -> str:
    if isinstance(answer, np.str_):
        answer = str(answer)
    if not isinstance(answer, str):
        raise _Invalid(
            f"this exercise asks for {what} as text in quotes; you gave {_type_name(answer)}."
        )
    return re.sub(r"\s+", " ", answer.strip()).casefold()


def _whole_number(answer: Any) -> int:
    if isinstance(answer, (bool, np.bool_)):
        raise _Invalid(f"this exercise asks for a whole number; you gave {answer!r}, a yes/no.")
    if isinstance(answer, (Integral, np.integer)):
        return int(answer)
    if isinstance(answer, (Real, np.floating)):
        value = float(answer)
        if math.isfinite(value) and value == int(value):
            return int(value)
        raise _Invalid(f"this exercise asks for a whole number; {answer!r} is not one.")
    if isinstance(answer, str) and re.fullmatch(r"\s*[-+]?\d+\s*", answer):
        return int(answer)
    raise _Invalid(f"this exercise asks for a whole number, e.g. 3; you gave {_type_name(answer)}.")


def _number(answer: Any) -> float:
    if isinstance(answer, (bool, np.bool_)):
        raise _Invalid(f"this exercise asks for a number; you gave {answer!r}, a yes/no.")
    if isinstance(answer, (Real, np.integer, np.floating)):
        value = float(answer)
    elif isinstance(answer, str):
        try:
            value = float(answer.strip().replace(",", "."))
        except ValueError:
            raise _Invalid(
                f"this exercise asks for a number of km, e.g. 150 or 149.6; "
                f"{_shown(answer)} is not one."
            ) from None
    else:
        raise _Invalid(f"this exercise asks for a number of km; you gave {_type_name(answer)}.")
    if not math.isfinite(value):
        raise _Invalid(f"this exercise asks for a distance in km; {answer!r} is not finite.")
    return value


def _day(answer: Any) -> str:
    if isinstance(answer, (dt.date, pd.Timestamp, np.datetime64)):
        stamp = pd.Timestamp(answer)
    elif isinstance(answer, str):
        try:
            stamp = pd.Timestamp(answer.strip())
        except (ValueError, TypeError):
            raise _Invalid(
                f"this exercise asks for a day, e.g. '2024-01-31'; {_shown(answer)} is not one."
            ) from None
    else:
        raise _Invalid(f"this exercise asks for a day as text; you gave {_type_name(answer)}.")
    if pd.isna(stamp):
        raise _Invalid("this exercise asks for a day, e.g. '2024-01-31'.")
    return stamp.strftime("%Y-%m-%d")


def normalise(exercise: str | Exercise, answer: Any) -> list[str]:
    """The normalised forms of ``answer`` that are hashed (one, except for a
    distance: the whole km it rounds to).  Raises ``ValueError`` (with the
    message a learner sees) when the answer cannot be read as the kind asked."""
    ex = EXERCISES[exercise] if isinstance(exercise, str) else exercise
    try:
        if ex.kind == "int":
            return [str(_whole_number(answer))]
        if ex.kind == "km":
            return [str(round(_number(answer)))]
        if ex.kind == "date":
            return [_day(answer)]
        what = {"id": "one id", "choice": "one of " + ", ".join(ex.choices)}[ex.kind]
        text = _text(answer, what)
        if ex.kind == "choice" and text not in {c.casefold() for c in ex.choices}:
            raise _Invalid(f"{_shown(answer)} is not one of: {', '.join(ex.choices)}.")
        return [text]
    except _Invalid as err:
        raise ValueError(str(err)) from None


def answer_digest(exercise: str, case_slug: str, normalised: str) -> str:
    """The salted SHA-256 stored for one accepted, normalised answer."""
    data = "\x1f".join([_SALT, case_slug, exercise, normalised]).encode("utf-8")
    return hashlib.sha256(data).hexdigest()


# --------------------------------------------------------------------------- checking


@dataclass(frozen=True)
class CheckResult:
    """What a check says: ``status`` is ``right``, ``wrong``, ``empty`` (no
    answer yet), ``invalid`` (not readable as the kind asked) or ``unknown``
    (no such exercise, or no answers stored for the case); ``message`` is the
    sentence shown.  True only when right."""

    exercise: str
    status: str
    message: str
    case: str = ""

    def __bool__(self) -> bool:
        return self.status == "right"

    def __str__(self) -> str:
        return self.message

    def _ipython_display_(self) -> None:  # already printed by check()
        return None


def _slug(case: Any) -> str:
    if isinstance(case, str | os.PathLike):
        return Path(os.fspath(case)).name
    slug = getattr(case, "slug", None)
    if isinstance(slug, str):
        return slug
    raise TypeError(
        f"case must be a loaded case (osint_kit.load_case(...)), its slug or its folder, not "
        f"{_type_name(case)}"
    )


def _unknown_case(slug: str) -> str:
    return (
        f"No stored answers for case {slug!r}: the exercises come with answers for "
        f"{BUNDLED_SLUG!r} and {PRACTICE_SLUG!r}. Set CASE to one of them to check your answers."
    )


def _lookup(exercise: Any, case: Any) -> tuple[Exercise | None, str, str]:
    """(the exercise or None, the case slug, a message when one is unknown)."""
    try:
        slug = _slug(case)
    except TypeError as err:
        return None, "", str(err)
    if not isinstance(exercise, str) or exercise.strip().upper() not in EXERCISES:
        return (
            None,
            slug,
            f"No exercise {_shown(exercise)}: the exercises are {', '.join(EXERCISES)}.",
        )
    ex = EXERCISES[exercise.strip().upper()]
    if slug not in CASE_PARAMETERS:
        return None, slug, _unknown_case(slug)
    return ex, slug, ""


def parameters(exercise: str, case: Any) -> dict[str, Any]:
    """The ids exercise ``exercise`` names for ``case`` (empty for a case without
    stored answers).  The solutions notebook computes each answer from them."""
    ex, slug, _ = _lookup(exercise, case)
    return dict(CASE_PARAMETERS[slug][ex.id]) if ex is not None else {}


def question(exercise: str, case: Any) -> str:
    """The question of ``exercise`` with ``case``'s ids (or why there is none)."""
    ex, slug, message = _lookup(exercise, case)
    if ex is None:
        return message
    return ex.question.format(**CASE_PARAMETERS[slug][ex.id])


def show(exercise: str, case: Any) -> None:
    """Print an exercise: level, title, question, where it is taught, the answer's form."""
    ex, slug, message = _lookup(exercise, case)
    if ex is None:
        print(message)
        return
    form = {
        "int": "a whole number",
        "id": "one id, as text",
        "choice": "one of " + ", ".join(ex.choices),
        "km": f"a distance in km (within {ex.tolerance} km)",
        "date": "a day, YYYY-MM-DD",
    }[ex.kind]
    print(
        f"{ex.id} ({ex.level}) {ex.title}\n{question(ex.id, slug)}\n"
        f"Answer: {form}, e.g. {ex.example}. Taught in: {ex.where}."
    )


def exercises_table(case: Any = None) -> pd.DataFrame:
    """One row per exercise: id, level, title, where (the notebook and step that
    teach it) and, for a case with stored answers, the question with its ids."""
    rows = []
    for ex in EXERCISES.values():
        q = question(ex.id, case) if case is not None else ex.question
        rows.append(
            {"id": ex.id, "level": ex.level, "title": ex.title, "where": ex.where, "question": q}
        )
    return pd.DataFrame(rows).astype("string")


def _check(exercise: Any, answer: Any, case: Any) -> CheckResult:
    ex, slug, message = _lookup(exercise, case)
    label = str(exercise)[:20] if exercise is not None else "?"
    if ex is None:
        return CheckResult(label, "unknown", "? " + message, slug)
    if _is_empty(answer):
        return CheckResult(
            ex.id,
            "empty",
            f"… {ex.id}: no answer yet. Write your answer (e.g. {ex.example}) in place of None "
            f"and run the cell again.",
            slug,
        )
    try:
        forms = normalise(ex, answer)
    except ValueError as err:
        return CheckResult(ex.id, "invalid", f"? {ex.id}: {err}", slug)
    accepted = set(ANSWER_DIGESTS.get(slug, {}).get(ex.id, ()))
    if not accepted:
        return CheckResult(ex.id, "unknown", "? " + _unknown_case(slug), slug)
    if any(answer_digest(ex.id, slug, f) in accepted for f in forms):
        return CheckResult(ex.id, "right", f"✓ {ex.id}: right.", slug)
    hint = ex.hint.format(**CASE_PARAMETERS[slug][ex.id])
    return CheckResult(ex.id, "wrong", f"✗ {ex.id}: not right yet. Hint: {hint}", slug)


def check(exercise: str, answer: Any, case: Any) -> CheckResult:
    """Check ``answer`` to ``exercise`` for ``case`` (a loaded case, its slug or
    its folder), print what the check says, and return it (:class:`CheckResult`,
    true when right).  Never raises on a learner's answer."""
    result = _check(exercise, answer, case)
    print(result.message)
    return result


@dataclass
class Checker:
    """Checks for one case, keeping the latest result per exercise.

    >>> checker = Checker("practice-synthetic-ferry-2023")   # doctest: +SKIP
    >>> checker.check("M2", 212)                               # doctest: +SKIP
    >>> checker.progress()                                     # doctest: +SKIP
    """

    case: Any
    results: dict[str, CheckResult] = field(default_factory=dict)

    def show(self, exercise: str) -> None:
        """Print the exercise's question for this case."""
        show(exercise, self.case)

    def check(self, exercise: str, answer: Any) -> CheckResult:
        """As :func:`check`; the result is kept for :meth:`progress`."""
        result = check(exercise, answer, self.case)
        if result.exercise in EXERCISES:
            self.results[result.exercise] = result
        return result

    def progress(self) -> pd.DataFrame:
        """One row per exercise: id, level, title, status (``not tried`` until
        checked) and the last message."""
        rows = []
        for ex in EXERCISES.values():
            r = self.results.get(ex.id)
            rows.append(
                {
                    "id": ex.id,
                    "level": ex.level,
                    "title": ex.title,
                    "status": r.status if r is not None else "not tried",
                    "message": r.message if r is not None else "",
                }
            )
        return pd.DataFrame(rows).astype("string")
