"""Identity-document numbers: classify Russian passport numbers, never show them.

Rule (Russian *foreign-travel* passport, "заграничный паспорт"):

* The number printed in the passport is 9 digits: a 2-digit **series**
  followed by a 7-digit number (e.g. ufms-ru.com, "Номер и серия
  загранпаспорта": "В серии всегда только 2 цифры. Следующие 7 цифр --
  номер"; gohowgo.com: "9 liczb, gdzie pierwsze 2 cyfry to seria").
* Series **20** is the *service* passport ("служебный паспорт") issued to
  state employees and military personnel on official business abroad;
  series **10** is the *diplomatic* passport (summary of dzen.ru quoted by
  ya.ru/neurum: "10 имеют дипломатические работники, 20 -- работники или
  служащие государственных органов за границей").  Reuters (4 March 2025,
  claims C06/C07 of the bundled case) reported that six of the seven
  booked specialists' numbers began with "20", which "denotes passports for
  official state business" per a Russian government edict and an MFA
  document.  Any other series is an ordinary (general civil) foreign passport.
* A 10-digit number (4-digit series + 6 digits) is the shape of the
  *internal* Russian passport, not a travel document: classified
  ``ru_internal`` without further meaning.

The series tells the *kind* of passport, not who the holder is or why they
travelled; "20" is evidence of official status, to be weighed with others.

Privacy: this module never returns, logs or puts into an error message a
full number.  :func:`classify_passports` returns the series, a masked form
("20*******") and a short *keyed* digest so the same document can be linked
across records without showing it.

The digest and its key
----------------------
``passport_hash`` is the first 12 hex characters (48 bits) of
HMAC-SHA256(key, "passport:" + digits).  A plain or publicly salted hash
would not hide anything: the masked series leaves 10**7 candidates for a
9-digit number, which one core hashes in about 30 s.  With HMAC, checking a
guess needs the key.

The key is the user's secret, never a default anyone can reproduce.  It is,
in this order:

1. ``key=`` passed to :func:`classify_passports` (bytes or text, at least
   16 bytes); nothing is written;
2. the file named by the environment variable ``OSINT_KIT_KEY_FILE`` (it
   must exist: a mistyped path must not start a new key silently);
3. ``digest.key`` in the kit's config directory --
   ``platformdirs.user_config_dir("osint-kit")`` (``~/.config/osint-kit`` on
   Linux), or the existing directory named by ``OSINT_KIT_CONFIG_DIR`` --
   created on first use from :func:`secrets.token_bytes` (32 bytes, written
   as hex), the file with mode 0600 and a new directory with 0700.

A key file must be readable by its owner only (mode 0600 or 0400 on POSIX)
and hold at least 32 hex digits; ``#`` lines are comments.  The key never
enters a case bundle, a notebook or an export: only the digests do.

What the digest protects:

* the number itself, against anyone who has the exports, the notebooks or
  the case but not the key: they can neither reverse a digest nor confirm a
  guessed number.

What it does not protect:

* **Same key => same digest**, across cases and exports, by design: that is
  what links one document across records and investigations.  Whoever
  holds the key (or a digest made with it next to a known number) can link
  too.  Digests made with different keys never match: a team linking its
  records shares one key file (``OSINT_KIT_KEY_FILE``).
* **A leaked key makes the digests reversible again** (10**7 HMACs per
  series, seconds).  Keep the key file out of shared folders and backups of
  the case; replace it (delete it, a new one is made) if it leaks -- old
  digests then no longer match new ones.
* **The masked form narrows the search**: "20*******" says the series, so a
  key holder needs 10**7 guesses, not 10**9.
* 48 bits are for linking, not for secrecy: two different numbers share a
  digest with probability about n**2 / 2**49 among n distinct numbers
  (0.2 % for a million).
"""

from __future__ import annotations

import hmac
import os
import re
import secrets
import stat
from pathlib import Path

import numpy as np
import pandas as pd

from osint_kit.errors import OsintKitError

__all__ = [
    "PASSPORT_SERIES",
    "DigestKeyError",
    "classify_passports",
    "classify_distinct",
    "digest_key",
    "key_file_path",
    "mask_number",
]

#: Environment variable naming an existing key file (shared by a team, say).
KEY_FILE_ENV = "OSINT_KIT_KEY_FILE"
#: Environment variable naming an existing directory used instead of the
#: user's config directory (tests point it at a temporary folder).
CONFIG_DIR_ENV = "OSINT_KIT_CONFIG_DIR"
KEY_FILE_NAME = "digest.key"
#: Shortest key accepted (bytes): below 128 bits a key could be guessed
#: together with the number.
MIN_KEY_BYTES = 16


class DigestKeyError(OsintKitError):
    """The secret key of the document digests cannot be found, made or read.
    The message names the path and what to do (it never holds the key)."""


#: Series of Russian foreign passports with a special meaning (see module docstring).
PASSPORT_SERIES = {"10": "ru_foreign_diplomatic", "20": "ru_foreign_service"}

_SEPARATORS = re.compile(r"[\s\-№#]+|^(no|n)\.?", re.IGNORECASE)


def mask_number(digits: str, keep: int = 2) -> str:
    """Keep the first ``keep`` characters, star the rest: "20*******"."""
    return digits[:keep] + "*" * max(len(digits) - keep, 0)


def key_file_path() -> Path:
    """Where the digest key is read from (or made, on first use): the file in
    ``OSINT_KIT_KEY_FILE``, else ``digest.key`` in ``OSINT_KIT_CONFIG_DIR`` or
    in ``platformdirs.user_config_dir("osint-kit")``."""
    named = os.environ.get(KEY_FILE_ENV)
    if named:
        return Path(named).expanduser()
    folder = os.environ.get(CONFIG_DIR_ENV)
    if folder:
        return Path(folder).expanduser() / KEY_FILE_NAME
    import platformdirs

    return Path(platformdirs.user_config_dir("osint-kit")) / KEY_FILE_NAME


def digest_key(key: bytes | str | None = None) -> bytes:
    """The HMAC key of the document digests (see the module docstring).

    ``key`` (bytes, or text taken as UTF-8) is used as given, with nothing
    written.  Otherwise the key file is read -- or, at the default place,
    made on first use.  Raises :class:`DigestKeyError` with the fix when
    the key is too short, the file or its folder is missing, unreadable,
    readable by others or not a key file.
    """
    if key is not None:
        raw = key.encode("utf-8") if isinstance(key, str) else bytes(key)
        if len(raw) < MIN_KEY_BYTES:
            raise DigestKeyError(
                f"the digest key passed is {len(raw)} bytes; use at least {MIN_KEY_BYTES} "
                "random bytes (e.g. secrets.token_bytes(32)), or leave key out to use the key "
                "file in your config directory"
            )
        return raw
    path = key_file_path()
    try:
        return _key_at(path)
    except OSError as exc:  # a path the checks below could not even look at
        raise DigestKeyError(
            f"the digest key {path} cannot be looked up ({type(exc).__name__}): make its folder "
            f"yours and readable (`chmod 700 {path.parent}`), or set {CONFIG_DIR_ENV} to a "
            f"folder you can use, or {KEY_FILE_ENV} to an existing key file"
        ) from None


def _key_at(path: Path) -> bytes:
    """The key at ``path``, read, or made when the default place has none."""
    if os.environ.get(KEY_FILE_ENV):
        try:
            path.stat()
        except FileNotFoundError:
            raise DigestKeyError(
                f"{KEY_FILE_ENV} names {path}, which does not exist: correct the path, or "
                f"unset {KEY_FILE_ENV} to use (and on first use create) "
                f"{KEY_FILE_NAME} in your config directory"
            ) from None
        except OSError:
            pass  # not allowed to look: _read_key says so
        return _read_key(path)
    folder = path.parent
    if os.environ.get(CONFIG_DIR_ENV) and not folder.is_dir():
        raise DigestKeyError(
            f"{CONFIG_DIR_ENV} names {folder}, which is not an existing folder: create it "
            f"(mkdir -m 700 {folder}) or unset {CONFIG_DIR_ENV}"
        )
    try:
        # lexists says False when the folder cannot be searched: ask the folder itself
        present = os.path.lexists(path)
        if not present and folder.is_dir():
            os.listdir(folder)
    except OSError as exc:
        raise DigestKeyError(
            f"the folder of the digest key, {folder}, cannot be read ({type(exc).__name__}): "
            f"make it yours and readable (`chmod 700 {folder}`), or set {CONFIG_DIR_ENV} to a "
            f"folder you can use, or {KEY_FILE_ENV} to an existing key file"
        ) from None
    return _read_key(path) if present else _create_key(path)


def _read_key(path: Path) -> bytes:
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise DigestKeyError(
                f"digest key {path} is not a file: remove it (a new key is made "
                f"on first use) or point {KEY_FILE_ENV} at the key file"
            )
        if os.name == "posix" and info.st_mode & 0o077:
            raise DigestKeyError(
                f"digest key {path} can be read by other users (mode "
                f"{stat.S_IMODE(info.st_mode):04o}): make it yours only with "
                f"`chmod 600 {path}`; if others may have read it, delete it (a new key is made, "
                "old digests no longer match)"
            )
        text = path.read_text(encoding="ascii")
    except DigestKeyError:
        raise
    except (OSError, UnicodeDecodeError) as exc:
        raise DigestKeyError(
            f"digest key {path} cannot be read ({type(exc).__name__}): check that it is your "
            f"file and readable (`chmod 600 {path}`), or set {KEY_FILE_ENV} to a key file "
            "you can read"
        ) from None
    body = "".join(
        line.strip()
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    )
    try:
        raw = bytes.fromhex(body)
    except ValueError:
        raw = b""
    if len(raw) < MIN_KEY_BYTES:
        raise DigestKeyError(
            f"digest key {path} is not a key file (it must hold at least {2 * MIN_KEY_BYTES} "
            "hex digits, e.g. from `openssl rand -hex 32`): replace it, or delete it to have "
            "a new one made"
        )
    return raw


def _create_key(path: Path) -> bytes:
    """Make the key file: 32 random bytes as hex, mode 0600, in a 0700 folder."""
    folder = path.parent
    raw = secrets.token_bytes(32)
    text = (
        "# osint-kit digest key (HMAC-SHA256 of document numbers). Keep it secret and out "
        "of case folders;\n# delete it to start a new key (old digests will no longer "
        f"match).\n{raw.hex()}\n"
    )
    tmp = folder / f".{KEY_FILE_NAME}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        if not folder.is_dir():
            folder.mkdir(mode=0o700, parents=True)
            os.chmod(folder, 0o700)  # exactly 0700, whatever the umask
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            if hasattr(os, "fchmod"):
                os.fchmod(fd, 0o600)  # exactly 0600, whatever the umask
            os.write(fd, text.encode("ascii"))
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            # complete and atomic, and never over a key another process has just made
            os.link(tmp, path)
        except FileExistsError:
            return _read_key(path)
        except OSError:  # a file system without hard links
            if path.exists():
                return _read_key(path)
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
    except OSError as exc:
        raise DigestKeyError(
            f"cannot create the digest key {path} ({type(exc).__name__}: {exc.strerror or exc}): "
            f"make {folder} a folder you can write (mkdir -m 700 {folder}), or set "
            f"{CONFIG_DIR_ENV} to one, or {KEY_FILE_ENV} to an existing key file"
        ) from None
    return raw


def classify_passports(numbers: pd.Series, *, key: bytes | str | None = None) -> pd.DataFrame:
    """Classify passport numbers without revealing them.

    Parameters
    ----------
    numbers : pandas.Series
        Passport numbers as text ("20 1234567", "201234567", "№ 75 1234567").
    key : bytes or str, optional
        The secret key of the digests (at least 16 bytes); default: the key
        file (see the module docstring), made on first use.

    Returns
    -------
    pandas.DataFrame
        Same index; ``passport_kind`` (``ru_foreign_service`` |
        ``ru_foreign_diplomatic`` | ``ru_foreign_ordinary`` | ``ru_internal``
        | ``unknown``, <NA> when empty), ``passport_series`` (first 2 digits
        of a 9-digit number), ``passport_official`` (boolean: series 20 or
        10), ``passport_masked`` ("20*******"), ``passport_hash`` (12 hex
        characters of HMAC-SHA256(key, "passport:" + digits)) and
        ``passport_problem`` (reason, masked, or <NA>).  Each distinct value
        is handled once; the key is read only when there is a number to
        digest.

    Raises
    ------
    DigestKeyError
        No usable key (the message says how to make one).
    """
    codes, uniques = pd.factorize(numbers, use_na_sentinel=True)
    per_value = classify_distinct(uniques, key=key)
    return pd.DataFrame(
        {c: per_value[c].array.take(codes, allow_fill=True) for c in per_value.columns},
        index=numbers.index,
    )


def classify_distinct(uniques, *, key: bytes | str | None = None) -> pd.DataFrame:
    """:func:`classify_passports` of distinct non-empty values, one row each.

    ``uniques`` are distinct values (an Index or array, no NA); the result has
    the columns of :func:`classify_passports`, one row per value in order, so
    a caller expands them to its rows with integer codes.  Vectorised; the
    plain per-value version it must agree with is in tests/test_fastpaths.py.
    """
    # each distinct value once, with whole-column string operations
    text = pd.Series(np.asarray(uniques, dtype=object), dtype=object).map(str)
    digits = text.str.strip().str.replace(_SEPARATORS, "", regex=True)
    d = digits.to_numpy(dtype=object)
    length = digits.str.len().to_numpy(dtype=np.int64)
    nine = digits.str.fullmatch(r"\d{9}").to_numpy(dtype=bool)
    ten = digits.str.fullmatch(r"\d{10}").to_numpy(dtype=bool) & ~nine
    empty = length == 0
    unknown = ~(nine | ten | empty)
    series = np.where(nine, digits.str[:2].to_numpy(dtype=object), None)
    kind = np.full(len(d), None, dtype=object)
    kind[nine] = (
        pd.Series(series[nine], dtype=object)
        .map(PASSPORT_SERIES)
        .fillna("ru_foreign_ordinary")
        .to_numpy(dtype=object)
    )
    kind[ten] = "ru_internal"
    kind[unknown] = "unknown"
    official = np.full(len(d), None, dtype=object)
    official[nine] = kind[nine] != "ru_foreign_ordinary"
    official[ten] = False
    # masked: the first 2 digits (1 for an unrecognised number) and one star per
    # remaining character, from a table of star runs
    keep = np.where(unknown, 1, 2)
    stars = np.array(["*" * k for k in range(int(length.max(initial=0)) + 1)], dtype=object)
    masked = np.full(len(d), None, dtype=object)
    shown = ~empty
    prefix = np.where(
        unknown, digits.str[:1].to_numpy(dtype=object), digits.str[:2].to_numpy(dtype=object)
    )
    masked[shown] = prefix[shown] + stars[np.maximum(length[shown] - keep[shown], 0)]
    digest = np.full(len(d), None, dtype=object)
    if shown.any():
        # one HMAC per distinct digit string ("20 9990001" and "209990001" are one), each
        # continuing a copy of the state keyed and fed "passport:" once
        base = hmac.new(digest_key(key), b"passport:", "sha256")
        at, distinct = pd.factorize(pd.Series(d[shown], dtype=object))
        hexes = []
        for x in distinct:
            h = base.copy()
            h.update(x.encode())
            hexes.append(h.hexdigest()[:12])
        digest[shown] = np.asarray(hexes, dtype=object)[at]
    problem = np.full(len(d), None, dtype=object)
    problem[unknown] = [
        f"passport number {m!r} ({n} characters) is not a 9-digit Russian foreign passport number"
        for m, n in zip(masked[unknown], length[unknown])
    ]
    return pd.DataFrame(
        {
            "passport_kind": pd.array(kind, dtype="string"),
            "passport_series": pd.array(series, dtype="string"),
            "passport_official": pd.array(official, dtype="boolean"),
            "passport_masked": pd.array(masked, dtype="string"),
            "passport_hash": pd.array(digest, dtype="string"),
            "passport_problem": pd.array(problem, dtype="string"),
        }
    )
