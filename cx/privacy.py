"""Masking of personal data (phone, customer name, plate) wherever it is shown or exported.

Masked: the personal columns of any frame (:func:`mask_frame`), phones and plates in
free text (:func:`mask_text`), and rejected raw lines, field by field with the upload's
header mapping (:func:`mask_raw_lines`). Stored data stays intact; only what is shown
or exported is masked.
"""

from __future__ import annotations

import csv
import io
import json
import re
import string
from collections.abc import Callable

import pandas as pd

from cx import config
from cx.frames import map_distinct

PERSONAL_COLUMNS = ("phone", "customer_name", "plate")
# Free text in which a customer (or a colleague, in a callback's note or owner) may have
# written a phone number or a plate.
FREE_TEXT_COLUMNS = ("comment", "note", "owner")
# Columns whose phones, plates and numbers are masked as in free text, the answer's own
# name aside: an advisor's name is staff's and shown, but an export's advisor column
# held a phone number, shown and exported whole on the cards, the split and the digest.
PATTERN_COLUMNS = (*FREE_TEXT_COLUMNS, "advisor")


def mask_phone(value: object) -> object:
    """Keep the first 3 and last 4 digits of a phone, whatever its format.

    '13800138000', '138-0013-8000', '138 0013 8000' and '+8613800138000' all show as
    '138****8000'; a landline '0571-88886666' as '057*****6666'; an 8-digit '88886666' as
    '8****666'. Values with fewer than 7 digits keep at most their last 2 characters,
    and a value without a digit (a name in a row whose cells moved over) none.
    """
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return value
    text = str(value).strip()
    digits = re.sub(r"\D", "", text).translate(_FULL_WIDTH_DIGITS)
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    elif digits.startswith("0086") and len(digits) == 15:
        digits = digits[4:]
    if len(digits) >= 9:
        return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
    if len(digits) >= 7:
        return digits[:1] + "*" * (len(digits) - 4) + digits[-3:]
    if not digits:
        return "*" * len(text)
    return "*" * max(len(text) - 2, 0) + text[-2:]


def mask_name(value: object) -> object:
    """'张三丰' -> '张**'; 'Li Lei' -> 'L*****'."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return value
    text = str(value).strip()
    return text[:1] + "*" * max(len(text) - 1, 1) if text else text


def mask_plate(value: object) -> object:
    """'浙A·12345' -> '浙A·***45'."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return value
    text = str(value).strip()
    keep = 3 if len(text) > 5 else 1
    return text[:keep] + "*" * max(len(text) - keep - 2, 1) + text[-2:]


MASKERS = {"phone": mask_phone, "customer_name": mask_name, "plate": mask_plate}


def mask_frame(frame: pd.DataFrame, allowed: bool | None = None) -> pd.DataFrame:
    """A copy with personal columns masked (and phones and plates in comments and notes),
    unless the viewer may see them."""
    if allowed is None:
        allowed = config.show_personal_data()
    if allowed:
        return frame
    out = frame.copy()
    if "customer_name" in out.columns:  # the answer's own name, written in its comment
        for col in (c for c in FREE_TEXT_COLUMNS if c in out.columns):
            out[col] = [
                _without_name(text, name)
                for text, name in zip(out[col], out["customer_name"], strict=True)
            ]
    for col, fn in MASKERS.items():
        if col in out.columns:
            out[col] = map_distinct(out[col], fn)
    for col in PATTERN_COLUMNS:
        if col in out.columns:
            out[col] = map_distinct(out[col], mask_text)
    return out


def mask_comment(text: object, name: object) -> object:
    """One answer's comment as shown: its own ``name`` and any phone or plate masked
    (:func:`mask_frame` does this for a frame's rows)."""
    return mask_text(_without_name(text, name))


def _without_name(text: object, name: object) -> object:
    """``text`` with the answer's own customer name (two characters or more) masked where
    it is written in it ('我是王伟，…' beside a name column of 王伟). Another name in a
    comment is not recognised."""
    if not isinstance(text, str) or not isinstance(name, str):
        return text
    name = name.strip()
    if len(name) < 2 or name not in text:
        return text
    return text.replace(name, str(mask_name(name)))


# Phones inside free text: mainland mobiles with or without +86 and with spaces, dashes,
# dots, slashes or underscores ('+86 138-0013-8000', '+86 (139) 1234-5678'), landlines
# with an area code ('0571-88886666', '(0571)8888 6666').
# The guards are digits only: a number within a longer one stays, one written against
# Chinese text ('手机13912345678', '座机0571-88886666找李娜') or English words
# ('tel13912345678', 'phone13812345678', 'number is13912345678', '13912345678abc': a
# letter guard had left those whole) is masked; one after an order code's capital prefix
# or between letters is a code ('订单号 SO13912345678', 'A13912345678X',
# :func:`_phone_in_text`). Full-width digits and dashes
# (１３９－１２３４－５６７８, typed with a Chinese input method) are read as their ASCII forms.
# a digit; a separator: a space or two, or a dash, dot, slash or underscore with a space
# either side or none ('139 - 1234 - 5678', '139/1234/5678', '139_1234_5678': a review
# found those whole)
_D, _S = "[0-9０-９]", r"(?:\s?[\-－.．/／_]\s?|\s{1,2})"
_PHONE_IN_TEXT = re.compile(
    # a mobile, after +86, 0086 or 86 if any: 3-4-4 digits or 4-3-4 ('1380 013 8000')
    rf"(?<![0-9０-９+＋])(?:(?:[+＋]|[0０]{{2}})?[8８][6６]{_S}?)?[(（]?[1１][3-9３-９]{_D}[)）]?"
    rf"(?:{_S}?{_D}{{4}}{_S}?{_D}{{4}}|{_D}{_S}{_D}{{3}}{_S}{_D}{{4}})(?![0-9０-９])"
    # a landline with its area code
    rf"|(?<![0-9０-９])[(（]?[0０]{_D}{{2,3}}[)）]?{_S}?{_D}{{3,4}}{_S}?{_D}{{4}}(?![0-9０-９])"
)


def _phone_in_text(m: re.Match[str]) -> str:
    """A phone found by :data:`_PHONE_IN_TEXT`, masked, unless it is part of a code: an
    order number's capital prefix of one to three letters ('A13912345678', 'SO13912345678';
    not V, VX, WX or TEL: '加V13912345678' is a WeChat number), or letters on both sides
    ('A13912345678X'). A word before it ('tel', 'is') or a letter after it alone ('手机
    13912345678v同号') leaves it a phone."""
    text, start, end = m.string, m.start(), m.end()
    first, last = start, end  # the ASCII letters against it, walked from the match (a
    # search of the whole text before each match went over a long raw line again and again)
    while first > 0 and text[first - 1] in _ASCII_LETTERS:
        first -= 1
    while last < len(text) and text[last] in _ASCII_LETTERS:
        last += 1
    head, tail = text[first:start], text[end:last]
    if head and tail:
        return m.group(0)
    if head.isupper() and len(head) <= 3 and head not in _PHONE_WORDS:
        return m.group(0)
    return str(mask_phone(m.group(0)))


# Capital letters before a number that say it is a phone, not an order code's prefix.
_PHONE_WORDS = {"V", "VX", "WX", "TEL", "MOB", "PH", "WEI"}
_ASCII_LETTERS = frozenset(string.ascii_letters)


_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
# Chinese licence plates: province, letter, then 5 (6 for new energy) letters or digits.
# Typed in lower case ('浙a12345') with at least three digits: a plate has at most two
# letters after its city's, and '新iPhone12' or '江苏market' are no plates.
_PROVINCES = "[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]"
# Five letters and digits after the city's letter, six for a new-energy plate (D or F first
# or last), and nothing of the same kind after: '新A6L2023款' and '新GLC300L' are car models.
_PLATE_TAIL = r"(?:[DFdf][A-Za-z0-9]{5}|[A-Za-z0-9]{5}[DFdf]|[A-Za-z0-9]{5})(?![A-Za-z0-9])"
_PLATE_IN_TEXT = re.compile(
    rf"{_PROVINCES}[A-Z][·•\s-]?(?=[A-Z0-9]{{5,6}}(?![a-z]))"
    + _PLATE_TAIL
    + rf"|{_PROVINCES}[A-Za-z][·•\s-]?(?=(?:[A-Za-z]?\d){{3}})"
    + _PLATE_TAIL
)
# Headers of personal columns a mapping may have left unmatched (raw lines keep them):
# also a vehicle's VIN (车架号) and an identity card's number (身份证号), which dealer
# systems export beside the survey.
_PERSONAL_HEADER = re.compile(
    r"姓名|客户名|车主|联系人|称呼|手机|电话|联系方式|车牌|车架|车辆识别|身份证|证件"
    r"|name|phone|mobile|tel|plate|(?<![a-z])(?:vin|id.?card|id.?no)(?![a-z])",
    re.IGNORECASE,
)
# A mainland identity card's number inside free text: 18 characters, a region, a birth
# date and a check digit or X ('330106199001011234'), or the first generation's 15
# digits, the year in two ('330102900101123'): its first four and last four kept.
_ID_IN_TEXT = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
    r"\d{3}[\dXx](?![0-9A-Za-z])"
    r"|(?<![0-9A-Za-z])[1-9]\d{5}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}(?![0-9A-Za-z])"
)
# A vehicle identification number (VIN, 车架号) inside free text: 17 letters and digits
# without I, O or Q, at least one of each ('LSVAM4187C2184952'): its maker's three and
# last four kept, as a phone keeps its last four.
_VIN_IN_TEXT = re.compile(
    r"(?<![0-9A-Za-z])(?=[A-HJ-NPR-Z0-9]{0,16}[A-HJ-NPR-Z])(?=[A-HJ-NPR-Z0-9]{0,16}\d)"
    r"[A-HJ-NPR-Z0-9]{17}(?![0-9A-Za-z])",
    re.IGNORECASE,  # typed in a comment as it comes
)


def _keep_ends(text: str, head: int) -> str:
    """``text`` with all but its first ``head`` and last four characters starred."""
    return text[:head] + "*" * (len(text) - head - 4) + text[-4:]


# A local landline without area code, when the text says it is a phone ('电话 88886666').
_LOCAL_PHONE_IN_TEXT = re.compile(
    r"((?:电话|手机|座机|联系|tel|phone)\D{0,4})(\d{7,8})(?!\d)", re.IGNORECASE
)


# An IPv4 address (survey tools export the answerer's: 问卷星's 来自IP): its last two parts
# are masked ('10.0.*.*'), as a phone's middle is. ASCII guards only: Chinese text
# around it is not a boundary to \b.
_IPV4_IN_TEXT = re.compile(
    r"(?<![0-9A-Za-z.])((?:25[0-5]|2[0-4]\d|1?\d?\d)\.(?:25[0-5]|2[0-4]\d|1?\d?\d))"
    r"\.(?:25[0-5]|2[0-4]\d|1?\d?\d)\.(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![0-9A-Za-z.])"
)


# What :func:`mask_text` masks, in order: (pattern, the group that is the personal
# piece, that piece masked). One list serves the masking and :func:`_pieces`.
_IN_TEXT: tuple[tuple[re.Pattern[str], int, Callable[[re.Match[str]], str]], ...] = (
    (_ID_IN_TEXT, 0, lambda m: _keep_ends(m.group(0), 4)),
    (_VIN_IN_TEXT, 0, lambda m: _keep_ends(m.group(0), 3)),
    (_PHONE_IN_TEXT, 0, _phone_in_text),
    (_LOCAL_PHONE_IN_TEXT, 2, lambda m: str(mask_phone(m.group(2)))),
    (_IPV4_IN_TEXT, 0, lambda m: m.group(1) + ".*.*"),
    (_PLATE_IN_TEXT, 0, lambda m: str(mask_plate(m.group(0)))),
)


def _replacer(group: int, mask: Callable[[re.Match[str]], str]) -> Callable[[re.Match[str]], str]:
    """A match as :func:`mask_text` writes it: its ``group`` masked, the rest kept."""

    def replace(m: re.Match[str]) -> str:
        whole, start = m.group(0), m.start()
        return whole[: m.start(group) - start] + mask(m) + whole[m.end(group) - start :]

    return replace


_SUBS = tuple((pattern, _replacer(group, mask)) for pattern, group, mask in _IN_TEXT)


def mask_text(value: object) -> object:
    """Mask phone numbers, plates, IP addresses, identity card numbers and VINs inside
    free text (a comment, a raw line)."""
    if not isinstance(value, str):
        return value
    for pattern, replace in _SUBS:
        value = pattern.sub(replace, value)
    return value


def _pieces(text: str) -> list[tuple[str, str]]:
    """(as stored, as :func:`mask_text` shows it) of each piece :func:`mask_text` masks
    in ``text``."""
    return [
        (m.group(group), mask(m))
        for pattern, group, mask in _IN_TEXT
        for m in pattern.finditer(text)
    ]


def shown_text(value: object, allowed: bool | None = None) -> object:
    """Free text as it is shown: masked (:func:`mask_text`) unless the viewer may see
    personal data. An edit box's text is saved back through :func:`kept_text`; an
    advisor (or a 'store · advisor' label) is shown so too (:data:`PATTERN_COLUMNS`)."""
    if allowed is None:
        allowed = config.show_personal_data()
    return value if allowed else mask_text(value)


def kept_text(stored: object, edited: str) -> str:
    """``edited``, a text shown masked (:func:`shown_text`) and perhaps changed, with
    each masked piece the person left as it was put back as stored: saving a callback's
    note must not replace a customer's number with its stars (nor show it whole in the
    box to the next person who edits it)."""
    if not isinstance(stored, str) or not stored:
        return edited
    for piece, masked in _pieces(stored):
        if masked != piece and masked in edited:
            edited = edited.replace(masked, piece, 1)
    return edited


def personal_positions(pairs: list[list[str]] | None) -> dict[int, str]:
    """Field index -> masker name for a header mapping ([header, canonical] pairs).

    Mapped personal columns use their own masker; an unmapped header that reads like a
    name, phone or plate is masked as a name (nothing of it is needed to fix a row).
    """
    out: dict[int, str] = {}
    for i, (header, canonical) in enumerate(pairs or []):
        if canonical in MASKERS:
            out[i] = canonical
        elif not canonical and _PERSONAL_HEADER.search(str(header)):
            out[i] = "customer_name"
    return out


def mask_raw_line(line: object, delimiter: str = ",", positions: dict[int, str] | None = None):
    """A raw source line with personal fields masked (by position) and phones and plates
    masked anywhere in it; the line keeps its delimiter and quoting."""
    return _masked_line(line, delimiter, positions)[0]


def _masked_line(
    line: object, delimiter: str, positions: dict[int, str] | None
) -> tuple[object, list[str]]:
    """:func:`mask_raw_line`'s line, and the names in the line's name columns (a reason
    about the line may quote one)."""
    if not isinstance(line, str):
        return line, []
    try:
        fields = next(csv.reader([line], delimiter=delimiter or ","))
    except (csv.Error, StopIteration):
        return mask_text(line), []
    names = [fields[i] for i, kind in (positions or {}).items()
             if kind == "customer_name" and i < len(fields)]  # fmt: skip
    for name in names:  # the row's own name, written in its other cells (a comment)
        fields = [_without_name(f, name) for f in fields]
    for i, kind in (positions or {}).items():
        if i < len(fields) and fields[i]:
            fields[i] = str(MASKERS[kind](fields[i]))
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter or ",", lineterminator="").writerow(
        [mask_text(f) for f in fields]
    )
    return buf.getvalue(), names


def mask_raw_lines(
    frame: pd.DataFrame,
    allowed: bool | None = None,
    delimiter: str = ",",
    mapping: list[list[str]] | None = None,
) -> pd.DataFrame:
    """A copy of a rejects frame whose ``raw_line`` shows no name, phone or plate, and whose
    reasons show no phone or plate (a reason quotes the value it is about: a phone moved
    into the score's column by a missing cell).

    Rows that carry their upload's ``delimiter`` and ``mapping`` (JSON pairs) columns use
    them; otherwise ``delimiter`` and ``mapping`` apply to every row.
    """
    if allowed is None:
        allowed = config.show_personal_data()
    if allowed or "raw_line" not in frame.columns or frame.empty:
        return frame.drop(columns=[c for c in ("delimiter", "mapping") if c in frame.columns])
    default = personal_positions(mapping)
    of_upload: dict[str, dict[int, str]] = {}  # each upload's mapping read once, not per row
    masked, names = [], []
    for row in frame.to_dict("records"):
        delim = row.get("delimiter") or delimiter
        pairs = row.get("mapping")
        positions = default
        if isinstance(pairs, str) and pairs:
            if pairs not in of_upload:
                of_upload[pairs] = personal_positions(json.loads(pairs))
            positions = of_upload[pairs]
        line, own = _masked_line(row["raw_line"], delim, positions)
        masked.append(line)
        names.append(own)
    out = frame.assign(raw_line=masked)
    for col in ("reason", "reason_zh"):  # a reason quotes the cell it is about
        if col in out.columns:
            reasons = map_distinct(out[col], mask_text).to_list()
            for i, own in enumerate(names):  # the row's own name, quoted ('nps '李四'')
                for name in own:
                    reasons[i] = _without_name(reasons[i], name)
            out[col] = reasons
    return out.drop(columns=[c for c in ("delimiter", "mapping") if c in out.columns])


def contact(con, response_id: str) -> dict[str, object]:
    """One answer's contact details, unmasked (name, phone, plate).

    Only through ``cx.access.perform`` (registered as the audited ``reveal`` write for
    analysts and admins, within their stores): every reveal is in the audit log.
    """
    rows = con.execute(
        "SELECT customer_name, phone, plate FROM responses WHERE response_id = ?", [response_id]
    ).fetchall()
    if not rows:
        return {}
    return dict(zip(("customer_name", "phone", "plate"), rows[0], strict=True))
