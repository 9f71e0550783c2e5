"""The morning digest: what a manager must know before 9:00, for a scheduler to mail.

``build(con, day, store=None, region=None)`` returns plain data: NPS drops beyond
noise (:func:`cx.queries.signals.drop_review`), score-gaming flags for review
(:func:`cx.queries.signals.gaming_review`), both with false discoveries controlled
across everything tested (Benjamini-Hochberg at ``cx.signals.FDR``), and overdue
detractor callbacks (the board's rule, as of the end of ``day``), and, for the network
or a region, the stores without answers on ``day`` that usually have them
(:func:`cx.queries.board.silent_stores`). ``markdown`` and
``to_json`` render it; texts come from ``cx/texts/digest.py``. ``day`` is the last
day whose answers count: a job at 07:00 passes yesterday's date.

The board shows the same items (``cx.ui.board``); the command line is
``python -m cx digest`` (:mod:`cx.cli`).
"""

from __future__ import annotations

import json
import math
from datetime import date

import duckdb

from cx import demo, followups, i18n, privacy, signals
from cx.frames import store_label
from cx.queries import board as qb
from cx.queries import signals as qs
from cx.scope import Scope

OVERDUE_SHOWN = 10
"""Stores with overdue callbacks, or without answers on the day, listed one by one in the
Markdown (JSON has them all)."""


class DigestRefused(ValueError):
    """A digest that cannot be made (unknown store or region); one line for the user,
    ``message_zh`` in Chinese."""

    def __init__(self, message: str, message_zh: str = "") -> None:
        super().__init__(message)
        self.message_zh = message_zh


def _stores(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, str]]:
    rows = con.execute(
        "SELECT store_id, coalesce(store_name, store_id), coalesce(region, '') FROM stores"
    ).fetchall()
    return {sid: (name, region) for sid, name, region in rows}


def selection(store: str | None = None, region: str | None = None) -> Scope:
    """The board's scope for one store, one region or the network."""
    if store:
        return Scope.of_store(store)
    if region:
        return Scope.of_region(region)
    return Scope()


def build(
    con: duckdb.DuckDBPyConnection,
    day: date,
    store: str | None = None,
    region: str | None = None,
) -> dict:
    """The digest for ``day`` (see the module docstring) over every store, one store or
    one region. Raises :class:`DigestRefused` for an unknown store or region."""
    known = _stores(con)
    if store and region:
        raise DigestRefused(
            "choose a store or a region, not both", "请选一家门店或一个区域，不要同时选。"
        )
    if store and store not in known:
        raise DigestRefused(f"unknown store {store!r}", f"没有门店“{store}”")
    if region and region not in {r for _, r in known.values()}:
        raise DigestRefused(f"unknown region {region!r}", f"没有区域“{region}”")
    if store:
        scope = (store,)
    elif region:
        scope = tuple(sorted(s for s, (_, r) in known.items() if r == region))
    else:
        scope = ()
    name = lambda sid: known.get(sid, (sid, ""))[0]  # noqa: E731

    drops = qs.drop_review(con, day, scope)
    drop_items = [
        {
            "store_id": r["store_id"],
            "store_name": name(r["store_id"]),
            "nps": round(r["nps"], 1),
            "n": int(r["n"]),
            "nps_before": round(r["nps_before"], 1),
            "n_before": int(r["n_before"]),
            "change": round(r["change"], 1),
            "q_value": float(r["q_value"]),
        }
        for r in drops[drops["flag"]].to_dict("records")
    ]
    gaming = signals.gaming_flags(qs.gaming_review(con, day, scope))
    for item in gaming:
        item["store_name"] = name(item["store_id"])
    # overdue as the board of ``day`` counts them (cx.views.board): at the day's end, the
    # follow-ups as they stood then, or, for the latest day with answers, now (the job
    # at 07:00 had counted yesterday's end, and the board at 8:30 more)
    where = selection(store, region)
    latest = qb.latest_day(con, where)
    clock, stale = followups.queue_now(qb.latest_answer(con))
    now, past = followups.moment(day, clock, latest)
    answers = qb.answers_on(con, where, day)
    # stores whose answers stopped, while the others make the day look whole (one store's
    # own digest says it has no answers instead; cx.queries.board.silent_stores's rule)
    silent = qb.silent_stores(con, where, day) if answers and not store else None
    silent_items = (
        []
        if silent is None
        else [
            {
                "store_id": r["store_id"],
                "store_name": name(r["store_id"]),
                "latest_day": f"{r['latest']:%Y-%m-%d}",
                "days_with_answers": int(r["days"]),
                "answers": int(r["n"]),
            }
            for r in silent.to_dict("records")
        ]
    )
    overdue = qb.overdue_by_store(con, where, now, followups.QUEUE_WINDOW_DAYS, past)
    overdue_items = [
        {"store_id": r["store_id"], "store_name": name(r["store_id"]), "count": int(r["overdue"])}
        for r in overdue.to_dict("records")
        if int(r["overdue"]) > 0
    ]
    return {
        "date": day.isoformat(),
        "scope": {"store": store, "region": region},
        # the day's answers in the scope, and the latest day with any: a job passing a
        # day without answers (the uploads stopped) says so instead of 'none' everywhere
        "answers": int(answers),
        # the scope's answers (any day) that are the demo's generated ones: the
        # Markdown says so, as the pages do
        "demo_answers": int(demo.demo_rows(con, where)),
        "latest_day": latest.isoformat() if latest else None,
        # stores without answers on the day that usually have them (silent_stores)
        "silent_stores": silent_items,
        "fdr": signals.FDR,
        "drops": drop_items,
        "gaming": [
            {
                "store_id": g["store_id"],
                "store_name": g["store_name"],
                "advisor": privacy.shown_text(g["advisor"]),  # a phone in it masked
                "signals": g["signals"],
                "q_value": g["q_value"],
            }
            for g in gaming
        ],
        "overdue_callbacks": overdue_items,
        # when they were counted, as the board says it: now, the day's end (a past day),
        # or the data's last moment (a database whose answers stopped days ago)
        "overdue_as_of": now.isoformat(sep=" ", timespec="minutes"),
        "overdue_counted": "day_end" if past else "data_end" if stale else "now",
    }


def to_json(digest: dict) -> str:
    """The digest as JSON (UTF-8 text, Chinese kept readable)."""

    def clean(v):
        if isinstance(v, float) and not math.isfinite(v):
            return None
        if isinstance(v, dict):
            return {k: clean(x) for k, x in v.items()}
        if isinstance(v, list):
            return [clean(x) for x in v]
        return v

    return json.dumps(clean(digest), ensure_ascii=False, indent=2)


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def month_end_span(end: date) -> str:
    """The whole months the month-end test of a review ending ``end`` counts
    (:func:`cx.queries.signals.month_end_months`), '2025-08 – 2025-10': not the review's
    window, which its label names."""
    months = qs.month_end_months(end)
    return f"{months[0][0]:%Y-%m} – {months[-1][0]:%Y-%m}"


def signal_text(s: dict, lang: str, months: str) -> str:
    """One gaming signal in words: what is high, against what (the month-end test with
    ``months``, the review's :func:`month_end_span`)."""
    return i18n.t(
        f"digest.signal.{s['signal']}",
        lang,
        rate=_pct(s["rate"]),
        ref=_pct(s["ref_rate"]),
        x=s["x"],
        n=s["n"],
        months=months,
    )


AS_OF = {
    "now": "digest.overdue_as_of.now",
    "day_end": "digest.overdue_as_of.day_end",
    "data_end": "digest.overdue_as_of.data_end",
}
"""The sentence saying when the overdue callbacks were counted, by ``overdue_counted``."""


def markdown(digest: dict, lang: str = "zh") -> str:
    """The digest as Markdown in ``lang`` ('zh' or 'en')."""
    # names from the data (stores, advisors) are written as text: a name cannot add a
    # link or an image that a mail client would fetch
    # counts plain (1236, not 1,236): scripts read the digest
    t = lambda key, **fmt: i18n.t_markdown(key, lang, **i18n.plain_counts(fmt))  # noqa: E731
    scope = digest["scope"]
    where = scope["store"] or scope["region"] or t("digest.all_stores")
    lines = [f"# {t('digest.title', date=digest['date'], scope=where)}", ""]
    if not digest["answers"]:
        latest = digest["latest_day"]
        # a day before the latest (a holiday): nothing stopped (it said they may have)
        key = "digest.no_answers_day" if latest and latest > digest["date"] else "digest.no_answers"
        said = t(key, date=digest["date"], latest=latest) if latest else None
        lines += [f"**{said or t('digest.no_answers_ever', date=digest['date'])}**", ""]
    if digest.get("demo_answers"):  # the figures below are partly or wholly made up
        lines += [f"**{t('digest.demo')}**", ""]
    silent = digest.get("silent_stores") or []
    if silent:
        lines += [f"## {t('digest.silent', date=digest['date'])}", ""]
        for s in silent[:OVERDUE_SHOWN]:
            lines.append(
                "- "
                + t(
                    "digest.silent_row",
                    store=store_label(s["store_id"], s["store_name"]),
                    latest=s["latest_day"],
                    days=s["days_with_answers"],
                    n=s["answers"],
                )
            )
        if silent[OVERDUE_SHOWN:]:
            lines.append("- " + t("digest.silent_more", stores=len(silent[OVERDUE_SHOWN:])))
        lines.append("")
    lines += [f"## {t('digest.drops')}", ""]
    if not digest["drops"]:
        lines.append(t("digest.none"))
    for d in digest["drops"]:
        lines.append(
            "- "
            + t(
                "digest.drop_row",
                store=store_label(d["store_id"], d["store_name"]),
                nps=f"{d['nps']:.1f}",
                n=d["n"],
                before=f"{d['nps_before']:.1f}",
                n_before=d["n_before"],
                change=f"{d['change']:+.1f}",
            )
        )
    lines += ["", f"## {t('digest.gaming')}", ""]
    if not digest["gaming"]:
        lines.append(t("digest.none"))
    months = month_end_span(date.fromisoformat(digest["date"]))
    for g in digest["gaming"]:
        who = (
            t(
                "digest.advisor_at",
                advisor=g["advisor"],
                store=store_label(g["store_id"], g["store_name"]),
            )
            if g["advisor"]
            else store_label(g["store_id"], g["store_name"])
        )
        # numbers and the app's own words only
        what = i18n.Markup(
            t("fmt.sep_clause").join(signal_text(s, lang, months) for s in g["signals"])
        )
        lines.append("- " + t("digest.gaming_row", who=who, what=what))
    lines += ["", f"## {t('digest.overdue')}", ""]
    counted = digest.get("overdue_counted")
    if counted:  # the board's "as of the data's last day …"
        lines += [t(AS_OF[counted], at=digest["overdue_as_of"]), ""]
    if not digest["overdue_callbacks"]:
        lines.append(t("digest.none"))
    shown = digest["overdue_callbacks"][:OVERDUE_SHOWN]
    for o in shown:
        lines.append(
            "- "
            + t(
                "digest.overdue_row",
                store=store_label(o["store_id"], o["store_name"]),
                k=o["count"],
            )
        )
    rest = digest["overdue_callbacks"][OVERDUE_SHOWN:]
    if rest:
        lines.append(
            "- " + t("digest.overdue_more", stores=len(rest), k=sum(o["count"] for o in rest))
        )
    lines += ["", t("digest.note", fdr=_pct(digest["fdr"]))]
    return "\n".join(lines) + "\n"
