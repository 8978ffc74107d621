"""Tests for osint_kit.documents: passport classification without revealing numbers."""

import pandas as pd

from osint_kit.documents import classify_passports, mask_number


def test_classify_series():
    # synthetic numbers (positions 3-5 "999")
    numbers = pd.Series(["20 9990001", "759990002", "№ 10 9990003", "4510999000", "12AB", None,
                         "209990001"], index=list("abcdefg"))
    out = classify_passports(numbers)
    assert out["passport_kind"].tolist()[:5] == [
        "ru_foreign_service",      # series 20: service/official-business passport
        "ru_foreign_ordinary",     # any other series of a 9-digit number
        "ru_foreign_diplomatic",   # series 10
        "ru_internal",             # 10 digits: internal passport shape
        "unknown",
    ]
    assert out["passport_series"].tolist()[:3] == ["20", "75", "10"]
    assert out["passport_official"].tolist()[:4] == [True, False, True, False]
    assert out.loc["a", "passport_masked"] == "20*******"
    # the same number written two ways -> the same digest
    assert out.loc["a", "passport_hash"] == out.loc["g", "passport_hash"]
    assert len(out.loc["a", "passport_hash"]) == 12
    assert out.loc["f"].isna().all()
    assert out.loc["e", "passport_problem"] == ("passport number '1***' (4 characters) is not a "
                                                "9-digit Russian foreign passport number")
    # no output cell holds the full number
    flat = out.astype("string").stack().astype(str)
    assert not flat.str.contains("9990001").any()


def test_salt_changes_digest_and_mask():
    a = classify_passports(pd.Series(["209990001"]))["passport_hash"][0]
    b = classify_passports(pd.Series(["209990001"]), salt="case-secret")["passport_hash"][0]
    assert a != b
    assert mask_number("209990001") == "20*******"
