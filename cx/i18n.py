"""The translation table: every text a person reads, in Chinese and English.

Each area keeps its texts in its own module under ``cx/texts/`` as ``TEXTS = {key:
{"zh": ..., "en": ...}}``; this module merges them and a test checks that every key
has both languages and that no two modules define the same key.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"


@lru_cache(maxsize=1)
def table() -> dict[str, dict[str, str]]:
    """All texts, merged from the modules of ``cx.texts``."""
    import cx.texts as pkg

    merged: dict[str, dict[str, str]] = {}
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"cx.texts.{info.name}")
        for key, value in getattr(module, "TEXTS", {}).items():
            if key in merged:
                raise KeyError(f"text key {key!r} defined twice (cx.texts.{info.name})")
            merged[key] = value
    return merged


def t(key: str, lang: str = DEFAULT_LANG, **fmt: object) -> str:
    """The text for ``key`` in ``lang``, formatted with ``fmt``; raises KeyError if unknown."""
    entry = table()[key]
    text = entry.get(lang) or entry[DEFAULT_LANG]
    return text.format(**fmt) if fmt else text


def normalise_lang(value: object) -> str:
    """'zh' or 'en' from a query parameter or setting; anything else is the default."""
    text = str(value or "").lower()
    if text.startswith("en"):
        return "en"
    return DEFAULT_LANG
