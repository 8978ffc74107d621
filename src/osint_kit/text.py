"""Text keys for matching names across scripts.

Thin, documented wrappers over two maintained libraries that ship wheels for
every platform (so the kit installs with plain pip, no compiler or ICU):

* ``anyascii`` transliterates any script to ASCII (Гусев → Gusev,
  Щербаков → Shcherbakov, Москва → Moskva, تهران → thrn);
* ``jellyfish`` gives the phonetic code (metaphone: gusev, goussev → KSF) and
  the Jaro-Winkler similarity used for spelling variants.

The FollowTheMoney ecosystem's ``rigour`` offers the same operations, but it
depends on PyICU, which has no wheels on PyPI and must be compiled against
ICU's C++ headers: too much to ask of an analyst's laptop.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "ascii_text",
    "match_key",
    "metaphone",
    "jaro_winkler",
    "hidden_characters",
    "hidden_character_problems",
    "reveal_hidden",
    "HIDDEN_CHARACTERS",
]

_NON_ALNUM = re.compile(r"[^0-9a-z]+")

#: Characters that make two ids look alike but compare unequal: C0/C1 controls
#: (NUL included; tab, LF and CR are the file's business), zero-width and
#: joiner characters, bidirectional overrides and isolates (a right-to-left
#: override can make ``T1\u202e2T`` display as ``T1T2``), word joiners, the
#: byte-order mark (two exports joined by ``cat`` leave one mid-file) and the
#: soft hyphen.
HIDDEN_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]"
)


def ascii_text(text: str) -> str:
    """``text`` transliterated to ASCII (case kept), after NFKC normalisation."""
    from anyascii import anyascii

    return anyascii(unicodedata.normalize("NFKC", str(text)))


def match_key(text: str) -> str:
    """Lower-case ASCII words separated by single spaces ("" when nothing is left).

    >>> match_key("  Дата вылета ") , match_key("TEHRAN"), match_key("Sheremet'evo")
    ('data vyleta', 'tehran', 'sheremet evo')
    """
    return _NON_ALNUM.sub(" ", ascii_text(text).lower()).strip()


def metaphone(text: str) -> str:
    """Metaphone code of an ASCII word (jellyfish)."""
    import jellyfish

    return jellyfish.metaphone(text)


def jaro_winkler(a: str, b: str) -> float:
    """Jaro-Winkler similarity of two strings, 0..1 (jellyfish)."""
    import jellyfish

    return jellyfish.jaro_winkler_similarity(a, b)


_JOINERS = "\u200c\u200d"


def _in_word(text: str, at: int) -> bool:
    """Whether the joiner at ``at`` sits between two letters outside ASCII
    (orthography in Persian, Arabic or Indic words, not a hidden character)."""
    before, after = text[at - 1 : at], text[at + 1 : at + 2]
    return before.isalpha() and not before.isascii() and after.isalpha() and not after.isascii()


def hidden_characters(text: str, *, words: bool = False) -> str | None:
    """Say which invisible character ``text`` holds, or None when it has none.

    An id with a hidden character (a BOM, a zero-width space, a right-to-left
    override, NUL) looks like another id but does not join with it: a record
    of ``\ufeffT1`` is a different record from ``T1``.  Readers report such a
    value instead of keeping it silently.  Use it on ids and codes, not on
    prose: Persian writes U+200C (zero-width non-joiner) inside words.

    >>> hidden_characters("T\u200b1")
    'U+200B ZERO WIDTH SPACE at character 2'
    >>> hidden_characters("T1") is None
    True
    """
    text = str(text)
    found = next(
        (
            m
            for m in HIDDEN_CHARACTERS.finditer(text)
            if not (words and m.group() in _JOINERS and _in_word(text, m.start()))
        ),
        None,
    )
    if found is None:
        return None
    ch = found.group()
    name = unicodedata.name(ch, "control character")
    return f"U+{ord(ch):04X} {name} at character {found.start() + 1}"


def _may_hide(text: str) -> bool:
    """Whether ``text`` holds a hidden character, in one pass in C: for ASCII
    text (ids usually are) a byte test for control characters, else the
    regular expression."""
    if text.isascii():
        import numpy as np

        b = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
        return bool(((b < 32) & (b != 9) & (b != 10) & (b != 13) | (b == 127)).any())
    return HIDDEN_CHARACTERS.search(text) is not None


def reveal_hidden(text: str) -> str:
    """``text`` with every hidden character written as its escape (``\\u200b``),
    so that a message shows where it is."""
    return HIDDEN_CHARACTERS.sub(lambda m: f"\\u{ord(m.group()):04x}", str(text))


def hidden_character_problems(
    values,
    column: str,
    *,
    words: bool = False,
    fix: str = "remove the character (or ask the source which id is meant)",
):
    """Reasons, one per value (a ``string`` Series on ``values``' index, <NA>
    where the value is clean), for the ids or codes in ``values`` that hold a
    hidden character (:func:`hidden_characters`), e.g.
    ``record_id 'T1\\u200b' holds U+200B ZERO WIDTH SPACE at character 3: it
    looks like 'T1' but does not match it; remove the character``.

    Fast on clean columns (the usual case): one regular-expression search over
    the values joined; only when it finds something are the distinct values
    looked at, and only those that hold a match one by one."""
    import numpy as np
    import pandas as pd

    values = values if isinstance(values, pd.Series) else pd.Series(values, dtype=object)
    out = pd.Series(pd.NA, index=values.index, dtype="string")
    raw = values.to_numpy(dtype=object, na_value="")
    try:
        joined = "\n".join(raw)
    except TypeError:  # numbers in a frame given by the caller
        joined = "\n".join(map(str, raw))
    if not _may_hide(joined):
        return out
    codes, uniques = pd.factorize(raw, use_na_sentinel=True)
    texts = [str(u) for u in uniques]
    reasons = []
    for t in texts:  # distinct values only; most are skipped by the search
        found = hidden_characters(t, words=words) if HIDDEN_CHARACTERS.search(t) else None
        reasons.append(
            None
            if found is None
            else (
                f"{column} '{reveal_hidden(t)}' holds {found}: it looks like "
                f"'{HIDDEN_CHARACTERS.sub('', t)}' but does not match it; {fix}"
            )
        )
    table = pd.array(reasons + [None], dtype="string")
    return pd.Series(table.take(np.where(codes < 0, len(reasons), codes)), index=values.index)
