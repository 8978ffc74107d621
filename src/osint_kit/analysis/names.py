"""Person names across scripts: one person key for Гусев / Gusev / Goussev.

Leaked bookings, manifests and press reports spell the same person in
Cyrillic and in several Latin transliterations (BGN/PCGN "Gusev", French
"Goussev", German "Gussew").  :func:`person_keys` groups such spellings into
one ``person_key`` without a hand-written transliteration table, using
maintained libraries through :mod:`osint_kit.text`:

* :func:`osint_kit.text.ascii_text` (anyascii) transliterates any script to
  ASCII (Гусев -> Gusev, Щербаков -> Shcherbakov, Юрий -> Yuriy);
* :func:`osint_kit.text.metaphone` (jellyfish) gives a phonetic code (gusev,
  goussev -> ``KSF``);
* :func:`osint_kit.text.jaro_winkler` (jellyfish) scores spelling similarity.

(The FollowTheMoney ecosystem's ``rigour`` does the same, but needs PyICU, which
must be compiled against ICU: see :mod:`osint_kit.text`.)

Rule, per distinct (surname, given name) pair, documented and tested:

1. Both parts are transliterated with ``ascii_text`` and lower-cased.
2. Distinct surnames are linked when their metaphone codes are equal *or*
   their Jaro-Winkler similarity is >= 0.90 (:data:`SURNAME_JW`), *and*
   they agree on the Russian feminine ending (Gusev vs Guseva are different
   people -- often relatives).  Distinct given names (2+ letters) are linked
   at equal metaphone or Jaro-Winkler >= 0.80 (:data:`GIVEN_JW`:
   ivan/iwan 0.85, sergey/sergei 0.93, ivan/ilya 0.67 -> no).  Jaro-Winkler
   is computed only within blocks sharing the first letter (and, above 2,000
   distinct names, also the first or last three letters); linked names form
   groups (connected components, networkx).
3. A person is a (surname group, given-name group).  An initial ("I") joins
   the given-name group of the same surname group only when exactly one
   group starts with that letter; otherwise it stays apart.
4. The key is the most frequent spelling of the person, "surname given" in
   ASCII ("gusev ivan"); ties break alphabetically.

A patronymic is ignored (often absent in Latin-script records).  Matching on
names alone can merge namesakes: treat a shared person_key as a lead to be
checked against other fields (passport hash, birth date), not as proof.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import chain, pairwise

import numpy as np
import pandas as pd

from osint_kit.text import ascii_text, jaro_winkler, metaphone

__all__ = [
    "split_full_names",
    "person_keys",
    "person_keys_by_pair",
    "name_problem",
    "SURNAME_JW",
    "GIVEN_JW",
]

SURNAME_JW = 0.90
GIVEN_JW = 0.80

_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
# U+FFFD; UTF-8 read as Latin-1 ("Ð³Ñ"); cp1251 read as Latin-1 (runs of
# À-ÿ letters: "Ãóñåâ"); runs of "?" left by a lossy re-encoding
# UTF-8 read as cp1251 ("РЎРёРґРѕСЂРѕРІ": lead byte Р/С + a continuation byte, twice)
_CP1251_CONT = "ЂЃ‚ѓ„…†‡€‰Љ‹ЊЌЋЏђ‘’“”•–—™љ›њќћџ\u00a0ЎўЈ¤Ґ¦§Ё©Є«¬\u00ad®Ї°±Ііґµ¶·ё№є»јЅѕї"
_MOJIBAKE = re.compile(
    r"[\uFFFD]|[ÐÑ][\u0080-\u00BF]|â€|[\u00C0-\u00FF]{3,}|\?{2,}"
    rf"|(?:[РС][{_CP1251_CONT}]){{2,}}"
)
_LETTER = re.compile(r"[^\W\d_]")
_TITLES = re.compile(r"\b(mr|mrs|ms|miss|mstr|dr|г-н|г-жа)\.?$", re.IGNORECASE)


def name_problem(text: str | None) -> str | None:
    """Why a name cannot be read, or None.  Empty names are not a problem here."""
    if text is None or (isinstance(text, float) and np.isnan(text)) or not str(text).strip():
        return None
    s = str(text)
    if _MOJIBAKE.search(s):
        return (
            f"unreadable name {s!r}: looks mis-decoded (replacement characters or "
            "mojibake); re-read the file with its real encoding (encoding='utf-8' or "
            "encoding='cp1251')"
        )
    if not _LETTER.search(s):
        return f"unreadable name {s!r}: no letters"
    return None


def split_full_names(full: pd.Series) -> pd.DataFrame:
    """Split one-field names into surname and given name.

    Conventions (documented, not guessed per row):
    ``SURNAME/GIVEN`` (airline PNR style) and ``Surname, Given`` put the
    surname first; a Cyrillic name is in Russian document order
    (Фамилия Имя Отчество); any other Latin name is "Given [Middle] Surname".
    Returns columns ``surname``, ``given_name`` (string), same index.
    """
    text = full.astype("string").str.strip()
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    sur, giv = [], []
    for u in uniques:
        u = _TITLES.sub("", str(u)).strip()
        if "/" in u or "," in u:
            a, _, b = re.split(r"([/,])", u, maxsplit=1)
            s, g = a.strip(), (b.strip().split() or [""])[0]
        else:
            parts = u.split()
            if not parts:
                s = g = ""
            elif len(parts) == 1:
                s, g = parts[0], ""
            elif _CYRILLIC.search(u):
                s, g = parts[0], parts[1]
            else:
                s, g = parts[-1], parts[0]
        sur.append(s or None)
        giv.append(g or None)
    sur_a = pd.array(sur + [None], dtype="string")
    giv_a = pd.array(giv + [None], dtype="string")
    take = np.where(codes < 0, len(uniques), codes)
    return pd.DataFrame(
        {"surname": sur_a.take(take), "given_name": giv_a.take(take)}, index=full.index
    )


def _ascii(text) -> str:

    if text is None or pd.isna(text):
        return ""
    s = unicodedata.normalize("NFKC", str(text))
    s = s.lower() if s.isascii() else ascii_text(s).lower()  # transliterate only when needed
    return _NON_LOWER.sub("", s)


_NON_LOWER = re.compile(r"[^a-z]+")
_NON_LOWER_LINE = re.compile(r"[^a-z\n]+")


def _ascii_many(texts: list[str]) -> list[str]:
    """:func:`_ascii` of many names (str, no NA) in three calls on one joined
    text: NFKC, anyascii and the clean-up all work character by character and
    leave "\n" alone, so the joined result splits back into exactly one part per
    name -- unless a name holds, or transliterates to, a line break, which the
    part count reveals; then each name is done on its own."""

    if not texts:
        return []
    joined = "\n".join(texts)
    if joined.isascii():
        out = _NON_LOWER_LINE.sub("", joined.lower()).split("\n")
    else:
        out = _NON_LOWER_LINE.sub("", ascii_text(joined).lower()).split("\n")
    if len(out) != len(texts):
        return [_ascii(t) for t in texts]
    return out


def _feminine(surname: str) -> bool:
    # Russian feminine surnames: -ova/-eva/-ina/-aya/-skaya (ascii, lower-case)
    return surname.endswith(("a", "aya"))


def _block_pairs(blocks: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Every pair (i, j), i before j, of members of the same block, for all
    blocks at once (integer arrays; a pair shared by two blocks appears once)."""
    sizes = np.fromiter(map(len, blocks), dtype=np.int64, count=len(blocks))
    members = np.fromiter(chain.from_iterable(blocks), dtype=np.int64, count=int(sizes.sum()))
    local = np.arange(len(members)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    after = np.repeat(sizes, sizes) - 1 - local  # members after this one in its block
    first = np.repeat(np.arange(len(members)), after)
    run_start = np.repeat(np.cumsum(after) - after, after)
    second = first + 1 + (np.arange(len(first)) - run_start)
    left, right = members[first], members[second]
    pair = np.unique(np.minimum(left, right) * (len(members) + 1) + np.maximum(left, right))
    return pair // (len(members) + 1), pair % (len(members) + 1)


def _jaro_winkler_bound(names: list[str], left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """An upper bound of the Jaro-Winkler similarity of ASCII names (pairs of
    positions): matched characters cannot exceed the characters the two names
    share (as multisets), transpositions only lower the score, and the Winkler
    prefix bonus is the actual common prefix (at most 4 characters)."""
    lengths = np.fromiter(map(len, names), dtype=np.int64, count=len(names))
    width = int(lengths.max(initial=1))
    chars = np.array(names, dtype=f"U{width}").view(np.uint32).reshape(len(names), width)
    rows = np.repeat(np.arange(len(names)), width)
    counts = np.bincount(rows * 128 + chars.ravel(), minlength=len(names) * 128)
    counts = counts.reshape(len(names), 128)
    counts[:, 0] = 0  # padding
    counts = counts[:, counts.any(axis=0)].astype(np.uint8 if width < 256 else np.int64)
    shared = np.minimum(counts[left], counts[right]).sum(axis=1)
    l1, l2 = lengths[left], lengths[right]
    jaro = (shared / l1 + shared / l2 + 1.0) / 3.0
    head = min(4, width)
    same = (chars[left, :head] == chars[right, :head]) & (
        np.arange(head) < np.minimum(l1, l2)[:, None]
    )
    prefix = np.cumprod(same, axis=1).sum(axis=1)
    return jaro + prefix * 0.1 * (1.0 - jaro)


def _cluster(
    names, threshold, metaphone, jaro_winkler, kind=None, large: bool = False
) -> dict[str, int]:
    """Group distinct ASCII names into connected components of links.

    Two names are linked when their metaphone codes are equal (found by
    grouping on the code, no pairwise loop) or when their Jaro-Winkler
    similarity is >= ``threshold``; the latter is tested within blocks of
    names sharing their first letter -- or, with ``large=True`` (many
    distinct names), within smaller blocks sharing their first letter and
    either their first three or their last three letters (Shcherbakov /
    Scherbakov share "s" + "kov"), which keeps the pairwise work small.
    ``kind`` (name -> class, e.g. the feminine ending) keeps names of
    different classes apart: they are never linked, so names are grouped
    and blocked by class too.  The pairs of a block are listed with array
    operations, and Jaro-Winkler is computed only for pairs whose upper
    bound (:func:`_jaro_winkler_bound`) reaches the threshold -- the same
    links as testing every pair.
    """
    import networkx as nx

    names = list(names)
    graph = nx.Graph()
    graph.add_nodes_from(names)
    by_code: dict[tuple, list[str]] = {}
    blocks: dict[tuple, list[int]] = {}
    for pos, n in enumerate(names):
        cls = kind(n) if kind is not None else None
        by_code.setdefault((cls, metaphone(n)), []).append(n)
        if large:
            blocks.setdefault(("end", cls, n[0], n[-3:]), []).append(pos)
            blocks.setdefault(("start", cls, n[:3]), []).append(pos)
        else:
            blocks.setdefault(("first", cls, n[0]), []).append(pos)
    for group in by_code.values():  # same sound, same class: one component
        graph.add_edges_from(pairwise(group))
    left, right = _block_pairs(list(blocks.values()))
    if len(left) and all(n.isascii() for n in names):
        keep = _jaro_winkler_bound(names, left, right) >= threshold - 1e-9
        left, right = left[keep], right[keep]
    first = [names[i] for i in left]
    second = [names[j] for j in right]
    graph.add_edges_from(
        (a, b)
        for a, b, sim in zip(first, second, map(jaro_winkler, first, second))
        if sim >= threshold
    )
    out: dict[str, int] = {}
    for k, comp in enumerate(nx.connected_components(graph)):
        for n in comp:
            out[n] = k
    return out


def person_keys(surname: pd.Series, given_name: pd.Series | None = None) -> pd.DataFrame:
    """A person key shared by spellings of one name across scripts.

    Parameters
    ----------
    surname : pandas.Series
        Family names in any script.
    given_name : pandas.Series, optional
        Given names, same index (patronymics excluded).

    Returns
    -------
    pandas.DataFrame
        Same index; ``person_key`` (string, "surname given" in ASCII, <NA>
        when the name is empty or unreadable), ``name_ascii`` (this row's
        transliteration) and ``name_problem`` (reason or <NA>).  Each distinct
        pair is processed once; pairs are compared only within blocks that
        share the first letter of the transliterated surname.
    """
    codes, per_pair = person_keys_by_pair(surname, given_name)
    return pd.DataFrame(
        {c: per_pair[c].array.take(codes) for c in per_pair.columns}, index=surname.index
    )


def person_keys_by_pair(
    surname: pd.Series, given_name: pd.Series | None = None
) -> tuple[np.ndarray, pd.DataFrame]:
    """:func:`person_keys` once per distinct (surname, given name) pair.

    Returns ``(codes, per_pair)``: one integer code per row (a position in
    ``per_pair``) and a frame with ``person_key``, ``name_ascii`` and
    ``name_problem`` (string) for each distinct pair, so that a caller can
    expand only what it needs (``per_pair[c].array.take(codes)``).  This is
    the vectorised path (distinct pairs as integer codes, clusters of
    transliterated names); tests/test_fastpaths.py holds a plain per-row
    version it must agree with.
    """

    if given_name is None:
        given_name = pd.Series(pd.NA, index=surname.index, dtype="string")
    # distinct (surname, given) pairs via integer codes: no per-row string work
    cs, us = pd.factorize(surname, use_na_sentinel=True)
    cg, ug = pd.factorize(given_name, use_na_sentinel=True)
    pair = (cs + 1).astype(np.int64) * (len(ug) + 1) + (cg + 1)
    size = (len(us) + 1) * (len(ug) + 1)
    if size <= max(4 * len(pair), 1 << 16):  # few possible pairs: mark them, no hashing
        used = np.zeros(size, dtype=bool)
        used[pair] = True
        pair_uniques = np.flatnonzero(used)
        slot = np.zeros(size, dtype=np.int64)
        slot[pair_uniques] = np.arange(len(pair_uniques))
        codes = slot[pair]
    else:
        codes, pair_uniques = pd.factorize(pair)
    si = pair_uniques // (len(ug) + 1) - 1
    gi = pair_uniques % (len(ug) + 1) - 1

    # transliterate / check each distinct surname and given name once; the
    # ASCII forms get integer ids, so the pairs below are handled as integers
    def per_name(values):
        clean = [v.strip() if isinstance(v, str) and v.strip() else None for v in values]
        prob = [name_problem(v) for v in clean]
        readable = [i for i, (v, p) in enumerate(zip(clean, prob)) if not (p or v is None)]
        asc = [""] * len(clean)
        for i, a in zip(readable, _ascii_many([clean[i] for i in readable])):
            asc[i] = a
        ids, forms = pd.factorize(np.array(asc + [""], dtype=object))
        return np.array(prob + [None], dtype=object), ids, np.asarray(forms, dtype=object)

    s_prob, s_id, s_forms = per_name(list(us))
    g_prob, g_id, g_forms = per_name(list(ug))
    n_pairs = len(pair_uniques)
    counts = np.bincount(codes, minlength=n_pairs)
    problem = np.where(pd.isna(s_prob[si]), g_prob[gi], s_prob[si])
    bad = ~pd.isna(problem)
    s_empty = int(np.flatnonzero(s_forms == "")[0])  # id of "" (always present)
    g_empty = int(np.flatnonzero(g_forms == "")[0])
    sa = np.where(bad, s_empty, s_id[si])  # per pair: id of the ASCII surname
    ga = np.where(bad, g_empty, g_id[gi])
    g_len = np.fromiter(map(len, g_forms), dtype=np.int64, count=len(g_forms))[ga]
    ok = sa != s_empty
    # spelling "surname given" once per distinct (ASCII surname, ASCII given) pair
    combo, combo_uniques = pd.factorize(sa.astype(np.int64) * len(g_forms) + ga)
    spelled = np.array(
        [
            f"{s_forms[c // len(g_forms)]} {g_forms[c % len(g_forms)]}".strip()
            for c in combo_uniques
        ],
        dtype=object,
    )
    # clusters of surnames and of given names (2+ letters), in order of appearance
    surnames = pd.unique(sa[ok])
    s_group = _cluster(
        s_forms[surnames],
        SURNAME_JW,
        metaphone,
        jaro_winkler,
        kind=_feminine,
        large=len(surnames) > 2000,
    )
    givens = pd.unique(ga[ok & (g_len > 1)])
    g_group = _cluster(g_forms[givens], GIVEN_JW, metaphone, jaro_winkler, large=len(givens) > 2000)
    sg = np.full(len(s_forms), -1, dtype=np.int64)
    sg[surnames] = [s_group[x] for x in s_forms[surnames]]
    sg = sg[sa]
    gg_of = np.full(len(g_forms), -1, dtype=np.int64)
    gg_of[givens] = [g_group[x] for x in g_forms[givens]]
    # "" (no given name) is its own group (-1); an initial joins the only
    # given-name group of the same surname group that starts with that letter,
    # else stays apart (its own group, -2 - pair)
    gg = np.where(ok & (g_len > 1), gg_of[ga], -1)
    initials = np.flatnonzero(ok & (g_len == 1))
    if len(initials):
        full = np.flatnonzero(ok & (g_len > 1))
        letter = np.array([f[:1] for f in g_forms], dtype=object)
        options = pd.DataFrame(
            {"sg": sg[full], "letter": letter[ga[full]], "gg": gg[full]}
        ).drop_duplicates()
        n_options = options.groupby(["sg", "letter"])["gg"].transform("size")
        only = options[n_options.to_numpy() == 1].set_index(["sg", "letter"])["gg"]
        asked = pd.MultiIndex.from_arrays([sg[initials], letter[ga[initials]]])
        found = only.reindex(asked).to_numpy()
        gg[initials] = np.where(pd.isna(found), -2 - initials, np.nan_to_num(found, nan=0)).astype(
            np.int64
        )
    # the key of a person (surname group, given-name group): its most frequent
    # spelling (initials do not count), ties broken alphabetically
    okx = np.flatnonzero(ok)
    key_text = np.full(n_pairs, None, dtype=object)
    if len(okx):
        pg, _ = pd.factorize(sg[okx] * (2 * n_pairs + 3) + (gg[okx] + n_pairs + 2))
        weight = np.where(g_len[okx] == 1, 0, 1) * counts[okx]
        cand, cand_uniques = pd.factorize(pg.astype(np.int64) * len(spelled) + combo[okx])
        total = np.bincount(cand, weights=weight, minlength=len(cand_uniques))
        cand_person = cand_uniques // len(spelled)
        cand_combo = cand_uniques % len(spelled)
        rank = np.empty(len(spelled), dtype=np.int64)
        rank[np.argsort(spelled, kind="stable")] = np.arange(len(spelled))
        order = np.lexsort((rank[cand_combo], -total, cand_person))
        first = order[np.r_[True, cand_person[order][1:] != cand_person[order][:-1]]]
        best = np.empty(pg.max() + 1, dtype=object)
        best[cand_person[first]] = spelled[cand_combo[first]]
        key_text[okx] = best[pg]
    ascii_name = spelled[combo]
    ascii_name[ascii_name == ""] = None
    per_pair = pd.DataFrame(
        {
            "person_key": pd.array(key_text, dtype="string"),
            "name_ascii": pd.array(ascii_name, dtype="string"),
            "name_problem": pd.array(problem, dtype="string"),
        }
    )
    return codes, per_pair
