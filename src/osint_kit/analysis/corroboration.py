"""Claim corroboration: who says what, and how many independent voices that is.

A claim repeated by thirty outlets that all copy one report is **one** voice.
This module turns a case's sources (with their ``derived_from`` relay links
and Admiralty reliability grades A–F) and assertions (a source's stance on a
claim) into:

* ``matrix`` — claims × sources, one stance per cell, sources ordered so
  that each relay group (the sources sharing an origin) sits together, every
  relay right after the source it copies (``source_order``);
* ``claim_summary`` — per claim: counts per stance, independent origins among
  supporters and contradictors, the best supporter grade, a status and a
  *suggested* Admiralty information-credibility grade 1–6 that an analyst
  may override in claims.csv;
* ``drift`` — per derived source, the claims it changed (qualified,
  hardened, contradicted, dropped) relative to its ancestors, and the claims
  it **adds** that none of its ancestors carries; :meth:`Corroboration.hedge`
  lists who kept a hedged claim and who dropped the hedge;
* ``problems`` — assertions that cannot be placed in the matrix (unknown
  source or claim, unknown stance word, repeated pair) and unusable grades,
  in the kit's problems table (:mod:`osint_kit.problems`).

All of them are attributes of the :class:`Corroboration` that
:func:`corroborate` returns: the analysis runs once, on integer codes with
numpy (each distinct stance word is normalised once), so it scales to 10,000
sources and 200,000 assertions (see ``benchmarks/bench_corroboration.py``).
:meth:`Corroboration.check` verifies that nothing was lost on the way.

>>> result = corroborate(case)                       # doctest: +SKIP
>>> result.claim_summary, result.drift, result.problems  # doctest: +SKIP

Definitions
-----------
Origins (per source)
    The root sources reached through ``derived_from``
    (:func:`osint_kit.analysis.relays.origins`); a source with no parents is
    its own origin.  ``origins`` and ``source_order`` are per source.
Origins (per claim)
    A claim's origins are its **entry points**: the supporters none of whose
    ancestors supports it, where the claim enters the relay graph.  A detail
    that first appears in a relay has that relay as its origin, not the
    relay's own root; a claim a report takes from an input behind it (a
    source of kind ``document`` or ``official`` that the report derives
    from) has that input as its origin: Admiralty grades the source behind
    the channel.  Independence is still judged at the *source* level: two
    entry points are one origin group when they share a root (two relays of
    one wire are never independent of each other, even for a detail the
    wire does not carry: they may copy each other without saying so, or
    share the part of the wire nobody could read).  This errs on the side of
    fewer voices.  The same holds for contradiction (entry points of the
    contradiction); a contradicting group that shares a root with any
    supporter is relay drift, not an independent challenge.
Events
    claims.csv ``event_ids`` links a claim to events.csv rows: each event's
    ``source_url`` becomes a source of the analysis that supports the claim.
    A URL that is a source's ``url`` in sources.csv is that source (so an
    event cited to a Reuters relay adds no independent origin); another URL
    becomes a source ``event:<event_id>`` of kind ``event_source``, with no
    parents, graded by case.toml's ``[corroboration] event_source_reliability``
    and **F (cannot be judged) when the case does not grade it**: the kit
    cannot judge an outlet it only knows by a URL, and an F origin weighs
    nothing (below); a case that grades its event sources says why in
    case.toml, or lists the URL in sources.csv to grade it there.
Weight: both ways alike
    One rule for support and contradiction: each origin group weighs by its
    best grade, and a group whose reliability cannot be judged (F, or
    ungraded) weighs **nothing, on either side**.  An F supporter does not
    corroborate a claim, and an F contradictor does not contest it: a
    self-interested denial graded F leaves a B-graded report single origin,
    probably true, just as an F-graded repetition would not have made it
    confirmed.  ``n_judged_support`` / ``n_judged_contradict`` count the
    groups that weigh.
Status (per claim), first rule that applies
    ``no source in this case``: no source supports, contradicts or qualifies
    it (no assertion at all, or only ``omits``: leaving a detail out is not a
    statement about it).
    ``contested``: a judged (A–E) origin group supports it and an
    independent judged group contradicts it.
    ``corroborated``: two or more independent judged origin groups support it.
    ``single origin``: supported, and no judged independent contradiction
    (one judged group, or only groups that cannot be judged).
    ``contradicted only``: contradicted, and no judged origin supports it.
    ``only qualified``: only ever repeated with a material change.
Admiralty grades
    Source reliability (NATO AJP-2.1 / STANAG 2511; US FM 2-22.3 appendix B;
    MISP taxonomy ``admiralty-scale``): A completely reliable, B usually
    reliable, C fairly reliable, D not usually reliable, E unreliable,
    F reliability cannot be judged.  A group's grade is its best entry
    point's, and ``best_grade_support`` the best grade among the claim's
    origins (not among every relay that repeats it: a C-graded copy of an
    E-graded addition is still an E-graded claim).  The order is
    A > B > C > D > E > F: a source whose reliability cannot be judged adds
    nothing, so it ranks below E; the best grade is F only when every
    origin is F.  Missing grades are ignored.
    Information credibility: 1 confirmed by other (independent) sources,
    2 probably true, 3 possibly true, 4 doubtful, 5 improbable, 6 truth
    cannot be judged.
Suggested credibility (:data:`CREDIBILITY_RULES`)
    corroborated → 1; single origin → 2 if the best origin is A or B, 3 if
    C, 4 if D or E, 6 if F or ungraded; contested → 3 when the judged
    supporting groups outnumber the judged contradicting ones, 4 when they
    are as many, 5 when fewer; contradicted only → 5 (6 when no judged
    origin contradicts it); only qualified → 6; no source in this case → 6.
Conflicts
    claims.csv ``excludes`` lists claims that cannot be true together with
    this one (either side may list the other).  After the rules above, a
    claim that excludes a **better-supported** claim (a lower suggested
    grade; 6 counts as the weakest) becomes 5, improbable: "contradicted by
    other information" in the Admiralty wording.  Two equally supported
    claims that exclude each other are each at most 3 (possibly true).  One
    pass, on the grades before this rule: a demoted claim does not demote
    others.  ``conflicts_with`` and ``excluded_by`` show it.
    This is a mechanical starting point: logic and consistency with other
    information, which the definitions also ask for, remain the analyst's
    judgement, given in claims.csv's ``credibility`` column (shown with
    ``credibility_source = "analyst"``).
Drift kinds
    ``adds``, ``qualifies``, ``hardens`` (a qualified or contradicting
    repetition whose assertion marks ``change = hardens``: a hedge or caveat
    turned into an assertion, "booked" → "flew", "said" → "confirmed", one
    manifest → "manifests confirmed"; distinct from a changed number),
    ``contradicts``, ``omits``.  A source whose ancestors are all inputs
    (``document``, ``official``) has no drift rows: what a report adds to its
    inputs is its reporting, shown as the claims' origins.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from osint_kit.analysis import relays
from osint_kit.analysis.relays import ancestor_codes, csr, expand, origin_codes
from osint_kit.errors import CaseError
from osint_kit.problems import Problems, rejected_rows
from osint_kit.schema import bundle as schemas
from osint_kit.schema.tables import CaseTables, Tables

__all__ = [
    "STANCES",
    "STATUSES",
    "CREDIBILITY",
    "RELIABILITY",
    "CREDIBILITY_RULES",
    "INPUT_KINDS",
    "EVENT_SOURCE_KIND",
    "CHANGES",
    "DRIFT_KINDS",
    "Corroboration",
    "corroborate",
    "origins",
    "ancestors",
    "normalise_stance",
    "stance_words",
    "join_groups",
    "frames",
]

#: Stance words, in code order (code 0 = supports ... 3 = omits; -1 = blank).
STANCES: tuple[str, ...] = tuple(schemas.STANCES)
SUPPORTS, CONTRADICTS, QUALIFIES, OMITS = range(4)
BLANK = -1

#: Claim statuses, in the order the rules are tried.
STATUSES = (
    "no source in this case",
    "contested",
    "corroborated",
    "single origin",
    "contradicted only",
    "only qualified",
)

#: Admiralty information credibility (US Army FM 2-22.3 appendix B; MISP taxonomy
#: admiralty-scale, github.com/MISP/misp-taxonomies admiralty-scale/machinetag.json).
CREDIBILITY = {
    1: "confirmed by other sources",
    2: "probably true",
    3: "possibly true",
    4: "doubtful",
    5: "improbable",
    6: "truth cannot be judged",
}
#: Admiralty source reliability (same references).
RELIABILITY = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}
_GRADES = tuple(RELIABILITY)  # rank 0 (A, best) ... 5 (F, worst for "best")
_NO_GRADE = len(_GRADES)

#: How a status (the weight of each side, and the best origin grade) becomes a suggested
#: credibility grade; the last two rows apply afterwards, to claims that exclude others.
#: One rule both ways: an origin group graded F (or ungraded) weighs nothing, whether it
#: supports or contradicts; "judged" = graded A-E.
CREDIBILITY_RULES = pd.DataFrame(
    [
        ("corroborated", "any", 1, "two or more independent judged origins support it"),
        ("single origin", "A or B", 2, "one judged origin, usually reliable or better"),
        ("single origin", "C", 3, "one judged origin, fairly reliable"),
        ("single origin", "D or E", 4, "one judged origin, not usually reliable or worse"),
        (
            "single origin",
            "F or none",
            6,
            "only origins whose reliability cannot be judged (they weigh nothing)",
        ),
        (
            "contested",
            "more judged supporting than contradicting origins",
            3,
            "independent judged origins disagree; the support is broader",
        ),
        (
            "contested",
            "as many judged supporting as contradicting origins",
            4,
            "independent judged origins disagree, as many on each side",
        ),
        (
            "contested",
            "fewer judged supporting than contradicting origins",
            5,
            "independent judged origins disagree; the contradiction is broader",
        ),
        ("contradicted only", "a judged origin contradicts", 5, "no judged origin supports it"),
        (
            "contradicted only",
            "only F or ungraded contradict",
            6,
            "contradicted only by origins whose reliability cannot be judged",
        ),
        ("only qualified", "any", 6, "only ever repeated with a material change"),
        ("no source in this case", "any", 6, "no source in this case speaks to it"),
        (
            "excludes a better-supported claim",
            "any",
            5,
            "contradicted by better-supported information (claims.csv excludes)",
        ),
        (
            "excludes an equally supported claim",
            "any",
            3,
            "at most possibly true: as well supported as a claim it cannot coexist with",
        ),
    ],
    columns=["status", "best_grade_support", "credibility", "reason"],
)

#: Source kinds that are inputs behind a report (a source behind the channel), not outlets.
INPUT_KINDS: tuple[str, ...] = ("document", "official")
#: The kind of a source the analysis makes from an event's source_url.
EVENT_SOURCE_KIND = "event_source"
#: Values of assertions.csv ``change`` (what a qualifying or contradicting repetition changed).
CHANGES: tuple[str, ...] = tuple(schemas.CHANGES)
#: Drift kinds, in code order.
DRIFT_KINDS: tuple[str, ...] = ("adds", "qualifies", "hardens", "contradicts", "omits")
_JUDGED = 4  # grade ranks 0..4 (A..E) weigh; 5 (F) and 6 (none) do not

_SEP = ";"


# --------------------------------------------------------------------------- inputs


def frames(
    sources: pd.DataFrame,
    claims: pd.DataFrame,
    assertions: pd.DataFrame,
    hypotheses: pd.DataFrame | None = None,
    ach: pd.DataFrame | None = None,
    events: pd.DataFrame | None = None,
    meta: dict | None = None,
) -> Tables:
    """Bundle bare frames into an object usable wherever a ``Case`` is expected
    (:class:`osint_kit.schema.tables.Tables`).

    For tests, synthetic data and tables that do not come from a case bundle.
    ``events`` (event_id, source_url) backs claims that name them in
    ``event_ids``; ``meta`` is case.toml (``[corroboration]``).
    """
    return Tables(
        sources=sources,
        claims=claims,
        assertions=assertions,
        hypotheses=hypotheses,
        ach=ach,
        events=events,
        meta=dict(meta or {}),
    )


def normalise_stance(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Normalise stance words; each distinct value is handled once.

    Case and spacing variants (``" Supports "``, ``"SUPPORTS"``) become the
    canonical word.  Returns ``(code, word)``: ``code`` int8 (0 supports,
    1 contradicts, 2 qualifies, 3 omits, -1 unknown or empty) and ``word`` the
    normalised text (<NA> when empty), both with the input's index.
    """
    codes, uniques = pd.factorize(values.astype("string"), use_na_sentinel=True)
    words = (
        pd.Index(uniques)
        .astype("string")
        .str.strip()
        .str.lower()
        .str.replace(r"\s+", " ", regex=True)
    )
    lookup = {w: i for i, w in enumerate(STANCES)}
    ucode = np.array(
        [lookup.get(w, BLANK) if isinstance(w, str) else BLANK for w in words], dtype=np.int8
    )
    code = np.where(codes >= 0, ucode[np.maximum(codes, 0)] if len(ucode) else BLANK, BLANK).astype(
        np.int8
    )
    word_arr = np.asarray(words.astype(object), dtype=object)
    word = pd.Series(
        np.where(codes >= 0, word_arr[np.maximum(codes, 0)] if len(word_arr) else None, None),
        index=values.index,
        dtype="string",
    )
    word = word.where(word != "", pd.NA)
    return pd.Series(code, index=values.index, dtype="int8"), word


def join_groups(
    group: np.ndarray,
    labels: np.ndarray,
    n_groups: int,
    order_key: np.ndarray | None = None,
    sep: str = _SEP,
) -> pd.Series:
    """``sep``-join ``labels`` per integer ``group`` (sorted by group, then
    ``order_key`` if given, else label).

    ``group`` holds codes 0..n_groups-1, aligned with ``labels``.  Vectorised:
    one ``np.add.reduceat`` over an object array instead of a Python function
    per group.  Returns a string Series of length ``n_groups`` (<NA> where a
    group has no label).  Used here (origin ids per claim) and by
    :mod:`osint_kit.analysis.ach` (drivers, ratings per item).

    >>> join_groups(np.array([1, 0, 1]), np.array(["b", "x", "a"]), 3).tolist()
    ['x', 'a;b', <NA>]
    """
    out = np.full(n_groups, None, dtype=object)
    if len(group):
        labels = np.asarray(labels, dtype=object)
        key = labels.astype(str) if order_key is None else np.asarray(order_key)
        order = np.lexsort((key, group))
        g, lab = group[order], labels[order]
        starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
        pieces = lab.copy()
        not_first = np.ones(len(g), dtype=bool)
        not_first[starts] = False
        pieces[not_first] = sep + pieces[not_first]
        out[g[starts]] = np.add.reduceat(pieces, starts)
    return pd.Series(out, dtype="string")


# --------------------------------------------------------------------------- the analysis


@dataclass
class Corroboration:
    """Everything :func:`corroborate` computes for one case, computed once.

    Attributes
    ----------
    matrix : DataFrame
        Claims × sources stance matrix.  Rows: every claim in claims.csv
        (file order), index ``claim_id``; columns: every source, index
        ``source_id``, in ``source_order`` (relay groups together, each relay
        after the source it copies); cells ``supports`` / ``contradicts`` /
        ``qualifies`` / ``omits`` or None (blank: the source does not speak
        to the claim).  Built from ``codes`` the first time it is read (at
        10,000 sources it is the one large object here).
    codes : ndarray, int8, shape (n_claims, n_sources)
        The same cells as stance codes (0 supports, 1 contradicts,
        2 qualifies, 3 omits, -1 blank); ``code_matrix`` labels them.
    claim_ids, source_ids : Index
        Row and column labels of ``codes`` and ``matrix``.
    claim_summary : DataFrame
        One row per claim in file order:

        claim_id, text (if given);
        n_supports, n_contradicts, n_qualifies, n_omits, n_sources (int):
        sources per stance, n_sources = sources asserting anything;
        n_origins_support, n_origins_contradict (int): distinct origins
        among supporters / contradictors;
        n_independent_contradict (int): contradicting origins that no
        supporter shares;
        n_origins_support, n_origins_contradict count independent origin
        *groups* (entry points sharing no root; see the module docstring);
        n_independent_contradict (int): contradicting groups that share no
        root with any supporter; n_judged_support, n_judged_contradict
        (int): the groups among those graded A–E (F and ungraded weigh
        nothing, on either side);
        origins_support (str): the claim's origins, ``;``-joined: its entry
        points, the supporters none of whose ancestors supports it;
        entry_ids (str): the same ids (the name of earlier versions);
        n_entry_points (int): how many (not independent: see the module
        docstring);
        best_grade_support (str): best Admiralty reliability among the
        claim's origins (A best; F only when every origin is F; <NA> when
        none is graded); best_grade_contradict (str): the same among the
        independent contradicting origins;
        status (str): one of :data:`STATUSES`;
        conflicts_with (str): claims it excludes (claims.csv ``excludes``,
        either direction), ``;``-joined; excluded_by (str): those among
        them that are better supported;
        credibility_suggested (int): Admiralty information credibility 1–6
        from :data:`CREDIBILITY_RULES`;
        credibility (int): the analyst's grade from claims.csv when given,
        else the suggested one; credibility_label (str): its wording;
        credibility_source (str): ``analyst`` or ``suggested``;
        admiralty (str): best_grade_support + credibility, e.g. ``B2``
        (``-6`` when unsupported).
    drift : DataFrame
        One row per (derived source, claim) that differs from what the
        source's ancestors say: drift ``adds`` (supports or qualifies a claim
        no ancestor supports or qualifies), ``qualifies`` (repeats with a
        material change a claim an ancestor supports), ``hardens`` (the
        same, or a contradiction, whose assertion says ``change = hardens``:
        a hedge or caveat turned into an assertion), ``contradicts`` (a
        claim an ancestor supports or qualifies), ``omits`` (leaves out a
        claim an ancestor supports).  A source whose ancestors are all
        inputs (:data:`INPUT_KINDS`) has none.  Columns: source_id,
        claim_id, drift, stance, change (<NA> when not given),
        inherited (bool: an ancestor already has the same stance),
        ancestors_supporting (``;``-joined), origin_ids, depth, claim_text
        and summary when the inputs have them.  Sorted in matrix column
        order, then drift kind, then claim.
    source_order : DataFrame
        One row per source in matrix column order: position, source_id,
        group (the primary origin: relay groups sit together), origin_ids
        (all origins, ``;``-joined), parent_id (the primary parent, <NA> for
        an origin), depth (links to the group's origin along primary parents),
        reliability.
    origins : DataFrame
        source_id, origin_id, depth (links from the source to that origin).
    ancestors : DataFrame
        source_id, ancestor_id, depth (every source reached through
        derived_from, depth = fewest links).
    problems : DataFrame
        Rows the analysis could not use, in the kit's problems table
        (:data:`osint_kit.problems.PROBLEM_COLUMNS`).
    n_assertions : int
        Assertion rows read (= cells filled from them + assertion rows rejected).
    event_sources : DataFrame
        The sources that events add (claims.csv ``event_ids``): source_id,
        url, event_ids, claim_ids (``;``-joined), reliability, listed (bool:
        the URL is a source of sources.csv, so no new source was made).
    n_event_cells : int
        Matrix cells filled from event links (not from assertions.csv).
    """

    claim_summary: pd.DataFrame
    drift: pd.DataFrame
    source_order: pd.DataFrame
    origins: pd.DataFrame
    ancestors: pd.DataFrame
    codes: np.ndarray
    claim_ids: pd.Index
    source_ids: pd.Index
    problems: pd.DataFrame
    n_assertions: int
    event_sources: pd.DataFrame
    n_event_cells: int = 0

    @cached_property
    def matrix(self) -> pd.DataFrame:
        """Claims × sources, stance words (None = blank); see the class docstring."""
        return stance_words(self.code_matrix)

    @property
    def code_matrix(self) -> pd.DataFrame:
        """Claims × sources, int8 stance codes (-1 = blank): ``codes`` labelled, not copied."""
        return pd.DataFrame(self.codes, index=self.claim_ids, columns=self.source_ids, copy=False)

    @property
    def n_cells(self) -> int:
        """Filled matrix cells (assertions placed)."""
        return int((self.codes >= 0).sum())

    @property
    def n_placed(self) -> int:
        """Matrix cells filled from assertions.csv rows (``n_cells`` less the event links)."""
        return self.n_cells - self.n_event_cells

    @property
    def rows_rejected(self) -> int:
        """Assertion rows in ``problems`` with action ``rejected`` (not in the matrix)."""
        return rejected_rows(self.problems[self.problems["file"] == "assertions.csv"])

    def hedge(self, claim_id: str, also: tuple[str, ...] | list[str] = ()) -> pd.DataFrame:
        """Which sources kept a hedged claim and which changed it: one row per source
        with a stance on ``claim_id`` or on a claim of ``also`` (e.g. a headline that
        claims more), in matrix column order.

        Columns: source_id, stance (on ``claim_id``; <NA> when none), outcome
        (``kept``: supports it; else the drift kind on it, ``hardens`` = dropped the
        hedge; ``origin`` for a claim's origin, which has nothing to keep; <NA> when
        the source does not speak to it), change, inherited (the drift row's, <NA>
        when none), then one column per ``also`` claim with the source's stance on it.

        >>> result.hedge("C01", also=["C37", "C38"])  # doctest: +SKIP
        """
        wanted = [claim_id, *also]
        missing = [c for c in wanted if c not in self.claim_ids]
        if missing:
            raise KeyError(f"hedge: claims not in the case: {missing}")
        m = self.matrix.loc[wanted]
        speaks = m.notna().any(axis=0).to_numpy()
        ids = self.source_ids[speaks]
        stance = m.loc[claim_id].to_numpy(dtype=object)[speaks]
        d = self.drift[self.drift["claim_id"] == claim_id].set_index("source_id")
        origins = set(
            str(self.claim_summary.set_index("claim_id").loc[claim_id, "origins_support"]).split(
                _SEP
            )
        )
        kind = d["drift"].reindex(ids).astype(object).to_numpy()
        outcome = np.where(
            pd.Series(ids).isin(origins).to_numpy() & (stance == "supports"),
            "origin",
            np.where(stance == "supports", "kept", kind),
        )
        out = pd.DataFrame(
            {
                "source_id": pd.array(ids, dtype="string"),
                "stance": pd.array(stance, dtype="string"),
                "outcome": pd.array(
                    [v if isinstance(v, str) else None for v in outcome], dtype="string"
                ),
                "change": d["change"].reindex(ids).astype("string").array,
                "inherited": d["inherited"].reindex(ids).astype("boolean").array,
            }
        )
        for c in also:
            out[c] = pd.array(m.loc[c].to_numpy(dtype=object)[speaks], dtype="string")
        return out

    def counts(self) -> dict:
        """Counts for an integrity check: assertions, placed (cells from assertions.csv),
        rejected, from_events (cells from event links), claims, sources, origins
        (distinct source-level roots), drift_rows, problems (rows of the problems table)."""
        return {
            "assertions": self.n_assertions,
            "placed": self.n_placed,
            "from_events": self.n_event_cells,
            "rejected": self.rows_rejected,
            "claims": len(self.claim_ids),
            "sources": len(self.source_ids),
            "origins": int(self.origins["origin_id"].nunique()),
            "drift_rows": len(self.drift),
            "problems": len(self.problems),
        }

    def check(self) -> Corroboration:
        """Raise :class:`~osint_kit.errors.CaseError` if an invariant is broken; return self.

        * every assertion row is in the matrix or rejected in ``problems``
          (the cells event links add are counted apart);
        * ``claim_summary`` has one row per claim, in matrix row order;
        * per claim, the counts per stance add up to ``n_sources`` and equal
          the matrix row's cells;
        * ``source_order`` lists every source once, in matrix column order;
        * every status is one of :data:`STATUSES`, every grade 1–6.
        """
        broken = []
        n_c, n_s = self.codes.shape
        cells = self.codes.ravel()
        filled = np.flatnonzero(cells >= 0)  # one pass over the matrix, then the filled cells only
        rejected = self.rows_rejected
        if self.n_assertions != len(filled) - self.n_event_cells + rejected:
            broken.append(
                f"{self.n_assertions} assertion rows in, {len(filled) - self.n_event_cells} "
                f"in the matrix + {rejected} rejected"
            )
        s = self.claim_summary
        if s["claim_id"].tolist() != self.claim_ids.tolist():
            broken.append("claim_summary does not have one row per claim in matrix order")
        else:
            per_stance = s[["n_supports", "n_contradicts", "n_qualifies", "n_omits"]].to_numpy()
            in_matrix = np.bincount((filled // max(n_s, 1)) * 4 + cells[filled], minlength=n_c * 4)
            if not np.array_equal(per_stance.sum(axis=1), s["n_sources"].to_numpy()):
                broken.append("n_supports + n_contradicts + n_qualifies + n_omits != n_sources")
            if not np.array_equal(per_stance, in_matrix.reshape(n_c, 4)):
                broken.append("the counts per stance differ from the matrix cells")
        if (
            self.source_order["source_id"].tolist() != self.source_ids.tolist()
            or self.source_ids.has_duplicates
        ):
            broken.append("source_order is not the matrix columns, each source once")
        if not (s["status"].isin(STATUSES).all() and s["credibility"].between(1, 6).all()):
            broken.append("a status outside STATUSES or a credibility outside 1-6")
        if broken:
            raise CaseError(
                "corroboration invariant broken: "
                + "; ".join(broken)
                + ". This is a bug in osint_kit.analysis.corroboration: please report it "
                "with the case"
            )
        return self


def stance_words(codes: pd.DataFrame) -> pd.DataFrame:
    """Stance codes (int8, -1 blank) as stance words (None blank), same labels.

    >>> stance_words(pd.DataFrame([[0, -1, 3]])).iloc[0].tolist()
    ['supports', None, 'omits']
    """
    words = np.array([*STANCES, None], dtype=object)  # code -1 picks the last: None
    cells = codes.to_numpy(dtype=np.int8)  # int8 also when there is no cell at all
    return pd.DataFrame(words[cells], index=codes.index, columns=codes.columns, dtype=object)


def _unique_ids(frame: pd.DataFrame, what: str, found: Problems) -> tuple[pd.DataFrame, pd.Index]:
    """Keep the first row of each id (``what`` = source|claim); report the repeats."""
    col = f"{what}_id"
    ids = pd.Index(frame[col].astype("string"), name=col)
    if ids.has_duplicates:
        dup = ids.duplicated().to_numpy()
        found.add_where(
            f"{what}s.csv",
            frame,
            dup,
            col,
            f"repeats an earlier {col} (the first row is used)",
            f"give every {what} its own id",
        )
        frame, ids = frame[~dup], ids[~dup]
    return frame, ids


def corroborate(case: CaseTables, *, override_column: str = "credibility") -> Corroboration:
    """Run the whole corroboration analysis once.

    Parameters
    ----------
    case : Case or object with ``sources``, ``claims``, ``assertions`` frames
        sources: source_id, derived_from (``;``-separated ids), reliability
        (A–F) [, kind (``document``/``official`` = an input), url];
        claims: claim_id [, text, credibility (1–6 analyst override),
        excludes, event_ids (``;``-separated ids)]; assertions: source_id,
        claim_id, stance [, summary, change].  Optional: ``events``
        (event_id, source_url) and ``meta`` (case.toml, its
        ``[corroboration] event_source_reliability``).
    override_column : str
        claims.csv column holding the analyst's credibility grade.

    Returns
    -------
    Corroboration
        Its frames (``matrix``, ``claim_summary``, ``drift``, ``source_order``,
        ``problems`` ...), already checked (:meth:`Corroboration.check`).

    Raises
    ------
    osint_kit.errors.CycleError
        derived_from links form a cycle (a source deriving from itself
        included); the message names every source in it.
    """
    sources, claims, assertions = case.sources, case.claims, case.assertions
    found = Problems()

    # ---- ids -> codes
    relays.check_acyclic(sources)  # raises CycleError naming the cycle
    sources, src_ids = _unique_ids(sources, "source", found)
    claims, claim_ids = _unique_ids(claims, "claim", found)
    n_listed = len(src_ids)
    n_c = len(claim_ids)

    # ---- grades (rank 0 = A ... 5 = F, 6 = none)
    grade_rank = _grade_ranks(sources, found)

    # ---- events that back claims: their sources join the analysis
    ev_sources, ev_assertions = _event_links(case, sources, claims, assertions, found)
    n_a = len(assertions)
    if len(ev_sources):
        new = ~ev_sources["listed"].to_numpy()
        src_ids = src_ids.append(pd.Index(ev_sources["source_id"][new], name="source_id"))
        rank_of = {g: i for i, g in enumerate(_GRADES)}
        grade_rank = np.concatenate(
            [grade_rank, ev_sources["reliability"][new].map(rank_of).to_numpy(dtype=np.int64)]
        )
    n_ev = len(ev_assertions)
    if n_ev:
        ev_assertions.index = pd.Index(
            np.full(n_ev, -1, dtype=np.int64), name=assertions.index.name
        )
        assertions = pd.concat([assertions, ev_assertions.astype("string")])
    n_s = len(src_ids)
    grade_letter = np.array([*_GRADES, None], dtype=object)[grade_rank]
    kind = (
        sources["kind"].astype("string").str.strip().str.lower().to_numpy(dtype=object)
        if "kind" in sources
        else np.full(n_listed, None, dtype=object)
    )
    is_input = np.zeros(n_s, dtype=bool)
    is_input[:n_listed] = pd.Series(kind, dtype=object).isin(INPUT_KINDS).to_numpy()

    # ---- relay graph as codes
    links = relays.parents(sources)
    l_child = src_ids.get_indexer(links["source_id"])
    l_parent = src_ids.get_indexer(links["parent_id"])
    ok = (l_child >= 0) & (l_parent >= 0)
    l_child, l_parent = l_child[ok].astype(np.int64), l_parent[ok].astype(np.int64)
    a_node, a_anc, a_depth = ancestor_codes(l_child, l_parent, n_s)
    o_src, o_org, o_depth = origin_codes(l_child, n_s, a_node, a_anc, a_depth)
    orig = pd.DataFrame(
        {
            "source_id": src_ids.take(o_src).astype("string"),
            "origin_id": src_ids.take(o_org).astype("string"),
            "depth": o_depth,
        }
    ).sort_values(["source_id", "origin_id"], ignore_index=True)
    o_indptr, o_indices = csr(o_src, o_org, n_s)
    anc_indptr, anc_indices = csr(a_node, a_anc, n_s)

    order = _source_order(
        src_ids=src_ids,
        l_child=l_child,
        l_parent=l_parent,
        o_src=o_src,
        o_org=o_org,
        grade_letter=grade_letter,
    )

    # ---- assertions -> codes, problems
    a_s = src_ids.get_indexer(assertions["source_id"].astype("string"))
    a_c = claim_ids.get_indexer(assertions["claim_id"].astype("string"))
    st, st_word = normalise_stance(assertions["stance"])
    st = st.to_numpy()
    bad_src = a_s < 0
    bad_claim = (~bad_src) & (a_c < 0)
    bad_st = (~bad_src) & (~bad_claim) & (st < 0)
    valid = ~(bad_src | bad_claim | bad_st)
    key = np.where(valid, a_c.astype(np.int64) * n_s + a_s, -1)
    _, first = np.unique(key, return_index=True)
    is_first = np.zeros(len(assertions), dtype=bool)
    is_first[first] = True
    dup = valid & ~is_first
    empty_st = st_word.isna().to_numpy()
    found.add_where(
        "assertions.csv",
        assertions,
        bad_src,
        "source_id",
        "names a source that is not in sources.csv",
        "add the source to sources.csv or correct the id",
    )
    found.add_where(
        "assertions.csv",
        assertions,
        bad_claim,
        "claim_id",
        "names a claim that is not in claims.csv",
        "add the claim to claims.csv or correct the id",
    )
    found.add_where(
        "assertions.csv",
        assertions,
        bad_st,
        "stance",
        np.where(empty_st, "is empty", "is not a stance word"),
        "use one of: " + ", ".join(STANCES),
    )
    found.add_where(
        "assertions.csv",
        assertions,
        dup,
        "claim_id",
        "repeats an earlier (source_id, claim_id) pair (the first row is used)",
        "keep one stance per source and claim",
    )
    change = _changes(assertions, found)
    placed = valid & is_first
    c, s, stv = (
        a_c[placed].astype(np.int64),
        a_s[placed].astype(np.int64),
        st[placed].astype(np.int64),
    )

    # ---- matrix codes in display order
    col_pos = np.empty(n_s, dtype=np.int64)
    col_pos[order["_code"].to_numpy()] = np.arange(n_s)
    codes = np.full((n_c, n_s), BLANK, dtype=np.int8)
    codes[c, col_pos[s]] = stv
    ordered_ids = pd.Index(order["source_id"], name="source_id")

    # ---- per claim
    counts = np.bincount(c * 4 + stv, minlength=n_c * 4).reshape(n_c, 4)

    def root_pairs(mask):
        pos, org = expand(s[mask], o_indptr, o_indices)
        return np.unique(c[mask][pos] * n_s + org)

    sup_keys = root_pairs(stv == SUPPORTS)  # (claim, root) of every supporter

    # ancestor stance flags for every placed assertion (used by entry points and drift)
    pos, anc = expand(s, anc_indptr, anc_indices)
    akey = c[pos] * n_s + anc
    cell_key = c * n_s + s
    sort_idx = np.argsort(cell_key)
    sorted_keys = cell_key[sort_idx]
    hit = np.searchsorted(sorted_keys, akey)
    hit = np.minimum(hit, max(len(sorted_keys) - 1, 0))
    is_hit = (len(sorted_keys) > 0) & (sorted_keys[hit] == akey) if len(akey) else np.zeros(0, bool)
    anc_stance = np.where(is_hit, stv[sort_idx[hit]] if len(sorted_keys) else -1, BLANK)
    anc_flags = np.zeros((len(c), 4), dtype=bool)
    for k in range(4):
        m = anc_stance == k
        anc_flags[pos[m], k] = True
    same_in_anc = np.zeros(len(c), dtype=bool)
    m = anc_stance == stv[pos]
    same_in_anc[pos[m]] = True
    # drift is relay drift: a source needs an ancestor that is not an input behind it
    relay_anc = ~is_input[anc_indices]
    has_relay_anc = np.add.reduceat(np.r_[relay_anc, False], anc_indptr[:-1]) > 0
    has_relay_anc &= (anc_indptr[1:] - anc_indptr[:-1]) > 0
    has_anc = has_relay_anc[s]

    # per-claim origins: entry points, grouped when they share a root
    entry = (stv == SUPPORTS) & ~anc_flags[:, SUPPORTS]
    c_entry = (stv == CONTRADICTS) & ~anc_flags[:, CONTRADICTS]
    sup = _origin_groups(c[entry], s[entry], grade_rank, o_indptr, o_indices, n_s, n_c)
    con_all = _origin_groups(c[c_entry], s[c_entry], grade_rank, o_indptr, o_indices, n_s, n_c)
    # contradicting entry points that share a root with a supporter are relay drift
    ce_c, ce_s = c[c_entry], s[c_entry]
    pos_r, org_r = expand(ce_s, o_indptr, o_indices)
    shared = np.zeros(len(ce_c), dtype=bool)
    shared[pos_r[np.isin(ce_c[pos_r] * n_s + org_r, sup_keys)]] = True
    con = _origin_groups(ce_c[~shared], ce_s[~shared], grade_rank, o_indptr, o_indices, n_s, n_c)

    summ = _summary_frame(
        claims=claims,
        claim_ids=claim_ids,
        src_ids=src_ids,
        counts=counts,
        sup=sup,
        con=con,
        n_org_con=con_all.n_groups,
        entry_c=c[entry],
        entry_s=s[entry],
        conflicts=_conflict_pairs(claims, claim_ids, found),
        override_column=override_column,
        found=found,
    )
    placed_rows = np.flatnonzero(placed)
    drift = _drift_frame(
        _Placed(c=c, s=s, stance=stv, rows=placed_rows),
        anc_flags=anc_flags,
        same_in_anc=same_in_anc,
        has_anc=has_anc,
        pos=pos,
        anc=anc,
        anc_stance=anc_stance,
        change=change[placed],
        claim_ids=claim_ids,
        src_ids=src_ids,
        claims=claims,
        assertions=assertions,
        order=order,
    )

    anc_df = pd.DataFrame(
        {
            "source_id": src_ids.take(a_node).astype("string"),
            "ancestor_id": src_ids.take(a_anc).astype("string"),
            "depth": a_depth.astype("int64"),
        }
    )
    anc_df = anc_df.sort_values(["source_id", "depth", "ancestor_id"], ignore_index=True)
    return Corroboration(
        claim_summary=summ,
        drift=drift,
        source_order=order.drop(columns="_code"),
        origins=orig,
        ancestors=anc_df,
        codes=codes,
        claim_ids=claim_ids,
        source_ids=ordered_ids,
        problems=found.table(),
        n_assertions=n_a,
        event_sources=ev_sources.reset_index(drop=True),
        n_event_cells=n_ev,
    ).check()


def _grade_ranks(sources: pd.DataFrame, found: Problems) -> np.ndarray:
    """Admiralty rank per source row (0 = A ... 5 = F, 6 = none); unusable grades
    are reported in ``found`` and count as none.  Each distinct value is read once."""
    rel = (
        sources["reliability"]
        if "reliability" in sources
        else pd.Series(pd.NA, index=sources.index)
    )
    rel_codes, rel_uniques = pd.factorize(rel.astype("string"))
    rel_norm = pd.Index(rel_uniques).astype("string").str.strip().str.upper()
    grade_of = {g: i for i, g in enumerate(_GRADES)}
    urank = np.array(
        [grade_of.get(g, -1) if isinstance(g, str) else _NO_GRADE for g in rel_norm], dtype=np.int64
    )
    urank_empty = np.array([not isinstance(g, str) or g == "" for g in rel_norm], dtype=bool)
    urank[urank_empty] = _NO_GRADE
    grade_rank = np.where(
        rel_codes >= 0, urank[np.maximum(rel_codes, 0)] if len(urank) else _NO_GRADE, _NO_GRADE
    )
    bad_grade = grade_rank < 0
    if bad_grade.any():
        found.add_where(
            "sources.csv",
            sources,
            bad_grade,
            "reliability",
            "is not an Admiralty reliability grade A-F (ignored)",
            "use A, B, C, D, E or F (F = cannot be judged)",
            severity="warning",
            action="kept",
        )
        grade_rank = np.where(bad_grade, _NO_GRADE, grade_rank)
    return grade_rank.astype(np.int64)


def _split_ids(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """One row per id of a ``;``-separated column: pos (row position in ``frame``), id.
    Blanks around ids are stripped, empty pieces ignored, repeats within a cell removed."""
    cells = frame[column].astype("string").reset_index(drop=True).str.split(_SEP).explode()
    cells = cells.str.strip()
    cells = cells[cells.notna() & (cells != "")]
    out = pd.DataFrame({"pos": cells.index.to_numpy(dtype=np.int64), "id": cells.to_numpy()})
    return out.drop_duplicates(ignore_index=True).astype({"id": "string"})


def _warn_links(
    found: Problems, frame: pd.DataFrame, column: str, links: pd.DataFrame, bad, problem, fix
) -> None:
    """One warning per row of ``frame`` whose ``column`` names ids failing a check
    (``bad``, aligned with ``links``); ``problem`` gets the ids, ``;``-joined."""
    bad = np.asarray(bad, dtype=bool)
    if not bad.any():
        return
    named = join_groups(
        links["pos"].to_numpy()[bad], links["id"].to_numpy(dtype=object)[bad], len(frame)
    )
    mask = named.notna().to_numpy()
    found.add_where(
        f"{_FILE_OF[column]}",
        frame,
        mask,
        column,
        [
            f"{problem} ({v})" if isinstance(v, str) else problem
            for v in named.to_numpy(dtype=object)
        ],
        fix,
        severity="warning",
        action="kept",
    )


_FILE_OF = {"event_ids": "claims.csv", "excludes": "claims.csv", "change": "assertions.csv"}


def _norm_url(values: pd.Series) -> pd.Series:
    """URLs compared as written, without blanks around them or a trailing '/'."""
    return values.astype("string").str.strip().str.rstrip("/")


def _event_links(
    case: CaseTables,
    sources: pd.DataFrame,
    claims: pd.DataFrame,
    assertions: pd.DataFrame,
    found: Problems,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The sources events add, and their supporting assertions (see the module docstring).

    Returns ``(event_sources, assertions)``: event_sources one row per distinct
    source URL (source_id, url, event_ids, claim_ids, reliability, listed);
    assertions source_id, claim_id, stance (``supports``), summary, one per
    (source, claim) pair that assertions.csv does not already hold."""
    ev_cols = ["source_id", "url", "event_ids", "claim_ids", "reliability", "listed"]
    empty = (
        pd.DataFrame({c: pd.Series(dtype="bool" if c == "listed" else "string") for c in ev_cols}),
        pd.DataFrame(
            {c: pd.Series(dtype="string") for c in ("source_id", "claim_id", "stance", "summary")}
        ),
    )
    if "event_ids" not in claims:
        return empty
    links = _split_ids(claims, "event_ids")
    if not len(links):
        return empty
    events = getattr(case, "events", None)
    if events is None or "event_id" not in events:
        events = pd.DataFrame({"event_id": pd.Series(dtype="string")})
    ev = events.drop_duplicates("event_id").set_index(
        events["event_id"].drop_duplicates().astype("string")
    )
    known = links["id"].isin(ev.index).to_numpy()
    url_col = ev["source_url"] if "source_url" in ev else pd.Series(pd.NA, index=ev.index)
    url = _norm_url(url_col).reindex(links["id"]).to_numpy(dtype=object)
    has_url = (
        known & pd.notna(url) & (pd.Series(url, dtype="string") != "").fillna(False).to_numpy()
    )
    _warn_links(
        found,
        claims,
        "event_ids",
        links,
        ~known,
        "names an event that is not in events.csv (the link is ignored)",
        "add the event to events.csv or correct the id",
    )
    _warn_links(
        found,
        claims,
        "event_ids",
        links,
        known & ~has_url,
        "names an event without a source_url (the link adds no source)",
        "give the event its source_url in events.csv",
    )
    links = links[has_url].assign(url=url[has_url]).reset_index(drop=True)
    if not len(links):
        return empty

    # grade of the sources the kit makes
    setting = (getattr(case, "meta", None) or {}).get("corroboration", {})
    raw = setting.get("event_source_reliability") if isinstance(setting, dict) else None
    grade = str(raw).strip().upper() if raw is not None else "F"
    if grade not in _GRADES:
        found.add(
            "case.toml",
            None,
            "corroboration.event_source_reliability",
            str(raw),
            "is not an Admiralty reliability grade A-F (F is used for the events' sources)",
            'write event_source_reliability = "C" (A-F) under [corroboration], or leave it out',
            severity="warning",
            action="kept",
        )
        grade = "F"

    listed_url = (
        _norm_url(sources["url"])
        if "url" in sources
        else pd.Series(pd.NA, index=sources.index, dtype="string")
    )
    by_url = pd.Series(
        sources["source_id"].astype("string").to_numpy(), index=listed_url.to_numpy()
    )
    by_url = by_url[by_url.index.notna()]
    by_url = by_url[~by_url.index.duplicated()]
    urls = pd.Index(pd.unique(links["url"]))
    first_event = links.drop_duplicates("url").set_index("url")["id"].reindex(urls)
    listed = urls.isin(by_url.index)
    taken = set(sources["source_id"].astype("string"))
    made = []
    for e in first_event[~listed]:  # one per distinct URL not in sources.csv
        sid, k = f"event:{e}", 2
        while sid in taken:
            sid, k = f"event:{e}#{k}", k + 1
        taken.add(sid)
        made.append(sid)
    sid_of = pd.Series(np.empty(len(urls), dtype=object), index=urls)
    sid_of[listed] = by_url.reindex(urls[listed]).to_numpy(dtype=object)
    sid_of[~listed] = made
    links["source_id"] = sid_of.reindex(links["url"]).to_numpy(dtype=object)
    links["claim_id"] = claims["claim_id"].astype("string").to_numpy(dtype=object)[links["pos"]]
    rel = pd.Series(
        sources["reliability"].astype("string").str.strip().str.upper().to_numpy()
        if "reliability" in sources
        else pd.NA,
        index=sources["source_id"].astype("string").to_numpy(),
        dtype="string",
    )
    rel = rel[~rel.index.duplicated()]
    u_code = urls.get_indexer(links["url"])
    ev_src = pd.DataFrame(
        {
            "source_id": pd.array(sid_of.to_numpy(dtype=object), dtype="string"),
            "url": pd.array(urls.to_numpy(dtype=object), dtype="string"),
            "event_ids": join_groups(u_code, links["id"].to_numpy(dtype=object), len(urls)).array,
            "claim_ids": join_groups(
                u_code, links["claim_id"].to_numpy(dtype=object), len(urls)
            ).array,
            "reliability": pd.array(
                np.where(
                    listed, rel.reindex(sid_of.to_numpy(dtype=object)).to_numpy(dtype=object), grade
                ),
                dtype="string",
            ),
            "listed": listed,
        }
    )
    # supporting assertions, except where assertions.csv already has the pair
    pairs = links.drop_duplicates(["source_id", "claim_id"])
    have = pd.MultiIndex.from_arrays(
        [assertions["source_id"].astype("string"), assertions["claim_id"].astype("string")]
    )
    new = ~pd.MultiIndex.from_arrays([pairs["source_id"], pairs["claim_id"]]).isin(have)
    pairs = pairs[new]
    ev_title = (
        ev["title"].astype("string")
        if "title" in ev
        else pd.Series(pd.NA, index=ev.index, dtype="string")
    )
    title = ev_title.reindex(pairs["id"]).fillna("").to_numpy(dtype=object)
    add = pd.DataFrame(
        {
            "source_id": pairs["source_id"].to_numpy(dtype=object),
            "claim_id": pairs["claim_id"].to_numpy(dtype=object),
            "stance": "supports",
        }
    ).astype("string")
    add["summary"] = "event " + pairs["id"].astype("string").to_numpy() + ": " + title.astype(str)
    return ev_src, add


def _changes(assertions: pd.DataFrame, found: Problems) -> np.ndarray:
    """assertions.csv ``change`` per row, normalised (None when empty or unknown;
    an unknown word is reported and the row kept)."""
    if "change" not in assertions:
        return np.full(len(assertions), None, dtype=object)
    word = assertions["change"].astype("string").str.strip().str.lower()
    word = word.where(word != "", pd.NA)
    bad = (word.notna() & ~word.isin(CHANGES)).to_numpy()
    found.add_where(
        "assertions.csv",
        assertions,
        bad,
        "change",
        "is not a kind of change (the row is kept without it)",
        "use one of: " + ", ".join(CHANGES) + ", or leave it empty",
        severity="warning",
        action="kept",
    )
    return word.where(~pd.Series(bad, index=word.index), pd.NA).to_numpy(dtype=object)


def _conflict_pairs(claims: pd.DataFrame, claim_ids: pd.Index, found: Problems) -> np.ndarray:
    """claims.csv ``excludes`` as (claim, other) code pairs, both directions, unique
    (shape (n, 2)); unknown ids and a claim excluding itself are reported and ignored."""
    if "excludes" not in claims:
        return np.empty((0, 2), dtype=np.int64)
    links = _split_ids(claims, "excludes")
    other = claim_ids.get_indexer(links["id"])
    me = links["pos"].to_numpy()
    _warn_links(
        found,
        claims,
        "excludes",
        links,
        other < 0,
        "names a claim that is not in claims.csv (ignored)",
        "correct the claim_id or add the claim to claims.csv",
    )
    _warn_links(
        found,
        claims,
        "excludes",
        links,
        other == me,
        "names the claim itself (ignored)",
        "name the claims this one cannot be true together with",
    )
    ok = (other >= 0) & (other != me)
    a, b = me[ok], other[ok]
    pairs = np.unique(np.concatenate([a * len(claim_ids) + b, b * len(claim_ids) + a]))
    return np.stack([pairs // max(len(claim_ids), 1), pairs % max(len(claim_ids), 1)], axis=1)


@dataclass(frozen=True)
class _Groups:
    """Independent origin groups of one side (support or contradiction), per claim code.

    ``label`` per entry point (aligned with the ``c``/``s`` given to
    :func:`_origin_groups`): the group it belongs to; ``n_groups``,
    ``n_judged`` per claim; ``best`` the best grade rank per claim (6 = none)."""

    label: np.ndarray
    n_groups: np.ndarray
    n_judged: np.ndarray
    best: np.ndarray


def _origin_groups(
    c: np.ndarray,
    s: np.ndarray,
    grade_rank: np.ndarray,
    o_indptr: np.ndarray,
    o_indices: np.ndarray,
    n_s: int,
    n_c: int,
) -> _Groups:
    """Group a side's entry points (claim ``c``, source ``s``) per claim: two are in
    one group when they are linked by shared roots (connected components of the
    entry-root graph of each claim, found by min-label propagation, one numpy pass
    per step).  A group's grade is its best entry point's; it is *judged* when that
    is A–E."""
    n = len(c)
    label = np.arange(n, dtype=np.int64)
    if n:
        pos, root = expand(s, o_indptr, o_indices)
        _, rnode = np.unique(c[pos] * n_s + root, return_inverse=True)
        n_r = int(rnode.max()) + 1 if len(rnode) else 0
        while True:
            r_lab = np.full(n_r, n, dtype=np.int64)
            np.minimum.at(r_lab, rnode, label[pos])
            new = label.copy()
            np.minimum.at(new, pos, r_lab[rnode])
            if np.array_equal(new, label):
                break
            label = new
    g_best = np.full(n, _NO_GRADE, dtype=np.int64)
    np.minimum.at(g_best, label, grade_rank[s])
    heads = np.flatnonzero(label == np.arange(n))  # one entry point per group
    n_groups = np.bincount(c[heads], minlength=n_c)
    n_judged = np.bincount(c[heads][g_best[heads] <= _JUDGED], minlength=n_c)
    best = np.full(n_c, _NO_GRADE, dtype=np.int64)
    np.minimum.at(best, c, grade_rank[s])
    return _Groups(label=label, n_groups=n_groups, n_judged=n_judged, best=best)


@dataclass(frozen=True)
class _Placed:
    """The assertions placed in the matrix, as aligned integer codes.

    ``c`` claim code, ``s`` source code, ``stance`` stance code (0..3) and
    ``rows`` the position of each in the assertions table.
    """

    c: np.ndarray
    s: np.ndarray
    stance: np.ndarray
    rows: np.ndarray


def _source_order(
    *,
    src_ids: pd.Index,
    l_child: np.ndarray,
    l_parent: np.ndarray,
    o_src: np.ndarray,
    o_org: np.ndarray,
    grade_letter: np.ndarray,
) -> pd.DataFrame:
    """Matrix column order: relay groups together, each relay after its parent.

    ``l_child``/``l_parent`` are the relay links as source codes (in
    derived_from order per source), ``o_src``/``o_org`` the (source, origin)
    pairs, ``grade_letter`` the reliability letter per source code.  The
    returned frame's ``_code`` column is each row's source code.

    The *primary* parent of a source is its first listed parent that is a
    known source; following primary parents gives one path from an origin.
    Sources are sorted by (group, path): groups largest first (ties in file
    order), siblings in file order; so a copy sits right after its original.
    """
    n = len(src_ids)
    primary = np.full(n, -1, dtype=np.int64)
    # links come from relays.parents in derived_from order per source: first = primary
    first_seen = np.unique(l_child, return_index=True)
    primary[first_seen[0]] = l_parent[first_seen[1]]
    chain = [np.arange(n)]
    while True:
        nxt = np.where(chain[-1] >= 0, primary[np.maximum(chain[-1], 0)], -1)
        if (nxt < 0).all() or len(chain) > 64:
            break
        chain.append(nxt)
    steps = np.stack(chain, axis=1)  # col 0 self, col k k-th primary ancestor (or -1)
    depth = (steps >= 0).sum(axis=1) - 1
    root = steps[np.arange(n), depth]
    group_size = np.bincount(root, minlength=n)
    # sort keys: group (size desc, root file position), then the path from the root down
    width = steps.shape[1]
    path = np.full((n, width), -1, dtype=np.int64)
    for k in range(width):  # path[:, k] = ancestor at distance depth-k (k = 0 is the root)
        d = depth - k
        ok = d >= 0
        path[ok, k] = steps[np.flatnonzero(ok), d[ok]]
    keys = [path[:, k] for k in range(width - 1, -1, -1)] + [root, -group_size[root]]
    idx = np.lexsort(keys)
    origin_ids = join_groups(o_src, np.asarray(src_ids.astype(object))[o_org], n)
    parent_ids = pd.array(
        np.where(primary >= 0, np.asarray(src_ids.astype(object))[np.maximum(primary, 0)], None),  # type: ignore[call-overload]  # numpy stubs: no overload takes None as a value
        dtype="string",
    )
    out = pd.DataFrame(
        {
            "position": np.arange(n, dtype="int64"),
            "source_id": src_ids.take(idx).astype("string"),
            "group": src_ids.take(root[idx]).astype("string"),
            "origin_ids": origin_ids.to_numpy()[idx],
            "parent_id": parent_ids[idx],
            "depth": depth[idx].astype("int64"),
            "reliability": pd.array(grade_letter[idx], dtype="string"),
            "_code": idx,
        }
    )
    out["origin_ids"] = out["origin_ids"].astype("string")
    return out


def _summary_frame(
    *,
    claims: pd.DataFrame,
    claim_ids: pd.Index,
    src_ids: pd.Index,
    counts: np.ndarray,
    sup: _Groups,
    con: _Groups,
    n_org_con: np.ndarray,
    entry_c: np.ndarray,
    entry_s: np.ndarray,
    conflicts: np.ndarray,
    override_column: str,
    found: Problems,
) -> pd.DataFrame:
    """The claim summary (columns in :class:`Corroboration`), one row per claim code.

    ``counts`` (n_claims, 4) sources per stance; ``sup`` the support's origin
    groups, ``con`` the independent contradiction's, ``n_org_con`` the groups of
    every contradicting entry point; ``entry_c``/``entry_s`` the support's entry
    points as (claim, source) codes; ``conflicts`` (claim, other) code pairs of
    claims.csv ``excludes``.  Unusable analyst grades are added to ``found``.
    """
    n_c = len(claim_ids)
    n_sup, n_con, n_qua, n_omi = (counts[:, k] for k in range(4))
    S, K = sup.n_judged, con.n_judged
    status = np.select(
        [
            (n_sup + n_con + n_qua) == 0,
            (S >= 1) & (K >= 1),
            S >= 2,
            (n_sup > 0) & (K == 0),
            n_con > 0,
        ],
        list(STATUSES[:5]),
        default=STATUSES[5],
    )
    best = sup.best
    grade = np.array([*_GRADES, None], dtype=object)[best]
    by_grade = np.select([best <= 1, best == 2, best <= 4], [2, 3, 4], default=6)
    cred = np.select(
        [
            status == "corroborated",
            status == "single origin",
            status == "contested",
            status == "contradicted only",
        ],
        [
            1,
            by_grade,
            np.where(S > K, 3, np.where(S == K, 4, 5)),
            np.where(K >= 1, 5, 6),
        ],
        default=6,
    ).astype("int64")

    # conflicts: one pass on the grades before it (6 = the weakest support)
    id_arr = np.asarray(claim_ids.astype(object))
    a, b = conflicts[:, 0], conflicts[:, 1]
    strength = np.where(cred == 6, 7, cred)
    better = strength[b] < strength[a]
    tie = (strength[b] == strength[a]) & (strength[a] <= 5)
    excluded = np.zeros(n_c, dtype=bool)
    excluded[a[better]] = True
    tied = np.zeros(n_c, dtype=bool)
    tied[a[tie]] = True
    cred = np.where(excluded, 5, np.where(tied, np.maximum(cred, 3), cred)).astype("int64")
    conflicts_with = join_groups(a, id_arr[b], n_c)
    excluded_by = join_groups(a[better], id_arr[b[better]], n_c)

    src_arr = np.asarray(src_ids.astype(object))
    entry_ids = join_groups(entry_c, src_arr[entry_s], n_c)

    out = pd.DataFrame({"claim_id": claim_ids.astype("string")})
    if "text" in claims:
        out["text"] = claims["text"].astype("string").to_numpy()
    out["n_supports"] = n_sup.astype("int64")
    out["n_contradicts"] = n_con.astype("int64")
    out["n_qualifies"] = n_qua.astype("int64")
    out["n_omits"] = n_omi.astype("int64")
    out["n_sources"] = (n_sup + n_con + n_qua + n_omi).astype("int64")
    out["n_origins_support"] = sup.n_groups.astype("int64")
    out["n_origins_contradict"] = n_org_con.astype("int64")
    out["n_independent_contradict"] = con.n_groups.astype("int64")
    out["n_judged_support"] = S.astype("int64")
    out["n_judged_contradict"] = K.astype("int64")
    out["origins_support"] = entry_ids.to_numpy()
    out["entry_ids"] = entry_ids.to_numpy()
    out["n_entry_points"] = np.bincount(entry_c, minlength=n_c).astype("int64")
    out["best_grade_support"] = pd.array(grade, dtype="string")
    out["best_grade_contradict"] = pd.array(
        np.array([*_GRADES, None], dtype=object)[con.best], dtype="string"
    )
    out["status"] = pd.array(status, dtype="string")
    out["conflicts_with"] = conflicts_with.to_numpy()
    out["excluded_by"] = excluded_by.to_numpy()
    out["credibility_suggested"] = cred

    # analyst override
    final = cred.copy()
    source = np.full(n_c, "suggested", dtype=object)
    if override_column in claims:
        raw = claims[override_column].astype("string").str.strip()
        num = pd.to_numeric(raw, errors="coerce")
        good = num.isin([1, 2, 3, 4, 5, 6]).to_numpy()
        given = raw.notna().to_numpy() & (raw != "").fillna(False).to_numpy()
        bad = given & ~good
        if bad.any():
            found.add_where(
                "claims.csv",
                claims,
                bad,
                override_column,
                "is not an Admiralty credibility grade 1-6 (the suggested grade is used)",
                "use 1 (confirmed) ... 6 (cannot be judged), or leave it empty",
                severity="warning",
                action="kept",
            )
        use = given & good
        final = np.where(use, num.fillna(0).to_numpy().astype("int64"), cred)
        source[use] = "analyst"
    out["credibility"] = final.astype("int64")
    out["credibility_label"] = pd.array(
        np.array([CREDIBILITY[int(v)] for v in range(1, 7)], dtype=object)[final - 1],
        dtype="string",
    )
    out["credibility_source"] = pd.array(source, dtype="string")
    out["admiralty"] = out["best_grade_support"].fillna("-") + out["credibility"].astype("string")
    return out


def _drift_frame(
    placed: _Placed,
    *,
    anc_flags: np.ndarray,
    same_in_anc: np.ndarray,
    has_anc: np.ndarray,
    pos: np.ndarray,
    anc: np.ndarray,
    anc_stance: np.ndarray,
    change: np.ndarray,
    claim_ids: pd.Index,
    src_ids: pd.Index,
    claims: pd.DataFrame,
    assertions: pd.DataFrame,
    order: pd.DataFrame,
) -> pd.DataFrame:
    """The drift table (columns in :class:`Corroboration`).

    Per placed assertion: ``anc_flags`` (n, 4) whether some ancestor of the
    source has each stance on the claim, ``same_in_anc`` whether one has the
    same stance, ``has_anc`` whether the source has an ancestor that is not an
    input, ``change`` the assertion's ``change`` word (None when not given);
    ``pos``/``anc``/``anc_stance`` one row per (placed assertion, ancestor)
    with that ancestor's stance (-1 none); ``order`` from :func:`_source_order`.
    """
    c, s, stv = placed.c, placed.s, placed.stance
    anc_sup, anc_qua = anc_flags[:, SUPPORTS], anc_flags[:, QUALIFIES]
    hardens = pd.Series(change, dtype=object).eq("hardens").to_numpy()
    qualifies = has_anc & (stv == QUALIFIES) & anc_sup
    contradicts = has_anc & (stv == CONTRADICTS) & (anc_sup | anc_qua)
    kind = np.select(
        [
            has_anc & ((stv == SUPPORTS) | (stv == QUALIFIES)) & ~anc_sup & ~anc_qua,
            (qualifies | contradicts) & hardens,
            qualifies,
            contradicts,
            has_anc & (stv == OMITS) & anc_sup,
        ],
        [0, 2, 1, 3, 4],  # index into DRIFT_KINDS
        default=-1,
    )
    rows = np.flatnonzero(kind >= 0)
    # matrix column order, then drift kind, then claim (file order): integer keys only
    codes_in_order = order["_code"].to_numpy()
    col_pos = np.empty(len(codes_in_order), dtype=np.int64)
    col_pos[codes_in_order] = np.arange(len(codes_in_order))
    rows = rows[np.lexsort((c[rows], kind[rows], col_pos[s[rows]]))]
    # ancestors that support the claim, ';'-joined (only for drift rows)
    is_drift = np.zeros(len(c), dtype=bool)
    is_drift[rows] = True
    m = is_drift[pos] & (anc_stance == SUPPORTS)
    anc_support = join_groups(pos[m], np.asarray(src_ids.astype(object))[anc[m]], len(c))

    by_code = np.empty(len(codes_in_order), dtype=np.int64)
    by_code[codes_in_order] = np.arange(len(codes_in_order))
    o_rows = by_code[s[rows]]
    out = pd.DataFrame(
        {
            "source_id": src_ids.take(s[rows]).astype("string"),
            "claim_id": claim_ids.take(c[rows]).astype("string"),
            "drift": pd.array(np.array(DRIFT_KINDS, dtype=object)[kind[rows]], dtype="string"),
            "stance": pd.array(np.array(STANCES, dtype=object)[stv[rows]], dtype="string"),
            "change": pd.array(change[rows], dtype="string"),
            "inherited": same_in_anc[rows],
            "ancestors_supporting": anc_support.array[rows],
            "origin_ids": order["origin_ids"].array[o_rows],
            "depth": order["depth"].to_numpy()[o_rows].astype("int64"),
        }
    )
    if "text" in claims:
        out["claim_text"] = claims["text"].astype("string").array[c[rows]]
    if "summary" in assertions:
        out["summary"] = assertions["summary"].astype("string").array[placed.rows[rows]]
    return out


# --------------------------------------------------------------------------- public wrappers


def origins(sources: pd.DataFrame) -> pd.DataFrame:
    """Root sources of each source through derived_from (source_id, origin_id, depth).

    Thin wrapper of :func:`osint_kit.analysis.relays.origins`; raises ``CycleError``
    naming every cycle.
    """
    return relays.origins(sources)


def ancestors(sources: pd.DataFrame) -> pd.DataFrame:
    """Every (source_id, ancestor_id, depth) reached through derived_from.

    Thin wrapper of :func:`osint_kit.analysis.relays.ancestors`; raises ``CycleError``
    naming every cycle.
    """
    return relays.ancestors(sources)
