"""The translation table: every text a person reads, in Chinese and English.

Each area keeps its texts in its own module under ``cx/texts/`` as ``TEXTS = {key:
{"zh": ..., "en": ...}}``; this module merges them and a test checks that every key
has both languages and that no two modules define the same key.

This is the one shape of a translation: enumeration labels are ``enum.<kind>.<key>``
(:mod:`cx.enums` reads them), the metric registry's texts ``metric.<key>.label`` /
``.formula`` / ``.description`` (:mod:`cx.metrics` fills their placeholders), and a key
built at run time is enumerated by ``tests/test_i18n.py``.
"""

from __future__ import annotations

import importlib
import numbers
import pkgutil
import re
from functools import lru_cache

from cx.frames import REORDERING

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

GAP = "—"
"""What a missing value is shown as, in every language (a table's empty cell, a figure
with no data): never nan, None or an empty string."""


def fixed(value: float, digits: int, thousands: bool = False, sign: bool = False) -> str:
    """``value`` with ``digits`` decimals (its thousands separated with ``thousands``), a
    zero never signed ("-0.0" is "0.0"); with ``sign``, a gap's "+" before the rest
    ("+0.0", "+1.2", "-0.004")."""
    text = f"{value:{',' if thousands else ''}.{digits}f}"
    text = text[1:] if text.startswith("-") and not text.strip("-0.") else text
    return "+" + text if sign and not text.startswith("-") else text


def digits_apart(value: float | None, other: float | None, digits: int, most: int = 3) -> int:
    """The decimals to write ``value`` and ``other`` (a figure and its target) with, both:
    ``digits``, or more, up to ``most``, where ``digits`` would write the two alike though
    they differ (a month at 71.95 against a target of 72 read "72.0 / 72.0 · below
    target"; a region's target, its stores' weighted, 63.4658 beside 63.50)."""
    if value is None or other is None or value != value or other != other:
        return digits
    for d in range(digits, max(digits, most) + 1):
        if fixed(value, d) != fixed(other, d):
            return d
    return digits  # equal as far as anyone reads


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
    """The text for ``key`` in ``lang``, formatted with ``fmt``; raises KeyError if unknown.

    Whole numbers are counts and read with their thousands separated (9,927 callbacks,
    n = 22,240), as the figures and tables beside them do; :data:`IDENTIFIERS` (an upload's
    number, the data version) are names, not amounts, and stay as they are."""
    entry = table()[key]
    text = entry.get(lang) or entry[DEFAULT_LANG]
    if not fmt:
        return text
    return text.format(**{k: _count(k, v) for k, v in fmt.items()})


IDENTIFIERS = frozenset({"id", "version"})
"""Placeholders whose whole numbers name something (upload 1234, data version 1031)."""


class _Count(int):
    """A whole number that formats with its thousands separated when no format is given;
    ``{n:s}`` is an English plural's ending: '' for 1, else 's' ("{n} store{n:s}")."""

    __slots__ = ()
    grouped = True

    def __format__(self, spec: str) -> str:
        if spec == "s":
            return "" if self == 1 else "s"
        return format(int(self), spec or ("," if self.grouped else ""))


class _Plain(_Count):
    """A count shown without thousands separators (the command line's, for scripts)."""

    __slots__ = ()
    grouped = False


def plain_counts(fmt: dict[str, object]) -> dict[str, object]:
    """``fmt`` with its whole numbers to be shown plain (12000, not 12,000)."""
    return {k: _Plain(v) if type(v) is int else v for k, v in fmt.items()}


def t_plain_counts(key: str, lang: str = DEFAULT_LANG, **fmt: object) -> str:
    """:func:`t` with its whole numbers plain (12000, not 12,000), English plural endings
    still right: the command line's lines and logs, which scripts read."""
    return t(key, lang, **plain_counts(fmt))


def _count(key: str, value: object) -> object:
    """``value`` as a :class:`_Count` when it is a whole number (numpy's too) of a count."""
    if key in IDENTIFIERS or isinstance(value, bool | _Count):
        return value
    return _Count(int(value)) if isinstance(value, numbers.Integral) else value


def normalise_lang(value: object) -> str:
    """'zh' or 'en' from a query parameter or setting; anything else is the default."""
    text = str(value or "").lower()
    if text.startswith("en"):
        return "en"
    return DEFAULT_LANG


# --------------------------------------------------------------------------- text stays text


class Markup(str):
    """Text already safe to render as Markdown (a translated text with escaped values)."""

    __slots__ = ()


# Markdown escaping that keeps ordinary text (dates, times, numbers) as it is written but
# turns everything that could link, embed, colour or format into literal characters:
# brackets (links, images, ``:red[...]`` directives), emphasis and code marks, HTML, LaTeX,
# autolinks (``http://``, ``www.``, ``a@b.c``), ``:emoji:`` / ``:material/...:`` codes,
# and a heading, list or quote marker at the start.
_NUMBER = re.compile(r"^[+-]?[\d,]*\.?\d+%?$")
_MD_ALWAYS = re.compile(r"([\\`*_{}\[\]<~$|&])")  # & too: '&lt;b&gt;' read '<b>'
_MD_COLON = re.compile(r":(?=[A-Za-z])")
# Streamlit draws ':material/warning:' as an icon and ':smile:', ':100:', ':+1:' as emoji
# whatever the backslash before the colon: a word joiner after the colon breaks the code.
_MD_SHORTCODE = re.compile(r":(?=[\w+/-]+:)")
_MD_AUTOLINK = re.compile(r"(?i)(://|www\.|@(?=\w))")
_MD_LINE_START = re.compile(r"^(\s*)(?:([#>+=-])|(\d+)([.)]))")
# Streamlit turns e-mail addresses, ``http://`` and ``www.`` in text into links whatever
# the escaping; an invisible word joiner (U+2060) inside them keeps them plain text.
_JOINER = "\u2060"
# control characters, but a tab; and the invisible ones that reorder or hide text: a
# store named with a right-to-left override (U+202E) turned the sentence after it, its
# figures included, backwards ('RTL0.0 SPN' for 'NPS 0.0'), zero-width spaces hid in names
_CONTROL = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{REORDERING}]")


def plain_text(value: object) -> str:
    """``value`` as plain text on one line: its whitespace runs one space, its control
    and reordering characters (:data:`_CONTROL`) removed (a chat shows them as they act)."""
    return " ".join(_CONTROL.sub("", str(value)).split())


def md_escape(value: object) -> str:
    """``value`` as Markdown that shows exactly its characters (no link, image, colour)."""
    if isinstance(value, Markup):
        return value
    if _NUMBER.match(str(value)):
        return str(value)  # '-3.5', '+1.2', '72.0%': nothing to escape, and shown as is
    text = str(value).replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    text = _CONTROL.sub("", text)  # a terminal's escapes (a store named with ESC[31m)
    text = _MD_ALWAYS.sub(r"\\\1", text)
    text = _MD_COLON.sub(r"\\:", text)
    text = _MD_SHORTCODE.sub(":" + _JOINER, text)
    text = _MD_AUTOLINK.sub(lambda m: m.group(1)[0] + _JOINER + m.group(1)[1:], text)
    return _MD_LINE_START.sub(
        lambda m: (
            m.group(1) + ("\\" + m.group(2) if m.group(2) else m.group(3) + "\\" + m.group(4))
        ),
        text,
    )


def t_markdown(key: str, lang: str = DEFAULT_LANG, **fmt: object) -> Markup:
    """:func:`t` for Markdown output: every value is escaped unless it is already Markup.

    Numbers are left as they are; strings (store names, comments, owners, headers) are
    shown literally.
    """
    safe = {
        k: v if isinstance(v, Markup | int | float) and not isinstance(v, bool) else md_escape(v)
        for k, v in fmt.items()
    }
    return Markup(t(key, lang, **safe))
