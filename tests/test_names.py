"""Tests for osint_kit.analysis.names: person keys across Cyrillic and Latin spellings (invented names)."""

import pandas as pd

from osint_kit.analysis.names import name_problem, person_keys, split_full_names


def test_cross_script_spellings_share_a_key():
    # invented names; Cyrillic, BGN-like, French-style and German-style spellings
    sur = pd.Series(
        ["Тестов", "Testov", "Testoff", "TESTOV", "Щукарёв", "Shchukarev", "Schtschukarew"]
    )
    giv = pd.Series(["Иван", "Ivan", "Iwan", "IVAN", "Юрий", "Yury", "Yuri"])
    keys = person_keys(sur, giv)
    assert keys["person_key"].tolist()[:4] == ["testov ivan"] * 4
    # ё -> "e" (anyascii: Shchukarev) meets the BGN spelling; Юрий (anyascii: Yuriy) and
    # Yury meet on Jaro-Winkler >= 0.80; the key is spelled from the Cyrillic row
    assert keys["person_key"].tolist()[4:6] == ["shchukarev yuriy"] * 2
    # the German "Schtschukarew" is too far (Jaro-Winkler < 0.90, other metaphone): a
    # separate key -- a documented limit; a shared passport hash can link them
    assert keys.loc[6, "person_key"] == "schtschukarew yuri"
    assert keys.loc[1, "name_ascii"] == "testov ivan"
    assert keys.loc[2, "name_ascii"] == "testoff iwan"


def test_feminine_form_and_other_given_name_stay_apart():
    sur = pd.Series(["Тестов", "Тестова", "Тестов", "Testov"])
    giv = pd.Series(["Иван", "Ирина", "Илья", "I"])
    keys = person_keys(sur, giv)["person_key"].tolist()
    assert keys[0] == "testov ivan"
    assert keys[1] == "testova irina"  # -ova: a different person (often a relative)
    assert keys[2] == "testov ilya"  # ivan/ilya: Jaro-Winkler 0.67 < 0.80
    assert keys[3] == "testov i"  # "I" fits ivan and ilya: left apart, not guessed


def test_initial_joins_the_only_fitting_given_name():
    keys = person_keys(pd.Series(["Примеров", "Primerov"]), pd.Series(["Олег", "O"]))
    assert keys["person_key"].tolist() == ["primerov oleg", "primerov oleg"]


def test_unreadable_and_empty_names():
    keys = person_keys(
        pd.Series(["Òåñòîâ", "Р—РµС‡РёРµРІ", "", None, "123"]),
        pd.Series(["Èâàí", "x", "", None, "4"]),
    )
    assert keys["person_key"].isna().all()
    assert "mis-decoded" in keys.loc[0, "name_problem"]
    assert "mis-decoded" in keys.loc[1, "name_problem"]
    assert pd.isna(keys.loc[2, "name_problem"]) and pd.isna(keys.loc[3, "name_problem"])
    assert keys.loc[4, "name_problem"] == "unreadable name '123': no letters"
    assert name_problem("Müller") is None  # an accented letter is not mojibake


def test_split_full_names_conventions():
    split = split_full_names(
        pd.Series(["TESTOV/IVAN MR", "Тестов Иван Петрович", "Ivan Testov", "Testov, Ivan", None])
    )
    assert split["surname"].tolist()[:4] == ["TESTOV", "Тестов", "Testov", "Testov"]
    assert split["given_name"].tolist()[:4] == ["IVAN", "Иван", "Ivan", "Ivan"]
    assert split.iloc[4].isna().all()


def test_batched_transliteration_equals_one_name_at_a_time():
    from osint_kit.analysis.names import _ascii, _ascii_many

    names = [
        "Гусев",
        "Goussev",
        "ŠČERBAKOV",
        "ﬁlatov",
        "Ｉｖａｎ",
        "Юрий-Петр",
        "O'Brien",
        "e\u0301lise",
        "\u0301Ivan",
        "",
        "محمد",
        "line\nbreak",
        "Щ",
    ]
    # the batch must give, name by name, what _ascii gives (the definition);
    # spot checks: Гусев -> gusev, fullwidth Ｉｖａｎ -> ivan (NFKC), ﬁ -> fi
    assert _ascii_many(names) == [_ascii(n) for n in names]
    out = _ascii_many(names)
    assert out[0] == "gusev" and out[3] == "filatov" and out[4] == "ivan"
    # a name holding a line break makes the part count wrong: the fallback path
    # gives "linebreak" (the break is not a letter), the same as _ascii
    assert out[11] == "linebreak"
    assert _ascii_many(["Ivan", "Petrov"]) == ["ivan", "petrov"]  # all-ASCII path
