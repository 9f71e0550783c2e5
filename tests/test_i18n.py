"""Every text a person reads exists in Chinese and English; code uses only known keys."""

from __future__ import annotations

import re
from pathlib import Path

from cx import i18n

ROOT = Path(__file__).resolve().parent.parent
KEY_CALL = re.compile(r"""\bt\(\s*["']([a-z_]+\.[A-Za-z0-9_.]*[A-Za-z0-9_])["']""")


def test_every_key_has_both_languages():
    for key, entry in i18n.table().items():
        assert set(entry) >= {"zh", "en"}, key
        assert entry["zh"].strip() and entry["en"].strip(), key


def test_english_texts_have_no_chinese_left_in_them():
    han = re.compile(r"[\u4e00-\u9fff]")
    allowed = {"app.lang"}  # labels that show both on purpose
    offenders = [k for k, e in i18n.table().items() if han.search(e["en"]) and k not in allowed]
    # A few English texts quote a Chinese label on purpose (e.g. tier names); keep it rare.
    assert len(offenders) <= 10, offenders


def test_placeholders_match_between_languages():
    field = re.compile(r"{(\w+)")
    for key, entry in i18n.table().items():
        assert set(field.findall(entry["zh"])) == set(field.findall(entry["en"])), key


def test_keys_used_in_code_exist():
    table = i18n.table()
    missing = []
    for path in [ROOT / "app.py", *ROOT.glob("pages/*.py"), *ROOT.glob("cx/**/*.py")]:
        for key in KEY_CALL.findall(path.read_text(encoding="utf-8")):
            if key not in table:
                missing.append(f"{path.name}: {key}")
    assert not missing, missing


def test_unknown_key_raises_and_lang_normalises():
    import pytest

    with pytest.raises(KeyError):
        i18n.t("no.such.key", "en")
    assert i18n.normalise_lang("EN-us") == "en"
    assert i18n.normalise_lang(None) == "zh"
    assert i18n.normalise_lang("fr") == "zh"
