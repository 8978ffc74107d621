"""Tests for osint_kit.analysis.documents: passport classification without revealing numbers."""

import hashlib
import hmac
import os
import stat

import pandas as pd
import pytest

from osint_kit.analysis import documents as D
from osint_kit.analysis.documents import classify_passports, mask_number
from osint_kit.errors import OsintKitError


@pytest.fixture(autouse=True)
def key_dir(tmp_path, monkeypatch):
    """Every test here keeps its digest key in its own temporary folder, never in
    the real config directory."""
    folder = tmp_path / "config"
    folder.mkdir(mode=0o700)
    monkeypatch.setenv("OSINT_KIT_CONFIG_DIR", str(folder))
    monkeypatch.delenv("OSINT_KIT_KEY_FILE", raising=False)
    return folder


def file_key(path) -> bytes:
    """The key as written in a key file: the one line that is not a # comment, in hex."""
    lines = [x for x in path.read_text(encoding="ascii").splitlines() if not x.startswith("#")]
    return bytes.fromhex("".join(lines))


def expected_digest(key: bytes, digits: str) -> str:
    # the documented rule: 12 hex characters of HMAC-SHA256(key, "passport:" + digits)
    return hmac.new(key, ("passport:" + digits).encode(), hashlib.sha256).hexdigest()[:12]


def test_classify_series():
    # synthetic numbers (positions 3-5 "999")
    numbers = pd.Series(
        ["20 9990001", "759990002", "№ 10 9990003", "4510999000", "12AB", None, "209990001"],
        index=list("abcdefg"),
    )
    out = classify_passports(numbers)
    assert out["passport_kind"].tolist()[:5] == [
        "ru_foreign_service",  # series 20: service/official-business passport
        "ru_foreign_ordinary",  # any other series of a 9-digit number
        "ru_foreign_diplomatic",  # series 10
        "ru_internal",  # 10 digits: internal passport shape
        "unknown",
    ]
    assert out["passport_series"].tolist()[:3] == ["20", "75", "10"]
    assert out["passport_official"].tolist()[:4] == [True, False, True, False]
    assert out.loc["a", "passport_masked"] == "20*******" == mask_number("209990001")
    # the same number written two ways -> the same digest
    assert out.loc["a", "passport_hash"] == out.loc["g", "passport_hash"]
    assert len(out.loc["a", "passport_hash"]) == 12
    assert out.loc["f"].isna().all()
    assert out.loc["e", "passport_problem"] == (
        "passport number '1***' (4 characters) is not a 9-digit Russian foreign passport number"
    )
    # no output cell holds the full number
    flat = out.astype("string").stack().astype(str)
    assert not flat.str.contains("9990001").any()


def test_digest_is_keyed_not_the_public_salt(key_dir):
    out = classify_passports(pd.Series(["20 9990001"]))
    digest = out.loc[0, "passport_hash"]
    # the key was made on first use, in the (test's) config directory
    key = file_key(key_dir / "digest.key")
    assert len(key) == 32  # secrets.token_bytes(32)
    assert digest == expected_digest(key, "209990001")
    # the old digest, SHA-256 of the public default salt "osint-kit" + digits, which anyone
    # could recompute for the 10**7 numbers of series 20, is not what comes out
    public = hashlib.sha256(b"osint-kit209990001").hexdigest()[:12]
    assert public == "0483bfdfcf1d"  # what the old code gave for this number (checked)
    assert digest != public
    assert digest != hashlib.sha256(b"209990001").hexdigest()[:12]
    # the call analysis.legs makes (distinct values, no key argument) uses the same key
    assert D.classify_distinct(pd.Index(["209990001"]))["passport_hash"][0] == digest
    # neither the key nor the number is in any output cell
    flat = out.astype("string").stack().astype(str)
    assert not flat.str.contains(key.hex()[:12]).any() and not flat.str.contains("9990001").any()


def test_two_keys_two_digests_one_key_one_digest():
    k1, k2 = b"k" * 32, b"j" * 32
    a1 = classify_passports(pd.Series(["209990001"]), key=k1)["passport_hash"][0]
    a2 = classify_passports(pd.Series(["20 9990001"]), key=k1)["passport_hash"][0]
    b = classify_passports(pd.Series(["209990001"]), key=k2)["passport_hash"][0]
    assert a1 == a2 == expected_digest(k1, "209990001")  # same key, same document
    assert b == expected_digest(k2, "209990001") and a1 != b  # another key: no link
    # text keys are their UTF-8 bytes
    assert classify_passports(pd.Series(["209990001"]), key="k" * 32)["passport_hash"][0] == a1


def test_explicit_key_writes_no_file(key_dir):
    classify_passports(pd.Series(["209990001", "759990002"]), key=os.urandom(32))
    assert list(key_dir.iterdir()) == []
    # nothing to digest: no key is needed, none is made
    classify_passports(pd.Series([None, ""], dtype="string"))
    assert list(key_dir.iterdir()) == []
    with pytest.raises(D.DigestKeyError, match="at least 16 random bytes"):
        classify_passports(pd.Series(["209990001"]), key="short")


def test_key_file_created_owner_only_at_the_config_dir(tmp_path, monkeypatch):
    import platformdirs

    # the default place: platformdirs' config dir (here a temporary one that does not exist yet)
    home = tmp_path / "home" / "osint-kit"
    monkeypatch.delenv("OSINT_KIT_CONFIG_DIR")
    monkeypatch.setattr(platformdirs, "user_config_dir", lambda app: str(tmp_path / "home" / app))
    assert D.key_file_path() == home / "digest.key"
    first = classify_passports(pd.Series(["209990001"]))["passport_hash"][0]
    path = home / "digest.key"
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert first == expected_digest(file_key(path), "209990001")
    # read again, not made again: the same digest on the next run
    assert classify_passports(pd.Series(["209990001"]))["passport_hash"][0] == first
    # a new key (the old one deleted) gives new digests
    path.unlink()
    assert classify_passports(pd.Series(["209990001"]))["passport_hash"][0] != first


def test_key_file_from_the_environment(tmp_path, monkeypatch, key_dir):
    shared = tmp_path / "team.key"
    shared.write_text("# our team's key\n" + "ab" * 32 + "\n", encoding="ascii")
    shared.chmod(0o600)
    monkeypatch.setenv("OSINT_KIT_KEY_FILE", str(shared))
    got = classify_passports(pd.Series(["209990001"]))["passport_hash"][0]
    assert got == expected_digest(bytes.fromhex("ab" * 32), "209990001")
    assert list(key_dir.iterdir()) == []  # nothing made in the config dir


def test_unusable_key_places_are_kit_errors_with_a_fix(tmp_path, monkeypatch):
    numbers = pd.Series(["209990001"])

    def error(match):
        with pytest.raises(D.DigestKeyError, match=match) as info:
            classify_passports(numbers)
        assert isinstance(info.value, OsintKitError)
        return str(info.value)

    # a config dir that does not exist (a typo must not start a new key elsewhere)
    monkeypatch.setenv("OSINT_KIT_CONFIG_DIR", str(tmp_path / "missing"))
    assert "mkdir -m 700" in error("not an existing folder")
    # a key file named in the environment that does not exist
    monkeypatch.setenv("OSINT_KIT_KEY_FILE", str(tmp_path / "nope.key"))
    assert "correct the path" in error("does not exist")
    monkeypatch.delenv("OSINT_KIT_KEY_FILE")
    # the key's place taken by a folder
    folder = tmp_path / "cfg"
    (folder / "digest.key").mkdir(parents=True)
    monkeypatch.setenv("OSINT_KIT_CONFIG_DIR", str(folder))
    error("is not a file")
    # a key file others can read, and one that holds no key
    (folder / "digest.key").rmdir()
    (folder / "digest.key").write_text("ab" * 32, encoding="ascii")
    if os.name == "posix":
        (folder / "digest.key").chmod(0o644)
        assert "chmod 600" in error("can be read by other users")
    (folder / "digest.key").chmod(0o600)
    (folder / "digest.key").write_text("not a key", encoding="ascii")
    error("is not a key file")
    # a config path that is a file, so no key can be made under it
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="ascii")
    monkeypatch.delenv("OSINT_KIT_CONFIG_DIR")
    import platformdirs

    monkeypatch.setattr(platformdirs, "user_config_dir", lambda app: str(blocker / app))
    assert "cannot create the digest key" in error("cannot create")


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0,
    reason="needs POSIX permissions that bind (root reads any file)",
)
def test_unreadable_key_dir(tmp_path, monkeypatch):
    folder = tmp_path / "locked"
    folder.mkdir()
    (folder / "digest.key").write_text("ab" * 32, encoding="ascii")
    (folder / "digest.key").chmod(0o600)
    folder.chmod(0)
    monkeypatch.setenv("OSINT_KIT_CONFIG_DIR", str(folder))
    try:
        with pytest.raises(D.DigestKeyError, match="cannot"):
            classify_passports(pd.Series(["209990001"]))
    finally:
        folder.chmod(0o700)


def test_permission_denied_is_a_kit_error(tmp_path, monkeypatch, key_dir):
    # root reads any file, so the denial an ordinary user gets is simulated here (the test
    # above checks the real one when not run as root)
    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    with monkeypatch.context() as m:
        m.setattr(os, "listdir", denied)
        with pytest.raises(D.DigestKeyError, match="cannot be read .*chmod 700"):
            classify_passports(pd.Series(["209990001"]))
    classify_passports(pd.Series(["209990001"]))  # makes the key
    monkeypatch.setattr(type(key_dir), "read_text", denied)
    with pytest.raises(D.DigestKeyError, match="cannot be read .*chmod 600"):
        classify_passports(pd.Series(["209990001"]))
