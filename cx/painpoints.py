"""Detractor reasons: the answer's pain point, else transparent keyword rules on the comment.

A detractor who picked a pain point keeps it (rule ``"answer"``). One who did not gets
the first rule below whose keyword occurs in the comment (Chinese as a plain substring,
English case-insensitively at the start of a word, so "wait" matches "waited" and
"waiting"). Rules are tried in table order: a comment such as "等了三个小时，没人告诉进度"
is a waiting complaint before it is a communication one. A comment no rule matches, and
a missing comment, count as ``"other"`` (rules ``"unclassified"`` / ``"no_comment"``).

Pure: no I/O, no streamlit. The page shows :data:`RULES` as a table, so a reader can see
exactly why a comment landed where it did.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from cx import enums
from cx.enums import PAIN_POINTS
from cx.frames import map_distinct
from cx.i18n import GAP, t

ANSWER = "answer"
"""Rule name when the answer itself carried a pain point."""
UNCLASSIFIED = "unclassified"
"""Rule name when a comment matched no keyword."""
NO_COMMENT = "no_comment"
"""Rule name when there was neither a pain point nor a comment."""
OTHER = "other"
# The rules under which a reason is not read from the comment by a keyword.
NOT_READ = (ANSWER, UNCLASSIFIED, NO_COMMENT)

# (pain point, Chinese keywords, English keywords); first matching rule wins.
RULES: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    ("waiting", ("等", "小时", "慢", "排队"), ("wait", "hour", "slow", "queue")),
    (
        "unresolved",
        ("返修", "修了两次", "没修好", "没解决", "又亮", "老问题"),
        ("again", "repeat", "not fixed", "still broken", "came back"),
    ),
    ("cost", ("费", "价", "收了", "贵"), ("price", "cost", "expensive", "overcharg", "invoice")),
    (
        "attitude",
        ("态度", "冷漠", "爱答不理", "没人理", "冷着脸"),
        ("rude", "attitude", "impolite", "ignored"),
    ),
    (
        "communication",
        ("说好", "承诺", "没人告诉", "没人回", "回电话", "催"),
        ("promise", "nobody told", "no one told", "never called", "call back"),
    ),
]


def _is_blank(text: object) -> bool:
    return text is None or (isinstance(text, float) and text != text) or not str(text).strip()


@lru_cache(maxsize=1)
def _compiled() -> list[tuple[str, list[tuple[str, re.Pattern | None]]]]:
    out = []
    for pain, zh, en in RULES:
        pats: list[tuple[str, re.Pattern | None]] = [(k, None) for k in zh]
        pats += [(k, re.compile(r"\b" + re.escape(k), re.IGNORECASE)) for k in en]
        out.append((pain, pats))
    return out


@lru_cache(maxsize=4096)
def classify(comment: str | None) -> tuple[str | None, str | None]:
    """(pain point, keyword that fired) for a comment, or (None, None) when no rule fires."""
    if _is_blank(comment):
        return None, None
    text = str(comment)
    for pain, pats in _compiled():
        for keyword, pattern in pats:
            if (pattern is None and keyword in text) or (pattern and pattern.search(text)):
                return pain, keyword
    return None, None


def reason_for(pain_point: object, comment: object) -> tuple[str, str]:
    """(reason, rule) of one detractor: the answer's pain point, a keyword rule, or other."""
    if not _is_blank(pain_point):
        return str(pain_point), ANSWER
    if _is_blank(comment):
        return OTHER, NO_COMMENT
    pain, keyword = classify(str(comment))
    if pain is None:
        return OTHER, UNCLASSIFIED
    return pain, str(keyword)


def reason_shown(frame: pd.DataFrame, lang: str, missing: str = GAP) -> pd.Series:
    """Each answer's reason as a person reads it (a callback card, the queue, the weekly
    report): the pain point the customer chose; else, for a detractor whose comment the
    keyword rules read (as the segments page and the weekly report count them), that
    reason marked as read from the comment; else ``missing``. ``frame``: columns
    pain_point and, if stored, reason and reason_rule (:data:`cx.db.REASON_COLUMNS`)."""

    def named(key: object) -> str:
        blank = key is None or key is pd.NA or _is_blank(key)
        return missing if blank else enums.label(PAIN_POINTS, str(key).strip(), lang)

    chosen = map_distinct(frame["pain_point"], named)
    if "reason_rule" not in frame.columns:
        return chosen
    rules = frame["reason_rule"]
    none_chosen = frame["pain_point"].fillna("").astype(str).str.strip().eq("")
    read = none_chosen & rules.notna() & ~rules.isin(NOT_READ)
    if not read.any():
        return chosen
    note = t("board.cb.reason_from_comment", lang)
    inferred = map_distinct(frame.loc[read, "reason"], lambda key: f"{named(key)}{note}")
    shown = chosen.to_numpy(dtype=object, copy=True)  # by position: an index may repeat
    shown[read.to_numpy()] = inferred.to_numpy()
    return pd.Series(shown, index=frame.index)


def rule_table(lang: str = "zh") -> pd.DataFrame:
    """The rules as a table: order, pain point (key and label), Chinese and English keywords."""
    rows = []
    for i, (pain, zh, en) in enumerate(RULES, start=1):
        rows.append(
            {
                "order": i,
                "pain_point": pain,
                "label": enums.text(PAIN_POINTS.kind, pain, lang),
                "zh": " / ".join(zh),
                "en": " / ".join(en),
            }
        )
    return pd.DataFrame(rows)


def _order(reasons: list[str], counts: dict[str, int]) -> list[str]:
    """Largest first, 'other' always last (a Pareto's catch-all)."""
    known = [r for r in reasons if r != OTHER]
    known.sort(key=lambda r: (-counts[r], r))
    return known + ([OTHER] if OTHER in reasons else [])


def reason_table(pain_counts: pd.DataFrame, comment_counts: pd.DataFrame) -> pd.DataFrame:
    """The Pareto table of detractor reasons.

    ``pain_counts``: columns pain_point, n (detractors whose answer carried a pain point).
    ``comment_counts``: columns comment, n (detractors without one, grouped by comment;
    comment may be missing).
    Returns one row per reason, largest first and 'other' last, with n, share,
    cum_share (0-1), n_answer, n_keyword, n_unclassified and ``keywords`` (the keywords
    that fired with their counts, e.g. "等 ×12, wait ×3"). Empty input -> empty frame.
    """
    rows = [
        (*reason_for(pain, None), n)
        for pain, n in pain_counts[["pain_point", "n"]].itertuples(index=False, name=None)
    ]
    rows += [
        (*reason_for(None, comment), n)
        for comment, n in comment_counts[["comment", "n"]].itertuples(index=False, name=None)
    ]
    return pareto(pd.DataFrame(rows, columns=["reason", "rule", "n"]))


def pareto(rule_counts: pd.DataFrame) -> pd.DataFrame:
    """:func:`reason_table` of detractors counted already by reason and rule (columns
    reason, rule, n: the rule is :data:`ANSWER`, :data:`UNCLASSIFIED`,
    :data:`NO_COMMENT` or the keyword that fired, as :func:`reason_for` gives them)."""
    counts: dict[str, dict[str, int]] = {}
    for reason, rule, n in rule_counts[["reason", "rule", "n"]].itertuples(index=False, name=None):
        counts.setdefault(reason, {})
        counts[reason][rule] = counts[reason].get(rule, 0) + int(n)
    cols = ["reason", "n", "share", "cum_share", "n_answer", "n_keyword", "n_unclassified"]
    totals = {r: sum(v.values()) for r, v in counts.items() if sum(v.values()) > 0}
    if not totals:
        return pd.DataFrame(columns=[*cols, "keywords"])
    grand = sum(totals.values())
    rows = []
    cum = 0
    for reason in _order(list(totals), totals):
        rules = counts[reason]
        cum += totals[reason]
        fired = sorted(
            ((k, v) for k, v in rules.items() if k not in (ANSWER, UNCLASSIFIED, NO_COMMENT)),
            key=lambda kv: (-kv[1], kv[0]),
        )
        rows.append(
            {
                "reason": reason,
                "n": totals[reason],
                "share": totals[reason] / grand,
                "cum_share": cum / grand,
                "n_answer": rules.get(ANSWER, 0),
                "n_keyword": sum(v for _, v in fired),
                "n_unclassified": rules.get(UNCLASSIFIED, 0) + rules.get(NO_COMMENT, 0),
                "keywords": ", ".join(f"{k} ×{v}" for k, v in fired),
            }
        )
    return pd.DataFrame(rows)
